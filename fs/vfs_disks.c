/*
 * Mounting a block device by its name (see <fs/vfs.h>): fs/ is what sits
 * on block devices, so fs/, not the kernel's glue, looks them up in the
 * list the drivers register into (<drivers/blockdev_registry.h>). Kernel
 * builds only: the host tests and fstool have no drivers and mount the
 * devices they make with vfs_mount_fat (fs/rules.mk).
 */
#include <drivers/blockdev_registry.h>
#include <fs/vfs.h>
#include <lib/err.h>
#include <stddef.h>

int vfs_mount_disk(const char *name, const char *path,
		   const struct blockdev **dev)
{
	struct blockdev *bd = blockdev_find(name);

	*dev = bd;
	return bd ? vfs_mount_fat(bd, path) : -ENODEV;
}

const char *vfs_disk_name(unsigned i)
{
	struct blockdev *bd = blockdev_at(i);

	return bd ? bd->name : NULL;
}
