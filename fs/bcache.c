/*
 * The sector cache (see <fs/bcache.h>): a hash of buffers, least recently
 * used clean buffer reused first, an ordered write-back sync.
 */
#include <fs/bcache.h>
#include <fs/fs_alloc.h>
#include <lib/err.h>
#include <string.h>

static unsigned bucket(const struct bcache *bc, uint64_t sector)
{
	return (unsigned)((sector * 2654435761u) % bc->nbufs);
}

int bcache_init(struct bcache *bc, struct blockdev *dev, unsigned nbufs)
{
	memset(bc, 0, sizeof(*bc));
	if (nbufs < 8 || !dev->sector_size || dev->sector_size > 4096)
		return -EINVAL;
	bc->dev = dev;
	bc->nbufs = nbufs;
	bc->bufs = fs_zalloc(nbufs, sizeof(*bc->bufs));
	bc->hash = fs_alloc(nbufs * sizeof(int));
	uint8_t *mem = fs_alloc((size_t)nbufs * dev->sector_size);
	if (!bc->bufs || !bc->hash || !mem) {
		fs_free(bc->bufs);
		fs_free(bc->hash);
		fs_free(mem);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < nbufs; i++) {
		bc->bufs[i].data = mem + (size_t)i * dev->sector_size;
		bc->bufs[i].next = -1;
		bc->hash[i] = -1;
	}
	return 0;
}

void bcache_destroy(struct bcache *bc)
{
	if (bc->bufs)
		fs_free(bc->bufs[0].data);
	fs_free(bc->bufs);
	fs_free(bc->hash);
	bc->bufs = NULL;
	bc->hash = NULL;
}

static void unhash(struct bcache *bc, int idx)
{
	int *link = &bc->hash[bucket(bc, bc->bufs[idx].sector)];

	while (*link != -1) {
		if (*link == idx) {
			*link = bc->bufs[idx].next;
			return;
		}
		link = &bc->bufs[*link].next;
	}
}

static int find(const struct bcache *bc, uint64_t sector)
{
	for (int i = bc->hash[bucket(bc, sector)]; i != -1;
	     i = bc->bufs[i].next)
		if (bc->bufs[i].sector == sector)
			return i;
	return -1;
}

/* The least recently used unpinned clean buffer, or -1. */
static int victim(const struct bcache *bc)
{
	int best = -1;

	for (unsigned i = 0; i < bc->nbufs; i++) {
		const struct bcache_buf *b = &bc->bufs[i];
		if (b->pins || b->dirty)
			continue;
		if (!b->valid)
			return (int)i;
		if (best < 0 || b->used < bc->bufs[best].used)
			best = (int)i;
	}
	return best;
}

int bcache_get(struct bcache *bc, uint64_t sector, bool fill,
	       struct bcache_buf **out)
{
	if (!blockdev_check_range(bc->dev, sector, 1))
		return -EINVAL;
	int idx = find(bc, sector);
	if (idx < 0) {
		idx = victim(bc);
		if (idx < 0) {
			/* Everything dirty: write it all, in order. */
			int err = bcache_sync(bc);
			if (err)
				return err;
			idx = victim(bc);
			if (idx < 0)
				return -ENOMEM; /* all pinned: a caller bug */
		}
		struct bcache_buf *b = &bc->bufs[idx];
		if (b->valid)
			unhash(bc, idx);
		b->valid = false;
		if (fill) {
			bc->reads++;
			int err =
				bc->dev->ops->read(bc->dev, sector, 1, b->data);
			if (err)
				return err;
		} else {
			memset(b->data, 0, bc->dev->sector_size);
		}
		b->sector = sector;
		b->valid = true;
		b->next = bc->hash[bucket(bc, sector)];
		bc->hash[bucket(bc, sector)] = idx;
	}
	struct bcache_buf *b = &bc->bufs[idx];
	b->pins++;
	b->used = ++bc->clock;
	*out = b;
	return 0;
}

void bcache_put(struct bcache *bc, struct bcache_buf *b)
{
	if (b->pins)
		b->pins--;
}

void bcache_dirty(struct bcache *bc, struct bcache_buf *b,
		  enum bcache_class class)
{
	if (!b->dirty || class < b->class)
		b->class = (uint8_t) class;
	b->dirty = true;
}

/* Write every dirty buffer of `class`, then flush if any was written. */
static int write_class(struct bcache *bc, enum bcache_class class)
{
	bool wrote = false;

	for (unsigned i = 0; i < bc->nbufs; i++) {
		struct bcache_buf *b = &bc->bufs[i];
		if (!b->dirty || b->class != class)
			continue;
		bc->writes++;
		int err = bc->dev->ops->write(bc->dev, b->sector, 1, b->data);
		if (err)
			return err;
		b->dirty = false;
		wrote = true;
	}
	if (!wrote)
		return 0;
	bc->flushes++;
	return bc->dev->ops->flush(bc->dev);
}

int bcache_sync(struct bcache *bc)
{
	int err = 0;

	bc->syncs++;
	for (int c = 0; c < BCACHE_CLASSES && !err; c++)
		err = write_class(bc, (enum bcache_class)c);
	if (!err && bc->commit) {
		err = bc->commit(bc->commit_ctx);
		if (!err)
			err = write_class(bc, BCACHE_FAT);
	}
	return err;
}

unsigned bcache_dirty_count(const struct bcache *bc)
{
	unsigned n = 0;

	for (unsigned i = 0; i < bc->nbufs; i++)
		n += bc->bufs[i].dirty;
	return n;
}
