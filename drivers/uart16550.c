/*
 * 16550 UART driver (polled). Registers are reached through the bus the
 * board gives (port I/O on a PC, memory-mapped elsewhere), so the driver
 * holds no CPU-specific instruction.
 */
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
#define LSR_THR_EMPTY  0x20
#define LCR_DLAB       0x80
#define LCR_8N1	       0x03

static uint8_t rd(struct uart16550 *u, unsigned reg)
{
	return u->bus->read8(u->base, reg);
}

static void wr(struct uart16550 *u, unsigned reg, uint8_t v)
{
	u->bus->write8(u->base, reg, v);
}

void uart16550_init(struct uart16550 *u, const struct uart16550_bus *bus,
		    uintptr_t base, unsigned baud)
{
	u->bus = bus;
	u->base = base;
	wr(u, REG_SCRATCH, 0x5a);
	u->present = rd(u, REG_SCRATCH) == 0x5a;
	if (!u->present)
		return;

	unsigned divisor = baud ? UART_CLOCK / baud : 1;
	if (divisor == 0)
		divisor = 1;
	wr(u, REG_IER, 0);
	wr(u, REG_LCR, LCR_DLAB);
	wr(u, REG_DATA, divisor & 0xff);
	wr(u, REG_IER, (divisor >> 8) & 0xff);
	wr(u, REG_LCR, LCR_8N1);
	wr(u, REG_FCR, 0xc7); /* enable + clear FIFOs, 14-byte trigger */
	wr(u, REG_MCR, 0x03); /* DTR, RTS */
}

void uart16550_putc(struct uart16550 *u, char c)
{
	if (!u->present)
		return;
	/* Bounded wait: a wedged UART must not hang the kernel. */
	for (int spins = 0; spins < 1000000; spins++) {
		if (rd(u, REG_LSR) & LSR_THR_EMPTY)
			break;
	}
	wr(u, REG_DATA, (uint8_t)c);
}

int uart16550_getc(struct uart16550 *u)
{
	if (!u->present || !(rd(u, REG_LSR) & LSR_DATA_READY))
		return -1;
	return rd(u, REG_DATA);
}

int uart16550_enable_rx_irq(struct uart16550 *u)
{
	if (!u->present)
		return -ENODEV;
	wr(u, REG_MCR, 0x0b); /* DTR, RTS, OUT2 */
	wr(u, REG_IER, 0x01); /* received data available */
	return 0;
}

void uart16550_irq_ack(struct uart16550 *u)
{
	(void)rd(u, REG_FCR); /* IIR when read */
}
