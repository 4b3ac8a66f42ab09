/*
 * mm_init: lay out kernel memory from the boot information and bring the
 * allocators up in dependency order (see mm/layout.c for the picture).
 */
#include <arch/boot.h>
#include <arch/mmu.h>
#include <kernel/compiler.h>
#include <kernel/err.h>
#include <kernel/printk.h>
#include <mm/layout.h>
#include <mm/mm.h>

#define MiB (1024u * 1024u)

/* The DMA area ends below the last page, which stays unmapped: pointer
 * arithmetic that wraps to -4096..-1 (error values) faults instead of
 * landing in a window. */
#define DMA_TOP 0xfffff000u

static uintptr_t heap_top_now;

uintptr_t mm_heap_top(void)
{
	return heap_top_now ? heap_top_now : mm_layout.heap_start;
}

uintptr_t mm_dma_floor(void)
{
	return mm_layout.dma_top;
}

/* Is [start, end) entirely inside usable RAM according to the loader? */
static bool range_is_usable(const struct boot_info *bi, uint64_t start,
			    uint64_t end)
{
	uint64_t cur = start;
	bool progress = true;

	/* Entries may be unsorted: advance through whichever covers `cur`. */
	while (cur < end && progress) {
		progress = false;
		for (unsigned i = 0; i < bi->mem_count; i++) {
			const struct boot_mem_region *r = &bi->mem[i];
			if (r->type == BOOT_MEM_USABLE && r->base <= cur &&
			    r->base + r->size > cur) {
				cur = r->base + r->size;
				progress = true;
			}
		}
	}
	return cur >= end;
}

static void compute_layout(const struct boot_info *bi)
{
	struct mm_layout *l = &mm_layout;
	uintptr_t end = bi->kernel_end;

	l->image_start = bi->kernel_start;
	l->image_end = ALIGN_UP(bi->kernel_end, PAGE_SIZE);
	l->kmem_start = ALIGN_DOWN(bi->kernel_start, MiB);
#ifdef CONFIG_ARCH_HAS_LOWMEM
	l->low_start = 0;
	l->low_end = MiB;
#endif
	l->modules_start = l->modules_end = l->image_end;
	for (unsigned i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];
		if (m->start < l->kmem_start)
			continue; /* below kernel memory: reserved where it is */
		if (l->modules_start == l->image_end || m->start < l->modules_start)
			l->modules_start = ALIGN_DOWN(m->start, PAGE_SIZE);
		l->modules_end = MAX(l->modules_end, ALIGN_UP(m->end, PAGE_SIZE));
		end = MAX(end, m->end);
	}
	if (bi->bootdata_start >= l->kmem_start)
		end = MAX(end, bi->bootdata_end);

	l->kheap_start = ALIGN_UP(end, PAGE_SIZE);
	l->kheap_end = l->kheap_start + CONFIG_KHEAP_SIZE;
	l->meta_start = l->meta_end = l->kheap_end;
	l->kmem_end = ALIGN_UP(l->meta_end, PAGE_SIZE);
	l->heap_start = l->kmem_end;
	l->dma_top = DMA_TOP;

	if (!range_is_usable(bi, l->kheap_start, l->kmem_end))
		panic("mm: kernel memory %#lx-%#lx (kernel heap of %u KiB) is "
		      "not all usable RAM; give the machine more memory or "
		      "lower CONFIG_KHEAP_SIZE",
		      (unsigned long)l->kheap_start, (unsigned long)l->kmem_end,
		      (unsigned)(CONFIG_KHEAP_SIZE >> 10));
}

/* The arch mapped its image, modules and boot data (leaving its own guard
 * pages out); map the kernel heap and metadata identity, page by page where
 * the arch's map does not already reach. */
static void map_kernel_memory(void)
{
	const struct mm_layout *l = &mm_layout;

	for (uintptr_t va = l->kheap_start; va < l->kmem_end; va += PAGE_SIZE) {
		if (arch_mmu_query(va, NULL, NULL) == 0)
			continue;
		uintptr_t run = va;
		while (run < l->kmem_end && arch_mmu_query(run, NULL, NULL) < 0)
			run += PAGE_SIZE;
		int rc = arch_mmu_map(va, va, (run - va) / PAGE_SIZE,
				      MMU_READ | MMU_WRITE);
		if (rc < 0 && rc != -ENOSYS)
			panic("mm: cannot identity-map kernel memory at %#lx: %s",
			      (unsigned long)va, err_name(rc));
		va = run - PAGE_SIZE;
	}
}

void mm_init(struct boot_info *bi)
{
	compute_layout(bi);
	map_kernel_memory();
	mm_layout_print();
}

void mm_print_info(void)
{
	mm_layout_print();
}
