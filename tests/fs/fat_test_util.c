/*
 * The fs suites' helpers (see fat_test_util.h). The consistency check
 * reads the raw sectors itself, sharing no code with fs/, so a bug in the
 * FAT code cannot hide from it.
 */
#include "fat_test_util.h"
#include <fs/fs_alloc.h>
#include <lib/err.h>
#include <string.h>

uint8_t fat_test_byte(size_t i, unsigned seed)
{
	uint32_t x = (uint32_t)i * 2654435761u + seed * 40503u;
	return (uint8_t)(x >> 13 ^ x);
}

bool fat_test_setup(struct ktest *t, struct ramblk *rb, uint64_t sectors,
		    unsigned spc, struct fat_vol **v)
{
	const char *why;

	if (ramblk_init(rb, sectors)) {
		ktest_fail(t, __FILE__, __LINE__, "no memory for the disk");
		return false;
	}
	int err = fat_format(&rb->dev, spc, "TEST");
	if (!err)
		err = fat_mount(&rb->dev, v, &why);
	if (err) {
		ktest_fail(t, __FILE__, __LINE__, "format/mount: %d", err);
		ramblk_free(rb);
		return false;
	}
	return true;
}

bool fat_test_remount(struct ktest *t, struct ramblk *rb, struct fat_vol **v)
{
	const char *why = "";
	int err = fat_umount(*v);

	if (!err)
		err = fat_mount(&rb->dev, v, &why);
	if (err)
		ktest_fail(t, __FILE__, __LINE__, "remount: %d %s", err, why);
	return !err;
}

bool fat_test_put(struct ktest *t, struct fat_vol *v, const char *name,
		  size_t len, unsigned seed)
{
	struct fat_node *root = fat_root(v), *n;
	uint8_t buf[700];
	int err = fat_create(v, root, name, false, &n);

	fat_put(v, root);
	if (err) {
		ktest_fail(t, __FILE__, __LINE__, "create %s: %d", name, err);
		return false;
	}
	for (size_t off = 0; off < len;) {
		size_t chunk =
			len - off < sizeof(buf) ? len - off : sizeof(buf);
		for (size_t i = 0; i < chunk; i++)
			buf[i] = fat_test_byte(off + i, seed);
		long w = fat_write(v, n, buf, chunk, off);
		if (w != (long)chunk) {
			ktest_fail(t, __FILE__, __LINE__, "write %s: %ld", name,
				   w);
			fat_put(v, n);
			return false;
		}
		off += chunk;
	}
	fat_put(v, n);
	return true;
}

bool fat_test_check(struct ktest *t, struct fat_vol *v, const char *name,
		    size_t len, unsigned seed)
{
	struct fat_node *root = fat_root(v), *n;
	uint8_t buf[333];
	int err = fat_lookup(v, root, name, &n);

	fat_put(v, root);
	if (err) {
		ktest_fail(t, __FILE__, __LINE__, "lookup %s: %d", name, err);
		return false;
	}
	bool ok = fat_size(n) == len;
	for (size_t off = 0; ok && off < len;) {
		long r = fat_read(v, n, buf, sizeof(buf), off);
		if (r <= 0) {
			ok = false;
			break;
		}
		for (long i = 0; i < r; i++)
			ok = ok &&
			     buf[i] == fat_test_byte(off + (size_t)i, seed);
		off += (size_t)r;
	}
	fat_put(v, n);
	if (!ok)
		ktest_fail(t, __FILE__, __LINE__, "%s: contents differ", name);
	return ok;
}

/* ---- the independent check ---- */

struct chk {
	struct ktest *t;
	struct blockdev *dev;
	uint32_t spc, data_start, max_cluster, cb;
	uint32_t *fat;
	uint8_t *used;
	int problems;
	unsigned lost;
};

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void problem(struct chk *c, const char *what, uint32_t cl)
{
	c->problems++;
	if (c->problems <= 5)
		ktest_fail(c->t, __FILE__, __LINE__, "fsck: %s (cluster %u)",
			   what, (unsigned)cl);
}

/* Mark the chain from `first`; its length in clusters. */
static uint32_t walk(struct chk *c, uint32_t first)
{
	uint32_t n = 0;

	for (uint32_t cl = first; cl;) {
		if (cl < 2 || cl > c->max_cluster) {
			problem(c, "chain leaves the volume", cl);
			return n;
		}
		if (c->used[cl]) {
			problem(c, "cluster in two chains (cross-link/loop)",
				cl);
			return n;
		}
		c->used[cl] = 1;
		n++;
		uint32_t next = c->fat[cl];
		if (next >= 0x0FFFFFF8)
			break;
		if (next == 0) {
			problem(c, "chain runs into a free cluster", cl);
			break;
		}
		cl = next;
	}
	return n;
}

static int read_cluster(struct chk *c, uint32_t cl, uint8_t *buf)
{
	return c->dev->ops->read(c->dev, c->data_start + (cl - 2) * c->spc,
				 c->spc, buf);
}

/* Walk directory `first` (whose chain is already marked) and below. */
static void walk_dir(struct chk *c, uint32_t first, unsigned depth)
{
	uint8_t *buf = fs_alloc(c->cb);

	if (!buf || depth > 64) {
		problem(c, "directory tree too deep or no memory", first);
		fs_free(buf);
		return;
	}
	for (uint32_t cl = first; cl >= 2 && cl <= c->max_cluster;
	     cl = c->fat[cl] >= 0x0FFFFFF8 ? 0 : c->fat[cl]) {
		if (read_cluster(c, cl, buf)) {
			problem(c, "read error", cl);
			break;
		}
		for (uint32_t off = 0; off < c->cb; off += 32) {
			const uint8_t *e = buf + off;
			if (e[0] == 0)
				goto out;
			if (e[0] == 0xe5 || (e[11] & 0x3f) == 0x0f ||
			    (e[11] & 0x08) || e[0] == '.')
				continue;
			uint32_t f = (uint32_t)(e[20] | e[21] << 8) << 16 |
				     (uint32_t)(e[26] | e[27] << 8);
			uint32_t size = rd32(e + 28);
			uint32_t n = f ? walk(c, f) : 0;
			if (e[11] & 0x10) {
				if (!f)
					problem(c, "directory without cluster",
						0);
				else if (n)
					walk_dir(c, f, depth + 1);
			} else if ((uint64_t)n * c->cb < size) {
				problem(c, "file chain shorter than its size",
					f);
			} else if (n && (uint64_t)(n - 1) * c->cb >= size) {
				c->lost += n - (size + c->cb - 1) / c->cb;
			}
		}
		if (c->fat[cl] == 0)
			break;
	}
out:
	fs_free(buf);
}

int fat_test_fsck(struct ktest *t, struct blockdev *dev, unsigned *lost)
{
	struct chk c = {.t = t, .dev = dev};
	uint8_t bs[512];

	if (dev->ops->read(dev, 0, 1, bs)) {
		problem(&c, "cannot read boot sector", 0);
		return c.problems;
	}
	uint32_t reserved = bs[14] | bs[15] << 8, fat_size = rd32(bs + 36);
	c.spc = bs[13];
	c.cb = c.spc * 512;
	c.data_start = reserved + 2 * fat_size;
	c.max_cluster = (rd32(bs + 32) - c.data_start) / c.spc + 1;
	if (c.max_cluster + 1 > fat_size * 128)
		c.max_cluster = fat_size * 128 - 1;
	c.fat = fs_alloc((size_t)fat_size * 512);
	uint8_t *fat2 = fs_alloc((size_t)fat_size * 512);
	c.used = fs_zalloc(c.max_cluster + 1, 1);
	if (!c.fat || !fat2 || !c.used ||
	    dev->ops->read(dev, reserved, fat_size, c.fat) ||
	    dev->ops->read(dev, reserved + fat_size, fat_size, fat2)) {
		problem(&c, "cannot read the FATs", 0);
		goto out;
	}
	/* Copies that differ (a cut during the FAT phase) are counted
	 * with the lost clusters: fsck.fat takes the first. */
	if (memcmp(c.fat, fat2, (size_t)fat_size * 512))
		c.lost++;
	for (uint32_t i = 0; i <= c.max_cluster; i++)
		c.fat[i] &= 0x0FFFFFFF;
	uint32_t root = rd32(bs + 44);
	if (walk(&c, root))
		walk_dir(&c, root, 0);
	uint32_t free_n = 0;
	for (uint32_t i = 2; i <= c.max_cluster; i++) {
		if (c.fat[i] == 0)
			free_n++;
		else if (!c.used[i])
			c.lost++;
	}
	(void)free_n;
out:
	fs_free(c.fat);
	fs_free(fat2);
	fs_free(c.used);
	if (lost)
		*lost = c.lost;
	return c.problems;
}
