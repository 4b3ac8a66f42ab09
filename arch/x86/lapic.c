/*
 * The local APIC (lapic.h). Registers are 32-bit, 16-byte apart, in one
 * uncached page mapped through a DMA window (the kernel identity-maps only
 * its own memory); the address comes from the board (the MADT's, else the
 * IA32_APIC_BASE MSR's). Every CPU's APIC answers at that address, so the
 * one window serves them all.
 *
 * The timer is calibrated once on the boot CPU against the PIT (channel 2
 * as a polled one-shot, the PIT's crystal behind arch_time_ns too): the
 * bus clock is common to all CPUs, so the count rate holds for the
 * secondaries' timers too.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <arch/x86.h>
#include <arch/x86_platform.h>
#include <kernel/printk.h>
#include <lib/err.h>
#include <mm/dma.h>

#include "lapic.h"
#include "percpu.h"

#define LAPIC_ID	 0x020
#define LAPIC_VERSION	 0x030
#define LAPIC_TPR	 0x080
#define LAPIC_EOI	 0x0b0
#define LAPIC_SVR	 0x0f0
#define LAPIC_ESR	 0x280
#define LAPIC_ICR_LO	 0x300
#define LAPIC_ICR_HI	 0x310
#define LAPIC_LVT_TIMER	 0x320
#define LAPIC_LVT_LINT0	 0x350
#define LAPIC_LVT_LINT1	 0x360
#define LAPIC_LVT_ERROR	 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR	 0x390
#define LAPIC_TIMER_DIV	 0x3e0

#define SVR_ENABLE	  0x100u
#define LVT_MASKED	  0x10000u
#define LVT_EXTINT	  0x700u
#define LVT_NMI		  0x400u
#define LVT_PERIODIC	  0x20000u
#define ICR_PENDING	  0x1000u
#define TIMER_DIV_16	  0x3u
#define MSR_APIC_BASE	  0x1b
#define APIC_BASE_ENABLE  (1u << 11)
#define CPUID_EDX_APIC	  (1u << 9)
#define CALIBRATE_MS	  50
#define CALIBRATE_SAMPLES 3
#define ICR_WAIT_LOOPS	  1000000u

static volatile uint32_t *regs;
static uint64_t timer_hz;

static uint32_t rd(unsigned reg)
{
	return regs[reg / 4];
}

static void wr(unsigned reg, uint32_t v)
{
	regs[reg / 4] = v;
}

uint32_t lapic_id(void)
{
	return rd(LAPIC_ID) >> 24;
}

uint32_t lapic_error_status(void)
{
	wr(LAPIC_ESR, 0); /* latch, then read */
	return rd(LAPIC_ESR);
}

static void eoi(void)
{
	wr(LAPIC_EOI, 0);
}

/* The state every CPU's APIC gets; the boot CPU then unmasks the wires. */
static void setup_local(bool boot)
{
	wr(LAPIC_TPR, 0);
	wr(LAPIC_LVT_TIMER, LVT_MASKED | LAPIC_VECTOR_TIMER);
	wr(LAPIC_TIMER_INIT, 0);
	wr(LAPIC_LVT_ERROR, LVT_MASKED | LAPIC_VECTOR_SPURIOUS);
	/* Virtual wire: the 8259's INTR reaches the boot CPU through LINT0
	 * as ExtINT (the PIC supplies the vector, no APIC EOI), and NMI
	 * through LINT1; the secondaries ignore both. */
	wr(LAPIC_LVT_LINT0, boot ? LVT_EXTINT : LVT_MASKED | LVT_EXTINT);
	wr(LAPIC_LVT_LINT1, boot ? LVT_NMI : LVT_MASKED | LVT_NMI);
	wr(LAPIC_SVR, SVR_ENABLE | LAPIC_VECTOR_SPURIOUS);
	lapic_error_status();
	lapic_error_status();
	eoi(); /* nothing should be in service; harmless if not */
}

void lapic_timer_free_run(void)
{
	wr(LAPIC_TIMER_DIV, TIMER_DIV_16);
	wr(LAPIC_LVT_TIMER, LVT_MASKED | LAPIC_VECTOR_TIMER);
	wr(LAPIC_TIMER_INIT, 0xffffffffu);
}

uint32_t lapic_timer_count(void)
{
	return rd(LAPIC_TIMER_CUR);
}

/* Count the timer over CALIBRATE_MS of the board's reference clock (the
 * PIT's channel 2, polled with IRQs off: no interrupt latency enters, which
 * made a tick-based count 20% off under TCG). Under emulation the virtual
 * CPU can still be descheduled between reading the count and starting the
 * PIT, which only adds counts: of CALIBRATE_SAMPLES tries the one that
 * took the fewest TSC cycles is kept (one was seen 7x too long on a loaded
 * host). */
int lapic_timer_measure(uint64_t *hz)
{
	uint64_t best_cycles = ~0ull;
	uint32_t best = 0;

	for (unsigned i = 0; i < CALIBRATE_SAMPLES; i++) {
		lapic_timer_free_run();
		irq_state_t s = arch_irq_save();
		uint64_t t0 = arch_cycles();
		uint32_t c0 = lapic_timer_count();
		int rc = x86_platform_pit_wait_ms(CALIBRATE_MS);
		uint32_t c1 = lapic_timer_count();
		uint64_t cycles = arch_cycles() - t0;
		arch_irq_restore(s);
		wr(LAPIC_TIMER_INIT, 0);
		if (rc < 0)
			return rc;
		if (c1 >= c0)
			return -EIO;
		if (cycles < best_cycles) {
			best_cycles = cycles;
			best = c0 - c1;
		}
	}
	*hz = (uint64_t)best * 1000 / CALIBRATE_MS;
	return 0;
}

static int calibrate(void)
{
	int rc = lapic_timer_measure(&timer_hz);
	if (rc < 0) {
		timer_hz = 0;
		printk("lapic: timer calibration failed: %s\n",
		       rc == -EIO ? "the PIT or the APIC timer does not count"
				  : err_name(rc));
		return -EIO;
	}
	printk("lapic: timer %llu Hz (bus clock / 16), calibrated over %u ms "
	       "of PIT channel 2 (best of %u)\n",
	       (unsigned long long)timer_hz, CALIBRATE_MS, CALIBRATE_SAMPLES);
	return 0;
}

int lapic_init_boot(void)
{
	uint32_t a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	if (!(d & CPUID_EDX_APIC)) {
		printk("lapic: this CPU has no local APIC\n");
		return -ENODEV;
	}
	uint64_t msr = rdmsr(MSR_APIC_BASE);
	uint64_t base = x86_platform_lapic_base();
	if (!(msr & APIC_BASE_ENABLE)) {
		printk("lapic: disabled in IA32_APIC_BASE (%#llx)\n",
		       (unsigned long long)msr);
		return -ENODEV;
	}
	if (!base)
		base = msr & 0xfffff000u;
	if (base != (msr & 0xfffff000u))
		printk("lapic: the firmware table says %#llx, the MSR %#llx; "
		       "using the table's\n",
		       (unsigned long long)base,
		       (unsigned long long)(msr & 0xfffff000u));
	regs = dma_map(base, 4096, DMA_UNCACHED);
	if (!regs) {
		printk("lapic: cannot map %#llx: %s\n",
		       (unsigned long long)base, kernel_dma.last_error);
		return -ENOMEM;
	}
	setup_local(true);
	printk("lapic: at %#llx, id %u, version %#x\n",
	       (unsigned long long)base, lapic_id(), rd(LAPIC_VERSION) & 0xff);
	return calibrate();
}

void lapic_init_secondary(void)
{
	setup_local(false);
}

static int wait_idle(void)
{
	for (unsigned i = 0; i < ICR_WAIT_LOOPS; i++) {
		if (!(rd(LAPIC_ICR_LO) & ICR_PENDING))
			return 0;
		__asm__ volatile("pause");
	}
	return -EIO;
}

int lapic_send(uint32_t dest, uint32_t icr)
{
	/* IRQs off: a handler's IPI between the two ICR writes would
	 * change the destination of this one. */
	irq_state_t s = arch_irq_save();
	int rc = wait_idle();
	if (rc == 0) {
		wr(LAPIC_ICR_HI, dest << 24);
		wr(LAPIC_ICR_LO, icr);
		rc = wait_idle();
	}
	arch_irq_restore(s);
	return rc;
}

uint64_t lapic_timer_hz(void)
{
	return timer_hz;
}

int lapic_timer_start(unsigned hz, timer_tick_fn tick)
{
	if (!timer_hz)
		return -ENODEV;
	if (hz == 0 || timer_hz / hz == 0 || timer_hz / hz > 0xffffffffull)
		return -EINVAL;
	irq_state_t s = arch_irq_save();
	x86_this_cpu()->tick = tick;
	wr(LAPIC_TIMER_DIV, TIMER_DIV_16);
	wr(LAPIC_LVT_TIMER, LVT_PERIODIC | LAPIC_VECTOR_TIMER);
	wr(LAPIC_TIMER_INIT, (uint32_t)(timer_hz / hz));
	arch_irq_restore(s);
	return 0;
}

void lapic_timer_save(struct lapic_timer_state *st)
{
	irq_state_t s = arch_irq_save();
	st->lvt = rd(LAPIC_LVT_TIMER);
	st->div = rd(LAPIC_TIMER_DIV);
	st->init = rd(LAPIC_TIMER_INIT);
	st->tick = x86_this_cpu()->tick;
	arch_irq_restore(s);
}

void lapic_timer_restore(const struct lapic_timer_state *st)
{
	irq_state_t s = arch_irq_save();
	x86_this_cpu()->tick = st->tick;
	wr(LAPIC_TIMER_DIV, st->div);
	wr(LAPIC_LVT_TIMER, st->lvt);
	wr(LAPIC_TIMER_INIT, st->init);
	arch_irq_restore(s);
}

void lapic_timer_stop(void)
{
	irq_state_t s = arch_irq_save();
	wr(LAPIC_LVT_TIMER, LVT_MASKED | LAPIC_VECTOR_TIMER);
	wr(LAPIC_TIMER_INIT, 0);
	x86_this_cpu()->tick = NULL;
	arch_irq_restore(s);
}

void lapic_interrupt(unsigned vector)
{
	struct x86_cpu *c = x86_this_cpu();

	if (vector == LAPIC_VECTOR_SPURIOUS)
		return; /* no EOI for a spurious interrupt */
	if (vector == LAPIC_VECTOR_TLB) {
		x86_tlb_serve();
		eoi();
		return;
	}
	if (vector == LAPIC_VECTOR_TIMER) {
		c->lapic_ticks++;
		if (c->tick)
			c->tick();
		eoi();
		kernel_irq_exit();
		return;
	}
	if (vector >= LAPIC_VECTOR_IPI_BASE &&
	    vector < LAPIC_VECTOR_IPI_BASE + SMP_IPI_KINDS) {
		eoi();
		smp_ipi_received(
			(enum smp_ipi)(vector - LAPIC_VECTOR_IPI_BASE));
		kernel_irq_exit();
		return;
	}
	eoi();
	printk("lapic: cpu %u: unexpected vector %#x\n", c->id, vector);
}
