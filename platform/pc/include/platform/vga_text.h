/* VGA text mode (80x25, colour) as a console. */
#ifndef DRIVERS_VGA_TEXT_H
#define DRIVERS_VGA_TEXT_H

#include <stddef.h>

/* Clear the screen at `buffer` (the mapped 0xB8000 text buffer) and register
 * it as a console. */
void vga_text_console_init(void *buffer);

/* Point the console at another mapping of the same buffer (used when the
 * buffer moves into a DMA window). */
void vga_text_set_buffer(void *buffer);

/* The mapping the console writes through now. */
volatile void *vga_text_buffer(void);

#endif
