/*
 * Kernel command-line parsing: the words multiboot and U-Boot hand over,
 * including the bad and odd ones.
 */
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <ktest.h>
#include <lib/err.h>
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

	KT_EXPECT_EQ(
		t, parse(&cl, buf, sizeof(buf), "/boot/kernel.elf test", true),
		0);
	KT_EXPECT_STREQ(t, cl.image_path, "/boot/kernel.elf");
	KT_EXPECT(t, cl.test);
	KT_EXPECT_EQ(t, cl.unknown_count, 0);
}

KTEST(cmdline, option_first_is_not_taken_for_a_path)
{
	struct cmdline cl;
	char buf[128];

	/* GRUB with no path (or a loader that omits it): "test" is an option.
	 */
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

	KT_EXPECT_EQ(
		t,
		parse(&cl, buf, sizeof(buf), "k foo test=pmm,sbrk bar=1", true),
		0);
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
	KT_EXPECT(t,
		  !cl.test && cl.image_path == NULL && cl.unknown_count == 0);
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
	KT_EXPECT_EQ(t, cl.ignored, 5);
	KT_EXPECT_STREQ(t, cl.first_ignored, "x");
}

/* Loader lines around BOOT_CMDLINE_MAX (issue 12, finding 9): words are
 * kept whole or dropped whole, and every dropped one is accounted for. */
static struct boot_info bi;
static char line[3 * BOOT_CMDLINE_MAX];

/* `len` (>= 2) characters of short words ("x x ... x "), ending in one
 * space, then `tail`. */
static const char *make_line(size_t len, const char *tail)
{
	for (size_t i = 0; i < len; i++)
		line[i] = i % 2 ? ' ' : 'x';
	line[len - 1] = ' ';
	line[len - 2] = 'x';
	strlcpy(line + len, tail, sizeof(line) - len);
	return line;
}

static void copy(const char *src)
{
	memset(&bi, 0x55, sizeof(bi)); /* nothing may be left unset */
	cmdline_copy(&bi, src);
}

KTEST(cmdline, a_line_at_the_limit_is_kept_whole)
{
	char notice[CMDLINE_NOTICE_MAX];

	copy(make_line(BOOT_CMDLINE_MAX - 1 - 9, "run=hello"));
	KT_EXPECT_EQ(t, strlen(line), BOOT_CMDLINE_MAX - 1);
	KT_EXPECT_STREQ(t, bi.cmdline, line);
	KT_EXPECT_EQ(t, bi.cmdline_len, BOOT_CMDLINE_MAX - 1);
	KT_EXPECT_EQ(t, bi.cmdline_dropped, 0);
	KT_EXPECT_STREQ(t, bi.cmdline_dropped_words, "");
	KT_EXPECT_EQ(t, cmdline_cut_notice(&bi, notice, sizeof(notice)), 0);
	KT_EXPECT_STREQ(t, notice, "");

	struct cmdline cl;
	char buf[BOOT_CMDLINE_MAX];
	KT_EXPECT_EQ(t, parse(&cl, buf, sizeof(buf), bi.cmdline, false),
		     -E2BIG); /* the filler is many words */
	copy(make_line(100, "quiet run=hello"));
	parse(&cl, buf, sizeof(buf), bi.cmdline, false);
	KT_EXPECT_STREQ(t, cl.run, "hello");
}

KTEST(cmdline, one_past_the_limit_drops_the_last_word_whole)
{
	char notice[CMDLINE_NOTICE_MAX], want[CMDLINE_NOTICE_MAX];

	copy(make_line(BOOT_CMDLINE_MAX - 9, "run=hello"));
	KT_EXPECT_EQ(t, strlen(line), BOOT_CMDLINE_MAX);
	KT_EXPECT_EQ(t, bi.cmdline_len, BOOT_CMDLINE_MAX);
	/* not "run=hell": a cut word would name another program */
	KT_EXPECT_EQ(t, strlen(bi.cmdline), BOOT_CMDLINE_MAX - 10);
	KT_EXPECT_EQ(t, strncmp(bi.cmdline, line, strlen(bi.cmdline)), 0);
	KT_EXPECT_EQ(t, bi.cmdline_dropped, 1);
	KT_EXPECT_STREQ(t, bi.cmdline_dropped_words, "run=hello");
	size_t n = cmdline_cut_notice(&bi, notice, sizeof(notice));
	snprintf(want, sizeof(want),
		 "cmdline: %d characters, only the first %d are used: 1 word "
		 "dropped: run=hello\n",
		 BOOT_CMDLINE_MAX, BOOT_CMDLINE_MAX - 10);
	KT_EXPECT_STREQ(t, notice, want);
	KT_EXPECT_EQ(t, n, strlen(want));
}

KTEST(cmdline, a_word_straddling_the_limit_goes_with_all_after_it)
{
	char word[61], tail[200], notice[CMDLINE_NOTICE_MAX];

	memset(word, 'w', 60);
	word[60] = '\0';
	/* the long word starts 20 characters before the limit */
	snprintf(tail, sizeof(tail), "%s\tquiet run=hello -- a b", word);
	copy(make_line(BOOT_CMDLINE_MAX - 1 - 20, tail));
	KT_EXPECT_EQ(t, strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1 - 21);
	KT_EXPECT_EQ(t, bi.cmdline_dropped, 6);
	snprintf(tail, sizeof(tail), "%s quiet run=hello -- a b", word);
	KT_EXPECT_STREQ(t, bi.cmdline_dropped_words, tail);
	/* "quiet" would fit after the long word, but goes with it: a word
	 * is not kept when one before it was dropped */
	KT_EXPECT_EQ(t, strncmp(bi.cmdline, line, strlen(bi.cmdline)), 0);
	cmdline_cut_notice(&bi, notice, sizeof(notice));
	KT_EXPECT_EQ(t, notice[strlen(notice) - 1], '\n');
}

KTEST(cmdline, the_notice_stays_whole_whatever_was_dropped)
{
	char notice[CMDLINE_NOTICE_MAX], word[16];
	size_t n = 0;

	/* A hundred dropped words: as many named as fit, then "...". */
	strlcpy(line, make_line(BOOT_CMDLINE_MAX - 1, ""), sizeof(line));
	n = strlen(line);
	for (int i = 0; i < 100; i++) {
		snprintf(word, sizeof(word), " word%02d", i);
		n += strlcpy(line + n, word, sizeof(line) - n);
	}
	copy(line);
	KT_EXPECT_EQ(t, bi.cmdline_dropped, 100);
	size_t d = strlen(bi.cmdline_dropped_words);
	KT_EXPECT(t, d < BOOT_CMDLINE_DROPPED);
	KT_EXPECT_EQ(t, strncmp(bi.cmdline_dropped_words, "word00 word01 ", 14),
		     0);
	/* the last is always named: an option at the end (run=) matters */
	KT_EXPECT_STREQ(t, bi.cmdline_dropped_words + d - 11, " ... word99");
	size_t len = cmdline_cut_notice(&bi, notice, sizeof(notice));
	KT_EXPECT(t, len < sizeof(notice) - 1); /* room to spare: not cut */
	KT_EXPECT_STREQ(t, notice + len - 12, " ... word99\n");

	/* A long last word shows its start. */
	n = strlcpy(line + n, " run=", sizeof(line) - n) + n;
	memset(line + n, 'r', 60);
	line[n + 60] = '\0';
	copy(line);
	KT_EXPECT_EQ(t, bi.cmdline_dropped, 101);
	d = strlen(bi.cmdline_dropped_words);
	KT_EXPECT(t, d < BOOT_CMDLINE_DROPPED);
	KT_EXPECT_STREQ(t, bi.cmdline_dropped_words + d - 45,
			" ... run=rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr...");

	/* One word longer than the whole buffer: nothing kept, its start
	 * named. */
	memset(line, 'z', 3000);
	line[3000] = '\0';
	copy(line);
	KT_EXPECT_STREQ(t, bi.cmdline, "");
	KT_EXPECT_EQ(t, bi.cmdline_len, 3000);
	KT_EXPECT_EQ(t, bi.cmdline_dropped, 1);
	d = strlen(bi.cmdline_dropped_words);
	KT_EXPECT_EQ(t, d, BOOT_CMDLINE_DROPPED - 1);
	KT_EXPECT_STREQ(t, bi.cmdline_dropped_words + d - 4, "z...");
	len = cmdline_cut_notice(&bi, notice, sizeof(notice));
	KT_EXPECT(t, len < sizeof(notice) - 1);
	KT_EXPECT_EQ(t, notice[len - 1], '\n');
	/* a small buffer gets a cut but terminated notice */
	KT_EXPECT_EQ(t, cmdline_cut_notice(&bi, notice, 10), 9);
	KT_EXPECT_EQ(t, strlen(notice), 9);
}

KTEST(cmdline, copy_of_no_line_and_of_spaces_past_the_limit)
{
	copy(NULL);
	KT_EXPECT_STREQ(t, bi.cmdline, "");
	KT_EXPECT_EQ(t, bi.cmdline_len, 0);
	KT_EXPECT_EQ(t, bi.cmdline_dropped, 0);
	copy("test\tquiet\n");
	KT_EXPECT_STREQ(t, bi.cmdline, "test\tquiet\n"); /* as given */
	/* Only blanks beyond the limit: no word lost, nothing to say. */
	make_line(BOOT_CMDLINE_MAX - 5, "test");
	memset(line + strlen(line), ' ', 50);
	line[BOOT_CMDLINE_MAX - 1 + 50] = '\0';
	copy(line);
	KT_EXPECT_EQ(t, bi.cmdline_dropped, 0);
	KT_EXPECT_EQ(t, bi.cmdline_len, BOOT_CMDLINE_MAX - 1 + 50);
	KT_EXPECT_EQ(t, strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
}

KTEST(cmdline, fuzz_with_limit_and_seed)
{
	struct cmdline cl;
	char buf[128];

	parse(&cl, buf, sizeof(buf), "/boot/kernel.elf fuzz", true);
	KT_EXPECT(t, cl.fuzz);
	KT_EXPECT_EQ(t, cl.fuzz_ms, 0);
	KT_EXPECT(t, !cl.fuzz_seed_set);
	/* fuzz first: an option, not the kernel's path */
	parse(&cl, buf, sizeof(buf), "fuzz=750 fuzz-seed=0 quiet", true);
	KT_EXPECT(t, cl.image_path == NULL);
	KT_EXPECT(t, cl.fuzz && cl.quiet);
	KT_EXPECT_EQ(t, cl.fuzz_ms, 750);
	KT_EXPECT(t, cl.fuzz_seed_set);
	KT_EXPECT_EQ(t, cl.fuzz_seed, 0);
	parse(&cl, buf, sizeof(buf), "fuzz-seed=123456789", false);
	KT_EXPECT(t, !cl.fuzz);
	KT_EXPECT_EQ(t, cl.fuzz_seed, 123456789);
	KT_EXPECT_EQ(t, cl.unknown_count, 0);
}

KTEST(cmdline, bad_fuzz_values_are_unknown_words)
{
	struct cmdline cl;
	char buf[128];

	/* Not a number, zero, a sign, too long, empty: reported, ignored. */
	parse(&cl, buf, sizeof(buf),
	      "fuzz=abc fuzz=0 fuzz=-5 fuzz=1234567890 fuzz= fuzz-seed=x1",
	      false);
	KT_EXPECT(t, !cl.fuzz);
	KT_EXPECT(t, !cl.fuzz_seed_set);
	KT_EXPECT_EQ(t, cl.unknown_count, 6);
	KT_EXPECT_STREQ(t, cl.unknown[0], "fuzz=abc");
}

KTEST(cmdline, run_mem_sets_the_memory_limit_of_run)
{
	struct cmdline cl;
	char buf[128];

	parse(&cl, buf, sizeof(buf), "run=hello run-mem=256", false);
	KT_EXPECT_STREQ(t, cl.run, "hello");
	KT_EXPECT_EQ(t, cl.run_mem_mb, 256);
	KT_EXPECT_EQ(t, cl.unknown_count, 0);
	/* zero, too large, not a number, empty: reported, ignored */
	parse(&cl, buf, sizeof(buf),
	      "run-mem=0 run-mem=4097 run-mem=lots run-mem=", false);
	KT_EXPECT_EQ(t, cl.run_mem_mb, 0);
	KT_EXPECT_EQ(t, cl.unknown_count, 4);
	KT_EXPECT_STREQ(t, cl.unknown[1], "run-mem=4097");
}

KTEST(cmdline, cpu_counts_from_nosmp_and_smp)
{
	bool bad;

	KT_EXPECT_EQ(t, cmdline_cpus("", false, 4, &bad), 4u);
	KT_EXPECT(t, !bad);
	KT_EXPECT_EQ(t, cmdline_cpus("nosmp", false, 4, &bad), 1u);
	KT_EXPECT_EQ(t, cmdline_cpus("smp=3 nosmp", false, 4, &bad), 1u);
	KT_EXPECT_EQ(t, cmdline_cpus("smp=2", false, 4, &bad), 2u);
	KT_EXPECT(t, !bad);
	KT_EXPECT_EQ(t, cmdline_cpus("smp=8", false, 4, &bad), 4u);
	KT_EXPECT_EQ(t, cmdline_cpus("/boot/kernel smp=1", true, 4, &bad), 1u);
	/* after `--` the words are the program's */
	KT_EXPECT_EQ(t, cmdline_cpus("run=x -- smp=1", false, 4, &bad), 4u);
}

KTEST(cmdline, a_bad_cpu_count_is_reported_and_ignored)
{
	static const char *const lines[] = {
		"smp=0",
		"smp=",
		"smp=two",
		"smp=-1",
		"smp=2x",
		"smp=1234567890",
		"smp=99999999999999999999",
	};
	for (unsigned i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		bool bad = false;
		KT_EXPECT_EQ(t, cmdline_cpus(lines[i], false, 4, &bad), 4u);
		KT_EXPECT_MSG(t, bad, "'%s' not reported", lines[i]);
	}
}
