/*
 * The sbrk heap: a contiguous virtual range from heap_start upward, backed
 * page by page with frames from the PMM as it grows, and returning them as
 * it shrinks. It never reaches the DMA area: growth stops a guard page below
 * the lowest DMA window.
 */
#ifndef MM_SBRK_H
#define MM_SBRK_H

#include <stddef.h>
#include <stdint.h>

struct dma_area;

struct sbrk_heap {
	uintptr_t start;      /* first byte of the heap area */
	uintptr_t brk;	      /* current top (exclusive), any alignment */
	uintptr_t mapped_end; /* end of the mapped pages (page-aligned) */
	uintptr_t limit;      /* hard end when there is no DMA area (tests) */
	struct dma_area *dma; /* the area it must not meet, or NULL */
	unsigned long pages;  /* frames currently mapped */
	unsigned long failures;
	const char *last_error;
};

/* Gap kept between the heap top and the lowest DMA window. */
#define SBRK_GUARD 4096u

void sbrk_heap_init(struct sbrk_heap *h, uintptr_t start, uintptr_t limit,
		    struct dma_area *dma);

/*
 * Move the top by `increment` bytes and return the old top, or (void *)-1
 * with *err set: -ENOMEM (no frames, or the DMA area / limit is in the way;
 * nothing is changed then), -EINVAL (shrinking below the start). New memory
 * reads as zero; pages no longer covered are unmapped and freed.
 */
void *sbrk_heap_move(struct sbrk_heap *h, intptr_t increment, int *err);

/* The kernel's heap (mm_init sets it up) and C's interface to it. */
extern struct sbrk_heap kernel_sbrk;
void *sbrk(intptr_t increment);

#endif
