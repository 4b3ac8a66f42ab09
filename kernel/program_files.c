/*
 * Programs' files: the WASI file-system hooks (struct vm_wasi_fs_ops,
 * <vm/wasi.h>) on the kernel's VFS (<fs/vfs.h>).
 *
 * Preopens: "/" (the whole tree: the read-only ramdisk, and the disk
 * under it at /data) and, when a disk is mounted, "/data" itself, which
 * wasi-libc prefers for paths below it (the longest preopen prefix). The
 * VM hands the hooks paths it has already made safe lexically (no "..",
 * no leading '/', never past the handle's directory), and the VFS has no
 * links, so a joined path never leaves the preopen it came from.
 *
 * A handle is an absolute path, which the *_at hooks join with the
 * relative path they get, and for a regular file an open VFS file. A
 * directory holds no VFS file (each readdir opens it for the one call:
 * its cookies need no state), so preopens and directories a program keeps
 * open use none of the VFS's open-file slots, which every thread of every
 * program shares. Every VFS call runs
 * under storage_lock(): one program's call at a time, and a kill that
 * comes in the middle waits for the call to finish (kernel/storage.c).
 * Handles come from the kernel heap, within the VFS's own limit of open
 * files (VFS_MAX_OPEN for the whole system: -EMFILE beyond).
 */
#include <fs/vfs.h>
#include <kernel/program_files.h>
#include <kernel/storage.h>
#include <lib/err.h>
#include <lib/printf.h>
#include <mm/kheap.h>
#include <string.h>

#include "program_internal.h"

/* A handle is on its state's list from its allocation to its close, so
 * a kill between a hook's return and the VM's recording of the handle
 * (or anywhere else) leaves nothing behind: program_files_release()
 * closes what the VM did not. */
struct handle {
	struct handle *next; /* the state's open handles */
	struct vfs_file *f;  /* NULL for a directory */
	char path[VFS_PATH_MAX];
};

/* "/" + "a/b" or "/data" + "a/b"; "." is the directory itself. */
static int join(const struct handle *dir, const char *rel, char *out)
{
	int n;

	if (strcmp(rel, ".") == 0)
		n = snprintf(out, VFS_PATH_MAX, "%s", dir->path);
	else
		n = snprintf(out, VFS_PATH_MAX, "%s%s%s", dir->path,
			     strcmp(dir->path, "/") ? "/" : "", rel);
	return n < 0 || n >= VFS_PATH_MAX ? -ENAMETOOLONG : 0;
}

static unsigned vfs_flags(uint32_t flags)
{
	unsigned v = 0;

	if (flags & VM_WASI_O_READ)
		v |= VFS_O_READ;
	if (flags & VM_WASI_O_WRITE)
		v |= VFS_O_WRITE;
	if (flags & VM_WASI_O_CREAT)
		v |= VFS_O_CREAT;
	if (flags & VM_WASI_O_EXCL)
		v |= VFS_O_EXCL;
	if (flags & VM_WASI_O_TRUNC)
		v |= VFS_O_TRUNC;
	if (flags & VM_WASI_O_DIRECTORY)
		v |= VFS_O_DIRECTORY;
	return v;
}

/* A directory opened for reading only (a preopen, a directory to list or
 * to open files under) is a path; anything else a VFS file. */
/* Take h off owner's list: false if it is not there (already closed). */
static bool unlink_handle(struct program_state *owner, struct handle *h)
{
	for (struct handle **it = &owner->files; *it; it = &(*it)->next)
		if (*it == h) {
			*it = h->next;
			return true;
		}
	return false;
}

/* Allocated and listed inside the lock's kill-deferred section: no kill
 * lands between the two. */
static int open_abs(struct program_state *owner, const char *abs,
		    unsigned flags, void **out)
{
	struct vfs_stat st;

	storage_lock();
	struct handle *h = kheap_can_spare(sizeof(struct handle))
				   ? kmalloc(sizeof(*h))
				   : NULL;
	if (!h) {
		storage_unlock();
		return -ENOMEM;
	}
	strlcpy(h->path, abs, sizeof(h->path));
	h->f = NULL;
	h->next = owner->files;
	owner->files = h;
	int rc = vfs_stat(abs, &st);
	bool dir = rc == 0 && st.type == VFS_TYPE_DIR;
	if (dir && (flags & (VFS_O_WRITE | VFS_O_TRUNC | VFS_O_APPEND)))
		rc = -EISDIR;
	else if (dir && (flags & VFS_O_CREAT) && (flags & VFS_O_EXCL))
		rc = -EEXIST;
	else if (!dir && rc == 0 && (flags & VFS_O_DIRECTORY))
		rc = -ENOTDIR;
	else if (!dir)
		rc = vfs_open(abs, flags, &h->f);
	if (rc < 0) {
		unlink_handle(owner, h);
		kfree(h);
	} else {
		*out = h;
	}
	storage_unlock();
	return rc;
}

static int f_preopen(void *ctx, uint32_t i, const char **name, void **dir)
{
	static const char *const names[] = {"/", STORAGE_DATA_PATH};

	if (i >= 2)
		return -ENOENT;
	if (i == 1) {
		struct vfs_stat st;
		storage_lock();
		int rc = vfs_stat(STORAGE_DATA_PATH, &st);
		storage_unlock();
		if (rc < 0 || st.type != VFS_TYPE_DIR)
			return -ENOENT; /* no disk: "/" only */
	}
	*name = names[i];
	return open_abs(ctx, names[i], VFS_O_READ | VFS_O_DIRECTORY, dir);
}

static int f_open(void *ctx, void *dir, const char *path, uint32_t flags,
		  void **out)
{
	char abs[VFS_PATH_MAX];

	int rc = join(dir, path, abs);
	return rc < 0 ? rc : open_abs(ctx, abs, vfs_flags(flags), out);
}

static void f_close(void *ctx, void *p)
{
	struct handle *h = p;

	storage_lock();
	/* A kill between this hook's return and the VM's forgetting the
	 * descriptor makes the VM close it again at the program's end: a
	 * handle no longer listed is compared, never touched (suspected in
	 * an ARM fuzz boot's "kernel heap error", exit-066.wasm killed at
	 * 2.4 ms; not yet reproduced). */
	if (unlink_handle(ctx, h)) {
		if (h->f)
			vfs_close(h->f);
		kfree(h);
	}
	storage_unlock();
}

static long f_pread(void *ctx, void *p, void *buf, size_t len, uint64_t off)
{
	struct handle *h = p;
	(void)ctx;

	if (!h->f)
		return -EISDIR;
	storage_lock();
	long n = vfs_pread(h->f, buf, len, off);
	storage_unlock();
	return n;
}

static long f_pwrite(void *ctx, void *p, const void *buf, size_t len,
		     uint64_t off)
{
	struct handle *h = p;
	(void)ctx;

	if (!h->f)
		return -EISDIR;
	storage_lock();
	long n = vfs_pwrite(h->f, buf, len, off);
	storage_unlock();
	return n;
}

static void to_wasi(const struct vfs_stat *v, struct vm_wasi_stat *w)
{
	w->dev = v->dev;
	w->ino = v->ino;
	w->nlink = v->nlink;
	w->size = v->size;
	w->atim = v->atime_ns < 0 ? 0 : (uint64_t)v->atime_ns;
	w->mtim = v->mtime_ns < 0 ? 0 : (uint64_t)v->mtime_ns;
	w->ctim = v->ctime_ns < 0 ? 0 : (uint64_t)v->ctime_ns;
	w->type = v->type == VFS_TYPE_DIR ? VM_WASI_FT_DIR : VM_WASI_FT_FILE;
}

static int f_stat(void *ctx, void *p, struct vm_wasi_stat *st)
{
	struct handle *h = p;
	struct vfs_stat v;
	(void)ctx;

	storage_lock();
	int rc = h->f ? vfs_fstat(h->f, &v) : vfs_stat(h->path, &v);
	storage_unlock();
	if (rc == 0)
		to_wasi(&v, st);
	return rc;
}

static int f_stat_at(void *ctx, void *dir, const char *path, uint32_t flags,
		     struct vm_wasi_stat *st)
{
	char abs[VFS_PATH_MAX];
	struct vfs_stat v;
	(void)ctx;
	(void)flags; /* no links: NOFOLLOW changes nothing */

	int rc = join(dir, path, abs);
	if (rc < 0)
		return rc;
	storage_lock();
	rc = vfs_stat(abs, &v);
	storage_unlock();
	if (rc == 0)
		to_wasi(&v, st);
	return rc;
}

static int f_truncate(void *ctx, void *p, uint64_t size)
{
	struct handle *h = p;
	(void)ctx;

	if (!h->f)
		return -EISDIR;
	storage_lock();
	int rc = vfs_ftruncate(h->f, size);
	storage_unlock();
	return rc;
}

static int f_set_times(void *ctx, void *p, uint64_t atim, uint64_t mtim,
		       uint32_t how)
{
	struct handle *h = p;
	int64_t now = program_files_now_ns();
	int64_t a = VFS_TIME_OMIT, m = VFS_TIME_OMIT;
	(void)ctx;

	if (how & VM_WASI_SET_ATIM_NOW)
		a = now;
	else if (how & VM_WASI_SET_ATIM)
		a = atim > INT64_MAX ? INT64_MAX : (int64_t)atim;
	if (how & VM_WASI_SET_MTIM_NOW)
		m = now;
	else if (how & VM_WASI_SET_MTIM)
		m = mtim > INT64_MAX ? INT64_MAX : (int64_t)mtim;
	storage_lock();
	int rc = h->f ? vfs_futimes(h->f, a, m) : vfs_utimes(h->path, a, m);
	storage_unlock();
	return rc;
}

static int f_sync(void *ctx, void *p, bool data_only)
{
	struct handle *h = p;
	(void)ctx;
	(void)data_only; /* the size goes with the data: both, always */

	storage_lock();
	int rc = h->f ? vfs_fsync(h->f) : vfs_sync();
	storage_unlock();
	return rc;
}

static int f_readdir(void *ctx, void *p, uint64_t cookie,
		     struct vm_wasi_dirent *e)
{
	static struct vfs_dirent d; /* under the lock: too big for a stack */
	struct handle *h = p;
	(void)ctx;

	struct vfs_file *dir;

	if (h->f)
		return -ENOTDIR;
	storage_lock();
	int rc = vfs_open(h->path, VFS_O_READ | VFS_O_DIRECTORY, &dir);
	if (rc == 0) {
		rc = vfs_readdir(dir, cookie, &d);
		vfs_close(dir);
	}
	if (rc == 1) {
		size_t n = strlen(d.name);
		if (n > VM_WASI_NAME_MAX)
			n = VM_WASI_NAME_MAX;
		memcpy(e->name, d.name, n);
		e->name[n] = '\0';
		e->namelen = (uint32_t)n;
		e->next = d.next;
		e->ino = d.ino;
		e->type = d.type == VFS_TYPE_DIR ? VM_WASI_FT_DIR
						 : VM_WASI_FT_FILE;
	}
	storage_unlock();
	return rc;
}

/* A call on one path under dir. */
static int at_path(void *dir, const char *path, int (*op)(const char *))
{
	char abs[VFS_PATH_MAX];

	int rc = join(dir, path, abs);
	if (rc < 0)
		return rc;
	storage_lock();
	rc = op(abs);
	storage_unlock();
	return rc;
}

static int f_mkdir(void *ctx, void *dir, const char *path)
{
	(void)ctx;
	return at_path(dir, path, vfs_mkdir);
}

static int f_rmdir(void *ctx, void *dir, const char *path)
{
	(void)ctx;
	return at_path(dir, path, vfs_rmdir);
}

static int f_unlink(void *ctx, void *dir, const char *path)
{
	(void)ctx;
	return at_path(dir, path, vfs_unlink);
}

static int f_rename(void *ctx, void *from_dir, const char *from, void *to_dir,
		    const char *to)
{
	static char a[VFS_PATH_MAX], b[VFS_PATH_MAX]; /* under the lock */
	(void)ctx;

	storage_lock();
	int rc = join(from_dir, from, a);
	if (rc == 0)
		rc = join(to_dir, to, b);
	if (rc == 0)
		rc = vfs_rename(a, b);
	storage_unlock();
	return rc;
}

void program_files_release(struct program_state *st)
{
	storage_lock();
	while (st->files) {
		struct handle *h = st->files;
		st->files = h->next;
		if (h->f)
			vfs_close(h->f);
		kfree(h);
	}
	storage_unlock();
}

int64_t program_files_now_ns(void)
{
	return storage_now_ns();
}

const struct vm_wasi_fs_ops program_fs_ops = {
	.preopen = f_preopen,
	.open = f_open,
	.close = f_close,
	.pread = f_pread,
	.pwrite = f_pwrite,
	.stat = f_stat,
	.stat_at = f_stat_at,
	.truncate = f_truncate,
	.set_times = f_set_times,
	.sync = f_sync,
	.readdir = f_readdir,
	.mkdir = f_mkdir,
	.rmdir = f_rmdir,
	.unlink = f_unlink,
	.rename = f_rename,
};
