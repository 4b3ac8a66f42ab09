/*
 * fs/include/fs/ramblk.h: a block device in memory, for the file system's
 * tests on the host and in the kernel, with fault injection: fail every
 * read or write after a given number, or turn read-only.
 */
#ifndef FS_RAMBLK_H
#define FS_RAMBLK_H

#include <drivers/blockdev.h>

struct ramblk {
	struct blockdev dev;
	uint8_t *mem;
	/* Operations left before each fails with -EIO; -1: never. */
	long fail_reads_after, fail_writes_after;
	unsigned long reads, writes, flushes;
};

/* A zeroed device of `sectors` 512-byte sectors: 0 or -ENOMEM. */
int ramblk_init(struct ramblk *rb, uint64_t sectors);
void ramblk_free(struct ramblk *rb);

#endif
