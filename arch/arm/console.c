/* The ARM early console is the PL011 (drivers/pl011.c). */
#include <arch/console.h>
#include <drivers/pl011.h>

void arch_console_putc(char c)
{
	pl011_putc(c);
}

int arch_console_getc(void)
{
	return pl011_getc();
}
