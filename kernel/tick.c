/*
 * The periodic tick: counts time, fires the watchdog and the alarm.
 */
#include <arch/irq.h>
#include <kernel/klock.h>
#include <kernel/printk.h>
#include <kernel/tick.h>
#include <lib/err.h>

static volatile uint64_t ticks;
static volatile uint64_t watchdog_deadline; /* tick number, 0 = off */
static const char *watchdog_what;
static uint64_t alarm_tick;
static void (*alarm_fn)(void *arg); /* NULL: no alarm pending */
static void *alarm_arg;

void tick_handler(void)
{
	ticks++;
	if (watchdog_deadline && ticks >= watchdog_deadline) {
		watchdog_deadline = 0;
		panic("watchdog: %s did not finish in time", watchdog_what);
	}
	if (alarm_fn && ticks >= alarm_tick) {
		void (*fn)(void *) = alarm_fn;
		alarm_fn = NULL; /* first, so fn may set the next alarm */
		fn(alarm_arg);
	}
}

uint64_t tick_count(void)
{
	return ticks;
}

void tick_set_watchdog(uint64_t ms, const char *what)
{
	watchdog_what = what;
	watchdog_deadline = ms ? ticks + ms * CONFIG_HZ / 1000 + 1 : 0;
}

int tick_set_alarm(uint64_t when, void (*fn)(void *arg), void *arg)
{
	irq_state_t s = klock_irqsave();
	int rc = 0;

	if (alarm_fn) {
		rc = -EBUSY;
	} else {
		alarm_tick = when;
		alarm_arg = arg;
		alarm_fn = fn;
	}
	klock_irqrestore(s);
	return rc;
}

bool tick_cancel_alarm(void)
{
	irq_state_t s = klock_irqsave();
	bool pending = alarm_fn != NULL;

	alarm_fn = NULL;
	klock_irqrestore(s);
	return pending;
}
