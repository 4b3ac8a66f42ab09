/* PS/2 keyboard (i8042 port 0x60, IRQ 1, scancode set 1) as a byte input:
 * printable keys as ASCII, Enter as '\r', Backspace as 0x7f, the arrow keys
 * as the ANSI sequences ESC [ A/B/C/D a terminal sends. */
#ifndef PLATFORM_PS2KBD_H
#define PLATFORM_PS2KBD_H

#include <stdint.h>

/* Register with the console as an input device: IRQ 1 is attached when
 * the first reader waits (console_read), and the handler pushes the
 * bytes into the console's input. Boot, once. */
void ps2kbd_register(void);
/* Translate one set-1 scancode into bytes for `out` (up to 3); returns the
 * count. Keeps the shift/ctrl/extended state between calls. For tests. */
int ps2kbd_translate(uint8_t scancode, char out[3]);

#endif
