/*
 * Names in directories: lookup, create, remove, rename, listing; and the
 * node references the VFS holds.
 */
#include "fat_internal.h"
#include <fs/fs_alloc.h>
#include <lib/err.h>
#include <string.h>

/* Deepest directory nesting rename walks up through. */
#define FAT_MAX_DEPTH 4096

struct fat_node *fat_root(struct fat_vol *v)
{
	v->rootnode->refs++;
	return v->rootnode;
}

void fat_get(struct fat_node *n)
{
	n->refs++;
}

void fat_put(struct fat_vol *v, struct fat_node *n)
{
	if (--n->refs || n == v->rootnode)
		return;
	for (struct fat_node **p = &v->nodes; *p; p = &(*p)->next) {
		if (*p == n) {
			*p = n->next;
			break;
		}
	}
	fs_free(n);
}

bool fat_is_dir(const struct fat_node *n)
{
	return n->attr & ATTR_DIR;
}

uint32_t fat_size(const struct fat_node *n)
{
	return n->size;
}

static int check_name(const char *name)
{
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL; /* the VFS resolves them */
	if (strlen(name) > FAT_NAME_UTF8_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* May `name` be added to or removed from `dir`? */
static int check_change(struct fat_vol *v, struct fat_node *dir,
			const char *name)
{
	if (!(dir->attr & ATTR_DIR))
		return -ENOTDIR;
	int err = check_name(name);
	if (err)
		return err;
	return v->ro ? -EROFS : 0;
}

int fat_lookup(struct fat_vol *v, struct fat_node *dir, const char *name,
	       struct fat_node **out)
{
	struct fat_entry e;

	if (!(dir->attr & ATTR_DIR))
		return -ENOTDIR;
	int err = check_name(name);
	if (!err)
		err = fat_dir_find(v, dir, name, &e);
	return err ? err : fat_node_from_entry(v, dir, &e, out);
}

static void proto_init(uint8_t *ent, uint8_t attr, uint32_t cluster)
{
	uint16_t date, time;

	memset(ent, 0, DIRENT_SIZE);
	memset(ent, ' ', 11);
	ent[11] = attr;
	fat_time_encode(fat_now(), &date, &time);
	put16(ent + 14, time);
	put16(ent + 16, date);
	put16(ent + 18, date);
	put16(ent + 22, time);
	put16(ent + 24, date);
	fat_ent_set_cluster(ent, cluster);
}

/* "." and ".." in a new directory's (zeroed, unlinked) cluster: part of
 * its contents, so DATA class: on the disk before anything points at it. */
static int dot_entries(struct fat_vol *v, uint32_t c, uint32_t parent)
{
	struct bcache_buf *b;
	int err = bcache_get(&v->bc, fat_cluster_sector(v, c), true, &b);

	if (err)
		return err;
	proto_init(b->data, ATTR_DIR, c);
	b->data[0] = '.';
	proto_init(b->data + DIRENT_SIZE, ATTR_DIR,
		   parent == v->root ? 0 : parent);
	b->data[DIRENT_SIZE] = '.';
	b->data[DIRENT_SIZE + 1] = '.';
	bcache_dirty(&v->bc, b, BCACHE_DATA);
	bcache_put(&v->bc, b);
	return 0;
}

int fat_create(struct fat_vol *v, struct fat_node *dir, const char *name,
	       bool is_dir, struct fat_node **out)
{
	struct fat_entry e;
	uint32_t c = 0;
	int err = check_change(v, dir, name);

	if (err)
		return err;
	err = fat_dir_find(v, dir, name, &e);
	if (err != -ENOENT)
		return err ? err : -EEXIST;
	if (is_dir) {
		err = fat_alloc(v, 0, true, &c);
		if (!err)
			err = dot_entries(v, c, dir->first);
		if (err) {
			if (c)
				fat_defer_free(v, 0, c);
			return err;
		}
	}
	proto_init(e.raw, is_dir ? ATTR_DIR : ATTR_ARCHIVE, c);
	err = fat_dir_add(v, dir, name, e.raw, &e.idx);
	if (err) {
		if (c)
			fat_defer_free(v, 0, c);
		return err;
	}
	e.lfn_start = e.idx;
	strlcpy(e.name, name, sizeof(e.name));
	return fat_node_from_entry(v, dir, &e, out);
}

/* The entry `name` of dir, checked for removal or replacement. */
static int removable(struct fat_vol *v, struct fat_node *dir,
		     const struct fat_entry *e, bool want_dir)
{
	bool is_dir = e->raw[11] & ATTR_DIR;

	if (want_dir && !is_dir)
		return -ENOTDIR;
	if (!want_dir && is_dir)
		return -EISDIR;
	if (e->raw[11] & ATTR_RO)
		return -EPERM;
	if (is_dir) {
		struct fat_node d = {.first = fat_ent_cluster(e->raw),
				     .attr = ATTR_DIR};
		if (!fat_valid_cluster(v, d.first))
			return fat_fail(v, "directory without a cluster");
		int r = fat_dir_empty(v, &d);
		if (r <= 0)
			return r ? r : -ENOTEMPTY;
	}
	/* An open file stays whole until closed: removing it is refused
	 * (FAT has no inode to keep it alive without a name). */
	if (fat_node_find(v, dir->first, e->idx))
		return -EBUSY;
	return 0;
}

static int remove_entry(struct fat_vol *v, struct fat_node *dir,
			const struct fat_entry *e)
{
	int err = fat_dir_delete(v, dir, e);
	return err ? err : fat_defer_free(v, 0, fat_ent_cluster(e->raw));
}

int fat_remove(struct fat_vol *v, struct fat_node *dir, const char *name,
	       bool want_dir)
{
	struct fat_entry e;
	int err = check_change(v, dir, name);

	if (err)
		return err;
	if ((err = fat_dir_find(v, dir, name, &e)))
		return err;
	if ((err = removable(v, dir, &e, want_dir)))
		return err;
	return remove_entry(v, dir, &e);
}

/* The parent of directory cluster c, from its ".." entry. */
static int parent_of(struct fat_vol *v, uint32_t c, uint32_t *parent)
{
	struct fat_node d = {.first = c, .attr = ATTR_DIR};
	struct bcache_buf *b;
	uint8_t *ent;
	int err = fat_dirent_get(v, &d, 1, false, &b, &ent);

	if (err)
		return err == -ENOENT ? fat_fail(v, "directory without ..")
				      : err;
	bool ok = !memcmp(ent, "..         ", 11);
	*parent = fat_ent_cluster(ent);
	bcache_put(&v->bc, b);
	if (!ok)
		return fat_fail(v, "directory's second entry is not ..");
	if (!*parent)
		*parent = v->root;
	return 0;
}

/* -EINVAL if directory cluster `moved` is `to` or one of its ancestors. */
static int check_not_inside(struct fat_vol *v, uint32_t moved, uint32_t to)
{
	for (unsigned depth = 0; depth < FAT_MAX_DEPTH; depth++) {
		if (to == moved)
			return -EINVAL;
		if (to == v->root)
			return 0;
		int err = parent_of(v, to, &to);
		if (err)
			return err;
	}
	return fat_fail(v, "directory tree loops (.. never reaches root)");
}

static int set_dotdot(struct fat_vol *v, uint32_t c, uint32_t parent)
{
	struct fat_node d = {.first = c, .attr = ATTR_DIR};
	struct bcache_buf *b;
	uint8_t *ent;
	int err = fat_dirent_get(v, &d, 1, false, &b, &ent);

	if (err)
		return err;
	fat_ent_set_cluster(ent, parent == v->root ? 0 : parent);
	bcache_dirty(&v->bc, b, BCACHE_DIR);
	bcache_put(&v->bc, b);
	return 0;
}

int fat_rename(struct fat_vol *v, struct fat_node *odir, const char *oname,
	       struct fat_node *ndir, const char *nname)
{
	struct fat_entry oe, ne;
	uint32_t idx;
	int err;

	if ((err = check_change(v, odir, oname)) ||
	    (err = check_change(v, ndir, nname)))
		return err;
	if ((err = fat_dir_find(v, odir, oname, &oe)))
		return err;
	bool is_dir = oe.raw[11] & ATTR_DIR;
	uint32_t first = fat_ent_cluster(oe.raw);
	if (is_dir && (err = check_not_inside(v, first, ndir->first)))
		return err;
	err = fat_dir_find(v, ndir, nname, &ne);
	if (err && err != -ENOENT)
		return err;
	bool replace = !err;
	if (replace && ndir->first == odir->first && ne.idx == oe.idx)
		return 0; /* the same entry (perhaps another case) */
	if (replace && (err = removable(v, ndir, &ne, is_dir)))
		return err;
	struct fat_node *n = fat_node_find(v, odir->first, oe.idx);
	/* Never two entries for one chain, even for a moment on the disk:
	 * remove, make that durable, then add (docs/storage.md). */
	err = fat_dir_delete(v, odir, &oe);
	if (!err && replace)
		err = remove_entry(v, ndir, &ne);
	if (!err)
		err = fat_sync(v);
	if (!err)
		err = fat_dir_add(v, ndir, nname, oe.raw, &idx);
	if (!err && is_dir && odir->first != ndir->first)
		err = set_dotdot(v, first, ndir->first);
	if (err)
		return err;
	if (n) {
		n->dir = ndir->first;
		n->ent = idx;
	}
	return 0;
}

int fat_readdir(struct fat_vol *v, struct fat_node *dir, uint64_t *cookie,
		struct fat_dirent *out)
{
	struct fat_dir_iter it;
	struct fat_entry e;
	int r;

	if (!(dir->attr & ATTR_DIR))
		return -ENOTDIR;
	if (*cookie >= DIR_MAX_ENTS)
		return 0;
	fat_dir_iter_init(&it, dir, (uint32_t)*cookie);
	while ((r = fat_dir_next(v, &it, &e)) > 0) {
		if (!strcmp(e.name, ".") || !strcmp(e.name, ".."))
			continue;
		strlcpy(out->name, e.name, sizeof(out->name));
		out->is_dir = e.raw[11] & ATTR_DIR;
		out->size = out->is_dir ? 0 : get32(e.raw + 28);
		out->id = (uint64_t)dir->first << 16 | e.idx;
		*cookie = it.idx;
		return 1;
	}
	return r;
}
