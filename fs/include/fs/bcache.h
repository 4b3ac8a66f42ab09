/*
 * fs/include/fs/bcache.h: a write-back cache of device sectors with an
 * ordered flush (docs/storage.md, "Order of updates").
 *
 * Each dirty buffer carries a class: DATA (file contents and the contents
 * of directory clusters not yet linked anywhere), FAT (allocation table and
 * FSInfo) or DIR (directory entries of linked directories). bcache_sync
 * writes every dirty DATA buffer, flushes the device, then FAT, flush,
 * then DIR, flush, then calls the commit hook (which may dirty FAT buffers
 * only: the deferred frees) and writes and flushes those. A buffer dirtied
 * in two classes before it reached the disk keeps the lower class, so it
 * is written no later than either update needs.
 *
 * Memory is bounded: `nbufs` buffers of one sector each. When every buffer
 * is dirty or pinned, getting another one first syncs the whole cache (the
 * only write order that keeps the guarantee). Errors from the device
 * propagate: a failed write leaves the buffer dirty and the sync returns
 * the error. Not thread-safe: one caller at a time (the VFS lock).
 */
#ifndef FS_BCACHE_H
#define FS_BCACHE_H

#include <drivers/blockdev.h>
#include <stdbool.h>
#include <stdint.h>

enum bcache_class { BCACHE_DATA, BCACHE_FAT, BCACHE_DIR, BCACHE_CLASSES };

struct bcache_buf {
	uint8_t *data;	 /* one sector */
	uint64_t sector; /* valid when `valid` */
	bool valid;
	bool dirty;
	uint8_t class; /* enum bcache_class, meaningful when dirty */
	unsigned pins;
	uint64_t used; /* LRU stamp */
	int next;      /* hash chain, -1 ends */
};

struct bcache {
	struct blockdev *dev;
	struct bcache_buf *bufs;
	unsigned nbufs;
	int *hash; /* nbufs buckets of buffer indices */
	uint64_t clock;
	/* Called by bcache_sync after the DIR phase is durable. */
	int (*commit)(void *ctx);
	void *commit_ctx;
	unsigned long reads, writes, flushes, syncs; /* counters for tests */
};

/* A cache of `nbufs` (>= 8) sectors of `dev`. -ENOMEM, -EINVAL. */
int bcache_init(struct bcache *bc, struct blockdev *dev, unsigned nbufs);
/* Frees the buffers; dirty data not synced is lost (call bcache_sync). */
void bcache_destroy(struct bcache *bc);

/*
 * The buffer of `sector`, pinned until bcache_put. `fill`: read it from the
 * device (else the caller overwrites the whole sector). Errors: -EINVAL
 * (past the end), the device's read error, or a sync's error when the
 * cache was full of dirty buffers.
 */
int bcache_get(struct bcache *bc, uint64_t sector, bool fill,
	       struct bcache_buf **out);
void bcache_put(struct bcache *bc, struct bcache_buf *b);
/* Mark a pinned buffer modified, in update class `class`. */
void bcache_dirty(struct bcache *bc, struct bcache_buf *b,
		  enum bcache_class class);

/* Write everything in order (see above) and flush. 0 or the first error. */
int bcache_sync(struct bcache *bc);
/* Dirty buffers now (for tests and `sync` statistics). */
unsigned bcache_dirty_count(const struct bcache *bc);

#endif
