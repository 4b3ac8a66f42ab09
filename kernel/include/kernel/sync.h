/*
 * Synchronisation: spinlocks (IRQs off, a ticket lock), mutexes with
 * an owner, counting semaphores, condition variables. Wait queues with
 * timeouts are in <kernel/sched.h>.
 *
 * Misuse is detected, reported with the offending process's name and counted
 * (sync_misuse_count), and the call fails instead of corrupting state:
 * unlocking a mutex one does not own, unlocking twice, locking a mutex one
 * already holds, sleeping with a spinlock held, unlocking a spinlock not
 * held.
 */
#ifndef KERNEL_SYNC_H
#define KERNEL_SYNC_H

#include <arch/irq.h>
#include <kernel/sched.h>
#include <kernel/ticket_lock.h>

/* A ticket lock (<kernel/ticket_lock.h>) with its holder recorded for the
 * misuse checks. Rank LOCK_RANK_SPIN (<kernel/rlock.h>): the outermost, so
 * its holder may still call into the kernel (spawn a process, allocate),
 * but must not sleep. */
struct spinlock {
	struct ticket_lock t;
	struct proc *owner;
};

#define SPINLOCK_INIT                                                          \
	{                                                                      \
		TICKET_LOCK_INIT, NULL                                         \
	}

void spin_init(struct spinlock *l);
/* Disable IRQs and take the lock; returns the IRQ state to restore. Any
 * context. Must not sleep until the matching unlock. */
irq_state_t spin_lock_irqsave(struct spinlock *l);
void spin_unlock_irqrestore(struct spinlock *l, irq_state_t s);

struct mutex {
	struct proc *owner;
	struct wait_queue waiters;
	struct list_node held; /* on the owner's list of held mutexes */
	const char *name;
};

void mutex_init(struct mutex *m, const char *name);
/* Process context. 0, or -EDEADLK if the caller already holds it or holds a
 * spinlock. Ownership passes to waiters in FIFO order. */
int mutex_lock(struct mutex *m);
/* 0 if taken, -EBUSY if held. */
int mutex_trylock(struct mutex *m);
/* 0, or -EPERM if the caller is not the owner (double unlock included). */
int mutex_unlock(struct mutex *m);
bool mutex_held_by_me(const struct mutex *m);

struct semaphore {
	unsigned count;
	struct wait_queue waiters;
};

void sem_init(struct semaphore *s, unsigned count);
/* Take one unit, waiting up to timeout_ms (0: forever). 0 or -ETIMEDOUT. */
int sem_down(struct semaphore *s, unsigned timeout_ms);
/* 0 if a unit was taken, -EAGAIN if none. Any context. */
int sem_trydown(struct semaphore *s);
/* Give one unit (to the longest waiter if any). Any context. */
void sem_up(struct semaphore *s);

struct condvar {
	struct wait_queue waiters;
};

void cond_init(struct condvar *c);
/* Atomically release `m` (which the caller must hold) and wait; reacquire
 * `m` before returning. 0, -ETIMEDOUT, or -EPERM if `m` is not held. */
int cond_wait(struct condvar *c, struct mutex *m, unsigned timeout_ms);
/* Wake the longest waiter, if any. Any context. */
void cond_signal(struct condvar *c);

/* Report a misuse by the current process and count it. */
void sync_misuse(const char *what);
unsigned long sync_misuse_count(void);

/* Called at exit: release (and report) the mutexes `p` still holds. */
void mutex_release_held(struct proc *p);

#endif
