/* 16550 UART (PC COM ports and many boards' consoles). Polled. */
#ifndef DRIVERS_UART16550_H
#define DRIVERS_UART16550_H

#include <stdbool.h>
#include <stdint.h>

/* How the board reaches the UART's registers: `reg` is the register
 * number (0-7), `base` the UART's address on that bus. */
struct uart16550_bus {
	uint8_t (*read8)(uintptr_t base, unsigned reg);
	void (*write8)(uintptr_t base, unsigned reg, uint8_t value);
};

struct uart16550 {
	const struct uart16550_bus *bus;
	uintptr_t base;
	bool present; /* false if nothing answered at `base` */
};

/* Program 8N1 at `baud`, FIFOs on, IRQs off. Marks the port absent if the
 * scratch register does not hold a value (no UART there); output to an
 * absent port is dropped instead of spinning forever. */
void uart16550_init(struct uart16550 *u, const struct uart16550_bus *bus,
		    uintptr_t base, unsigned baud);
void uart16550_putc(struct uart16550 *u, char c);
/* The next received byte, or -1 at once if none. */
int uart16550_getc(struct uart16550 *u);

/* Raise the port's IRQ line while received data is waiting (IER bit 0,
 * and OUT2, which gates the line on PCs). -ENODEV if absent. */
int uart16550_enable_rx_irq(struct uart16550 *u);

/* In the IRQ handler: read the interrupt identification (clears a
 * pending transmit-empty cause; received data stays until read). */
void uart16550_irq_ack(struct uart16550 *u);

#endif
