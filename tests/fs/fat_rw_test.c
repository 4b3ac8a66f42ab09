/*
 * FAT32 reading and writing on a RAM disk: files, long names, directories,
 * sizes, rename, persistence across a remount, and the independent
 * consistency check (fat_test_util.c) after each case.
 */
#include "fat_test_util.h"
#include <lib/compiler.h>
#include <lib/err.h>
#include <lib/printf.h>
#include <string.h>

static int64_t fixed_clock(void)
{
	return 1700000000; /* 2023-11-14 22:13:20 UTC */
}

static void finish(struct ktest *t, struct ramblk *rb, struct fat_vol *v)
{
	unsigned lost = 99;

	KT_EXPECT_EQ(t, fat_umount(v), 0);
	KT_EXPECT_EQ(t, fat_test_fsck(t, &rb->dev, &lost), 0);
	KT_EXPECT_EQ(t, lost, 0u);
	ramblk_free(rb);
}

KTEST(fat, write_read_remount)
{
	struct ramblk rb;
	struct fat_vol *v;

	if (!fat_test_setup(t, &rb, TEST_DISK_SECTORS, 1, &v))
		return;
	KT_EXPECT(t, fat_test_put(t, v, "a.txt", 5000, 1));
	KT_EXPECT(t, fat_test_put(t, v, "EMPTY", 0, 2));
	KT_EXPECT(t, fat_test_put(t, v, "one sector.bin", 512, 3));
	KT_EXPECT(t, fat_test_check(t, v, "a.txt", 5000, 1));
	KT_ASSERT(t, fat_test_remount(t, &rb, &v));
	KT_EXPECT(t, fat_test_check(t, v, "A.TXT", 5000, 1));
	KT_EXPECT(t, fat_test_check(t, v, "empty", 0, 2));
	KT_EXPECT(t, fat_test_check(t, v, "One Sector.BIN", 512, 3));
	finish(t, &rb, v);
}

KTEST(fat, long_names_and_listing)
{
	static const char *names[] = {
		"README",
		"hello world.txt",
		"a name that is rather long, longer than thirteen chars.data",
		"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80.txt",
		".hidden",
		"UPPER.TXT",
		"upper.txt2",
	};
	struct ramblk rb;
	struct fat_vol *v;
	unsigned seen = 0;

	if (!fat_test_setup(t, &rb, TEST_DISK_SECTORS, 1, &v))
		return;
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		KT_EXPECT(t, fat_test_put(t, v, names[i], i * 100, i));
	KT_ASSERT(t, fat_test_remount(t, &rb, &v));
	struct fat_node *root = fat_root(v);
	struct fat_dirent d;
	uint64_t cookie = 0;
	int r;
	while ((r = fat_readdir(v, root, &cookie, &d)) > 0) {
		for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
			if (!strcmp(d.name, names[i])) {
				seen |= 1u << i;
				KT_EXPECT_EQ(t, d.size, i * 100);
			}
		}
	}
	KT_EXPECT_EQ(t, r, 0);
	KT_EXPECT_EQ(t, seen, (1u << ARRAY_SIZE(names)) - 1);
	fat_put(v, root);
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		KT_EXPECT(t, fat_test_check(t, v, names[i], i * 100, i));
	finish(t, &rb, v);
}

KTEST(fat, bad_names)
{
	struct ramblk rb;
	struct fat_vol *v;
	struct fat_node *n;
	char longname[300];

	if (!fat_test_setup(t, &rb, TEST_DISK_SECTORS, 1, &v))
		return;
	struct fat_node *root = fat_root(v);
	KT_EXPECT_EQ(t, fat_create(v, root, "a:b", false, &n), -EINVAL);
	KT_EXPECT_EQ(t, fat_create(v, root, "trailing.", false, &n), -EINVAL);
	KT_EXPECT_EQ(t, fat_create(v, root, "..", false, &n), -EINVAL);
	KT_EXPECT_EQ(t, fat_create(v, root, "bad\xff", false, &n), -EINVAL);
	memset(longname, 'x', sizeof(longname));
	longname[256] = '\0';
	KT_EXPECT_EQ(t, fat_create(v, root, longname, false, &n),
		     -ENAMETOOLONG);
	longname[255] = '\0';
	KT_EXPECT_EQ(t, fat_create(v, root, longname, false, &n), 0);
	fat_put(v, n);
	KT_EXPECT_EQ(t, fat_lookup(v, root, longname, &n), 0);
	fat_put(v, n);
	KT_EXPECT_EQ(t, fat_create(v, root, longname, false, &n), -EEXIST);
	fat_put(v, root);
	finish(t, &rb, v);
}

KTEST(fat, directories)
{
	struct ramblk rb;
	struct fat_vol *v;
	struct fat_node *d, *sub, *f;

	if (!fat_test_setup(t, &rb, TEST_DISK_SECTORS, 1, &v))
		return;
	struct fat_node *root = fat_root(v);
	KT_ASSERT_EQ(t, fat_create(v, root, "dir", true, &d), 0);
	KT_ASSERT_EQ(t, fat_create(v, d, "sub", true, &sub), 0);
	KT_ASSERT_EQ(t, fat_create(v, sub, "file", false, &f), 0);
	KT_EXPECT_EQ(t, fat_write(v, f, "hello", 5, 0), 5);
	fat_put(v, f);
	/* Many entries: the directory grows past one cluster. */
	char name[32];
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "entry number %d", i);
		KT_EXPECT_EQ(t, fat_create(v, d, name, false, &f), 0);
		fat_put(v, f);
	}
	KT_EXPECT_EQ(t, fat_remove(v, root, "dir", true), -ENOTEMPTY);
	KT_EXPECT_EQ(t, fat_remove(v, d, "sub", false), -EISDIR);
	KT_EXPECT_EQ(t, fat_remove(v, sub, "file", true), -ENOTDIR);
	KT_EXPECT_EQ(t, fat_remove(v, d, "sub", true), -ENOTEMPTY);
	KT_EXPECT_EQ(t, fat_rename(v, root, "dir", sub, "loop"), -EINVAL);
	KT_EXPECT_EQ(t, fat_remove(v, sub, "file", false), 0);
	KT_EXPECT_EQ(t, fat_remove(v, d, "sub", true), -EBUSY);
	fat_put(v, sub);
	KT_EXPECT_EQ(t, fat_remove(v, d, "sub", true), 0);
	KT_EXPECT_EQ(t, fat_lookup(v, d, "sub", &sub), -ENOENT);
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "entry number %d", i);
		KT_EXPECT_EQ(t, fat_remove(v, d, name, false), 0);
	}
	fat_put(v, d);
	KT_EXPECT_EQ(t, fat_remove(v, root, "dir", true), 0);
	fat_put(v, root);
	finish(t, &rb, v);
}

KTEST(fat, rename)
{
	struct ramblk rb;
	struct fat_vol *v;
	struct fat_node *d, *n;

	if (!fat_test_setup(t, &rb, TEST_DISK_SECTORS, 1, &v))
		return;
	struct fat_node *root = fat_root(v);
	KT_EXPECT(t, fat_test_put(t, v, "old name.txt", 3000, 7));
	KT_EXPECT(t, fat_test_put(t, v, "victim", 100, 8));
	KT_ASSERT_EQ(t, fat_create(v, root, "d", true, &d), 0);
	KT_EXPECT_EQ(t, fat_rename(v, root, "old name.txt", root, "victim"), 0);
	KT_EXPECT(t, fat_test_check(t, v, "victim", 3000, 7));
	KT_EXPECT_EQ(t, fat_lookup(v, root, "old name.txt", &n), -ENOENT);
	KT_EXPECT_EQ(t, fat_rename(v, root, "victim", d, "moved"), 0);
	KT_EXPECT_EQ(t, fat_rename(v, root, "d", root, "e"), 0);
	KT_EXPECT_EQ(t, fat_rename(v, root, "nothing", root, "x"), -ENOENT);
	KT_ASSERT_EQ(t, fat_lookup(v, d, "moved", &n), 0);
	KT_EXPECT_EQ(t, fat_size(n), 3000u);
	fat_put(v, n);
	/* A directory moved into another: its ".." follows. */
	struct fat_node *d2;
	KT_ASSERT_EQ(t, fat_create(v, root, "d2", true, &d2), 0);
	KT_EXPECT_EQ(t, fat_rename(v, root, "e", d2, "inner"), 0);
	fat_put(v, d);
	fat_put(v, d2);
	fat_put(v, root);
	finish(t, &rb, v);
}

KTEST(fat, sizes_and_times)
{
	struct ramblk rb;
	struct fat_vol *v;
	struct fat_node *n;
	struct fat_stat st;
	uint8_t buf[4096];

	fat_set_clock(fixed_clock);
	if (!fat_test_setup(t, &rb, TEST_DISK_SECTORS, 2, &v))
		return;
	struct fat_node *root = fat_root(v);
	KT_ASSERT_EQ(t, fat_create(v, root, "f", false, &n), 0);
	/* A write past the end fills the gap with zeros. */
	KT_EXPECT_EQ(t, fat_write(v, n, "xyz", 3, 3000), 3);
	KT_EXPECT_EQ(t, fat_size(n), 3003u);
	KT_EXPECT_EQ(t, fat_read(v, n, buf, sizeof(buf), 0), 3003);
	bool zeros = true;
	for (int i = 0; i < 3000; i++)
		zeros = zeros && buf[i] == 0;
	KT_EXPECT(t, zeros);
	KT_EXPECT_EQ(t, memcmp(buf + 3000, "xyz", 3), 0);
	/* Shrink, then grow: the cut part reads as zeros. */
	KT_EXPECT_EQ(t, fat_set_size(v, n, 3001), 0);
	KT_EXPECT_EQ(t, fat_set_size(v, n, 1030), 0);
	KT_EXPECT_EQ(t, fat_set_size(v, n, 4000), 0);
	KT_EXPECT_EQ(t, fat_read(v, n, buf, sizeof(buf), 0), 4000);
	zeros = true;
	for (int i = 0; i < 4000; i++)
		zeros = zeros && buf[i] == 0;
	KT_EXPECT(t, zeros);
	KT_EXPECT_EQ(t, fat_set_size(v, n, 0), 0);
	KT_EXPECT_EQ(t, fat_read(v, n, buf, 10, 0), 0);
	/* Append after a sync: the pending frees are done. */
	KT_EXPECT_EQ(t, fat_sync(v), 0);
	KT_EXPECT_EQ(t, fat_write(v, n, "abc", 3, 0), 3);
	KT_EXPECT_EQ(t, fat_write(v, n, "def", 3, 3), 3);
	KT_EXPECT_EQ(t, fat_read(v, n, buf, 10, 0), 6);
	KT_EXPECT_EQ(t, memcmp(buf, "abcdef", 6), 0);
	KT_EXPECT_EQ(t, fat_stat(v, n, &st), 0);
	KT_EXPECT_EQ(t, st.mtime, (int64_t)1700000000);
	KT_EXPECT_EQ(t, fat_set_times(v, n, 1600000000, 1500000000), 0);
	KT_EXPECT_EQ(t, fat_stat(v, n, &st), 0);
	KT_EXPECT_EQ(t, st.mtime, (int64_t)1500000000);
	KT_EXPECT_EQ(t, st.atime, (int64_t)1599955200); /* a day's start */
	KT_EXPECT(t, !st.is_dir);
	fat_put(v, n);
	fat_put(v, root);
	fat_set_clock(NULL);
	finish(t, &rb, v);
}

KTEST(fat, full_disk)
{
	struct ramblk rb;
	struct fat_vol *v;
	struct fat_node *n;
	static uint8_t buf[4096];

	/* 1 MiB: about 1900 clusters of 512 bytes. */
	if (!fat_test_setup(t, &rb, 2048, 1, &v))
		return;
	struct fat_node *root = fat_root(v);
	KT_ASSERT_EQ(t, fat_create(v, root, "big", false, &n), 0);
	memset(buf, 0x5a, sizeof(buf));
	long w;
	uint64_t off = 0;
	while ((w = fat_write(v, n, buf, sizeof(buf), off)) == sizeof(buf))
		off += (uint64_t)w;
	KT_EXPECT(t, w >= 0 && w < (long)sizeof(buf));
	off += (uint64_t)(w > 0 ? w : 0);
	KT_EXPECT_EQ(t, fat_write(v, n, buf, 1, off), -ENOSPC);
	KT_EXPECT_EQ(t, fat_size(n), (uint32_t)off);
	KT_EXPECT_EQ(t, fat_free_clusters(v), 0u);
	fat_put(v, n);
	KT_EXPECT(t, off > 900 * 1024);
	/* Directory growth fails cleanly too. */
	char name[40];
	int err = 0;
	for (int i = 0; i < 200 && !err; i++) {
		snprintf(name, sizeof(name), "a long name number %d", i);
		err = fat_create(v, root, name, false, &n);
		if (!err)
			fat_put(v, n);
	}
	KT_EXPECT_EQ(t, err, -ENOSPC);
	fat_put(v, root);
	KT_ASSERT(t, fat_test_remount(t, &rb, &v));
	root = fat_root(v);
	/* Freed space is usable again before any sync. */
	KT_EXPECT_EQ(t, fat_remove(v, root, "big", false), 0);
	KT_EXPECT(t, fat_test_put(t, v, "after", 500 * 1024, 3));
	KT_EXPECT(t, fat_test_check(t, v, "after", 500 * 1024, 3));
	fat_put(v, root);
	finish(t, &rb, v);
}
