/*
 * The kernel command line: words separated by spaces, `name` or
 * `name=value`; everything after a lone `--` belongs to the program started
 * by `run=`. Unknown words are reported and ignored, never fatal.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>

#define CMDLINE_MAX_WORDS 64

struct cmdline {
	bool test;                 /* run in-kernel tests, then exit QEMU */
	const char *test_filter;   /* test=suite[,suite...], NULL for all */
	bool quiet;                /* kernel messages off */
	bool bench;                /* run the scheduler benchmarks, exit */
	const char *run;           /* run=PROGRAM */
	bool time;                 /* print run='s wall time when it ends */
	const char *crash;         /* crash=KIND: deliberate fault (tests) */
	const char *vga;           /* vga=WxHxBPP or vga=text: boot video mode */
	const char *program_args[CMDLINE_MAX_WORDS]; /* words after `--` */
	int program_argc;
	const char *unknown[CMDLINE_MAX_WORDS]; /* words nobody recognised */
	int unknown_count;
	const char *image_path;    /* the loader's path of the kernel, if given */
};

/*
 * Parse `text` in place (it is modified: words are NUL-terminated). If
 * `may_have_image_path` and the first word is not a known option, it is taken
 * as the kernel's path (multiboot loaders prepend it). Returns 0, or -E2BIG
 * when there are more words than CMDLINE_MAX_WORDS (the rest are dropped and
 * reported as unknown).
 */
int cmdline_parse(struct cmdline *cl, char *text, bool may_have_image_path);

#endif
