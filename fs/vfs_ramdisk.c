/*
 * The VFS on the ramdisk (<kernel/ramdisk.h>): read-only; its files have
 * full paths as names ("bin/prog.wasm"), and a directory is any prefix
 * ending in '/' that some file's name starts with.
 */
#include "vfs_internal.h"
#include <lib/err.h>
#include <string.h>

static bool has_prefix(const struct ramdisk *rd, const char *prefix)
{
	size_t len = strlen(prefix);

	for (unsigned i = 0; i < rd->count; i++)
		if (!strncmp(ramdisk_file_at(rd, i)->name, prefix, len))
			return true;
	return false;
}

int vfs_rd_open(struct vfs_file *f, const char *rel, unsigned flags)
{
	const struct ramdisk *rd = f->m->rd;
	size_t len = strlen(rel);

	if (len + 2 > sizeof(f->prefix))
		return -ENAMETOOLONG;
	const struct ramdisk_file *file = *rel ? ramdisk_find(rd, rel) : NULL;
	if (!file) {
		memcpy(f->prefix, rel, len);
		if (len)
			f->prefix[len++] = '/';
		f->prefix[len] = '\0';
		if (len && !has_prefix(rd, f->prefix))
			return (flags & VFS_O_CREAT) ? -EROFS : -ENOENT;
	}
	if (flags & (VFS_O_WRITE | VFS_O_TRUNC))
		return file ? -EROFS : -EISDIR;
	if ((flags & VFS_O_CREAT) && (flags & VFS_O_EXCL))
		return -EEXIST;
	if (file && (flags & VFS_O_DIRECTORY))
		return -ENOTDIR;
	f->rfile = file;
	return 0;
}

/* A stable number for a name (FNV-1a), for directories' inodes. */
static uint64_t name_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 1099511628211ull;
	return h | 1ull << 63;
}

int vfs_rd_stat(struct vfs_file *f, struct vfs_stat *st)
{
	if (f->rfile) {
		st->type = VFS_TYPE_FILE;
		st->size = f->rfile->size;
		st->ino = name_hash(f->rfile->name) & ~(1ull << 63);
	} else {
		st->type = VFS_TYPE_DIR;
		st->ino = name_hash(f->prefix);
	}
	return 0;
}

/* The entry of file i under the directory: its next name component;
 * false if file i is not under it or an earlier file gave that name. */
static bool entry_of(const struct ramdisk *rd, const char *prefix, unsigned i,
		     const char **name, size_t *len, bool *dir)
{
	size_t plen = strlen(prefix);
	const char *n = ramdisk_file_at(rd, i)->name;

	if (strncmp(n, prefix, plen) || !n[plen])
		return false;
	n += plen;
	const char *slash = strchr(n, '/');
	*len = slash ? (size_t)(slash - n) : strlen(n);
	*dir = slash != NULL;
	*name = n;
	for (unsigned j = 0; j < i; j++) {
		const char *m = ramdisk_file_at(rd, j)->name;
		if (!strncmp(m, prefix, plen) && !strncmp(m + plen, n, *len) &&
		    (m[plen + *len] == '/' || m[plen + *len] == '\0'))
			return false;
	}
	return true;
}

int vfs_rd_readdir(struct vfs_file *f, uint64_t cookie, struct vfs_dirent *d)
{
	const struct ramdisk *rd = f->m->rd;

	if (f->rfile)
		return -ENOTDIR;
	for (uint64_t i = cookie; i < rd->count; i++) {
		const char *name;
		size_t len;
		bool dir;
		if (!entry_of(rd, f->prefix, (unsigned)i, &name, &len, &dir))
			continue;
		if (len > VFS_NAME_MAX)
			continue;
		memcpy(d->name, name, len);
		d->name[len] = '\0';
		d->type = dir ? VFS_TYPE_DIR : VFS_TYPE_FILE;
		d->ino = name_hash(ramdisk_file_at(rd, (unsigned)i)->name);
		d->next = i + 1;
		return 1;
	}
	return 0;
}
