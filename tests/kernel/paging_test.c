/*
 * The one global translation table as the design draws it: page 0 and the
 * gaps unmapped, kernel memory identity-mapped, probes that fault instead
 * of crashing.
 */
#include <arch/mmu.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/layout.h>
#include <mm/mm.h>

KTEST(paging, page_zero_faults)
{
	uint8_t byte = 0x5a;

	KT_EXPECT_EQ(t, arch_probe_read((const volatile void *)0, &byte),
		     -EFAULT);
	KT_EXPECT_EQ(t, byte, 0x5a); /* nothing stored on failure */
	KT_EXPECT_EQ(t, arch_probe_write((volatile void *)16, 1), -EFAULT);
	KT_EXPECT_EQ(t, arch_mmu_query(0, NULL, NULL), -ENOENT);
}

KTEST(paging, probes_succeed_on_mapped_memory)
{
	static volatile uint8_t cell = 0x33;
	uint8_t byte = 0;

	KT_EXPECT_EQ(t, arch_probe_read(&cell, &byte), 0);
	KT_EXPECT_EQ(t, byte, 0x33);
	KT_EXPECT_EQ(t, arch_probe_write(&cell, 0x44), 0);
	KT_EXPECT_EQ(t, cell, 0x44);
}

KTEST(paging, kernel_memory_is_identity_mapped)
{
	const struct mm_layout *l = &mm_layout;
	const uintptr_t samples[] = {l->image_start, l->kheap_start,
				     l->kheap_end - 4096, l->meta_start,
				     l->kmem_end - 4096};

	for (unsigned i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		paddr_t pa = 0;
		KT_EXPECT_EQ(t, arch_mmu_query(samples[i] + 12, &pa, NULL), 0);
		KT_EXPECT_EQ(t, pa, samples[i] + 12);
	}
}

KTEST(paging, gap_above_the_heap_and_top_page_fault)
{
	uint8_t byte;

	if (!mm_virtual_memory())
		KT_SKIP(t, "no MMU support on this architecture yet");
	uintptr_t gap = (mm_heap_top() + 4096 + 4095) & ~(uintptr_t)4095;
	KT_EXPECT_EQ(t, arch_probe_read((const volatile void *)gap, &byte),
		     -EFAULT);
	/* The last page stays unmapped: wrapped error pointers fault. */
	KT_EXPECT_EQ(t,
		     arch_probe_read((const volatile void *)0xfffff000u, &byte),
		     -EFAULT);
	KT_EXPECT_EQ(
		t, arch_probe_read((const volatile void *)(uintptr_t)-4, &byte),
		-EFAULT);
}

KTEST(paging, fault_addresses_name_their_region)
{
	KT_EXPECT_STREQ(t, mm_describe_address(8), "page 0: NULL dereference");
	KT_EXPECT_STREQ(t, mm_describe_address(mm_layout.kheap_start + 100),
			"kernel heap");
	KT_EXPECT_STREQ(t, mm_describe_address(mm_layout.image_start),
			"kernel image");
}
