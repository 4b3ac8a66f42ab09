/*
 * fs/include/fs/vfs.h: the kernel's file API. A mount table of file
 * systems (the read-only ramdisk, FAT32 on block devices), absolute
 * paths, open files with offsets, directory listing with cookies, stat.
 * Shaped to map one to one onto WASI preview1 (docs/storage.md, "VFS and
 * WASI"): path_open's create/excl/trunc/directory flags, fd_pread and
 * fd_pwrite, fd_readdir's cookies, filestat's type, size and times.
 *
 * Paths are absolute ("/data/x.txt"); "." and ".." are resolved by name
 * (there are no symbolic links), so "/data/.." is "/": a caller that must
 * keep a program inside a preopened directory checks the resolved path
 * (vfs_resolve) against it. Every call returns 0, a count, or a negative
 * code from <lib/err.h>.
 *
 * Not thread-safe: the caller holds one lock around every call (the
 * kernel glue's mutex; the host is single-threaded).
 */
#ifndef FS_VFS_H
#define FS_VFS_H

#include <drivers/blockdev.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VFS_PATH_MAX   1024
#define VFS_NAME_MAX   765 /* bytes of UTF-8 in one name (FAT's 255 UCS-2) */
#define VFS_MAX_OPEN   64
#define VFS_MAX_MOUNTS 8

/* vfs_open flags. READ/WRITE say what the file is opened for. */
#define VFS_O_READ	0x01
#define VFS_O_WRITE	0x02
#define VFS_O_CREAT	0x04 /* create a file if missing */
#define VFS_O_EXCL	0x08 /* with CREAT: -EEXIST if it exists */
#define VFS_O_TRUNC	0x10 /* size 0 on open */
#define VFS_O_APPEND	0x20 /* vfs_write writes at the end */
#define VFS_O_DIRECTORY 0x40 /* -ENOTDIR unless a directory */

enum vfs_type { VFS_TYPE_FILE = 1, VFS_TYPE_DIR = 2 };

struct vfs_stat {
	uint64_t dev; /* the mount: 1, 2, ... */
	uint64_t ino; /* stable while the file keeps its name */
	enum vfs_type type;
	uint64_t nlink;
	uint64_t size;
	int64_t atime_ns, mtime_ns, ctime_ns; /* since 1970, UTC */
};

struct vfs_dirent {
	char name[VFS_NAME_MAX + 1];
	enum vfs_type type;
	uint64_t ino;
	uint64_t next; /* the cookie of the entry after this one */
};

struct vfs_file;

/* Mount the ramdisk (read-only) or the FAT32 volume on `dev` at `path`
 * ("/" or "/name"). -EBUSY (taken), -ENOSPC (table full), a refused FAT
 * volume's error with the reason in vfs_mount_why(). */
struct ramdisk;
int vfs_mount_ramdisk(const struct ramdisk *rd, const char *path);
int vfs_mount_fat(struct blockdev *dev, const char *path);
const char *vfs_mount_why(void);
/* The same for the FAT32 volume on the block device its driver registered
 * as `name` ("vda"), or -ENODEV when there is none; *dev is that device
 * (NULL if none), for messages. Kernel builds only (fs/vfs_disks.c). */
int vfs_mount_disk(const char *name, const char *path,
		   const struct blockdev **dev);
/* The name of the i-th block device in the order the drivers found them,
 * or NULL past the last. */
const char *vfs_disk_name(unsigned i);
/* Sync and unmount: -EBUSY while a file on it is open, -EINVAL if no
 * mount is there. */
int vfs_umount(const char *path);
/* Each mount in turn: 1 and its path and kind ("ramdisk", "fat32"), 0
 * past the last. */
int vfs_mount_at(unsigned i, const char **path, const char **kind);

/* The absolute, resolved form of `path` ("/a/./b/../c" -> "/a/c"). */
int vfs_resolve(const char *path, char *out, size_t size);

int vfs_open(const char *path, unsigned flags, struct vfs_file **out);
int vfs_close(struct vfs_file *f);
long vfs_pread(struct vfs_file *f, void *buf, size_t len, uint64_t off);
long vfs_pwrite(struct vfs_file *f, const void *buf, size_t len, uint64_t off);
/* At the file's offset, which they move; vfs_write appends under
 * VFS_O_APPEND. */
long vfs_read(struct vfs_file *f, void *buf, size_t len);
long vfs_write(struct vfs_file *f, const void *buf, size_t len);
#define VFS_SEEK_SET 0
#define VFS_SEEK_CUR 1
#define VFS_SEEK_END 2
/* The new offset, or -EINVAL (negative result, bad whence). */
int64_t vfs_seek(struct vfs_file *f, int64_t off, int whence);
/* The entry at `cookie` (0: the first): 1, 0 at the end, or an error. */
int vfs_readdir(struct vfs_file *f, uint64_t cookie, struct vfs_dirent *d);
int vfs_fstat(struct vfs_file *f, struct vfs_stat *st);
int vfs_stat(const char *path, struct vfs_stat *st);
int vfs_ftruncate(struct vfs_file *f, uint64_t size);
/* Times in ns since 1970; VFS_TIME_OMIT leaves one alone. FAT keeps
 * 2 s for the modification time and a day for the access time. */
#define VFS_TIME_OMIT (-1)
int vfs_futimes(struct vfs_file *f, int64_t atime_ns, int64_t mtime_ns);
int vfs_utimes(const char *path, int64_t atime_ns, int64_t mtime_ns);
/* The file's data and size durable (today: the whole volume's). */
int vfs_fsync(struct vfs_file *f);
int vfs_sync(void);
int vfs_mkdir(const char *path);
int vfs_rmdir(const char *path);
int vfs_unlink(const char *path);
/* -EXDEV across mounts. */
int vfs_rename(const char *from, const char *to);

#endif
