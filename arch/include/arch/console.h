/*
 * The early console: the one device an architecture guarantees before any
 * driver framework exists (x86 COM1, ARM PL011). Polled, usable with IRQs
 * off, from exception handlers, and before the memory manager.
 */
#ifndef ARCH_CONSOLE_H
#define ARCH_CONSOLE_H

/* Write one byte, waiting for the transmitter. "\n" is sent as-is; the
 * console layer adds "\r". */
void arch_console_putc(char c);

/* Return the next received byte, or -1 at once if none is waiting. */
int arch_console_getc(void);

/* Call `notify` (IRQ context) whenever received bytes are waiting, so
 * readers can sleep instead of polling; the bytes stay for
 * arch_console_getc(), and a reader drains them all before sleeping again.
 * Returns 0, or -ENODEV/-ENOSYS when the console has no usable receive
 * interrupt (then readers poll). Process context, once. */
int arch_console_rx_notify(void (*notify)(void));

#endif
