/*
 * The interactive shell. Three layers:
 *  - shell_line.c: the line editor (insert at the cursor, backspace/delete,
 *    left/right, Home/End, Ctrl-A/E/U/C, history on up/down), the word
 *    splitter and command lookup over a table; no kernel dependencies, so
 *    the host tests drive it with scripted keystrokes;
 *  - shell.c: the shell process reading the console, `help`, and the
 *    table of commands, which is the `shell_cmds` linker section;
 *  - the commands, each registered with SHELL_COMMAND beside the code it
 *    drives (kernel/shell_cmds_*.c, the VESA driver's `vbe`), so the shell
 *    names no driver and no platform.
 */
#ifndef KERNEL_SHELL_H
#define KERNEL_SHELL_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>

#define SHELL_LINE_MAX 128
#define SHELL_HISTORY  16
#define SHELL_MAX_ARGS 16

typedef void (*shell_write_fn)(const char *s, size_t n);

struct line_editor {
	char buf[SHELL_LINE_MAX];
	size_t len, cursor;
	char history[SHELL_HISTORY][SHELL_LINE_MAX];
	unsigned hist_count; /* lines ever added; the last SHELL_HISTORY kept */
	unsigned hist_pos;   /* browsing: hist_count = the line being edited */
	char saved[SHELL_LINE_MAX]; /* the edited line while browsing */
	int esc;		    /* 0, 1 after ESC, 2 after ESC [ or ESC O */
	char esc_arg;		    /* digit of ESC [ n ~ */
	shell_write_fn write;
};

enum le_event {
	LE_NONE,   /* keep feeding */
	LE_LINE,   /* a line is complete in buf (NUL-terminated) */
	LE_CANCEL, /* Ctrl-C: line dropped */
};

void le_init(struct line_editor *le, shell_write_fn write);
/* Start a new empty line (after LE_LINE / LE_CANCEL). */
void le_reset(struct line_editor *le);
/* Feed one input byte; echoes through `write`. */
enum le_event le_feed(struct line_editor *le, int c);
/* Add a line to the history (blank lines and repeats of the last are not). */
void le_history_add(struct line_editor *le, const char *line);

/* Split `line` in place into words; returns the count, or -1 if there are
 * more than `max` words. Quotes "..." group words with spaces. */
int shell_split(char *line, char **argv, int max);

struct shell_cmd {
	const char *name;
	const char *usage;
	const char *help;
	/* Returns 0, or a negative error after printing what went wrong. */
	int (*run)(int argc, char **argv);
};

/*
 * Register a command with the kernel's shell, in any file linked into the
 * kernel:
 *
 *     SHELL_COMMAND(ps, cmd_ps, "ps", "list the processes");
 *
 * The entry goes into the `shell_cmds` linker section (collected by
 * arch/<arch>/kernel.ld, as the ktest cases are); the shell finds a
 * command there by name and `help` lists them sorted by name. Names must
 * be unique (the shell suite checks).
 */
#define SHELL_CMD_SECTION "shell_cmds"
#define SHELL_COMMAND(name_, fn_, usage_, help_)                               \
	static const struct shell_cmd shell_cmd_##name_                        \
		__attribute__((used, section(SHELL_CMD_SECTION),               \
			       aligned(sizeof(void *)))) = {#name_, usage_,    \
							    help_, fn_}

/* The command named `name` in cmds[0..n), or NULL. */
const struct shell_cmd *shell_cmd_find(const struct shell_cmd *cmds, size_t n,
				       const char *name);
/* The command of cmds[0..n) whose name comes next after prev's in strcmp
 * order (the first for prev NULL), or NULL after the last: a sorted walk
 * of a table that cannot be sorted in place (it is read-only). */
const struct shell_cmd *shell_cmd_next(const struct shell_cmd *cmds, size_t n,
				       const struct shell_cmd *prev);

/* Find and run argv[0] in cmds[0..n). Unknown commands print "NAME:
 * unknown command" through `write` and return -2. */
int shell_dispatch(const struct shell_cmd *cmds, size_t n, int argc,
		   char **argv, shell_write_fn write);

/* Parse a decimal integer argument; false if `s` is not one. */
bool shell_parse_int(const char *s, long *out);

/* Kernel: the `quiet` word's setting (kmain sets it); commands that print
 * through printk lift it while they run. */
extern int kernel_quiet;

/* Kernel: run the shell on the console in the calling process; never
 * returns. */
void shell_main(void *arg);
/* Kernel: run one command line (for tests). */
int shell_run_line(const char *line);
/* Kernel: the registered command named `name`, or NULL. */
const struct shell_cmd *shell_command(const char *name);
/* Kernel: the registered commands, in link order; *n is their count. */
const struct shell_cmd *shell_commands(size_t *n);

/* Kernel, for commands: print to the console (a line of at most 159
 * bytes); and print "CMD: WHAT 'ARG'" (without the quoted part when `arg`
 * is NULL) and return -EINVAL, the answer to a bad argument. */
void shell_printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int shell_usage(const char *cmd, const char *what, const char *arg);
/* `ls PATH` (kernel/shell_cmds_fs.c): 0, or 1 with the error shown. */
int shell_ls_path(const char *path);

#endif
