/*
 * The 8254 PIT on IRQ 0 gives the tick; the TSC gives fine time and cycle
 * counts. The TSC rate is measured against the tick as it runs (no boot-time
 * calibration delay).
 */
#include <arch/irq.h>
#include <arch/pio.h>
#include <arch/timer.h>
#include <arch/x86.h>
#include <arch/x86_platform.h>
#include <lib/err.h>
#include <stddef.h>

#define PIT_HZ	1193182u
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B	0x61 /* bit 0: channel 2 gate, 1: speaker, 5: channel 2 out */

static timer_tick_fn tick_fn;
static unsigned tick_hz;
static volatile uint64_t ticks;
static uint64_t tsc_at_start;
static volatile uint64_t tsc_at_last_tick;

static void pit_irq(unsigned irq, void *arg)
{
	ticks++;
	tsc_at_last_tick = rdtsc();
	if (tick_fn)
		tick_fn();
}

int arch_timer_start(unsigned hz, timer_tick_fn tick)
{
	if (hz < 19 || hz > PIT_HZ / 2) /* the divisor must fit 16 bits */
		return -EINVAL;
	uint32_t divisor = (PIT_HZ + hz / 2) / hz;

	tick_fn = tick;
	tick_hz = hz;
	tsc_at_start = rdtsc();
	outb(PIT_CMD,
	     0x34); /* channel 0, lo/hi byte, mode 2 (rate generator) */
	outb(PIT_CH0, divisor & 0xff);
	outb(PIT_CH0, divisor >> 8);
	arch_irq_detach(0);
	return arch_irq_attach(0, pit_irq, NULL);
}

/*
 * Ticks give the time; the TSC, at the rate measured against the ticks so
 * far, fills in the time since the last one (capped below one period, so
 * the clock never runs backwards when the next tick lands). Programs'
 * clock_time_get and benchmarks need better than the tick's resolution.
 */
uint64_t arch_time_ns(void)
{
	irq_state_t s = arch_irq_save();
	uint64_t t = ticks, last = tsc_at_last_tick, now = rdtsc();
	arch_irq_restore(s);

	if (!tick_hz)
		return 0;
	uint64_t period = 1000000000ull / tick_hz, ns = t * period;
	if (t < 2 || last <= tsc_at_start || now < last)
		return ns;
	uint64_t hz = (last - tsc_at_start) * tick_hz / t;
	if (!hz || now - last >= hz / tick_hz)
		return ns + (hz ? period - 1 : 0);
	return ns + (now - last) * 1000000000ull / hz;
}

uint64_t arch_cycles(void)
{
	return rdtsc();
}

uint64_t arch_cycles_hz(void)
{
	irq_state_t s = arch_irq_save();
	uint64_t t = ticks, tsc = tsc_at_last_tick;
	arch_irq_restore(s);
	if (t < 2)
		return 0;
	return (tsc - tsc_at_start) * tick_hz / t;
}

/*
 * Channel 2 (the speaker's, gated by port 0x61) as a one-shot of `ms`: the
 * output bit rises when the count runs out, read straight from the
 * counter, so no interrupt latency enters (how Linux calibrates the TSC).
 * IRQs off meanwhile; the speaker stays off.
 */
int x86_platform_pit_wait_ms(unsigned ms)
{
	if (ms == 0 || ms > 50) /* the count must fit 16 bits */
		return -EINVAL;
	uint32_t count = PIT_HZ / 1000 * ms;
	uint64_t hz = arch_cycles_hz(), start = rdtsc();
	int rc = 0;

	irq_state_t s = arch_irq_save();
	uint8_t b = inb(PORT_B);
	outb(PORT_B, (uint8_t)((b & ~0x02) | 0x01));
	outb(PIT_CMD, 0xb0); /* channel 2, lo/hi byte, mode 0 (one-shot) */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, (uint8_t)(count >> 8));
	for (unsigned long spins = 0; !(inb(PORT_B) & 0x20); spins++) {
		/* A second of TSC, or (rate unknown) many port reads. */
		if (hz ? rdtsc() - start > hz : spins > 100000000ul) {
			rc = -EIO;
			break;
		}
	}
	outb(PORT_B, b);
	arch_irq_restore(s);
	return rc;
}
