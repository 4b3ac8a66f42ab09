/*
 * The periodic tick: counts time and fires the watchdog.
 */
#include <kernel/printk.h>
#include <kernel/tick.h>

static volatile uint64_t ticks;
static volatile uint64_t watchdog_deadline; /* tick number, 0 = off */
static const char *watchdog_what;

void tick_handler(void)
{
	ticks++;
	if (watchdog_deadline && ticks >= watchdog_deadline) {
		watchdog_deadline = 0;
		panic("watchdog: %s did not finish in time", watchdog_what);
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
