/*
 * What the architecture handed kmain(): sane whatever the loader was.
 */
#include <arch/boot.h>
#include <kernel/kernel.h>
#include <ktest.h>

KTEST(boot, memory_map_has_usable_ram)
{
	const struct boot_info *bi = kernel_boot_info;
	uint64_t usable = 0;

	KT_ASSERT(t, bi != NULL);
	KT_EXPECT(t, bi->mem_count > 0);
	for (unsigned i = 0; i < bi->mem_count; i++) {
		if (bi->mem[i].type == BOOT_MEM_USABLE)
			usable += bi->mem[i].size;
	}
	KT_EXPECT(t, usable >= (16ull << 20));
}

KTEST(boot, kernel_image_bounds)
{
	const struct boot_info *bi = kernel_boot_info;

	KT_EXPECT(t, bi->kernel_start < bi->kernel_end);
	KT_EXPECT(t, (uintptr_t)&kernel_boot_info >= bi->kernel_start);
	KT_EXPECT(t, (uintptr_t)&kernel_boot_info < bi->kernel_end);
}

KTEST(boot, loader_and_modules_are_consistent)
{
	const struct boot_info *bi = kernel_boot_info;

	KT_EXPECT(t, bi->loader != NULL && bi->loader[0] != '\0');
	for (unsigned i = 0; i < bi->module_count; i++)
		KT_EXPECT(t, bi->modules[i].start <= bi->modules[i].end);
}
