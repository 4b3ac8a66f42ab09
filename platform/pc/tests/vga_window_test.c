/*
 * The VGA text buffer is reached through a DMA window, as the design wants
 * device memory to be: what the console writes lands in the physical
 * buffer (seen through low memory's identity map), and a fresh window onto
 * the same range sees the same cells.
 */
#include <ktest.h>
#include <mm/dma.h>
#include <mm/layout.h>
#include <mm/mm.h>
#include <platform/vga_text.h>

#define VGA_PHYS 0xb8000u

KTEST(vga, console_writes_through_a_dma_window)
{
	volatile uint16_t *cells = vga_text_buffer();
	volatile uint16_t *identity = (volatile uint16_t *)VGA_PHYS;

	if (!mm_virtual_memory())
		KT_SKIP(t, "no DMA windows without MMU support");
	KT_ASSERT(t, cells != NULL);
	KT_EXPECT(t, (uintptr_t)cells >= mm_dma_floor());
	KT_EXPECT(t, (uintptr_t)cells < mm_layout.dma_top);

	uint16_t saved = cells[79];
	cells[79] = 0x1f41; /* 'A', white on blue, top-right corner */
	KT_EXPECT_EQ(t, identity[79], 0x1f41);
	cells[79] = saved;
}

KTEST(vga, second_window_aliases_the_same_cells)
{
	if (!mm_virtual_memory())
		KT_SKIP(t, "no DMA windows without MMU support");
	volatile uint16_t *w = dma_map(VGA_PHYS, 4000, DMA_UNCACHED);
	KT_ASSERT(t, w != NULL);
	volatile uint16_t *cells = vga_text_buffer();
	uint16_t saved = cells[78];
	w[78] = 0x2e42;
	KT_EXPECT_EQ(t, cells[78], 0x2e42);
	cells[78] = saved;
	KT_EXPECT_EQ(t, dma_unmap((void *)w), 0);
	KT_EXPECT_EQ(t, dma_unmap((void *)w), -22);
}
