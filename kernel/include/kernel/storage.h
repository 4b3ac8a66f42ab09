/*
 * The kernel's files: the VFS (<fs/vfs.h>) mounted at boot and the one
 * lock every caller holds around VFS calls.
 *
 * At boot storage_init() mounts the ramdisk at "/" and the first block
 * device holding a FAT32 volume at "/data", and says what it did (each
 * disk it could not mount, and why). `test` boots mount nothing on a disk: the
 * suites that write to disks (virtio, storage) own them and mount what they
 * need.
 *
 * storage_lock() is a mutex inside a kill-deferred section
 * (proc_kill_defer): a kill that comes while a process is in the VFS
 * waits until the call has finished, so no update of the file system
 * stops half-way (docs/storage.md, "Crash safety and kills").
 */
#ifndef KERNEL_STORAGE_H
#define KERNEL_STORAGE_H

#include <stdbool.h>
#include <stdint.h>

#define STORAGE_DATA_PATH "/data"

void storage_init(bool mount_disks);

/* The time files are stamped with, in ns since 1970. The kernel has no
 * real-time clock yet: time starts at FAT's epoch, 1980-01-01 00:00 UTC,
 * at boot (docs/storage.md). */
int64_t storage_now_ns(void);

void storage_lock(void);
void storage_unlock(void);

/* Write every mounted file system's changes to its disk (the shell's
 * `sync`, and `reboot` and `poweroff` before the machine goes): 0 or the
 * first error, which is also printed. Takes the lock. */
int storage_sync(void);

/* Mount the FAT32 volume on block device `dev` ("vda") at `path`, saying
 * why not if it cannot: 0 or a negative error. Takes the lock. */
int storage_mount(const char *dev, const char *path);

#endif
