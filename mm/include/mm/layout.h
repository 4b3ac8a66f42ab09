/*
 * The flat memory layout: where each region of the design lies on this
 * machine. Computed once by mm_init() from the boot information and the
 * configuration; the heap top and DMA floor move as the system runs.
 */
#ifndef MM_LAYOUT_H
#define MM_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

struct mm_layout {
	/* Low memory [low_start, low_end): identity; empty where the
	 * platform has none (ARCH_HAS_LOWMEM not set). */
	uintptr_t low_start, low_end;
	/* Kernel memory [kmem_start, kmem_end): identity-mapped. */
	uintptr_t kmem_start, kmem_end;
	uintptr_t image_start, image_end;
	uintptr_t modules_start, modules_end; /* equal when there are none */
	uintptr_t kheap_start, kheap_end;
	uintptr_t meta_start, meta_end; /* PMM frame metadata */
	/* Heap area: from heap_start upward (sbrk). */
	uintptr_t heap_start;
	/* DMA area: windows below dma_top, growing down. */
	uintptr_t dma_top;
	/* Code region [code_start, code_end): generated machine code
	 * (<mm/code_region.h>), above the DMA area; empty without
	 * CONFIG_VM_COMPILER. */
	uintptr_t code_start, code_end;
};

extern struct mm_layout mm_layout;

/* Print the live region table: one line per region (start, end, size,
 * name), with the current heap top and DMA windows. */
void mm_layout_print(void);

/* Which region `addr` falls in, for fault reports: a region's name as
 * mm_layout_print() shows it ("kernel heap", "sbrk heap", "DMA area", ...),
 * or "page 0: NULL dereference", "kernel memory", "unmapped gap between the
 * sbrk heap and the DMA area", "outside every region". */
const char *mm_describe_address(uintptr_t addr);

#endif
