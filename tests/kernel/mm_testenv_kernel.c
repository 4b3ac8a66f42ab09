/*
 * mm_testenv in the kernel: the live PMM and MMU, and a virtual range in the
 * middle of the gap between the sbrk heap and the DMA area.
 */
#include <arch/mmu.h>
#include <kernel/kernel.h>
#include <lib/compiler.h>
#include <mm/layout.h>
#include <mm/mm.h>
#include <mm/pmm.h>
#include <mm_testenv.h>

#define TEST_VA_SIZE (64u << 20)

bool mm_testenv_enter(struct mm_testenv *env)
{
	if (!mm_virtual_memory())
		return false;
	uintptr_t low = ALIGN_UP(mm_heap_top(), 4u << 20);
	uintptr_t high = ALIGN_DOWN(mm_dma_floor(), 4u << 20);
	uintptr_t mid = ALIGN_DOWN(low / 2 + high / 2, 4u << 20);
	if (high - low < 4 * TEST_VA_SIZE)
		return false;
	env->va_start = mid;
	env->va_size = TEST_VA_SIZE;

	struct pmm_zone_stats z;
	pmm_zone_stats(PMM_NORMAL, &z);
	env->ram_start = z.start;
	env->ram_end = z.end;
	/* A page the PMM does not manage as RAM (device space on both PCs
	 * and the ARM virt board for the memory sizes we boot). */
	static const uint32_t candidates[] = {0xfec00000u, 0xf0000000u,
					      0xe0000000u, 0x09000000u};
	env->not_ram = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(candidates) && !env->not_ram; i++) {
		struct pmm_frame_info fi;
		if (pmm_frame_info(candidates[i], &fi) < 0 || !fi.ram)
			env->not_ram = candidates[i];
	}
	if (!env->not_ram)
		return false;
	env->identity_ptr = mm_layout.kheap_start + 4096;
	return true;
}

void mm_testenv_exit(void)
{
}
