/*
 * The scheduler's per-CPU state, shared by kernel/sched.c (which changes
 * it) and kernel/sched_check.c (which checks its invariants). Not for
 * other files. The big lock protects all of it.
 */
#ifndef KERNEL_SCHED_CPU_H
#define KERNEL_SCHED_CPU_H

#include <kernel/sched.h>
#include <lib/list.h>
#include <stdbool.h>

#define NPRIO (PROC_PRIO_MAX + 1)

struct sched_cpu {
	struct proc *current;
	struct proc *idle;
	struct list_node runq[NPRIO];
	unsigned ready_mask;
	unsigned stealable; /* queued here and not pinned: others may take */
	struct proc *fpu_owner; /* whose FPU state the registers hold */
	bool need_resched;
	bool online; /* scheduling processes */
	struct sched_cpu_stats stats;
};

extern struct sched_cpu sched_cpus[CONFIG_NR_CPUS];
/* Timed sleeps and waits, by deadline. */
extern struct list_node sched_timers;

static inline unsigned cpu_index(const struct sched_cpu *c)
{
	return (unsigned)(c - sched_cpus);
}

#endif
