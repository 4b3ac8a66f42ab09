/*
 * The scheduler's invariants (listed at the top of kernel/sched.c),
 * checked: sched_check() names the first one broken.
 */
#include <kernel/klock.h>
#include <kernel/printk.h>
#include <kernel/sched.h>

#include "sched_cpu.h"
#include "sched_internal.h"

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

static bool is_current(const struct proc *p)
{
	for (unsigned i = 0; i < CONFIG_NR_CPUS; i++)
		if (sched_cpus[i].online && sched_cpus[i].current == p)
			return true;
	return false;
}

/* One CPU's ready queues against its ready_mask; *queued counts their
 * processes. */
static const char *check_runq(const struct sched_cpu *c, int *queued)
{
	unsigned stealable = 0;

	if (c->ready_mask >> NPRIO)
		return broken(NULL, "ready_mask has a bit above PROC_PRIO_MAX");
	for (int prio = 0; prio < NPRIO; prio++) {
		if (!(c->ready_mask & 1u << prio) != list_empty(&c->runq[prio]))
			return broken(NULL, "a ready_mask bit disagrees with "
					    "its queue");
		list_for_each(it, &c->runq[prio])
		{
			const struct proc *p =
				list_entry(it, struct proc, link);
			if (p->state != PROC_READY || p->prio != prio ||
			    p->cpu != cpu_index(c))
				return broken(p, "queued, but not READY at "
						 "that priority on that CPU");
			if (sched_is_idle(p) || is_current(p))
				return broken(p, "queued, but idle or running");
			if (p->pin >= 0 && p->pin != (int)cpu_index(c))
				return broken(p, "queued away from the CPU it "
						 "is pinned to");
			(*queued)++;
			stealable += p->pin < 0;
		}
	}
	if (stealable != c->stealable)
		return broken(NULL, "a CPU's count of unpinned queued "
				    "processes is wrong");
	return NULL;
}

static const char *check_timers(void)
{
	uint64_t last = 0;

	list_for_each(it, &sched_timers)
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
		if (!is_current(p))
			return broken(p, "RUNNING, but no CPU's current");
		break;
	case PROC_READY:
		if (!sched_is_idle(p))
			(*ready)++;
		break;
	case PROC_BLOCKED:
		if (!p->waiting_on ||
		    !on_list(&p->waiting_on->waiters, &p->link))
			return broken(p, "BLOCKED, but not on its wait queue");
		return NULL; /* on `sched_timers` or not: timeout or none */
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
	irq_state_t s = klock_irqsave();
	int queued = 0, ready = 0;
	const char *why = NULL;

	for (unsigned i = 0; i < CONFIG_NR_CPUS && !why; i++) {
		const struct sched_cpu *c = &sched_cpus[i];
		if (!c->online)
			continue;
		if (!c->current || c->current->state != PROC_RUNNING)
			why = broken(c->current, "a CPU's current process is "
						 "not RUNNING");
		if (!why)
			why = check_runq(c, &queued);
	}
	if (!why)
		why = check_timers();
	for (const struct proc *p = proc_next(NULL); p && !why;
	     p = proc_next(p))
		why = check_proc(p, &ready);
	if (!why && ready != queued)
		why = broken(NULL, "a READY process is not on the queue of "
				   "its priority");
	klock_irqrestore(s);
	return why;
}
