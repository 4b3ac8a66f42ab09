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

#endif
