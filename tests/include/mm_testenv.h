/*
 * A machine for memory-management tests that map pages, written once for
 * both test builds:
 *   host:   a fresh fake machine per case: the memfd-backed fake MMU
 *           (tests/host/fake_mmu.c) and the PMM over 64 MiB of fake RAM;
 *   kernel: the live PMM and MMU, and a free virtual range in the gap
 *           between the kernel's sbrk heap and its DMA area.
 * Cases build their own sbrk_heap / dma_area instances over env.va_start.
 */
#ifndef MM_TESTENV_H
#define MM_TESTENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mm_testenv {
	uintptr_t va_start; /* page-aligned, free for the case to map */
	size_t va_size;
	uint64_t ram_start, ram_end; /* a RAM range the PMM manages */
	uint64_t not_ram;	     /* a physical page that is not RAM */
	uintptr_t identity_ptr;	     /* an object in identity-mapped kernel
					memory (cannot move); 0 on the host */
};

/* Set up; false (skip the case) when the machine has no MMU support. */
bool mm_testenv_enter(struct mm_testenv *env);
void mm_testenv_exit(void);

/* In a ktest case: enter the test machine or skip the case. */
#define MM_TESTENV_ENTER_OR_SKIP(t, env)                                       \
	do {                                                                   \
		if (!mm_testenv_enter(env))                                    \
			KT_SKIP(t, "no MMU support on this architecture yet"); \
	} while (0)

#endif
