/*
 * The flat memory layout, as drawn in the design (x86 addresses; the ARM
 * port keeps the shape from the start of its RAM, with no low memory):
 *
 *   0x00000000  +----------------------------+
 *               | page 0: unmapped (NULL)    |
 *               | low memory       identity  |  lowmem allocator (VM86)
 *   0x00100000  +----------------------------+  kmem_start
 *               | kernel image     identity  |
 *               | boot modules     identity  |  ramdisk
 *               | kernel heap      identity  |  kmalloc, stacks (16 MiB)
 *               | PMM metadata     identity  |
 *               +----------------------------+  kmem_end = heap_start
 *               | heap area        virtual   |  sbrk(): grows up, pages
 *               |        |                   |  from the PMM
 *               |        v   (free)   ^      |  they never meet: sbrk and
 *               |                     |      |  dma_map fail first
 *               | DMA area         windows   |  dma_map(): grows down
 *               +----------------------------+  dma_top = code_start
 *               | code region      virtual   |  compiled wasm (RWX pages,
 *               |                            |  16 MiB: VM_CODE_REGION_MB)
 *   0xFFFFF000  +----------------------------+  code_end
 *
 * mm_init() fills struct mm_layout; this file prints it and names regions.
 */
#include <kernel/printk.h>
#include <mm/layout.h>
#include <mm/mm.h>

struct mm_layout mm_layout;

static void region(const char *name, uintptr_t start, uintptr_t end,
		   const char *mapping)
{
	unsigned long size = (unsigned long)(end - start);

	if (end <= start)
		return;
	printk("  %08lx-%08lx %7lu KiB  %-14s %s\n", (unsigned long)start,
	       (unsigned long)end - 1, size >> 10, name, mapping);
}

void mm_layout_print(void)
{
	const struct mm_layout *l = &mm_layout;
	uintptr_t brk = mm_heap_top();
	uintptr_t dma_low = mm_dma_floor();

	printk("memory layout (start-end, size, region, mapping):\n");
	region("low memory", l->low_start, l->low_end,
	       "identity, lowmem allocator");
	region("kernel image", l->image_start, l->image_end, "identity");
	region("boot modules", l->modules_start, l->modules_end, "identity");
	region("kernel heap", l->kheap_start, l->kheap_end,
	       "identity, kmalloc");
	region("PMM metadata", l->meta_start, l->meta_end, "identity");
	region("sbrk heap", l->heap_start, brk, "virtual, sbrk");
	region("(unused)", brk, dma_low, "unmapped");
	region("DMA area", dma_low, l->dma_top, "virtual, dma_map");
	region("code region", l->code_start, l->code_end,
	       "virtual, compiled code");
}

const char *mm_describe_address(uintptr_t a)
{
	const struct mm_layout *l = &mm_layout;

	if (a < 4096)
		return "page 0: NULL dereference";
	if (a >= l->low_start && a < l->low_end)
		return "low memory";
	if (a >= l->image_start && a < l->image_end)
		return "kernel image";
	if (a >= l->modules_start && a < l->modules_end)
		return "boot modules";
	if (a >= l->kheap_start && a < l->kheap_end)
		return "kernel heap";
	if (a >= l->meta_start && a < l->meta_end)
		return "PMM metadata";
	if (a >= l->kmem_start && a < l->kmem_end)
		return "kernel memory";
	if (l->heap_start && a >= l->heap_start && a < mm_heap_top())
		return "sbrk heap";
	if (l->dma_top && a >= mm_dma_floor() && a < l->dma_top)
		return "DMA area";
	if (a >= l->code_start && a < l->code_end)
		return "code region: compiled code, read-only";
	if (l->heap_start && a >= l->heap_start)
		return "unmapped gap between the sbrk heap and the DMA area";
	return "outside every region";
}
