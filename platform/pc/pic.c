/*
 * The two 8259A PICs, remapped to vectors 32-47 (the CPU reserves 0-31), and
 * the IRQ-line half of the arch interface.
 */
#include <arch/irq.h>
#include <arch/pio.h>
#include <kernel/irq_lines.h>
#include <kernel/printk.h>
#include <lib/err.h>

#include <arch/x86_platform.h>

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIC_EOI		0x20
#define PIC_IRQS	16
#define PIC_CASCADE_IRQ 2

static struct irq_line irq_lines[PIC_IRQS];

void pic_init(void)
{
	/* ICW1: init + ICW4 needed; ICW2: vector base; ICW3: cascade on
	 * IRQ2; ICW4: 8086 mode. Then mask everything but the cascade. */
	outb(PIC1_CMD, 0x11);
	io_wait();
	outb(PIC2_CMD, 0x11);
	io_wait();
	outb(PIC1_DATA, 32);
	io_wait();
	outb(PIC2_DATA, 40);
	io_wait();
	outb(PIC1_DATA, 1 << PIC_CASCADE_IRQ);
	io_wait();
	outb(PIC2_DATA, 2);
	io_wait();
	outb(PIC1_DATA, 0x01);
	io_wait();
	outb(PIC2_DATA, 0x01);
	io_wait();
	outb(PIC1_DATA, (uint8_t) ~(1u << PIC_CASCADE_IRQ));
	outb(PIC2_DATA, 0xff);
}

void pic_mask(unsigned irq)
{
	uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;
	outb(port, inb(port) | (uint8_t)(1u << (irq & 7)));
}

void pic_unmask(unsigned irq)
{
	uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;
	outb(port, inb(port) & (uint8_t) ~(1u << (irq & 7)));
}

void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

/* Is the in-service bit set for `irq`? Tells a real IRQ 7/15 from a spurious
 * one, which must not be acknowledged. */
static bool pic_in_service(unsigned irq)
{
	uint16_t cmd = irq < 8 ? PIC1_CMD : PIC2_CMD;
	outb(cmd, 0x0b); /* OCW3: read ISR */
	return (inb(cmd) >> (irq & 7)) & 1;
}

void x86_irq_dispatch(unsigned irq)
{
	if ((irq == 7 || irq == 15) && !pic_in_service(irq)) {
		if (irq == 15)
			outb(PIC1_CMD, PIC_EOI); /* the master did see it */
		return;
	}
	/* Acknowledge first: a handler may switch context and not come back
	 * here for a while. */
	pic_eoi(irq);
	irq_line_run(&irq_lines[irq], irq);
	kernel_irq_exit();
}

int arch_irq_attach(unsigned irq, irq_handler_t handler, void *arg)
{
	if (irq >= PIC_IRQS || irq == PIC_CASCADE_IRQ)
		return -EINVAL;
	return irq_line_attach(&irq_lines[irq], irq, handler, arg, pic_unmask);
}

int arch_irq_detach(unsigned irq)
{
	if (irq >= PIC_IRQS || irq == PIC_CASCADE_IRQ)
		return -EINVAL;
	irq_line_detach(&irq_lines[irq], irq, pic_mask);
	return 0;
}

unsigned long arch_irq_count(unsigned irq)
{
	return irq < PIC_IRQS ? irq_lines[irq].count : 0;
}
