/*
 * The shell's line editor, word splitter and command lookup, driven with
 * scripted keystrokes and tables (host and kernel).
 */
#include <kernel/shell.h>
#include <ktest.h>
#include <string.h>

static char echo[1024];
static size_t echo_len;

static void capture(const char *s, size_t n)
{
	if (echo_len + n < sizeof(echo)) {
		memcpy(echo + echo_len, s, n);
		echo_len += n;
		echo[echo_len] = '\0';
	}
}

/* Feed `keys`; return the event of the last byte. */
static enum le_event type(struct line_editor *le, const char *keys)
{
	enum le_event ev = LE_NONE;
	for (const char *k = keys; *k; k++)
		ev = le_feed(le, (unsigned char)*k);
	return ev;
}

static struct line_editor le;

static void fresh(void)
{
	le_init(&le, capture);
	le_reset(&le);
	echo_len = 0;
	echo[0] = '\0';
}

KTEST(shell, a_typed_line_is_echoed_and_returned)
{
	fresh();
	KT_EXPECT_EQ(t, type(&le, "help"), LE_NONE);
	KT_EXPECT_EQ(t, type(&le, "\r"), LE_LINE);
	KT_EXPECT_STREQ(t, le.buf, "help");
	KT_EXPECT_STREQ(t, echo, "help\n");
}

KTEST(shell, backspace_and_arrows_edit_in_the_middle)
{
	fresh();
	/* "upxtime", four lefts, backspace removes the x */
	KT_EXPECT_EQ(t, type(&le, "upxtime\x1b[D\x1b[D\x1b[D\x1b[D\x7f\r"),
		     LE_LINE);
	KT_EXPECT_STREQ(t, le.buf, "uptime");
	le_reset(&le);
	/* insert in the middle, right arrow, DEL key (ESC [ 3 ~) */
	KT_EXPECT_EQ(t, type(&le, "ac\x1b[Db\x1b[C!\x1b[D\x1b[3~\r"), LE_LINE);
	KT_EXPECT_STREQ(t, le.buf, "abc");
	le_reset(&le);
	/* Home (ESC [ H) then insert; Ctrl-E to the end */
	KT_EXPECT_EQ(t,
		     type(&le, "bc\x1b[Ha\x05"
			       "d\r"),
		     LE_LINE);
	KT_EXPECT_STREQ(t, le.buf, "abcd");
	le_reset(&le);
	/* backspace at the start does nothing; Ctrl-U kills to the start */
	KT_EXPECT_EQ(t, type(&le, "\x7fjunk\x15ok\r"), LE_LINE);
	KT_EXPECT_STREQ(t, le.buf, "ok");
}

KTEST(shell, the_echo_redraws_the_tail)
{
	fresh();
	type(&le, "ac\x1b[Db");
	/* a, c, back, then "bc" redrawn and the cursor moved back one */
	KT_EXPECT_STREQ(t, echo, "ac\bbc\b");
}

KTEST(shell, history_goes_up_and_down)
{
	fresh();
	le_history_add(&le, "first");
	le_history_add(&le, "second");
	le_history_add(&le, "second"); /* a repeat is not added */
	le_history_add(&le, "   ");    /* nor a blank line */
	le_reset(&le);
	KT_EXPECT_EQ(t, type(&le, "\x1b[A\r"), LE_LINE);
	KT_EXPECT_STREQ(t, le.buf, "second");
	le_reset(&le);
	KT_EXPECT_EQ(t, type(&le, "\x1b[A\x1b[A\x1b[A\r"), LE_LINE);
	KT_EXPECT_STREQ(t, le.buf, "first");
	le_reset(&le);
	/* down past the newest returns the line being typed */
	KT_EXPECT_EQ(t, type(&le, "new\x1b[A\x1b[B\r"), LE_LINE);
	KT_EXPECT_STREQ(t, le.buf, "new");
	/* ESC O A (application cursor keys) works too */
	le_reset(&le);
	KT_EXPECT_EQ(t, type(&le, "\x1bOA\r"), LE_LINE);
	KT_EXPECT_STREQ(t, le.buf, "second");
}

KTEST(shell, history_keeps_the_newest_entries)
{
	fresh();
	char line[8] = "cmd00";
	for (int i = 0; i < SHELL_HISTORY + 5; i++) {
		line[3] = (char)('0' + i / 10);
		line[4] = (char)('0' + i % 10);
		le_history_add(&le, line);
	}
	le_reset(&le);
	for (int i = 0; i < SHELL_HISTORY + 10; i++)
		type(&le, "\x1b[A");
	type(&le, "\r");
	KT_EXPECT_STREQ(t, le.buf, "cmd05");
}

KTEST(shell, a_full_line_and_control_c)
{
	fresh();
	for (int i = 0; i < SHELL_LINE_MAX + 20; i++)
		le_feed(&le, 'x');
	KT_EXPECT_EQ(t, le.len, SHELL_LINE_MAX - 1);
	KT_EXPECT(t, strchr(echo, '\a') != NULL);
	KT_EXPECT_EQ(t, le_feed(&le, 3), LE_CANCEL);
	KT_EXPECT_EQ(t, le.len, 0);
	/* stray bytes and unknown escapes are ignored */
	KT_EXPECT_EQ(t, type(&le, "\x01\x02\x1b[Z\x1bxq\r"), LE_LINE);
	KT_EXPECT_STREQ(t, le.buf, "q");
}

KTEST(shell, words_are_split_with_quotes)
{
	char line[64] = "  kill   12 \"two words\"  x";
	char *argv[8];
	KT_ASSERT_EQ(t, shell_split(line, argv, 8), 4);
	KT_EXPECT_STREQ(t, argv[0], "kill");
	KT_EXPECT_STREQ(t, argv[1], "12");
	KT_EXPECT_STREQ(t, argv[2], "two words");
	KT_EXPECT_STREQ(t, argv[3], "x");
	char empty[4] = "   ";
	KT_EXPECT_EQ(t, shell_split(empty, argv, 8), 0);
	char many[32] = "a b c d e";
	KT_EXPECT_EQ(t, shell_split(many, argv, 4), -1);
	char open[16] = "\"unterminated";
	KT_EXPECT_EQ(t, shell_split(open, argv, 8), 1);
	KT_EXPECT_STREQ(t, argv[0], "unterminated");
}

KTEST(shell, integers_are_checked)
{
	long v;
	KT_EXPECT(t, shell_parse_int("42", &v) && v == 42);
	KT_EXPECT(t, shell_parse_int("-7", &v) && v == -7);
	KT_EXPECT(t, !shell_parse_int("", &v));
	KT_EXPECT(t, !shell_parse_int("-", &v));
	KT_EXPECT(t, !shell_parse_int("12a", &v));
	KT_EXPECT(t, !shell_parse_int("99999999999999", &v));
}

static int ran;

static int fake_cmd(int argc, char **argv)
{
	(void)argv;
	ran = argc;
	return 0;
}

KTEST(shell, unknown_commands_are_named)
{
	static const struct shell_cmd cmds[] = {
		{"go", "go", "", fake_cmd},
	};
	char *argv[3] = {"go", "a", NULL};
	fresh();
	ran = 0;
	KT_EXPECT_EQ(t, shell_dispatch(cmds, 1, 2, argv, capture), 0);
	KT_EXPECT_EQ(t, ran, 2);
	argv[0] = "frob";
	KT_EXPECT_EQ(t, shell_dispatch(cmds, 1, 1, argv, capture), -2);
	KT_EXPECT_STREQ(t, echo, "frob: unknown command (try 'help')\n");
	KT_EXPECT_EQ(t, shell_dispatch(cmds, 1, 0, argv, capture), 0);
	KT_EXPECT_EQ(t, shell_dispatch(cmds, 0, 1, argv, capture), -2);
}

/* A table in link order, as the `shell_cmds` section holds it. */
static const struct shell_cmd unsorted[] = {
	{"ps", "", "", fake_cmd},	{"help", "", "", fake_cmd},
	{"run", "", "", fake_cmd},	{"kill", "", "", fake_cmd},
	{"poweroff", "", "", fake_cmd}, {"bg", "", "", fake_cmd},
};
#define UNSORTED_N (sizeof(unsorted) / sizeof(unsorted[0]))

KTEST(shell, commands_are_found_by_name)
{
	KT_EXPECT(t,
		  shell_cmd_find(unsorted, UNSORTED_N, "kill") == &unsorted[3]);
	KT_EXPECT(t,
		  shell_cmd_find(unsorted, UNSORTED_N, "bg") == &unsorted[5]);
	KT_EXPECT(t, shell_cmd_find(unsorted, UNSORTED_N, "k") == NULL);
	KT_EXPECT(t, shell_cmd_find(unsorted, UNSORTED_N, "kills") == NULL);
	KT_EXPECT(t, shell_cmd_find(unsorted, 0, "ps") == NULL);
}

KTEST(shell, commands_are_walked_in_name_order)
{
	static const char *const order[] = {"bg",	"help", "kill",
					    "poweroff", "ps",	"run"};
	const struct shell_cmd *c = NULL;

	for (size_t i = 0; i < UNSORTED_N; i++) {
		c = shell_cmd_next(unsorted, UNSORTED_N, c);
		KT_ASSERT(t, c != NULL);
		KT_EXPECT_STREQ(t, c->name, order[i]);
	}
	KT_EXPECT(t, shell_cmd_next(unsorted, UNSORTED_N, c) == NULL);
	KT_EXPECT(t, shell_cmd_next(unsorted, 0, NULL) == NULL);
}
