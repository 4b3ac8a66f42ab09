/*
 * tests/vm/wasi_fs_test.c: the WASI file calls over struct vm_wasi_fs_ops
 * (suite `wasi_fs`), against a small in-memory file system, so they run in
 * the kernel as on the host. What the hooks receive is checked as well as
 * what the program gets: paths in the safe form (wasi.h), escapes refused
 * before any hook runs, rights, errno mapping, readdir records and
 * cookies, renumber, and every handle closed at the end.
 */
#include <ktest.h>
#include <string.h>

#include "wasi_fs_modules.h"
#include "wasi_run.h"

/* ---- an in-memory file system ------------------------------------------ */

#define NODES 16
#define DATA  128

struct node {
	bool used, dir;
	int parent;
	char name[24];
	uint8_t data[DATA];
	uint32_t size;
};

static struct fake {
	struct node n[NODES]; /* 0: the preopen "/data" */
	char last[64];	      /* the last path a hook got */
	int opens, closes, hooks;
} fs;

static void *h_of(int i)
{
	return (void *)(uintptr_t)(i + 1);
}
static int ix(void *h)
{
	return (int)(uintptr_t)h - 1;
}

static int child(int dir, const char *name, size_t n)
{
	for (int i = 1; i < NODES; i++)
		if (fs.n[i].used && fs.n[i].parent == dir &&
		    strlen(fs.n[i].name) == n && !memcmp(fs.n[i].name, name, n))
			return i;
	return -2; /* ENOENT */
}

/*
 * The node of path under dir, or -ENOENT / -ENOTDIR. *parent is the
 * directory the last component was looked up in (-1 if the walk stopped
 * before it) and *last that component.
 */
static int walk(void *dir, const char *path, int *parent, const char **last)
{
	int at = ix(dir);
	fs.hooks++;
	strlcpy(fs.last, path, sizeof(fs.last));
	*parent = -1;
	*last = path;
	if (!strcmp(path, "."))
		return at;
	for (;;) {
		const char *slash = strchr(path, '/');
		size_t n = slash ? (size_t)(slash - path) : strlen(path);
		if (!fs.n[at].dir)
			return -20; /* ENOTDIR */
		int next = child(at, path, n);
		if (!slash) {
			*parent = at;
			*last = path;
			return next;
		}
		if (next < 0)
			return next;
		at = next;
		path = slash + 1;
	}
}

static int make(int parent, const char *name, bool dir)
{
	for (int i = 1; i < NODES; i++)
		if (!fs.n[i].used) {
			memset(&fs.n[i], 0, sizeof(fs.n[i]));
			fs.n[i].used = true;
			fs.n[i].dir = dir;
			fs.n[i].parent = parent;
			strlcpy(fs.n[i].name, name, sizeof(fs.n[i].name));
			return i;
		}
	return -28; /* ENOSPC */
}

static int f_preopen(void *ctx, uint32_t i, const char **name, void **dir)
{
	if (i)
		return -2;
	*name = "/data";
	*dir = h_of(0);
	fs.opens++;
	return 0;
}

static int f_open(void *ctx, void *dir, const char *path, uint32_t flags,
		  void **out)
{
	int parent;
	const char *last;
	int i = walk(dir, path, &parent, &last);
	if (i == -2 && parent >= 0 && flags & VM_WASI_O_CREAT)
		i = make(parent, last, false);
	else if (i >= 0 && (flags & (VM_WASI_O_CREAT | VM_WASI_O_EXCL)) ==
				   (VM_WASI_O_CREAT | VM_WASI_O_EXCL))
		return -17; /* EEXIST */
	if (i < 0)
		return i;
	if (flags & VM_WASI_O_DIRECTORY && !fs.n[i].dir)
		return -20;
	if (flags & VM_WASI_O_WRITE && fs.n[i].dir)
		return -21; /* EISDIR */
	if (flags & VM_WASI_O_TRUNC)
		fs.n[i].size = 0;
	fs.opens++;
	*out = h_of(i);
	return 0;
}

static void f_close(void *ctx, void *h)
{
	fs.closes++;
}

static long f_pread(void *ctx, void *h, void *buf, size_t len, uint64_t off)
{
	struct node *n = &fs.n[ix(h)];
	if (off >= n->size)
		return 0;
	if (len > n->size - off)
		len = n->size - (size_t)off;
	memcpy(buf, n->data + off, len);
	return (long)len;
}

static long f_pwrite(void *ctx, void *h, const void *buf, size_t len,
		     uint64_t off)
{
	struct node *n = &fs.n[ix(h)];
	if (off + len > DATA)
		return -28; /* ENOSPC */
	memcpy(n->data + off, buf, len);
	if (off + len > n->size)
		n->size = (uint32_t)(off + len);
	return (long)len;
}

static void stat_of(int i, struct vm_wasi_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->ino = (uint64_t)i + 1;
	st->nlink = 1;
	st->size = fs.n[i].size;
	st->type = fs.n[i].dir ? VM_WASI_FT_DIR : VM_WASI_FT_FILE;
}

static int f_stat(void *ctx, void *h, struct vm_wasi_stat *st)
{
	stat_of(ix(h), st);
	return 0;
}

static int f_stat_at(void *ctx, void *dir, const char *path, uint32_t flags,
		     struct vm_wasi_stat *st)
{
	int parent;
	const char *last;
	int i = walk(dir, path, &parent, &last);
	if (i < 0)
		return i;
	stat_of(i, st);
	return 0;
}

static int f_truncate(void *ctx, void *h, uint64_t size)
{
	struct node *n = &fs.n[ix(h)];
	if (size > DATA)
		return -27; /* EFBIG */
	if (size > n->size)
		memset(n->data + n->size, 0, (size_t)size - n->size);
	n->size = (uint32_t)size;
	return 0;
}

/* Cookies: the node index to look from. */
static int f_readdir(void *ctx, void *h, uint64_t cookie,
		     struct vm_wasi_dirent *e)
{
	for (uint64_t i = cookie ? cookie : 1; i < NODES; i++)
		if (fs.n[i].used && fs.n[i].parent == ix(h)) {
			e->next = i + 1;
			e->ino = i + 1;
			e->type =
				fs.n[i].dir ? VM_WASI_FT_DIR : VM_WASI_FT_FILE;
			e->namelen = (uint32_t)strlen(fs.n[i].name);
			memcpy(e->name, fs.n[i].name, e->namelen + 1);
			return 1;
		}
	return 0;
}

static int f_mkdir(void *ctx, void *dir, const char *path)
{
	int parent;
	const char *last;
	int i = walk(dir, path, &parent, &last);
	if (i >= 0)
		return -17;
	if (parent < 0)
		return i;
	return make(parent, last, true) < 0 ? -28 : 0;
}

static int f_remove(void *dir, const char *path, bool rmdir)
{
	int parent;
	const char *last;
	int i = walk(dir, path, &parent, &last);
	if (i < 0)
		return i;
	if (rmdir && !fs.n[i].dir)
		return -20;
	if (!rmdir && fs.n[i].dir)
		return -21;
	for (int k = 1; k < NODES; k++)
		if (fs.n[k].used && fs.n[k].parent == i)
			return -39; /* ENOTEMPTY */
	fs.n[i].used = false;
	return 0;
}

static int f_rmdir(void *ctx, void *dir, const char *path)
{
	return f_remove(dir, path, true);
}

static int f_unlink(void *ctx, void *dir, const char *path)
{
	return f_remove(dir, path, false);
}

static int f_rename(void *ctx, void *from_dir, const char *from, void *to_dir,
		    const char *to)
{
	int p1, p2;
	const char *l1, *l2;
	int i = walk(from_dir, from, &p1, &l1);
	int j = walk(to_dir, to, &p2, &l2);
	if (i < 0)
		return i;
	if (p2 < 0)
		return j;
	if (j >= 0 && fs.n[j].dir)
		return -21;
	if (j >= 0)
		fs.n[j].used = false;
	fs.n[i].parent = p2;
	memset(fs.n[i].name, 0, sizeof(fs.n[i].name));
	strlcpy(fs.n[i].name, l2, sizeof(fs.n[i].name));
	return 0;
}

static const struct vm_wasi_fs_ops fake_ops = {
	f_preopen, f_open,    f_close,	  f_pread,  f_pwrite,
	f_stat,	   f_stat_at, f_truncate, NULL,	    NULL,
	f_readdir, f_mkdir,   f_rmdir,	  f_unlink, f_rename,
};

static const struct vm_wasi_ops ops = {.fs = &fake_ops};

/* ---- the module, and calls with arguments in its memory ------------------ */

/* A run of the module, and the case it belongs to (for callv). */
struct fsrun {
	struct run r;
	struct ktest *t;
};

static bool open_fs(struct ktest *t, struct fsrun *x)
{
	memset(&fs, 0, sizeof(fs));
	fs.n[0].used = fs.n[0].dir = true;
	x->t = t;
	return wasi_run_open(t, &x->r, mod_fs, sizeof(mod_fs), &ops);
}

/* x_NAME with up to 9 arguments (i32 unless listed in `i64s`, a bit per
 * argument): its errno, or ~0u if the call failed. */
static uint32_t callv(struct fsrun *x, const char *name, uint32_t i64s, int n,
		      const uint64_t *v)
{
	char full[40] = "x_";
	vm_value args[9];
	strlcpy(full + 2, name, sizeof(full) - 2);
	for (int k = 0; k < n; k++)
		args[k].u64 = i64s & (1u << k) ? v[k] : (uint32_t)v[k];
	return wasi_run_call(x->t, &x->r, full, args, (uint32_t)n);
}

#define CALL(r, name, i64s, ...)                                               \
	callv(r, name, i64s,                                                   \
	      (int)(sizeof((uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t)),     \
	      (uint64_t[]){__VA_ARGS__})

enum {
	PATH = 1024, /* path strings */
	PATH2 = 1200,
	FD = 16,    /* fd results */
	U64 = 32,   /* u64 results */
	N = 48,	    /* size results */
	IOV = 256,  /* one iovec */
	BUF = 2048, /* data */
	STAT = 512,
	E_BADF = 8,
	E_EXIST = 20,
	E_ISDIR = 31,
	E_NOENT = 44,
	E_NOSPC = 51,
	E_NOTDIR = 54,
	E_NOTEMPTY = 55,
	E_ROFS = 69,
	E_NOTCAPABLE = 76,
	DATA_FD = 4,
	R_READ = 2,
	R_SEEK = 4,
	R_WRITE = 64,
};
#define ALL ((1ull << 28) - 1)

static uint32_t path(struct fsrun *x, uint32_t at, const char *s)
{
	memcpy(x->r.mem + at, s, strlen(s));
	return (uint32_t)strlen(s);
}

/* path_open(DATA_FD or dir, path, oflags, rights, fdflags): errno; fd at FD */
static uint32_t open_in(struct fsrun *x, uint32_t dir, const char *p,
			uint32_t oflags, uint64_t rights, uint32_t fdflags)
{
	uint32_t n = path(x, PATH, p);
	return CALL(x, "path_open", 0x60, dir, 0, PATH, n, oflags, rights, ALL,
		    fdflags, FD);
}

static uint32_t fd_at(struct fsrun *x, uint32_t at)
{
	uint32_t v;
	memcpy(&v, x->r.mem + at, 4);
	return v;
}

/* fd_write/fd_read of [BUF, BUF + len): errno; count at N */
static uint32_t io(struct fsrun *x, const char *fn, uint32_t fd, uint32_t len)
{
	uint32_t iov[2] = {BUF, len};
	memcpy(x->r.mem + IOV, iov, 8);
	return CALL(x, fn, 0, fd, IOV, 1, N);
}

KTEST(wasi_fs, preopens_and_paths_reach_hooks_safe)
{
	struct fsrun x;
	if (!open_fs(t, &x))
		goto out;
	/* fd 3 "/" (lookup root), fd 4 "/data" (the hook's preopen) */
	KT_EXPECT_EQ(t, CALL(&x, "fd_prestat_get", 0, 4, FD), 0);
	KT_EXPECT_EQ(t, fd_at(&x, FD + 4), 5);
	KT_EXPECT_EQ(t, CALL(&x, "fd_prestat_dir_name", 0, 4, BUF, 5), 0);
	KT_EXPECT(t, !memcmp(x.r.mem + BUF, "/data", 5));
	KT_EXPECT_EQ(t, CALL(&x, "fd_prestat_get", 0, 3, FD), 0);
	KT_EXPECT_EQ(t, CALL(&x, "fd_prestat_get", 0, 5, FD), E_BADF);

	uint32_t n = path(&x, PATH, "a");
	KT_EXPECT_EQ(t, CALL(&x, "path_create_directory", 0, 4, PATH, n), 0);
	KT_EXPECT_EQ(t, CALL(&x, "path_create_directory", 0, 4, PATH, n),
		     E_EXIST);
	/* "." and ".." resolved in the text: the hook sees a/f */
	KT_EXPECT_EQ(t, open_in(&x, 4, "./a//b/.././f", 1, ALL, 0), 0);
	KT_EXPECT(t, !strcmp(fs.last, "a/f"));
	/* escapes: refused before any hook runs */
	int hooks = fs.hooks;
	KT_EXPECT_EQ(t, open_in(&x, 4, "../x", 1, ALL, 0), E_NOTCAPABLE);
	KT_EXPECT_EQ(t, open_in(&x, 4, "/a/f", 0, ALL, 0), E_NOTCAPABLE);
	KT_EXPECT_EQ(t, open_in(&x, 4, "a/../../a/f", 0, ALL, 0), E_NOTCAPABLE);
	n = path(&x, PATH, "a/../..");
	KT_EXPECT_EQ(t, CALL(&x, "path_remove_directory", 0, 4, PATH, n),
		     E_NOTCAPABLE);
	KT_EXPECT_EQ(t, fs.hooks, hooks);
	/* the lookup root is read-only */
	KT_EXPECT_EQ(t, open_in(&x, 3, "f", 1, ALL, 0), E_ROFS);
	n = path(&x, PATH, "d");
	KT_EXPECT_EQ(t, CALL(&x, "path_create_directory", 0, 3, PATH, n),
		     E_ROFS);
	/* mapped errors */
	KT_EXPECT_EQ(t, open_in(&x, 4, "a/f", 1 | 4, ALL, 0), E_EXIST);
	KT_EXPECT_EQ(t, open_in(&x, 4, "nope", 0, ALL, 0), E_NOENT);
	KT_EXPECT_EQ(t, open_in(&x, 4, "a/f/g", 0, ALL, 0), E_NOTDIR);
	KT_EXPECT_EQ(t, open_in(&x, 4, "a", 0, R_WRITE, 0), E_ISDIR);
	n = path(&x, PATH, "a");
	KT_EXPECT_EQ(t, CALL(&x, "path_remove_directory", 0, 4, PATH, n),
		     E_NOTEMPTY);
	KT_EXPECT_EQ(t, CALL(&x, "path_unlink_file", 0, 4, PATH, n), E_ISDIR);
	n = path(&x, PATH, "a/f/");
	KT_EXPECT_EQ(t, CALL(&x, "path_unlink_file", 0, 4, PATH, n), E_NOTDIR);
	KT_EXPECT_EQ(t, CALL(&x, "path_filestat_get", 0, 4, 0, PATH, n, STAT),
		     E_NOTDIR);
	n = path(&x, PATH, "a/f");
	KT_EXPECT_EQ(t, CALL(&x, "path_filestat_get", 0, 4, 0, PATH, n, STAT),
		     0);
	KT_EXPECT_EQ(t, x.r.mem[STAT + 16], VM_WASI_FT_FILE);
out:
	wasi_run_close(&x.r);
	/* every handle the hooks gave (the preopen too) was closed */
	KT_EXPECT_EQ(t, fs.closes, fs.opens);
}

KTEST(wasi_fs, read_write_seek_rights)
{
	struct fsrun x;
	uint64_t v;
	if (!open_fs(t, &x))
		goto out;
	KT_EXPECT_EQ(t, open_in(&x, 4, "f", 1, ALL, 0), 0);
	uint32_t fd = fd_at(&x, FD);
	memcpy(x.r.mem + BUF, "hello world", 11);
	KT_EXPECT_EQ(t, io(&x, "fd_write", fd, 11), 0);
	KT_EXPECT_EQ(t, fd_at(&x, N), 11);
	KT_EXPECT_EQ(t, CALL(&x, "fd_tell", 0, fd, U64), 0);
	memcpy(&v, x.r.mem + U64, 8);
	KT_EXPECT_EQ(t, v, 11);
	KT_EXPECT_EQ(t, CALL(&x, "fd_seek", 2, fd, (uint64_t)-5, 2, U64), 0);
	memset(x.r.mem + BUF, 0, 16);
	KT_EXPECT_EQ(t, io(&x, "fd_read", fd, 16), 0);
	KT_EXPECT_EQ(t, fd_at(&x, N), 5);
	KT_EXPECT(t, !memcmp(x.r.mem + BUF, "world", 5));
	/* pwrite/pread at an offset; the position stays at the end */
	memcpy(x.r.mem + BUF, "J", 1);
	uint32_t iov[2] = {BUF, 1};
	memcpy(x.r.mem + IOV, iov, 8);
	KT_EXPECT_EQ(t, CALL(&x, "fd_pwrite", 8, fd, IOV, 1, 0, N), 0);
	iov[1] = 5;
	memcpy(x.r.mem + IOV, iov, 8);
	KT_EXPECT_EQ(t, CALL(&x, "fd_pread", 8, fd, IOV, 1, 0, N), 0);
	KT_EXPECT(t, !memcmp(x.r.mem + BUF, "Jello", 5));
	KT_EXPECT_EQ(t, CALL(&x, "fd_tell", 0, fd, U64), 0);
	memcpy(&v, x.r.mem + U64, 8);
	KT_EXPECT_EQ(t, v, 11);
	/* the hook's ENOSPC past its 128 bytes is WASI's */
	KT_EXPECT_EQ(t, CALL(&x, "fd_pwrite", 8, fd, IOV, 1, 200, N), E_NOSPC);
	KT_EXPECT_EQ(t, CALL(&x, "fd_filestat_set_size", 2, fd, 3), 0);
	KT_EXPECT_EQ(t, CALL(&x, "fd_filestat_get", 0, fd, STAT), 0);
	memcpy(&v, x.r.mem + STAT + 32, 8);
	KT_EXPECT_EQ(t, v, 3);
	KT_EXPECT_EQ(t, CALL(&x, "fd_sync", 0, fd), 52); /* no sync hook */
	/* append: at the end whatever the position */
	KT_EXPECT_EQ(t, open_in(&x, 4, "f", 0, ALL, 1), 0);
	uint32_t afd = fd_at(&x, FD);
	memcpy(x.r.mem + BUF, "XY", 2);
	KT_EXPECT_EQ(t, io(&x, "fd_write", afd, 2), 0);
	KT_EXPECT_EQ(t, fs.n[1].size, 5); /* node 1: "f" */
	/* read-only rights: no write, no seek */
	KT_EXPECT_EQ(t, open_in(&x, 4, "f", 0, R_READ, 0), 0);
	uint32_t rfd = fd_at(&x, FD);
	KT_EXPECT_EQ(t, io(&x, "fd_write", rfd, 1), E_NOTCAPABLE);
	KT_EXPECT_EQ(t, CALL(&x, "fd_seek", 2, rfd, 0, 0, U64), E_NOTCAPABLE);
	KT_EXPECT_EQ(t, io(&x, "fd_read", rfd, 8), 0);
	KT_EXPECT_EQ(t, fd_at(&x, N), 5);
	KT_EXPECT(t, !memcmp(x.r.mem + BUF, "JelXY", 5));
	/* more rights than the directory hands on */
	KT_EXPECT_EQ(t, open_in(&x, 4, "f", 0, ~0ull, 0), E_NOTCAPABLE);
	/* renumber onto the preopen: it is closed, the file takes fd 4 */
	int closes = fs.closes;
	KT_EXPECT_EQ(t, CALL(&x, "fd_renumber", 0, rfd, 4), 0);
	KT_EXPECT_EQ(t, fs.closes, closes + 1);
	KT_EXPECT_EQ(t, CALL(&x, "fd_prestat_get", 0, 4, FD), E_BADF);
	KT_EXPECT_EQ(t, CALL(&x, "fd_close", 0, rfd), E_BADF);
	KT_EXPECT_EQ(t, CALL(&x, "fd_close", 0, 4), 0);
	KT_EXPECT_EQ(t, fs.closes, closes + 2);
out:
	wasi_run_close(&x.r);
	KT_EXPECT_EQ(t, fs.closes, fs.opens);
}

/* Three entries: one call with room for all, one cut short at 30 bytes,
 * and one from the first entry's cookie. */
KTEST(wasi_fs, readdir_records_and_cookies)
{
	struct fsrun x;
	static const char *names[] = {"one", "two-two", "three"};
	if (!open_fs(t, &x))
		goto out;
	for (int i = 0; i < 3; i++)
		KT_EXPECT_EQ(t, open_in(&x, 4, names[i], 1, ALL, 0), 0);
	KT_EXPECT_EQ(t, CALL(&x, "fd_readdir", 8, 4, BUF, 400, 0, N), 0);
	uint32_t used = fd_at(&x, N), off = 0;
	KT_EXPECT_EQ(t, used, 3 * 24 + 3 + 7 + 5);
	uint64_t next0 = 0;
	for (int i = 0; i < 3 && off + 24 <= used; i++) {
		uint32_t namelen;
		memcpy(&namelen, x.r.mem + BUF + off + 16, 4);
		KT_EXPECT_EQ(t, namelen, strlen(names[i]));
		KT_EXPECT_EQ(t, x.r.mem[BUF + off + 20], VM_WASI_FT_FILE);
		KT_EXPECT(t,
			  !memcmp(x.r.mem + BUF + off + 24, names[i], namelen));
		if (!i)
			memcpy(&next0, x.r.mem + BUF + off, 8);
		off += 24 + namelen;
	}
	memset(x.r.mem + BUF, 0xee, 64);
	KT_EXPECT_EQ(t, CALL(&x, "fd_readdir", 8, 4, BUF, 30, 0, N), 0);
	KT_EXPECT_EQ(t, fd_at(&x, N), 30);
	KT_EXPECT(t, !memcmp(x.r.mem + BUF + 24, "one", 3));
	/* then the first 3 bytes of the next record: its d_next, 3 */
	KT_EXPECT(t, !memcmp(x.r.mem + BUF + 27, "\3\0\0", 3));
	KT_EXPECT_EQ(t, x.r.mem[BUF + 30], 0xee); /* untouched */
	KT_EXPECT_EQ(t, CALL(&x, "fd_readdir", 8, 4, BUF, 400, next0, N), 0);
	KT_EXPECT_EQ(t, fd_at(&x, N), 2 * 24 + 7 + 5);
	KT_EXPECT(t, !memcmp(x.r.mem + BUF + 24, "two-two", 7));
	/* rename over a file, and a file as directory */
	uint32_t n1 = path(&x, PATH, "one"), n2 = path(&x, PATH2, "three");
	KT_EXPECT_EQ(t, CALL(&x, "path_rename", 0, 4, PATH, n1, 4, PATH2, n2),
		     0);
	KT_EXPECT_EQ(t, CALL(&x, "path_rename", 0, 4, PATH, n1, 4, PATH2, n2),
		     E_NOENT);
	KT_EXPECT_EQ(t, open_in(&x, 4, "three", 2, ALL, 0), E_NOTDIR);
	KT_EXPECT_EQ(t, CALL(&x, "fd_readdir", 8, 3, BUF, 400, 0, N),
		     58); /* the lookup root has no listing: ENOTSUP */
out:
	wasi_run_close(&x.r);
	KT_EXPECT_EQ(t, fs.closes, fs.opens);
}
