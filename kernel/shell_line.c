/*
 * The shell's line editor, word splitter and command lookup. Terminal
 * model: the cursor is moved left with '\b' and right by re-echoing the
 * character under it, which every serial terminal and the VGA console
 * understand.
 */
#include <kernel/shell.h>
#include <string.h>

static void out(struct line_editor *le, const char *s, size_t n)
{
	if (n)
		le->write(s, n);
}

static void backs(struct line_editor *le, size_t n)
{
	while (n--)
		out(le, "\b", 1);
}

void le_init(struct line_editor *le, shell_write_fn write)
{
	memset(le, 0, sizeof(*le));
	le->write = write;
}

void le_reset(struct line_editor *le)
{
	le->len = le->cursor = 0;
	le->buf[0] = '\0';
	le->hist_pos = le->hist_count;
	le->esc = 0;
}

/* Replace the whole line on screen and in buf with `s`. */
static void replace_line(struct line_editor *le, const char *s)
{
	size_t old = le->len;
	backs(le, le->cursor);
	strlcpy(le->buf, s, sizeof(le->buf));
	le->len = le->cursor = strlen(le->buf);
	out(le, le->buf, le->len);
	if (old > le->len) {
		for (size_t i = le->len; i < old; i++)
			out(le, " ", 1);
		backs(le, old - le->len);
	}
}

static const char *hist_entry(struct line_editor *le, unsigned n)
{
	return le->history[n % SHELL_HISTORY];
}

static void hist_move(struct line_editor *le, int dir)
{
	unsigned oldest = le->hist_count > SHELL_HISTORY
				  ? le->hist_count - SHELL_HISTORY
				  : 0;
	if (dir < 0) {
		if (le->hist_pos <= oldest)
			return;
		if (le->hist_pos == le->hist_count) {
			le->buf[le->len] = '\0';
			strlcpy(le->saved, le->buf, sizeof(le->saved));
		}
		le->hist_pos--;
		replace_line(le, hist_entry(le, le->hist_pos));
	} else {
		if (le->hist_pos >= le->hist_count)
			return;
		le->hist_pos++;
		replace_line(le, le->hist_pos == le->hist_count
					 ? le->saved
					 : hist_entry(le, le->hist_pos));
	}
}

void le_history_add(struct line_editor *le, const char *line)
{
	const char *p = line;
	while (*p == ' ')
		p++;
	if (!*p)
		return;
	if (le->hist_count &&
	    strcmp(hist_entry(le, le->hist_count - 1), line) == 0)
		return;
	strlcpy(le->history[le->hist_count % SHELL_HISTORY], line,
		SHELL_LINE_MAX);
	le->hist_count++;
	le->hist_pos = le->hist_count;
}

static void move_left(struct line_editor *le)
{
	if (le->cursor) {
		le->cursor--;
		out(le, "\b", 1);
	}
}

static void move_right(struct line_editor *le)
{
	if (le->cursor < le->len) {
		out(le, &le->buf[le->cursor], 1);
		le->cursor++;
	}
}

/* Delete the character at the cursor and redraw the tail. */
static void delete_at_cursor(struct line_editor *le)
{
	if (le->cursor >= le->len)
		return;
	memmove(&le->buf[le->cursor], &le->buf[le->cursor + 1],
		le->len - le->cursor - 1);
	le->len--;
	out(le, &le->buf[le->cursor], le->len - le->cursor);
	out(le, " ", 1);
	backs(le, le->len - le->cursor + 1);
}

static void insert(struct line_editor *le, char c)
{
	if (le->len + 1 >= SHELL_LINE_MAX) {
		out(le, "\a", 1);
		return;
	}
	memmove(&le->buf[le->cursor + 1], &le->buf[le->cursor],
		le->len - le->cursor);
	le->buf[le->cursor] = c;
	le->len++;
	out(le, &le->buf[le->cursor], le->len - le->cursor);
	le->cursor++;
	backs(le, le->len - le->cursor);
}

static enum le_event escape(struct line_editor *le, int c)
{
	if (le->esc == 1) {
		le->esc = (c == '[' || c == 'O') ? 2 : 0;
		le->esc_arg = 0;
		return LE_NONE;
	}
	if (c >= '0' && c <= '9') { /* ESC [ n ~ */
		le->esc_arg = (char)c;
		return LE_NONE;
	}
	le->esc = 0;
	switch (c) {
	case 'A': hist_move(le, -1); break;
	case 'B': hist_move(le, 1); break;
	case 'C': move_right(le); break;
	case 'D': move_left(le); break;
	case 'H':
		while (le->cursor)
			move_left(le);
		break;
	case 'F':
		while (le->cursor < le->len)
			move_right(le);
		break;
	case '~':
		if (le->esc_arg == '3')
			delete_at_cursor(le);
		else if (le->esc_arg == '1' || le->esc_arg == '7')
			while (le->cursor)
				move_left(le);
		else if (le->esc_arg == '4' || le->esc_arg == '8')
			while (le->cursor < le->len)
				move_right(le);
		break;
	}
	return LE_NONE;
}

enum le_event le_feed(struct line_editor *le, int c)
{
	if (le->esc)
		return escape(le, c);
	switch (c) {
	case 27: le->esc = 1; return LE_NONE;
	case '\r':
	case '\n':
		le->buf[le->len] = '\0';
		out(le, "\n", 1);
		return LE_LINE;
	case 0x7f:
	case '\b':
		if (le->cursor) {
			move_left(le);
			delete_at_cursor(le);
		}
		return LE_NONE;
	case 1: /* Ctrl-A */
		while (le->cursor)
			move_left(le);
		return LE_NONE;
	case 5: /* Ctrl-E */
		while (le->cursor < le->len)
			move_right(le);
		return LE_NONE;
	case 3: /* Ctrl-C */
		out(le, "^C\n", 3);
		le_reset(le);
		return LE_CANCEL;
	case 21: /* Ctrl-U */
		le->buf[le->len] = '\0';
		replace_line(le, le->buf + le->cursor);
		while (le->cursor)
			move_left(le);
		return LE_NONE;
	}
	if (c >= 0x20 && c < 0x7f)
		insert(le, (char)c);
	return LE_NONE;
}

int shell_split(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return argc;
		if (argc == max)
			return -1;
		char *w = p;
		if (*p == '"') {
			w = ++p;
			while (*p && *p != '"')
				p++;
		} else {
			while (*p && *p != ' ' && *p != '\t')
				p++;
		}
		argv[argc++] = w;
		if (*p)
			*p++ = '\0';
	}
}

bool shell_parse_int(const char *s, long *out)
{
	bool neg = false;
	long v = 0;

	if (*s == '-') {
		neg = true;
		s++;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (0x7fffffffL - 9) / 10)
			return false;
		v = v * 10 + (*s - '0');
	}
	*out = neg ? -v : v;
	return true;
}

const struct shell_cmd *shell_cmd_find(const struct shell_cmd *cmds, size_t n,
				       const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

const struct shell_cmd *shell_cmd_next(const struct shell_cmd *cmds, size_t n,
				       const struct shell_cmd *prev)
{
	const struct shell_cmd *next = NULL;

	for (size_t i = 0; i < n; i++) {
		if (prev && strcmp(cmds[i].name, prev->name) <= 0)
			continue;
		if (!next || strcmp(cmds[i].name, next->name) < 0)
			next = &cmds[i];
	}
	return next;
}

int shell_dispatch(const struct shell_cmd *cmds, size_t n, int argc,
		   char **argv, shell_write_fn write)
{
	if (argc == 0)
		return 0;
	const struct shell_cmd *c = shell_cmd_find(cmds, n, argv[0]);
	if (c)
		return c->run(argc, argv);
	write(argv[0], strlen(argv[0]));
	write(": unknown command (try 'help')\n", 31);
	return -2;
}
