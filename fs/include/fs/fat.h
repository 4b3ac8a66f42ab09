/*
 * fs/include/fs/fat.h: FAT32 with long file names, read and write, over a
 * block device through the sector cache (<fs/bcache.h>). The VFS
 * (<fs/vfs.h>) is the usual caller; the order of updates that keeps the
 * volume consistent across a power cut is in docs/storage.md.
 *
 * A node is a file or directory in use (looked up, created, open); nodes
 * are shared, counted, and released with fat_put. Names are UTF-8, one
 * path component each, compared ignoring ASCII case as FAT does. Every
 * call returns 0 (or a byte count) or a negative code from <lib/err.h>; a
 * corrupt volume gives -EIO (and a reason in v->why), never a hang.
 * Not thread-safe: the caller serialises (the VFS holds one lock).
 */
#ifndef FS_FAT_H
#define FS_FAT_H

#include <drivers/blockdev.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fat_vol;
struct fat_node;

/* The longest name, in UTF-16 units as FAT counts, and in UTF-8 bytes. */
#define FAT_NAME_MAX	  255
#define FAT_NAME_UTF8_MAX (FAT_NAME_MAX * 3)

/* Sectors of cache per volume. */
#define FAT_CACHE_SECTORS 256

struct fat_stat {
	bool is_dir;
	uint32_t size;
	uint64_t id; /* stable while the file is not renamed: the inode */
	/* Unix seconds; FAT keeps 2 s for writes, a day for access. */
	int64_t mtime, atime, ctime;
};

struct fat_dirent {
	char name[FAT_NAME_UTF8_MAX + 1];
	bool is_dir;
	uint32_t size;
	uint64_t id;
};

/*
 * Mount the FAT32 volume on `dev`. Refuses (-EINVAL, with *why) a boot
 * sector that is not FAT32 or whose values do not fit the device: sector
 * size other than the device's, cluster size not a power of two or over
 * 64 KiB, no FAT or more than two, a FAT too small for the clusters, a
 * root cluster out of range. A read-only device mounts read-only.
 */
int fat_mount(struct blockdev *dev, struct fat_vol **out, const char **why);
/* Sync and free. -EBUSY while nodes are in use (nothing freed). */
int fat_umount(struct fat_vol *v);
/* Free the volume writing nothing (its device has gone): unsynced
 * changes are lost, nodes still in use become invalid. */
void fat_drop(struct fat_vol *v);
/* Write everything in the crash-safe order, then flush the device. */
int fat_sync(struct fat_vol *v);
/* Why the last -EIO or mount refusal happened (static text). */
const char *fat_why(const struct fat_vol *v);
bool fat_read_only(const struct fat_vol *v);
uint32_t fat_free_clusters(const struct fat_vol *v);
uint32_t fat_cluster_bytes(const struct fat_vol *v);

/* The root directory (counted: fat_put it). */
struct fat_node *fat_root(struct fat_vol *v);
void fat_get(struct fat_node *n);
void fat_put(struct fat_vol *v, struct fat_node *n);
bool fat_is_dir(const struct fat_node *n);
uint32_t fat_size(const struct fat_node *n);

/* The entry `name` of `dir`: -ENOENT, -ENOTDIR, -ENAMETOOLONG, -EIO. */
int fat_lookup(struct fat_vol *v, struct fat_node *dir, const char *name,
	       struct fat_node **out);
/* A new empty file or directory: -EEXIST, -EINVAL (a name FAT cannot
 * hold), -ENOSPC, -EROFS. */
int fat_create(struct fat_vol *v, struct fat_node *dir, const char *name,
	       bool is_dir, struct fat_node **out);
/* Remove a file (want_dir false) or an empty directory (true): -EISDIR,
 * -ENOTDIR, -ENOTEMPTY, -EBUSY (in use). */
int fat_remove(struct fat_vol *v, struct fat_node *dir, const char *name,
	       bool want_dir);
/* Rename, replacing a file or empty directory of the new name (POSIX):
 * -EINVAL (a directory into itself), -EISDIR, -ENOTDIR, -ENOTEMPTY,
 * -EBUSY (the replaced one or a moved directory is in use). */
int fat_rename(struct fat_vol *v, struct fat_node *odir, const char *oname,
	       struct fat_node *ndir, const char *nname);

/* Bytes read (0 at or past the end). */
long fat_read(struct fat_vol *v, struct fat_node *n, void *buf, size_t len,
	      uint64_t off);
/* Bytes written (short only on -ENOSPC after some were written); a
 * write past the end fills the gap with zeros. -EFBIG past 4 GiB - 1. */
long fat_write(struct fat_vol *v, struct fat_node *n, const void *buf,
	       size_t len, uint64_t off);
int fat_set_size(struct fat_vol *v, struct fat_node *n, uint64_t size);
int fat_stat(struct fat_vol *v, struct fat_node *n, struct fat_stat *st);
/* Times in Unix seconds; a negative value leaves that time alone. */
int fat_set_times(struct fat_vol *v, struct fat_node *n, int64_t atime,
		  int64_t mtime);
/* Entry at *cookie of `dir` ("." and ".." left out): 1 and *cookie moved
 * past it, 0 at the end, or an error. Cookies start at 0. */
int fat_readdir(struct fat_vol *v, struct fat_node *dir, uint64_t *cookie,
		struct fat_dirent *out);

/* The clock for timestamps: Unix seconds (default: always 0, which FAT
 * stores as 1980-01-01). */
void fat_set_clock(int64_t (*now)(void));

/*
 * Make a FAT32 file system on all of `dev` (sector size 512): 32 reserved
 * sectors, two FATs, `sectors_per_cluster` (a power of two; 0 picks one),
 * root directory at cluster 2, FSInfo. -EINVAL if the device is too small
 * (under 64 KiB) or too large for the cluster size.
 */
int fat_format(struct blockdev *dev, unsigned sectors_per_cluster,
	       const char *label);

#endif
