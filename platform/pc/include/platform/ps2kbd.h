/* PS/2 keyboard (i8042 port 0x60, IRQ 1, scancode set 1) as a byte input:
 * printable keys as ASCII, Enter as '\r', Backspace as 0x7f, the arrow keys
 * as the ANSI sequences ESC [ A/B/C/D a terminal sends. */
#ifndef DRIVERS_PS2KBD_H
#define DRIVERS_PS2KBD_H

#include <stdint.h>

/* Attach to IRQ 1. `notify` (may be NULL) is called in IRQ context after
 * bytes were queued. Returns 0 or the arch_irq_attach error. */
int ps2kbd_init(void (*notify)(void));
/* The next queued byte, or -1. Any context. */
int ps2kbd_getc(void);
/* Translate one set-1 scancode into bytes for `out` (up to 3); returns the
 * count. Keeps the shift/ctrl/extended state between calls. For tests. */
int ps2kbd_translate(uint8_t scancode, char out[3]);

#endif
