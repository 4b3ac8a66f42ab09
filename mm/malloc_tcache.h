/*
 * sbrk-malloc's small-object path (private to mm/malloc.c): per size class
 * a short LIFO of freed blocks that stay "used" in the TLSF pool, so a
 * free and the next malloc of the same class neither split, coalesce nor
 * touch the pool's free lists (what glibc's tcache does). Workload a of
 * `make bench-alloc` spends most of its time in exactly that list and
 * neighbour traffic otherwise.
 *
 * Run under the caller's mm lock, one per heap (not per CPU: the heap's
 * other paths take the lock anyway).
 *
 * A class is a block footprint in 16-byte steps: a block whose usable size
 * (tlsf_block_size) is u is in class (u + W) / 16, W = sizeof(size_t) (the
 * pool's one word of overhead), and a request of s bytes takes class
 * ceil((s + W) / 16): every block of it has at least s usable bytes.
 *
 * A cached block keeps the list link in its first word and a key (the
 * tcache's address) in its second, so a double free of a cached block is
 * found (key match, then a scan of its class, at most MALLOC_TC_DEPTH) and
 * refused instead of handing the block out twice.
 *
 * Bounded: at most MALLOC_TC_DEPTH blocks per class, classes up to the
 * one a request of MALLOC_TC_MAX_SIZE bytes takes; `bytes` is what it holds
 * (counted as free in heap_malloc_stats). It must never keep the heap top up (a
 * used block stops a trim): a block next to the pool's free tail is never
 * cached, and a free that grows the tail flushes the whole cache (see
 * malloc.c).
 */
#ifndef MM_MALLOC_TCACHE_H
#define MM_MALLOC_TCACHE_H

#include <mm/malloc.h>
#include <stdbool.h>
#include <stddef.h>

#include "tlsf.h"

#define TC_W sizeof(size_t)

/* The class a request of `size` bytes is served from (may be out of
 * range: then it is not cached). The pool's smallest block is
 * ALIGN_UP(4 W, 16) (mm/tlsf.c), so smaller classes would stay empty. */
static inline unsigned tc_class_of_request(size_t size)
{
	unsigned c = (unsigned)((size + TC_W + 15) / 16);
	unsigned min = (unsigned)((4 * TC_W + 15) / 16);
	return size > MALLOC_TC_MAX_SIZE ? MALLOC_TC_CLASSES
					 : (c < min ? min : c);
}

/* The class a block of `usable` bytes is kept in (MALLOC_TC_CLASSES: not
 * cached). */
static inline unsigned tc_class_of_block(size_t usable)
{
	unsigned c = usable >= 16 * MALLOC_TC_CLASSES
			     ? MALLOC_TC_CLASSES
			     : (unsigned)((usable + TC_W) / 16);
	return c < MALLOC_TC_CLASSES ? c : MALLOC_TC_CLASSES;
}

/* A block of class c, or NULL. */
static inline void *tc_pop(struct malloc_tcache *tc, unsigned c)
{
	void **p = tc->head[c];
	if (!p)
		return NULL;
	tc->head[c] = p[0];
	p[1] = NULL; /* no longer marked cached */
	tc->count[c]--;
	tc->bytes -= (size_t)c * 16;
	return p;
}

/* Is p (a valid "used" block of class c whose key word matches) on the
 * list of class c? */
static inline bool tc_holds(const struct malloc_tcache *tc, unsigned c,
			    const void *p)
{
	for (void **q = tc->head[c]; q; q = q[0])
		if (q == p)
			return true;
	return false;
}

/* Is p, a valid used block of class c, cached (i.e. already freed)? */
static inline bool tc_cached(const struct malloc_tcache *tc, unsigned c,
			     const void *p)
{
	return c < MALLOC_TC_CLASSES && ((void *const *)p)[1] == tc &&
	       tc_holds(tc, c, p);
}

static inline void tc_push(struct malloc_tcache *tc, unsigned c, void *p)
{
	void **q = p;
	q[0] = tc->head[c];
	q[1] = tc;
	tc->head[c] = q;
	tc->count[c]++;
	tc->bytes += (size_t)c * 16;
}

#endif
