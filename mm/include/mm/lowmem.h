/*
 * The low-memory allocator: free conventional memory below 1 MiB, for VM86
 * stacks and real-mode buffers (BIOS calls can only address this range).
 *
 * It manages whole pages the physical memory manager hands over from its LOW
 * zone (never the IVT/BDA in page 0, the EBDA, the VGA hole or the BIOS ROM:
 * the memory map marks those non-usable, and page 0 is excluded always).
 * Allocations are runs of contiguous pages, identity-mapped, so the pointer
 * is also the real-mode address (segment = addr >> 4).
 */
#ifndef MM_LOWMEM_H
#define MM_LOWMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOWMEM_PAGES 256 /* 1 MiB / 4 KiB */

struct lowmem {
	uintptr_t ptr_base;		  /* pointer = ptr_base + phys */
	uint8_t usable[LOWMEM_PAGES / 8]; /* page handed to us */
	uint8_t used[LOWMEM_PAGES / 8];	  /* page allocated */
	uint8_t run[LOWMEM_PAGES]; /* pages of the allocation starting here */
	unsigned usable_pages, used_pages;
	unsigned long allocs, frees, failures;
	const char *last_error;
};

/* Start empty; `ptr_base` is 0 in the kernel (identity map). */
void lowmem_init(struct lowmem *lm, uintptr_t ptr_base);

/* Hand page `phys` (page-aligned, below 1 MiB, not page 0) to the allocator.
 * Returns 0 or -EINVAL. */
int lowmem_add_page(struct lowmem *lm, uintptr_t phys);

/* Both calls below may run in any context (IRQs are held off inside).
 * `size` bytes (rounded up to pages, contiguous). Returns the pointer and the
 * physical address in *phys, or NULL with lowmem_last_error() saying why
 * (zero size, exhausted, no contiguous run large enough). */
void *lowmem_alloc(struct lowmem *lm, size_t size, uintptr_t *phys);

/* Free an allocation: -EINVAL if `p` is not the start of a live one. */
int lowmem_free(struct lowmem *lm, void *p);

const char *lowmem_last_error(const struct lowmem *lm);

/* The kernel's instance (set up by mm_init). */
extern struct lowmem kernel_lowmem;

#endif
