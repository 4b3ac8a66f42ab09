/*
 * GICv2 (QEMU virt: distributor 0x08000000, CPU interface 0x08010000, or
 * where the DTB says): every interrupt group 0, level-triggered SPIs routed
 * to CPU 0. arch_irq_attach() takes a GIC interrupt ID: PPIs 16-31 (the
 * timers) and SPIs 32..lines-1; SGIs 0-15 are not attachable: they are the
 * IPIs (<arch/smp.h>), sent with arm_gic_send_sgi.
 *
 * With several cores the distributor is shared, while the CPU interface
 * and the distributor's registers for IDs 0-31 (enables, priorities) are
 * banked: each core sets up its own copy (arm_gic_cpu_init). An attached
 * PPI (the timer) is enabled on the attaching core; the others enable
 * theirs (arm_gic_enable_local).
 */
#include <arch/arm_platform.h>
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/smp.h>
#include <kernel/cpus.h>
#include <kernel/irq_lines.h>
#include <kernel/printk.h>
#include <lib/err.h>

#define GICD_CTLR	0x000
#define GICD_TYPER	0x004
#define GICD_ISENABLER	0x100
#define GICD_ICENABLER	0x180
#define GICD_ICPENDR	0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR	0x800
#define GICD_ICFGR	0xc00
#define GICD_SGIR	0xf00
#define GICD_SGIR_SELF	(2u << 24) /* TargetListFilter: the sender only */

#define GICC_CTLR 0x00
#define GICC_PMR  0x04
#define GICC_BPR  0x08
#define GICC_IAR  0x0c
#define GICC_EOIR 0x10

#define GIC_MAX_IRQS	     1020
#define GIC_FIRST_ATTACHABLE 16
#define GIC_SPURIOUS	     1020
#define GIC_PRIORITY	     0xa0

static uintptr_t gicd, gicc;
static unsigned lines;
static struct irq_line slots[GIC_MAX_IRQS];
static unsigned long spurious;
/* Per kernel CPU: its CPU-interface bit, and the SGIs it took (each entry
 * written only by its own core). */
static uint8_t cpu_mask[CONFIG_NR_CPUS];
static unsigned long sgis[CONFIG_NR_CPUS][16];

unsigned arm_gic_lines(void)
{
	return lines;
}

/*
 * Reset the distributor and this CPU's interface: every line disabled,
 * cleared, middle priority, routed to CPU 0; then both enabled with the
 * priority mask open.
 */
void arm_gic_init(uintptr_t dist, uintptr_t cpu)
{
	gicd = dist;
	gicc = cpu;
	mmio_write32(gicd + GICD_CTLR, 0);
	lines = 32 * ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1);
	if (lines > GIC_MAX_IRQS)
		lines = GIC_MAX_IRQS;

	for (unsigned i = 0; i < lines; i += 32) {
		mmio_write32(gicd + GICD_ICENABLER + i / 8, 0xffffffffu);
		mmio_write32(gicd + GICD_ICPENDR + i / 8, 0xffffffffu);
	}
	for (unsigned i = 0; i < lines; i += 4) {
		mmio_write32(gicd + GICD_IPRIORITYR + i,
			     0x01010101u * GIC_PRIORITY);
		if (i >= 32) /* SPIs: to CPU 0; SGI/PPI targets are read-only */
			mmio_write32(gicd + GICD_ITARGETSR + i, 0x01010101u);
	}
	for (unsigned i = 32; i < lines; i += 16) /* SPIs level-triggered */
		mmio_write32(gicd + GICD_ICFGR + i / 4, 0);
	/* SGIs on: nothing sends them on one CPU, but the tests send one
	 * to this core in every build. */
	mmio_write32(gicd + GICD_ISENABLER, 0xffffu);
	mmio_write32(gicd + GICD_CTLR, 1);

	mmio_write32(gicc + GICC_PMR, 0xf0);
	mmio_write32(gicc + GICC_BPR, 0);
	mmio_write32(gicc + GICC_CTLR, 1);
}

unsigned arm_gic_cpu_init(unsigned cpu)
{
	unsigned mask = 0;

	/* Reads of ITARGETSR0-7 give the reading core's own bit in every
	 * byte (GICv2 4.3.12); QEMU answers so only for IDs 29-31, so OR
	 * them all. A uniprocessor GIC reads 0. */
	for (unsigned i = 0; i < 32; i += 4) {
		uint32_t v = mmio_read32(gicd + GICD_ITARGETSR + i);
		mask |= (v | v >> 8 | v >> 16 | v >> 24) & 0xffu;
	}
	if (mask & (mask - 1))
		mask = 0; /* not one bit: not a target we can name */
	for (unsigned i = 0; i < 32; i += 4)
		mmio_write32(gicd + GICD_IPRIORITYR + i,
			     0x01010101u * GIC_PRIORITY);
	mmio_write32(gicd + GICD_ISENABLER, 0xffffu); /* SGIs 0-15 */
	mmio_write32(gicc + GICC_PMR, 0xf0);
	mmio_write32(gicc + GICC_BPR, 0);
	mmio_write32(gicc + GICC_CTLR, 1);
	if (cpu < CONFIG_NR_CPUS)
		cpu_mask[cpu] = (uint8_t)mask;
	return mask;
}

unsigned arm_gic_cpu_mask(unsigned cpu)
{
	return cpu < CONFIG_NR_CPUS ? cpu_mask[cpu] : 0;
}

bool arm_gic_send_sgi(unsigned cpu, unsigned id)
{
	unsigned mask = arm_gic_cpu_mask(cpu);

	if (!mask || id > 15)
		return false;
	/* mmio_write32's `dsb st` puts the sender's earlier stores (what
	 * the SGI asks the receiver to look at) before the SGI. */
	mmio_write32(gicd + GICD_SGIR, (uint32_t)mask << 16 | id);
	return true;
}

void arm_gic_send_sgi_self(unsigned id)
{
	mmio_write32(gicd + GICD_SGIR, GICD_SGIR_SELF | (id & 15));
}

unsigned long arm_gic_sgi_count(unsigned cpu, unsigned id)
{
	if (cpu >= CONFIG_NR_CPUS || id > 15)
		return 0;
	return __atomic_load_n(&sgis[cpu][id], __ATOMIC_RELAXED);
}

void arm_gic_enable_local(unsigned irq)
{
	if (irq < 32)
		mmio_write32(gicd + GICD_ISENABLER, 1u << irq);
}

static void gic_mask(unsigned irq, bool on)
{
	mmio_write32(gicd + (on ? GICD_ISENABLER : GICD_ICENABLER) +
			     4 * (irq / 32),
		     1u << (irq % 32));
}

static void gic_unmask_line(unsigned irq)
{
	gic_mask(irq, true);
}

static void gic_mask_line(unsigned irq)
{
	gic_mask(irq, false);
}

int arch_irq_attach(unsigned irq, irq_handler_t handler, void *arg)
{
	if (irq < GIC_FIRST_ATTACHABLE || irq >= lines)
		return -EINVAL;
	return irq_line_attach(&slots[irq], irq, handler, arg, gic_unmask_line);
}

int arch_irq_detach(unsigned irq)
{
	if (irq < GIC_FIRST_ATTACHABLE || irq >= lines)
		return -EINVAL;
	irq_line_detach(&slots[irq], irq, gic_mask_line);
	return 0;
}

unsigned long arch_irq_count(unsigned irq)
{
	return irq < GIC_MAX_IRQS ? slots[irq].count : 0;
}

/* Called by the IRQ vector with IRQs masked: acknowledge, run the handler,
 * signal end of interrupt. An unattached line is masked and reported once
 * so it cannot storm. */
void arm_irq_dispatch(void)
{
	uint32_t iar = mmio_read32(gicc + GICC_IAR);
	unsigned irq = iar & 0x3ff;

	if (irq >= GIC_SPURIOUS) {
		__atomic_fetch_add(&spurious, 1, __ATOMIC_RELAXED);
		return;
	}
	if (irq < GIC_FIRST_ATTACHABLE) {
		/* An SGI: end it first, so one sent again while its work
		 * runs is taken afterwards, not lost. */
		unsigned me = arch_cpu_id();
		mmio_write32(gicc + GICC_EOIR, iar);
		if (me < CONFIG_NR_CPUS)
			__atomic_fetch_add(&sgis[me][irq], 1, __ATOMIC_RELAXED);
		if (irq < SMP_IPI_KINDS)
			smp_ipi_received((enum smp_ipi)irq);
		kernel_irq_exit();
		return;
	}
	if (!irq_line_run(&slots[irq], irq)) {
		gic_mask(irq, false);
		printk("arm: interrupt %u with no handler; masked\n", irq);
	}
	mmio_write32(gicc + GICC_EOIR, iar);
	kernel_irq_exit(); /* may switch processes: the GIC is done with it */
}
