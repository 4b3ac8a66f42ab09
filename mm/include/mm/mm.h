/*
 * Memory management start-up and the few cross-region queries.
 */
#ifndef MM_MM_H
#define MM_MM_H

#include <arch/boot.h>
#include <arch/irq.h>
#include <stdbool.h>
#include <stdint.h>

/* Lay out kernel memory, start the PMM, the low-memory allocator, the
 * kernel heap, the sbrk heap and the DMA area. Panics with a clear message
 * if the machine cannot hold the kernel's fixed regions. */
void mm_init(struct boot_info *bi);

/* True when the virtual regions (sbrk heap, malloc, DMA windows) are up:
 * false on an architecture whose MMU calls still return -ENOSYS. */
bool mm_virtual_memory(void);

/* The lock under which the port changes the one global page table
 * (arch_mmu_map/unmap): mm/'s own lock, recursive. Shared with the
 * allocators because a map may need a new table page from the kernel
 * heap (mm_page_table_alloc) and the allocators map pages (the sbrk heap,
 * DMA windows): with two locks, one CPU mapping (table lock, then heap)
 * and another growing the heap (heap, then table lock) would deadlock.
 * IRQs off while held; rank LOCK_RANK_MM (<kernel/rlock.h>). */
irq_state_t mm_tables_lock(void);
void mm_tables_unlock(irq_state_t s);

/* Current top of the sbrk heap, and the lowest address of the DMA area's
 * windows (dma_top when none): the two ends that must never meet. */
uintptr_t mm_heap_top(void);
uintptr_t mm_dma_floor(void);

/* Print zones, kernel heap, sbrk top and DMA windows (the shell's meminfo). */
void mm_print_info(void);

#endif
