/*
 * DMA windows (see <mm/dma.h>).
 *
 * Virtual space: windows live in [floor, top) where floor is a guard page
 * above the sbrk heap's mapped end (or `limit` without a heap). The two
 * pages just below `top` are this file's scratch pages for relocating
 * frames, so windows are handed out below them, highest first.
 *
 * Invariants: win[0..count) sorted by descending va, pairwise disjoint,
 * inside [floor, top - 2 pages); each window's pages are mapped to
 * [pa, pa + pages) and nothing else in the area is mapped except scratch
 * pages during a relocation.
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

#define SCRATCH_PAGES 2

struct dma_area kernel_dma;

void dma_area_init(struct dma_area *a, uintptr_t top, uintptr_t limit,
		   struct sbrk_heap *heap)
{
	memset(a, 0, sizeof(*a));
	a->top = ALIGN_DOWN(top, PAGE_SIZE);
	a->limit = limit;
	a->heap = heap;
	a->last_error = "no error";
}

uintptr_t dma_area_floor(const struct dma_area *a)
{
	return a->count ? a->win[a->count - 1].va
			: a->top - SCRATCH_PAGES * PAGE_SIZE;
}

static uintptr_t scratch_page(const struct dma_area *a, unsigned i)
{
	return a->top - (SCRATCH_PAGES - i) * PAGE_SIZE;
}

/* The lowest address a window may use now. */
static uintptr_t area_floor(const struct dma_area *a)
{
	if (a->heap)
		return a->heap->mapped_end + SBRK_GUARD;
	return a->limit;
}

/* Highest free run of `pages` pages; 0 if none. */
static uintptr_t find_gap(const struct dma_area *a, size_t pages,
			  unsigned *slot)
{
	uintptr_t floor = area_floor(a);
	uintptr_t end = a->top - SCRATCH_PAGES * PAGE_SIZE;
	size_t bytes = pages * PAGE_SIZE;

	for (unsigned i = 0; i <= a->count; i++) {
		uintptr_t low = i < a->count ? a->win[i].va + a->win[i].pages *
								      PAGE_SIZE
					     : floor;
		if (low < floor)
			low = floor;
		if (end >= low && end - low >= bytes) {
			*slot = i;
			return end - bytes;
		}
		if (i < a->count)
			end = a->win[i].va;
	}
	return 0;
}

/* Copy one frame's contents to another through the scratch pages and point
 * `va` (if mapped) at the new frame. */
static int move_frame(struct dma_area *a, paddr_t from, paddr_t to, vaddr_t va)
{
	uintptr_t src = scratch_page(a, 0), dst = scratch_page(a, 1);
	unsigned flags = MMU_READ | MMU_WRITE;
	int rc;

	if (va)
		arch_mmu_query(va, NULL, &flags);
	rc = arch_mmu_map(src, from, 1, MMU_READ);
	if (rc < 0)
		return rc;
	rc = arch_mmu_map(dst, to, 1, MMU_READ | MMU_WRITE);
	if (rc < 0) {
		arch_mmu_unmap(src, 1);
		return rc;
	}
	memcpy((void *)dst, (const void *)src, PAGE_SIZE);
	arch_mmu_unmap(src, 1);
	arch_mmu_unmap(dst, 1);
	if (va) {
		arch_mmu_unmap(va, 1);
		rc = arch_mmu_map(va, to, 1, flags);
	}
	return rc;
}

/* Move the allocated block at `head` out of the way (step 3 of the PMM's
 * DMA protocol). */
static int relocate_block(struct dma_area *a, const struct pmm_frame_info *blk,
			  paddr_t start, paddr_t end)
{
	size_t n = (size_t)1 << blk->order;
	vaddr_t vas[16];
	vaddr_t *va = n <= 16 ? vas : NULL;

	if (!va)
		return -ENOMEM; /* blocks above 64 KiB are not moved */
	for (size_t i = 0; i < n; i++) {
		struct pmm_frame_info fi;
		pmm_frame_info(blk->head + i * PAGE_SIZE, &fi);
		va[i] = fi.va;
	}
	paddr_t new_head = pmm_relocate_begin(blk->head);
	if (new_head == PMM_NO_PAGE)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int rc = move_frame(a, blk->head + i * PAGE_SIZE,
				    new_head + i * PAGE_SIZE, va[i]);
		if (rc < 0) {
			/* Point already-moved pages back at the old frames. */
			for (size_t j = 0; j < i; j++) {
				if (va[j]) {
					arch_mmu_unmap(va[j], 1);
					arch_mmu_map(va[j],
						     blk->head + j * PAGE_SIZE,
						     1, MMU_READ | MMU_WRITE);
				}
			}
			pmm_relocate_abort(blk->head, new_head);
			return rc;
		}
	}
	a->relocated += n;
	return pmm_relocate_end(blk->head, start, end);
}

/* Take the RAM under [start, end) out of the allocator, relocating what
 * can move. On failure everything taken is given back. */
static int claim_ram(struct dma_area *a, paddr_t start, paddr_t end,
		     size_t *taken)
{
	struct pmm_take_result res;
	int rc = pmm_take_range(start, end, &res);

	*taken = 0;
	if (rc < 0) {
		a->last_error = "the range overlaps another DMA window's RAM";
		return -EBUSY;
	}
	if (res.immovable) {
		pmm_give_back(start, end);
		a->last_error =
			"the range holds RAM that cannot move "
			"(identity-mapped kernel memory or pinned pages)";
		return -EBUSY;
	}
	paddr_t cursor = start;
	struct pmm_frame_info blk;
	while (res.busy && pmm_range_next(start, end, &cursor, &blk) == 1) {
		if (!blk.allocated)
			continue;
		rc = relocate_block(a, &blk, start, end);
		if (rc < 0) {
			pmm_give_back(start, end);
			a->last_error =
				"no free memory to relocate pages in use";
			return rc;
		}
	}
	*taken = res.taken + res.busy;
	return 0;
}

static const char *ram_owner_conflict(paddr_t start, paddr_t end)
{
	paddr_t cursor = start;
	struct pmm_frame_info fi;

	while (pmm_range_next(start, end, &cursor, &fi) == 1) {
		if (fi.ram && !fi.movable && fi.owner != PMM_OWNER_FREE)
			return pmm_owner_name(fi.owner);
	}
	return NULL;
}

void *dma_area_map(struct dma_area *a, uint64_t phys, size_t size,
		   unsigned flags, int *err)
{
	int rc = 0;
	void *result = NULL;
	mm_lock_t s = mm_lock();

	if (size == 0 || phys + size < phys) {
		a->last_error = "zero or wrapping size";
		rc = -EINVAL;
		goto out;
	}
	uint64_t pstart = phys & ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t pend =
		(phys + size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	if (pend > (uint64_t)(paddr_t)-1 || pend < pstart) {
		a->last_error = "beyond the physical address space";
		rc = -ERANGE;
		goto out;
	}
	if (a->count == CONFIG_DMA_MAX_WINDOWS) {
		a->last_error = "window table full (CONFIG_DMA_MAX_WINDOWS)";
		rc = -ENOSPC;
		goto out;
	}
	size_t pages = (size_t)((pend - pstart) / PAGE_SIZE);
	unsigned slot;
	uintptr_t va = find_gap(a, pages, &slot);
	if (!va) {
		a->last_error =
			"no room: the DMA area would reach the heap top";
		rc = -ENOMEM;
		goto out;
	}
	size_t taken;
	rc = claim_ram(a, (paddr_t)pstart, (paddr_t)pend, &taken);
	if (rc < 0) {
		const char *owner =
			ram_owner_conflict((paddr_t)pstart, (paddr_t)pend);
		if (owner)
			printk("dma_map: %#llx-%#llx overlaps %s memory\n",
			       (unsigned long long)pstart,
			       (unsigned long long)pend, owner);
		goto out;
	}
	unsigned mmu = MMU_READ | MMU_WRITE;
	if (flags & DMA_UNCACHED)
		mmu |= MMU_UNCACHED;
	if (flags & DMA_WRITECOMBINE)
		mmu |= MMU_WRITECOMBINE;
	rc = arch_mmu_map(va, (paddr_t)pstart, pages, mmu);
	if (rc < 0) {
		pmm_give_back((paddr_t)pstart, (paddr_t)pend);
		a->last_error = "the MMU could not map the window";
		goto out;
	}
	memmove(&a->win[slot + 1], &a->win[slot],
		(a->count - slot) * sizeof(a->win[0]));
	a->win[slot] =
		(struct dma_window){va, pages, (paddr_t)pstart, flags, taken};
	a->count++;
	a->maps++;
	result = (void *)(va + (uintptr_t)(phys - pstart));
out:
	if (rc < 0)
		a->failures++;
	mm_unlock(s);
	if (err)
		*err = rc;
	return result;
}

int dma_area_unmap(struct dma_area *a, void *virt)
{
	uintptr_t v = (uintptr_t)virt;
	mm_lock_t s = mm_lock();

	for (unsigned i = 0; i < a->count; i++) {
		struct dma_window *w = &a->win[i];
		if (v < w->va || v - w->va >= w->pages * PAGE_SIZE)
			continue;
		arch_mmu_unmap(w->va, w->pages);
		if (w->taken)
			pmm_give_back(w->pa, w->pa + w->pages * PAGE_SIZE);
		memmove(w, w + 1, (a->count - i - 1) * sizeof(*w));
		a->count--;
		a->unmaps++;
		mm_unlock(s);
		return 0;
	}
	a->last_error = "not inside any DMA window";
	mm_unlock(s);
	return -EINVAL;
}

void *dma_map(uint64_t phys, size_t size, unsigned flags)
{
	int err;
	void *p = dma_area_map(&kernel_dma, phys, size, flags, &err);

	if (!p)
		printk("dma_map(%#llx, %zu): %s (%s)\n",
		       (unsigned long long)phys, size, kernel_dma.last_error,
		       err_name(err));
	return p;
}

int dma_unmap(void *virt)
{
	return dma_area_unmap(&kernel_dma, virt);
}
