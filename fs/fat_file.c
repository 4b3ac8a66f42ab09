/*
 * File contents: read, write (allocating clusters as the file grows),
 * size changes, stat and times. Data go through the cache in the DATA
 * class, the new size into the entry in the DIR class (docs/storage.md).
 */
#include "fat_internal.h"
#include <lib/err.h>
#include <string.h>

#define FAT_FILE_MAX 0xFFFFFFFFull

long fat_read(struct fat_vol *v, struct fat_node *n, void *buf, size_t len,
	      uint64_t off)
{
	size_t done = 0;

	if (n->attr & ATTR_DIR)
		return -EISDIR;
	if (off >= n->size)
		return 0;
	if (len > n->size - off)
		len = (size_t)(n->size - off);
	while (done < len) {
		uint64_t pos = off + done;
		uint32_t c, in_cluster = (uint32_t)(pos % v->cluster_bytes);
		int err = fat_chain_at(v, n, (uint32_t)(pos / v->cluster_bytes),
				       false, &c);
		if (err == -ENOENT)
			err = fat_fail(v, "cluster chain shorter than the "
					  "file size");
		if (err)
			return done ? (long)done : err;
		struct bcache_buf *b;
		err = bcache_get(&v->bc,
				 fat_cluster_sector(v, c) + in_cluster / v->bps,
				 true, &b);
		if (err)
			return done ? (long)done : err;
		size_t at = in_cluster % v->bps;
		size_t chunk = v->bps - at;
		if (chunk > len - done)
			chunk = len - done;
		memcpy((uint8_t *)buf + done, b->data + at, chunk);
		bcache_put(&v->bc, b);
		done += chunk;
	}
	return (long)done;
}

/* Write len bytes of buf (zeros if NULL) at off; *done counts them. */
static int write_range(struct fat_vol *v, struct fat_node *n,
		       const uint8_t *buf, size_t len, uint64_t off,
		       size_t *done)
{
	while (*done < len) {
		uint64_t pos = off + *done;
		uint32_t c, in_cluster = (uint32_t)(pos % v->cluster_bytes);
		int err = fat_chain_at(v, n, (uint32_t)(pos / v->cluster_bytes),
				       true, &c);
		if (err)
			return err;
		size_t at = in_cluster % v->bps;
		size_t chunk = v->bps - at;
		if (chunk > len - *done)
			chunk = len - *done;
		/* A whole sector, or one past the old end, need not be
		 * read first. */
		uint64_t sector_start = pos - at;
		bool fill = chunk != v->bps && sector_start < n->size;
		struct bcache_buf *b;
		err = bcache_get(&v->bc,
				 fat_cluster_sector(v, c) + in_cluster / v->bps,
				 fill, &b);
		if (err)
			return err;
		if (!fill && chunk != v->bps)
			memset(b->data, 0, v->bps);
		if (buf)
			memcpy(b->data + at, buf + *done, chunk);
		else
			memset(b->data + at, 0, chunk);
		bcache_dirty(&v->bc, b, BCACHE_DATA);
		bcache_put(&v->bc, b);
		*done += chunk;
		if (pos + chunk > n->size)
			n->size = (uint32_t)(pos + chunk);
	}
	return 0;
}

long fat_write(struct fat_vol *v, struct fat_node *n, const void *buf,
	       size_t len, uint64_t off)
{
	size_t done = 0, gap = 0;
	int err = 0;

	if (v->ro)
		return -EROFS;
	if (n->attr & ATTR_DIR)
		return -EISDIR;
	if (off > FAT_FILE_MAX || len > FAT_FILE_MAX - off)
		return -EFBIG;
	if (len == 0)
		return 0;
	if (off > n->size)
		err = write_range(v, n, NULL, (size_t)(off - n->size), n->size,
				  &gap);
	if (!err)
		err = write_range(v, n, buf, len, off, &done);
	int serr = fat_node_store(v, n, true);
	if (done)
		return (long)done;
	return err ? err : serr;
}

int fat_set_size(struct fat_vol *v, struct fat_node *n, uint64_t size)
{
	int err;

	if (v->ro)
		return -EROFS;
	if (n->attr & ATTR_DIR)
		return -EISDIR;
	if (size > FAT_FILE_MAX)
		return -EFBIG;
	if (size > n->size) {
		size_t done = 0;
		uint32_t old = n->size;
		err = write_range(v, n, NULL, (size_t)(size - old), old, &done);
		if (err) {
			/* Back to the old size: all or nothing. */
			int e2 = fat_set_size(v, n, old);
			return e2 ? e2 : err;
		}
		return fat_node_store(v, n, true);
	}
	/* The clusters past the new end are freed once the smaller size is
	 * on the disk (docs/storage.md); until then they stay allocated and
	 * fat_next sees the new end mark. */
	uint32_t keep =
		(uint32_t)((size + v->cluster_bytes - 1) / v->cluster_bytes);
	if (keep == 0 && n->first) {
		err = fat_defer_free(v, 0, n->first);
		if (err)
			return err;
		n->first = 0;
	} else if (keep) {
		uint32_t last, next = 0;
		err = fat_chain_at(v, n, keep - 1, false, &last);
		if (!err)
			err = fat_next(v, last, &next);
		if (err && err != -ENOENT)
			return err;
		if (!err && next && (err = fat_defer_free(v, last, next)))
			return err;
	}
	n->hint_clus = 0;
	n->size = (uint32_t)size;
	return fat_node_store(v, n, true);
}

int fat_stat(struct fat_vol *v, struct fat_node *n, struct fat_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->is_dir = n->attr & ATTR_DIR;
	st->size = n->size;
	st->id = n->dir ? (uint64_t)n->dir << 16 | n->ent : 1;
	if (!n->dir)
		return 0; /* the root has no entry and no times */
	struct fat_node dir = {.first = n->dir, .attr = ATTR_DIR};
	struct bcache_buf *b;
	uint8_t *ent;
	int err = fat_dirent_get(v, &dir, n->ent, false, &b, &ent);
	if (err)
		return err;
	st->mtime = fat_time_decode(get16(ent + 24), get16(ent + 22));
	st->atime = fat_time_decode(get16(ent + 18), 0);
	st->ctime = fat_time_decode(get16(ent + 16), get16(ent + 14));
	bcache_put(&v->bc, b);
	return 0;
}

int fat_set_times(struct fat_vol *v, struct fat_node *n, int64_t atime,
		  int64_t mtime)
{
	if (v->ro)
		return -EROFS;
	if (!n->dir)
		return 0;
	struct fat_node dir = {.first = n->dir, .attr = ATTR_DIR};
	struct bcache_buf *b;
	uint8_t *ent;
	uint16_t date, time;
	int err = fat_dirent_get(v, &dir, n->ent, false, &b, &ent);
	if (err)
		return err;
	if (mtime >= 0) {
		fat_time_encode(mtime, &date, &time);
		put16(ent + 22, time);
		put16(ent + 24, date);
	}
	if (atime >= 0) {
		fat_time_encode(atime, &date, &time);
		put16(ent + 18, date);
	}
	bcache_dirty(&v->bc, b, BCACHE_DIR);
	bcache_put(&v->bc, b);
	return 0;
}
