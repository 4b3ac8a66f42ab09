/*
 * The shell process: reads the console (every input device registered
 * there: the serial line, the PS/2 keyboard), edits the line, runs
 * commands. Output goes straight to the console (it is not a kernel
 * message, so `quiet` does not hide it). The commands register themselves
 * (SHELL_COMMAND); this file knows none but `help`.
 */
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <lib/err.h>
#include <stdarg.h>
#include <string.h>

/* The `shell_cmds` section's bounds (arch/<arch>/kernel.ld). */
extern const struct shell_cmd __start_shell_cmds[];
extern const struct shell_cmd __stop_shell_cmds[];

const struct shell_cmd *shell_commands(size_t *n)
{
	*n = (size_t)(__stop_shell_cmds - __start_shell_cmds);
	return __start_shell_cmds;
}

const struct shell_cmd *shell_command(const char *name)
{
	size_t n;
	const struct shell_cmd *cmds = shell_commands(&n);

	return shell_cmd_find(cmds, n, name);
}

static void shell_write(const char *s, size_t n)
{
	console_write(s, n);
}

void shell_printf(const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0)
		shell_write(buf, (size_t)n);
}

int shell_usage(const char *cmd, const char *what, const char *arg)
{
	if (arg)
		shell_printf("%s: %s '%s'\n", cmd, what, arg);
	else
		shell_printf("%s: %s\n", cmd, what);
	return -EINVAL;
}

static int cmd_help(int argc, char **argv)
{
	size_t n;
	const struct shell_cmd *cmds = shell_commands(&n);

	(void)argc;
	(void)argv;
	for (const struct shell_cmd *c = shell_cmd_next(cmds, n, NULL); c;
	     c = shell_cmd_next(cmds, n, c))
		shell_printf(strlen(c->usage) > 16 ? "  %s\n  %16s %s\n"
						   : "  %-16s%.0s %s\n",
			     c->usage, "", c->help);
	shell_printf("Keys: left/right, Home/End, Backspace/Delete, up/down "
		     "for history, Ctrl-A/E/U/C.\n");
	return 0;
}
SHELL_COMMAND(help, cmd_help, "help", "list the commands");

int shell_run_line(const char *line)
{
	char buf[SHELL_LINE_MAX];
	char *argv[SHELL_MAX_ARGS];
	size_t n;
	const struct shell_cmd *cmds = shell_commands(&n);

	strlcpy(buf, line, sizeof(buf));
	int argc = shell_split(buf, argv, SHELL_MAX_ARGS);
	if (argc < 0) {
		shell_printf("too many words (at most %d)\n", SHELL_MAX_ARGS);
		return -E2BIG;
	}
	return shell_dispatch(cmds, n, argc, argv, shell_write);
}

static struct line_editor editor;

void shell_main(void *arg)
{
	(void)arg;
	le_init(&editor, shell_write);
	shell_printf("\nflatkernel shell. Type 'help' for the commands.\n");
	for (;;) {
		le_reset(&editor);
		shell_write("> ", 2);
		enum le_event ev;
		do
			ev = le_feed(&editor, console_read());
		while (ev == LE_NONE);
		if (ev != LE_LINE)
			continue;
		le_history_add(&editor, editor.buf);
		shell_run_line(editor.buf);
	}
}
