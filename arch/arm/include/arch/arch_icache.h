/*
 * ARMv7-A: the instruction fetch does not see the data cache. By MVA,
 * with the line sizes from CTR (DminLine, IminLine): DCCMVAU over the
 * range, DSB, ICIMVAU over it, BPIALLIS, DSB, ISB. With the
 * multiprocessing extensions (Cortex-A15, QEMU's virt) the by-MVA
 * operations are broadcast to the inner shareable domain, so other CPUs'
 * caches are covered too; they take an ISB at their next exception
 * return before they can branch to the code. <arch/icache.h>.
 */
#ifndef ARCH_ARCH_ICACHE_H
#define ARCH_ARCH_ICACHE_H

#include <stdint.h>

static inline void arch_sync_icache(const void *start, size_t len)
{
	uint32_t ctr;
	uintptr_t a = (uintptr_t)start, end = a + len;

	if (!len)
		return;
	__asm__ volatile("mrc p15, 0, %0, c0, c0, 1" : "=r"(ctr));
	uintptr_t dline = 4u << ((ctr >> 16) & 0xf);
	uintptr_t iline = 4u << (ctr & 0xf);
	for (uintptr_t p = a & ~(dline - 1); p < end; p += dline)
		__asm__ volatile("mcr p15, 0, %0, c7, c11, 1" ::"r"(p)
				 : "memory");
	__asm__ volatile("dsb ish" ::: "memory");
	for (uintptr_t p = a & ~(iline - 1); p < end; p += iline)
		__asm__ volatile("mcr p15, 0, %0, c7, c5, 1" ::"r"(p)
				 : "memory");
	__asm__ volatile("mcr p15, 0, %0, c7, c1, 6" ::"r"(0) : "memory");
	__asm__ volatile("dsb ish\n\tisb" ::: "memory");
}

#endif
