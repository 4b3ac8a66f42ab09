/*
 * tools/wasmrun/host_fs.c: the WASI file-system hooks (vm/wasi.h struct
 * vm_wasi_fs_ops) on host directories, for `wasmrun --dir HOST[:GUEST]`.
 *
 * A handle is a host file descriptor (plus a DIR stream once listed).
 * Paths arrive from the VM already free of "..", "." and leading '/'; on
 * top of that every lookup under a preopen goes through openat2(2) with
 * RESOLVE_BENEATH, so no symlink (absolute, or climbing with "..") leads
 * out of the directory: that is EPERM, as an escape the VM refuses is
 * ENOTCAPABLE. Where openat2 is missing (Linux < 5.6, some sandboxes) the
 * path is walked a component at a time with O_NOFOLLOW: no symlink is
 * followed at all (ELOOP). Operations on a last component (mkdir, rmdir,
 * unlink, rename, lstat) run with *at(2) calls on its parent opened that
 * way, so they never follow a symlink either.
 */
#define _GNU_SOURCE
/* 64-bit inodes, sizes and offsets in the 32-bit builds (host-i386,
 * host-arm) too: else fstat of a file with a large inode number is
 * EOVERFLOW. */
#define _FILE_OFFSET_BITS 64
#include "host_fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

#define MAX_PREOPENS 16

static struct {
	const char *host, *guest;
} preopens[MAX_PREOPENS];
static uint32_t npreopens;

struct hfile {
	int fd;
	DIR *dir;     /* for readdir, made on first use */
	uint64_t pos; /* entries of `dir` read since its start */
};

int host_fs_add(const char *host, const char *guest)
{
	struct stat st;
	if (npreopens == MAX_PREOPENS)
		return -ENFILE;
	if (stat(host, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	preopens[npreopens].host = host;
	preopens[npreopens].guest = guest;
	npreopens++;
	return 0;
}

bool host_fs_has(const char *guest)
{
	for (uint32_t i = 0; i < npreopens; i++)
		if (!strcmp(preopens[i].guest, guest))
			return true;
	return false;
}

static int fail(void)
{
	return errno ? -errno : -EIO;
}

/* A handle for what open returned (fd, or -1 with errno): 0 or -errno. */
static int handle(int fd, void **out)
{
	if (fd < 0)
		return fail();
	struct hfile *h = calloc(1, sizeof(*h));
	if (!h) {
		close(fd);
		return -ENOMEM;
	}
	h->fd = fd;
	*out = h;
	return 0;
}

/* Component by component, following no symlink: the fallback. */
static int walk(int dirfd, const char *path, int flags, mode_t mode)
{
	char part[256];
	int fd = dup(dirfd);
	while (fd >= 0) {
		const char *slash = strchr(path, '/');
		if (!slash) {
			int r = openat(fd, path, flags | O_NOFOLLOW, mode);
			int e = errno;
			close(fd);
			errno = e;
			return r;
		}
		size_t n = (size_t)(slash - path);
		if (n >= sizeof(part)) {
			close(fd);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(part, path, n);
		part[n] = 0;
		int next =
			openat(fd, part,
			       O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int e = errno;
		close(fd);
		errno = e;
		fd = next;
		path = slash + 1;
	}
	return -1;
}

/* openat(2) of path under dirfd that cannot leave it. */
static int open_beneath(int dirfd, const char *path, int flags, mode_t mode)
{
	flags |= O_CLOEXEC;
#ifdef SYS_openat2
	struct open_how how = {
		.flags = (uint64_t)flags,
		.mode = flags & O_CREAT ? mode : 0,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	long r;
	do
		r = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	while (r < 0 && (errno == EINTR || errno == EAGAIN));
	if (r >= 0 || errno != ENOSYS) {
		if (r < 0 && errno == EXDEV)
			errno = EPERM; /* a symlink out of the preopen */
		return (int)r;
	}
#endif
	return walk(dirfd, path, flags, mode);
}

/* The parent directory of path's last component, opened beneath dirfd,
 * and that component in *last. */
static int open_parent(int dirfd, const char *path, char *buf, size_t cap,
		       const char **last)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		*last = path;
		return open_beneath(dirfd, ".", O_PATH | O_DIRECTORY, 0);
	}
	size_t n = (size_t)(slash - path);
	if (n >= cap) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, n);
	buf[n] = 0;
	*last = slash + 1;
	return open_beneath(dirfd, buf, O_PATH | O_DIRECTORY, 0);
}

static int h_preopen(void *ctx, uint32_t i, const char **name, void **dir)
{
	(void)ctx;
	if (i >= npreopens)
		return -ENOENT;
	*name = preopens[i].guest;
	return handle(
		open(preopens[i].host, O_RDONLY | O_DIRECTORY | O_CLOEXEC),
		dir);
}

static int h_open(void *ctx, void *dir, const char *path, uint32_t flags,
		  void **out)
{
	(void)ctx;
	int o = (flags & VM_WASI_O_WRITE)
			? (flags & VM_WASI_O_READ ? O_RDWR : O_WRONLY)
			: O_RDONLY;
	o |= (flags & VM_WASI_O_CREAT ? O_CREAT : 0) |
	     (flags & VM_WASI_O_EXCL ? O_EXCL : 0) |
	     (flags & VM_WASI_O_TRUNC ? O_TRUNC : 0) |
	     (flags & VM_WASI_O_DIRECTORY ? O_DIRECTORY : 0) |
	     (flags & VM_WASI_O_NOFOLLOW ? O_NOFOLLOW : 0);
	return handle(open_beneath(((struct hfile *)dir)->fd, path, o, 0666),
		      out);
}

static void h_close(void *ctx, void *p)
{
	struct hfile *h = p;
	(void)ctx;
	if (h->dir)
		closedir(h->dir);
	close(h->fd);
	free(h);
}

static long h_pread(void *ctx, void *p, void *buf, size_t len, uint64_t off)
{
	ssize_t r;
	(void)ctx;
	do
		r = pread(((struct hfile *)p)->fd, buf, len, (off_t)off);
	while (r < 0 && errno == EINTR);
	return r < 0 ? fail() : (long)r;
}

static long h_pwrite(void *ctx, void *p, const void *buf, size_t len,
		     uint64_t off)
{
	ssize_t r;
	(void)ctx;
	do
		r = pwrite(((struct hfile *)p)->fd, buf, len, (off_t)off);
	while (r < 0 && errno == EINTR);
	return r < 0 ? fail() : (long)r;
}

static uint8_t filetype(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFDIR: return VM_WASI_FT_DIR;
	case S_IFREG: return VM_WASI_FT_FILE;
	case S_IFLNK: return VM_WASI_FT_SYMLINK;
	case S_IFCHR: return VM_WASI_FT_CHAR;
	case S_IFBLK: return 1;	 /* block device */
	case S_IFSOCK: return 6; /* socket_stream */
	default: return VM_WASI_FT_UNKNOWN;
	}
}

static uint64_t ns(struct timespec t)
{
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void convert(const struct stat *s, struct vm_wasi_stat *st)
{
	st->dev = (uint64_t)s->st_dev;
	st->ino = (uint64_t)s->st_ino;
	st->nlink = (uint64_t)s->st_nlink;
	st->size = (uint64_t)s->st_size;
	st->atim = ns(s->st_atim);
	st->mtim = ns(s->st_mtim);
	st->ctim = ns(s->st_ctim);
	st->type = filetype(s->st_mode);
}

static int h_stat(void *ctx, void *p, struct vm_wasi_stat *st)
{
	struct stat s;
	(void)ctx;
	if (fstat(((struct hfile *)p)->fd, &s) < 0)
		return fail();
	convert(&s, st);
	return 0;
}

static int h_stat_at(void *ctx, void *dir, const char *path, uint32_t flags,
		     struct vm_wasi_stat *st)
{
	char buf[4096];
	const char *last;
	struct stat s;
	int r, fd;
	(void)ctx;
	if (flags & VM_WASI_O_NOFOLLOW) {
		fd = open_parent(((struct hfile *)dir)->fd, path, buf,
				 sizeof(buf), &last);
		if (fd < 0)
			return fail();
		r = fstatat(fd, last, &s, AT_SYMLINK_NOFOLLOW);
	} else {
		fd = open_beneath(((struct hfile *)dir)->fd, path, O_PATH, 0);
		if (fd < 0)
			return fail();
		r = fstat(fd, &s);
	}
	int e = errno;
	close(fd);
	if (r < 0)
		return -e;
	convert(&s, st);
	return 0;
}

static int h_truncate(void *ctx, void *p, uint64_t size)
{
	(void)ctx;
	return ftruncate(((struct hfile *)p)->fd, (off_t)size) < 0 ? fail() : 0;
}

static int h_set_times(void *ctx, void *p, uint64_t atim, uint64_t mtim,
		       uint32_t how)
{
	struct timespec t[2];
	(void)ctx;
	t[0].tv_sec = (time_t)(atim / 1000000000u);
	t[0].tv_nsec = (long)(atim % 1000000000u);
	t[1].tv_sec = (time_t)(mtim / 1000000000u);
	t[1].tv_nsec = (long)(mtim % 1000000000u);
	if (!(how & VM_WASI_SET_ATIM))
		t[0].tv_nsec =
			how & VM_WASI_SET_ATIM_NOW ? UTIME_NOW : UTIME_OMIT;
	if (!(how & VM_WASI_SET_MTIM))
		t[1].tv_nsec =
			how & VM_WASI_SET_MTIM_NOW ? UTIME_NOW : UTIME_OMIT;
	return futimens(((struct hfile *)p)->fd, t) < 0 ? fail() : 0;
}

static int h_sync(void *ctx, void *p, bool data_only)
{
	int fd = ((struct hfile *)p)->fd;
	(void)ctx;
	return (data_only ? fdatasync(fd) : fsync(fd)) < 0 ? fail() : 0;
}

/*
 * Cookies are entry numbers: cookie c is the entry after the first c. The
 * stream is rewound and skipped forward only when the program asks for
 * another place than where it is; reading on is O(1). (telldir(3)
 * positions would spare the skipping but are a long, too short for
 * ext4's 64-bit hash offsets in the 32-bit builds.)
 */
static int h_readdir(void *ctx, void *p, uint64_t cookie,
		     struct vm_wasi_dirent *e)
{
	struct hfile *h = p;
	struct dirent *d = NULL;
	(void)ctx;
	if (!h->dir) {
		int fd = openat(h->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || !(h->dir = fdopendir(fd))) {
			int r = fail();
			if (fd >= 0)
				close(fd);
			return r;
		}
		h->pos = 0;
	}
	if (cookie != h->pos) {
		rewinddir(h->dir);
		for (h->pos = 0; h->pos < cookie; h->pos++) {
			errno = 0;
			if (!readdir(h->dir))
				return errno ? -errno : 0;
		}
	}
	errno = 0;
	d = readdir(h->dir);
	if (!d)
		return errno ? -errno : 0;
	h->pos++;
	e->next = h->pos;
	e->ino = (uint64_t)d->d_ino;
	e->type = d->d_type == DT_DIR	? VM_WASI_FT_DIR
		  : d->d_type == DT_REG ? VM_WASI_FT_FILE
		  : d->d_type == DT_LNK ? VM_WASI_FT_SYMLINK
		  : d->d_type == DT_CHR ? VM_WASI_FT_CHAR
					: VM_WASI_FT_UNKNOWN;
	size_t n = strlen(d->d_name);
	e->namelen = (uint32_t)(n > VM_WASI_NAME_MAX ? VM_WASI_NAME_MAX : n);
	memcpy(e->name, d->d_name, e->namelen);
	e->name[e->namelen] = 0;
	return 1;
}

enum at_op { AT_MKDIR, AT_RMDIR, AT_UNLINK };

static int at_op(void *dir, const char *path, enum at_op op)
{
	char buf[4096];
	const char *last;
	int fd = open_parent(((struct hfile *)dir)->fd, path, buf, sizeof(buf),
			     &last);
	if (fd < 0)
		return fail();
	int r = op == AT_MKDIR	 ? mkdirat(fd, last, 0777)
		: op == AT_RMDIR ? unlinkat(fd, last, AT_REMOVEDIR)
				 : unlinkat(fd, last, 0);
	int e = errno;
	close(fd);
	return r < 0 ? -e : 0;
}

static int h_mkdir(void *ctx, void *dir, const char *path)
{
	(void)ctx;
	return at_op(dir, path, AT_MKDIR);
}

static int h_rmdir(void *ctx, void *dir, const char *path)
{
	(void)ctx;
	return at_op(dir, path, AT_RMDIR);
}

static int h_unlink(void *ctx, void *dir, const char *path)
{
	(void)ctx;
	return at_op(dir, path, AT_UNLINK);
}

static int h_rename(void *ctx, void *from_dir, const char *from, void *to_dir,
		    const char *to)
{
	char b1[4096], b2[4096];
	const char *l1, *l2;
	(void)ctx;
	int f1 = open_parent(((struct hfile *)from_dir)->fd, from, b1,
			     sizeof(b1), &l1);
	if (f1 < 0)
		return fail();
	int f2 = open_parent(((struct hfile *)to_dir)->fd, to, b2, sizeof(b2),
			     &l2);
	if (f2 < 0) {
		int r = fail();
		close(f1);
		return r;
	}
	int r = renameat(f1, l1, f2, l2) < 0 ? fail() : 0;
	close(f1);
	close(f2);
	return r;
}

const struct vm_wasi_fs_ops host_fs_ops = {
	.preopen = h_preopen,
	.open = h_open,
	.close = h_close,
	.pread = h_pread,
	.pwrite = h_pwrite,
	.stat = h_stat,
	.stat_at = h_stat_at,
	.truncate = h_truncate,
	.set_times = h_set_times,
	.sync = h_sync,
	.readdir = h_readdir,
	.mkdir = h_mkdir,
	.rmdir = h_rmdir,
	.unlink = h_unlink,
	.rename = h_rename,
};
