/*
 * The framebuffer console: text in the console font on a struct fb, below an
 * optional band at the top (the boot picture of the memory layout).
 * Scrolls, keeps a cursor (an underline), and understands a subset of ANSI
 * escapes: ESC[...m (0 reset, 1 bright, 7 reverse, 22, 27, 30-37, 39,
 * 40-47, 49, 90-97, 100-107), ESC[H / ESC[r;cH, ESC[J / ESC[2J, ESC[K,
 * ESC[nA/B/C/D. Output is drawn with IRQs off (any context may print).
 */
#ifndef DRIVERS_FBCON_H
#define DRIVERS_FBCON_H

#include <drivers/fb.h>
#include <stdbool.h>
#include <stddef.h>

/* Put the console on `fb` (copied) with text from pixel line `top` down,
 * clear that area and register the console on first use. NULL stops
 * drawing (e.g. back to VGA text) without unregistering. Returns 0,
 * -EINVAL (bad fb or no room for one text line) or -ENOMEM. */
int fbcon_attach(const struct fb *fb, unsigned top);

bool fbcon_active(void);
const struct fb *fbcon_fb(void);

/* Text grid and cursor, for tests and the shell. */
void fbcon_geometry(unsigned *cols, unsigned *rows);
void fbcon_cursor(unsigned *col, unsigned *row);
/* The character and colour indices (0-15) in a cell, -1 outside. */
int fbcon_cell(unsigned col, unsigned row, unsigned *fg, unsigned *bg);
/* 0xRRGGBB of colour index 0-15. */
uint32_t fbcon_palette(unsigned index);
/* Pixel position of a cell's top-left corner. */
void fbcon_cell_origin(unsigned col, unsigned row, unsigned *x, unsigned *y);

/* Write as the console does (for tests; printk reaches it anyway). */
void fbcon_write(const char *s, size_t n);

#endif
