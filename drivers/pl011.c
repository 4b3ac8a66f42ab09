/*
 * PL011 UART driver (polled). QEMU and U-Boot leave the line configured
 * (115200 8N1 on real boards); we only make sure it is enabled and never
 * touch the baud rate.
 */
#include <drivers/pl011.h>

#define UART_DR	  0x00
#define UART_FR	  0x18
#define UART_CR	  0x30
#define UART_IMSC 0x38
#define IMSC_RX	  ((1u << 4) | (1u << 6)) /* receive, receive timeout */

#define FR_RXFE	  (1u << 4)
#define FR_TXFF	  (1u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE	  (1u << 8)
#define CR_RXE	  (1u << 9)

static volatile uint32_t *uart;

static inline uint32_t reg_read(unsigned off)
{
	return uart[off / 4];
}

static inline void reg_write(unsigned off, uint32_t v)
{
	uart[off / 4] = v;
}

void pl011_init(uintptr_t base)
{
	uart = (volatile uint32_t *)base;
	uint32_t cr = reg_read(UART_CR);
	uint32_t want = CR_UARTEN | CR_TXE | CR_RXE;
	if ((cr & want) != want)
		reg_write(UART_CR, cr | want);
	reg_write(UART_IMSC, 0); /* polled: no interrupts */
}

void pl011_putc(char c)
{
	if (!uart)
		return;
	while (reg_read(UART_FR) & FR_TXFF)
		;
	reg_write(UART_DR, (uint8_t)c);
}

static volatile int rx_irq_wanted;

int pl011_getc(void)
{
	if (!uart)
		return -1;
	if (reg_read(UART_FR) & FR_RXFE) {
		/* Drained: a byte arriving from now on interrupts again. */
		if (rx_irq_wanted)
			reg_write(UART_IMSC, IMSC_RX);
		return -1;
	}
	return (int)(reg_read(UART_DR) & 0xff);
}

void pl011_rx_irq_want(int want)
{
	rx_irq_wanted = want;
	if (uart)
		reg_write(UART_IMSC, want ? IMSC_RX : 0);
}

void pl011_rx_irq_mask(void)
{
	if (uart)
		reg_write(UART_IMSC, 0);
}
