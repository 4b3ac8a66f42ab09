/*
 * The console layer: output goes to the arch early console and to every
 * registered console (VGA text, later a framebuffer); input comes from the
 * arch console and registered input sources.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t n);
	struct console *next;
};

void console_register(struct console *con);
/* Take a registered console off the list (a writer still in its write
 * call finishes it). */
void console_unregister(struct console *con);
void console_write(const char *s, size_t n);
/* Next input byte from any source, or -1 if none is waiting. */
int console_getc(void);
/* Whether console_getc() would return a byte now (it reads one ahead). */
bool console_input_ready(void);

/* Have `notify` called (IRQ context) when console input arrives; 0, or a
 * negative error when input can only be polled. */
int console_set_rx_notify(void (*notify)(void));

#endif
