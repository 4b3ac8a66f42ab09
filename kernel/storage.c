/*
 * The kernel's files (<kernel/storage.h>): boot-time mounts and the VFS
 * lock.
 */
#include <arch/timer.h>
#include <fs/fat.h>
#include <fs/vfs.h>
#include <kernel/printk.h>
#include <kernel/ramdisk.h>
#include <kernel/sched.h>
#include <kernel/storage.h>
#include <kernel/sync.h>
#include <lib/err.h>

/* 1980-01-01 00:00 UTC in Unix seconds. */
#define FAT_EPOCH_S 315532800ll

static struct mutex vfs_mutex;
static bool lock_ready;

void storage_lock(void)
{
	proc_kill_defer();
	mutex_lock(&vfs_mutex);
}

void storage_unlock(void)
{
	mutex_unlock(&vfs_mutex);
	proc_kill_allow();
}

int storage_mount(const char *dev, const char *path)
{
	const struct blockdev *bd;

	storage_lock();
	int rc = vfs_mount_disk(dev, path, &bd);
	if (!bd)
		printk("storage: no block device '%s'\n", dev);
	else if (rc < 0)
		printk("storage: %s not mounted at %s: %s (%s)\n", dev, path,
		       vfs_mount_why(), err_name(rc));
	else
		printk("storage: %s (%llu MiB, FAT32%s) mounted at %s\n", dev,
		       (unsigned long long)((bd->sectors * bd->sector_size) >>
					    20),
		       bd->read_only ? ", read-only" : "", path);
	storage_unlock();
	return rc;
}

int64_t storage_now_ns(void)
{
	return FAT_EPOCH_S * 1000000000ll + (int64_t)arch_time_ns();
}

static int64_t fat_clock(void)
{
	return storage_now_ns() / 1000000000ll;
}

int storage_sync(void)
{
	if (!lock_ready)
		return 0;
	storage_lock();
	int rc = vfs_sync();
	storage_unlock();
	if (rc < 0)
		printk("storage: sync failed: %s\n", err_name(rc));
	return rc;
}

void storage_init(bool mount_disks)
{
	fat_set_clock(fat_clock);
	if (!lock_ready) {
		mutex_init(&vfs_mutex, "vfs");
		lock_ready = true;
	}
	storage_lock();
	int rc = vfs_mount_ramdisk(&kernel_ramdisk, "/");
	storage_unlock();
	if (rc < 0)
		printk("storage: the ramdisk not mounted at /: %s\n",
		       err_name(rc));
	if (!mount_disks)
		return;
	/* The first disk with a FAT32 volume: on ARM a U-Boot boot disk
	 * (FAT16, in a partition) may come before the data disk. */
	const char *name;
	for (unsigned i = 0; (name = vfs_disk_name(i)); i++)
		if (storage_mount(name, STORAGE_DATA_PATH) == 0)
			return;
}
