/*
 * Spinlocks, mutexes, semaphores and condition variables on top of the
 * scheduler's wait queues. The wait-queue state is the kernel's big lock's
 * (<kernel/klock.h>); a spinlock is a ticket lock of its own, with IRQs
 * off while it is held.
 */
#include <arch/irq.h>
#include <kernel/klock.h>
#include <kernel/printk.h>
#include <kernel/sync.h>
#include <lib/err.h>

static unsigned long misuses;

void sync_misuse(const char *what)
{
	struct proc *p = proc_current();
	__atomic_add_fetch(&misuses, 1, __ATOMIC_RELAXED);
	printk("sync: misuse by process '%s' (pid %d): %s\n",
	       p ? p->name : "(boot)", p ? p->pid : -1, what);
}

unsigned long sync_misuse_count(void)
{
	return misuses;
}

void spin_init(struct spinlock *l)
{
	ticket_lock_init(&l->t);
	l->owner = NULL;
}

irq_state_t spin_lock_irqsave(struct spinlock *l)
{
	irq_state_t s = arch_irq_save();
	struct proc *me = proc_current();

	if (me && l->owner == me && ticket_is_locked(&l->t)) {
		/* Waiting would never end. */
		sync_misuse("spinlock taken twice by its holder");
		return s;
	}
	lock_order_acquire(LOCK_RANK_SPIN, "spinlock", arch_cpu_id());
	ticket_lock(&l->t);
	l->owner = me;
	if (me)
		me->spinlocks++;
	return s;
}

void spin_unlock_irqrestore(struct spinlock *l, irq_state_t s)
{
	struct proc *me = proc_current();

	if (!ticket_is_locked(&l->t) || l->owner != me) {
		sync_misuse("unlock of a spinlock it does not hold");
	} else {
		l->owner = NULL;
		lock_order_release(LOCK_RANK_SPIN, arch_cpu_id());
		ticket_unlock(&l->t);
		if (me)
			me->spinlocks--;
	}
	arch_irq_restore(s);
}

void mutex_init(struct mutex *m, const char *name)
{
	m->owner = NULL;
	wait_queue_init(&m->waiters);
	list_init(&m->held);
	m->name = name ? name : "mutex";
}

static void mutex_take(struct mutex *m, struct proc *p)
{
	m->owner = p;
	list_add_tail(&p->mutexes, &m->held);
}

/* IRQs off; `m` is owned by its current owner. Hand it to the longest
 * waiter or free it. */
static void mutex_pass_on(struct mutex *m)
{
	list_del(&m->held);
	struct proc *next = wait_queue_wake_first(&m->waiters);
	m->owner = NULL;
	if (next)
		mutex_take(m, next);
}

int mutex_lock(struct mutex *m)
{
	irq_state_t s = klock_irqsave();
	struct proc *me = proc_current();
	int rc = 0;

	if (m->owner == me) {
		sync_misuse("mutex locked again by its owner");
		rc = -EDEADLK;
	} else if (!m->owner) {
		mutex_take(m, me);
	} else {
		/* Woken only by mutex_pass_on, which made us the owner. */
		rc = wait_queue_wait(&m->waiters, 0);
	}
	klock_irqrestore(s);
	return rc;
}

int mutex_trylock(struct mutex *m)
{
	irq_state_t s = klock_irqsave();
	int rc = -EBUSY;
	if (!m->owner) {
		mutex_take(m, proc_current());
		rc = 0;
	}
	klock_irqrestore(s);
	return rc;
}

int mutex_unlock(struct mutex *m)
{
	irq_state_t s = klock_irqsave();

	if (m->owner != proc_current()) {
		sync_misuse(m->owner ? "mutex unlocked by a process that does "
				       "not own it"
				     : "mutex unlocked twice (not locked)");
		klock_irqrestore(s);
		return -EPERM;
	}
	mutex_pass_on(m);
	klock_irqrestore(s);
	sched_preempt_point();
	return 0;
}

bool mutex_held_by_me(const struct mutex *m)
{
	return m->owner == proc_current();
}

void mutex_release_held(struct proc *p)
{
	irq_state_t s = klock_irqsave();
	while (!list_empty(&p->mutexes)) {
		struct mutex *m =
			list_entry(p->mutexes.next, struct mutex, held);
		printk("sync: process '%s' (pid %d) ended holding mutex '%s'; "
		       "released\n",
		       p->name, p->pid, m->name);
		mutex_pass_on(m);
	}
	klock_irqrestore(s);
}

void sem_init(struct semaphore *s, unsigned count)
{
	s->count = count;
	wait_queue_init(&s->waiters);
}

int sem_down(struct semaphore *s, unsigned timeout_ms)
{
	irq_state_t st = klock_irqsave();
	int rc = 0;
	if (s->count)
		s->count--;
	else /* sem_up hands the unit over directly: 0 means we have it */
		rc = wait_queue_wait(&s->waiters, timeout_ms);
	klock_irqrestore(st);
	return rc;
}

int sem_trydown(struct semaphore *s)
{
	irq_state_t st = klock_irqsave();
	int rc = -EAGAIN;
	if (s->count) {
		s->count--;
		rc = 0;
	}
	klock_irqrestore(st);
	return rc;
}

void sem_up(struct semaphore *s)
{
	irq_state_t st = klock_irqsave();
	if (!wait_queue_wake_first(&s->waiters))
		s->count++;
	klock_irqrestore(st);
}

void cond_init(struct condvar *c)
{
	wait_queue_init(&c->waiters);
}

int cond_wait(struct condvar *c, struct mutex *m, unsigned timeout_ms)
{
	irq_state_t s = klock_irqsave();

	if (m->owner != proc_current()) {
		sync_misuse("cond_wait without holding the mutex");
		klock_irqrestore(s);
		return -EPERM;
	}
	mutex_pass_on(m);
	int rc = wait_queue_wait(&c->waiters, timeout_ms);
	klock_irqrestore(s);
	int lrc = mutex_lock(m);
	return rc ? rc : lrc;
}

void cond_signal(struct condvar *c)
{
	wait_queue_wake_one(&c->waiters);
}
