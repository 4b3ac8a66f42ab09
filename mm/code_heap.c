/*
 * Per-owner code heaps on the code region (see <mm/code_region.h>).
 *
 * A chunk is a run of region pages, described by a header in the kernel
 * heap (the pages themselves are read-only: code_region_write is the only
 * way into them); functions are bump-allocated in it, 16-byte aligned, and
 * counted live; when the count drops to 0 the chunk's pages go back to the
 * region (a function's bytes are never reused inside a chunk: a module's
 * code is freed all at once, with its instance), so code is written once,
 * before its address is returned, and never patched. Chunks are 16 KiB,
 * or as large as one big function needs. Under mm/'s lock, except the
 * copy of the code, which touches only the caller's reserved bytes.
 */
#include <arch/mmu.h>
#include <lib/compiler.h>
#include <mm/code_region.h>
#include <mm/kheap.h>
#include <string.h>

#include "mm_lock.h"

#define CHUNK_PAGES 4u
#define CODE_ALIGN  16u

struct chunk {
	struct list_node node;
	uint8_t *code; /* the region's pages */
	size_t pages;
	size_t used; /* bytes from code */
	unsigned long live;
};

void code_heap_init(struct code_heap *h, bool (*charge)(void *, size_t),
		    void (*uncharge)(void *, size_t), void *ctx)
{
	memset(h, 0, sizeof(*h));
	list_init(&h->chunks);
	h->charge = charge;
	h->uncharge = uncharge;
	h->ctx = ctx;
}

/* Reserve n bytes in the newest chunk if they fit; lock held. */
static void *bump(struct code_heap *h, size_t n)
{
	if (list_empty(&h->chunks))
		return NULL;
	struct chunk *c = list_entry(h->chunks.next, struct chunk, node);
	size_t at = ALIGN_UP(c->used, (size_t)CODE_ALIGN);
	if (at > c->pages * PAGE_SIZE || c->pages * PAGE_SIZE - at < n)
		return NULL;
	c->used = at + n;
	c->live++;
	h->live++;
	h->live_bytes += n;
	return c->code + at;
}

/* A new chunk for at least n bytes, charged and linked first. */
static bool add_chunk(struct code_heap *h, size_t n)
{
	size_t pages = ALIGN_UP(n, (size_t)PAGE_SIZE) / PAGE_SIZE;
	if (pages < CHUNK_PAGES)
		pages = CHUNK_PAGES;
	size_t bytes = pages * PAGE_SIZE;
	if (h->charge && !h->charge(h->ctx, bytes)) {
		h->refused++;
		return false;
	}
	struct chunk *c = kmalloc(sizeof(*c));
	uint8_t *code = c ? code_region_alloc(pages) : NULL;
	if (!code) {
		kfree(c);
		if (h->uncharge)
			h->uncharge(h->ctx, bytes);
		h->refused++;
		return false;
	}
	c->code = code;
	c->pages = pages;
	c->used = 0;
	c->live = 0;
	mm_lock_t s = mm_lock();
	list_add_head(&h->chunks, &c->node);
	h->pages += pages;
	mm_unlock(s);
	return true;
}

void *code_heap_alloc(struct code_heap *h, const void *code, size_t size)
{
	if (!size || size > CODE_REGION_SIZE)
		return NULL;
	mm_lock_t s = mm_lock();
	void *p = bump(h, size);
	mm_unlock(s);
	if (!p && add_chunk(h, size)) {
		s = mm_lock();
		p = bump(h, size);
		mm_unlock(s);
	}
	if (!p)
		return NULL;
	if (code_region_write(p, code, size) < 0) {
		code_heap_free(h, p, size);
		return NULL;
	}
	return p;
}

/* Unlink c from h; lock held. */
static void unlink_chunk(struct code_heap *h, struct chunk *c)
{
	list_del(&c->node);
	h->pages -= c->pages;
}

/* Give an unlinked chunk's pages back, then its charge (outside mm/'s
 * lock: the owner's accounting has locks of its own). */
static void free_chunk(struct code_heap *h, struct chunk *c)
{
	size_t pages = c->pages;
	code_region_free(c->code, pages);
	kfree(c);
	if (h->uncharge)
		h->uncharge(h->ctx, pages * PAGE_SIZE);
}

void code_heap_free(struct code_heap *h, void *p, size_t size)
{
	struct chunk *gone = NULL;

	if (!p)
		return;
	mm_lock_t s = mm_lock();
	list_for_each(it, &h->chunks)
	{
		struct chunk *c = list_entry(it, struct chunk, node);
		uint8_t *lo = c->code, *hi = lo + c->used;
		if ((uint8_t *)p < lo || (uint8_t *)p >= hi)
			continue;
		h->live--;
		h->live_bytes -= size;
		if (--c->live == 0) {
			unlink_chunk(h, c);
			gone = c;
		}
		break;
	}
	mm_unlock(s);
	if (gone)
		free_chunk(h, gone);
}

void code_heap_release(struct code_heap *h)
{
	for (;;) {
		struct chunk *c = NULL;
		mm_lock_t s = mm_lock();
		if (!list_empty(&h->chunks)) {
			c = list_entry(h->chunks.next, struct chunk, node);
			unlink_chunk(h, c);
		} else {
			h->live = 0;
			h->live_bytes = 0;
		}
		mm_unlock(s);
		if (!c)
			break;
		free_chunk(h, c);
	}
}
