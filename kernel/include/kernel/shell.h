/*
 * The interactive shell. Two layers:
 *  - shell_line.c: the line editor (insert at the cursor, backspace/delete,
 *    left/right, Home/End, Ctrl-A/E/U/C, history on up/down) and the word
 *    splitter and command dispatch; no kernel dependencies, so the host
 *    tests drive it with scripted keystrokes;
 *  - shell.c: the commands and the shell process reading the console.
 */
#ifndef KERNEL_SHELL_H
#define KERNEL_SHELL_H

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

/* Find and run argv[0] in `cmds` (terminated by a NULL name). Unknown
 * commands print "NAME: unknown command" through `write` and return -2. */
int shell_dispatch(const struct shell_cmd *cmds, int argc, char **argv,
		   shell_write_fn write);

/* Parse a decimal integer argument; false if `s` is not one. */
bool shell_parse_int(const char *s, long *out);

/* Kernel: the `quiet` word's setting (kmain sets it); commands that print
 * through printk lift it while they run. */
extern int kernel_quiet;

/* Kernel: run the shell on the console in the calling process; never
 * returns. */
void shell_main(void *arg);
/* Kernel: run one command line (for tests and the `bench` boot). */
int shell_run_line(const char *line);

#endif
