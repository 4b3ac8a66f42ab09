/*
 * mm_testenv on the host: fake MMU + a PMM over fake physical memory, both
 * fresh for every case.
 */
#include <arch/boot.h>
#include <mm/pmm.h>
#include <mm_testenv.h>
#include <stdio.h>
#include <stdlib.h>

#include "fake_mmu.h"

/* Fake RAM ends below the fake physical space, leaving "device" pages. */
#define HOST_RAM_END (HOST_PHYS_SIZE - (4ul << 20))

static unsigned char meta[(HOST_PHYS_SIZE / 4096) * PMM_META_PER_FRAME]
	__attribute__((aligned(8)));

bool mm_testenv_enter(struct mm_testenv *env)
{
	static const struct boot_mem_region map[] = {
		{0x1000, 0x9e000, BOOT_MEM_USABLE},
		{0x100000, HOST_RAM_END - 0x100000, BOOT_MEM_USABLE},
	};

	fake_mmu_reset();
	pmm_test_enter();
	if (pmm_init(map, 2, meta, sizeof(meta), NULL) < 0) {
		fprintf(stderr, "mm_testenv: pmm_init: %s\n", pmm_last_error());
		abort();
	}
	/* Like a kernel image at 1 MiB: reserved, identity, immovable. */
	pmm_reserve(0x100000, 0x200000, PMM_OWNER_KERNEL_IMAGE);
	env->va_start = host_va_base;
	env->va_size = HOST_VA_SIZE;
	env->ram_start = 0x1000000;
	env->ram_end = HOST_RAM_END;
	/* Backed by the memfd (so it can be mapped) but not in the map: like
	 * device memory. */
	env->not_ram = HOST_RAM_END + 0x100000;
	env->identity_ptr = 0;
	return true;
}

void mm_testenv_exit(void)
{
	pmm_test_exit();
}
