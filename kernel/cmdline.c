/*
 * Kernel command-line parsing. See <kernel/cmdline.h> for the grammar.
 */
#include <kernel/cmdline.h>
#include <kernel/err.h>
#include <string.h>

/* Known option words; `name=` entries take a value. */
static const char *const known_options[] = {
	"test", "test=", "quiet", "bench", "run=", "time", "vga=", "crash=", "--",
};

static bool is_known_option(const char *word)
{
	for (unsigned i = 0; i < sizeof(known_options) / sizeof(known_options[0]);
	     i++) {
		const char *opt = known_options[i];
		size_t len = strlen(opt);
		if (opt[len - 1] == '=' ? strncmp(word, opt, len) == 0
					: strcmp(word, opt) == 0)
			return true;
	}
	return false;
}

static char *next_word(char **cursor)
{
	char *p = *cursor;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (!*p) {
		*cursor = p;
		return NULL;
	}
	char *word = p;
	while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
		p++;
	if (*p)
		*p++ = '\0';
	*cursor = p;
	return word;
}

static void add_unknown(struct cmdline *cl, const char *word)
{
	if (cl->unknown_count < CMDLINE_MAX_WORDS)
		cl->unknown[cl->unknown_count++] = word;
}

int cmdline_parse(struct cmdline *cl, char *text, bool may_have_image_path)
{
	char *cursor = text;
	char *word;
	bool after_dashes = false;
	bool first = true;
	int words = 0;
	int rc = 0;

	memset(cl, 0, sizeof(*cl));
	while ((word = next_word(&cursor)) != NULL) {
		if (++words > CMDLINE_MAX_WORDS) {
			rc = -E2BIG;
			break;
		}
		if (first && may_have_image_path && !is_known_option(word)) {
			first = false;
			cl->image_path = word;
			continue;
		}
		first = false;
		if (after_dashes) {
			cl->program_args[cl->program_argc++] = word;
		} else if (strcmp(word, "--") == 0) {
			after_dashes = true;
		} else if (strcmp(word, "test") == 0) {
			cl->test = true;
		} else if (strncmp(word, "test=", 5) == 0) {
			cl->test = true;
			cl->test_filter = word + 5;
		} else if (strcmp(word, "quiet") == 0) {
			cl->quiet = true;
		} else if (strcmp(word, "bench") == 0) {
			cl->bench = true;
		} else if (strncmp(word, "run=", 4) == 0 && word[4]) {
			cl->run = word + 4;
		} else if (strcmp(word, "time") == 0) {
			cl->time = true;
		} else if (strncmp(word, "crash=", 6) == 0 && word[6]) {
			cl->crash = word + 6;
		} else if (strncmp(word, "vga=", 4) == 0 && word[4]) {
			cl->vga = word + 4; /* checked by the video driver */
		} else {
			add_unknown(cl, word);
		}
	}
	return rc;
}
