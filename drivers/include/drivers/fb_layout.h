/* The boot picture of the memory layout (drivers/fb_layout.c). */
#ifndef DRIVERS_FB_LAYOUT_H
#define DRIVERS_FB_LAYOUT_H

#include <drivers/fb.h>

/* low memory, kernel image, boot modules, kernel heap, PMM metadata, sbrk
 * heap, DMA windows */
#define FB_LAYOUT_REGIONS 7

struct fb_layout_colors {
	uint32_t background, text, unused;
	uint32_t region[FB_LAYOUT_REGIONS]; /* 0xRRGGBB, in the order above */
};
extern const struct fb_layout_colors fb_layout_colors;

/* Pixel height of the picture. */
unsigned fb_layout_height(void);

/* Draw it at the top of `fb`; returns the height used, 0 if the screen is
 * too small for it (nothing drawn). */
unsigned fb_layout_draw(const struct fb *fb);

#endif
