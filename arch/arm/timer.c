/*
 * The ARM generic timer: the virtual timer (CNTV_*, PPI 27 on QEMU virt,
 * from the DTB otherwise) gives the tick; the virtual counter CNTVCT at
 * CNTFRQ Hz gives time. The compare value advances by exactly one period
 * per tick, so the tick does not drift with interrupt latency.
 */
#include <arch/arm_platform.h>
#include <arch/irq.h>
#include <arch/timer.h>
#include <lib/err.h>

#define CNTV_CTL_ENABLE 1u
#define CNTV_CTL_IMASK	2u

static timer_tick_fn tick_fn;
static uint64_t period;	   /* counter ticks per timer tick */
static uint64_t next_cval; /* compare value of the next tick */
static uint64_t start_count;
static uint32_t freq;
static bool attached;

static void timer_irq(unsigned irq, void *arg)
{
	uint64_t now = arm_read_cntvct();
	/* Catch up without a burst if we fell behind by several periods
	 * (e.g. a long IRQs-off section): one tick call per interrupt. */
	do
		next_cval += period;
	while (next_cval <= now);
	arm_write_cntv_cval(next_cval);
	arm_isb();
	if (tick_fn)
		tick_fn();
}

int arch_timer_start(unsigned hz, timer_tick_fn tick)
{
	freq = arm_read_cntfrq();
	if (hz == 0 || freq == 0 || hz > freq || !tick)
		return -EINVAL;
	irq_state_t s = arch_irq_save();
	tick_fn = tick;
	period = freq / hz;
	start_count = arm_read_cntvct();
	next_cval = start_count + period;
	arm_write_cntv_cval(next_cval);
	arm_write_cntv_ctl(CNTV_CTL_ENABLE);
	arm_isb();
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
