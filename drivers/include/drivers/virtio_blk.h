/*
 * virtio-blk (virtio 1.x, 5.2): each disk becomes a struct blockdev named
 * vda, vdb, ... in the order found, listed in <drivers/blockdev_registry.h>.
 * Here: the probe the core calls, and counters for tests and `disks`.
 */
#ifndef DRIVERS_VIRTIO_BLK_H
#define DRIVERS_VIRTIO_BLK_H

#include <drivers/blockdev.h>
#include <stdbool.h>

struct virtio_dev;

/* Called by the core for a device of type 2. 0 or -ENODEV/-ENOMEM. */
int virtio_blk_probe(struct virtio_dev *d);

struct virtio_blk_stats {
	unsigned long requests; /* finished by the device */
	unsigned long errors;	/* status IOERR or UNSUPP */
	unsigned long timeouts; /* requests that never finished */
	unsigned long resets;	/* recoveries after a timeout */
	unsigned long bounced;	/* requests through a bounce buffer */
	unsigned slots;		/* requests the queue holds at once */
	unsigned max_in_flight; /* most seen at once */
	bool flush;		/* VIRTIO_BLK_F_FLUSH negotiated */
	const char *where;	/* the transport's name for it */
};

/* Fill `out` if `bd` is a virtio-blk disk: 0, else -ENODEV. */
int virtio_blk_get_stats(struct blockdev *bd, struct virtio_blk_stats *out);

/* The request timeout in ms (CONFIG_VIRTIO_BLK_TIMEOUT_MS unless a test
 * shortens it); returns the old value. */
unsigned virtio_blk_set_timeout(unsigned ms);

#endif
