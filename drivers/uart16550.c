/*
 * 16550 UART driver (polled).
 */
#include <arch/pio.h>
#include <drivers/uart16550.h>
#include <lib/err.h>

#define UART_CLOCK 115200u

enum {
	REG_DATA = 0, /* DLAB=0: RBR/THR; DLAB=1: divisor low */
	REG_IER = 1,  /* DLAB=1: divisor high */
	REG_FCR = 2,
	REG_LCR = 3,
	REG_MCR = 4,
	REG_LSR = 5,
	REG_SCRATCH = 7,
};

#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define LCR_DLAB 0x80
#define LCR_8N1 0x03

void uart16550_init(struct uart16550 *u, uint16_t base, unsigned baud)
{
	u->base = base;
	outb(base + REG_SCRATCH, 0x5a);
	u->present = inb(base + REG_SCRATCH) == 0x5a;
	if (!u->present)
		return;

	unsigned divisor = baud ? UART_CLOCK / baud : 1;
	if (divisor == 0)
		divisor = 1;
	outb(base + REG_IER, 0);
	outb(base + REG_LCR, LCR_DLAB);
	outb(base + REG_DATA, divisor & 0xff);
	outb(base + REG_IER, (divisor >> 8) & 0xff);
	outb(base + REG_LCR, LCR_8N1);
	outb(base + REG_FCR, 0xc7); /* enable + clear FIFOs, 14-byte trigger */
	outb(base + REG_MCR, 0x03); /* DTR, RTS */
}

void uart16550_putc(struct uart16550 *u, char c)
{
	if (!u->present)
		return;
	/* Bounded wait: a wedged UART must not hang the kernel. */
	for (int spins = 0; spins < 1000000; spins++) {
		if (inb(u->base + REG_LSR) & LSR_THR_EMPTY)
			break;
	}
	outb(u->base + REG_DATA, (uint8_t)c);
}

int uart16550_getc(struct uart16550 *u)
{
	if (!u->present || !(inb(u->base + REG_LSR) & LSR_DATA_READY))
		return -1;
	return inb(u->base + REG_DATA);
}

int uart16550_enable_rx_irq(struct uart16550 *u)
{
	if (!u->present)
		return -ENODEV;
	outb(u->base + REG_MCR, 0x0b); /* DTR, RTS, OUT2 */
	outb(u->base + REG_IER, 0x01); /* received data available */
	return 0;
}

void uart16550_irq_ack(struct uart16550 *u)
{
	(void)inb(u->base + REG_FCR); /* IIR when read */
}
