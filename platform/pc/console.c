/*
 * The x86 early console is COM1 (16550); the VGA text screen mirrors it
 * when configured, and the PS/2 keyboard is a second input. Once memory
 * management is up, the console may move onto a VESA framebuffer
 * (CONFIG_X86_VESA): the mode comes from vga= on the command line (parsed
 * here), else CONFIG_X86_VIDEO_MODE (test runs: text unless vga=).
 * If VBE fails: the loader's multiboot framebuffer when given, else VGA
 * text; the log says which.
 */
#include <arch/console.h>
#include <arch/irq.h>
#include <arch/ops.h>
#include <drivers/fb_layout.h>
#include <drivers/fbcon.h>
#include <drivers/uart16550.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/kernel.h>
#include <kernel/printk.h>
#include <mm/dma.h>
#include <mm/mm.h>
#include <platform/ps2kbd.h>
#include <platform/vesa.h>
#include <platform/vga_text.h>
#include <string.h>

#include <arch/x86_platform.h>

#include "pc.h"

#define COM1 0x3f8

static struct uart16550 com1;

void x86_console_init(void)
{
	uart16550_init(&com1, &pc_pio_uart_bus, COM1, CONFIG_X86_SERIAL_BAUD);
#ifdef CONFIG_X86_VGA_CONSOLE
	vga_text_console_init((void *)0xb8000);
#endif
#ifdef CONFIG_DRIVER_PS2KBD
	ps2kbd_register();
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

#define COM1_IRQ 4

static void (*rx_notify)(void);

/* Edge-triggered on the PIC: the line stays high while bytes wait, so the
 * next edge comes once the reader has drained the port. */
static void com1_irq(unsigned irq, void *arg)
{
	uart16550_irq_ack(&com1);
	if (rx_notify)
		rx_notify();
}

int arch_console_rx_notify(void (*notify)(void))
{
	rx_notify = notify;
	int rc = uart16550_enable_rx_irq(&com1);
	if (rc < 0)
		return rc;
	return arch_irq_attach(COM1_IRQ, com1_irq, NULL);
}

#define VGA_TEXT_PHYS  0xb8000u
#define VGA_TEXT_BYTES (80u * 25u * 2u)

#ifdef CONFIG_X86_VESA
CMDLINE_OPTION(vga);

/* The video mode asked for: vga=WxHxBPP or vga=text wins; a test run
 * stays in text mode. */
static const char *video_request(void)
{
	static char mode[32]; /* longer is no mode: vesa_parse_mode says so */

	if (cmdline_get(kernel_boot_info, "vga", mode, sizeof(mode)) && mode[0])
		return mode;
	if (cmdline_get(kernel_boot_info, "test", NULL, 0))
		return "text";
	return CONFIG_X86_VIDEO_MODE;
}

/* VBE failed: the loader's framebuffer, if it gave an RGB one. */
bool x86_video_use_multiboot_fb(void)
{
	struct fb fb = x86_multiboot_fb;

	if (!fb.width)
		return false;
	void *w = dma_map(fb.phys, (size_t)fb.pitch * fb.height,
			  DMA_WRITECOMBINE);
	if (!w)
		return false;
	fb.base = w;
	if (fb_validate(&fb) < 0) {
		dma_unmap(w);
		return false;
	}
	if (vga_text_buffer())
		vga_text_set_buffer(NULL);
	fbcon_attach(&fb, fb_layout_draw(&fb));
	return true;
}

static void video_init(void)
{
	const char *mode = video_request();

	if (strcmp(mode, "text") == 0) {
		printk("video: VGA text (vga=text)\n");
		return;
	}
	if (vesa_set_mode_string(mode) == 0) {
		const struct fb *fb = vesa_current();
		printk("video: VESA %ux%ux%u, framebuffer %#llx through a DMA "
		       "window at %p\n",
		       fb->width, fb->height, fb->bpp,
		       (unsigned long long)fb->phys, (void *)fb->base);
		return;
	}
	if (x86_video_use_multiboot_fb()) {
		printk("video: VBE failed for %s; using the boot loader's "
		       "framebuffer %ux%ux%u\n",
		       mode, x86_multiboot_fb.width, x86_multiboot_fb.height,
		       x86_multiboot_fb.bpp);
		return;
	}
	printk("video: VBE failed for %s and the loader gave no framebuffer; "
	       "staying in VGA text\n",
	       mode);
}
#endif

/* From here on the console reaches the text buffer through a DMA window,
 * as the design does for device memory; the identity mapping of low memory
 * stays for VM86. */
void arch_mm_ready(void)
{
	pc_cpus_discover();
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

/* The boot video mode is set here, not in arch_mm_ready(): the BIOS call
 * runs with the tick going, so a BIOS that never returns is aborted by the
 * VM86 monitor's time limit instead of hanging the boot. */
void arch_late_init(void)
{
#ifdef CONFIG_X86_VESA
	if (mm_virtual_memory())
		video_init();
#endif
	if (mm_virtual_memory())
		pc_pci_scan();
}
