/*
 * The VFS (see <fs/vfs.h>): the mount table, path resolution, the open
 * file table, and the calls that go to the file system of a path's mount.
 */
#include "vfs_internal.h"
#include <lib/err.h>
#include <string.h>

static struct vfs_mount mounts[VFS_MAX_MOUNTS];
static struct vfs_file files[VFS_MAX_OPEN];
static const char *mount_why = "no error";

int vfs_resolve(const char *path, char *out, size_t size)
{
	size_t n = 0;

	if (!path || path[0] != '/')
		return -EINVAL;
	if (size < 2)
		return -ENAMETOOLONG;
	while (*path) {
		while (*path == '/')
			path++;
		const char *end = strchr(path, '/');
		size_t len = end ? (size_t)(end - path) : strlen(path);
		if (len == 0 || (len == 1 && path[0] == '.')) {
			/* nothing */
		} else if (len == 2 && path[0] == '.' && path[1] == '.') {
			/* Drop the last component (the root's parent is
			 * the root). */
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else {
			if (n + 1 + len + 1 > size)
				return -ENAMETOOLONG;
			out[n] = '/';
			memcpy(out + n + 1, path, len);
			n += 1 + len;
		}
		path += len;
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	return 0;
}

/* The mount holding the resolved path `abs`, and the path inside it. */
static struct vfs_mount *mount_of(const char *abs, const char **rel)
{
	struct vfs_mount *best = NULL;
	size_t best_len = 0;

	for (unsigned i = 0; i < VFS_MAX_MOUNTS; i++) {
		struct vfs_mount *m = &mounts[i];
		size_t len = strlen(m->path);
		if (!m->kind)
			continue;
		bool root = len == 1;
		if (!root && (strncmp(abs, m->path, len) ||
			      (abs[len] != '/' && abs[len] != '\0')))
			continue;
		if (!best || len > best_len) {
			best = m;
			best_len = len;
		}
	}
	if (best) {
		*rel = abs + (best_len == 1 ? 0 : best_len);
		while (**rel == '/')
			(*rel)++;
	}
	return best;
}

/* Where a path lands: its resolved form, its mount, the rest inside. */
struct vfs_where {
	char abs[VFS_PATH_MAX];
	struct vfs_mount *m;
	const char *rel;
};

/* 0, an error of vfs_resolve, or -ENOENT when no mount holds the path. */
static int locate(const char *path, struct vfs_where *w)
{
	int err = vfs_resolve(path, w->abs, sizeof(w->abs));
	if (err)
		return err;
	w->m = mount_of(w->abs, &w->rel);
	return w->m ? 0 : -ENOENT;
}

static struct vfs_mount *new_mount(const char *path, int *err)
{
	char abs[64];

	*err = vfs_resolve(path, abs, sizeof(abs));
	if (*err)
		return NULL;
	struct vfs_mount *free_slot = NULL;
	for (unsigned i = 0; i < VFS_MAX_MOUNTS; i++) {
		if (mounts[i].kind && !strcmp(mounts[i].path, abs)) {
			*err = -EBUSY;
			return NULL;
		}
		if (!mounts[i].kind && !free_slot)
			free_slot = &mounts[i];
	}
	if (!free_slot) {
		*err = -ENOSPC;
		return NULL;
	}
	memset(free_slot, 0, sizeof(*free_slot));
	strlcpy(free_slot->path, abs, sizeof(free_slot->path));
	return free_slot;
}

int vfs_mount_ramdisk(const struct ramdisk *rd, const char *path)
{
	int err;
	struct vfs_mount *m = new_mount(path, &err);

	if (!m)
		return err;
	m->rd = rd;
	m->kind = VFS_RAMDISK;
	return 0;
}

int vfs_mount_fat(struct blockdev *dev, const char *path)
{
	int err;
	struct vfs_mount *m = new_mount(path, &err);

	if (!m)
		return err;
	err = fat_mount(dev, &m->fat, &mount_why);
	if (err)
		return err;
	m->kind = VFS_FAT;
	return 0;
}

const char *vfs_mount_why(void)
{
	return mount_why ? mount_why : "no error";
}

int vfs_umount(const char *path)
{
	char abs[VFS_PATH_MAX];
	int err = vfs_resolve(path, abs, sizeof(abs));

	if (err)
		return err;
	for (unsigned i = 0; i < VFS_MAX_MOUNTS; i++) {
		struct vfs_mount *m = &mounts[i];
		if (!m->kind || strcmp(m->path, abs))
			continue;
		if (m->open)
			return -EBUSY;
		if (m->kind == VFS_FAT && (err = fat_umount(m->fat)))
			return err;
		m->kind = 0;
		return 0;
	}
	return -EINVAL;
}

int vfs_mount_at(unsigned i, const char **path, const char **kind)
{
	for (unsigned k = 0; k < VFS_MAX_MOUNTS; k++) {
		if (!mounts[k].kind || i--)
			continue;
		*path = mounts[k].path;
		*kind = mounts[k].kind == VFS_FAT ? "fat32" : "ramdisk";
		return 1;
	}
	return 0;
}

int vfs_open(const char *path, unsigned flags, struct vfs_file **out)
{
	struct vfs_where w;
	int err = locate(path, &w);

	if (err)
		return err;
	if ((flags & VFS_O_EXCL) && !(flags & VFS_O_CREAT))
		return -EINVAL;
	struct vfs_file *f = NULL;
	for (unsigned i = 0; i < VFS_MAX_OPEN && !f; i++)
		if (!files[i].m)
			f = &files[i];
	if (!f)
		return -EMFILE;
	memset(f, 0, sizeof(*f));
	f->flags = flags;
	f->m = w.m;
	err = w.m->kind == VFS_FAT ? vfs_fat_open(f, w.rel, flags)
				   : vfs_rd_open(f, w.rel, flags);
	if (err) {
		f->m = NULL;
		return err;
	}
	w.m->open++;
	*out = f;
	return 0;
}

int vfs_close(struct vfs_file *f)
{
	if (!f || !f->m)
		return -EBADF;
	if (f->m->kind == VFS_FAT)
		vfs_fat_close(f);
	f->m->open--;
	f->m = NULL;
	return 0;
}

long vfs_pread(struct vfs_file *f, void *buf, size_t len, uint64_t off)
{
	if (!(f->flags & VFS_O_READ))
		return -EBADF;
	if (f->m->kind == VFS_FAT)
		return fat_read(f->m->fat, f->node, buf, len, off);
	if (!f->rfile)
		return -EISDIR;
	if (off >= f->rfile->size)
		return 0;
	if (len > f->rfile->size - off)
		len = (size_t)(f->rfile->size - off);
	memcpy(buf, f->rfile->data + off, len);
	return (long)len;
}

long vfs_pwrite(struct vfs_file *f, const void *buf, size_t len, uint64_t off)
{
	if (!(f->flags & VFS_O_WRITE))
		return -EBADF;
	if (f->m->kind != VFS_FAT)
		return -EROFS;
	return fat_write(f->m->fat, f->node, buf, len, off);
}

long vfs_read(struct vfs_file *f, void *buf, size_t len)
{
	long n = vfs_pread(f, buf, len, f->pos);
	if (n > 0)
		f->pos += (uint64_t)n;
	return n;
}

long vfs_write(struct vfs_file *f, const void *buf, size_t len)
{
	if ((f->flags & VFS_O_APPEND) && f->m->kind == VFS_FAT)
		f->pos = fat_size(f->node);
	long n = vfs_pwrite(f, buf, len, f->pos);
	if (n > 0)
		f->pos += (uint64_t)n;
	return n;
}

int64_t vfs_seek(struct vfs_file *f, int64_t off, int whence)
{
	struct vfs_stat st;
	int64_t base;

	if (whence == VFS_SEEK_SET) {
		base = 0;
	} else if (whence == VFS_SEEK_CUR) {
		base = (int64_t)f->pos;
	} else if (whence == VFS_SEEK_END) {
		int err = vfs_fstat(f, &st);
		if (err)
			return err;
		base = (int64_t)st.size;
	} else {
		return -EINVAL;
	}
	if ((off < 0 && base + off < 0) || (off > 0 && base > INT64_MAX - off))
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (int64_t)f->pos;
}

int vfs_readdir(struct vfs_file *f, uint64_t cookie, struct vfs_dirent *d)
{
	return f->m->kind == VFS_FAT ? vfs_fat_readdir(f, cookie, d)
				     : vfs_rd_readdir(f, cookie, d);
}

int vfs_fstat(struct vfs_file *f, struct vfs_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = (uint64_t)(f->m - mounts) + 1;
	st->nlink = 1;
	return f->m->kind == VFS_FAT ? vfs_fat_stat(f, st) : vfs_rd_stat(f, st);
}

int vfs_stat(const char *path, struct vfs_stat *st)
{
	struct vfs_file *f;
	int err = vfs_open(path, 0, &f);

	if (err)
		return err;
	err = vfs_fstat(f, st);
	vfs_close(f);
	return err;
}

int vfs_ftruncate(struct vfs_file *f, uint64_t size)
{
	if (f->m->kind != VFS_FAT)
		return -EROFS;
	if (fat_is_dir(f->node))
		return -EISDIR;
	return fat_set_size(f->m->fat, f->node, size);
}

int vfs_futimes(struct vfs_file *f, int64_t atime_ns, int64_t mtime_ns)
{
	if (f->m->kind != VFS_FAT)
		return -EROFS;
	return fat_set_times(f->m->fat, f->node,
			     atime_ns < 0 ? -1 : atime_ns / 1000000000,
			     mtime_ns < 0 ? -1 : mtime_ns / 1000000000);
}

int vfs_utimes(const char *path, int64_t atime_ns, int64_t mtime_ns)
{
	struct vfs_file *f;
	int err = vfs_open(path, 0, &f);

	if (err)
		return err;
	err = vfs_futimes(f, atime_ns, mtime_ns);
	vfs_close(f);
	return err;
}

int vfs_fsync(struct vfs_file *f)
{
	return f->m->kind == VFS_FAT ? fat_sync(f->m->fat) : 0;
}

int vfs_sync(void)
{
	int first = 0;

	for (unsigned i = 0; i < VFS_MAX_MOUNTS; i++) {
		if (mounts[i].kind != VFS_FAT)
			continue;
		int err = fat_sync(mounts[i].fat);
		if (err && !first)
			first = err;
	}
	return first;
}

static int path_op(const char *path, char op)
{
	struct vfs_where w;
	int err = locate(path, &w);

	if (err)
		return err;
	if (!*w.rel)
		return op == 'm' ? -EEXIST : -EBUSY; /* a mount's root */
	if (w.m->kind != VFS_FAT)
		return -EROFS;
	return vfs_fat_path_op(w.m, w.rel, op);
}

int vfs_mkdir(const char *path)
{
	return path_op(path, 'm');
}

int vfs_rmdir(const char *path)
{
	return path_op(path, 'r');
}

int vfs_unlink(const char *path)
{
	return path_op(path, 'u');
}

int vfs_rename(const char *from, const char *to)
{
	struct vfs_where a, b;
	int err = locate(from, &a);

	if (!err)
		err = locate(to, &b);
	if (err)
		return err;
	if (a.m != b.m)
		return -EXDEV;
	if (!*a.rel || !*b.rel)
		return -EBUSY;
	if (a.m->kind != VFS_FAT)
		return -EROFS;
	return vfs_fat_rename(a.m, a.rel, b.rel);
}
