/*
 * The tar reader (see <kernel/tar.h>): ustar headers, and the GNU and PAX
 * extension headers that carry paths longer than the ustar fields hold.
 */
#include <kernel/tar.h>
#include <lib/err.h>
#include <string.h>

/* ustar header fields: offset, length. */
#define H_NAME	    0, 100
#define H_SIZE	    124, 12
#define H_CHKSUM    148, 8
#define H_TYPE	    156
#define H_MAGIC	    257
#define H_PREFIX    345, 155
#define H_PREFIX_AT 345

/* The longest ustar path: 155-character prefix, "/", 100-character name. */
#define USTAR_PATH_MAX 256

/* Parse an octal field (NUL- or space-terminated, leading spaces allowed).
 * Returns false for anything else. */
static bool octal(const uint8_t *h, unsigned off, unsigned len, uint64_t *out)
{
	uint64_t v = 0;
	unsigned i = off, end = off + len;
	bool digits = false;

	while (i < end && h[i] == ' ')
		i++;
	for (; i < end && h[i] >= '0' && h[i] <= '7'; i++) {
		if (v >> 60)
			return false;
		v = v * 8 + (h[i] - '0');
		digits = true;
	}
	for (; i < end; i++) {
		if (h[i] != ' ' && h[i] != '\0')
			return false;
	}
	*out = v;
	return digits;
}

static bool checksum_ok(const uint8_t *h)
{
	uint64_t want;
	unsigned sum = 0;

	if (!octal(h, H_CHKSUM, &want))
		return false;
	for (unsigned i = 0; i < TAR_BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return sum == want;
}

static bool all_zero(const uint8_t *h)
{
	for (unsigned i = 0; i < TAR_BLOCK; i++) {
		if (h[i])
			return false;
	}
	return true;
}

bool tar_is_archive(const uint8_t *data, size_t size)
{
	return size >= TAR_BLOCK && memcmp(data + H_MAGIC, "ustar", 5) == 0 &&
	       checksum_ok(data);
}

/* A fixed-width field that may lack its NUL: its length. */
static size_t field_len(const uint8_t *h, unsigned off, unsigned len)
{
	return strnlen((const char *)h + off, len);
}

/* The ustar path of header h, prefix "/" name, into buf; its length. Only
 * POSIX archives ("ustar\0") have a prefix: GNU ones ("ustar  ") keep
 * times and sparse maps in those bytes. */
static size_t ustar_path(const uint8_t *h, char *buf)
{
	size_t nlen = field_len(h, H_NAME);
	size_t plen = memcmp(h + H_MAGIC, "ustar", 6) == 0
			      ? field_len(h, H_PREFIX)
			      : 0;
	size_t n = 0;

	if (plen) {
		memcpy(buf, h + H_PREFIX_AT, plen);
		buf[plen] = '/';
		n = plen + 1;
	}
	memcpy(buf + n, h, nlen);
	return n + nlen;
}

/* What the extension headers before a member said about it. */
struct pending {
	const char *name; /* long name, or NULL: use the ustar path */
	size_t len;
	const char *bad; /* why an extension header was unusable */
	char type;	 /* the last extension header's typeflag */
};

/* A GNU long name: the member's bytes up to the first NUL. */
static void gnu_long_name(const uint8_t *p, size_t n, struct pending *pd)
{
	size_t len = strnlen((const char *)p, n);

	if (len == 0) {
		pd->bad = "its GNU long-name header is empty";
		return;
	}
	pd->name = (const char *)p;
	pd->len = len;
}

/*
 * The `path` record of a PAX extended header [p, p + n). Records are
 * "LEN KEY=VALUE\n", LEN the record's length in decimal, itself included;
 * other keys (times, owners, sizes a 32-bit kernel cannot hold anyway) are
 * not needed here. An empty value deletes the path (the ustar one then
 * stands); trailing NUL padding is tolerated. Any malformed record makes
 * the whole header unusable: what it says about the path cannot be known.
 */
static void pax_path(const uint8_t *p, size_t n, struct pending *pd)
{
	size_t off = 0;

	while (off < n && p[off] != '\0') {
		uint64_t len = 0;
		size_t i = off;

		while (i < n && i - off < 10 && p[i] >= '0' && p[i] <= '9')
			len = len * 10 + (uint64_t)(p[i++] - '0');
		/* digits, a space, "k=", a newline at the record's end */
		if (i == off || i >= n || p[i] != ' ' || len > n - off ||
		    len < i - off + 4 || p[off + len - 1] != '\n') {
			pd->bad = "its PAX extended header is malformed";
			return;
		}
		const uint8_t *key = p + i + 1, *end = p + off + len - 1;
		const uint8_t *eq = memchr(key, '=', (size_t)(end - key));
		if (!eq || eq == key) {
			pd->bad = "its PAX extended header is malformed";
			return;
		}
		if (eq - key == 4 && memcmp(key, "path", 4) == 0) {
			size_t vlen = (size_t)(end - eq - 1);
			if (memchr(eq + 1, '\0', vlen)) {
				pd->bad = "its PAX path holds a NUL byte";
				return;
			}
			pd->name = vlen ? (const char *)eq + 1 : NULL;
			pd->len = vlen;
		}
		off += (size_t)len;
	}
}

int tar_walk(const uint8_t *data, size_t size, tar_visit_fn *visit, void *ctx,
	     const char **why)
{
	struct pending pd = {0};
	char path[USTAR_PATH_MAX];
	size_t off = 0;
	int count = 0;

	while (off + TAR_BLOCK <= size) {
		const uint8_t *h = data + off;
		if (all_zero(h))
			break; /* end-of-archive marker */
		if (!checksum_ok(h)) {
			*why = "bad header checksum";
			return -EINVAL;
		}
		uint64_t fsize;
		if (!octal(h, H_SIZE, &fsize)) {
			*why = "bad size field";
			return -EINVAL;
		}
		if (fsize > size - off - TAR_BLOCK) {
			*why = "a file runs past the end of the archive";
			return -E2BIG;
		}
		const uint8_t *body = h + TAR_BLOCK;
		char type = (char)h[H_TYPE];
		off += TAR_BLOCK +
		       ((fsize + TAR_BLOCK - 1) / TAR_BLOCK) * TAR_BLOCK;

		switch (type) {
		case 'L':
			pd.type = type;
			gnu_long_name(body, (size_t)fsize, &pd);
			continue;
		case 'x':
			pd.type = type;
			pax_path(body, (size_t)fsize, &pd);
			continue;
		case 'g': /* global PAX records: none names one member */
		case 'K': /* a long link target: links are not files here */
			continue;
		}
		struct tar_entry e = {pd.name, pd.len,	      type,
				      body,    (size_t)fsize, pd.bad};
		if (!pd.name || pd.bad) {
			e.name = path;
			e.name_len = ustar_path(h, path);
		}
		visit(ctx, &e);
		count++;
		pd = (struct pending){0};
	}
	/* A long name the archive ends on names nothing: say so, or a file
	 * the writer meant to store would vanish without a word. */
	if (pd.name || pd.bad) {
		struct tar_entry e = {pd.name ? pd.name : "",
				      pd.len,
				      pd.type,
				      NULL,
				      0,
				      "a long name with no member after it"};
		visit(ctx, &e);
	}
	/* Running out without the zero blocks: accept what was read, as
	 * GNU tar does, if at least the headers were whole. */
	return count;
}
