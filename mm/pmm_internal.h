/*
 * The physical memory manager's private half (the contract is <mm/pmm.h>):
 * the frame table and the free lists that every mm/pmm*.c file works on.
 * Private to mm/.
 *
 *   pmm.c        the buddy allocator: pmm_alloc, pmm_free, split and merge
 *   pmm_boot.c   the boot memory map taken in: span, holes, zones; ranges
 *                reserved at boot; the LOW zone handed to lowmem
 *   pmm_dma.c    the DMA-window protocol: ranges taken and given back,
 *                blocks relocated out of a window
 *   pmm_rmap.c   the reverse map: owner and virtual address of each frame
 *   pmm_stats.c  statistics, names, the last error
 *   pmm_check.c  the invariant check, and the tests' set-aside
 *
 * Locking: mm_lock()/mm_unlock() (mm_lock.h) around every public call. The
 * functions and inlines declared here expect the caller to hold the lock.
 */
#ifndef MM_PMM_INTERNAL_H
#define MM_PMM_INTERNAL_H

#include <lib/compiler.h>
#include <mm/pmm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm_lock.h"

/*
 * The frame table: one 8-byte entry per frame of the managed span
 * [base, base + n) (frame numbers; entry i is frame base + i). Each frame is
 * either the HEAD of a block or a TAIL inside one:
 *
 *   FREE head  b = kind 1 | order<<2 | prev<<8      a = next (free list)
 *   USED head  b = kind 2 | order<<2 | flags | owner<<8   a = va >> 12
 *   TAIL       b = 0                                a = va >> 12 (0 if the
 *                                                    block is free)
 *
 * USED heads are allocated blocks (F_ALLOC, any order), and single frames
 * (order 0) that are reserved, taken (F_TAKEN) or holes (F_HOLE).
 *
 * Invariants (pmm_check() verifies each):
 *  I1 Walking the span from entry 0, head by head (i += 2^order), visits
 *     every head and ends exactly at n; every other entry is a TAIL.
 *  I2 A block of order k starts at a frame number aligned to 2^k and lies
 *     inside one zone; order <= PMM_MAX_ORDER.
 *  I3 A FREE block is on exactly the free list zone[z].head[k] of its zone
 *     and order; the lists are doubly linked through a/prev (NIL ends) and
 *     hold nothing else; nblocks[k] is the list length and bit k of
 *     nonempty is set iff the list is not empty. TAILs of a FREE block have
 *     a == 0 (so an allocated block starts unmapped without a sweep).
 *  I4 Coalescing is complete: no FREE block of order k < PMM_MAX_ORDER has
 *     a FREE buddy of order k in the same zone.
 *  I5 zone.free is the number of frames in FREE blocks of the zone;
 *     zone.total is the number of RAM frames (everything but holes).
 *  I6 A USED head has an owner other than FREE; holes and taken/reserved
 *     frames have order 0; F_MAPPED is set on a block if any of its frames
 *     has a != 0 (it may also be set when none has).
 *  I7 No hole frame is in a zone's RAM count or on a free list.
 */
struct pmm_frame {
	uint32_t a;
	union {
		uint32_t b;
		struct {
			uint8_t b0;   /* kind, order, F_ALLOC, F_MAPPED */
			uint8_t b1;   /* prev bits 0-7, or owner and flags */
			uint16_t b23; /* prev bits 8-23, or flags */
		};
	};
};

/* The list links are written with byte/halfword stores (set_prev) so that
 * unlinking a block never has to load a neighbour's entry first; the
 * masks below read `b` as those bytes in little-endian order. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "the frame entry layout assumes little-endian");
_Static_assert(sizeof(struct pmm_frame) == PMM_META_PER_FRAME,
	       "frame entries must stay within the 8-byte budget");

#define F_KIND	      0x3u
#define F_TAIL	      0x0u
#define F_FREE	      0x1u
#define F_USED	      0x2u
#define F_ORDER_SHIFT 2
#define F_ORDER_MASK  (0xFu << F_ORDER_SHIFT)
#define F_KIND_ORDER  (F_KIND | F_ORDER_MASK)
#define F_ALLOC	      (1u << 6) /* from pmm_alloc: pmm_free takes it */
#define F_MAPPED      (1u << 7) /* some frame of the block has a != 0 */
#define F_PREV_SHIFT  8		/* FREE heads: bits 8-31 */
#define F_OWNER_SHIFT 8		/* USED heads: bits 8-12 */
#define F_OWNER_MASK  (0x1Fu << F_OWNER_SHIFT)
#define F_IDENT	      (1u << 13) /* reserved, identity-mapped */
#define F_PINNED      (1u << 14) /* allocated with PMM_PINNED */
#define F_MOVING      (1u << 15) /* being relocated */
#define F_HOLE	      (1u << 16) /* not RAM */
#define F_TAKEN	      (1u << 17) /* DMA window or low-memory allocator */

#define NIL 0xFFFFFu /* list end; the span never reaches 2^20 - 1 frames */

#define HOLE_B	 (F_USED | (PMM_OWNER_RESERVED << F_OWNER_SHIFT) | F_HOLE)
#define RAM_MARK 0u /* during pmm_init only: a RAM frame not yet carved */

static inline unsigned f_order(uint32_t b)
{
	return (b & F_ORDER_MASK) >> F_ORDER_SHIFT;
}

static inline unsigned f_owner(uint32_t b)
{
	return (b & F_OWNER_MASK) >> F_OWNER_SHIFT;
}

struct zone {
	uint32_t head[PMM_NR_ORDERS];
	uint32_t nonempty; /* bit k: head[k] != NIL */
	uint32_t lo, hi;   /* entries [lo, hi) */
	size_t total, free;
	size_t nblocks[PMM_NR_ORDERS];
	unsigned long allocs, frees, failures;
};

struct pmm_state {
	struct pmm_frame *f;
	uint32_t base; /* frame number of entry 0 */
	uint32_t n;
	bool ready;
	struct zone z[PMM_NR_ZONES];
};

/* The one PMM (pmm.c). */
extern struct pmm_state pmm;

/* ------------------------------------------------------------ entries */

static inline paddr_t idx_pa(uint32_t i)
{
	return (paddr_t)(pmm.base + i) << PAGE_SHIFT;
}

static inline unsigned zone_of(uint32_t i)
{
	return i >= pmm.z[PMM_NORMAL].lo ? PMM_NORMAL
	       : i >= pmm.z[PMM_DMA].lo	 ? PMM_DMA
					 : PMM_LOW;
}

/* Frame number pfn as an entry index, clipped to [0, n]. */
static inline uint32_t clip_frame(uint64_t pfn)
{
	if (pfn <= pmm.base)
		return 0;
	if (pfn - pmm.base >= pmm.n)
		return pmm.n;
	return (uint32_t)(pfn - pmm.base);
}

/* [start, end) widened to whole pages and clipped to the span, as entry
 * indices; false if end < start. */
static inline bool range_idx(paddr_t start, paddr_t end, uint32_t *lo,
			     uint32_t *hi)
{
	if (end < start)
		return false;
	*lo = clip_frame((uint64_t)start >> PAGE_SHIFT);
	*hi = clip_frame(((uint64_t)end + PAGE_SIZE - 1) >> PAGE_SHIFT);
	return true;
}

/* Would taking the frames of USED head b be stealing them from someone? */
static inline bool handed_out(uint32_t b)
{
	return (b & (F_ALLOC | F_TAKEN)) != 0;
}

/* ------------------------------------------------------------ free lists */

/* Set the back link of free head i: two stores, no load. */
static inline void set_prev(uint32_t i, uint32_t prev)
{
	pmm.f[i].b1 = (uint8_t)prev;
	pmm.f[i].b23 = (uint16_t)(prev >> 8);
}

/* Make entry i the head of a free block of order k, first on its list. */
static inline void push(struct zone *z, uint32_t i, unsigned k)
{
	uint32_t h = z->head[k];

	pmm.f[i].a = h;
	pmm.f[i].b = F_FREE | k << F_ORDER_SHIFT | NIL << F_PREV_SHIFT;
	if (h != NIL)
		set_prev(h, i);
	z->head[k] = i;
	z->nonempty |= 1u << k;
	z->nblocks[k]++;
}

/* Take the first block off the non-empty list k and return its entry (left
 * as is: still marked FREE). */
static inline uint32_t pop(struct zone *z, unsigned k)
{
	uint32_t i = z->head[k], nx = pmm.f[i].a;

	z->head[k] = nx;
	if (nx != NIL)
		set_prev(nx, NIL);
	else
		z->nonempty &= ~(1u << k);
	z->nblocks[k]--;
	return i;
}

/* Take free block i of order k off its list (its entry is left as is). */
static inline void list_del(struct zone *z, uint32_t i, unsigned k)
{
	uint32_t nx = pmm.f[i].a, pv = pmm.f[i].b >> F_PREV_SHIFT;

	if (pv != NIL) {
		pmm.f[pv].a = nx;
	} else {
		z->head[k] = nx;
		if (nx == NIL)
			z->nonempty &= ~(1u << k);
	}
	if (nx != NIL)
		set_prev(nx, pv);
	z->nblocks[k]--;
}

/* ------------------------------------------------------------ pmm.c */

/* Return block i of order k (off the lists, counted as not free) to zone
 * z, merging it with free buddies. */
void pmm_block_free(struct zone *z, uint32_t i, unsigned k);

/*
 * Block h of order k (off the lists, counted free, TAILs zero) is cut
 * along [lo, hi): frames inside get entry value `b` (an order-0 USED
 * head), the parts outside go back on the free lists as maximal blocks.
 * Returns the number of frames marked.
 */
size_t pmm_carve(struct zone *z, uint32_t h, unsigned k, uint32_t lo,
		 uint32_t hi, uint32_t b);

/* The head of the block holding entry i, or NIL (metadata corrupt). */
uint32_t pmm_find_head(uint32_t i);

/* Take a block of order k for zone policy `policy` (PMM_ZONE_*), zone
 * taken from in *zone; NIL (reason set) if none. */
uint32_t pmm_policy_take(unsigned policy, unsigned k, unsigned *zone);

/* Entry index of a page-aligned pa inside the span, or NIL (reason set,
 * naming the public call `who`). */
uint32_t pmm_pa_index(const char *who, paddr_t pa);

/* Set the reason why entry i (in use or not) is not an allocated block
 * head. */
void pmm_not_allocated(const char *who, uint32_t i);

/* Clear the recorded mappings of used block i of order k. */
void pmm_forget_mappings(uint32_t i, unsigned k);

/* ------------------------------------------------------------ pmm_stats.c */

/* Record why the current call fails, for pmm_last_error(). */
void pmm_set_err(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* The same for exhaustion, the failure callers meet in normal running:
 * only the numbers are kept, inline under the PMM lock, and the text is
 * made when asked for, so a failing allocation costs a few stores.
 * `nonempty` is the OR of the tried zones' non-empty-order masks (the
 * largest free order is read from it then). */
struct pmm_exhaustion {
	bool pending;
	bool fallback;
	unsigned char zone, order;
	uint32_t nonempty;
};
extern struct pmm_exhaustion pmm_exhaustion;

static inline void pmm_set_exhausted(unsigned zone, bool fallback,
				     unsigned order, uint32_t nonempty)
{
	pmm_exhaustion.pending = true;
	pmm_exhaustion.fallback = fallback;
	pmm_exhaustion.zone = (unsigned char)zone;
	pmm_exhaustion.order = (unsigned char)order;
	pmm_exhaustion.nonempty = nonempty;
}

#endif
