/*
 * ARM PrimeCell PL011 UART, polled. Used as the ARM early console: no IRQs,
 * no locks, usable from exception handlers and before memory management.
 */
#ifndef DRIVERS_PL011_H
#define DRIVERS_PL011_H

#include <stdint.h>

/* Use the UART at physical (= virtual, identity-mapped) address `base`,
 * enabling its transmitter and receiver if the loader left them off. */
void pl011_init(uintptr_t base);

/* Send one byte, waiting while the transmit FIFO is full. */
void pl011_putc(char c);

/* The next received byte, or -1 at once if none is waiting. */
int pl011_getc(void);

#endif
