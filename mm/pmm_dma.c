/*
 * The PMM's half of the DMA-window protocol (see <mm/pmm.h>): the free
 * frames of a window's range taken out of the allocator, the movable
 * blocks in it relocated (begin, then end or abort), and everything given
 * back when the window is unmapped. mm/dma.c drives it.
 */
#include <lib/err.h>
#include <mm/pmm.h>

#include "pmm_internal.h"

/* The entry of a frame in a DMA window. */
#define TAKEN_B (F_USED | PMM_OWNER_DMA_TAKEN << F_OWNER_SHIFT | F_TAKEN)

/* Pass 1 of pmm_take_range over entries [lo, hi): count what is not RAM,
 * busy and immovable into *r; -EBUSY (reason set) on an overlap with
 * another window. */
static int take_count(paddr_t start, paddr_t end, uint32_t lo, uint32_t hi,
		      struct pmm_take_result *r)
{
	for (uint32_t i = lo < hi ? pmm_find_head(lo) : hi; i < hi;) {
		uint32_t b = pmm.f[i].b;
		unsigned k = f_order(b);
		uint32_t a = i < lo ? lo : i, e = i + (1u << k);
		size_t in = (e < hi ? e : hi) - a;

		if ((b & F_KIND) == F_USED) {
			if (b & F_HOLE) {
				r->not_ram += in;
			} else if (f_owner(b) == PMM_OWNER_DMA_TAKEN) {
				pmm_set_err("pmm_take_range(0x%lx, 0x%lx): "
					    "frame 0x%lx is already in a DMA "
					    "window",
					    (unsigned long)start,
					    (unsigned long)end,
					    (unsigned long)idx_pa(a));
				return -EBUSY;
			} else {
				r->busy += in;
				if (!(b & F_ALLOC) ||
				    (b & (F_PINNED | F_MOVING)))
					r->immovable += in;
			}
		}
		i = e;
	}
	return 0;
}

int pmm_take_range(paddr_t start, paddr_t end, struct pmm_take_result *res)
{
	mm_lock_t s = mm_lock();
	struct pmm_take_result r = {0, 0, 0, 0};
	uint32_t lo, hi, i;
	int err = -EINVAL;

	if (!pmm.ready || !range_idx(start, end, &lo, &hi)) {
		pmm_set_err("pmm_take_range(0x%lx, 0x%lx): bad range or not "
			    "initialised",
			    (unsigned long)start, (unsigned long)end);
		goto out;
	}
	uint64_t want = (((uint64_t)end + PAGE_SIZE - 1) >> PAGE_SHIFT) -
			((uint64_t)start >> PAGE_SHIFT);
	r.not_ram = (size_t)(want - (hi - lo));
	err = take_count(start, end, lo, hi, &r);
	if (err)
		goto out;
	/* Pass 2: take the free blocks. */
	for (i = lo < hi ? pmm_find_head(lo) : hi; i < hi;) {
		uint32_t b = pmm.f[i].b;
		unsigned k = f_order(b);
		if ((b & F_KIND) == F_FREE) {
			struct zone *z = &pmm.z[zone_of(i)];
			list_del(z, i, k);
			r.taken += pmm_carve(z, i, k, lo, hi, TAKEN_B);
		}
		i += 1u << k;
	}
out:
	if (res)
		*res = r;
	mm_unlock(s);
	return err;
}

long pmm_give_back(paddr_t start, paddr_t end)
{
	mm_lock_t s = mm_lock();
	const uint32_t mask = F_KIND | F_OWNER_MASK | F_TAKEN;
	uint32_t lo, hi;
	long n = 0;

	if (!pmm.ready || !range_idx(start, end, &lo, &hi)) {
		pmm_set_err("pmm_give_back(0x%lx, 0x%lx): bad range or not "
			    "initialised",
			    (unsigned long)start, (unsigned long)end);
		n = -EINVAL;
		goto out;
	}
	/* Taken frames are order-0 heads; freeing one only merges it with
	 * free frames, so the ones after it keep their entries. */
	for (uint32_t i = lo; i < hi; i++) {
		if ((pmm.f[i].b & mask) != TAKEN_B)
			continue;
		pmm_block_free(&pmm.z[zone_of(i)], i, 0);
		n++;
	}
out:
	mm_unlock(s);
	return n;
}

/* ------------------------------------------------------------ relocation */

/* A USED, allocated block head at pa; NIL with reason if not. */
static uint32_t alloc_head(const char *who, paddr_t pa)
{
	uint32_t i = pmm_pa_index(who, pa);

	if (i == NIL)
		return NIL;
	if ((pmm.f[i].b & (F_KIND | F_ALLOC)) != (F_USED | F_ALLOC)) {
		pmm_not_allocated(who, i);
		return NIL;
	}
	return i;
}

paddr_t pmm_relocate_begin(paddr_t old_head)
{
	mm_lock_t s = mm_lock();
	uint32_t i = alloc_head("pmm_relocate_begin", old_head), n, b;
	paddr_t pa = PMM_NO_PAGE;
	unsigned zone, k;

	if (i == NIL)
		goto out;
	b = pmm.f[i].b;
	if (b & (F_PINNED | F_MOVING)) {
		if (b & F_MOVING)
			pmm_set_err("pmm_relocate_begin(0x%lx): already being "
				    "relocated",
				    (unsigned long)old_head);
		else
			pmm_set_err("pmm_relocate_begin(0x%lx): block is "
				    "pinned",
				    (unsigned long)old_head);
		goto out;
	}
	k = f_order(b);
	zone = zone_of(i);
	n = pmm_policy_take(zone == PMM_NORMAL ? PMM_ZONE_NORMAL
			    : zone == PMM_DMA  ? PMM_ZONE_DMA
					       : PMM_ZONE_LOW,
			    k, &zone);
	if (n == NIL)
		goto out;
	pmm.f[n].b = b;
	pmm.f[n].a = pmm.f[i].a;
	if (b & F_MAPPED) {
		for (uint32_t j = 1; j < (1u << k); j++)
			pmm.f[n + j].a = pmm.f[i + j].a;
		pmm_forget_mappings(i, k);
	}
	pmm.f[i].a = 0;
	pmm.f[i].b |= F_MOVING;
	pmm.z[zone].allocs++;
	pa = idx_pa(n);
out:
	mm_unlock(s);
	return pa;
}

int pmm_relocate_end(paddr_t old_head, paddr_t start, paddr_t end)
{
	mm_lock_t s = mm_lock();
	uint32_t i = alloc_head("pmm_relocate_end", old_head), lo, hi;
	int err = -EINVAL;

	if (i == NIL)
		goto out;
	uint32_t b = pmm.f[i].b;
	unsigned k = f_order(b);
	if (!(b & F_MOVING) || !range_idx(start, end, &lo, &hi)) {
		pmm_set_err("pmm_relocate_end(0x%lx): not being relocated, or "
			    "bad range",
			    (unsigned long)old_head);
		goto out;
	}
	struct zone *z = &pmm.z[zone_of(i)];
	if (hi <= i || lo >= i + (1u << k)) {
		pmm_block_free(z, i, k);
	} else {
		z->free += (size_t)1 << k;
		pmm.f[i].b = 0;
		pmm_carve(z, i, k, lo, hi, TAKEN_B);
	}
	err = 0;
out:
	mm_unlock(s);
	return err;
}

int pmm_relocate_abort(paddr_t old_head, paddr_t new_head)
{
	mm_lock_t s = mm_lock();
	uint32_t i = alloc_head("pmm_relocate_abort", old_head), n;
	int err = -EINVAL;

	if (i == NIL)
		goto out;
	n = alloc_head("pmm_relocate_abort", new_head);
	if (n == NIL)
		goto out;
	uint32_t b = pmm.f[i].b;
	unsigned k = f_order(b);
	if (!(b & F_MOVING) || (pmm.f[n].b & F_MOVING) ||
	    f_order(pmm.f[n].b) != k) {
		pmm_set_err("pmm_relocate_abort(0x%lx, 0x%lx): not a "
			    "relocation pair",
			    (unsigned long)old_head, (unsigned long)new_head);
		goto out;
	}
	pmm.f[i].b = pmm.f[n].b;
	pmm.f[i].a = pmm.f[n].a;
	if (pmm.f[n].b & F_MAPPED) {
		for (uint32_t j = 1; j < (1u << k); j++)
			pmm.f[i + j].a = pmm.f[n + j].a;
		pmm_forget_mappings(n, k);
	}
	struct zone *z = &pmm.z[zone_of(n)];
	pmm_block_free(z, n, k);
	z->allocs--;
	err = 0;
out:
	mm_unlock(s);
	return err;
}
