/* Host test MMU (see fake_mmu.c). */
#ifndef HOST_FAKE_MMU_H
#define HOST_FAKE_MMU_H

#include <stdint.h>

#define HOST_PHYS_SIZE (64ul << 20)
#define HOST_VA_SIZE   (256ul << 20)

extern uintptr_t host_va_base;

/* Unmap everything and zero physical memory: a fresh machine per case. */
void fake_mmu_reset(void);

#endif
