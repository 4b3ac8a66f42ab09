/*
 * The periodic tick and the clocks.
 */
#ifndef ARCH_TIMER_H
#define ARCH_TIMER_H

#include <stdint.h>

typedef void (*timer_tick_fn)(void);

/* Start a periodic interrupt at `hz` calling `tick` in IRQ context (IRQs
 * off). IRQs themselves stay as they are. Returns 0 or -EINVAL if the rate
 * cannot be programmed. */
int arch_timer_start(unsigned hz, timer_tick_fn tick);

/* Monotonic nanoseconds since arch_timer_start(), with at least tick
 * resolution. Any context. */
uint64_t arch_time_ns(void);

/* A free-running cycle counter (x86 TSC, ARM CNTVCT) for benchmarks; its
 * rate is arch_cycles_hz() (0 if unknown). */
uint64_t arch_cycles(void);
uint64_t arch_cycles_hz(void);

#endif
