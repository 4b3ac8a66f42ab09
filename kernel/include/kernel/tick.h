#ifndef KERNEL_TICK_H
#define KERNEL_TICK_H

#include <stdbool.h>
#include <stdint.h>

/* Called by the arch timer at CONFIG_HZ, in IRQ context. */
void tick_handler(void);

/* Ticks since the timer started. */
uint64_t tick_count(void);

/* Panic if `ms` milliseconds pass before the next call (0 disarms). Guards
 * runs that must end, such as the in-kernel tests: a hang becomes a clear
 * failure, not a silent timeout. */
void tick_set_watchdog(uint64_t ms, const char *what);

/* Call fn(arg) from the tick handler (IRQ context) when the tick count
 * reaches `when`: the only way to act on the very next tick, as a sleep
 * lasts at least one whole tick. One alarm at a time: -EBUSY while one is
 * pending, else 0; an alarm already due fires at the next tick.
 * tick_cancel_alarm() removes a pending one (true if it had not fired). */
int tick_set_alarm(uint64_t when, void (*fn)(void *arg), void *arg);
bool tick_cancel_alarm(void);

#endif
