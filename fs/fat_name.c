/*
 * FAT names: UTF-8 <-> UTF-16 for long names, 8.3 short names (given or
 * generated) and the checksum that ties long entries to their short one.
 */
#include "fat_internal.h"
#include <lib/err.h>
#include <string.h>

/* Characters a long name may not hold (besides controls). */
static bool lfn_forbidden(uint32_t c)
{
	return c < 0x20 || c == 0x7f ||
	       (c < 0x80 && strchr("\"*/:<>?\\|", (int)c) != NULL);
}

/* Decode one UTF-8 sequence at *p; -EINVAL if malformed. */
static int utf8_decode(const char **p, uint32_t *cp)
{
	const uint8_t *s = (const uint8_t *)*p;
	unsigned n;
	uint32_t c = s[0];

	if (c < 0x80)
		n = 0;
	else if ((c & 0xe0) == 0xc0)
		n = 1, c &= 0x1f;
	else if ((c & 0xf0) == 0xe0)
		n = 2, c &= 0x0f;
	else if ((c & 0xf8) == 0xf0)
		n = 3, c &= 0x07;
	else
		return -EINVAL;
	for (unsigned i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -EINVAL;
		c = c << 6 | (s[i] & 0x3f);
	}
	static const uint32_t min[] = {0, 0x80, 0x800, 0x10000};
	if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
		return -EINVAL;
	*p += n + 1;
	*cp = c;
	return 0;
}

int fat_utf8_to_ucs2(const char *name, uint16_t *out, unsigned *len)
{
	unsigned n = 0;
	size_t bytes = strlen(name);

	if (!bytes || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	/* Windows drops trailing dots and spaces: refuse them, so the name
	 * asked for is the name stored. */
	if (name[bytes - 1] == '.' || name[bytes - 1] == ' ')
		return -EINVAL;
	while (*name) {
		uint32_t c;
		if (utf8_decode(&name, &c) || lfn_forbidden(c))
			return -EINVAL;
		unsigned need = c >= 0x10000 ? 2 : 1;
		if (n + need > FAT_NAME_MAX)
			return -ENAMETOOLONG;
		if (c >= 0x10000) {
			c -= 0x10000;
			out[n++] = (uint16_t)(0xd800 | c >> 10);
			out[n++] = (uint16_t)(0xdc00 | (c & 0x3ff));
		} else {
			out[n++] = (uint16_t)c;
		}
	}
	*len = n;
	return 0;
}

static size_t put_utf8(char *out, size_t at, size_t size, uint32_t c)
{
	uint8_t tmp[4];
	unsigned n;

	if (c < 0x80)
		tmp[0] = (uint8_t)c, n = 1;
	else if (c < 0x800)
		tmp[0] = (uint8_t)(0xc0 | c >> 6),
		tmp[1] = (uint8_t)(0x80 | (c & 0x3f)), n = 2;
	else if (c < 0x10000)
		tmp[0] = (uint8_t)(0xe0 | c >> 12),
		tmp[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f)),
		tmp[2] = (uint8_t)(0x80 | (c & 0x3f)), n = 3;
	else
		tmp[0] = (uint8_t)(0xf0 | c >> 18),
		tmp[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f)),
		tmp[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f)),
		tmp[3] = (uint8_t)(0x80 | (c & 0x3f)), n = 4;
	if (at + n >= size)
		return at;
	memcpy(out + at, tmp, n);
	return at + n;
}

/* Unpaired surrogates (a damaged name) become U+FFFD. */
void fat_ucs2_to_utf8(const uint16_t *in, unsigned len, char *out, size_t size)
{
	size_t at = 0;

	for (unsigned i = 0; i < len; i++) {
		uint32_t c = in[i];
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < len &&
		    in[i + 1] >= 0xdc00 && in[i + 1] < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) +
			    (in[i + 1] - 0xdc00);
			i++;
		} else if (c >= 0xd800 && c < 0xe000) {
			c = 0xfffd;
		}
		at = put_utf8(out, at, size, c);
	}
	out[at] = '\0';
}

uint8_t fat_lfn_checksum(const uint8_t shortname[11])
{
	uint8_t sum = 0;

	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + shortname[i]);
	return sum;
}

static bool short_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("$%'-_@~`!(){}^#&", c));
}

bool fat_exact_short(const char *name, uint8_t out[11])
{
	const char *dot = strchr(name, '.');
	size_t base = dot ? (size_t)(dot - name) : strlen(name);
	size_t ext = dot ? strlen(dot + 1) : 0;

	if (base < 1 || base > 8 || ext > 3 ||
	    (dot && (!ext || strchr(dot + 1, '.'))))
		return false;
	memset(out, ' ', 11);
	for (size_t i = 0; i < base; i++) {
		if (!short_char(name[i]))
			return false;
		out[i] = (uint8_t)name[i];
	}
	for (size_t i = 0; i < ext; i++) {
		if (!short_char(dot[1 + i]))
			return false;
		out[8 + i] = (uint8_t)dot[1 + i];
	}
	return true;
}

static char short_form(char c)
{
	if (c >= 'a' && c <= 'z')
		return (char)(c - 'a' + 'A');
	return short_char(c) ? c : '_';
}

void fat_make_short(const char *name, unsigned n, uint8_t out[11])
{
	const char *dot = strrchr(name, '.');
	char tail[12];
	unsigned t = 0, b = 0;

	if (dot == name)
		dot = NULL; /* ".profile": all basis, no extension */
	memset(out, ' ', 11);
	do {
		tail[t++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	for (const char *p = name; *p && p != dot && b < 8 - (t + 1); p++) {
		if (*p == ' ' || *p == '.')
			continue;
		out[b++] = (uint8_t)short_form(*p);
	}
	if (b == 0)
		out[b++] = '_';
	out[b++] = '~';
	while (t)
		out[b++] = (uint8_t)tail[--t];
	if (dot)
		for (unsigned i = 0; i < 3 && dot[1 + i]; i++)
			out[8 + i] = (uint8_t)short_form(dot[1 + i]);
	if (out[0] == 0xe5)
		out[0] = 0x05;
}

/* The short name as text: "NAME.EXT", lower-cased where the entry's NT
 * byte says so (as Windows and Linux write "readme.txt"). */
void fat_short_to_utf8(const uint8_t *ent, char *out)
{
	unsigned n = 0;
	uint8_t nt = ent[12];

	for (unsigned i = 0; i < 8 && ent[i] != ' '; i++) {
		uint8_t c = i == 0 && ent[0] == 0x05 ? 0xe5 : ent[i];
		if ((nt & 0x08) && c >= 'A' && c <= 'Z')
			c = (uint8_t)(c - 'A' + 'a');
		out[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (ent[8] != ' ') {
		out[n++] = '.';
		for (unsigned i = 8; i < 11 && ent[i] != ' '; i++) {
			uint8_t c = ent[i];
			if ((nt & 0x10) && c >= 'A' && c <= 'Z')
				c = (uint8_t)(c - 'A' + 'a');
			out[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
	}
	out[n] = '\0';
}

bool fat_name_eq(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'a' && x <= 'z')
			x = (char)(x - 'a' + 'A');
		if (y >= 'a' && y <= 'z')
			y = (char)(y - 'a' + 'A');
		if (x != y)
			return false;
		if (!x)
			return true;
	}
}
