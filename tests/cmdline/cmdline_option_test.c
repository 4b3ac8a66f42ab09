/*
 * Options a driver or platform reads itself: registered with
 * CMDLINE_OPTION, known to the parser, looked up with cmdline_find() and
 * cmdline_get().
 */
#include <kernel/cmdline.h>
#include <ktest.h>
#include <string.h>

/* As platform/pc registers vga=. */
CMDLINE_OPTION(ktest_opt);

KTEST(cmdline, a_registered_option_is_not_unknown)
{
	struct cmdline cl;
	char buf[128];

	strlcpy(buf, "ktest_opt=3 ktest_opt ktest_optx quiet", sizeof(buf));
	KT_EXPECT_EQ(t, cmdline_parse(&cl, buf, false), 0);
	KT_EXPECT(t, cl.quiet);
	KT_EXPECT_EQ(t, cl.unknown_count, 1);
	KT_EXPECT_STREQ(t, cl.unknown[0], "ktest_optx");
	/* First on a multiboot line it is an option, not the kernel's path. */
	strlcpy(buf, "ktest_opt=1 test", sizeof(buf));
	cmdline_parse(&cl, buf, true);
	KT_EXPECT(t, cl.image_path == NULL);
	KT_EXPECT_EQ(t, cl.unknown_count, 0);
}

KTEST(cmdline, find_gives_the_last_value)
{
	const char *line = "quiet vga=800x600x16 test  vga=text\tx";
	char v[16];

	KT_EXPECT(t, cmdline_find(line, false, "vga", v, sizeof(v)));
	KT_EXPECT_STREQ(t, v, "text");
	KT_EXPECT(t,
		  cmdline_find("vga=1024x768x32", false, "vga", v, sizeof(v)));
	KT_EXPECT_STREQ(t, v, "1024x768x32");
	/* A bare word gives "", NULL/0 only asks whether it is there. */
	KT_EXPECT(t, cmdline_find(line, false, "quiet", v, sizeof(v)));
	KT_EXPECT_STREQ(t, v, "");
	KT_EXPECT(t, cmdline_find(line, false, "test", NULL, 0));
	KT_EXPECT(t, cmdline_find("test=shell", false, "test", NULL, 0));
	KT_EXPECT(t, !cmdline_find(line, false, "vg", NULL, 0));
	KT_EXPECT(t, !cmdline_find(line, false, "vga=", NULL, 0));
	KT_EXPECT(t, !cmdline_find("", false, "vga", NULL, 0));
}

KTEST(cmdline, find_cuts_a_long_value)
{
	char v[8];

	KT_EXPECT(t,
		  cmdline_find("vga=1234567890", false, "vga", v, sizeof(v)));
	KT_EXPECT_STREQ(t, v, "1234567");
}

KTEST(cmdline, find_skips_the_path_and_the_programs_words)
{
	char v[16];

	/* The loader's path is not an option. */
	KT_EXPECT(t, !cmdline_find("/boot/k vga", true, "/boot/k", NULL, 0));
	KT_EXPECT(t,
		  cmdline_find("/boot/k vga=text", true, "vga", v, sizeof(v)));
	KT_EXPECT_STREQ(t, v, "text");
	/* After `--` the words are run='s program's. */
	KT_EXPECT(t, !cmdline_find("run=p -- vga=text", false, "vga", NULL, 0));
	KT_EXPECT(t, cmdline_find("vga=8x8 run=p -- vga=text", false, "vga", v,
				  sizeof(v)));
	KT_EXPECT_STREQ(t, v, "8x8");
}

KTEST(cmdline, find_reads_only_the_first_words)
{
	char line[4 * (CMDLINE_MAX_WORDS + 1) + 16] = "";

	for (int i = 0; i < CMDLINE_MAX_WORDS; i++)
		strlcpy(line + strlen(line), "ab ",
			sizeof(line) - strlen(line));
	strlcpy(line + strlen(line), "vga=text", sizeof(line) - strlen(line));
	KT_EXPECT(t, !cmdline_find(line, false, "vga", NULL, 0));
}

KTEST(cmdline, get_reads_the_boot_line)
{
	static struct boot_info bi;

	/* No loader line: CONFIG_CMDLINE ("" on the host). */
	KT_EXPECT(t, !cmdline_get(&bi, "ktest_opt", NULL, 0));
	KT_EXPECT(t, !cmdline_get(NULL, "ktest_opt", NULL, 0));
	strlcpy(bi.cmdline, "/boot/kernel.elf ktest_opt=on",
		sizeof(bi.cmdline));
	bi.cmdline_has_image_path = true;
	char v[8];
	KT_EXPECT(t, cmdline_get(&bi, "ktest_opt", v, sizeof(v)));
	KT_EXPECT_STREQ(t, v, "on");
}
