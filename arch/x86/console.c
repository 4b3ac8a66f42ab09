/*
 * The x86 early console is COM1 (16550); the VGA text screen mirrors it when
 * configured.
 */
#include <arch/console.h>
#include <drivers/uart16550.h>
#include <drivers/vga_text.h>
#include <kernel/console.h>

#include "x86_internal.h"

#define COM1 0x3f8

static struct uart16550 com1;

void x86_console_init(void)
{
	uart16550_init(&com1, COM1, CONFIG_X86_SERIAL_BAUD);
#ifdef CONFIG_X86_VGA_CONSOLE
	vga_text_console_init((void *)0xb8000);
#endif
}

void arch_console_putc(char c)
{
	uart16550_putc(&com1, c);
}

int arch_console_getc(void)
{
	return uart16550_getc(&com1);
}
