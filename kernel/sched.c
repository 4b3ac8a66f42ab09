/*
 * The scheduler: ready queues by priority, timed sleeps and wait queues,
 * context switches, preemption, the idle process. Creating, ending and
 * reaping processes is kernel/proc.c. Uniprocessor; all state here is
 * protected by disabling IRQs, so every static function below is called
 * with IRQs off.
 *
 * Invariants (sched_check() at the end of this file checks them; the
 * sched tests call it with processes in every state):
 *  - `current` is RUNNING, the only RUNNING process, and on no ready queue;
 *  - a READY process is on runq[prio], and bit `prio` of ready_mask is set
 *    exactly when runq[prio] is non-empty; the idle process is never queued;
 *  - a BLOCKED process is on its waiting_on queue, and on `timers` if its
 *    wait has a timeout; a SLEEPING one is on `timers` only; no other
 *    process is on `timers`;
 *  - `timers` is sorted by wake_ns.
 */
#include <arch/irq.h>
#include <arch/ops.h>
#include <arch/timer.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/sync.h>
#include <kernel/tick.h>
#include <lib/err.h>

#include "sched_internal.h"

#define NPRIO (PROC_PRIO_MAX + 1)

static struct proc *current;
static struct proc *idle_proc;
static struct list_node runq[NPRIO];
static unsigned ready_mask;
static struct list_node timers = LIST_INIT(timers);
static struct proc *fpu_owner; /* whose FPU state the registers hold */
static bool need_resched;
static unsigned preempt_off;
static volatile unsigned long switches;

bool sched_running(void)
{
	return current != NULL;
}

struct proc *proc_current(void)
{
	return current;
}

unsigned long sched_switch_count(void)
{
	return switches;
}

const volatile unsigned long *sched_switch_counter(void)
{
	return &switches;
}

void sched_preempt_disable(void)
{
	irq_state_t s = arch_irq_save();
	preempt_off++;
	arch_irq_restore(s);
}

void sched_preempt_enable(void)
{
	irq_state_t s = arch_irq_save();
	if (preempt_off)
		preempt_off--;
	arch_irq_restore(s);
}

static void rq_add(struct proc *p)
{
	p->state = PROC_READY;
	list_add_tail(&runq[p->prio], &p->link);
	ready_mask |= 1u << p->prio;
}

static void rq_del(struct proc *p)
{
	list_del(&p->link);
	if (list_empty(&runq[p->prio]))
		ready_mask &= ~(1u << p->prio);
}

static struct proc *pick_next(void)
{
	if (!ready_mask)
		return idle_proc;
	int prio = 31 - __builtin_clz(ready_mask);
	return list_entry(runq[prio].next, struct proc, link);
}

/*
 * Timeouts are deadlines on the clock (arch_time_ns), checked at each tick:
 * a wait ends at the first tick at or after its deadline, never before.
 * Counting ticks instead ended waits early whenever the host delivered a
 * tick late, since the next one then follows closely: 4 ticks could span
 * little more than 2 periods.
 */
static void timer_add(struct proc *p, unsigned ms)
{
	uint64_t wake_ns = arch_time_ns() + (uint64_t)ms * 1000000u;

	p->wake_ns = wake_ns;
	list_for_each(it, &timers)
	{
		if (list_entry(it, struct proc, timer)->wake_ns > wake_ns) {
			list_insert_before(it, &p->timer);
			return;
		}
	}
	list_add_tail(&timers, &p->timer);
}

/* On every switch away from `p`: a broken canary at the bottom of its
 * stack is reported once and `p` killed (status PROC_EXIT_STACK); it exits
 * when it is switched back to. */
static bool canary_intact(const struct proc *p)
{
	if (!p->stack_lo)
		return true;
	for (int i = 0; i < CANARY_WORDS; i++)
		if (p->stack_lo[i] != STACK_CANARY)
			return false;
	return true;
}

static void check_stack(struct proc *p)
{
	if (canary_intact(p) || p->killed)
		return;
	printk("sched: stack overflow in process '%s' (pid %d): the canary at "
	       "%p is overwritten; killing it\n",
	       p->name, p->pid, (void *)p->stack_lo);
	/* The canary area is ours; repair it so the report is made once and
	 * the words below it stay untouched from here on. */
	for (int i = 0; i < CANARY_WORDS; i++)
		p->stack_lo[i] = STACK_CANARY;
	p->killed = true;
	p->exit_status = PROC_EXIT_STACK;
}

struct proc *sched_idle(void)
{
	return idle_proc;
}

void sched_make_ready(struct proc *p)
{
	rq_add(p);
	if (current && p->prio > current->prio)
		need_resched = true;
}

void sched_wake(struct proc *p, int result)
{
	if (p->state == PROC_BLOCKED)
		list_del(&p->link);
	list_del(&p->timer);
	p->waiting_on = NULL;
	p->wake_result = result;
	sched_make_ready(p);
}

void sched_fpu_drop(struct proc *p)
{
	if (fpu_owner == p)
		fpu_owner = NULL;
}

void sched_reschedule(void)
{
	struct proc *prev = current;

	need_resched = false;
	check_stack(prev);
	if (prev->state == PROC_RUNNING) {
		if (prev != idle_proc)
			rq_add(prev);
		else
			prev->state = PROC_READY; /* idle is never queued */
	}
	struct proc *next = pick_next();
	if (next != idle_proc)
		rq_del(next);
	next->state = PROC_RUNNING;
	next->slice = CONFIG_SCHED_SLICE_TICKS;
	if (next == prev) {
		proc_after_switch(
			current); /* a broken canary ends it even so */
		return;
	}
	if ((next->flags & PROC_FPU) && fpu_owner != next) {
		if (fpu_owner)
			arch_fpu_save(fpu_owner->fpu);
		arch_fpu_restore(next->fpu);
		fpu_owner = next;
	}
	next->switches++;
	switches++;
	current = next;
	arch_context_switch(&prev->ctx, &next->ctx);
	proc_after_switch(current);
}

void sched_tick(void)
{
	if (!current)
		return;
	uint64_t now = list_empty(&timers) ? 0 : arch_time_ns();
	while (!list_empty(&timers)) {
		struct proc *p = list_entry(timers.next, struct proc, timer);
		if (p->wake_ns > now)
			break;
		sched_wake(p, p->state == PROC_BLOCKED ? -ETIMEDOUT : 0);
	}
	if (current == idle_proc) {
		if (ready_mask)
			need_resched = true;
	} else {
		current->ticks++;
		if (--current->slice <= 0)
			need_resched = true;
	}
}

/* The end of every interrupt (arch/include/arch/irq.h): preempt here. */
void kernel_irq_exit(void)
{
	if (current && need_resched && !preempt_off && current->spinlocks == 0)
		sched_reschedule();
}

/* Yield if a wake-up asked for it; process context only. */
void sched_preempt_point(void)
{
	if (need_resched && !preempt_off)
		proc_yield();
}

void proc_yield(void)
{
	irq_state_t s = arch_irq_save();
	proc_exit_if_killed(current);
	sched_reschedule();
	arch_irq_restore(s);
}

void proc_sleep_ms(unsigned ms)
{
	if (ms == 0) {
		proc_yield();
		return;
	}
	irq_state_t s = arch_irq_save();
	if (current->spinlocks) {
		sync_misuse("sleeping with a spinlock held");
	} else {
		current->state = PROC_SLEEPING;
		timer_add(current, ms);
		sched_reschedule();
	}
	arch_irq_restore(s);
}

void wait_queue_init(struct wait_queue *wq)
{
	list_init(&wq->waiters);
}

int wait_queue_wait(struct wait_queue *wq, unsigned timeout_ms)
{
	struct proc *p = current;

	if (p->spinlocks) {
		sync_misuse("sleeping with a spinlock held");
		return -EDEADLK;
	}
	proc_exit_if_killed(p);
	p->state = PROC_BLOCKED;
	p->waiting_on = wq;
	p->wake_result = 0;
	list_add_tail(&wq->waiters, &p->link);
	if (timeout_ms)
		timer_add(p, timeout_ms);
	sched_reschedule();
	return p->wake_result;
}

int wait_queue_wake_one(struct wait_queue *wq)
{
	irq_state_t s = arch_irq_save();
	int n = 0;
	if (!list_empty(&wq->waiters)) {
		sched_wake(list_entry(wq->waiters.next, struct proc, link), 0);
		n = 1;
	}
	arch_irq_restore(s);
	return n;
}

struct proc *wait_queue_wake_first(struct wait_queue *wq)
{
	if (list_empty(&wq->waiters))
		return NULL;
	struct proc *p = list_entry(wq->waiters.next, struct proc, link);
	sched_wake(p, 0);
	return p;
}

int wait_queue_wake_all(struct wait_queue *wq)
{
	irq_state_t s = arch_irq_save();
	int n = 0;
	while (!list_empty(&wq->waiters)) {
		sched_wake(list_entry(wq->waiters.next, struct proc, link), 0);
		n++;
	}
	arch_irq_restore(s);
	return n;
}

int proc_set_prio(int pid, int prio)
{
	if (prio < PROC_PRIO_MIN || prio > PROC_PRIO_MAX)
		return -EINVAL;
	irq_state_t s = arch_irq_save();
	struct proc *p = proc_find(pid);
	int rc = 0;
	if (!p || p == idle_proc) {
		rc = p ? -EPERM : -ENOENT;
	} else if (p->state == PROC_READY) {
		rq_del(p);
		p->prio = prio;
		rq_add(p);
	} else {
		p->prio = prio;
	}
	if (!rc && ready_mask >> (current->prio + 1))
		need_resched = true;
	arch_irq_restore(s);
	sched_preempt_point();
	return rc;
}

static void idle_main(void *arg)
{
	(void)arg;
	for (;;) {
		proc_reap_dead();
		arch_irq_disable();
		if (ready_mask)
			sched_reschedule();
		else if (!proc_reap_pending())
			arch_idle();
		arch_irq_enable();
	}
}

void sched_init(void)
{
	irq_state_t s = arch_irq_save();

	for (int i = 0; i < NPRIO; i++)
		list_init(&runq[i]);
	struct proc *p = proc_init_boot();
	p->state = PROC_RUNNING;
	p->slice = CONFIG_SCHED_SLICE_TICKS;
	fpu_owner = p;
	current = p;
	arch_irq_restore(s);

	int pid = proc_spawn("idle", idle_main, NULL, PROC_PRIO_MIN, 4096,
			     PROC_NOFPU);
	if (pid < 0)
		panic("sched: cannot create the idle process: %s",
		      err_name(pid));
	s = arch_irq_save();
	idle_proc = proc_make_idle(pid);
	rq_del(idle_proc);
	idle_proc->state = PROC_READY;
	arch_irq_restore(s);
}

/* ---- the invariants at the top of this file, checked ---- */

static char check_msg[128];

static const char *broken(const struct proc *p, const char *what)
{
	if (p)
		snprintf(check_msg, sizeof(check_msg),
			 "process '%s' (pid %d, %s): %s", p->name, p->pid,
			 proc_state_name(p->state), what);
	else
		snprintf(check_msg, sizeof(check_msg), "%s", what);
	return check_msg;
}

static bool on_list(const struct list_node *head, const struct list_node *n)
{
	list_for_each(it, head)
	{
		if (it == n)
			return true;
	}
	return false;
}

/* The ready queues against ready_mask; *queued counts their processes. */
static const char *check_runq(int *queued)
{
	*queued = 0;
	if (ready_mask >> NPRIO)
		return broken(NULL, "ready_mask has a bit above PROC_PRIO_MAX");
	for (int prio = 0; prio < NPRIO; prio++) {
		if (!(ready_mask & 1u << prio) != list_empty(&runq[prio]))
			return broken(NULL, "a ready_mask bit disagrees with "
					    "its queue");
		list_for_each(it, &runq[prio])
		{
			const struct proc *p =
				list_entry(it, struct proc, link);
			if (p->state != PROC_READY || p->prio != prio)
				return broken(p, "queued, but not READY at "
						 "that priority");
			if (p == idle_proc || p == current)
				return broken(p, "queued, but idle or running");
			(*queued)++;
		}
	}
	return NULL;
}

static const char *check_timers(void)
{
	uint64_t last = 0;

	list_for_each(it, &timers)
	{
		const struct proc *p = list_entry(it, struct proc, timer);
		if (p->state != PROC_BLOCKED && p->state != PROC_SLEEPING)
			return broken(p, "on the timer list, but not waiting");
		if (p->wake_ns < last)
			return broken(p, "the timer list is out of order");
		last = p->wake_ns;
	}
	return NULL;
}

/* One process against its state; *ready counts those that must be
 * queued. */
static const char *check_proc(const struct proc *p, int *ready)
{
	switch (p->state) {
	case PROC_RUNNING:
		if (p != current)
			return broken(p, "RUNNING, but not current");
		break;
	case PROC_READY:
		if (p != idle_proc)
			(*ready)++;
		break;
	case PROC_BLOCKED:
		if (!p->waiting_on ||
		    !on_list(&p->waiting_on->waiters, &p->link))
			return broken(p, "BLOCKED, but not on its wait queue");
		return NULL; /* on `timers` or not: timeout or none */
	case PROC_SLEEPING:
		if (!list_linked(&p->timer) || list_linked(&p->link))
			return broken(p, "SLEEPING, but not on the timer list "
					 "alone");
		return NULL;
	case PROC_ZOMBIE: break;
	}
	if (list_linked(&p->timer))
		return broken(p, "on the timer list, but not waiting");
	return NULL;
}

const char *sched_check(void)
{
	irq_state_t s = arch_irq_save();
	int queued = 0, ready = 0;
	const char *why = NULL;

	if (!current || current->state != PROC_RUNNING)
		why = broken(current, "the current process is not RUNNING");
	if (!why)
		why = check_runq(&queued);
	if (!why)
		why = check_timers();
	for (const struct proc *p = proc_next(NULL); p && !why;
	     p = proc_next(p))
		why = check_proc(p, &ready);
	if (!why && ready != queued)
		why = broken(NULL, "a READY process is not on the queue of "
				   "its priority");
	arch_irq_restore(s);
	return why;
}
