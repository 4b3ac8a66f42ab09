#ifndef KERNEL_TICK_H
#define KERNEL_TICK_H

#include <stdint.h>

/* Called by the arch timer at CONFIG_HZ, in IRQ context. */
void tick_handler(void);

/* Ticks since the timer started. */
uint64_t tick_count(void);

/* Panic if `ms` milliseconds pass before the next call (0 disarms). Guards
 * runs that must end, such as the in-kernel tests: a hang becomes a clear
 * failure, not a silent timeout. */
void tick_set_watchdog(uint64_t ms, const char *what);

#endif
