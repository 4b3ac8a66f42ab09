/*
 * The VFS: a ramdisk at "/vt" and a FAT32 RAM disk at "/vt/data" (not
 * "/" and "/data", which the kernel's own mounts may hold), through
 * the calls the WASI glue uses (open flags, offsets, listing with
 * cookies, stat, rename across mounts, the open-file limit).
 */
#include "fat_test_util.h"
#include <fs/vfs.h>
#include <kernel/ramdisk.h>
#include <lib/err.h>
#include <lib/printf.h>
#include <string.h>

static struct ramdisk rd;

static void rd_file(const char *name, const char *data)
{
	struct ramdisk_file *f = &rd.files[rd.count++];
	strlcpy(f->name, name, sizeof(f->name));
	f->data = (const uint8_t *)data;
	f->size = strlen(data);
}

/* Mount both; false (and a failure) if that does not work. */
static bool setup(struct ktest *t, struct ramblk *rb)
{
	struct fat_vol *v;

	memset(&rd, 0, sizeof(rd));
	rd_file("hello.txt", "hello from the ramdisk");
	rd_file("bin/prog.wasm", "\0asm");
	rd_file("bin/other.wasm", "xx");
	rd_file("etc/conf", "k=v");
	if (!fat_test_setup(t, rb, TEST_DISK_SECTORS, 1, &v))
		return false;
	KT_EXPECT_EQ(t, fat_umount(v), 0);
	KT_EXPECT_EQ(t, vfs_mount_ramdisk(&rd, "/vt"), 0);
	KT_EXPECT_EQ(t, vfs_mount_fat(&rb->dev, "/vt/data"), 0);
	return true;
}

static void teardown(struct ktest *t, struct ramblk *rb)
{
	unsigned lost = 99;

	KT_EXPECT_EQ(t, vfs_umount("/vt/data"), 0);
	KT_EXPECT_EQ(t, vfs_umount("/vt"), 0);
	KT_EXPECT_EQ(t, fat_test_fsck(t, &rb->dev, &lost), 0);
	KT_EXPECT_EQ(t, lost, 0u);
	ramblk_free(rb);
}

KTEST(vfs, resolve)
{
	char out[32];

	KT_EXPECT_EQ(t, vfs_resolve("/a/./b/../c//", out, sizeof(out)), 0);
	KT_EXPECT_STREQ(t, out, "/a/c");
	KT_EXPECT_EQ(t, vfs_resolve("/../..", out, sizeof(out)), 0);
	KT_EXPECT_STREQ(t, out, "/");
	KT_EXPECT_EQ(t, vfs_resolve("/data/..", out, sizeof(out)), 0);
	KT_EXPECT_STREQ(t, out, "/");
	KT_EXPECT_EQ(t, vfs_resolve("relative", out, sizeof(out)), -EINVAL);
	KT_EXPECT_EQ(t,
		     vfs_resolve("/a-very-long-name/that-does-not-fit", out,
				 sizeof(out)),
		     -ENAMETOOLONG);
}

KTEST(vfs, ramdisk_read_only)
{
	struct ramblk rb;
	struct vfs_file *f;
	struct vfs_dirent d;
	struct vfs_stat st;
	char buf[64];

	if (!setup(t, &rb))
		return;
	KT_ASSERT_EQ(t, vfs_open("/vt/hello.txt", VFS_O_READ, &f), 0);
	KT_EXPECT_EQ(t, vfs_read(f, buf, 5), 5);
	KT_EXPECT_EQ(t, memcmp(buf, "hello", 5), 0);
	KT_EXPECT_EQ(t, vfs_seek(f, -8, VFS_SEEK_END), 14);
	KT_EXPECT_EQ(t, vfs_read(f, buf, sizeof(buf)), 8);
	KT_EXPECT_EQ(t, vfs_write(f, "x", 1), -EBADF);
	KT_EXPECT_EQ(t, vfs_close(f), 0);
	KT_EXPECT_EQ(t, vfs_open("/vt/hello.txt", VFS_O_WRITE, &f), -EROFS);
	KT_EXPECT_EQ(t, vfs_open("/vt/new", VFS_O_CREAT | VFS_O_WRITE, &f),
		     -EROFS);
	KT_EXPECT_EQ(t, vfs_open("/vt/nothing", VFS_O_READ, &f), -ENOENT);
	KT_EXPECT_EQ(t, vfs_unlink("/vt/hello.txt"), -EROFS);
	KT_EXPECT_EQ(t, vfs_open("/vt/hello.txt", VFS_O_DIRECTORY, &f),
		     -ENOTDIR);
	KT_EXPECT_EQ(t, vfs_stat("/vt/bin", &st), 0);
	KT_EXPECT_EQ(t, st.type, VFS_TYPE_DIR);
	KT_EXPECT_EQ(t, vfs_stat("/vt/bin/../etc/conf", &st), 0);
	KT_EXPECT_EQ(t, st.size, 3u);
	/* The root lists hello.txt, bin and etc once each. */
	KT_ASSERT_EQ(t, vfs_open("/vt", VFS_O_DIRECTORY, &f), 0);
	unsigned n = 0, dirs = 0;
	uint64_t cookie = 0;
	while (vfs_readdir(f, cookie, &d) == 1) {
		n++;
		dirs += d.type == VFS_TYPE_DIR;
		cookie = d.next;
	}
	KT_EXPECT_EQ(t, n, 3u);
	KT_EXPECT_EQ(t, dirs, 2u);
	vfs_close(f);
	teardown(t, &rb);
}

KTEST(vfs, fat_files)
{
	struct ramblk rb;
	struct vfs_file *f, *g;
	struct vfs_stat st;
	char buf[64];

	if (!setup(t, &rb))
		return;
	unsigned rw = VFS_O_READ | VFS_O_WRITE;
	KT_ASSERT_EQ(t, vfs_open("/vt/data/x.txt", rw | VFS_O_CREAT, &f), 0);
	KT_EXPECT_EQ(t, vfs_write(f, "hello", 5), 5);
	KT_EXPECT_EQ(t, vfs_pwrite(f, "J", 1, 0), 1);
	KT_EXPECT_EQ(t, vfs_seek(f, 0, VFS_SEEK_CUR), 5);
	KT_EXPECT_EQ(t, vfs_pread(f, buf, sizeof(buf), 0), 5);
	KT_EXPECT_EQ(t, memcmp(buf, "Jello", 5), 0);
	/* A second open shares the file: it sees the size. */
	KT_ASSERT_EQ(t, vfs_open("/vt/data/./x.txt", rw | VFS_O_APPEND, &g), 0);
	KT_EXPECT_EQ(t, vfs_write(g, "!!", 2), 2);
	KT_EXPECT_EQ(t, vfs_fstat(f, &st), 0);
	KT_EXPECT_EQ(t, st.size, 7u);
	KT_EXPECT_EQ(t, st.type, VFS_TYPE_FILE);
	KT_EXPECT_EQ(t, vfs_fsync(g), 0);
	vfs_close(g);
	KT_EXPECT_EQ(t,
		     vfs_open("/vt/data/x.txt", VFS_O_CREAT | VFS_O_EXCL, &g),
		     -EEXIST);
	KT_EXPECT_EQ(t, vfs_open("/vt/data/x.txt/y", VFS_O_READ, &g), -ENOTDIR);
	KT_EXPECT_EQ(t, vfs_ftruncate(f, 2), 0);
	KT_EXPECT_EQ(t, vfs_futimes(f, VFS_TIME_OMIT, 1500000000000000000ll),
		     0);
	KT_EXPECT_EQ(t, vfs_fstat(f, &st), 0);
	KT_EXPECT_EQ(t, st.size, 2u);
	KT_EXPECT_EQ(t, st.mtime_ns, 1500000000000000000ll);
	KT_EXPECT_EQ(t, vfs_unlink("/vt/data/x.txt"), -EBUSY);
	vfs_close(f);
	KT_ASSERT_EQ(t, vfs_open("/vt/data/x.txt", rw | VFS_O_TRUNC, &f), 0);
	KT_EXPECT_EQ(t, vfs_read(f, buf, sizeof(buf)), 0);
	vfs_close(f);
	/* Directories. */
	KT_EXPECT_EQ(t, vfs_mkdir("/vt/data/d"), 0);
	KT_EXPECT_EQ(t, vfs_mkdir("/vt/data/d"), -EEXIST);
	KT_EXPECT_EQ(t, vfs_open("/vt/data/d", VFS_O_WRITE, &f), -EISDIR);
	KT_EXPECT_EQ(t, vfs_rename("/vt/data/x.txt", "/vt/data/d/y.txt"), 0);
	KT_EXPECT_EQ(t, vfs_rename("/vt/data/d/y.txt", "/vt/y.txt"), -EXDEV);
	KT_EXPECT_EQ(t, vfs_rmdir("/vt/data/d"), -ENOTEMPTY);
	KT_EXPECT_EQ(t, vfs_stat("/vt/data/d/y.txt", &st), 0);
	KT_EXPECT_EQ(t, vfs_unlink("/vt/data/d"), -EISDIR);
	KT_EXPECT_EQ(t, vfs_rmdir("/vt/data/d/y.txt"), -ENOTDIR);
	KT_EXPECT_EQ(t, vfs_unlink("/vt/data/d/y.txt"), 0);
	KT_EXPECT_EQ(t, vfs_rmdir("/vt/data/d"), 0);
	KT_EXPECT_EQ(t, vfs_stat("/vt/data/d", &st), -ENOENT);
	KT_EXPECT_EQ(t, vfs_rmdir("/vt/data"), -EBUSY);
	KT_EXPECT_EQ(t, vfs_rmdir("/vt/data/.."), -EBUSY);
	teardown(t, &rb);
}

KTEST(vfs, listing_cookies_and_limits)
{
	static struct vfs_file *open[VFS_MAX_OPEN];
	struct ramblk rb;
	struct vfs_file *f;
	struct vfs_dirent d;
	char path[64];

	if (!setup(t, &rb))
		return;
	for (int i = 0; i < 30; i++) {
		snprintf(path, sizeof(path), "/vt/data/file number %d", i);
		KT_EXPECT_EQ(t, vfs_open(path, VFS_O_CREAT, &f), 0);
		vfs_close(f);
	}
	/* List in two halves: the cookie resumes where the first stopped. */
	KT_ASSERT_EQ(t, vfs_open("/vt/data", VFS_O_DIRECTORY, &f), 0);
	unsigned n = 0;
	uint64_t cookie = 0, half = 0;
	while (vfs_readdir(f, cookie, &d) == 1) {
		cookie = d.next;
		if (++n == 15)
			half = cookie;
	}
	KT_EXPECT_EQ(t, n, 30u);
	for (n = 15, cookie = half; vfs_readdir(f, cookie, &d) == 1; n++)
		cookie = d.next;
	KT_EXPECT_EQ(t, n, 30u);
	vfs_close(f);
	/* The open-file table is bounded. */
	unsigned opened = 0;
	int err = 0;
	while (opened < VFS_MAX_OPEN &&
	       !(err = vfs_open("/vt/hello.txt", VFS_O_READ, &open[opened])))
		opened++;
	KT_EXPECT_EQ(t, vfs_open("/vt/hello.txt", VFS_O_READ, &f), -EMFILE);
	KT_EXPECT_EQ(t, vfs_umount("/vt"), -EBUSY);
	for (unsigned i = 0; i < opened; i++)
		vfs_close(open[i]);
	KT_EXPECT_EQ(t, opened, (unsigned)VFS_MAX_OPEN);
	teardown(t, &rb);
}

KTEST(vfs, mount_refusals)
{
	struct ramblk rb;

	KT_ASSERT_EQ(t, ramblk_init(&rb, 2048), 0);
	KT_EXPECT_EQ(t, vfs_mount_fat(&rb.dev, "/vt/data"), -EINVAL);
	KT_EXPECT_STREQ(t, vfs_mount_why(), "no boot sector signature (55 AA)");
	KT_EXPECT_EQ(t, fat_format(&rb.dev, 1, "X"), 0);
	KT_EXPECT_EQ(t, vfs_mount_fat(&rb.dev, "/vt/data"), 0);
	KT_EXPECT_EQ(t, vfs_mount_fat(&rb.dev, "/vt/data/"), -EBUSY);
	KT_EXPECT_EQ(t, vfs_umount("/vt/data"), 0);
	KT_EXPECT_EQ(t, vfs_umount("/vt/data"), -EINVAL);
	ramblk_free(&rb);
}
