/*
 * The memory layout as a picture, drawn at the top of the screen at boot:
 *
 *   memory layout: one address space, 0x00000000 - 0xFFFFFFFF
 *   [==|=|====|==============(unused)==================|=DMA=]   <- to scale
 *   [####                ] 00000000-000fffff   1024 KiB low memory
 *   [######              ] 00100000-001d5fff    856 KiB kernel image
 *   ...                                     (bar length ~ log2 of the size)
 *
 * The strip shows the 4 GiB address space to scale (every region at least a
 * few pixels wide); the rows give each region a bar, its addresses, size and
 * name, in the same colour as in the strip.
 */
#include <drivers/fb.h>
#include <drivers/fb_layout.h>
#include <drivers/font.h>
#include <kernel/printk.h>
#include <mm/layout.h>
#include <mm/mm.h>

#define MARGIN	8
#define ROW	18
#define BAR_MAX 200
#define STRIP_H 16

const struct fb_layout_colors fb_layout_colors = {
	.background = 0x101828,
	.text = 0xd0d0d0,
	.unused = 0x384050,
	.region = {0x3070ff, 0xff4040, 0xff9900, 0x30c040, 0xc050d0, 0x00c8c8,
		   0xe8e020},
};

struct region {
	const char *name;
	uintptr_t start, end; /* [start, end) */
};

static unsigned collect(struct region *r)
{
	const struct mm_layout *l = &mm_layout;
	const struct region all[FB_LAYOUT_REGIONS] = {
		{"low memory", l->low_start, l->low_end},
		{"kernel image", l->image_start, l->image_end},
		{"boot modules", l->modules_start, l->modules_end},
		{"kernel heap", l->kheap_start, l->kheap_end},
		{"PMM metadata", l->meta_start, l->meta_end},
		{"sbrk heap", l->heap_start, mm_heap_top()},
		{"DMA windows", mm_dma_floor(), l->dma_top},
	};
	for (unsigned i = 0; i < FB_LAYOUT_REGIONS; i++)
		r[i] = all[i];
	return FB_LAYOUT_REGIONS;
}

static unsigned log2_floor(uint64_t x)
{
	unsigned n = 0;
	while (x >>= 1)
		n++;
	return n;
}

unsigned fb_layout_height(void)
{
	return MARGIN + FONT_HEIGHT + 4 + STRIP_H + 6 +
	       FB_LAYOUT_REGIONS * ROW + MARGIN;
}

/* x of address `a` on a strip of `w` pixels for the 4 GiB space. */
static unsigned strip_x(uint64_t a, unsigned w)
{
	return (unsigned)((a * w) >> 32);
}

unsigned fb_layout_draw(const struct fb *fb)
{
	const struct fb_layout_colors *c = &fb_layout_colors;
	struct region r[FB_LAYOUT_REGIONS];
	unsigned n = collect(r);
	unsigned h = fb_layout_height();
	uint32_t bg = fb_color(fb, c->background);
	uint32_t fg = fb_color(fb, c->text);
	char line[96];

	if (h > fb->height / 2 || fb->width < 320)
		return 0; /* too small a screen for the picture */
	fb_fill(fb, 0, 0, fb->width, h, bg);
	unsigned y = MARGIN;
	fb_draw_text(fb, MARGIN, y,
		     "memory layout: one address space, 00000000-ffffffff "
		     "(strip to scale, bars ~ log2 size)",
		     fg, bg);
	y += FONT_HEIGHT + 4;

	unsigned w = fb->width - 2 * MARGIN;
	fb_fill(fb, MARGIN, y, w, STRIP_H, fb_color(fb, c->unused));
	for (unsigned i = 0; i < n; i++) {
		if (r[i].end <= r[i].start)
			continue;
		unsigned x0 = strip_x(r[i].start, w);
		unsigned x1 = strip_x((uint64_t)r[i].end, w);
		if (x1 < x0 + 3)
			x1 = x0 + 3;
		if (x1 > w)
			x1 = w, x0 = x0 < 3 ? 0 : (x0 > w - 3 ? w - 3 : x0);
		fb_fill(fb, MARGIN + x0, y, x1 - x0, STRIP_H,
			fb_color(fb, c->region[i]));
	}
	y += STRIP_H + 6;

	for (unsigned i = 0; i < n; i++, y += ROW) {
		uint64_t size =
			r[i].end > r[i].start ? r[i].end - r[i].start : 0;
		uint32_t px = fb_color(fb, c->region[i]);
		unsigned len =
			size ? 8 + (log2_floor(size) > 12
					    ? (log2_floor(size) - 12) * 10
					    : 0)
			     : 0;
		if (len > BAR_MAX)
			len = BAR_MAX;
		fb_fill(fb, MARGIN, y, BAR_MAX, FONT_HEIGHT, bg);
		if (len)
			fb_fill(fb, MARGIN, y + 1, len, FONT_HEIGHT - 2, px);
		if (size)
			snprintf(line, sizeof(line), "%08lx-%08lx %8lu KiB  %s",
				 (unsigned long)r[i].start,
				 (unsigned long)(r[i].end - 1),
				 (unsigned long)(size >> 10), r[i].name);
		else
			snprintf(line, sizeof(line), "%-32s%s", "(none)",
				 r[i].name);
		fb_draw_text(fb, MARGIN + BAR_MAX + 16, y, line, fg, bg);
	}
	return h;
}
