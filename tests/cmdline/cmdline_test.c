/*
 * Kernel command-line parsing: the words multiboot and U-Boot hand over,
 * including the bad and odd ones.
 */
#include <kernel/cmdline.h>
#include <kernel/err.h>
#include <ktest.h>
#include <string.h>

static int parse(struct cmdline *cl, char *buf, size_t size, const char *text,
		 bool image_path)
{
	strlcpy(buf, text, size);
	return cmdline_parse(cl, buf, image_path);
}

KTEST(cmdline, multiboot_path_first_word_is_skipped)
{
	struct cmdline cl;
	char buf[128];

	KT_EXPECT_EQ(t, parse(&cl, buf, sizeof(buf), "/boot/kernel.elf test", true), 0);
	KT_EXPECT_STREQ(t, cl.image_path, "/boot/kernel.elf");
	KT_EXPECT(t, cl.test);
	KT_EXPECT_EQ(t, cl.unknown_count, 0);
}

KTEST(cmdline, option_first_is_not_taken_for_a_path)
{
	struct cmdline cl;
	char buf[128];

	/* GRUB with no path (or a loader that omits it): "test" is an option. */
	parse(&cl, buf, sizeof(buf), "test quiet", true);
	KT_EXPECT(t, cl.image_path == NULL);
	KT_EXPECT(t, cl.test);
	KT_EXPECT(t, cl.quiet);
}

KTEST(cmdline, uboot_has_no_path)
{
	struct cmdline cl;
	char buf[128];

	parse(&cl, buf, sizeof(buf), "kernel.bin test", false);
	KT_EXPECT(t, cl.image_path == NULL);
	KT_EXPECT_EQ(t, cl.unknown_count, 1);
	KT_EXPECT_STREQ(t, cl.unknown[0], "kernel.bin");
}

KTEST(cmdline, unknown_words_are_collected_not_fatal)
{
	struct cmdline cl;
	char buf[128];

	KT_EXPECT_EQ(t, parse(&cl, buf, sizeof(buf), "k foo test=pmm,sbrk bar=1", true), 0);
	KT_EXPECT_EQ(t, cl.unknown_count, 2);
	KT_EXPECT_STREQ(t, cl.unknown[0], "foo");
	KT_EXPECT_STREQ(t, cl.unknown[1], "bar=1");
	KT_EXPECT_STREQ(t, cl.test_filter, "pmm,sbrk");
}

KTEST(cmdline, run_and_program_arguments)
{
	struct cmdline cl;
	char buf[128];

	parse(&cl, buf, sizeof(buf), "quiet run=prog.wasm -- a  b\t--c", false);
	KT_EXPECT_STREQ(t, cl.run, "prog.wasm");
	KT_EXPECT_EQ(t, cl.program_argc, 3);
	KT_EXPECT_STREQ(t, cl.program_args[0], "a");
	KT_EXPECT_STREQ(t, cl.program_args[2], "--c");
	KT_EXPECT(t, !cl.time);
	parse(&cl, buf, sizeof(buf), "time run=a -- time", false);
	KT_EXPECT(t, cl.time);
	KT_EXPECT_STREQ(t, cl.program_args[0], "time");
	/* "run=" with no name is not a request to run anything. */
	parse(&cl, buf, sizeof(buf), "run=", false);
	KT_EXPECT(t, cl.run == NULL);
	KT_EXPECT_EQ(t, cl.unknown_count, 1);
}

KTEST(cmdline, empty_and_blank)
{
	struct cmdline cl;
	char buf[16];

	KT_EXPECT_EQ(t, parse(&cl, buf, sizeof(buf), "", true), 0);
	KT_EXPECT(t, !cl.test && cl.image_path == NULL && cl.unknown_count == 0);
	KT_EXPECT_EQ(t, parse(&cl, buf, sizeof(buf), "  \t \n", true), 0);
	KT_EXPECT(t, cl.image_path == NULL);
}

KTEST(cmdline, too_many_words_is_e2big)
{
	struct cmdline cl;
	char buf[CMDLINE_MAX_WORDS * 3 + 16];
	size_t n = 0;

	for (int i = 0; i < CMDLINE_MAX_WORDS + 5; i++) {
		buf[n++] = 'x';
		buf[n++] = ' ';
	}
	buf[n] = '\0';
	KT_EXPECT_EQ(t, cmdline_parse(&cl, buf, false), -E2BIG);
	KT_EXPECT_EQ(t, cl.unknown_count, CMDLINE_MAX_WORDS);
}
