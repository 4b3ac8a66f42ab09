/*
 * The console and panic of the host test build. The kernel's own printk
 * (kernel/printk.c, a host unit) formats; its text arrives here and is
 * printed as KTAP diagnostics, so kernel code under test may log without
 * breaking the TAP stream. panic() aborts, which fails the run loudly.
 */
#include <kernel/console.h>
#include <kernel/printk.h>
#include <stdio.h>
#include <stdlib.h>

/* Host tests print from one thread at a time: the console lock is a
 * no-op. */
irq_state_t console_lock_irqsave(void)
{
	return 0;
}

void console_unlock_irqrestore(irq_state_t s)
{
	(void)s;
}

/* One diagnostic line per write (printk writes each message at once). */
void console_write_kernel(const char *s, size_t n)
{
	fputs("    # printk: ", stdout);
	fwrite(s, 1, n, stdout);
	if (n == 0 || s[n - 1] != '\n')
		fputc('\n', stdout);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	fputs("KERNEL PANIC (host test): ", stdout);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	fflush(stdout);
	abort();
}
