/*
 * Power cuts: the FAT code runs a workload on a device that holds every
 * write since the last flush in a volatile cache, as a disk does. At the
 * k-th write the power goes: a random subset of the cached writes reaches
 * the medium (a disk may write them in any order), the rest is lost, and
 * every later request fails. Then the medium is mounted and checked: it
 * must mount, the independent check (fat_test_util.c) may find lost
 * clusters but no other problem, and the files synced before the cut
 * hold exactly what they held (docs/storage.md, "Order of updates").
 */
#include "fat_test_util.h"
#include <fs/fs_alloc.h>
#include <lib/compiler.h>
#include <lib/err.h>
#include <lib/printf.h>
#include <string.h>

#define CUT_SECTORS 2048
#define CACHE_MAX   512 /* writes held between flushes */

struct cutblk {
	struct blockdev dev;
	struct ramblk *medium;
	struct {
		uint64_t sector;
		uint8_t data[512];
	} * cache;
	unsigned cached;
	unsigned long writes, cut_at; /* cut_at 0: never */
	bool dead;
	uint32_t rng;
};

static uint32_t next_rand(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static int cut_read(struct blockdev *dev, uint64_t sector, uint32_t count,
		    void *buf)
{
	struct cutblk *c = dev->priv;

	if (c->dead)
		return -EIO;
	int err = c->medium->dev.ops->read(&c->medium->dev, sector, count, buf);
	/* The cache's newer copies win, latest last. */
	for (unsigned i = 0; !err && i < c->cached; i++)
		if (c->cache[i].sector >= sector &&
		    c->cache[i].sector < sector + count)
			memcpy((uint8_t *)buf +
				       (c->cache[i].sector - sector) * 512,
			       c->cache[i].data, 512);
	return err;
}

/* The power goes: some cached writes reach the medium, in any order. */
static void cut(struct cutblk *c)
{
	for (unsigned i = 0; i < c->cached; i++)
		if (next_rand(&c->rng) & 1)
			c->medium->dev.ops->write(&c->medium->dev,
						  c->cache[i].sector, 1,
						  c->cache[i].data);
	c->cached = 0;
	c->dead = true;
}

static int cut_flush(struct blockdev *dev)
{
	struct cutblk *c = dev->priv;

	if (c->dead)
		return -EIO;
	for (unsigned i = 0; i < c->cached; i++)
		c->medium->dev.ops->write(&c->medium->dev, c->cache[i].sector,
					  1, c->cache[i].data);
	c->cached = 0;
	return 0;
}

static int cut_write(struct blockdev *dev, uint64_t sector, uint32_t count,
		     const void *buf)
{
	struct cutblk *c = dev->priv;

	for (uint32_t i = 0; i < count; i++) {
		if (c->dead)
			return -EIO;
		if (++c->writes == c->cut_at) {
			cut(c);
			return -EIO;
		}
		if (c->cached == CACHE_MAX)
			cut_flush(dev); /* a full cache drains */
		c->cache[c->cached].sector = sector + i;
		memcpy(c->cache[c->cached].data, (const uint8_t *)buf + i * 512,
		       512);
		c->cached++;
	}
	return 0;
}

static const struct blockdev_ops cut_ops = {cut_read, cut_write, cut_flush};

/* A file written and synced: it must survive any later cut. */
static const char *const synced[] = {"synced one.txt", "SYNC2"};

/* Everything the workload does: creates, appends, truncates, renames,
 * unlinks, directories, with syncs; errors after the cut are expected. */
static void workload(struct fat_vol *v, unsigned seed)
{
	struct fat_node *root = fat_root(v), *n, *d;
	static uint8_t buf[3600];
	char name[40];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = fat_test_byte(i, seed);
	if (!fat_create(v, root, "dir", true, &d)) {
		for (int i = 0; i < 6; i++) {
			snprintf(name, sizeof(name), "file %d in dir", i);
			if (!fat_create(v, d, name, false, &n)) {
				fat_write(v, n, buf, 700 * (size_t)i, 0);
				fat_put(v, n);
			}
		}
		fat_put(v, d);
	}
	if (!fat_create(v, root, "growing", false, &n)) {
		for (int i = 0; i < 5; i++) {
			fat_write(v, n, buf, sizeof(buf), fat_size(n));
			if (i == 2)
				fat_sync(v);
		}
		fat_set_size(v, n, 1000);
		fat_write(v, n, buf, 2000, 5000);
		fat_put(v, n);
	}
	fat_rename(v, root, "growing", root, "renamed file");
	if (!fat_lookup(v, root, "dir", &d)) {
		fat_rename(v, d, "file 3 in dir", root, "moved up");
		fat_remove(v, d, "file 2 in dir", false);
		fat_put(v, d);
	}
	fat_sync(v);
	fat_remove(v, root, "renamed file", false);
	if (!fat_create(v, root, "another dir", true, &d))
		fat_put(v, d);
	fat_put(v, root);
}

struct cut_run {
	struct ramblk medium;
	struct cutblk c;
};

/* Format, write and sync the synced files, then run the workload with
 * the power cut at write `cut_at` (0: none). Writes counts the writes. */
static bool run(struct ktest *t, struct cut_run *r, unsigned long cut_at,
		unsigned seed)
{
	struct fat_vol *v;
	const char *why;

	if (ramblk_init(&r->medium, CUT_SECTORS) ||
	    fat_format(&r->medium.dev, 1, "CUT")) {
		ktest_fail(t, __FILE__, __LINE__, "setup");
		return false;
	}
	memset(&r->c, 0, sizeof(r->c));
	r->c.cache = fs_zalloc(CACHE_MAX, sizeof(*r->c.cache));
	r->c.medium = &r->medium;
	r->c.dev = r->medium.dev;
	r->c.dev.ops = &cut_ops;
	r->c.dev.priv = &r->c;
	r->c.rng = seed * 7919u + 1;
	if (!r->c.cache || fat_mount(&r->c.dev, &v, &why)) {
		ktest_fail(t, __FILE__, __LINE__, "mount");
		return false;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(synced); i++)
		fat_test_put(t, v, synced[i], 1500 + i * 999, i);
	KT_EXPECT_EQ(t, fat_sync(v), 0);
	r->c.cut_at = cut_at ? r->c.writes + cut_at : 0;
	workload(v, seed);
	if (fat_umount(v))
		fat_drop(v); /* cut: the device is gone */
	return true;
}

KTEST(fat_crash, power_cut_at_every_point)
{
	static struct cut_run r;
	unsigned long total, cuts = 0, lost_total = 0;

	/* The writes of the whole workload, uncut. */
	if (!run(t, &r, 0, 1))
		return;
	total = r.c.writes;
	fs_free(r.c.cache);
	ramblk_free(&r.medium);
	KT_ASSERT(t, total > 50);
	/* Each point, three times: different writes survive each time. */
	for (unsigned long run_no = 0; run_no < 3 * total; run_no++) {
		unsigned long k = run_no % total + 1;
		struct fat_vol *v;
		const char *why = "";
		unsigned lost = 0;

		if (!run(t, &r, k, (unsigned)run_no))
			return;
		cuts++;
		int err = fat_mount(&r.medium.dev, &v, &why);
		KT_EXPECT_MSG(t, err == 0, "cut at %lu: mount: %d %s", k, err,
			      why);
		if (!err) {
			for (unsigned i = 0; i < ARRAY_SIZE(synced); i++)
				KT_EXPECT_MSG(t,
					      fat_test_check(t, v, synced[i],
							     1500 + i * 999, i),
					      "cut at %lu: %s", k, synced[i]);
			KT_EXPECT_EQ(t, fat_umount(v), 0);
		}
		int problems = fat_test_fsck(t, &r.medium.dev, &lost);
		KT_EXPECT_MSG(t, problems == 0, "cut at %lu: %d problems", k,
			      problems);
		lost_total += lost;
		fs_free(r.c.cache);
		ramblk_free(&r.medium);
	}
	KT_EXPECT(t, cuts >= 150);
	ktest_log(t, "%lu cuts over %lu writes; %lu lost clusters in all", cuts,
		  total, lost_total);
}
