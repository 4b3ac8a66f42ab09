/*
 * The console font: 8x16 bitmap glyphs for the 256 byte values, one byte per
 * row, most significant bit leftmost. Generated at build time from a PSF
 * console font (drivers/fontgen.py; Debian's console-setup-linux
 * Lat15-VGA16 by default): bytes 0x20-0x7e are ASCII, 0xa0-0xff
 * ISO 8859-1, others a replacement glyph.
 */
#ifndef DRIVERS_FONT_H
#define DRIVERS_FONT_H

#include <stdint.h>

#define FONT_WIDTH  8
#define FONT_HEIGHT 16

extern const uint8_t font8x16[256][FONT_HEIGHT];
extern const char font8x16_source[]; /* which PSF file it came from */

#endif
