/*
 * The sbrk heap (see <mm/sbrk.h>).
 *
 * Invariants: start <= brk <= mapped_end; mapped_end == ALIGN_UP(brk, page);
 * every page in [start, mapped_end) is mapped to a frame owned by
 * PMM_OWNER_SBRK whose reverse-map entry names that page; pages counts them.
 */
#include <arch/irq.h>
#include <arch/mmu.h>
#include <kernel/printk.h>
#include <lib/compiler.h>
#include <lib/err.h>
#include <mm/dma.h>
#include <mm/pmm.h>
#include <mm/sbrk.h>
#include <string.h>

#include "mm_lock.h"

struct sbrk_heap kernel_sbrk;

void sbrk_heap_init(struct sbrk_heap *h, uintptr_t start, uintptr_t limit,
		    struct dma_area *dma)
{
	memset(h, 0, sizeof(*h));
	h->start = h->brk = h->mapped_end = ALIGN_UP(start, PAGE_SIZE);
	h->limit = limit;
	h->dma = dma;
	h->last_error = "no error";
}

/* The highest address the heap may reach now. */
static uintptr_t heap_ceiling(const struct sbrk_heap *h)
{
	uintptr_t ceiling = h->limit;

	if (h->dma) {
		uintptr_t floor = dma_area_floor(h->dma);
		if (floor - h->start < SBRK_GUARD)
			return h->start;
		ceiling = MIN(ceiling, floor - SBRK_GUARD);
	}
	return ceiling;
}

/* Pages unmapped per TLB shootdown. */
#define UNMAP_BATCH 64

/* Unmap [from, to) and free its frames, UNMAP_BATCH pages per call to
 * arch_mmu_unmap: with several CPUs each call is one shootdown (an IPI
 * round trip on x86), and a frame is freed only after it, when no CPU
 * can still reach it through a stale translation. */
static void unmap_pages(struct sbrk_heap *h, uintptr_t from, uintptr_t to)
{
	paddr_t frames[UNMAP_BATCH];

	while (from < to) {
		size_t pages = MIN((to - from) / PAGE_SIZE, UNMAP_BATCH), n = 0;
		for (size_t i = 0; i < pages; i++) {
			paddr_t pa;
			/* Always mapped while the invariant holds. */
			if (arch_mmu_query(from + i * PAGE_SIZE, &pa, NULL) == 0)
				frames[n++] = pa & ~(paddr_t)(PAGE_SIZE - 1);
		}
		arch_mmu_unmap(from, pages);
		for (size_t i = 0; i < n; i++) {
			pmm_set_mapping(frames[i], 1, 0);
			pmm_free(frames[i], 0);
			h->pages--;
		}
		from += pages * PAGE_SIZE;
	}
}

/* Map and zero [from, to); on failure undo, leaving nothing mapped. */
static int map_pages(struct sbrk_heap *h, uintptr_t from, uintptr_t to)
{
	for (uintptr_t va = from; va < to; va += PAGE_SIZE) {
		paddr_t pa = pmm_alloc(0, PMM_ZONE_NORMAL, PMM_OWNER_SBRK);
		int rc = pa == PMM_NO_PAGE ? -ENOMEM
					   : arch_mmu_map(va, pa, 1,
							  MMU_READ | MMU_WRITE);
		if (rc < 0) {
			if (pa != PMM_NO_PAGE)
				pmm_free(pa, 0);
			h->last_error = rc == -ENOMEM && pa == PMM_NO_PAGE
						? "out of physical memory"
						: "cannot map a heap page";
			unmap_pages(h, from, va);
			return rc;
		}
		/* Cannot fail: the frame was just allocated and va is
		 * page-aligned; the reverse map must be right for DMA
		 * relocation, so a failure is a bug worth stopping on. */
		if (pmm_set_mapping(pa, 1, va) < 0)
			panic("sbrk: reverse map refused %#lx -> %#lx: %s",
			      (unsigned long)pa, (unsigned long)va,
			      pmm_last_error());
		h->pages++;
		memset((void *)va, 0, PAGE_SIZE);
	}
	return 0;
}

void *sbrk_heap_move(struct sbrk_heap *h, intptr_t increment, int *err)
{
	mm_lock_t s = mm_lock();
	uintptr_t old = h->brk;
	int rc = 0;

	if (increment > 0) {
		uintptr_t ceiling = heap_ceiling(h);
		if ((uintptr_t)increment > ceiling - h->brk ||
		    h->brk > ceiling) {
			h->last_error = "the heap would reach the DMA area";
			rc = -ENOMEM;
			goto out;
		}
		uintptr_t new_brk = h->brk + (uintptr_t)increment;
		uintptr_t new_end = ALIGN_UP(new_brk, PAGE_SIZE);
		if (new_end > h->mapped_end) {
			rc = map_pages(h, h->mapped_end, new_end);
			if (rc < 0)
				goto out;
			h->mapped_end = new_end;
		}
		h->brk = new_brk;
	} else if (increment < 0) {
		uintptr_t shrink = (uintptr_t)0 - (uintptr_t)increment;
		if (shrink > h->brk - h->start) {
			h->last_error = "shrinking below the start of the heap";
			rc = -EINVAL;
			goto out;
		}
		h->brk -= shrink;
		uintptr_t new_end = ALIGN_UP(h->brk, PAGE_SIZE);
		unmap_pages(h, new_end, h->mapped_end);
		h->mapped_end = new_end;
	}
out:
	if (rc < 0)
		h->failures++;
	mm_unlock(s);
	if (err)
		*err = rc;
	return rc < 0 ? (void *)-1 : (void *)old;
}

void *sbrk(intptr_t increment)
{
	return sbrk_heap_move(&kernel_sbrk, increment, NULL);
}
