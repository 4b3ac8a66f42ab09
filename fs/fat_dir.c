/*
 * Directories: 32-byte entries in the directory's cluster chain, a long
 * name as a run of LFN entries (last part first) just before its short
 * entry. A run that is broken (order numbers out of sequence, a checksum
 * that does not match the short entry, over 255 characters) is ignored
 * and the short name used, as the FAT specification asks.
 */
#include "fat_internal.h"
#include <lib/err.h>
#include <string.h>

int fat_dirent_get(struct fat_vol *v, struct fat_node *dir, uint32_t idx,
		   bool grow, struct bcache_buf **b, uint8_t **ent)
{
	uint32_t per_cluster = v->cluster_bytes / DIRENT_SIZE, c;

	if (idx >= DIR_MAX_ENTS)
		return grow ? -ENOSPC : -ENOENT;
	int err = fat_chain_at(v, dir, idx / per_cluster, grow, &c);
	if (err)
		return err;
	uint32_t byte = (idx % per_cluster) * DIRENT_SIZE;
	err = bcache_get(&v->bc, fat_cluster_sector(v, c) + byte / v->bps, true,
			 b);
	if (err)
		return err;
	*ent = (*b)->data + byte % v->bps;
	return 0;
}

void fat_dir_iter_init(struct fat_dir_iter *it, struct fat_node *dir,
		       uint32_t start)
{
	it->dir = dir;
	it->idx = start;
	it->lfn_ord = 0;
}

/* Take one LFN entry into the name being gathered. */
static void lfn_take(struct fat_dir_iter *it, const uint8_t *ent)
{
	static const uint8_t at[LFN_CHARS] = {1,  3,  5,  7,  9,  14, 16,
					      18, 20, 22, 24, 28, 30};
	unsigned ord = ent[0] & 0x1f;

	if (ent[0] & 0x40) {
		if (ord == 0 || ord > LFN_MAX_ENTS) {
			it->lfn_ord = 0;
			return;
		}
		it->lfn_sum = ent[13];
		it->lfn_start = it->idx;
		it->lfn_count = ord;
		memset(it->lfn, 0xff, sizeof(it->lfn));
	} else if (it->lfn_ord == 0 || (int)ord != it->lfn_ord ||
		   ent[13] != it->lfn_sum) {
		it->lfn_ord = 0;
		return;
	}
	for (unsigned i = 0; i < LFN_CHARS; i++)
		it->lfn[(ord - 1) * LFN_CHARS + i] = get16(ent + at[i]);
	it->lfn_ord = (int)ord - 1;
	if (ord == 1)
		it->lfn_ord = -1; /* complete: the short entry comes next */
}

/* The long name gathered, if complete and meant for this short entry. */
static bool lfn_name(struct fat_dir_iter *it, const uint8_t *ent, char *out)
{
	unsigned len = 0, max = it->lfn_count * LFN_CHARS;

	if (it->lfn_ord != -1 || fat_lfn_checksum(ent) != it->lfn_sum)
		return false;
	while (len < max && it->lfn[len] != 0)
		len++;
	if (len == 0 || len > FAT_NAME_MAX)
		return false;
	fat_ucs2_to_utf8(it->lfn, len, out, FAT_NAME_UTF8_MAX + 1);
	return true;
}

int fat_dir_next(struct fat_vol *v, struct fat_dir_iter *it,
		 struct fat_entry *e)
{
	for (;; it->idx++) {
		struct bcache_buf *b;
		uint8_t *ent;
		int err = fat_dirent_get(v, it->dir, it->idx, false, &b, &ent);
		if (err == -ENOENT)
			return 0;
		if (err)
			return err;
		memcpy(e->raw, ent, DIRENT_SIZE);
		bcache_put(&v->bc, b);
		const uint8_t *r = e->raw;
		if (r[0] == 0)
			return 0;
		if (r[0] == 0xe5) {
			it->lfn_ord = 0;
			continue;
		}
		if ((r[11] & 0x3f) == ATTR_LFN) {
			lfn_take(it, r);
			continue;
		}
		if (r[11] & ATTR_VOLUME) {
			it->lfn_ord = 0;
			continue;
		}
		e->idx = it->idx;
		if (lfn_name(it, r, e->name)) {
			e->lfn_start = it->lfn_start;
		} else {
			e->lfn_start = it->idx;
			fat_short_to_utf8(r, e->name);
		}
		it->lfn_ord = 0;
		it->idx++;
		return 1;
	}
}

int fat_dir_find(struct fat_vol *v, struct fat_node *dir, const char *name,
		 struct fat_entry *e)
{
	struct fat_dir_iter it;
	int r;

	fat_dir_iter_init(&it, dir, 0);
	while ((r = fat_dir_next(v, &it, e)) > 0) {
		if (fat_name_eq(e->name, name))
			return 0;
		/* The short name matches too (what DOS programs see). */
		char shortname[13];
		fat_short_to_utf8(e->raw, shortname);
		if (e->lfn_start != e->idx && fat_name_eq(shortname, name))
			return 0;
	}
	return r ? r : -ENOENT;
}

static int short_taken(struct fat_vol *v, struct fat_node *dir,
		       const uint8_t shortname[11])
{
	struct fat_dir_iter it;
	struct fat_entry e;
	int r;

	fat_dir_iter_init(&it, dir, 0);
	while ((r = fat_dir_next(v, &it, &e)) > 0)
		if (!memcmp(e.raw, shortname, 11))
			return 1;
	return r;
}

/* The first run of `n` free entries, extending the directory if needed
 * (fat_alloc zeroes a new directory cluster: all its entries are free). */
static int find_slots(struct fat_vol *v, struct fat_node *dir, unsigned n,
		      uint32_t *start)
{
	uint32_t run = 0, idx;
	struct bcache_buf *b;
	uint8_t *ent;

	for (idx = 0;; idx++) {
		int err = fat_dirent_get(v, dir, idx, false, &b, &ent);
		if (err == -ENOENT)
			break;
		if (err)
			return err;
		uint8_t first = ent[0];
		bcache_put(&v->bc, b);
		if (first == 0)
			break; /* the end mark: every entry after it is free */
		run = first == 0xe5 ? run + 1 : 0;
		if (run == n) {
			*start = idx + 1 - n;
			return 0;
		}
	}
	*start = idx - run;
	if (*start + n > DIR_MAX_ENTS)
		return -ENOSPC;
	int err = fat_dirent_get(v, dir, *start + n - 1, true, &b, &ent);
	if (err)
		return err;
	bcache_put(&v->bc, b);
	return 0;
}

static void lfn_fill(uint8_t *ent, const uint16_t *name, unsigned len,
		     unsigned ord, bool last, uint8_t sum)
{
	static const uint8_t at[LFN_CHARS] = {1,  3,  5,  7,  9,  14, 16,
					      18, 20, 22, 24, 28, 30};
	memset(ent, 0, DIRENT_SIZE);
	ent[0] = (uint8_t)(ord | (last ? 0x40 : 0));
	ent[11] = ATTR_LFN;
	ent[13] = sum;
	for (unsigned i = 0; i < LFN_CHARS; i++) {
		unsigned k = (ord - 1) * LFN_CHARS + i;
		uint16_t c = k < len ? name[k] : k == len ? 0 : 0xffff;
		put16(ent + at[i], c);
	}
}

int fat_dir_add(struct fat_vol *v, struct fat_node *dir, const char *name,
		const uint8_t proto[DIRENT_SIZE], uint32_t *idx)
{
	uint16_t ucs[FAT_NAME_MAX];
	uint8_t shortname[11];
	unsigned len, nlfn = 0;
	uint32_t start;
	int err = fat_utf8_to_ucs2(name, ucs, &len);

	if (err)
		return err;
	if (!fat_exact_short(name, shortname)) {
		nlfn = (len + LFN_CHARS - 1) / LFN_CHARS;
		for (unsigned n = 1;; n++) {
			if (n > 999999)
				return -EEXIST;
			fat_make_short(name, n, shortname);
			int r = short_taken(v, dir, shortname);
			if (r < 0)
				return r;
			if (!r)
				break;
		}
	}
	err = find_slots(v, dir, nlfn + 1, &start);
	if (err)
		return err;
	uint8_t sum = fat_lfn_checksum(shortname);
	for (unsigned i = 0; i <= nlfn; i++) {
		struct bcache_buf *b;
		uint8_t *ent;
		err = fat_dirent_get(v, dir, start + i, false, &b, &ent);
		if (err)
			return err;
		if (i < nlfn) {
			lfn_fill(ent, ucs, len, nlfn - i, i == 0, sum);
		} else {
			memcpy(ent, proto, DIRENT_SIZE);
			memcpy(ent, shortname, 11);
			ent[12] = 0;
		}
		bcache_dirty(&v->bc, b, BCACHE_DIR);
		bcache_put(&v->bc, b);
	}
	*idx = start + nlfn;
	return 0;
}

int fat_dir_delete(struct fat_vol *v, struct fat_node *dir,
		   const struct fat_entry *e)
{
	for (uint32_t i = e->lfn_start; i <= e->idx; i++) {
		struct bcache_buf *b;
		uint8_t *ent;
		int err = fat_dirent_get(v, dir, i, false, &b, &ent);
		if (err)
			return err;
		ent[0] = 0xe5;
		bcache_dirty(&v->bc, b, BCACHE_DIR);
		bcache_put(&v->bc, b);
	}
	return 0;
}

/* 1 if the directory holds nothing but "." and "..", 0 if it does. */
int fat_dir_empty(struct fat_vol *v, struct fat_node *dir)
{
	struct fat_dir_iter it;
	struct fat_entry e;
	int r;

	fat_dir_iter_init(&it, dir, 0);
	while ((r = fat_dir_next(v, &it, &e)) > 0)
		if (strcmp(e.name, ".") && strcmp(e.name, ".."))
			return 0;
	return r < 0 ? r : 1;
}
