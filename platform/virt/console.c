/* The ARM early console is the PL011 (drivers/pl011.c). */
#include <arch/arm_platform.h>
#include <arch/console.h>
#include <arch/irq.h>
#include <drivers/pl011.h>
#include <lib/err.h>

void arch_console_putc(char c)
{
	pl011_putc(c);
}

int arch_console_getc(void)
{
	return pl011_getc();
}

static void (*rx_notify)(void);

/* Level triggered: mask the UART's receive interrupts until the reader
 * has drained the FIFO (pl011_getc unmasks them). */
static void uart_irq(unsigned irq, void *arg)
{
	pl011_rx_irq_mask();
	if (rx_notify)
		rx_notify();
}

int arch_console_rx_notify(void (*notify)(void))
{
	if (!arm_platform.uart_irq)
		return -ENODEV;
	rx_notify = notify;
	int rc = arch_irq_attach(arm_platform.uart_irq, uart_irq, NULL);
	if (rc == 0)
		pl011_rx_irq_want(1);
	return rc;
}
