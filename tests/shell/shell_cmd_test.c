/*
 * The shell's commands in the kernel: bad input gives an error naming it
 * and the shell carries on; the registered commands are found and listed;
 * the console merges the input devices' bytes.
 */
#include <kernel/console.h>
#include <kernel/cpus.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <ktest.h>
#include <lib/err.h>
#include <string.h>

KTEST(shell, kernel_commands_check_their_arguments)
{
	KT_EXPECT_EQ(t, shell_run_line("frobnicate now"), -2);
	KT_EXPECT_EQ(t, shell_run_line("kill"), -EINVAL);
	KT_EXPECT_EQ(t, shell_run_line("kill abc"), -EINVAL);
	KT_EXPECT_EQ(t, shell_run_line("kill 999999"), -EINVAL);
	KT_EXPECT_EQ(t, shell_run_line("kill 0"), -EINVAL);
	KT_EXPECT_EQ(t, shell_run_line("uptime now"), -EINVAL);
	KT_EXPECT_EQ(t, shell_run_line("cpus all"), -EINVAL);
	KT_EXPECT_EQ(t, shell_run_line("bg x"), -EINVAL);
	KT_EXPECT_EQ(t, shell_run_line("a b c d e f g h i j k l m n o p q r"),
		     -E2BIG);
	KT_EXPECT_EQ(t, shell_run_line(""), 0);
	KT_EXPECT_EQ(t, shell_run_line("ps"), 0);
	KT_EXPECT_EQ(t, shell_run_line("uptime"), 0);
	KT_EXPECT_EQ(t, shell_run_line("help"), 0);
}

KTEST(shell, registered_commands_are_found_by_name)
{
	size_t n;
	const struct shell_cmd *cmds = shell_commands(&n);

	KT_EXPECT(t, n > 0);
	const struct shell_cmd *ps = shell_command("ps");
	KT_ASSERT(t, ps != NULL);
	KT_EXPECT_STREQ(t, ps->name, "ps");
	KT_EXPECT(t, shell_command("help") != NULL);
	KT_EXPECT(t, shell_command("run") != NULL);
	KT_EXPECT(t, shell_command("frobnicate") == NULL);
	KT_EXPECT(t, shell_command("") == NULL);
	/* Each found by its own name: no two share one. */
	for (size_t i = 0; i < n; i++)
		KT_EXPECT_MSG(t, shell_command(cmds[i].name) == &cmds[i],
			      "command '%s' is registered twice", cmds[i].name);
}

static char help_out[4096];
static size_t help_len;

static void help_capture(struct console_sink *sink, const char *s, size_t n)
{
	(void)sink;
	if (n > sizeof(help_out) - 1 - help_len)
		n = sizeof(help_out) - 1 - help_len;
	memcpy(help_out + help_len, s, n);
	help_len += n;
	help_out[help_len] = '\0';
}

/* `help`'s output, read back: a line "  NAME ..." per command (a long
 * usage continues on a line of spaces), every registered command once,
 * in strcmp order. */
KTEST(shell, help_lists_every_command_sorted)
{
	struct console_sink sink = {help_capture, -1}; /* every process */
	char prev[SHELL_LINE_MAX] = "";
	size_t n, listed = 0;

	if (!sched_running())
		KT_SKIP(t, "the console sink needs processes");
	shell_commands(&n);
	help_len = 0;
	help_out[0] = '\0';
	console_set_sink(&sink);
	int rc = shell_run_line("help");
	console_set_sink(NULL);
	KT_EXPECT_EQ(t, rc, 0);
	for (const char *line = help_out; *line;) {
		const char *end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		if (line[0] == ' ' && line[1] == ' ' && line[2] != ' ') {
			char name[SHELL_LINE_MAX];
			size_t len = 0;
			while (line[2 + len] != ' ' && line + 2 + len < end &&
			       len + 1 < sizeof(name))
				len++;
			memcpy(name, line + 2, len);
			name[len] = '\0';
			KT_EXPECT_MSG(t, shell_command(name) != NULL,
				      "help lists '%s', not a command", name);
			KT_EXPECT_MSG(t, strcmp(prev, name) < 0,
				      "help lists '%s' after '%s'", name, prev);
			strlcpy(prev, name, sizeof(prev));
			listed++;
		}
		line = *end ? end + 1 : end;
	}
	KT_EXPECT_EQ(t, listed, n);
}

/* An input device's bytes come out of the console in order; a full
 * buffer drops the rest. */
static const char *find(const char *hay, const char *needle)
{
	for (size_t n = strlen(needle); *hay; hay++)
		if (strncmp(hay, needle, n) == 0)
			return hay;
	return NULL;
}

/* `cpus` lists the boot record: a summary, the boot CPU running, one line
 * per CPU found. */
KTEST(shell, cpus_lists_the_cpus_found)
{
	struct console_sink sink = {help_capture, -1};
	unsigned lines = 0;

	if (!sched_running())
		KT_SKIP(t, "the console sink needs processes");
	help_len = 0;
	help_out[0] = '\0';
	console_set_sink(&sink);
	int rc = shell_run_line("cpus");
	console_set_sink(NULL);
	KT_EXPECT_EQ(t, rc, 0);
	KT_EXPECT(t, find(help_out, "CPUs found (") != NULL);
	KT_EXPECT(t, find(help_out, "running (boot CPU)") != NULL);
	for (const char *p = help_out; (p = find(p, "\n  ")) != NULL; p++)
		lines++;
	KT_EXPECT_EQ(t, lines, cpus_found());
}

KTEST(shell, console_input_pushed_bytes_are_read_in_order)
{
	char many[100];
	int got = 0;

	console_input_push("ab", 2);
	KT_EXPECT(t, console_input_ready());
	KT_EXPECT_EQ(t, console_getc(), 'a');
	KT_EXPECT_EQ(t, console_getc(), 'b');
	memset(many, 'x', sizeof(many));
	console_input_push(many, sizeof(many));
	while (console_getc() == 'x')
		got++;
	KT_EXPECT_EQ(t, got, 64);
}
