/*
 * Long paths in tar archives, built here byte by byte as GNU tar writes
 * them: the ustar prefix field, GNU long-name headers ('L') and PAX
 * extended headers ('x', 'g'); broken and dangling ones; paths over the
 * ramdisk's limit. Every case puts a file after the one under test and
 * checks that it still loads: one bad member never costs the rest.
 */
#include <kernel/printk.h>
#include <kernel/ramdisk.h>
#include <kernel/tar.h>
#include <ktest.h>
#include <lib/err.h>
#include <string.h>

static uint8_t tar[24 * 512];
static size_t tar_len;
static struct ramdisk rd;
static char reported[160];
static unsigned reports;

enum magic { POSIX, GNU };

static void report(const char *name, const char *why)
{
	snprintf(reported, sizeof(reported), "%s: %s", name, why);
	reports++;
}

static void start(void)
{
	memset(tar, 0, sizeof(tar));
	tar_len = 0;
	memset(&rd, 0, sizeof(rd));
	rd.report = report;
	reported[0] = '\0';
	reports = 0;
}

/* Append a member: header (name, prefix, typeflag, magic) and body. */
static void member(const char *name, const char *prefix, char type,
		   enum magic magic, const void *body, size_t size)
{
	uint8_t *h = tar + tar_len;
	unsigned sum = 0;

	memcpy(h, name, strnlen(name, 100));
	snprintf((char *)h + 100, 8, "%07o", 0644);
	snprintf((char *)h + 124, 12, "%011o", (unsigned)size);
	h[156] = (uint8_t)type;
	if (magic == POSIX) {
		memcpy(h + 257, "ustar", 6);
		memcpy(h + 263, "00", 2);
		if (prefix)
			memcpy(h + 345, prefix, strnlen(prefix, 155));
	} else {
		memcpy(h + 257, "ustar  ", 8);
	}
	memset(h + 148, ' ', 8);
	for (unsigned i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	memcpy(h + 512, body, size);
	tar_len += 512 + (size + 511) / 512 * 512;
}

static void file(const char *name, const char *text)
{
	member(name, NULL, '0', POSIX, text, strlen(text));
}

/* A PAX record "LEN key=value\n", LEN counting its own digits, appended
 * to buf at *n. */
static void pax_record(char *buf, size_t *n, const char *key, const char *value)
{
	size_t body = strlen(" =\n") + strlen(key) + strlen(value);
	size_t len = body + 1, digits = 1;

	for (size_t ten = 10; len >= ten; ten *= 10)
		len = body + ++digits;
	*n += (size_t)snprintf(buf + *n, 600, "%zu %s=%s\n", len, key, value);
}

static void fill(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
}

/* Load the archive; it must not be damaged. */
static int load(void)
{
	const char *why = "";
	return ramdisk_add_tar(&rd, tar, tar_len + 1024, &why);
}

static bool has(const char *name, const char *text)
{
	const struct ramdisk_file *f = ramdisk_find(&rd, name);
	return f && f->size == strlen(text) &&
	       memcmp(f->data, text, f->size) == 0;
}

KTEST(ramdisk, ustar_prefix_and_name_make_the_path)
{
	char prefix[156], name[101], path[260];

	/* The 200-character path: 99 + "/" + 100. */
	start();
	fill(prefix, 'p', 99);
	fill(name, 'n', 100);
	file("first", "1");
	member(name, prefix, '0', POSIX, "long", 4);
	file("after", "2");
	KT_EXPECT_EQ(t, load(), 3);
	snprintf(path, sizeof(path), "%s/%s", prefix, name);
	KT_EXPECT_EQ(t, strlen(path), 200);
	KT_EXPECT(t, has(path, "long"));
	KT_EXPECT(t, has("after", "2"));
	KT_EXPECT_EQ(t, reports, 0);

	/* The longest a ustar header holds: 155 + "/" + 100 = 256. */
	start();
	fill(prefix, 'p', 155);
	file("first", "1");
	member(name, prefix, '0', POSIX, "longest", 7);
	file("after", "2");
	KT_EXPECT_EQ(t, load(), 3);
	snprintf(path, sizeof(path), "%s/%s", prefix, name);
	KT_EXPECT_EQ(t, strlen(path), RAMDISK_NAME_MAX);
	KT_EXPECT(t, has(path, "longest"));
	KT_EXPECT(t, has("after", "2"));
}

KTEST(ramdisk, gnu_archives_have_no_prefix_field)
{
	start();
	/* GNU tar keeps times in the prefix's bytes: not a path. */
	member("gnu.txt", NULL, '0', GNU, "g", 1);
	uint8_t *h = tar;
	memcpy(h + 345, "12345670123", 11);
	unsigned sum = 0;
	memset(h + 148, ' ', 8);
	for (unsigned i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	file("after", "2");
	KT_EXPECT(t, tar_is_archive(tar, tar_len));
	KT_EXPECT_EQ(t, load(), 2);
	KT_EXPECT(t, has("gnu.txt", "g"));
	KT_EXPECT(t, has("after", "2"));
}

KTEST(ramdisk, gnu_long_name_names_the_next_member)
{
	char name[160];

	start();
	fill(name, 'g', 150);
	memcpy(name + 145, ".wasm", 6);
	file("first", "1");
	member("././@LongLink", NULL, 'L', GNU, name, strlen(name) + 1);
	member(name, NULL, '0', GNU, "body", 4); /* the 100-char stand-in */
	file("after", "2");
	KT_EXPECT_EQ(t, load(), 3);
	KT_EXPECT(t, has(name, "body"));
	name[100] = '\0';
	KT_EXPECT(t, ramdisk_find(&rd, name) == NULL);
	KT_EXPECT(t, has("after", "2"));
	KT_EXPECT_EQ(t, reports, 0);
	KT_EXPECT_EQ(t, rd.count, 3);
}

KTEST(ramdisk, pax_path_names_the_next_member)
{
	char name[200], pax[600];
	size_t n = 0;

	start();
	fill(name, 'x', 180);
	pax_record(pax, &n, "path", name);
	file("first", "1");
	member("PaxHeaders/stand-in", NULL, 'x', POSIX, pax, n);
	member("stand-in", NULL, '0', POSIX, "pax", 3);
	file("after", "2");
	KT_EXPECT_EQ(t, load(), 3);
	KT_EXPECT(t, has(name, "pax"));
	KT_EXPECT(t, ramdisk_find(&rd, "stand-in") == NULL);
	KT_EXPECT(t, has("after", "2"));
	KT_EXPECT_EQ(t, reports, 0);
}

KTEST(ramdisk, pax_other_records_and_global_headers_are_read_past)
{
	char pax[600];
	size_t n = 0;

	start();
	/* A global header's path names no member. */
	pax_record(pax, &n, "path", "global-not-a-name");
	pax_record(pax, &n, "comment", "made by hand");
	member("GlobalHead.0", NULL, 'g', POSIX, pax, n);
	n = 0;
	pax_record(pax, &n, "mtime", "1700000000.123456789");
	pax_record(pax, &n, "uname", "someone with spaces");
	pax_record(pax, &n, "path", "dir/real name = with equals.wasm");
	pax_record(pax, &n, "SCHILY.xattr.user.x", "a=b");
	pax_record(pax, &n, "linkpath", "ignored");
	member("PaxHeaders/real", NULL, 'x', POSIX, pax, n);
	member("stand-in", NULL, '0', POSIX, "pax", 3);
	/* A PAX header without path: the ustar name stands. */
	n = 0;
	pax_record(pax, &n, "mtime", "1");
	member("PaxHeaders/plain", NULL, 'x', POSIX, pax, n);
	file("plain", "p");
	/* An empty path deletes the one before it. */
	n = 0;
	pax_record(pax, &n, "path", "earlier");
	pax_record(pax, &n, "path", "");
	member("PaxHeaders/deleted", NULL, 'x', POSIX, pax, n);
	file("ustar-name", "u");
	file("after", "2");
	KT_EXPECT_EQ(t, load(), 4);
	KT_EXPECT(t, has("dir/real name = with equals.wasm", "pax"));
	KT_EXPECT(t, ramdisk_find(&rd, "global-not-a-name") == NULL);
	KT_EXPECT(t, has("plain", "p"));
	KT_EXPECT(t, has("ustar-name", "u"));
	KT_EXPECT(t, has("after", "2"));
	KT_EXPECT_EQ(t, reports, 0);
}

/* A broken extension header refuses the member after it, by its ustar
 * name, and the next member still loads. */
static void expect_refused(struct ktest *t, const char *ext, size_t n,
			   char type, const char *why)
{
	char want[160];

	start();
	file("first", "1");
	member("ext", NULL, type, type == 'L' ? GNU : POSIX, ext, n);
	member("victim", NULL, '0', POSIX, "v", 1);
	file("after", "2");
	KT_EXPECT_EQ(t, load(), 2);
	KT_EXPECT(t, ramdisk_find(&rd, "victim") == NULL);
	KT_EXPECT(t, has("first", "1"));
	KT_EXPECT(t, has("after", "2"));
	KT_EXPECT_EQ(t, reports, 1);
	KT_EXPECT_EQ(t, rd.refused, 1);
	snprintf(want, sizeof(want), "victim: %s", why);
	KT_EXPECT_STREQ(t, reported, want);
}

KTEST(ramdisk, broken_extension_headers_refuse_one_member)
{
	static const char *const bad_pax[] = {
		"hello world, no records here\n",
		"300 path=cut short\n", /* longer than the header */
		"13 path=abc\n",	/* one byte short of its length */
		"12 pathabc\n\n",	/* no '=' */
		"6 =ab\n",		/* no key */
		" 9 path=\n",		/* no length */
		"99999999999 path=a\n", /* absurd length */
		"10 path=a",		/* no newline, length past the end */
	};
	for (unsigned i = 0; i < sizeof(bad_pax) / sizeof(bad_pax[0]); i++) {
		ktest_log(t, "PAX data %u", i);
		expect_refused(t, bad_pax[i], strlen(bad_pax[i]), 'x',
			       "its PAX extended header is malformed");
	}
	/* A NUL inside the path value. */
	expect_refused(t, "12 path=a\0b\n", 12, 'x',
		       "its PAX path holds a NUL byte");
	/* An empty GNU long name (size 0, or only NULs). */
	expect_refused(t, "", 0, 'L', "its GNU long-name header is empty");
	expect_refused(t, "\0\0\0", 3, 'L',
		       "its GNU long-name header is empty");
}

KTEST(ramdisk, a_long_name_at_the_end_names_nothing)
{
	char pax[600];
	size_t n = 0;

	start();
	file("first", "1");
	member("././@LongLink", NULL, 'L', GNU, "dangling.wasm", 14);
	KT_EXPECT_EQ(t, load(), 1);
	KT_EXPECT(t, has("first", "1"));
	KT_EXPECT_EQ(t, reports, 1);
	KT_EXPECT_STREQ(t, reported,
			"dangling.wasm: a long name with no member after it");

	/* The same at the very end of the data, with no zero blocks. */
	start();
	file("first", "1");
	pax_record(pax, &n, "path", "dangling-pax.wasm");
	member("PaxHeaders/x", NULL, 'x', POSIX, pax, n);
	const char *why = "";
	KT_EXPECT_EQ(t, ramdisk_add_tar(&rd, tar, tar_len, &why), 1);
	KT_EXPECT_STREQ(
		t, reported,
		"dangling-pax.wasm: a long name with no member after it");
}

KTEST(ramdisk, paths_over_the_limit_are_refused_one_by_one)
{
	char name[400], pax[600], want[160];
	size_t n = 0;

	start();
	fill(name, 'a', 300);
	memcpy(name + 290, "/prog.wasm", 11);
	file("first", "1");
	member("././@LongLink", NULL, 'L', GNU, name, strlen(name) + 1);
	member(name, NULL, '0', GNU, "x", 1);
	fill(name, 'b', RAMDISK_NAME_MAX + 1);
	pax_record(pax, &n, "path", name);
	member("PaxHeaders/b", NULL, 'x', POSIX, pax, n);
	member("stand-in-b", NULL, '0', POSIX, "b", 1);
	file("after", "2");
	KT_EXPECT_EQ(t, load(), 2);
	KT_EXPECT(t, has("first", "1"));
	KT_EXPECT(t, has("after", "2"));
	KT_EXPECT(t, ramdisk_find(&rd, "stand-in-b") == NULL);
	KT_EXPECT_EQ(t, reports, 2);
	KT_EXPECT_EQ(t, rd.refused, 2);
	/* The message names the member: its start and its end. */
	snprintf(want, sizeof(want),
		 "%.48s...%.20s: its path has %d characters, the ramdisk "
		 "keeps at most %d",
		 name, name, RAMDISK_NAME_MAX + 1, RAMDISK_NAME_MAX);
	KT_EXPECT_STREQ(t, reported, want);

	/* The limit counts the path without a leading "./". */
	start();
	memcpy(name, "./", 2);
	fill(name + 2, 'c', RAMDISK_NAME_MAX);
	member("././@LongLink", NULL, 'L', GNU, name, strlen(name) + 1);
	member(name, NULL, '0', GNU, "c", 1);
	file("after", "2");
	KT_EXPECT_EQ(t, load(), 2);
	KT_EXPECT(t, has(name + 2, "c"));
	KT_EXPECT_EQ(t, reports, 0);
}

KTEST(ramdisk, a_name_that_came_earlier_is_reported)
{
	start();
	file("same", "1");
	file("./same", "2");
	file("after", "3");
	KT_EXPECT_EQ(t, load(), 2);
	KT_EXPECT(t, has("same", "1"));
	KT_EXPECT(t, has("after", "3"));
	KT_EXPECT_STREQ(t, reported,
			"./same: the ramdisk already has a file of that name");
}
