/*
 * ARM PrimeCell PL011 UART. Used as the ARM early console: polled output,
 * no locks, usable from exception handlers and before memory management;
 * input may also raise the receive interrupt for sleeping readers.
 */
#ifndef DRIVERS_PL011_H
#define DRIVERS_PL011_H

#include <stdint.h>

/* Use the UART at physical (= virtual, identity-mapped) address `base`,
 * enabling its transmitter and receiver if the loader left them off. */
void pl011_init(uintptr_t base);

/* Send one byte, waiting while the transmit FIFO is full. */
void pl011_putc(char c);

/* The next received byte, or -1 at once if none is waiting. Once the
 * receive interrupt is wanted, finding the FIFO empty unmasks it again. */
int pl011_getc(void);

/* Want (or not) the receive and receive-timeout interrupts. */
void pl011_rx_irq_want(int want);

/* In the IRQ handler: mask the receive interrupts (the line is level
 * triggered and the data stays in the FIFO); pl011_getc() unmasks them
 * when it has drained the FIFO. */
void pl011_rx_irq_mask(void);

#endif
