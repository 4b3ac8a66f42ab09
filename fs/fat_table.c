/*
 * The file allocation table: entries, chains, allocation, and the frees
 * deferred until the directory entries no longer use the clusters
 * (docs/storage.md). Every FAT copy is written; FAT 0 is read.
 */
#include "fat_internal.h"
#include <lib/err.h>
#include <string.h>

uint64_t fat_cluster_sector(const struct fat_vol *v, uint32_t c)
{
	return v->data_start + (uint64_t)(c - 2) * v->spc;
}

bool fat_valid_cluster(const struct fat_vol *v, uint32_t c)
{
	return c >= 2 && c <= v->max_cluster;
}

static int entry_place(struct fat_vol *v, uint32_t c, unsigned copy,
		       uint64_t *sector, uint32_t *off)
{
	uint64_t byte = (uint64_t)c * 4;
	*sector =
		v->fat_start + (uint64_t)copy * v->fat_sectors + byte / v->bps;
	*off = (uint32_t)(byte % v->bps);
	return 0;
}

int fat_read_entry(struct fat_vol *v, uint32_t c, uint32_t *val)
{
	struct bcache_buf *b;
	uint64_t sector;
	uint32_t off;

	entry_place(v, c, 0, &sector, &off);
	int err = bcache_get(&v->bc, sector, true, &b);
	if (err)
		return err;
	*val = get32(b->data + off) & FAT_MASK;
	bcache_put(&v->bc, b);
	return 0;
}

int fat_write_entry(struct fat_vol *v, uint32_t c, uint32_t val)
{
	for (unsigned copy = 0; copy < v->nfats; copy++) {
		struct bcache_buf *b;
		uint64_t sector;
		uint32_t off;

		entry_place(v, c, copy, &sector, &off);
		int err = bcache_get(&v->bc, sector, true, &b);
		if (err)
			return err;
		/* The top four bits are reserved: keep them. */
		uint32_t old = get32(b->data + off);
		put32(b->data + off, (old & ~FAT_MASK) | (val & FAT_MASK));
		bcache_dirty(&v->bc, b, BCACHE_FAT);
		bcache_put(&v->bc, b);
	}
	return 0;
}

static bool pending_eoc(const struct fat_vol *v, uint32_t c)
{
	for (unsigned i = 0; i < v->npending; i++)
		if (v->pending[i].eoc == c)
			return true;
	return false;
}

int fat_next(struct fat_vol *v, uint32_t c, uint32_t *next)
{
	uint32_t val;

	if (!fat_valid_cluster(v, c))
		return fat_fail(v, "cluster number out of range in a chain");
	if (pending_eoc(v, c)) {
		*next = 0;
		return 0;
	}
	int err = fat_read_entry(v, c, &val);
	if (err)
		return err;
	if (val >= FAT_EOC_MIN) {
		*next = 0;
		return 0;
	}
	if (!fat_valid_cluster(v, val))
		return fat_fail(v, val ? "cluster chain points out of range "
					 "or at a bad cluster"
				       : "cluster chain runs into a free "
					 "cluster");
	*next = val;
	return 0;
}

static int zero_cluster(struct fat_vol *v, uint32_t c)
{
	uint64_t s = fat_cluster_sector(v, c);

	for (uint32_t i = 0; i < v->spc; i++) {
		struct bcache_buf *b;
		int err = bcache_get(&v->bc, s + i, false, &b);
		if (err)
			return err;
		memset(b->data, 0, v->bps);
		bcache_dirty(&v->bc, b, BCACHE_DATA);
		bcache_put(&v->bc, b);
	}
	return 0;
}

/* The next free cluster from next_free on, wrapping once; 0 if none. */
static int find_free(struct fat_vol *v, uint32_t *out)
{
	uint32_t span = v->max_cluster - 1, c = v->next_free;

	for (uint32_t i = 0; i < span; i++, c++) {
		uint32_t val;
		if (!fat_valid_cluster(v, c))
			c = 2;
		int err = fat_read_entry(v, c, &val);
		if (err)
			return err;
		if (val == 0) {
			*out = c;
			return 0;
		}
	}
	*out = 0;
	return 0;
}

int fat_alloc(struct fat_vol *v, uint32_t prev, bool zero, uint32_t *out)
{
	uint32_t c = 0;
	int err;

	if (v->ro)
		return -EROFS;
	if (v->free_count == 0 && v->npending) {
		/* Clusters waiting to be freed: commit them now. */
		err = fat_sync(v);
		if (err)
			return err;
	}
	if (v->free_count) {
		err = find_free(v, &c);
		if (err)
			return err;
	}
	if (!c) {
		v->free_count = 0;
		return -ENOSPC;
	}
	if (prev && pending_eoc(v, prev)) {
		/* A file cut short and now growing again: the smaller size
		 * must reach the disk before prev links to a new chain, or
		 * a power cut could leave the old, larger size over a
		 * shorter chain. Commit the cut first (docs/storage.md). */
		err = fat_sync(v);
		if (err)
			return err;
	}
	if (zero && (err = zero_cluster(v, c)))
		return err;
	err = fat_write_entry(v, c, FAT_EOC);
	if (!err && prev)
		err = fat_write_entry(v, prev, c);
	if (err)
		return err;
	v->free_count--;
	v->next_free = c + 1 > v->max_cluster ? 2 : c + 1;
	*out = c;
	return 0;
}

int fat_defer_free(struct fat_vol *v, uint32_t eoc, uint32_t head)
{
	if (!fat_valid_cluster(v, head))
		return 0;
	if (v->npending == PENDING_MAX) {
		int err = fat_sync(v);
		if (err)
			return err;
	}
	v->pending[v->npending].eoc = eoc;
	v->pending[v->npending].head = head;
	v->npending++;
	return 0;
}

/* Free the chain from `head`, stopping at its end or at a cluster already
 * free (a chain queued twice, by a truncation and then an unlink). */
static int free_chain(struct fat_vol *v, uint32_t head)
{
	uint32_t c = head;

	for (uint32_t n = 0; fat_valid_cluster(v, c) && n < v->max_cluster;
	     n++) {
		uint32_t val;
		int err = fat_read_entry(v, c, &val);
		if (err)
			return err;
		if (val == 0)
			return 0;
		err = fat_write_entry(v, c, 0);
		if (err)
			return err;
		v->free_count++;
		if (val >= FAT_EOC_MIN)
			return 0;
		c = val;
	}
	return 0;
}

/* The bcache commit hook: the directory entries are durable, so the
 * clusters they let go of can be marked free. */
int fat_commit_frees(void *vol)
{
	struct fat_vol *v = vol;
	int err = 0;

	for (unsigned i = 0; i < v->npending && !err; i++)
		if (v->pending[i].eoc)
			err = fat_write_entry(v, v->pending[i].eoc, FAT_EOC);
	for (unsigned i = 0; i < v->npending && !err; i++)
		err = free_chain(v, v->pending[i].head);
	if (err)
		return err;
	v->npending = 0;
	return fat_write_fsinfo(v);
}

int fat_write_fsinfo(struct fat_vol *v)
{
	struct bcache_buf *b;

	if (!v->fsinfo || v->ro)
		return 0;
	int err = bcache_get(&v->bc, v->fsinfo, true, &b);
	if (err)
		return err;
	put32(b->data + 488, v->free_count);
	put32(b->data + 492, v->next_free);
	bcache_dirty(&v->bc, b, BCACHE_FAT);
	bcache_put(&v->bc, b);
	return 0;
}

int fat_chain_at(struct fat_vol *v, struct fat_node *n, uint32_t idx, bool grow,
		 uint32_t *out)
{
	uint32_t i = 0, c = n->first;
	int err;

	if (!c) {
		if (!grow)
			return -ENOENT;
		err = fat_alloc(v, 0, n->attr & ATTR_DIR, &c);
		if (err)
			return err;
		n->first = c;
		err = fat_node_store(v, n, false);
		if (err)
			return err;
	}
	if (n->hint_clus && n->hint_idx <= idx) {
		i = n->hint_idx;
		c = n->hint_clus;
	}
	while (i < idx) {
		uint32_t next;
		if (i > v->max_cluster)
			return fat_fail(v, "cluster chain loops");
		err = fat_next(v, c, &next);
		if (err)
			return err;
		if (!next) {
			if (!grow)
				return -ENOENT;
			err = fat_alloc(v, c, n->attr & ATTR_DIR, &next);
			if (err)
				return err;
		}
		c = next;
		i++;
	}
	n->hint_idx = idx;
	n->hint_clus = c;
	*out = c;
	return 0;
}
