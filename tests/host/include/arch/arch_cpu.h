/* The host test build's <arch/cpu.h>: test threads all say CPU 0. */
#ifndef HOST_ARCH_CPU_H
#define HOST_ARCH_CPU_H

#include <sched.h>

static inline unsigned arch_cpu_id(void)
{
	return 0;
}

/* Test threads may outnumber the host's cores: a waiter that only paused
 * could spin a whole time slice while the thread holding the next ticket
 * is descheduled (ticket locks hand over in strict order), so the host
 * gives the core away instead. */
static inline void arch_cpu_relax(void)
{
	sched_yield();
}

#endif
