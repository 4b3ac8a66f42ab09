/*
 * `fstool IMAGE random SEED COUNT MODELDIR`: COUNT random operations on
 * the image through fs/ and the same on MODELDIR, a host directory that
 * mirrors the image's root; every result is compared as it comes, and at
 * the end every file and every listing. The model is read first, so a
 * run continues the previous one (tests/fs/fs-check runs batches with
 * fsck.fat between).
 */
#define _GNU_SOURCE
#include "fstool.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ENTS 600
#define MAX_FILE (48 * 1024)

struct ent {
	char path[600]; /* relative to the root */
	bool dir;
};
static struct ent ents[MAX_ENTS];
static unsigned nents;
static const char *model;
static unsigned long ops, checks;

static const char *const pool[] = {
	"a",
	"b.txt",
	"Long File Name Number One.data",
	"readme.md",
	"\xc3\x9c"
	"n\xc3\xaf"
	"code.txt",
	"sub",
	"data-2026-12-07.log",
	"q",
	"z.z.z",
	"MIXED Case",
	"x1",
	"y2",
	"zzzzzzzzzzzzzzzzzzzzzzzzzzzz",
	"dot.", /* refused by both: a trailing dot */
};

static void load(const char *rel)
{
	char full[700];
	snprintf(full, sizeof(full), "%s/%s", model, rel);
	DIR *d = opendir(full);
	struct dirent *de;

	if (!d)
		die(2, "cannot read model %s", full);
	while ((de = readdir(d)) && nents < MAX_ENTS) {
		if (de->d_name[0] == '.' &&
		    (!de->d_name[1] || !strcmp(de->d_name, "..")))
			continue;
		struct ent *e = &ents[nents++];
		snprintf(e->path, sizeof(e->path), "%s%s%s", rel,
			 *rel ? "/" : "", de->d_name);
		snprintf(full, sizeof(full), "%s/%s", model, e->path);
		struct stat st;
		stat(full, &st);
		e->dir = S_ISDIR(st.st_mode);
		if (e->dir)
			load(e->path);
	}
	closedir(d);
}

static char *mpath(const char *rel)
{
	static char buf[2][700];
	static int which;
	which ^= 1;
	snprintf(buf[which], sizeof(buf[which]), "%s/%s", model, rel);
	return buf[which];
}

static struct ent *pick(bool dir)
{
	unsigned n = 0;
	for (unsigned i = 0; i < nents; i++)
		n += ents[i].dir == dir;
	if (!n)
		return NULL;
	unsigned k = (unsigned)rand() % n;
	for (unsigned i = 0; i < nents; i++)
		if (ents[i].dir == dir && k-- == 0)
			return &ents[i];
	return NULL;
}

/* A directory ("" for the root) to put something in. */
static const char *pick_dir(void)
{
	struct ent *d = rand() % 3 ? pick(true) : NULL;
	return d && strchr(d->path, '/') == strrchr(d->path, '/') ? d->path
								  : "";
}

static struct ent *find(const char *path)
{
	for (unsigned i = 0; i < nents; i++)
		if (!strcasecmp(ents[i].path, path))
			return &ents[i];
	return NULL;
}

static void drop(struct ent *e)
{
	*e = ents[--nents];
}

static void expect(int got, int want, const char *what, const char *path)
{
	if (got != want)
		die(1, "op %lu %s %s: got %s, expected %s", ops, what, path,
		    err_name(got), err_name(want));
}

static long file_size(const char *rel)
{
	struct stat st;
	return stat(mpath(rel), &st) ? -1 : st.st_size;
}

/* Compare the whole file `rel` in the image and the model. */
static void compare(const char *rel)
{
	static uint8_t a[MAX_FILE * 3], b[MAX_FILE * 3];
	struct fat_node *n;
	int fd = open(mpath(rel), O_RDONLY);
	ssize_t len = read(fd, b, sizeof(b));
	close(fd);
	expect(tool_walk(rel, &n, NULL), 0, "lookup", rel);
	long got = fat_read(vol, n, a, sizeof(a), 0);
	if (got != len || fat_size(n) != (uint32_t)len ||
	    memcmp(a, b, (size_t)len))
		die(1, "op %lu: %s differs (image %ld bytes, model %zd)", ops,
		    rel, got, len);
	fat_put(vol, n);
	checks++;
}

static void random_bytes(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rand();
}

static void op_write(struct ent *e)
{
	static uint8_t buf[8192];
	struct fat_node *n;
	long size = file_size(e->path);
	uint64_t off = (uint64_t)rand() % (uint64_t)(size + 3000);
	size_t len = (size_t)rand() % sizeof(buf);

	if (off + len > MAX_FILE * 2)
		return;
	random_bytes(buf, len);
	expect(tool_walk(e->path, &n, NULL), 0, "lookup", e->path);
	long w = fat_write(vol, n, buf, len, off);
	fat_put(vol, n);
	if (w != (long)len)
		die(1, "op %lu write %s: %ld of %zu", ops, e->path, w, len);
	int fd = open(mpath(e->path), O_WRONLY);
	if (pwrite(fd, buf, len, (off_t)off) != (ssize_t)len)
		die(2, "model write failed");
	close(fd);
}

static void op_truncate(struct ent *e)
{
	struct fat_node *n;
	long size = file_size(e->path);
	uint64_t to = (uint64_t)rand() % (uint64_t)(size * 2 + 100);

	if (to > MAX_FILE * 2)
		to = MAX_FILE;
	expect(tool_walk(e->path, &n, NULL), 0, "lookup", e->path);
	expect(fat_set_size(vol, n, to), 0, "truncate", e->path);
	fat_put(vol, n);
	if (truncate(mpath(e->path), (off_t)to))
		die(2, "model truncate failed");
}

static void op_create(bool dir)
{
	char rel[700], name[1024];
	const char *in = pick_dir();
	const char *base =
		pool[(unsigned)rand() % (sizeof(pool) / sizeof(pool[0]))];
	struct fat_node *d, *n;

	snprintf(rel, sizeof(rel), "%s%s%s", in, *in ? "/" : "", base);
	bool exists = find(rel) != NULL;
	bool bad = base[strlen(base) - 1] == '.';
	expect(tool_walk(rel, &d, name), 0, "walk", rel);
	int err = fat_create(vol, d, name, dir, &n);
	fat_put(vol, d);
	expect(err, bad ? -EINVAL : exists ? -EEXIST : 0, "create", rel);
	if (err || nents == MAX_ENTS) {
		if (!err)
			fat_put(vol, n);
		return;
	}
	struct ent *e = &ents[nents++];
	snprintf(e->path, sizeof(e->path), "%s", rel);
	e->dir = dir;
	if (dir) {
		fat_put(vol, n);
		mkdir(mpath(rel), 0755);
		return;
	}
	static uint8_t buf[MAX_FILE];
	size_t len = (size_t)rand() % MAX_FILE;
	random_bytes(buf, len);
	long w = fat_write(vol, n, buf, len, 0);
	fat_put(vol, n);
	if (w != (long)len && len)
		die(1, "op %lu: write %s: %ld", ops, rel, w);
	int fd = open(mpath(rel), O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (write(fd, buf, len) != (ssize_t)len)
		die(2, "model write failed");
	close(fd);
}

static bool dir_empty(const char *rel)
{
	size_t len = strlen(rel);
	for (unsigned i = 0; i < nents; i++)
		if (!strncasecmp(ents[i].path, rel, len) &&
		    ents[i].path[len] == '/')
			return false;
	return true;
}

static void op_remove(struct ent *e)
{
	char name[1024], rel[600];
	struct fat_node *d;
	bool empty = !e->dir || dir_empty(e->path);

	snprintf(rel, sizeof(rel), "%s", e->path);
	expect(tool_walk(rel, &d, name), 0, "walk", rel);
	int err = fat_remove(vol, d, name, e->dir);
	fat_put(vol, d);
	expect(err, empty ? 0 : -ENOTEMPTY, "remove", rel);
	if (err)
		return;
	if (e->dir ? rmdir(mpath(rel)) : unlink(mpath(rel)))
		die(2, "model remove failed");
	drop(e);
}

/* Rename a file to a new or existing file name in a directory. */
static void op_rename(struct ent *e)
{
	char rel[700], oname[1024], nname[1024];
	const char *in = pick_dir();
	const char *base = pool[(unsigned)rand() % 13];
	struct fat_node *od, *nd;

	snprintf(rel, sizeof(rel), "%s%s%s", in, *in ? "/" : "", base);
	struct ent *target = find(rel);
	if (target == e || (target && target->dir))
		return;
	expect(tool_walk(e->path, &od, oname), 0, "walk", e->path);
	expect(tool_walk(rel, &nd, nname), 0, "walk", rel);
	int err = fat_rename(vol, od, oname, nd, nname);
	fat_put(vol, od);
	fat_put(vol, nd);
	expect(err, 0, "rename", e->path);
	if (rename(mpath(e->path), mpath(rel)))
		die(2, "model rename failed");
	if (target) {
		drop(target);
		if (e == &ents[nents])
			e = target; /* drop moved it */
	}
	snprintf(e->path, sizeof(e->path), "%s", rel);
}

static void verify_all(void)
{
	for (unsigned i = 0; i < nents; i++)
		if (!ents[i].dir)
			compare(ents[i].path);
	/* Every listing holds exactly the model's entries. */
	for (int k = -1; k < (int)nents; k++) {
		if (k >= 0 && !ents[k].dir)
			continue;
		const char *rel = k < 0 ? "" : ents[k].path;
		struct fat_node *d;
		struct fat_dirent de;
		uint64_t cookie = 0;
		unsigned seen = 0, want = 0;
		int r;
		expect(tool_walk(rel, &d, NULL), 0, "walk", rel);
		while ((r = fat_readdir(vol, d, &cookie, &de)) > 0) {
			char p[700];
			snprintf(p, sizeof(p), "%s%s%s", rel, *rel ? "/" : "",
				 de.name);
			struct ent *e = find(p);
			if (!e || e->dir != de.is_dir)
				die(1, "listing of /%s: unexpected %s", rel,
				    de.name);
			seen++;
		}
		fat_put(vol, d);
		expect(r, 0, "readdir", rel);
		size_t len = strlen(rel);
		for (unsigned i = 0; i < nents; i++) {
			const char *p = ents[i].path;
			if (len ? !strncasecmp(p, rel, len) && p[len] == '/' &&
					    !strchr(p + len + 1, '/')
				: !strchr(p, '/'))
				want++;
		}
		if (seen != want)
			die(1, "listing of /%s: %u entries, model has %u", rel,
			    seen, want);
	}
}

int tool_random(unsigned long seed, unsigned long count, const char *dir)
{
	model = dir;
	srand((unsigned)seed);
	load("");
	for (ops = 0; ops < count; ops++) {
		int what = rand() % 100;
		struct ent *f = pick(false), *d = pick(true);
		if (what < 20)
			op_create(false);
		else if (what < 24)
			op_create(true);
		else if (what < 44 && f)
			op_write(f);
		else if (what < 52 && f)
			op_truncate(f);
		else if (what < 62 && f)
			compare(f->path);
		else if (what < 70 && f)
			op_remove(f);
		else if (what < 74 && d)
			op_remove(d);
		else if (what < 84 && f)
			op_rename(f);
		else if (what < 86) {
			expect(fat_sync(vol), 0, "sync", "");
		} else if (what < 88) {
			tool_umount();
			if (tool_mount())
				die(1, "remount failed");
		}
	}
	verify_all();
	printf("random: %lu operations, %lu file comparisons, %u entries\n",
	       ops, checks, nents);
	tool_umount();
	return 0;
}
