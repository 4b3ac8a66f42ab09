/*
 * The kernel command line: words separated by spaces, `name` or
 * `name=value`; everything after a lone `--` belongs to the program started
 * by `run=`. Unknown words are reported and ignored, never fatal.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <arch/boot.h>
#include <stdbool.h>
#include <stddef.h>

#define CMDLINE_MAX_WORDS 64

struct cmdline {
	bool test;		  /* run in-kernel tests, then exit QEMU */
	const char *test_filter;  /* test=suite[,suite...], NULL for all */
	bool quiet;		  /* kernel messages off */
	bool bench;		  /* run the scheduler benchmarks, exit */
	const char *run;	  /* run=PROGRAM */
	bool time;		  /* print run='s wall time when it ends */
	unsigned long run_mem_mb; /* run-mem=MiB: run='s limit, 0: default */
	const char *crash;	  /* crash=KIND: deliberate fault (tests) */
	bool fuzz;		  /* fuzz[=MS]: run every ramdisk file */
	unsigned long fuzz_ms;	  /* fuzz=MS: time limit per run, 0: default */
	unsigned long fuzz_seed;  /* fuzz-seed=N: seed of the kill delays */
	bool fuzz_seed_set;
	const char *program_args[CMDLINE_MAX_WORDS]; /* words after `--` */
	int program_argc;
	const char *unknown[CMDLINE_MAX_WORDS]; /* words nobody recognised */
	int unknown_count;
	const char *image_path; /* the loader's path of the kernel, if given */
	int ignored;		/* words beyond CMDLINE_MAX_WORDS */
	const char *first_ignored; /* the first of them */
};

/*
 * Parse `text` in place (it is modified: words are NUL-terminated). If
 * `may_have_image_path` and the first word is not a known option, it is taken
 * as the kernel's path (multiboot loaders prepend it). Returns 0, or -E2BIG
 * when there are more words than CMDLINE_MAX_WORDS: the rest are ignored,
 * counted in cl->ignored, the first named by cl->first_ignored.
 */
int cmdline_parse(struct cmdline *cl, char *text, bool may_have_image_path);

/*
 * Options that belong to a driver or a platform (x86's vga=) are parsed
 * where they are used, not here. The user registers the name, so that
 * cmdline_parse() knows the word and does not report it as unknown:
 *
 *     CMDLINE_OPTION(vga);
 *
 * (the `cmdline_options` linker section, as the shell's commands), and
 * reads the value with cmdline_get() when it needs it.
 */
struct cmdline_option {
	const char *name; /* the word, or what comes before its '=' */
};
#define CMDLINE_OPTION_SECTION "cmdline_options"
#define CMDLINE_OPTION(name_)                                                  \
	static const struct cmdline_option cmdline_option_##name_              \
		__attribute__((used, section(CMDLINE_OPTION_SECTION),          \
			       aligned(sizeof(void *)))) = {#name_}

/*
 * Look option `name` up in `line` as cmdline_parse() reads it (the first
 * word may be the kernel's path; the first CMDLINE_MAX_WORDS words; none
 * after `--`). When the last word naming it is "name=VALUE", VALUE is
 * copied into `value` (cut to size - 1 characters); a bare "name" gives
 * "". False when no word names it. `value` may be NULL with size 0.
 */
bool cmdline_find(const char *line, bool may_have_image_path, const char *name,
		  char *value, size_t size);
/* The boot command line kmain parses: the loader's (even with every word
 * dropped), else the built-in CONFIG_CMDLINE. *may_have_image_path says
 * whether its first word may be the kernel's path (multiboot loaders). */
const char *cmdline_boot_line(const struct boot_info *bi,
			      bool *may_have_image_path);
/* A decimal value of an option: 1 to 9 digits and nothing else. */
bool cmdline_number(const char *s, unsigned long *out);

/* How many of the `found` CPUs to run, as `line` says: 1 with `nosmp`,
 * at most N with `smp=N`, else all. An `smp=` that is not a count from 1
 * sets *bad and is ignored (all run). */
unsigned cmdline_cpus(const char *line, bool may_have_image_path,
		      unsigned found, bool *bad);

/* cmdline_find() in that line. */
bool cmdline_get(const struct boot_info *bi, const char *name, char *value,
		 size_t size);

/*
 * Set bi's command line from the loader's `src` (NULL: none); the arch's
 * boot parser calls it. Words are copied whole while they fit in
 * BOOT_CMDLINE_MAX - 1 characters; the first that does not, and every one
 * after it, is dropped, never cut: a cut "run=hello" would name another
 * program. bi->cmdline_len, cmdline_dropped and cmdline_dropped_words say
 * what was lost.
 */
void cmdline_copy(struct boot_info *bi, const char *src);

/*
 * The notice for a line cmdline_copy() dropped words from, whole in
 * CMDLINE_NOTICE_MAX bytes whatever the line: "cmdline: 1310 characters,
 * only the first 1017 are used: 2 words dropped: run=hello x\n". Returns
 * its length (at most size - 1); 0 and "" when nothing was dropped.
 */
#define CMDLINE_NOTICE_MAX (BOOT_CMDLINE_DROPPED + 128)
size_t cmdline_cut_notice(const struct boot_info *bi, char *buf, size_t size);

#endif
