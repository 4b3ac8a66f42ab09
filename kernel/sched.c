/*
 * The scheduler: ready queues by priority, timed sleeps, context switches,
 * exit and reaping. Uniprocessor; all state here is protected by disabling
 * IRQs, so every static function below is called with IRQs off.
 *
 * Invariants (checked by sched_check() in the tests):
 *  - `current` is RUNNING and is on no ready queue;
 *  - a READY process is on runq[prio], and bit `prio` of ready_mask is set
 *    exactly when runq[prio] is non-empty; the idle process is never queued;
 *  - a BLOCKED process is on its waiting_on queue, and on `timers` if its
 *    wait has a timeout; a SLEEPING one is on `timers` only;
 *  - `timers` is sorted by wake_tick.
 */
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/ops.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/sync.h>
#include <kernel/tick.h>
#include <lib/err.h>
#include <mm/dma.h>
#include <mm/kheap.h>
#include <mm/malloc.h>
#include <mm/mm.h>
#include <string.h>

#include "sched_internal.h"

#define NPRIO (PROC_PRIO_MAX + 1)

struct proc *current;
struct proc *idle_proc;
static struct list_node runq[NPRIO];
static unsigned ready_mask;
static struct list_node timers = LIST_INIT(timers);
struct proc *fpu_owner; /* whose FPU state the registers hold */
_Alignas(ARCH_FPU_AREA_ALIGN) unsigned char fpu_clean[ARCH_FPU_AREA_SIZE];
bool need_resched;
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

void rq_add(struct proc *p)
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

static uint64_t ms_to_ticks(unsigned ms)
{
	uint64_t t = ((uint64_t)ms * CONFIG_HZ + 999) / 1000;
	return t ? t : 1;
}

static void timer_add(struct proc *p, uint64_t wake_tick)
{
	p->wake_tick = wake_tick;
	list_for_each(it, &timers)
	{
		if (list_entry(it, struct proc, timer)->wake_tick > wake_tick) {
			list_insert_before(it, &p->timer);
			return;
		}
	}
	list_add_tail(&timers, &p->timer);
}

/* Make a blocked or sleeping process ready with `result` as its wait's
 * answer. */
void wake(struct proc *p, int result)
{
	if (p->state == PROC_BLOCKED)
		list_del(&p->link);
	list_del(&p->timer);
	p->waiting_on = NULL;
	p->wake_result = result;
	rq_add(p);
	if (current && p->prio > current->prio)
		need_resched = true;
}

/* Runs in a process that has just been switched back to. A detached
 * process that exited is freed here, off its own stack, so reaping never
 * waits for idle time (a busy program would otherwise leave every
 * background program that ended a zombie). */
void after_switch(void)
{
	struct proc *p = current;

	if (!list_empty(&dead))
		reap_dead();

	if (p->killed && !p->exiting && p->spinlocks == 0)
		proc_exit(p->exit_status ? p->exit_status : PROC_EXIT_KILLED);
}

/*
 * Switch to the best ready process. The caller has set current's state:
 * RUNNING means "preempted or yielding: requeue me at the tail".
 */
void reschedule(void)
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
		after_switch(); /* a broken canary ends it even so */
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
	after_switch();
}

void sched_tick(void)
{
	uint64_t now = tick_count();

	if (!current)
		return;
	while (!list_empty(&timers)) {
		struct proc *p = list_entry(timers.next, struct proc, timer);
		if (p->wake_tick > now)
			break;
		wake(p, p->state == PROC_BLOCKED ? -ETIMEDOUT : 0);
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
		reschedule();
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
	if (current->killed && !current->exiting && current->spinlocks == 0)
		proc_exit(current->exit_status ? current->exit_status
					       : PROC_EXIT_KILLED);
	reschedule();
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
		timer_add(current, tick_count() + ms_to_ticks(ms) + 1);
		reschedule();
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
	if (p->killed && !p->exiting)
		proc_exit(p->exit_status ? p->exit_status : PROC_EXIT_KILLED);
	p->state = PROC_BLOCKED;
	p->waiting_on = wq;
	p->wake_result = 0;
	list_add_tail(&wq->waiters, &p->link);
	if (timeout_ms)
		timer_add(p, tick_count() + ms_to_ticks(timeout_ms) + 1);
	reschedule();
	return p->wake_result;
}

int wait_queue_wake_one(struct wait_queue *wq)
{
	irq_state_t s = arch_irq_save();
	int n = 0;
	if (!list_empty(&wq->waiters)) {
		wake(list_entry(wq->waiters.next, struct proc, link), 0);
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
	wake(p, 0);
	return p;
}

int wait_queue_wake_all(struct wait_queue *wq)
{
	irq_state_t s = arch_irq_save();
	int n = 0;
	while (!list_empty(&wq->waiters)) {
		wake(list_entry(wq->waiters.next, struct proc, link), 0);
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
	struct proc *p = find_proc(pid);
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
		reap_dead();
		arch_irq_disable();
		if (ready_mask)
			reschedule();
		else if (list_empty(&dead))
			arch_idle();
		arch_irq_enable();
	}
}

void sched_init(void)
{
	irq_state_t s = arch_irq_save();

	for (int i = 0; i < NPRIO; i++)
		list_init(&runq[i]);
	/* Nothing has used the FPU yet: this is the state a new process
	 * starts with. */
	arch_fpu_save(fpu_clean);

	struct proc *p = &init_proc;
	p->pid = 1;
	strlcpy(p->name, "init", sizeof(p->name));
	p->prio = PROC_PRIO_DEFAULT;
	p->state = PROC_RUNNING;
	p->slice = CONFIG_SCHED_SLICE_TICKS;
	p->flags = PROC_FPU;
	p->fpu = kmalloc_aligned(ARCH_FPU_AREA_SIZE, ARCH_FPU_AREA_ALIGN);
	if (!p->fpu)
		panic("sched: no memory for init's FPU area");
	list_init(&p->link);
	list_init(&p->timer);
	list_init(&p->resources);
	list_init(&p->mutexes);
	wait_queue_init(&p->exited);
	proc_link(p);
	fpu_owner = p;
	current = p;
	arch_irq_restore(s);

	int pid = proc_spawn("idle", idle_main, NULL, PROC_PRIO_MIN, 4096,
			     PROC_NOFPU);
	if (pid < 0)
		panic("sched: cannot create the idle process: %s",
		      err_name(pid));
	s = arch_irq_save();
	idle_proc = find_proc(pid);
	rq_del(idle_proc);
	idle_proc->pid = 0;
	next_pid = pid;
	/* Keep pid order: the idle process is listed first. */
	list_del(&idle_proc->all);
	list_add_head(&all_procs, &idle_proc->all);
	idle_proc->state = PROC_READY;
	arch_irq_restore(s);
}
