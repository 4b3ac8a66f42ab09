/*
 * The kernel's big lock: what "IRQs off" meant for the kernel's own state
 * when it ran on one CPU. The scheduler (run queues, timers, wait queues),
 * the process table, the synchronisation objects, program waits, ticks
 * and alarms, interrupt-line and console registration are all changed
 * under it.
 *
 *     irq_state_t s = klock_irqsave(); ... klock_irqrestore(s);
 *
 * It nests (a recursive rlock, rank LOCK_RANK_KERNEL) and turns IRQs off on
 * this CPU. A process that switches away while holding it (every blocking
 * wait does) gives it up for the switch: the scheduler saves this CPU's
 * depth on the process's stack and restores it when the process runs
 * again, on whichever CPU (kernel/sched.c), as Linux's big kernel lock was
 * dropped across schedule(). WebAssembly code runs without it, so
 * programs compute in parallel; only their calls into the kernel meet
 * here. docs/smp.md has the lock order and what finer locks replace it
 * in mm/.
 */
#ifndef KERNEL_KLOCK_H
#define KERNEL_KLOCK_H

#include <kernel/rlock.h>

extern struct rlock kernel_lock;

static inline irq_state_t klock_irqsave(void)
{
	return rlock_irqsave(&kernel_lock);
}

static inline void klock_irqrestore(irq_state_t s)
{
	rlock_irqrestore(&kernel_lock, s);
}

/* Whether this CPU holds it (IRQs off). */
static inline bool klock_held(void)
{
	return rlock_held_by_me(&kernel_lock);
}

/* Around a context switch (kernel/sched.c only): the depth this CPU holds
 * it at, kept by the outgoing process, and set again when that process
 * runs. The lock itself stays taken by the CPU across the switch. */
static inline unsigned klock_depth(void)
{
	return kernel_lock.depth;
}

static inline void klock_set_depth(unsigned depth)
{
	kernel_lock.depth = depth;
}

/* Let go of it entirely, IRQs staying off: a new process's first code and
 * an exiting process that will release its resources with IRQs on. */
void klock_release_all(void);

#endif
