/*
 * Private to fs/fat_*.c: the volume, nodes, and the helpers the files
 * share. Layout values come from the boot sector and are checked at mount
 * (fat_mount.c) so the rest may trust them; FAT entries and directory
 * entries are checked where they are read.
 */
#ifndef FS_FAT_INTERNAL_H
#define FS_FAT_INTERNAL_H

#include <fs/bcache.h>
#include <fs/fat.h>

#define FAT_EOC	     0x0FFFFFFFu
#define FAT_EOC_MIN  0x0FFFFFF8u
#define FAT_MASK     0x0FFFFFFFu
#define DIRENT_SIZE  32
#define DIR_MAX_ENTS 65536 /* the FAT specification's limit */
#define ATTR_RO	     0x01
#define ATTR_HIDDEN  0x02
#define ATTR_SYSTEM  0x04
#define ATTR_VOLUME  0x08
#define ATTR_DIR     0x10
#define ATTR_ARCHIVE 0x20
#define ATTR_LFN     0x0F
#define LFN_CHARS    13
#define LFN_MAX_ENTS 20 /* 20 * 13 = 260 >= FAT_NAME_MAX */
#define PENDING_MAX  64

/* Clusters to free once the directory entries that stopped using them are
 * on the disk (docs/storage.md): set `eoc` (if not 0) to end-of-chain,
 * then free the chain from `head`. */
struct fat_pending {
	uint32_t eoc, head;
};

struct fat_vol {
	struct blockdev *dev;
	struct bcache bc;
	uint32_t bps;		/* bytes per sector (the device's) */
	uint32_t spc;		/* sectors per cluster */
	uint32_t cluster_bytes; /* bps * spc */
	uint32_t fat_start;	/* first sector of FAT 0 */
	uint32_t fat_sectors;	/* per FAT */
	uint32_t nfats;
	uint32_t data_start;  /* sector of cluster 2 */
	uint32_t max_cluster; /* highest valid cluster number */
	uint32_t root;
	uint32_t fsinfo; /* sector, or 0 */
	uint32_t free_count, next_free;
	bool ro;
	const char *why;
	struct fat_pending pending[PENDING_MAX];
	unsigned npending;
	struct fat_node *nodes; /* in use */
	struct fat_node *rootnode;
};

/* A node's directory entry is entry `ent` of the directory whose first
 * cluster is `dir`; the root has dir 0 and no entry. */
struct fat_node {
	struct fat_node *next;
	unsigned refs;
	uint32_t dir, ent;
	uint32_t first, size;
	uint8_t attr;
	uint32_t hint_idx,
		hint_clus; /* a known (index, cluster) of the chain */
};

/* fat_mount.c */
int fat_fail(struct fat_vol *v, const char *why);

/* fat_table.c: FAT entries and chains */
uint64_t fat_cluster_sector(const struct fat_vol *v, uint32_t c);
bool fat_valid_cluster(const struct fat_vol *v, uint32_t c);
/* The entry of cluster c: *next is the next cluster or 0 at the end of
 * the chain; -EIO for a free, bad or out-of-range entry. Sees a pending
 * end-of-chain (a truncation not yet committed) as the end. */
int fat_next(struct fat_vol *v, uint32_t c, uint32_t *next);
int fat_read_entry(struct fat_vol *v, uint32_t c, uint32_t *val);
int fat_write_entry(struct fat_vol *v, uint32_t c, uint32_t val);
/* A free cluster, marked end-of-chain, its sectors zeroed in the cache
 * when `zero`; linked after `prev` if prev != 0. -ENOSPC. */
int fat_alloc(struct fat_vol *v, uint32_t prev, bool zero, uint32_t *out);
/* Queue the chain from `head` (and an end mark at `eoc`) for freeing. */
int fat_defer_free(struct fat_vol *v, uint32_t eoc, uint32_t head);
int fat_commit_frees(void *vol);
int fat_write_fsinfo(struct fat_vol *v);
/* Cluster `idx` of the chain from n->first (n->hint speeds up walks); with
 * `grow`, allocates missing clusters. -ENOENT past the end without grow. */
int fat_chain_at(struct fat_vol *v, struct fat_node *n, uint32_t idx, bool grow,
		 uint32_t *out);

/* fat_name.c */
int fat_utf8_to_ucs2(const char *name, uint16_t *out, unsigned *len);
void fat_ucs2_to_utf8(const uint16_t *in, unsigned len, char *out, size_t size);
uint8_t fat_lfn_checksum(const uint8_t shortname[11]);
/* The 8.3 form of a name that needs no long entries, else false. */
bool fat_exact_short(const char *name, uint8_t out[11]);
/* A basis short name "NAME~N  EXT" for generation number `n`. */
void fat_make_short(const char *name, unsigned n, uint8_t out[11]);
void fat_short_to_utf8(const uint8_t *ent, char *out);
bool fat_name_eq(const char *a, const char *b);

/* fat_dir.c */
struct fat_dir_iter {
	struct fat_node *dir;
	uint32_t idx; /* next entry */
	/* the long name being gathered */
	uint16_t lfn[LFN_MAX_ENTS * LFN_CHARS];
	int lfn_ord; /* next expected order number, 0: none */
	uint8_t lfn_sum;
	uint32_t lfn_start;
	unsigned lfn_count;
};
struct fat_entry {
	uint32_t idx;	    /* the short entry */
	uint32_t lfn_start; /* first entry of the name (== idx without LFN) */
	uint8_t raw[DIRENT_SIZE];
	char name[FAT_NAME_UTF8_MAX + 1];
};
void fat_dir_iter_init(struct fat_dir_iter *it, struct fat_node *dir,
		       uint32_t start);
int fat_dir_next(struct fat_vol *v, struct fat_dir_iter *it,
		 struct fat_entry *e);
/* Pinned buffer and pointer of entry idx of the directory `dir`. */
int fat_dirent_get(struct fat_vol *v, struct fat_node *dir, uint32_t idx,
		   bool grow, struct bcache_buf **b, uint8_t **ent);
int fat_dir_find(struct fat_vol *v, struct fat_node *dir, const char *name,
		 struct fat_entry *e);
/* Write the entries for `name` with short entry fields from `proto`
 * (attr, cluster, size, times); *idx gets the short entry's index. */
int fat_dir_add(struct fat_vol *v, struct fat_node *dir, const char *name,
		const uint8_t proto[DIRENT_SIZE], uint32_t *idx);
int fat_dir_delete(struct fat_vol *v, struct fat_node *dir,
		   const struct fat_entry *e);
int fat_dir_empty(struct fat_vol *v, struct fat_node *dir);

/* fat_node.c */
struct fat_node *fat_node_find(struct fat_vol *v, uint32_t dir, uint32_t ent);
int fat_node_from_entry(struct fat_vol *v, struct fat_node *dir,
			const struct fat_entry *e, struct fat_node **out);
/* The node's first cluster, size and mtime into its directory entry. */
int fat_node_store(struct fat_vol *v, struct fat_node *n, bool touch);
uint32_t fat_ent_cluster(const uint8_t *ent);
void fat_ent_set_cluster(uint8_t *ent, uint32_t c);

/* fat_time.c */
int64_t fat_now(void);
void fat_time_encode(int64_t t, uint16_t *date, uint16_t *time);
int64_t fat_time_decode(uint16_t date, uint16_t time);

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}
static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

#endif
