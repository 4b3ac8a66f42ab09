/*
 * The MMU seam. There is ONE translation table for the whole system (the
 * flat design): every function here works on it; there is no address-space
 * argument and no switch.
 *
 * Page tables are taken from mm_page_table_alloc() (mm/), so the arch never
 * owns a page allocator.
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE  4096u
#define PAGE_SHIFT 12

typedef uintptr_t vaddr_t;
typedef uintptr_t paddr_t;

/* Mapping attributes. Without MMU_WRITE a page is read-only for the kernel
 * too (x86: CR0.WP); without MMU_EXEC it is execute-never where the table
 * format can say so (ARM: XN; x86-32 without PAE cannot). */
#define MMU_READ	 0x1u
#define MMU_WRITE	 0x2u
#define MMU_EXEC	 0x4u
#define MMU_UNCACHED	 0x8u  /* device / strongly ordered */
#define MMU_WRITECOMBINE 0x10u /* framebuffers; falls back to UNCACHED */

/* Map `count` pages from `pa` at `va`. Both page-aligned. Fails with -EEXIST if
 * any page is already mapped (nothing is changed then), -ENOMEM if a page
 * table cannot be allocated, -ENOSYS if this arch has no MMU support yet.
 * Flushes the TLB for the range itself. Any context with IRQs enabled or
 * not; does not sleep. */
int arch_mmu_map(vaddr_t va, paddr_t pa, size_t count, unsigned flags);

/* Unmap `count` pages at `va`; pages not mapped are skipped. Invalidates the
 * TLB for the range before returning. Returns 0, -EINVAL (misaligned) or
 * -ENOSYS. */
int arch_mmu_unmap(vaddr_t va, size_t count);

/* Translate `va`: returns 0 and fills *pa (with the page offset) and *flags,
 * or -ENOENT if unmapped, or -ENOSYS. */
int arch_mmu_query(vaddr_t va, paddr_t *pa, unsigned *flags);

/* Invalidate TLB entries for `count` pages at `va` (count 0: everything). */
void arch_mmu_flush(vaddr_t va, size_t count);

/* Read (or write) one byte at `va` as a probe: returns 0 if the access
 * worked, or -EFAULT if it faulted, in which case the fault is absorbed (not
 * reported, no panic). For tests of the guard pages and for checking
 * addresses before use. Any context. */
int arch_probe_read(const volatile void *va, uint8_t *out);
int arch_probe_write(volatile void *va, uint8_t value);

/* Provided by mm/: one zeroed, page-aligned, identity-mapped page for a page
 * table, or NULL when memory is exhausted. */
void *mm_page_table_alloc(void);
/* How many of them came from the kernel heap. Tables are never freed: a
 * region mapped once (the sbrk heap's high-water mark) keeps its tables,
 * so leak checks count them apart. */
unsigned long mm_page_tables_from_heap(void);

#endif
