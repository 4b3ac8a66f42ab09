/*
 * The console layer: output goes to the arch early console and to every
 * registered console (VGA text, the framebuffer); input comes from the
 * arch console and registered input devices.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <arch/irq.h>
#include <lib/compiler.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t n);
	struct console *next;
};

/* The console output lock (recursive, the highest rank, IRQs off): held
 * by every write to the consoles; a console driver takes it around
 * changes to its own state (drivers/fbcon.c). */
irq_state_t console_lock_irqsave(void);
void console_unlock_irqrestore(irq_state_t s);

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
/*
 * Input. Two kinds of source feed the console, and readers see one
 * stream:
 *  - the serial line (the arch console), read when a reader asks, its
 *    receive interrupt (where it has one) only waking the readers;
 *  - registered input devices (the PS/2 keyboard), which push their bytes
 *    from their interrupt handlers into the console's buffer.
 * A device registers at boot and is started when a reader first waits
 * (console_read), so its interrupt is attached only once someone reads.
 */
struct console_input {
	const char *name; /* "PS/2 keyboard": in the message if start fails */
	/* Attach the interrupt; from then on the handler calls
	 * console_input_push(). Process context, once. 0 or a negative
	 * error (the device is then left out and the console says so). */
	int (*start)(void);
	struct console_input *next;
};
/* Any context, before console_read() is first called. */
void console_input_register(struct console_input *in);
/* IRQ context (or IRQs off): queue bytes from an input device and wake
 * the readers. Bytes beyond the buffer (64) are dropped. */
void console_input_push(const char *s, size_t n);

/* Next input byte from any source, or -1 if none is waiting. */
int console_getc(void);
/* Whether console_getc() would return a byte now (it reads one ahead). */
bool console_input_ready(void);
/* The next input byte, sleeping until there is one. Process context. The
 * first call starts the registered devices and the serial line's receive
 * interrupt; without one, the serial line is polled every 10 ms. */
int console_read(void);

#endif
