/*
 * Private to fs/vfs*.c: mounts and open files, and each file system's
 * entry points (vfs_fat.c, vfs_ramdisk.c), called by vfs.c by kind.
 */
#ifndef FS_VFS_INTERNAL_H
#define FS_VFS_INTERNAL_H

#include <fs/fat.h>
#include <fs/vfs.h>
#include <kernel/ramdisk.h>

enum vfs_kind { VFS_RAMDISK = 1, VFS_FAT };

struct vfs_mount {
	enum vfs_kind kind; /* 0: a free slot */
	char path[64];
	const struct ramdisk *rd;
	struct fat_vol *fat;
	unsigned open;
};

struct vfs_file {
	struct vfs_mount *m; /* NULL: a free slot */
	unsigned flags;
	uint64_t pos;
	struct fat_node *node; /* FAT */
	/* ramdisk: a file, or a directory named by its prefix ("" is the
	 * root, "bin/" a directory) */
	const struct ramdisk_file *rfile;
	char prefix[RAMDISK_NAME_MAX + 2];
};

/* A path inside a mount: components separated by one '/', no leading
 * or trailing '/', "" for the mount's root. */
int vfs_fat_open(struct vfs_file *f, const char *rel, unsigned flags);
void vfs_fat_close(struct vfs_file *f);
int vfs_fat_stat(struct vfs_file *f, struct vfs_stat *st);
int vfs_fat_readdir(struct vfs_file *f, uint64_t cookie, struct vfs_dirent *d);
/* mkdir, rmdir, unlink: by `op` 'm', 'r', 'u'. */
int vfs_fat_path_op(struct vfs_mount *m, const char *rel, char op);
int vfs_fat_rename(struct vfs_mount *m, const char *from, const char *to);

int vfs_rd_open(struct vfs_file *f, const char *rel, unsigned flags);
int vfs_rd_stat(struct vfs_file *f, struct vfs_stat *st);
int vfs_rd_readdir(struct vfs_file *f, uint64_t cookie, struct vfs_dirent *d);

#endif
