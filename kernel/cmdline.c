/*
 * Kernel command-line parsing. See <kernel/cmdline.h> for the grammar.
 */
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <lib/err.h>
#include <string.h>

/* The kernel's own option words; `name=` entries take a value. */
static const char *const known_options[] = {
	"test",	  "test=", "quiet", "bench",	  "run=",     "time",
	"crash=", "fuzz",  "fuzz=", "fuzz-seed=", "run-mem=", "--",
};

/* Options a driver or platform reads itself (CMDLINE_OPTION): the
 * `cmdline_options` section (arch/<arch>/kernel.ld). */
extern const struct cmdline_option __start_cmdline_options[];
extern const struct cmdline_option __stop_cmdline_options[];

/* Whether word[0..len) is `name` or `name=...`. */
static bool word_names(const char *word, size_t len, const char *name)
{
	size_t n = strlen(name);

	return len >= n && memcmp(word, name, n) == 0 &&
	       (len == n || word[n] == '=');
}

static bool is_registered_option(const char *word, size_t len)
{
	for (const struct cmdline_option *o = __start_cmdline_options;
	     o < __stop_cmdline_options; o++)
		if (word_names(word, len, o->name))
			return true;
	return false;
}

static bool is_known_option(const char *word, size_t len)
{
	for (unsigned i = 0;
	     i < sizeof(known_options) / sizeof(known_options[0]); i++) {
		const char *opt = known_options[i];
		size_t n = strlen(opt);
		if (opt[n - 1] == '=' ? len >= n && memcmp(word, opt, n) == 0
				      : len == n && memcmp(word, opt, n) == 0)
			return true;
	}
	return is_registered_option(word, len);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char *next_word(char **cursor)
{
	char *p = *cursor;

	while (is_space(*p))
		p++;
	if (!*p) {
		*cursor = p;
		return NULL;
	}
	char *word = p;
	while (*p && !is_space(*p))
		p++;
	if (*p)
		*p++ = '\0';
	*cursor = p;
	return word;
}

/* A decimal number of at most 9 digits (no sign): false if `s` is not
 * one. Enough for milliseconds and seeds, and it cannot overflow. */
bool cmdline_number(const char *s, unsigned long *out)
{
	unsigned long v = 0;
	int digits = 0;

	for (; *s; s++, digits++) {
		if (*s < '0' || *s > '9' || digits == 9)
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return digits > 0;
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
	unsigned long value;

	memset(cl, 0, sizeof(*cl));
	while ((word = next_word(&cursor)) != NULL) {
		if (++words > CMDLINE_MAX_WORDS) {
			if (!cl->ignored++)
				cl->first_ignored = word;
			rc = -E2BIG;
			continue;
		}
		if (first && may_have_image_path &&
		    !is_known_option(word, strlen(word))) {
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
		} else if (strcmp(word, "fuzz") == 0) {
			cl->fuzz = true;
		} else if (strncmp(word, "fuzz=", 5) == 0 &&
			   cmdline_number(word + 5, &value) && value > 0) {
			cl->fuzz = true;
			cl->fuzz_ms = value;
		} else if (strncmp(word, "fuzz-seed=", 10) == 0 &&
			   cmdline_number(word + 10, &value)) {
			cl->fuzz_seed = value;
			cl->fuzz_seed_set = true;
		} else if (strncmp(word, "run-mem=", 8) == 0 &&
			   cmdline_number(word + 8, &value) && value > 0 &&
			   value <= 4096) {
			cl->run_mem_mb = value;
		} else if (is_registered_option(word, strlen(word))) {
			/* its user reads it: cmdline_get() */
		} else {
			add_unknown(cl, word);
		}
	}
	return rc;
}

/* The next word at or after *p, as [word, word + *len); NULL at the end. */
static const char *word_at(const char **p, size_t *len)
{
	while (is_space(**p))
		(*p)++;
	if (!**p)
		return NULL;
	const char *word = *p;
	while (**p && !is_space(**p))
		(*p)++;
	*len = (size_t)(*p - word);
	return word;
}

bool cmdline_find(const char *line, bool may_have_image_path, const char *name,
		  char *value, size_t size)
{
	const char *p = line, *word, *found = NULL;
	size_t len, found_len = 0, name_len = strlen(name);
	int words = 0;

	while ((word = word_at(&p, &len)) != NULL &&
	       ++words <= CMDLINE_MAX_WORDS) {
		if (words == 1 && may_have_image_path &&
		    !is_known_option(word, len))
			continue; /* the kernel's path */
		if (len == 2 && memcmp(word, "--", 2) == 0)
			break; /* the program's words */
		if (word_names(word, len, name)) {
			/* "name=value": after the '='; a bare "name": "" */
			size_t skip = len > name_len ? name_len + 1 : name_len;
			found = word + skip;
			found_len = len - skip;
		}
	}
	if (!found)
		return false;
	if (size) {
		size_t n = found_len < size - 1 ? found_len : size - 1;
		memcpy(value, found, n);
		value[n] = '\0';
	}
	return true;
}

const char *cmdline_boot_line(const struct boot_info *bi,
			      bool *may_have_image_path)
{
	/* A line whose every word was dropped is still the loader's. */
	bool from_loader = bi && (bi->cmdline[0] || bi->cmdline_dropped);

	*may_have_image_path = from_loader && bi->cmdline_has_image_path;
	return from_loader ? bi->cmdline : CONFIG_CMDLINE;
}

bool cmdline_get(const struct boot_info *bi, const char *name, char *value,
		 size_t size)
{
	bool image_path;
	const char *line = cmdline_boot_line(bi, &image_path);

	return cmdline_find(line, image_path, name, value, size);
}

unsigned cmdline_cpus(const char *line, bool may_have_image_path,
		      unsigned found, bool *bad)
{
	char value[12]; /* a longer count is cut, then refused: 9 digits */
	unsigned long want;

	*bad = false;
	if (cmdline_find(line, may_have_image_path, "nosmp", NULL, 0))
		return 1;
	if (!cmdline_find(line, may_have_image_path, "smp", value,
			  sizeof(value)))
		return found;
	if (!cmdline_number(value, &want) || want == 0) {
		*bad = true;
		return found;
	}
	return want < found ? (unsigned)want : found;
}

/* Append [s, s + len) to `out` at *d if it fits in `cap` characters. */
static bool append(char *out, size_t *d, size_t cap, const char *s, size_t len)
{
	if (*d + len > cap)
		return false;
	memcpy(out + *d, s, len);
	*d += len;
	out[*d] = '\0';
	return true;
}

/* The longest last word shown after " ... " */
#define LAST_SHOWN 40

/*
 * Name the dropped words, from `from` to the end of the line, in
 * bi->cmdline_dropped_words: all of them when they fit; else as many as
 * fit from the first, " ... " and the last one (an option at the end,
 * such as run=, is the likeliest to matter). A word too long to show is
 * cut to its start and "...".
 */
static void name_dropped(struct boot_info *bi, const char *from,
			 const char *last, size_t last_len)
{
	char *out = bi->cmdline_dropped_words;
	const size_t cap = BOOT_CMDLINE_DROPPED - 1;
	const char *p = from, *word;
	size_t d = 0, len, total = 0;

	out[0] = '\0';
	if (bi->cmdline_dropped == 1) {
		if (!append(out, &d, cap, last, last_len)) {
			append(out, &d, cap, last, cap - 3);
			append(out, &d, cap, "...", 3);
		}
		return;
	}
	while ((word = word_at(&p, &len)) != NULL)
		total += (total ? 1 : 0) + len;
	size_t tail = last_len > LAST_SHOWN ? LAST_SHOWN : last_len;
	size_t budget = total <= cap ? cap : cap - 5 - tail;
	p = from;
	while ((word = word_at(&p, &len)) != NULL && word != last) {
		size_t sep = d ? 1 : 0;
		if (d + sep + len > budget)
			break;
		append(out, &d, cap, " ", sep);
		append(out, &d, cap, word, len);
	}
	if (total <= cap) {
		append(out, &d, cap, " ", 1);
		append(out, &d, cap, last, last_len);
		return;
	}
	if (d == 0) { /* the first is too long by itself: its start */
		append(out, &d, cap, word, budget - 3);
		append(out, &d, cap, "...", 3);
	}
	/* " ... " where words are left out */
	append(out, &d, cap, word == last ? " " : " ... ",
	       word == last ? 1 : 5);
	if (last_len > LAST_SHOWN) {
		append(out, &d, cap, last, LAST_SHOWN - 3);
		append(out, &d, cap, "...", 3);
	} else {
		append(out, &d, cap, last, last_len);
	}
}

void cmdline_copy(struct boot_info *bi, const char *src)
{
	size_t n = 0, len;
	const char *p = src, *from = NULL, *word, *last = NULL;
	size_t last_len = 0;

	bi->cmdline[0] = '\0';
	bi->cmdline_dropped_words[0] = '\0';
	bi->cmdline_dropped = 0;
	bi->cmdline_len = src ? strlen(src) : 0;
	if (bi->cmdline_len < BOOT_CMDLINE_MAX) {
		memcpy(bi->cmdline, src ? src : "", bi->cmdline_len + 1);
		return;
	}
	/* Each word with the spaces before it, as the loader wrote them. */
	for (const char *start = p; (word = word_at(&p, &len)) != NULL;
	     start = p) {
		size_t with_spaces = (size_t)(p - start);
		if (!from && n + with_spaces < BOOT_CMDLINE_MAX) {
			memcpy(bi->cmdline + n, start, with_spaces);
			n += with_spaces;
			continue;
		}
		if (!from)
			from = word;
		bi->cmdline_dropped++;
		last = word;
		last_len = len;
	}
	bi->cmdline[n] = '\0';
	if (from)
		name_dropped(bi, from, last, last_len);
}

size_t cmdline_cut_notice(const struct boot_info *bi, char *buf, size_t size)
{
	if (!bi->cmdline_dropped) {
		if (size)
			buf[0] = '\0';
		return 0;
	}
	int n = snprintf(
		buf, size,
		"cmdline: %zu characters, only the first %zu are "
		"used: %u word%s dropped: %s\n",
		bi->cmdline_len, strlen(bi->cmdline), bi->cmdline_dropped,
		bi->cmdline_dropped == 1 ? "" : "s", bi->cmdline_dropped_words);
	if (n < 0 || !size)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}
