/*
 * The scheduler: per-CPU ready queues by priority, timed sleeps and wait
 * queues, context switches, preemption, an idle process per CPU. Creating,
 * ending and reaping processes is kernel/proc.c. All state here is the big
 * lock's (<kernel/klock.h>), so every static function below is called with
 * it held (and IRQs off).
 *
 * Several CPUs: each has its own ready queues, current and idle process.
 * A process made ready goes to an idle CPU if there is one, else to the
 * CPU it last ran on, else to the CPU running the least important
 * process; that CPU is told to reschedule (an IPI) if the newcomer
 * outranks what it runs. A CPU picks the most important ready process of
 * all the queues, its own first at equal priority: it steals from another
 * queue only for a strictly higher priority or when its own is empty, so
 * the priority rules hold across CPUs and an idle CPU takes work at its
 * next tick or IPI (work stealing).
 *
 * A switch happens with the big lock held by the switching CPU; the
 * process switched to gives it back (its own klock_irqrestore), so no
 * other CPU can pick a process whose registers are still being saved.
 * FPU state is saved at every switch away from a process that has one
 * (it may next run on another CPU) and restored unless the registers
 * still hold it.
 *
 * Invariants (sched_check() in kernel/sched_check.c checks them; the
 * sched tests call it with processes in every state):
 *  - each scheduling CPU's `current` is RUNNING, and the RUNNING processes
 *    are exactly those; none is on a ready queue;
 *  - a READY process is on sched_cpus[p->cpu].runq[prio], and bit `prio` of
 * that CPU's ready_mask is set exactly when the queue is non-empty; idle
 *    processes are never queued;
 *  - a BLOCKED process is on its waiting_on queue, and on `sched_timers` if its
 *    wait has a timeout; a SLEEPING one is on `sched_timers` only; no other
 *    process is on `sched_timers`;
 *  - `sched_timers` is sorted by wake_ns.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/ops.h>
#include <arch/smp.h>
#include <arch/thread.h>
#include <arch/timer.h>
#include <kernel/klock.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/sync.h>
#include <kernel/tick.h>
#include <lib/err.h>

#include "sched_internal.h"

#include "sched_cpu.h"

struct sched_cpu sched_cpus[CONFIG_NR_CPUS];
struct list_node sched_timers = LIST_INIT(sched_timers);
static volatile unsigned long switches;

/* The caller's CPU. IRQs off (or the big lock held). */
static inline struct sched_cpu *this_cpu(void)
{
	return &sched_cpus[arch_cpu_id()];
}

bool sched_running(void)
{
	return sched_cpus[0].current != NULL;
}

struct proc *proc_current(void)
{
	irq_state_t s = arch_irq_save();
	struct proc *p = this_cpu()->current;
	arch_irq_restore(s);
	return p;
}

unsigned long sched_switch_count(void)
{
	return switches;
}

const volatile unsigned long *sched_switch_counter(void)
{
	return &switches;
}

int sched_cpu_stats(unsigned cpu, struct sched_cpu_stats *out)
{
	if (cpu >= CONFIG_NR_CPUS)
		return -EINVAL;
	irq_state_t s = klock_irqsave();
	int rc = sched_cpus[cpu].online ? 0 : -ENODEV;
	if (!rc) {
		*out = sched_cpus[cpu].stats;
		out->current_pid = sched_cpus[cpu].current->pid;
	}
	klock_irqrestore(s);
	return rc;
}

/* Preemption is counted per process: a process that blocks with it off
 * and wakes on another CPU turns it back on there. */
void sched_preempt_disable(void)
{
	irq_state_t s = arch_irq_save();
	struct proc *p = this_cpu()->current;
	if (p)
		p->preempt_off++;
	arch_irq_restore(s);
}

/* A kill that came while preemption was off ends the process at the next
 * preemption point (the next interrupt's exit at the latest): not here,
 * since an interrupt handler may pair disable and enable too. */
void sched_preempt_enable(void)
{
	irq_state_t s = arch_irq_save();
	struct sched_cpu *c = this_cpu();
	struct proc *p = c->current;
	if (p && p->preempt_off && --p->preempt_off == 0 && p->killed)
		c->need_resched = true;
	arch_irq_restore(s);
}

static void rq_add(struct sched_cpu *c, struct proc *p)
{
	p->state = PROC_READY;
	p->cpu = cpu_index(c);
	list_add_tail(&c->runq[p->prio], &p->link);
	c->ready_mask |= 1u << p->prio;
	if (p->pin < 0)
		c->stealable++;
}

static void rq_del(struct proc *p)
{
	struct sched_cpu *c = &sched_cpus[p->cpu];

	list_del(&p->link);
	if (list_empty(&c->runq[p->prio]))
		c->ready_mask &= ~(1u << p->prio);
	if (p->pin < 0)
		c->stealable--;
}

static int top_prio(unsigned mask)
{
	return mask ? 31 - __builtin_clz(mask) : -1;
}

/* The most important process another CPU may take from `o`'s queues (one
 * not pinned there), and its priority; NULL if none. */
static struct proc *stealable(const struct sched_cpu *o, int *prio)
{
	unsigned mask = o->ready_mask;

	while (mask) {
		int top = top_prio(mask);
		list_for_each(it, &o->runq[top])
		{
			struct proc *p = list_entry(it, struct proc, link);
			if (p->pin < 0) {
				*prio = top;
				return p;
			}
		}
		mask &= ~(1u << top);
	}
	return NULL;
}

/* The most important ready process for `c`: its own queue's first at
 * equal priority, another CPU's if strictly more important, or equally
 * important while that CPU runs something more important still (so it
 * would wait there). */
static struct proc *pick_next(struct sched_cpu *c)
{
	int best = top_prio(c->ready_mask);
	struct proc *pick =
		best < 0 ? NULL
			 : list_entry(c->runq[best].next, struct proc, link);

	for (unsigned i = 0; i < CONFIG_NR_CPUS; i++) {
		struct sched_cpu *o = &sched_cpus[i];
		int prio;
		if (o == c || !o->online)
			continue;
		struct proc *p = stealable(o, &prio);
		if (p && (prio > best ||
			  (prio == best && o->current->prio > prio))) {
			best = prio;
			pick = p;
		}
	}
	return pick ? pick : c->idle;
}

/* Whether `c` (idle) has anything to run, its queue or another's. */
static bool work_for(const struct sched_cpu *c)
{
	int prio;

	if (c->ready_mask)
		return true;
	for (unsigned i = 0; i < CONFIG_NR_CPUS; i++)
		if (&sched_cpus[i] != c && sched_cpus[i].online &&
		    stealable(&sched_cpus[i], &prio))
			return true;
	return false;
}

/* The same without the lock (the idle loop, the tick): counts read as
 * they are; a yes is confirmed under the lock, a no missed by a race is
 * seen at the next tick or IPI. */
static bool work_hint(const struct sched_cpu *c)
{
	if (__atomic_load_n(&c->ready_mask, __ATOMIC_RELAXED))
		return true;
	for (unsigned i = 0; i < CONFIG_NR_CPUS; i++)
		if (&sched_cpus[i] != c &&
		    __atomic_load_n(&sched_cpus[i].stealable, __ATOMIC_RELAXED))
			return true;
	return false;
}

static bool cpu_is_idle(const struct sched_cpu *c)
{
	return c->online && c->current == c->idle && !c->ready_mask;
}

/* Where `p`, just made ready, waits: its pinned CPU; else an idle CPU
 * (its last one first), else its last CPU, unless another runs something
 * less important. */
static struct sched_cpu *place(const struct proc *p)
{
	struct sched_cpu *last = this_cpu();

	if (p->pin >= 0)
		return &sched_cpus[p->pin];
	if (p->cpu < CONFIG_NR_CPUS && sched_cpus[p->cpu].online)
		last = &sched_cpus[p->cpu];
	if (cpu_is_idle(last))
		return last;
	struct sched_cpu *low = last;
	for (unsigned i = 0; i < CONFIG_NR_CPUS; i++) {
		struct sched_cpu *c = &sched_cpus[i];
		if (cpu_is_idle(c))
			return c;
		if (c->online && c->current->prio < low->current->prio)
			low = c;
	}
	return low->current->prio < p->prio ? low : last;
}

/* Ask `c` to reschedule: at once if it is this CPU's (the next
 * preemption point), else by an IPI. */
static void kick(struct sched_cpu *c)
{
	c->need_resched = true;
	if (c != this_cpu())
		arch_ipi_send(cpu_index(c), SMP_IPI_RESCHEDULE);
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
	list_for_each(it, &sched_timers)
	{
		if (list_entry(it, struct proc, timer)->wake_ns > wake_ns) {
			list_insert_before(it, &p->timer);
			return;
		}
	}
	list_add_tail(&sched_timers, &p->timer);
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

void sched_kick_running(struct proc *p)
{
	if (p->state == PROC_RUNNING && p->cpu < CONFIG_NR_CPUS &&
	    &sched_cpus[p->cpu] != this_cpu())
		kick(&sched_cpus[p->cpu]);
}

int proc_pin(int pid, int cpu)
{
	if (cpu >= CONFIG_NR_CPUS || cpu < -1)
		return -EINVAL;
	irq_state_t s = klock_irqsave();
	struct proc *p = proc_find(pid);
	struct sched_cpu *c = this_cpu();
	int rc = 0;

	if (!p || p->state == PROC_ZOMBIE)
		rc = -ENOENT;
	else if (sched_is_idle(p))
		rc = -EPERM;
	else if (cpu >= 0 && !sched_cpus[cpu].online)
		rc = -ENODEV;
	if (rc || p->pin == cpu) {
		klock_irqrestore(s);
		return rc;
	}
	if (p->state == PROC_READY) {
		rq_del(p); /* counted as stealable by its old pin */
		p->pin = cpu;
		sched_make_ready(p);
	} else {
		p->pin = cpu;
		if (cpu >= 0 && p->state == PROC_RUNNING &&
		    p->cpu != (unsigned)cpu) {
			if (p == c->current)
				c->need_resched = true; /* moves at the
							 * yield below */
			else
				kick(&sched_cpus[p->cpu]);
		}
	}
	klock_irqrestore(s);
	sched_preempt_point();
	return 0;
}

int proc_pinned(int pid)
{
	irq_state_t s = klock_irqsave();
	struct proc *p = proc_find(pid);
	int pin = p ? p->pin : -ENOENT;
	klock_irqrestore(s);
	return pin;
}

struct proc *sched_idle(void)
{
	irq_state_t s = arch_irq_save();
	struct proc *p = this_cpu()->idle;
	arch_irq_restore(s);
	return p;
}

bool sched_is_idle(const struct proc *p)
{
	for (unsigned i = 0; i < CONFIG_NR_CPUS; i++)
		if (sched_cpus[i].idle == p)
			return true;
	return false;
}

void sched_make_ready(struct proc *p)
{
	struct sched_cpu *c = place(p);

	rq_add(c, p);
	if (c->current && (c->current == c->idle || p->prio > c->current->prio))
		kick(c);
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
	for (unsigned i = 0; i < CONFIG_NR_CPUS; i++)
		if (sched_cpus[i].fpu_owner == p)
			sched_cpus[i].fpu_owner = NULL;
}

/* Save `prev`'s FPU registers (it may next run on another CPU) and load
 * `next`'s unless this CPU's registers still hold them: it ran here last
 * and no other process's state was loaded since. */
static void fpu_switch(struct sched_cpu *c, struct proc *prev,
		       struct proc *next)
{
	if (c->fpu_owner == prev && (prev->flags & PROC_FPU))
		arch_fpu_save(prev->fpu);
	if ((next->flags & PROC_FPU) &&
	    (c->fpu_owner != next || next->cpu != cpu_index(c))) {
		arch_fpu_restore(next->fpu);
		c->fpu_owner = next;
	}
}

void sched_reschedule(void)
{
	struct sched_cpu *c = this_cpu();
	struct proc *prev = c->current;

	c->need_resched = false;
	check_stack(prev);
	if (prev->state == PROC_RUNNING) {
		if (prev == c->idle) {
			prev->state = PROC_READY; /* idle is never queued */
		} else if (prev->pin >= 0 && prev->pin != (int)cpu_index(c)) {
			rq_add(&sched_cpus[prev->pin],
			       prev); /* pinned elsewhere */
			kick(&sched_cpus[prev->pin]);
		} else {
			rq_add(c, prev);
		}
	}
	struct proc *next = pick_next(c);
	if (next != c->idle)
		rq_del(next);
	next->state = PROC_RUNNING;
	next->slice = CONFIG_SCHED_SLICE_TICKS;
	if (next == prev) {
		proc_after_switch(prev); /* a broken canary ends it even so */
		return;
	}
	fpu_switch(c, prev, next);
	next->cpu = cpu_index(c);
	next->switches++;
	c->stats.switches++;
	switches++;
	c->current = next;
	/* The big lock stays this CPU's across the switch; its depth is the
	 * outgoing process's, kept here, on its stack. */
	unsigned depth = klock_depth();
	arch_context_switch(&prev->ctx, &next->ctx);
	klock_set_depth(depth);
	proc_after_switch(prev); /* `prev` is this process, running again */
}

/* Whether the first timed wait may be due: a peek without the lock (the
 * entry may be changing under another CPU; kernel memory stays mapped, so
 * the read is harmless), confirmed under the lock. */
static bool timers_may_be_due(uint64_t now)
{
	const struct list_node *first =
		__atomic_load_n(&sched_timers.next, __ATOMIC_RELAXED);
	return first != &sched_timers &&
	       list_entry(first, struct proc, timer)->wake_ns <= now;
}

/* The tick, on each CPU. It takes the big lock only to wake timed waits
 * (the boot CPU's, when one is due): its slice and statistics are this
 * CPU's alone (only this CPU switches its own process, and it is in the
 * interrupt now), and an idle CPU's look at the queues is a hint its
 * reschedule confirms. Taking the lock at every tick of every CPU made
 * the lock's handoffs the busiest path of an idle machine: at -smp 4 on a
 * 2-core host a ticket was often handed to a virtual CPU the host was not
 * running, and every tick then waited for it. */
void sched_tick(void)
{
	struct sched_cpu *c = this_cpu();
	struct proc *cur = c->current;

	if (!cur)
		return;
	if (c == &sched_cpus[0]) {
		uint64_t now = arch_time_ns();
		if (timers_may_be_due(now)) {
			irq_state_t s = klock_irqsave();
			while (!list_empty(&sched_timers)) {
				struct proc *p = list_entry(sched_timers.next,
							    struct proc, timer);
				if (p->wake_ns > now)
					break;
				sched_wake(p, p->state == PROC_BLOCKED
						      ? -ETIMEDOUT
						      : 0);
			}
			klock_irqrestore(s);
		}
	}
	if (cur == c->idle) {
		c->stats.idle_ticks++;
		if (work_hint(c))
			c->need_resched = true;
	} else {
		c->stats.busy_ticks++;
		cur->ticks++;
		if (--cur->slice <= 0)
			c->need_resched = true;
	}
}

/* The end of every interrupt (arch/include/arch/irq.h): preempt here. */
void kernel_irq_exit(void)
{
	struct sched_cpu *c = this_cpu();
	struct proc *p = c->current;

	if (!p || !c->need_resched || p->preempt_off || p->spinlocks)
		return;
	irq_state_t s = klock_irqsave();
	if (this_cpu()->need_resched)
		sched_reschedule();
	klock_irqrestore(s);
}

/* Yield if a wake-up asked for it; process context only. */
void sched_preempt_point(void)
{
	irq_state_t s = arch_irq_save();
	struct sched_cpu *c = this_cpu();
	bool yield = c->need_resched && c->current && !c->current->preempt_off;
	arch_irq_restore(s);
	if (yield)
		proc_yield();
}

void proc_yield(void)
{
	irq_state_t s = klock_irqsave();
	proc_exit_if_killed(this_cpu()->current);
	sched_reschedule();
	klock_irqrestore(s);
}

void proc_sleep_ms(unsigned ms)
{
	if (ms == 0) {
		proc_yield();
		return;
	}
	irq_state_t s = klock_irqsave();
	struct proc *p = this_cpu()->current;
	if (p->spinlocks) {
		sync_misuse("sleeping with a spinlock held");
	} else {
		p->state = PROC_SLEEPING;
		timer_add(p, ms);
		sched_reschedule();
	}
	klock_irqrestore(s);
}

void wait_queue_init(struct wait_queue *wq)
{
	list_init(&wq->waiters);
}

int wait_queue_wait(struct wait_queue *wq, unsigned timeout_ms)
{
	struct proc *p = this_cpu()->current;

	if (p->spinlocks) {
		sync_misuse("sleeping with a spinlock held");
		return -EDEADLK;
	}
	if (!klock_held()) {
		sync_misuse("waiting without the kernel lock");
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
	irq_state_t s = klock_irqsave();
	int n = 0;
	if (!list_empty(&wq->waiters)) {
		sched_wake(list_entry(wq->waiters.next, struct proc, link), 0);
		n = 1;
	}
	klock_irqrestore(s);
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
	irq_state_t s = klock_irqsave();
	int n = 0;
	while (!list_empty(&wq->waiters)) {
		sched_wake(list_entry(wq->waiters.next, struct proc, link), 0);
		n++;
	}
	klock_irqrestore(s);
	return n;
}

/* After priorities changed: every CPU running something less important
 * than a ready process reschedules. */
static void kick_outranked(void)
{
	int best = -1;
	for (unsigned i = 0; i < CONFIG_NR_CPUS; i++)
		if (sched_cpus[i].online &&
		    top_prio(sched_cpus[i].ready_mask) > best)
			best = top_prio(sched_cpus[i].ready_mask);
	for (unsigned i = 0; i < CONFIG_NR_CPUS; i++)
		if (sched_cpus[i].online && sched_cpus[i].current->prio < best)
			kick(&sched_cpus[i]);
}

int proc_set_prio(int pid, int prio)
{
	if (prio < PROC_PRIO_MIN || prio > PROC_PRIO_MAX)
		return -EINVAL;
	irq_state_t s = klock_irqsave();
	struct proc *p = proc_find(pid);
	int rc = 0;
	if (!p || sched_is_idle(p)) {
		rc = p ? -EPERM : -ENOENT;
	} else if (p->state == PROC_READY) {
		rq_del(p);
		p->prio = prio;
		rq_add(&sched_cpus[p->cpu], p);
	} else {
		p->prio = prio;
	}
	if (!rc)
		kick_outranked();
	klock_irqrestore(s);
	sched_preempt_point();
	return rc;
}

/* Every CPU's idle process: run whatever becomes ready, else wait for an
 * interrupt with the big lock given up. */
static void idle_main(void *arg)
{
	(void)arg;
	for (;;) {
		if (proc_reap_pending())
			proc_reap_dead();
		/* A look without the lock, IRQs off: work placed here comes
		 * with an IPI, which wakes the wait below even if it arrives
		 * before it (arch_idle enables and waits atomically); work
		 * queued on a busy CPU is seen at the next tick. */
		irq_state_t s = arch_irq_save();
		struct sched_cpu *c = this_cpu();
		if (!work_hint(c) && !proc_reap_pending()) {
			arch_idle();
			arch_irq_restore(s);
			continue;
		}
		arch_irq_restore(s);
		s = klock_irqsave();
		if (work_for(this_cpu()))
			sched_reschedule();
		klock_irqrestore(s);
	}
}

static void cpu_init(struct sched_cpu *c)
{
	for (int i = 0; i < NPRIO; i++)
		list_init(&c->runq[i]);
}

void sched_init(void)
{
	irq_state_t s = klock_irqsave();

	for (unsigned i = 0; i < CONFIG_NR_CPUS; i++)
		cpu_init(&sched_cpus[i]);
	struct proc *p = proc_init_boot();
	p->state = PROC_RUNNING;
	p->slice = CONFIG_SCHED_SLICE_TICKS;
	p->cpu = 0;
	sched_cpus[0].fpu_owner = p;
	sched_cpus[0].current = p;
	sched_cpus[0].online = true;
	klock_irqrestore(s);

	int pid = proc_spawn("idle", idle_main, NULL, PROC_PRIO_MIN, 4096,
			     PROC_NOFPU);
	if (pid < 0)
		panic("sched: cannot create the idle process: %s",
		      err_name(pid));
	s = klock_irqsave();
	struct proc *idle = proc_make_idle(pid);
	rq_del(idle);
	idle->state = PROC_READY;
	sched_cpus[0].idle = idle;
	klock_irqrestore(s);
}

void sched_cpu_start(unsigned cpu, void (*tick)(void))
{
	struct sched_cpu *c = &sched_cpus[cpu];
	struct proc *idle = proc_adopt_idle(cpu);

	if (!idle) {
		printk("sched: cpu %u: no memory for its idle process; it "
		       "stays parked\n",
		       cpu);
		for (;;)
			arch_idle();
	}
	irq_state_t s = klock_irqsave();
	idle->state = PROC_RUNNING;
	idle->cpu = cpu;
	c->idle = idle;
	c->current = idle;
	c->online = true;
	klock_irqrestore(s);
	int rc = arch_cpu_timer_start(CONFIG_HZ, tick);
	if (rc < 0)
		printk("sched: cpu %u has no tick (%s): it runs what IPIs "
		       "send it, without time slices\n",
		       cpu, err_name(rc));
	arch_irq_enable();
	idle_main(NULL);
	__builtin_unreachable(); /* idle_main loops forever */
}
