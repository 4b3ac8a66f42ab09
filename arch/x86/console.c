/*
 * The x86 early console is COM1 (16550); the VGA text screen mirrors it when
 * configured.
 */
#include <arch/console.h>
#include <drivers/uart16550.h>
#include <drivers/vga_text.h>
#include <arch/ops.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <mm/dma.h>
#include <mm/mm.h>

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

#define VGA_TEXT_PHYS 0xb8000u
#define VGA_TEXT_BYTES (80u * 25u * 2u)

/* From here on the console reaches the text buffer through a DMA window,
 * as the design does for device memory; the identity mapping of low memory
 * stays for VM86. */
void arch_mm_ready(void)
{
#ifdef CONFIG_X86_VGA_CONSOLE
	if (!mm_virtual_memory())
		return;
	void *w = dma_map(VGA_TEXT_PHYS, VGA_TEXT_BYTES, DMA_UNCACHED);
	if (w)
		vga_text_set_buffer(w);
	else
		printk("vga: no DMA window for the text buffer; staying on the "
		       "identity mapping\n");
#endif
}
