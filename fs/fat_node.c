/*
 * Nodes in use, one per file or directory however often it is opened,
 * found by the place of their directory entry; and the entry's fields.
 */
#include "fat_internal.h"
#include <fs/fs_alloc.h>
#include <lib/err.h>
#include <string.h>

uint32_t fat_ent_cluster(const uint8_t *ent)
{
	return (uint32_t)get16(ent + 20) << 16 | get16(ent + 26);
}

void fat_ent_set_cluster(uint8_t *ent, uint32_t c)
{
	put16(ent + 20, (uint16_t)(c >> 16));
	put16(ent + 26, (uint16_t)c);
}

struct fat_node *fat_node_find(struct fat_vol *v, uint32_t dir, uint32_t ent)
{
	for (struct fat_node *n = v->nodes; n; n = n->next)
		if (n->dir == dir && n->ent == ent && n->dir)
			return n;
	return NULL;
}

/*
 * Walk the chain from `first` for at most `limit` clusters, refusing a
 * loop (Brent's method: a saved cluster at each power-of-two step; once
 * the walk is in a cycle it comes back to one). A chain that loops would
 * otherwise read some clusters twice and, for a directory, never end.
 */
static int chain_check(struct fat_vol *v, uint32_t first, uint32_t limit)
{
	uint32_t c = first, saved = first, power = 1, steps = 0;

	/* Every cluster the size needs has its entry read: one that is
	 * free or bad is refused too. */
	for (uint32_t n = 1; n <= limit; n++) {
		int err = fat_next(v, c, &c);
		if (err || !c)
			return err;
		if (c == saved)
			return fat_fail(v, "cluster chain loops");
		if (++steps == power) {
			saved = c;
			power *= 2;
			steps = 0;
		}
	}
	return 0;
}

int fat_node_from_entry(struct fat_vol *v, struct fat_node *dir,
			const struct fat_entry *e, struct fat_node **out)
{
	struct fat_node *n = fat_node_find(v, dir->first, e->idx);

	if (n) {
		n->refs++;
		*out = n;
		return 0;
	}
	uint32_t first = fat_ent_cluster(e->raw);
	uint8_t attr = e->raw[11];
	if (first && !fat_valid_cluster(v, first))
		return fat_fail(v, "directory entry's first cluster is out "
				   "of range");
	if ((attr & ATTR_DIR) && !first) {
		/* ".." of a directory in the root says 0: the root. */
		if (!strcmp(e->name, ".."))
			first = v->root;
		else
			return fat_fail(v, "directory without a cluster");
	}
	uint32_t size = (attr & ATTR_DIR) ? 0 : get32(e->raw + 28);
	uint32_t limit =
		(attr & ATTR_DIR)
			? v->max_cluster
			: (uint32_t)(((uint64_t)size + v->cluster_bytes - 1) /
				     v->cluster_bytes);
	int err = first ? chain_check(v, first, limit) : 0;
	if (err)
		return err;
	n = fs_zalloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->refs = 1;
	n->dir = dir->first;
	n->ent = e->idx;
	n->first = first;
	n->size = size;
	n->attr = attr;
	n->next = v->nodes;
	v->nodes = n;
	*out = n;
	return 0;
}

int fat_node_store(struct fat_vol *v, struct fat_node *n, bool touch)
{
	struct fat_node dir = {.first = n->dir, .attr = ATTR_DIR};
	struct bcache_buf *b;
	uint8_t *ent;

	if (!n->dir)
		return 0; /* the root has no entry */
	int err = fat_dirent_get(v, &dir, n->ent, false, &b, &ent);
	if (err)
		return err;
	fat_ent_set_cluster(ent, n->first);
	if (!(n->attr & ATTR_DIR))
		put32(ent + 28, n->size);
	if (touch) {
		uint16_t date, time;
		fat_time_encode(fat_now(), &date, &time);
		put16(ent + 22, time);
		put16(ent + 24, date);
		put16(ent + 18, date);
		ent[11] |= ATTR_ARCHIVE;
	}
	bcache_dirty(&v->bc, b, BCACHE_DIR);
	bcache_put(&v->bc, b);
	return 0;
}
