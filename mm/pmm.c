/*
 * The physical memory manager's buddy allocator (see <mm/pmm.h> for the
 * contract, mm/pmm_internal.h for the frame table and its invariants):
 * taking blocks from the per-zone free lists, splitting, merging, and
 * pmm_alloc / pmm_free with their fast paths.
 */
#include <lib/err.h>
#include <mm/pmm.h>
#include <string.h>

#include "pmm_internal.h"

struct pmm_state pmm;

/* Pop a block of order >= k from zone z and split it down to k: returns
 * its entry (still marked FREE: the caller marks it) or NIL. */
static inline uint32_t zone_take(struct zone *z, unsigned k)
{
	uint32_t m = z->nonempty & (~0u << k);

	if (!m)
		return NIL;
	unsigned j = (unsigned)__builtin_ctz(m);
	uint32_t i = pop(z, j);

	while (j > k) {
		j--;
		push(z, i + (1u << j), j);
	}
	z->free -= (size_t)1 << k;
	return i;
}

/* Return block i of order k (not on any list, counted as not free) to
 * zone z, merging it with free buddies. Inlined in pmm_free(). */
static inline __attribute__((always_inline)) void
block_free_inline(struct zone *z, uint32_t i, unsigned k)
{
	const uint32_t base = pmm.base, lo = z->lo, len = z->hi - z->lo;

	z->free += (size_t)1 << k;
	pmm.f[i].a = 0;
	pmm.f[i].b = 0;
	while (k < PMM_MAX_ORDER) {
		uint32_t bd = ((base + i) ^ (1u << k)) - base;

		/* One test: bd inside the zone (outside the span it wraps to
		 * a huge value). A FREE head there of order k lies wholly in
		 * the zone (I2), so its block is a legal buddy. */
		if (bd - lo >= len)
			break;
		if ((pmm.f[bd].b & F_KIND_ORDER) !=
		    (F_FREE | k << F_ORDER_SHIFT))
			break;
		list_del(z, bd, k);
		/* The higher of the two becomes a TAIL. */
		if (bd < i) {
			pmm.f[i].a = 0;
			pmm.f[i].b = 0;
			i = bd;
		} else {
			pmm.f[bd].a = 0;
			pmm.f[bd].b = 0;
		}
		k++;
	}
	push(z, i, k);
}

void pmm_block_free(struct zone *z, uint32_t i, unsigned k)
{
	block_free_inline(z, i, k);
}

/* The parts outside the cut never need merging: their buddies straddle
 * the cut. */
size_t pmm_carve(struct zone *z, uint32_t h, unsigned k, uint32_t lo,
		 uint32_t hi, uint32_t b)
{
	uint32_t end = h + (1u << k);

	if (h >= lo && end <= hi) {
		for (uint32_t i = h; i < end; i++) {
			pmm.f[i].a = 0;
			pmm.f[i].b = b;
		}
		z->free -= (size_t)1 << k;
		return (size_t)1 << k;
	}
	if (end <= lo || h >= hi) {
		push(z, h, k);
		return 0;
	}
	/* Straddles a cut, so k > 0. */
	return pmm_carve(z, h, k - 1, lo, hi, b) +
	       pmm_carve(z, h + (1u << (k - 1)), k - 1, lo, hi, b);
}

/* I1, I2: the first non-TAIL among i aligned down to 2^0, 2^1, ...
 * O(PMM_MAX_ORDER). */
uint32_t pmm_find_head(uint32_t i)
{
	for (unsigned k = 0; k <= PMM_MAX_ORDER; k++) {
		uint32_t h = ((pmm.base + i) & ~((1u << k) - 1)) - pmm.base;

		if (h > i)
			break; /* aligned below the span: corrupt */
		if ((pmm.f[h].b & F_KIND) != F_TAIL)
			return h;
	}
	return NIL;
}

/* ------------------------------------------------------------ allocation */

#define ALLOC_OWNERS                                                           \
	(((1u << PMM_NR_OWNERS) - 1) &                                         \
	 ~(1u << PMM_OWNER_FREE | 1u << PMM_OWNER_RESERVED |                   \
	   1u << PMM_OWNER_DMA_TAKEN))

static inline bool alloc_owner_ok(unsigned owner)
{
	return owner < 32 && (ALLOC_OWNERS >> owner & 1);
}

static inline void exhausted(unsigned zone, bool fallback, unsigned order)
{
	uint32_t nonempty = pmm.z[zone].nonempty;

	if (fallback)
		nonempty |= pmm.z[PMM_DMA].nonempty;
	pmm.z[zone].failures++;
	pmm_set_exhausted(zone, fallback, order, nonempty);
}

uint32_t pmm_policy_take(unsigned policy, unsigned k, unsigned *zone)
{
	uint32_t i;

	switch (policy) {
	case PMM_ZONE_NORMAL:
		i = zone_take(&pmm.z[PMM_NORMAL], k);
		if (i != NIL) {
			*zone = PMM_NORMAL;
			return i;
		}
		i = zone_take(&pmm.z[PMM_DMA], k);
		if (i != NIL) {
			*zone = PMM_DMA;
			return i;
		}
		exhausted(PMM_NORMAL, true, k);
		return NIL;
	case PMM_ZONE_DMA:
	case PMM_ZONE_LOW:
		*zone = policy == PMM_ZONE_DMA ? PMM_DMA : PMM_LOW;
		i = zone_take(&pmm.z[*zone], k);
		if (i == NIL)
			exhausted(*zone, false, k);
		return i;
	default:
		pmm_set_err("pmm_alloc: bad zone policy %u", policy);
		return NIL;
	}
}

static __attribute__((noinline)) void
alloc_refused(unsigned order, unsigned flags, unsigned owner)
{
	if (!pmm.ready)
		pmm_set_err("pmm_alloc: the PMM is not initialised");
	else if (order > PMM_MAX_ORDER)
		pmm_set_err("pmm_alloc: order %u above the largest (%u)", order,
			    PMM_MAX_ORDER);
	else
		pmm_set_err("pmm_alloc: bad owner %u or flags 0x%x", owner,
			    flags);
}

/* Everything but the fast path of pmm_alloc(); the caller holds the lock. */
static __attribute__((noinline)) paddr_t
alloc_slow(unsigned order, unsigned flags, enum pmm_owner owner)
{
	unsigned zone;
	uint32_t i;

	if (!pmm.ready || order > PMM_MAX_ORDER || !alloc_owner_ok(owner) ||
	    (flags & ~(PMM_ZONE_MASK | PMM_PINNED))) {
		alloc_refused(order, flags, owner);
		return PMM_NO_PAGE;
	}
	i = pmm_policy_take(flags & PMM_ZONE_MASK, order, &zone);
	if (i == NIL)
		return PMM_NO_PAGE;
	pmm.f[i].a = 0;
	pmm.f[i].b = F_USED | order << F_ORDER_SHIFT |
		     (uint32_t)owner << F_OWNER_SHIFT | F_ALLOC |
		     (flags & PMM_PINNED ? F_PINNED : 0);
	pmm.z[zone].allocs++;
	return idx_pa(i);
}

/*
 * A well-formed request that no zone of its policy can meet: fail at once,
 * as cheaply as a buddy allocator's bitmap test, recording the exhaustion
 * the slow path would (pmm_last_error() formats it only when asked).
 */
static inline bool fails_at_once(unsigned order, unsigned policy)
{
	uint32_t want = ~0u << order;

	switch (policy) {
	case PMM_ZONE_NORMAL:
		if ((pmm.z[PMM_NORMAL].nonempty | pmm.z[PMM_DMA].nonempty) &
		    want)
			return false;
		exhausted(PMM_NORMAL, true, order);
		return true;
	case PMM_ZONE_DMA:
	case PMM_ZONE_LOW: {
		unsigned zone = policy == PMM_ZONE_DMA ? PMM_DMA : PMM_LOW;
		if (pmm.z[zone].nonempty & want)
			return false;
		exhausted(zone, false, order);
		return true;
	}
	default: return false;
	}
}

paddr_t pmm_alloc(unsigned order, unsigned flags, enum pmm_owner owner)
{
	mm_lock_t s = mm_lock();
	struct zone *z = &pmm.z[PMM_NORMAL];
	paddr_t pa;
	bool plain = pmm.ready && order <= PMM_MAX_ORDER &&
		     alloc_owner_ok(owner) &&
		     !(flags & ~(PMM_ZONE_MASK | PMM_PINNED));

	/* Fast path: an ordinary request, and NORMAL has a free block of
	 * exactly this order: one list pop, no split. */
	if (__builtin_expect(flags == PMM_ZONE_NORMAL && plain, 1) &&
	    z->head[order] != NIL) {
		uint32_t i = pop(z, order);

		z->free -= (size_t)1 << order;
		pmm.f[i].a = 0;
		pmm.f[i].b = F_USED | order << F_ORDER_SHIFT |
			     (uint32_t)owner << F_OWNER_SHIFT | F_ALLOC;
		z->allocs++;
		pa = idx_pa(i);
	} else if (plain && fails_at_once(order, flags & PMM_ZONE_MASK)) {
		pa = PMM_NO_PAGE;
	} else {
		pa = alloc_slow(order, flags, owner);
	}
	mm_unlock(s);
	return pa;
}

paddr_t pmm_alloc_aligned(unsigned count_order, unsigned align_order,
			  unsigned flags, enum pmm_owner owner)
{
	if (align_order <= count_order)
		return pmm_alloc(count_order, flags, owner);
	if (align_order > PMM_MAX_ORDER) {
		mm_lock_t s = mm_lock();
		pmm_set_err("pmm_alloc_aligned: alignment order %u above the "
			    "largest block (%u)",
			    align_order, PMM_MAX_ORDER);
		mm_unlock(s);
		return PMM_NO_PAGE;
	}
	paddr_t pa = pmm_alloc(align_order, flags, owner);
	if (pa == PMM_NO_PAGE)
		return pa;

	/* Give back the tail: pieces of order count..align-1, each the upper
	 * buddy of an allocated lower part, so no merging. */
	mm_lock_t s = mm_lock();
	uint32_t i = (uint32_t)(pa >> PAGE_SHIFT) - pmm.base;
	struct zone *z = &pmm.z[zone_of(i)];
	for (unsigned k = count_order; k < align_order; k++) {
		push(z, i + (1u << k), k);
		z->free += (size_t)1 << k;
	}
	pmm.f[i].b = (pmm.f[i].b & ~F_ORDER_MASK) | count_order
							    << F_ORDER_SHIFT;
	mm_unlock(s);
	return pa;
}

/* ------------------------------------------------------------ freeing */

uint32_t pmm_pa_index(const char *who, paddr_t pa)
{
	if (!pmm.ready) {
		pmm_set_err("%s: the PMM is not initialised", who);
		return NIL;
	}
	if (pa & (PAGE_SIZE - 1)) {
		pmm_set_err("%s(0x%lx): address not page-aligned", who,
			    (unsigned long)pa);
		return NIL;
	}
	uint64_t pfn = (uint64_t)pa >> PAGE_SHIFT;
	if (pfn < pmm.base || pfn - pmm.base >= pmm.n) {
		pmm_set_err("%s(0x%lx): outside RAM", who, (unsigned long)pa);
		return NIL;
	}
	return (uint32_t)(pfn - pmm.base);
}

void pmm_not_allocated(const char *who, uint32_t i)
{
	uint32_t b = pmm.f[i].b;
	unsigned long pa = (unsigned long)idx_pa(i);

	if ((b & F_KIND) == F_FREE) {
		pmm_set_err("%s(0x%lx): frame is free (double free?)", who, pa);
	} else if ((b & F_KIND) == F_TAIL) {
		uint32_t h = pmm_find_head(i);
		if (h != NIL && (pmm.f[h].b & F_KIND) == F_FREE)
			pmm_set_err("%s(0x%lx): frame is free (double free?)",
				    who, pa);
		else
			pmm_set_err("%s(0x%lx): not the first frame of its "
				    "block (block at 0x%lx, order %u)",
				    who, pa,
				    h == NIL ? 0 : (unsigned long)idx_pa(h),
				    h == NIL ? 0 : f_order(pmm.f[h].b));
	} else if (b & F_HOLE) {
		pmm_set_err("%s(0x%lx): not RAM (a hole in the memory map)",
			    who, pa);
	} else if (b & F_TAKEN) {
		pmm_set_err("frame 0x%lx is taken (%s), not an allocated block",
			    pa, pmm_owner_name(f_owner(b)));
	} else {
		pmm_set_err("frame 0x%lx is reserved (%s), not an allocated "
			    "block",
			    pa, pmm_owner_name(f_owner(b)));
	}
}

void pmm_forget_mappings(uint32_t i, unsigned k)
{
	for (uint32_t j = 0; j < (1u << k); j++)
		pmm.f[i + j].a = 0;
	pmm.f[i].b &= ~F_MAPPED;
}

static __attribute__((noinline)) int free_refused(paddr_t pa, unsigned order)
{
	uint32_t i = pmm_pa_index("pmm_free", pa), b;

	if (i == NIL)
		return -EINVAL;
	b = pmm.f[i].b;
	if ((b & (F_KIND | F_ALLOC)) != (F_USED | F_ALLOC))
		pmm_not_allocated("pmm_free", i);
	else if (b & F_MOVING)
		pmm_set_err("pmm_free(0x%lx): block is being relocated",
			    (unsigned long)pa);
	else
		pmm_set_err("pmm_free(0x%lx, %u): wrong order, the block is "
			    "order %u",
			    (unsigned long)pa, order, f_order(b));
	return -EINVAL;
}

/* The common case in one test: page-aligned, inside the span, the head of
 * an allocated block of this order that is not moving. Sets *i and *b. */
static inline bool free_ok(paddr_t pa, unsigned order, uint32_t *i, uint32_t *b)
{
	uint64_t rel = ((uint64_t)pa >> PAGE_SHIFT) - pmm.base;

	if (__builtin_expect((pa & (PAGE_SIZE - 1)) || rel >= pmm.n, 0))
		return false;
	*i = (uint32_t)rel;
	*b = pmm.f[*i].b;
	return (*b & (F_KIND_ORDER | F_ALLOC | F_MOVING)) ==
	       (F_USED | F_ALLOC | order << F_ORDER_SHIFT);
}

/* pmm_free() of valid block i when there are mappings to forget or
 * buddies to merge. Out of line (and, with the lock a no-op, a tail call),
 * so the fast path saves no registers for it. */
static __attribute__((noinline)) int free_merge(uint32_t i, unsigned order)
{
	struct zone *z = &pmm.z[zone_of(i)];

	if (pmm.f[i].b & F_MAPPED)
		pmm_forget_mappings(i, order);
	block_free_inline(z, i, order);
	z->frees++;
	return 0;
}

int pmm_free(paddr_t pa, unsigned order)
{
	mm_lock_t s = mm_lock();
	uint32_t i, b;
	int err;

	if (__builtin_expect(free_ok(pa, order, &i, &b), 1)) {
		struct zone *z = &pmm.z[zone_of(i)];
		uint32_t bd = ((pmm.base + i) ^ (1u << order)) - pmm.base;
		/* Fast path: nothing mapped, and the buddy is not a free
		 * block of this order: no merging, one list push. */
		if (__builtin_expect(!(b & F_MAPPED), 1) &&
		    (order == PMM_MAX_ORDER || bd - z->lo >= z->hi - z->lo ||
		     (pmm.f[bd].b & F_KIND_ORDER) !=
			     (F_FREE | order << F_ORDER_SHIFT))) {
			z->free += (size_t)1 << order;
			push(z, i, order);
			z->frees++;
			mm_unlock(s);
			return 0;
		}
		err = free_merge(i, order);
	} else {
		err = free_refused(pa, order);
	}
	mm_unlock(s);
	return err;
}
