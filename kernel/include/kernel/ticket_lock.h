/*
 * Ticket spinlocks: FIFO-fair, for data several CPUs touch. A CPU takes the
 * next ticket with one atomic fetch-add and spins until `owner` reaches
 * it; unlock hands the lock to the next ticket with a release store.
 *
 * Ordering: taking the lock is an acquire (nothing inside moves above it),
 * releasing it a release (nothing inside moves below it); the compiler
 * emits the fences (`dmb ish` on ARMv7, nothing extra on x86's TSO). The
 * spin reads `owner` relaxed and calls arch_cpu_relax() (<arch/cpu.h>).
 *
 * <kernel/sync.h>'s spinlock and the recursive locks (<kernel/rlock.h>:
 * the big lock, mm/'s, the console's) are built on it (docs/smp.md).
 * The _irqsave forms disable IRQs on this CPU first, so an interrupt
 * handler on the same CPU cannot spin on a lock its CPU holds. Must not
 * sleep while held. Invariant: owner <= next (mod 2^16), next - owner is
 * the holder plus the waiters.
 */
#ifndef KERNEL_TICKET_LOCK_H
#define KERNEL_TICKET_LOCK_H

#include <arch/cpu.h>
#include <arch/irq.h>
#include <stdbool.h>
#include <stdint.h>

struct ticket_lock {
	uint16_t owner; /* the ticket now served */
	uint16_t next;	/* the next ticket to hand out */
};

#define TICKET_LOCK_INIT                                                       \
	{                                                                      \
		0, 0                                                           \
	}

static inline void ticket_lock_init(struct ticket_lock *l)
{
	__atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->next, 0, __ATOMIC_RELEASE);
}

/* Spin until the lock is ours. Any context; IRQs as they are. */
static inline void ticket_lock(struct ticket_lock *l)
{
	uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		arch_cpu_relax();
}

/* Take the lock only if it is free now: true if taken. */
static inline bool ticket_trylock(struct ticket_lock *l)
{
	uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE);
	uint16_t expect = owner;
	return __atomic_compare_exchange_n(&l->next, &expect,
					   (uint16_t)(owner + 1), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void ticket_unlock(struct ticket_lock *l)
{
	uint16_t o = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	__atomic_store_n(&l->owner, (uint16_t)(o + 1), __ATOMIC_RELEASE);
}

/* True if some CPU holds it (a snapshot, for assertions). */
static inline bool ticket_is_locked(struct ticket_lock *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

static inline irq_state_t ticket_lock_irqsave(struct ticket_lock *l)
{
	irq_state_t s = arch_irq_save();
	ticket_lock(l);
	return s;
}

/* Returns true with *s set if taken; IRQs as before if not. */
static inline bool ticket_trylock_irqsave(struct ticket_lock *l, irq_state_t *s)
{
	*s = arch_irq_save();
	if (ticket_trylock(l))
		return true;
	arch_irq_restore(*s);
	return false;
}

static inline void ticket_unlock_irqrestore(struct ticket_lock *l,
					    irq_state_t s)
{
	ticket_unlock(l);
	arch_irq_restore(s);
}

#endif
