/*
 * printk and panic for the host test build. Kernel code under test may log;
 * its lines appear as KTAP diagnostics so they never break the TAP stream.
 * panic() aborts, which fails the run loudly.
 */
#include <kernel/printk.h>
#include <stdio.h>
#include <stdlib.h>

int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	fputs("    # printk: ", stdout);
	fputs(buf, stdout);
	if (n <= 0 || buf[n < (int)sizeof(buf) ? n - 1 : (int)sizeof(buf) - 2] != '\n')
		fputc('\n', stdout);
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

void printk_set_quiet(int quiet)
{
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
