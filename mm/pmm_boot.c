/*
 * The PMM at boot (see <mm/pmm.h>): the loader's memory map taken in
 * (span, holes, zones, the report of what was clipped or ignored), ranges
 * reserved for their owners, and the LOW zone handed to the low-memory
 * allocator.
 */
#include <lib/err.h>
#include <mm/pmm.h>
#include <string.h>

#include "pmm_internal.h"

struct span {
	uint64_t lo, hi; /* frame numbers */
};

/* The end of entry r, saturated at 2^64 - 1. */
static uint64_t region_end(const struct boot_mem_region *r)
{
	return r->size > UINT64_MAX - r->base ? UINT64_MAX : r->base + r->size;
}

/* Whole pages of a usable entry, below the limit; false if none. */
static bool usable_pages(const struct boot_mem_region *r, uint64_t *lo,
			 uint64_t *hi)
{
	uint64_t s = r->base, e;

	if (r->type != BOOT_MEM_USABLE || r->size == 0)
		return false;
	e = region_end(r);
	if (s > UINT64_MAX - (PAGE_SIZE - 1))
		return false;
	s = (s + PAGE_SIZE - 1) >> PAGE_SHIFT;
	e >>= PAGE_SHIFT;
	if (e > (PMM_PHYS_LIMIT >> PAGE_SHIFT))
		e = PMM_PHYS_LIMIT >> PAGE_SHIFT;
	if (s >= e)
		return false;
	*lo = s;
	*hi = e;
	return true;
}

static bool map_span(const struct boot_mem_region *map, unsigned n,
		     struct span *sp)
{
	bool any = false;

	sp->lo = UINT64_MAX;
	sp->hi = 0;
	for (unsigned i = 0; map && i < n; i++) {
		uint64_t lo, hi;

		if (!usable_pages(&map[i], &lo, &hi))
			continue;
		any = true;
		if (lo < sp->lo)
			sp->lo = lo;
		if (hi > sp->hi)
			sp->hi = hi;
	}
	return any;
}

size_t pmm_metadata_bytes(const struct boot_mem_region *map, unsigned n)
{
	struct span sp;

	if (!map_span(map, n, &sp))
		return 0;
	return (size_t)(sp.hi - sp.lo) * PMM_META_PER_FRAME;
}

/* The report's account of the map: entries ignored or clipped, and the
 * bytes lost to the 4 GiB limit and to page rounding. */
static void count_entries(const struct boot_mem_region *map, unsigned n,
			  struct pmm_init_report *rep)
{
	rep->entries = n;
	for (unsigned i = 0; i < n; i++) {
		const struct boot_mem_region *r = &map[i];
		uint64_t lo, hi, end;

		if (r->type != BOOT_MEM_USABLE) {
			if (r->size == 0)
				rep->entries_ignored++;
			continue;
		}
		end = region_end(r);
		if (end > PMM_PHYS_LIMIT)
			rep->above_limit += end - (r->base > PMM_PHYS_LIMIT
							   ? r->base
							   : PMM_PHYS_LIMIT);
		if (!usable_pages(r, &lo, &hi)) {
			rep->entries_ignored++;
			if (r->size && r->base < PMM_PHYS_LIMIT)
				rep->clipped_bytes +=
					(end < PMM_PHYS_LIMIT
						 ? end
						 : PMM_PHYS_LIMIT) -
					r->base;
			continue;
		}
		uint64_t kept = (hi - lo) << PAGE_SHIFT;
		uint64_t below =
			(end < PMM_PHYS_LIMIT ? end : PMM_PHYS_LIMIT) - r->base;
		if (kept != r->size) {
			rep->entries_clipped++;
			rep->clipped_bytes += below - kept;
		}
	}
}

/* Mark every entry of the span a hole, then the usable entries' frames
 * RAM_MARK, then the non-usable entries' frames holes again: non-usable
 * wins. RAM so hidden is counted in the report. */
static void mark_frames(const struct boot_mem_region *map, unsigned n,
			struct pmm_init_report *rep)
{
	for (uint32_t i = 0; i < pmm.n; i++) {
		pmm.f[i].a = 0;
		pmm.f[i].b = HOLE_B;
	}
	for (unsigned i = 0; i < n; i++) {
		uint64_t lo, hi;

		if (!usable_pages(&map[i], &lo, &hi))
			continue;
		for (uint32_t j = clip_frame(lo); j < clip_frame(hi); j++)
			pmm.f[j].b = RAM_MARK;
	}
	for (unsigned i = 0; i < n; i++) {
		const struct boot_mem_region *r = &map[i];
		uint64_t lo, hi, e;

		if (r->type == BOOT_MEM_USABLE || r->size == 0)
			continue;
		lo = r->base >> PAGE_SHIFT;
		e = region_end(r);
		hi = (e >> PAGE_SHIFT) + ((e & (PAGE_SIZE - 1)) != 0);
		for (uint32_t j = clip_frame(lo); j < clip_frame(hi); j++) {
			if (pmm.f[j].b == RAM_MARK)
				rep->hidden_bytes += PAGE_SIZE;
			pmm.f[j].b = HOLE_B;
		}
	}
}

/* Give each run of RAM frames in zone z to the allocator as maximal
 * naturally aligned blocks (which makes coalescing complete, I4). */
static void zone_carve(struct zone *z)
{
	uint32_t i = z->lo;

	while (i < z->hi) {
		if (pmm.f[i].b != RAM_MARK) {
			i++;
			continue;
		}
		uint32_t j = i;
		while (j < z->hi && pmm.f[j].b == RAM_MARK)
			j++;
		z->total += j - i;
		z->free += j - i;
		while (i < j) {
			unsigned k = PMM_MAX_ORDER;
			while (k && (((pmm.base + i) & ((1u << k) - 1)) ||
				     j - i < (1u << k)))
				k--;
			push(z, i, k);
			i += 1u << k;
		}
	}
}

/* Zones: entries [0, low) [low, dma) [dma, n), each carved into blocks. */
static void make_zones(struct pmm_init_report *rep)
{
	uint32_t low = clip_frame(PMM_LOW_LIMIT >> PAGE_SHIFT);
	uint32_t dma = clip_frame(PMM_DMA_LIMIT >> PAGE_SHIFT);
	uint32_t cut[PMM_NR_ZONES + 1] = {0, low, dma, pmm.n};

	for (unsigned z = 0; z < PMM_NR_ZONES; z++) {
		for (unsigned k = 0; k < PMM_NR_ORDERS; k++)
			pmm.z[z].head[k] = NIL;
		pmm.z[z].lo = cut[z];
		pmm.z[z].hi = cut[z + 1];
		zone_carve(&pmm.z[z]);
		rep->zone_pages[z] = pmm.z[z].total;
		rep->usable_bytes += (uint64_t)pmm.z[z].total << PAGE_SHIFT;
	}
}

int pmm_init(const struct boot_mem_region *map, unsigned n, void *meta,
	     size_t meta_size, struct pmm_init_report *report)
{
	struct pmm_init_report rep;
	struct span sp;
	mm_lock_t s = mm_lock();
	int err = 0;

	memset(&rep, 0, sizeof(rep));
	pmm.ready = false;
	pmm.n = 0; /* pmm_free's fast path tests only rel < pmm.n */
	if ((!map && n) || !meta || ((uintptr_t)meta & 3)) {
		pmm_set_err("pmm_init: NULL map or metadata, or metadata not "
			    "4-byte aligned");
		err = -EINVAL;
		goto out;
	}
	count_entries(map, n, &rep);
	if (!map_span(map, n, &sp)) {
		pmm_set_err("pmm_init: the memory map has no usable RAM (%u "
			    "entries)",
			    n);
		err = -ENOENT;
		goto out;
	}
	rep.meta_bytes = (size_t)(sp.hi - sp.lo) * PMM_META_PER_FRAME;
	if (meta_size < rep.meta_bytes) {
		pmm_set_err(
			"pmm_init: metadata buffer of %zu bytes, %zu needed",
			meta_size, rep.meta_bytes);
		err = -ENOSPC;
		goto out;
	}
	memset(&pmm, 0, sizeof(pmm));
	pmm.f = meta;
	pmm.base = (uint32_t)sp.lo;
	pmm.n = (uint32_t)(sp.hi - sp.lo);
	mark_frames(map, n, &rep);
	make_zones(&rep);
	if (!rep.usable_bytes) {
		pmm_set_err("pmm_init: the memory map has no usable RAM: "
			    "reserved entries cover it all");
		err = -ENOENT;
		goto out;
	}
	rep.span_start = (paddr_t)sp.lo << PAGE_SHIFT;
	rep.span_end = (paddr_t)sp.hi << PAGE_SHIFT;
	pmm.ready = true;
out:
	if (err)
		pmm.n = 0;
	if (report)
		*report = rep;
	mm_unlock(s);
	return err;
}

/* ------------------------------------------------------------ reserving */

int pmm_reserve(paddr_t start, paddr_t end, enum pmm_owner owner)
{
	mm_lock_t s = mm_lock();
	uint32_t lo, hi, i;
	int err = -EINVAL;

	if (!pmm.ready || !range_idx(start, end, &lo, &hi) ||
	    (unsigned)owner >= PMM_NR_OWNERS || owner == PMM_OWNER_FREE ||
	    owner == PMM_OWNER_DMA_TAKEN) {
		pmm_set_err("pmm_reserve(0x%lx, 0x%lx): bad range or owner, or "
			    "not initialised",
			    (unsigned long)start, (unsigned long)end);
		goto out;
	}
	if (lo >= hi) {
		err = 0;
		goto out;
	}
	/* Pass 1: refuse if anything in the range was handed out. */
	for (i = pmm_find_head(lo); i < hi; i += 1u << f_order(pmm.f[i].b)) {
		uint32_t b = pmm.f[i].b;
		if ((b & F_KIND) == F_USED && handed_out(b)) {
			pmm_set_err("pmm_reserve(0x%lx, 0x%lx): frame 0x%lx is "
				    "already handed out (%s)",
				    (unsigned long)start, (unsigned long)end,
				    (unsigned long)idx_pa(i < lo ? lo : i),
				    pmm_owner_name(f_owner(b)));
			err = -EBUSY;
			goto out;
		}
	}
	/* Pass 2: cut the free blocks. */
	uint32_t rb = F_USED | (uint32_t)owner << F_OWNER_SHIFT | F_IDENT;
	for (i = pmm_find_head(lo); i < hi;) {
		uint32_t b = pmm.f[i].b;
		unsigned k = f_order(b);
		if ((b & F_KIND) == F_FREE) {
			struct zone *z = &pmm.z[zone_of(i)];
			list_del(z, i, k);
			pmm_carve(z, i, k, lo, hi, rb);
		}
		i += 1u << k;
	}
	err = 0;
out:
	mm_unlock(s);
	return err;
}

size_t pmm_take_low(pmm_range_fn fn, void *arg)
{
	mm_lock_t s = mm_lock();
	const uint32_t lb =
		F_USED | PMM_OWNER_LOWMEM << F_OWNER_SHIFT | F_TAKEN | F_IDENT;
	struct zone *z = &pmm.z[PMM_LOW];
	size_t claimed = 0;
	uint32_t run = NIL;

	if (!pmm.ready)
		goto out;
	/* The LOW zone starts the span when it is not empty, so walking
	 * head by head from z->lo is valid (I1). */
	for (uint32_t i = z->lo; i < z->hi;) {
		uint32_t b = pmm.f[i].b;
		unsigned k = f_order(b);
		if ((b & F_KIND) == F_FREE) {
			list_del(z, i, k);
			claimed += pmm_carve(z, i, k, i, i + (1u << k), lb);
			if (run == NIL)
				run = i;
		} else if (run != NIL) {
			if (fn)
				fn(idx_pa(run), idx_pa(i), arg);
			run = NIL;
		}
		i += 1u << k;
	}
	if (run != NIL && fn)
		fn(idx_pa(run), idx_pa(z->hi), arg);
out:
	mm_unlock(s);
	return claimed;
}
