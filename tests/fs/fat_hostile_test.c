/*
 * Damaged volumes and failing devices, in both kernels (the full hostile
 * image set runs on the host: tests/fs/make-hostile-images, fs-check):
 * boot sector values refused at mount, chains that loop or leave the
 * volume, a long name with a wrong checksum, read and write errors.
 */
#include "fat_test_util.h"
#include <lib/compiler.h>
#include <lib/err.h>
#include <string.h>

#define HOSTILE_SECTORS 2048

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void set32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A volume holding HELLO (1000 bytes) and "a long name here.txt",
 * unmounted, so its bytes can be damaged. */
static bool make_volume(struct ktest *t, struct ramblk *rb)
{
	struct fat_vol *v;

	if (!fat_test_setup(t, rb, HOSTILE_SECTORS, 1, &v))
		return false;
	bool ok = fat_test_put(t, v, "HELLO", 1000, 1) &&
		  fat_test_put(t, v, "a long name here.txt", 10, 2);
	KT_EXPECT_EQ(t, fat_umount(v), 0);
	return ok;
}

/* The root directory's entry `name11` (8.3, space padded). */
static uint8_t *root_entry(struct ramblk *rb, const char *name11)
{
	uint8_t *bs = rb->mem;
	uint32_t reserved = bs[14] | bs[15] << 8, fat_size = le32(bs + 36);
	uint8_t *root = rb->mem + (reserved + 2 * fat_size) * 512;

	for (unsigned i = 0; i < 16; i++)
		if (!memcmp(root + 32 * i, name11, 11))
			return root + 32 * i;
	return NULL;
}

static uint8_t *fat_entry(struct ramblk *rb, uint32_t c)
{
	uint32_t reserved = rb->mem[14] | rb->mem[15] << 8;
	return rb->mem + reserved * 512 + 4 * c;
}

KTEST(fat_hostile, boot_sector_values_refused)
{
	static const struct {
		unsigned off, size;
		uint32_t value;
	} bad[] = {
		{510, 2, 0},	     /* signature */
		{11, 2, 0},	     /* bytes per sector */
		{11, 2, 4096},	     /* not the device's */
		{13, 1, 3},	     /* cluster size not a power of two */
		{13, 1, 0},	     /* no cluster size */
		{16, 1, 0},	     /* no FAT */
		{16, 1, 7},	     /* seven FATs */
		{36, 4, 0},	     /* FAT size 0 */
		{36, 4, 0xfffffff0}, /* FAT larger than the volume */
		{44, 4, 1},	     /* root cluster 1 */
		{44, 4, 0x0ffffff0}, /* root cluster past the end */
		{32, 4, 0xffffffff}, /* more sectors than the device */
		{17, 2, 512},	     /* a FAT16 root directory */
	};
	struct ramblk rb;

	if (!make_volume(t, &rb))
		return;
	uint8_t good[512];
	memcpy(good, rb.mem, 512);
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		struct fat_vol *v;
		const char *why = NULL;
		memcpy(rb.mem, good, 512);
		for (unsigned b = 0; b < bad[i].size; b++)
			rb.mem[bad[i].off + b] =
				(uint8_t)(bad[i].value >> 8 * b);
		int err = fat_mount(&rb.dev, &v, &why);
		KT_EXPECT_MSG(t, err == -EINVAL && why,
			      "bad value %u at %u: mount gave %d",
			      (unsigned)bad[i].value, bad[i].off, err);
		if (!err)
			fat_umount(v);
	}
	ramblk_free(&rb);
}

/* HELLO's chain damaged by `damage`: looking it up or reading it fails
 * with -EIO and a reason, the rest of the volume still works. */
static void damaged_chain(struct ktest *t, uint32_t (*damage)(uint32_t))
{
	struct ramblk rb;
	struct fat_vol *v;
	struct fat_node *root, *n;
	const char *why;
	uint8_t buf[1000];

	if (!make_volume(t, &rb))
		return;
	uint8_t *e = root_entry(&rb, "HELLO      ");
	KT_ASSERT(t, e != NULL);
	uint32_t first =
		(uint32_t)(e[20] | e[21] << 8) << 16 | (e[26] | e[27] << 8);
	set32(fat_entry(&rb, first), damage(first));
	KT_ASSERT_EQ(t, fat_mount(&rb.dev, &v, &why), 0);
	root = fat_root(v);
	int err = fat_lookup(v, root, "HELLO", &n);
	if (!err) {
		err = (int)fat_read(v, n, buf, sizeof(buf), 0);
		fat_put(v, n);
	}
	KT_EXPECT_EQ(t, err, -EIO);
	KT_EXPECT(t, strcmp(fat_why(v), "no error") != 0);
	KT_EXPECT(t, fat_test_check(t, v, "a long name here.txt", 10, 2));
	fat_put(v, root);
	KT_EXPECT_EQ(t, fat_umount(v), 0);
	ramblk_free(&rb);
}

static uint32_t loop_to_self(uint32_t first)
{
	return first;
}

static uint32_t out_of_range(uint32_t first)
{
	return 0x0ffff000;
}

static uint32_t into_free(uint32_t first)
{
	return first + 100; /* a free cluster */
}

KTEST(fat_hostile, chain_loop)
{
	damaged_chain(t, loop_to_self);
}

KTEST(fat_hostile, chain_out_of_range)
{
	damaged_chain(t, out_of_range);
}

KTEST(fat_hostile, chain_into_free_cluster)
{
	damaged_chain(t, into_free);
}

KTEST(fat_hostile, long_name_bad_checksum)
{
	struct ramblk rb;
	struct fat_vol *v;
	struct fat_node *root, *n;
	struct fat_dirent d;
	const char *why;
	uint64_t cookie = 0;
	bool short_seen = false;

	if (!make_volume(t, &rb))
		return;
	uint8_t *e = root_entry(&rb, "ALONGN~1TXT");
	KT_ASSERT(t, e != NULL);
	e[-32 + 13] ^= 0xff; /* the checksum in the last long entry */
	KT_ASSERT_EQ(t, fat_mount(&rb.dev, &v, &why), 0);
	root = fat_root(v);
	KT_EXPECT_EQ(t, fat_lookup(v, root, "a long name here.txt", &n),
		     -ENOENT);
	while (fat_readdir(v, root, &cookie, &d) == 1)
		short_seen |= !strcmp(d.name, "ALONGN~1.TXT");
	KT_EXPECT(t, short_seen);
	fat_put(v, root);
	KT_EXPECT_EQ(t, fat_umount(v), 0);
	ramblk_free(&rb);
}

KTEST(fat_hostile, device_errors_propagate)
{
	struct ramblk rb;
	struct fat_vol *v;
	struct fat_node *root, *n;
	const char *why;
	uint8_t buf[100];

	if (!make_volume(t, &rb))
		return;
	KT_ASSERT_EQ(t, fat_mount(&rb.dev, &v, &why), 0);
	root = fat_root(v);
	KT_ASSERT_EQ(t, fat_lookup(v, root, "HELLO", &n), 0);
	rb.fail_reads_after = 0;
	KT_EXPECT_EQ(t, fat_read(v, n, buf, sizeof(buf), 0), -EIO);
	rb.fail_reads_after = -1;
	KT_EXPECT_EQ(t, fat_read(v, n, buf, sizeof(buf), 0), 100);
	/* A write that cannot reach the disk: sync fails, the data stay
	 * dirty and the next sync, once the device works, writes them. */
	KT_EXPECT_EQ(t, fat_write(v, n, "new", 3, 0), 3);
	rb.fail_writes_after = 0;
	KT_EXPECT_EQ(t, fat_sync(v), -EIO);
	rb.fail_writes_after = -1;
	KT_EXPECT_EQ(t, fat_sync(v), 0);
	fat_put(v, n);
	fat_put(v, root);
	KT_ASSERT(t, fat_test_remount(t, &rb, &v));
	root = fat_root(v);
	KT_ASSERT_EQ(t, fat_lookup(v, root, "HELLO", &n), 0);
	KT_EXPECT_EQ(t, fat_read(v, n, buf, 3, 0), 3);
	KT_EXPECT_EQ(t, memcmp(buf, "new", 3), 0);
	fat_put(v, n);
	fat_put(v, root);
	KT_EXPECT_EQ(t, fat_umount(v), 0);
	ramblk_free(&rb);
}
