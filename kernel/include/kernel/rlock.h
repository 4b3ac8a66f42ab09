/*
 * Recursive IRQ-saving locks: a ticket lock (<kernel/ticket_lock.h>) that
 * the CPU holding it may take again. The kernel's big lock (<kernel/klock.h>)
 * and mm/'s lock are of this kind: on one CPU they used to be "IRQs off",
 * which nests freely, and their callers still nest them.
 *
 *     irq_state_t s = rlock_irqsave(&l); ... rlock_irqrestore(&l, s);
 *
 * `owner` is the holding CPU's arch_cpu_id() (or RLOCK_FREE), `depth` how
 * many times it holds it; both are written only by the holder. Every lock
 * has a rank: a CPU takes locks in increasing rank only (a lock it already
 * holds may be retaken), which rules out deadlock between them; a
 * violation is reported once per lock pair by lock_order_violation()
 * (kernel/lock_order.c) and counted. IRQs are off while any is held.
 */
#ifndef KERNEL_RLOCK_H
#define KERNEL_RLOCK_H

#include <arch/cpu.h>
#include <arch/irq.h>
#include <kernel/ticket_lock.h>
#include <stdbool.h>

#define RLOCK_FREE 0xffffffffu

/* Ranks, outermost first. */
enum lock_rank {
	LOCK_RANK_SPIN = 1,  /* struct spinlock (program accounts, threads) */
	LOCK_RANK_KERNEL,    /* the big lock: scheduler, processes, waits */
	LOCK_RANK_MM,	     /* PMM, kernel heap, sbrk heap, DMA, low memory */
	LOCK_RANK_ARCH,	     /* the port's own (page tables, BIOS calls) */
	LOCK_RANK_CONSOLE,   /* console output: printk may run under any */
	LOCK_RANK_TEST_LOW,  /* two ranks only the lock-order test takes, so */
	LOCK_RANK_TEST_HIGH, /* its report leaves the real pairs' unsaid */
	LOCK_RANKS
};

struct rlock {
	struct ticket_lock t;
	volatile unsigned owner;
	unsigned depth;
	enum lock_rank rank;
	const char *name;
};

#define RLOCK_INIT(rank_, name_)                                               \
	{                                                                      \
		TICKET_LOCK_INIT, RLOCK_FREE, 0, rank_, name_                  \
	}

/* Per-CPU bookkeeping of the ranks held (kernel/lock_order.c); with
 * CONFIG_LOCK_CHECKS=n they do nothing. */
void lock_order_acquire(enum lock_rank rank, const char *name, unsigned cpu);
void lock_order_release(enum lock_rank rank, unsigned cpu);
unsigned long lock_order_violations(void);

/* The slow path: wait for a lock another CPU holds, reporting (once per
 * wait) one held for over two seconds. */
void rlock_wait(struct rlock *l);

static inline irq_state_t rlock_irqsave(struct rlock *l)
{
	irq_state_t s = arch_irq_save();
	unsigned cpu = arch_cpu_id();

	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) == cpu) {
		l->depth++;
		return s;
	}
	lock_order_acquire(l->rank, l->name, cpu);
	if (!ticket_trylock(&l->t))
		rlock_wait(l);
	__atomic_store_n(&l->owner, cpu, __ATOMIC_RELAXED);
	l->depth = 1;
	return s;
}

/* Take it only if that needs no wait: true with *s set if taken. */
static inline bool rlock_tryirqsave(struct rlock *l, irq_state_t *s)
{
	*s = arch_irq_save();
	unsigned cpu = arch_cpu_id();

	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) == cpu) {
		l->depth++;
		return true;
	}
	if (!ticket_trylock(&l->t)) {
		arch_irq_restore(*s);
		return false;
	}
	lock_order_acquire(l->rank, l->name, cpu);
	__atomic_store_n(&l->owner, cpu, __ATOMIC_RELAXED);
	l->depth = 1;
	return true;
}

/* Give the lock up whatever the depth; IRQs stay as they are. */
static inline void rlock_release(struct rlock *l)
{
	l->depth = 0;
	lock_order_release(l->rank, l->owner);
	__atomic_store_n(&l->owner, RLOCK_FREE, __ATOMIC_RELAXED);
	ticket_unlock(&l->t);
}

static inline void rlock_irqrestore(struct rlock *l, irq_state_t s)
{
	if (--l->depth == 0)
		rlock_release(l);
	arch_irq_restore(s);
}

/* Whether the calling CPU holds it. IRQs off (else the answer may be for
 * a CPU the caller has left). */
static inline bool rlock_held_by_me(const struct rlock *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) == arch_cpu_id();
}

#endif
