/*
 * Memory management start-up and the few cross-region queries.
 */
#ifndef MM_MM_H
#define MM_MM_H

#include <arch/boot.h>
#include <stdbool.h>
#include <stdint.h>

/* Lay out kernel memory, start the PMM, the low-memory allocator, the
 * kernel heap, the sbrk heap and the DMA area. Panics with a clear message
 * if the machine cannot hold the kernel's fixed regions. */
void mm_init(struct boot_info *bi);

/* True when the virtual regions (sbrk heap, malloc, DMA windows) are up:
 * false on an architecture whose MMU calls still return -ENOSYS. */
bool mm_virtual_memory(void);

/* Current top of the sbrk heap, and the lowest address of the DMA area's
 * windows (dma_top when none): the two ends that must never meet. */
uintptr_t mm_heap_top(void);
uintptr_t mm_dma_floor(void);

/* Print zones, kernel heap, sbrk top and DMA windows (the shell's meminfo). */
void mm_print_info(void);

#endif
