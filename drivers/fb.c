/*
 * Framebuffer drawing: pixel format conversion, rectangles, scrolling and
 * glyphs at 8, 15/16, 24 and 32 bits per pixel.
 */
#include <drivers/fb.h>
#include <drivers/font.h>
#include <lib/err.h>
#include <string.h>

/* The 16 VGA colours, in palette order. */
static const uint32_t vga16[16] = {
	0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa,
	0xaa5500, 0xaaaaaa, 0x555555, 0x5555ff, 0x55ff55, 0x55ffff,
	0xff5555, 0xff55ff, 0xffff55, 0xffffff,
};

unsigned fb_bytes_per_pixel(const struct fb *fb)
{
	return (fb->bpp + 7) / 8;
}

static uint32_t field(uint32_t v8, uint8_t pos, uint8_t size)
{
	if (!size)
		return 0;
	return (v8 >> (8 - (size > 8 ? 8 : size))) << pos;
}

uint32_t fb_color(const struct fb *fb, uint32_t rgb)
{
	uint32_t r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;

	if (fb->bpp == 8) {
		unsigned best = 0;
		uint32_t best_d = ~0u;
		for (unsigned i = 0; i < 16; i++) {
			int dr = (int)(vga16[i] >> 16 & 0xff) - (int)r;
			int dg = (int)(vga16[i] >> 8 & 0xff) - (int)g;
			int db = (int)(vga16[i] & 0xff) - (int)b;
			uint32_t d = (uint32_t)(dr * dr + dg * dg + db * db);
			if (d < best_d) {
				best_d = d;
				best = i;
			}
		}
		return best;
	}
	return field(r, fb->red_pos, fb->red_size) |
	       field(g, fb->green_pos, fb->green_size) |
	       field(b, fb->blue_pos, fb->blue_size);
}

static uint32_t unfield(uint32_t px, uint8_t pos, uint8_t size)
{
	if (!size)
		return 0;
	if (size >= 8)
		return (px >> (pos + size - 8)) & 0xff;
	uint32_t max = (1u << size) - 1;
	uint32_t v = (px >> pos) & max;
	return (v * 255 + max / 2) / max;
}

uint32_t fb_rgb(const struct fb *fb, uint32_t px)
{
	if (fb->bpp == 8)
		return px < 16 ? vga16[px] : 0;
	return unfield(px, fb->red_pos, fb->red_size) << 16 |
	       unfield(px, fb->green_pos, fb->green_size) << 8 |
	       unfield(px, fb->blue_pos, fb->blue_size);
}

static volatile uint8_t *at(const struct fb *fb, unsigned x, unsigned y)
{
	return fb->base + (size_t)y * fb->pitch +
	       (size_t)x * fb_bytes_per_pixel(fb);
}

static void store(const struct fb *fb, volatile uint8_t *p, uint32_t px)
{
	switch (fb_bytes_per_pixel(fb)) {
	case 1: *p = (uint8_t)px; break;
	case 2: *(volatile uint16_t *)p = (uint16_t)px; break;
	case 3:
		p[0] = (uint8_t)px;
		p[1] = (uint8_t)(px >> 8);
		p[2] = (uint8_t)(px >> 16);
		break;
	default: *(volatile uint32_t *)p = px; break;
	}
}

void fb_put_pixel(const struct fb *fb, unsigned x, unsigned y, uint32_t px)
{
	if (x < fb->width && y < fb->height)
		store(fb, at(fb, x, y), px);
}

uint32_t fb_get_pixel(const struct fb *fb, unsigned x, unsigned y)
{
	if (x >= fb->width || y >= fb->height)
		return 0;
	volatile uint8_t *p = at(fb, x, y);
	switch (fb_bytes_per_pixel(fb)) {
	case 1: return *p;
	case 2: return *(volatile uint16_t *)p;
	case 3: return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
	default: return *(volatile uint32_t *)p;
	}
}

void fb_fill(const struct fb *fb, unsigned x, unsigned y, unsigned w,
	     unsigned h, uint32_t px)
{
	if (x >= fb->width || y >= fb->height)
		return;
	if (w > fb->width - x)
		w = fb->width - x;
	if (h > fb->height - y)
		h = fb->height - y;
	unsigned bpp = fb_bytes_per_pixel(fb);
	for (unsigned j = 0; j < h; j++) {
		volatile uint8_t *p = at(fb, x, y + j);
		if (bpp == 4) {
			volatile uint32_t *q = (volatile uint32_t *)p;
			for (unsigned i = 0; i < w; i++)
				q[i] = px;
		} else {
			for (unsigned i = 0; i < w; i++, p += bpp)
				store(fb, p, px);
		}
	}
}

void fb_scroll(const struct fb *fb, unsigned y, unsigned h, unsigned dy,
	       uint32_t px)
{
	if (y >= fb->height || dy == 0)
		return;
	if (h > fb->height - y)
		h = fb->height - y;
	if (dy >= h) {
		fb_fill(fb, 0, y, fb->width, h, px);
		return;
	}
	size_t row = (size_t)fb->width * fb_bytes_per_pixel(fb);
	for (unsigned j = 0; j < h - dy; j++)
		memmove((void *)at(fb, 0, y + j),
			(const void *)at(fb, 0, y + j + dy), row);
	fb_fill(fb, 0, y + h - dy, fb->width, dy, px);
}

void fb_draw_char(const struct fb *fb, unsigned x, unsigned y, uint8_t c,
		  uint32_t fg, uint32_t bg)
{
	const uint8_t *g = font8x16[c];

	if (x + FONT_WIDTH > fb->width || y + FONT_HEIGHT > fb->height)
		return;
	unsigned bpp = fb_bytes_per_pixel(fb);
	for (unsigned j = 0; j < FONT_HEIGHT; j++) {
		volatile uint8_t *p = at(fb, x, y + j);
		uint8_t bits = g[j];
		if (bpp == 4) {
			volatile uint32_t *q = (volatile uint32_t *)p;
			for (unsigned i = 0; i < FONT_WIDTH; i++)
				q[i] = bits & (0x80 >> i) ? fg : bg;
		} else {
			for (unsigned i = 0; i < FONT_WIDTH; i++, p += bpp)
				store(fb, p, bits & (0x80 >> i) ? fg : bg);
		}
	}
}

unsigned fb_draw_text(const struct fb *fb, unsigned x, unsigned y,
		      const char *s, uint32_t fg, uint32_t bg)
{
	for (; *s; s++, x += FONT_WIDTH)
		fb_draw_char(fb, x, y, (uint8_t)*s, fg, bg);
	return x;
}

int fb_validate(const struct fb *fb)
{
	unsigned bpp = fb->bpp;

	if (!fb->base || !fb->width || !fb->height || fb->width > 16384 ||
	    fb->height > 16384)
		return -EINVAL;
	if (bpp != 8 && bpp != 15 && bpp != 16 && bpp != 24 && bpp != 32)
		return -EINVAL;
	if (fb->pitch < fb->width * fb_bytes_per_pixel(fb))
		return -EINVAL;
	if (bpp != 8) {
		if (!fb->red_size || !fb->green_size || !fb->blue_size ||
		    fb->red_pos + fb->red_size > bpp ||
		    fb->green_pos + fb->green_size > bpp ||
		    fb->blue_pos + fb->blue_size > bpp)
			return -EINVAL;
	}
	return 0;
}
