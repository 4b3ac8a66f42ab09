/*
 * The list of block devices (<drivers/blockdev.h>) the drivers found, for
 * what mounts them (fs/), the `disks` shell command and the tests. Devices
 * are registered at boot and never removed (a device that breaks stays
 * listed and answers -ENODEV), so a pointer from here stays valid.
 */
#ifndef DRIVERS_BLOCKDEV_REGISTRY_H
#define DRIVERS_BLOCKDEV_REGISTRY_H

#include <drivers/blockdev.h>

#define BLOCKDEV_MAX 16

/* Add `dev` (its name set, unique). 0, -EEXIST, or -ENOSPC. Process
 * context. */
int blockdev_register(struct blockdev *dev);
/* The device called `name` ("vda"), or NULL. */
struct blockdev *blockdev_find(const char *name);
/* The i-th device in the order found, or NULL past the end. */
struct blockdev *blockdev_at(unsigned i);
unsigned blockdev_count(void);

#endif
