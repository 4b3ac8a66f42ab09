/*
 * drivers/include/drivers/blockdev.h: the seam between block devices
 * (virtio-blk on both arches; a file on the host for tests) and what sits
 * on them (the block cache and FAT32 in fs/).
 *
 * Requests are synchronous from the caller's point of view: read and
 * write return once the device has finished (a driver may keep several
 * requests in flight for several callers). Buffers are ordinary kernel
 * memory; a driver that needs physical addresses translates or bounces
 * them itself. Sector numbers and counts are in units of sector_size.
 *
 * Every operation returns 0 or a negative code from <lib/err.h>: -EIO for
 * a device error status, -ETIMEDOUT for a request the device never
 * finished, -ENODEV for a device that has gone away, -EINVAL for a range
 * past the end (checked by blockdev_check_range before the driver runs),
 * -EPERM for a write to a read-only device. None of them may hang or
 * panic.
 */
#ifndef DRIVERS_BLOCKDEV_H
#define DRIVERS_BLOCKDEV_H

#include <stdbool.h>
#include <stdint.h>

struct blockdev;

struct blockdev_ops {
	int (*read)(struct blockdev *dev, uint64_t sector, uint32_t count,
		    void *buf);
	int (*write)(struct blockdev *dev, uint64_t sector, uint32_t count,
		     const void *buf);
	/* Make every write that returned so far durable (virtio FLUSH). */
	int (*flush)(struct blockdev *dev);
};

struct blockdev {
	char name[16];	      /* "vda", "host0": for messages and `mount` */
	uint32_t sector_size; /* bytes; 512 for every device so far */
	uint64_t sectors;     /* capacity */
	bool read_only;
	const struct blockdev_ops *ops;
	void *priv; /* the driver's */
};

/* True when [sector, sector + count) lies inside the device. */
static inline bool blockdev_check_range(const struct blockdev *dev,
					uint64_t sector, uint32_t count)
{
	return sector <= dev->sectors && count <= dev->sectors - sector;
}

#endif
