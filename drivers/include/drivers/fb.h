/*
 * A linear framebuffer and the few drawing primitives the console and the
 * boot picture need. Arch-neutral: whoever sets the mode (VESA on x86, a
 * boot loader's framebuffer) fills struct fb with a mapped address.
 *
 * Pixels are 8, 15/16, 24 or 32 bits. Colours are given as 0xRRGGBB and
 * converted once with fb_color() to the mode's pixel value; at 8 bpp that
 * is the nearest of the 16 VGA colours (the first 16 entries of the
 * default palette every VGA BIOS loads).
 */
#ifndef DRIVERS_FB_H
#define DRIVERS_FB_H

#include <stdbool.h>
#include <stdint.h>

struct fb {
	volatile uint8_t *base; /* mapped first pixel */
	uint64_t phys;		/* physical address of the first pixel */
	unsigned width, height; /* pixels */
	unsigned pitch;		/* bytes per line */
	unsigned bpp;		/* 8, 15, 16, 24 or 32 */
	/* Field positions and sizes of a direct-colour pixel. */
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
	const char *source; /* "VESA", "multiboot", ... for messages */
};

/* Bytes per pixel (15 bpp uses 2). */
unsigned fb_bytes_per_pixel(const struct fb *fb);

/* The pixel value for 0xRRGGBB. */
uint32_t fb_color(const struct fb *fb, uint32_t rgb);

/* 0xRRGGBB of a pixel value (the inverse of fb_color, up to rounding). */
uint32_t fb_rgb(const struct fb *fb, uint32_t pixel);

void fb_put_pixel(const struct fb *fb, unsigned x, unsigned y, uint32_t px);
uint32_t fb_get_pixel(const struct fb *fb, unsigned x, unsigned y);

/* Fill a rectangle, clipped to the screen. */
void fb_fill(const struct fb *fb, unsigned x, unsigned y, unsigned w,
	     unsigned h, uint32_t px);

/* Move the lines [y + dy, y + h) up to y and fill the freed dy lines at the
 * bottom with `px`: scrolling. */
void fb_scroll(const struct fb *fb, unsigned y, unsigned h, unsigned dy,
	       uint32_t px);

/* Draw one glyph of the console font (FONT_WIDTH x FONT_HEIGHT) for byte
 * `c` with its top-left corner at x, y; clipped. */
void fb_draw_char(const struct fb *fb, unsigned x, unsigned y, uint8_t c,
		  uint32_t fg, uint32_t bg);

/* Draw a string on one line; returns the x after the last character. */
unsigned fb_draw_text(const struct fb *fb, unsigned x, unsigned y,
		      const char *s, uint32_t fg, uint32_t bg);

/* Check a struct fb for sizes and a pixel format the drawing code handles:
 * 0 or -EINVAL. */
int fb_validate(const struct fb *fb);

#endif
