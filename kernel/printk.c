/*
 * printk: format into a bounded buffer, then write to the consoles.
 * IRQs are held off across the write so lines from an interrupt handler do
 * not interleave with a line in progress. The host test build compiles
 * this file too, over a console of its own (tests/host/host_printk.c).
 */
#include <arch/irq.h>
#include <kernel/console.h>
#include <kernel/printk.h>

static int quiet;

void printk_set_quiet(int q)
{
	quiet = q;
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len = n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1;

	if (quiet)
		return n;
	irq_state_t s = console_lock_irqsave();
	console_write_kernel(buf, len);
	if ((size_t)n > len)
		console_write_kernel("[...]\n", 6);
	console_unlock_irqrestore(s);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
