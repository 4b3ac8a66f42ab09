/*
 * mm_init: lay out kernel memory from the boot information and bring the
 * allocators up in dependency order (see mm/layout.c for the picture).
 */
#include <arch/boot.h>
#include <arch/mmu.h>
#include <arch/ops.h>
#include <kernel/printk.h>
#include <lib/compiler.h>
#include <lib/err.h>
#include <mm/code_region.h>
#include <mm/dma.h>
#include <mm/kheap.h>
#include <mm/layout.h>
#include <mm/lowmem.h>
#include <mm/malloc.h>
#include <mm/mm.h>
#include <mm/pmm.h>
#include <mm/sbrk.h>

#include "mm_lock.h"

#define MiB (1024u * 1024u)

/* The DMA area ends below the last page, which stays unmapped: pointer
 * arithmetic that wraps to -4096..-1 (error values) faults instead of
 * landing in a window. */
#define DMA_TOP 0xfffff000u

#if !MM_HOSTED
struct rlock mm_rlock = RLOCK_INIT(LOCK_RANK_MM, "mm");
#endif

irq_state_t mm_tables_lock(void)
{
	return mm_lock();
}

void mm_tables_unlock(irq_state_t s)
{
	mm_unlock(s);
}

static bool mm_virtual_ready;

bool mm_virtual_memory(void)
{
	return mm_virtual_ready;
}

uintptr_t mm_heap_top(void)
{
	return kernel_sbrk.start ? kernel_sbrk.brk : mm_layout.heap_start;
}

uintptr_t mm_dma_floor(void)
{
	return kernel_dma.top ? dma_area_floor(&kernel_dma) : mm_layout.dma_top;
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

static void compute_layout(const struct boot_info *bi, size_t meta_bytes)
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
			continue; /* below kernel memory: reserved where it is
				   */
		if (l->modules_start == l->image_end ||
		    m->start < l->modules_start)
			l->modules_start = ALIGN_DOWN(m->start, PAGE_SIZE);
		l->modules_end =
			MAX(l->modules_end, ALIGN_UP(m->end, PAGE_SIZE));
		end = MAX(end, m->end);
	}
	l->kheap_start = ALIGN_UP(end, PAGE_SIZE);
	/* The loader's data (multiboot info, DTB) stays where it is and is
	 * reserved; the heap only steps over it if they would overlap. */
	if (bi->bootdata_end > l->kheap_start &&
	    bi->bootdata_start < l->kheap_start + CONFIG_KHEAP_SIZE)
		l->kheap_start = ALIGN_UP(bi->bootdata_end, PAGE_SIZE);
	l->kheap_end = l->kheap_start + CONFIG_KHEAP_SIZE;
	l->meta_start = l->kheap_end;
	l->meta_end = ALIGN_UP(l->meta_start + meta_bytes, PAGE_SIZE);
	l->kmem_end = ALIGN_UP(l->meta_end, PAGE_SIZE);
	l->heap_start = l->kmem_end;
	/* The code region takes the top; the DMA area starts below it. */
	l->code_end = DMA_TOP;
	l->code_start = DMA_TOP - CODE_REGION_SIZE;
	l->dma_top = l->code_start;

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
			panic("mm: cannot identity-map kernel memory at %#lx: "
			      "%s",
			      (unsigned long)va, err_name(rc));
		va = run - PAGE_SIZE;
	}
}

static void start_pmm(const struct boot_info *bi, size_t meta_bytes)
{
	const struct mm_layout *l = &mm_layout;
	struct pmm_init_report r;

	int rc = pmm_init(bi->mem, bi->mem_count, (void *)l->meta_start,
			  meta_bytes, &r);
	if (rc < 0)
		panic("mm: the memory map is unusable: %s (%s)",
		      pmm_last_error(), err_name(rc));
	printk("pmm: %llu KiB of RAM in pages %#lx-%#lx", r.usable_bytes >> 10,
	       (unsigned long)r.span_start, (unsigned long)r.span_end);
	if (r.entries_ignored || r.entries_clipped)
		printk(", %u map entries ignored, %u clipped",
		       r.entries_ignored, r.entries_clipped);
	printk("\n");
	if (r.above_limit)
		printk("pmm: %llu MiB above 4 GiB ignored: this is a 32-bit "
		       "kernel without PAE\n",
		       (unsigned long long)(r.above_limit >> 20));

	/* What the boot put in RAM, and our own fixed regions: identity
	 * mapped, never handed out, never moved. */
	pmm_reserve(l->image_start, l->image_end, PMM_OWNER_KERNEL_IMAGE);
	for (unsigned i = 0; i < bi->module_count; i++)
		pmm_reserve(bi->modules[i].start, bi->modules[i].end,
			    PMM_OWNER_MODULE);
	if (bi->bootdata_end)
		pmm_reserve(bi->bootdata_start, bi->bootdata_end,
			    PMM_OWNER_BOOTDATA);
	pmm_reserve(l->kheap_start, l->kheap_end, PMM_OWNER_KHEAP);
	pmm_reserve(l->meta_start, l->meta_end, PMM_OWNER_PMM_META);
}

static void add_lowmem_run(paddr_t start, paddr_t end, void *arg)
{
	for (paddr_t p = start; p < end; p += PAGE_SIZE)
		lowmem_add_page(&kernel_lowmem, p);
}

void mm_init(struct boot_info *bi)
{
	size_t meta_bytes = pmm_metadata_bytes(bi->mem, bi->mem_count);

	if (meta_bytes == 0)
		panic("mm: the loader's memory map has no usable RAM");
	compute_layout(bi, meta_bytes);
	map_kernel_memory();
	start_pmm(bi, meta_bytes);

	lowmem_init(&kernel_lowmem, 0);
	pmm_take_low(add_lowmem_run, NULL);

	int rc = kheap_init((void *)mm_layout.kheap_start, CONFIG_KHEAP_SIZE);
	if (rc < 0)
		panic("mm: cannot start the kernel heap: %s", err_name(rc));

	if (arch_mmu_query(mm_layout.kmem_start, NULL, NULL) == -ENOSYS) {
		printk("mm: this architecture has no MMU support yet "
		       "(-ENOSYS): "
		       "the sbrk heap, malloc and DMA windows are off\n");
		mm_layout_print();
		arch_mm_ready();
		return;
	}
	mm_virtual_ready = true;
	sbrk_heap_init(&kernel_sbrk, mm_layout.heap_start, mm_layout.dma_top,
		       &kernel_dma);
	if (CODE_REGION_SIZE)
		code_region_init(mm_layout.code_start);
	dma_area_init(&kernel_dma, mm_layout.dma_top, mm_layout.heap_start,
		      &kernel_sbrk);
	rc = heap_malloc_init(&kernel_malloc, &kernel_sbrk);
	if (rc < 0)
		panic("mm: cannot start malloc on the sbrk heap: %s",
		      err_name(rc));
	mm_layout_print();
	arch_mm_ready();
}

void mm_print_info(void)
{
	static const enum pmm_zone zones[] = {PMM_LOW, PMM_DMA, PMM_NORMAL};
	struct kheap_stats ks;

	for (unsigned i = 0; i < ARRAY_SIZE(zones); i++) {
		struct pmm_zone_stats z;
		pmm_zone_stats(zones[i], &z);
		if (!z.total_pages)
			continue;
		printk("zone %-6s %8lu KiB, %8lu KiB free, %lu allocs, %lu "
		       "frees, %lu failures\n",
		       pmm_zone_name(zones[i]),
		       (unsigned long)z.total_pages * 4,
		       (unsigned long)z.free_pages * 4, z.allocs, z.frees,
		       z.failures);
	}
	printk("low memory: %u of %u pages used\n", kernel_lowmem.used_pages,
	       kernel_lowmem.usable_pages);
	kheap_stats(&ks);
	printk("kernel heap: %lu KiB used, %lu KiB free (largest %lu KiB), "
	       "%lu allocs, %lu failed\n",
	       (unsigned long)ks.used >> 10, (unsigned long)ks.free >> 10,
	       (unsigned long)ks.largest_free >> 10, ks.allocs, ks.failed);
	/* Cached small objects are counted as free above (mm/objcache.h). */
	printk("kernel heap caches: %lu bytes in %lu objects (all CPUs), %lu "
	       "drains\n",
	       (unsigned long)ks.cached, (unsigned long)ks.cached_objects,
	       ks.cache_drains);
	printk("sbrk heap: top %#lx, %lu pages mapped\n",
	       (unsigned long)kernel_sbrk.brk, kernel_sbrk.pages);
	if (kernel_malloc.tlsf) {
		struct heap_malloc_stats ms;
		heap_malloc_stats(&kernel_malloc, &ms);
		printk("malloc: %lu KiB used, %lu KiB free, %lu bytes cached, "
		       "%lu grows, %lu trims\n",
		       (unsigned long)ms.used >> 10,
		       (unsigned long)ms.free >> 10, (unsigned long)ms.cached,
		       ms.grows, ms.trims);
	}
	for (unsigned i = 0; i < kernel_dma.count; i++) {
		const struct dma_window *w = &kernel_dma.win[i];
		printk("DMA window %#lx-%#lx -> phys %#lx (%lu pages)\n",
		       (unsigned long)w->va,
		       (unsigned long)(w->va + w->pages * PAGE_SIZE - 1),
		       (unsigned long)w->pa, (unsigned long)w->pages);
	}
	mm_layout_print();
}
