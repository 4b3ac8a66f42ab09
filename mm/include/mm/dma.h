/*
 * DMA windows: virtual windows onto physical ranges (framebuffers, device
 * memory, buffers handed to devices), allocated from the top of the address
 * space downward. Unlike the original design, windows can be unmapped, and
 * freed ranges are reused.
 *
 * When a window covers RAM the PMM manages: free frames are taken out of the
 * allocator until unmap; frames in use by movable owners (the sbrk heap) are
 * first copied to new frames and remapped, found through the PMM's reverse
 * map; frames that cannot move (identity-mapped kernel memory) make the
 * request fail with -EBUSY and a message naming the owner.
 */
#ifndef MM_DMA_H
#define MM_DMA_H

#include <arch/mmu.h>
#include <stddef.h>
#include <stdint.h>

#define DMA_CACHED	 0x0u /* normal memory */
#define DMA_UNCACHED	 0x1u /* device registers, most DMA buffers */
#define DMA_WRITECOMBINE 0x2u /* framebuffers */

struct sbrk_heap;

struct dma_window {
	uintptr_t va; /* page-aligned start of the window */
	size_t pages;
	paddr_t pa; /* page-aligned physical start */
	unsigned flags;
	size_t taken; /* RAM frames taken from the PMM for this window */
};

/* Windows sorted by descending va; the free virtual space is the gaps, so
 * adjacent free ranges are coalesced by construction. */
struct dma_area {
	uintptr_t top;	 /* exclusive end of the area */
	uintptr_t limit; /* lowest address usable when there is no heap */
	struct sbrk_heap *heap;
	struct dma_window win[CONFIG_DMA_MAX_WINDOWS];
	unsigned count;
	unsigned long maps, unmaps, failures, relocated;
	const char *last_error;
};

void dma_area_init(struct dma_area *a, uintptr_t top, uintptr_t limit,
		   struct sbrk_heap *heap);

/*
 * Map [phys, phys + size) (any alignment) and return the virtual address of
 * `phys`, or NULL with *err: -EINVAL (zero size, wraps), -ERANGE (beyond the
 * physical address space), -ENOSPC (window table full), -ENOMEM (the area
 * would reach the heap top, or no frames to relocate into), -EBUSY (the
 * range holds frames that cannot move). Nothing changes on failure.
 */
void *dma_area_map(struct dma_area *a, uint64_t phys, size_t size,
		   unsigned flags, int *err);

/* Unmap the window `virt` was returned for (any address inside it), giving
 * taken frames back. Returns 0 or -EINVAL. */
int dma_area_unmap(struct dma_area *a, void *virt);

/* Lowest address of any window, or top when there is none. */
uintptr_t dma_area_floor(const struct dma_area *a);

/* The kernel's DMA area. */
extern struct dma_area kernel_dma;
void *dma_map(uint64_t phys, size_t size, unsigned flags);
int dma_unmap(void *virt);

#endif
