/*
 * The VFS on FAT32 (see <fs/fat.h>): walking a path to a node, open with
 * WASI's flags, listing, stat, and the calls by path.
 */
#include "vfs_internal.h"
#include <lib/err.h>
#include <string.h>

/* The node of the directory holding the last component of `rel`, and
 * that component; or, with last NULL, the node of rel itself. */
static int walk(struct fat_vol *v, const char *rel, struct fat_node **out,
		char *last)
{
	struct fat_node *n = fat_root(v);

	while (*rel) {
		const char *end = strchr(rel, '/');
		size_t len = end ? (size_t)(end - rel) : strlen(rel);
		char name[VFS_NAME_MAX + 1];
		if (len > VFS_NAME_MAX) {
			fat_put(v, n);
			return -ENAMETOOLONG;
		}
		memcpy(name, rel, len);
		name[len] = '\0';
		rel += len + (end ? 1 : 0);
		if (!*rel && last) {
			strlcpy(last, name, VFS_NAME_MAX + 1);
			break;
		}
		struct fat_node *child;
		int err = fat_lookup(v, n, name, &child);
		fat_put(v, n);
		if (err)
			return err;
		n = child;
	}
	*out = n;
	return 0;
}

int vfs_fat_open(struct vfs_file *f, const char *rel, unsigned flags)
{
	struct fat_vol *v = f->m->fat;
	char name[VFS_NAME_MAX + 1];
	struct fat_node *dir, *n;
	int err;

	if (!*rel) {
		n = fat_root(v);
	} else {
		if ((err = walk(v, rel, &dir, name)))
			return err;
		err = fat_lookup(v, dir, name, &n);
		if (err == -ENOENT && (flags & VFS_O_CREAT) &&
		    !(flags & VFS_O_DIRECTORY))
			err = fat_create(v, dir, name, false, &n);
		else if (!err && (flags & VFS_O_CREAT) &&
			 (flags & VFS_O_EXCL)) {
			fat_put(v, n);
			err = -EEXIST;
		}
		fat_put(v, dir);
		if (err)
			return err;
	}
	if (!fat_is_dir(n) && (flags & VFS_O_DIRECTORY))
		err = -ENOTDIR;
	else if (fat_is_dir(n) && (flags & (VFS_O_WRITE | VFS_O_TRUNC)))
		err = -EISDIR;
	else if ((flags & (VFS_O_WRITE | VFS_O_TRUNC)) && fat_read_only(v))
		err = -EROFS;
	else if ((flags & VFS_O_TRUNC) && fat_size(n))
		err = fat_set_size(v, n, 0);
	if (err) {
		fat_put(v, n);
		return err;
	}
	f->node = n;
	return 0;
}

void vfs_fat_close(struct vfs_file *f)
{
	fat_put(f->m->fat, f->node);
}

int vfs_fat_stat(struct vfs_file *f, struct vfs_stat *st)
{
	struct fat_stat fs;
	int err = fat_stat(f->m->fat, f->node, &fs);

	if (err)
		return err;
	st->ino = fs.id;
	st->type = fs.is_dir ? VFS_TYPE_DIR : VFS_TYPE_FILE;
	st->size = fs.size;
	st->atime_ns = fs.atime * 1000000000;
	st->mtime_ns = fs.mtime * 1000000000;
	st->ctime_ns = fs.ctime * 1000000000;
	return 0;
}

int vfs_fat_readdir(struct vfs_file *f, uint64_t cookie, struct vfs_dirent *d)
{
	struct fat_dirent e;
	int r = fat_readdir(f->m->fat, f->node, &cookie, &e);

	if (r <= 0)
		return r;
	strlcpy(d->name, e.name, sizeof(d->name));
	d->type = e.is_dir ? VFS_TYPE_DIR : VFS_TYPE_FILE;
	d->ino = e.id;
	d->next = cookie;
	return 1;
}

int vfs_fat_path_op(struct vfs_mount *m, const char *rel, char op)
{
	char name[VFS_NAME_MAX + 1];
	struct fat_node *dir, *n;
	int err = walk(m->fat, rel, &dir, name);

	if (err)
		return err;
	if (op == 'm') {
		err = fat_create(m->fat, dir, name, true, &n);
		if (!err)
			fat_put(m->fat, n);
	} else {
		err = fat_remove(m->fat, dir, name, op == 'r');
	}
	fat_put(m->fat, dir);
	return err;
}

int vfs_fat_rename(struct vfs_mount *m, const char *from, const char *to)
{
	char a[VFS_NAME_MAX + 1], b[VFS_NAME_MAX + 1];
	struct fat_node *da, *db;
	int err = walk(m->fat, from, &da, a);

	if (err)
		return err;
	err = walk(m->fat, to, &db, b);
	if (!err) {
		err = fat_rename(m->fat, da, a, db, b);
		fat_put(m->fat, db);
	}
	fat_put(m->fat, da);
	return err;
}
