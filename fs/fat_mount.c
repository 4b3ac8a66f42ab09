/*
 * Mounting: the boot sector (BPB) is checked value by value against the
 * FAT32 rules and the device, so that everything computed from it later
 * (sector of a cluster, place of a FAT entry) stays inside the device.
 * The free count is counted at mount (FSInfo's copy is only a hint that a
 * crash may leave wrong).
 */
#include "fat_internal.h"
#include <fs/fs_alloc.h>
#include <lib/err.h>
#include <string.h>

int fat_fail(struct fat_vol *v, const char *why)
{
	v->why = why;
	return -EIO;
}

const char *fat_why(const struct fat_vol *v)
{
	return v->why ? v->why : "no error";
}

bool fat_read_only(const struct fat_vol *v)
{
	return v->ro;
}

uint32_t fat_free_clusters(const struct fat_vol *v)
{
	return v->free_count;
}

uint32_t fat_cluster_bytes(const struct fat_vol *v)
{
	return v->cluster_bytes;
}

static bool pow2(uint32_t x)
{
	return x && !(x & (x - 1));
}

/* Check the BPB in `bs` and fill the layout of v. NULL or the reason. */
static const char *parse_bpb(struct fat_vol *v, const uint8_t *bs)
{
	uint32_t bps = get16(bs + 11), spc = bs[13], reserved = get16(bs + 14);
	uint32_t nfats = bs[16], root_ents = get16(bs + 17);
	uint32_t total = get16(bs + 19) ? get16(bs + 19) : get32(bs + 32);
	uint32_t fat16_size = get16(bs + 22), fat_size = get32(bs + 36);

	if (bs[510] != 0x55 || bs[511] != 0xaa)
		return "no boot sector signature (55 AA)";
	if (bs[0] != 0xeb && bs[0] != 0xe9)
		return "no jump instruction at the start of the boot sector";
	if (bps != v->dev->sector_size)
		return "sector size differs from the device's";
	if (!pow2(spc) || bps * spc > 65536)
		return "cluster size is not a power of two up to 64 KiB";
	if (fat16_size != 0 || root_ents != 0)
		return "not FAT32 (a FAT12/16 layout)";
	if (reserved < 2 || nfats < 1 || nfats > 2)
		return "bad reserved sector or FAT count";
	if (total > v->dev->sectors || total < reserved)
		return "total sector count is larger than the device";
	if (fat_size == 0 || (uint64_t)fat_size * nfats >= total - reserved)
		return "FAT size does not fit the volume";
	if (get16(bs + 42) != 0)
		return "unknown FAT32 version";
	v->bps = bps;
	v->spc = spc;
	v->cluster_bytes = bps * spc;
	v->fat_start = reserved;
	v->fat_sectors = fat_size;
	v->nfats = nfats;
	v->data_start = reserved + fat_size * nfats;
	uint32_t clusters = (total - v->data_start) / spc;
	/* The FAT must have an entry for every cluster. */
	uint64_t entries = (uint64_t)fat_size * bps / 4;
	if (clusters > entries - 2)
		clusters = (uint32_t)(entries - 2);
	if (clusters > 0x0FFFFFF5 - 1)
		clusters = 0x0FFFFFF5 - 1;
	if (clusters < 1)
		return "no data clusters";
	v->max_cluster = clusters + 1;
	v->root = get32(bs + 44);
	if (!fat_valid_cluster(v, v->root))
		return "root directory cluster is out of range";
	uint32_t fsinfo = get16(bs + 48);
	v->fsinfo = fsinfo && fsinfo < reserved ? fsinfo : 0;
	return NULL;
}

/* Count free clusters; check the root's chain ends. */
static const char *scan_fat(struct fat_vol *v)
{
	uint32_t free = 0, first_free = 0;

	for (uint32_t c = 2; c <= v->max_cluster; c++) {
		uint32_t val;
		if (fat_read_entry(v, c, &val))
			return "cannot read the FAT";
		if (val == 0) {
			free++;
			if (!first_free)
				first_free = c;
		}
	}
	v->free_count = free;
	v->next_free = first_free ? first_free : 2;
	/* FSInfo is written back only where its signatures say it is one
	 * (a damaged BPB could name the backup boot sector instead). */
	struct bcache_buf *b;
	if (v->fsinfo && !bcache_get(&v->bc, v->fsinfo, true, &b)) {
		if (get32(b->data) != 0x41615252 ||
		    get32(b->data + 484) != 0x61417272)
			v->fsinfo = 0;
		bcache_put(&v->bc, b);
	}
	uint32_t c = v->root, n = 0;
	while (c) {
		if (++n > v->max_cluster)
			return "root directory's cluster chain loops";
		if (fat_next(v, c, &c))
			return v->why;
	}
	return NULL;
}

static struct fat_vol *vol_new(struct blockdev *dev)
{
	struct fat_vol *v = fs_zalloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->rootnode = fs_zalloc(1, sizeof(*v->rootnode));
	if (!v->rootnode || bcache_init(&v->bc, dev, FAT_CACHE_SECTORS)) {
		fs_free(v->rootnode);
		fs_free(v);
		return NULL;
	}
	v->dev = dev;
	v->ro = dev->read_only;
	v->bc.commit = fat_commit_frees;
	v->bc.commit_ctx = v;
	return v;
}

static void vol_free(struct fat_vol *v)
{
	bcache_destroy(&v->bc);
	fs_free(v->rootnode);
	fs_free(v);
}

int fat_mount(struct blockdev *dev, struct fat_vol **out, const char **why)
{
	struct bcache_buf *b;
	const char *bad;

	*why = NULL;
	if (dev->sector_size < 512 || dev->sector_size > 4096 ||
	    !pow2(dev->sector_size)) {
		*why = "device sector size is not 512..4096";
		return -EINVAL;
	}
	struct fat_vol *v = vol_new(dev);
	if (!v) {
		*why = "out of memory";
		return -ENOMEM;
	}
	int err = bcache_get(&v->bc, 0, true, &b);
	if (err) {
		*why = "cannot read the boot sector";
		vol_free(v);
		return err;
	}
	bad = parse_bpb(v, b->data);
	bcache_put(&v->bc, b);
	if (!bad)
		bad = scan_fat(v);
	if (bad) {
		*why = bad;
		vol_free(v);
		return -EINVAL;
	}
	struct fat_node *r = v->rootnode;
	r->refs = 1; /* the volume's own reference */
	r->first = v->root;
	r->attr = ATTR_DIR;
	v->why = NULL;
	*out = v;
	return 0;
}

int fat_sync(struct fat_vol *v)
{
	if (v->ro)
		return 0;
	int err = fat_write_fsinfo(v);
	return err ? err : bcache_sync(&v->bc);
}

int fat_umount(struct fat_vol *v)
{
	if (v->nodes || v->rootnode->refs > 1)
		return -EBUSY;
	int err = fat_sync(v);
	if (err)
		return err;
	vol_free(v);
	return 0;
}

void fat_drop(struct fat_vol *v)
{
	while (v->nodes) {
		struct fat_node *n = v->nodes;
		v->nodes = n->next;
		fs_free(n);
	}
	vol_free(v);
}
