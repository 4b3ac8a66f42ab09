/*
 * The console layer: output goes to the arch early console and to every
 * registered console (VGA text, later a framebuffer); input comes from the
 * arch console and registered input sources.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <lib/compiler.h>
#include <stdarg.h>
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

/* Output of processes (programs, the shell): to every console, or to the
 * sink when one is set and the writer is not its owner (see below). */
void console_write(const char *s, size_t n);
/* console_write of a formatted line (at most 511 bytes, the rest cut). */
void console_printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
void console_vprintf(const char *fmt, va_list ap);
/* Kernel messages (printk, panics, fault reports): always to every
 * console, never to a sink, so nothing the kernel says about itself can be
 * swallowed. Any context. */
void console_write_kernel(const char *s, size_t n);

/*
 * A sink for the output of other processes. While one is set,
 * console_write() called by any process but `owner` (a pid) goes to
 * sink->write instead of the consoles; the owner's own output and kernel
 * messages still show. For boot modes that run many programs one after
 * another (`fuzz`): their output must not flood the serial line, yet the
 * runner may want to keep some of it. `write` runs in the writer's process
 * context and must not sleep. NULL removes the sink.
 */
struct console_sink {
	void (*write)(struct console_sink *sink, const char *s, size_t n);
	int owner;
};
void console_set_sink(struct console_sink *sink);
/* Next input byte from any source, or -1 if none is waiting. */
int console_getc(void);
/* Whether console_getc() would return a byte now (it reads one ahead). */
bool console_input_ready(void);

/* Have `notify` called (IRQ context) when console input arrives; 0, or a
 * negative error when input can only be polled. */
int console_set_rx_notify(void (*notify)(void));

#endif
