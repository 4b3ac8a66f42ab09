/*
 * The ARM generic timer: the virtual timer (CNTV_*, PPI 27 on QEMU virt,
 * from the DTB otherwise) gives the tick; the virtual counter CNTVCT at
 * CNTFRQ Hz gives time. The compare value advances by exactly one period
 * per tick, so the tick does not drift with interrupt latency.
 *
 * Every core has its own virtual timer and its own copy of the PPI (banked
 * in the GIC); one handler serves them all, each core with its own state,
 * found by arch_cpu_id(). The boot CPU starts its tick with
 * arch_timer_start, the others with arch_cpu_timer_start (<arch/smp.h>).
 */
#include <arch/arm_platform.h>
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <kernel/cpus.h>
#include <lib/err.h>

#define CNTV_CTL_ENABLE 1u
#define CNTV_CTL_IMASK	2u

/* One core's tick. Only that core writes it (IRQs off). */
struct core_timer {
	timer_tick_fn tick_fn;
	uint64_t period;    /* counter ticks per timer tick */
	uint64_t next_cval; /* compare value of the next tick */
	unsigned long irqs; /* interrupts taken (the tests read it) */
};

static struct core_timer timers[CONFIG_NR_CPUS];
static uint64_t start_count;
static uint32_t freq;
static bool attached;

static void timer_irq(unsigned irq, void *arg)
{
	struct core_timer *ct = &timers[arch_cpu_id()];
	uint64_t now = arm_read_cntvct();
	__atomic_store_n(&ct->irqs, ct->irqs + 1, __ATOMIC_RELAXED);
	/* Catch up without a burst if we fell behind by several periods
	 * (e.g. a long IRQs-off section): one tick call per interrupt. */
	do
		ct->next_cval += ct->period;
	while (ct->next_cval <= now);
	arm_write_cntv_cval(ct->next_cval);
	arm_isb();
	if (ct->tick_fn)
		ct->tick_fn();
}

/* Program this core's virtual timer for a tick at `hz`, IRQs off. */
static void core_timer_program(unsigned hz, timer_tick_fn tick)
{
	struct core_timer *ct = &timers[arch_cpu_id()];

	ct->tick_fn = tick;
	ct->period = freq / hz;
	ct->next_cval = arm_read_cntvct() + ct->period;
	arm_write_cntv_cval(ct->next_cval);
	arm_write_cntv_ctl(CNTV_CTL_ENABLE);
	arm_isb();
}

int arch_timer_start(unsigned hz, timer_tick_fn tick)
{
	freq = arm_read_cntfrq();
	if (hz == 0 || freq == 0 || hz > freq || !tick)
		return -EINVAL;
	irq_state_t s = arch_irq_save();
	start_count = arm_read_cntvct();
	core_timer_program(hz, tick);
	int rc = 0;
	if (!attached) {
		rc = arch_irq_attach(arm_platform.timer_irq, timer_irq, NULL);
		attached = rc == 0;
	}
	if (rc < 0)
		arm_write_cntv_ctl(CNTV_CTL_IMASK);
	arch_irq_restore(s);
	return rc;
}

/* A secondary core's tick: the handler is attached already (by the boot
 * CPU's arch_timer_start); this core enables its own copy of the PPI. The
 * CPU interface was enabled when the core came up (arm_gic_cpu_init). */
int arch_cpu_timer_start(unsigned hz, timer_tick_fn tick)
{
	if (hz == 0 || freq == 0 || hz > freq || !tick)
		return -EINVAL;
	if (!attached)
		return -ENODEV; /* the boot CPU has no tick either */
	irq_state_t s = arch_irq_save();
	core_timer_program(hz, tick);
	arm_gic_enable_local(arm_platform.timer_irq);
	arch_irq_restore(s);
	return 0;
}

void arm_cpu_timer_stop(void)
{
	irq_state_t s = arch_irq_save();
	arm_write_cntv_ctl(CNTV_CTL_IMASK);
	timers[arch_cpu_id()].tick_fn = NULL;
	arch_irq_restore(s);
}

bool arm_cpu_timer_running(unsigned cpu)
{
	return cpu < CONFIG_NR_CPUS &&
	       __atomic_load_n(&timers[cpu].tick_fn, __ATOMIC_RELAXED);
}

unsigned long arm_cpu_timer_irqs(unsigned cpu)
{
	return cpu < CONFIG_NR_CPUS
		       ? __atomic_load_n(&timers[cpu].irqs, __ATOMIC_RELAXED)
		       : 0;
}

uint64_t arch_time_ns(void)
{
	if (!freq)
		return 0;
	uint64_t c = arm_read_cntvct() - start_count;
	return c / freq * 1000000000ull + c % freq * 1000000000ull / freq;
}

uint64_t arch_cycles(void)
{
	return arm_read_cntvct();
}

uint64_t arch_cycles_hz(void)
{
	return arm_read_cntfrq();
}
