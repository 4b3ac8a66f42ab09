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
#include <lib/err.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/sync.h>
#include <kernel/tick.h>
#include <mm/dma.h>
#include <mm/kheap.h>
#include <mm/malloc.h>
#include <mm/mm.h>
#include <string.h>

#define NPRIO	     (PROC_PRIO_MAX + 1)
#define CANARY_WORDS 16
#define STACK_CANARY 0x57acca9eu
#define STACK_FILL   0xf1f1f1f1u

static struct proc *current;
static struct proc *idle_proc;
static struct proc init_proc;
static struct list_node runq[NPRIO];
static unsigned ready_mask;
static struct list_node all_procs = LIST_INIT(all_procs);
static struct list_node timers = LIST_INIT(timers);
static struct list_node dead = LIST_INIT(dead); /* detached zombies */
static struct proc *fpu_owner; /* whose FPU state the registers hold */
static _Alignas(
	ARCH_FPU_AREA_ALIGN) unsigned char fpu_clean[ARCH_FPU_AREA_SIZE];
static int next_pid = 2;
static bool need_resched;
static unsigned preempt_off;
static volatile unsigned long switches;
static int nprocs;

static void reschedule(void);

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

int proc_count(void)
{
	return nprocs;
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
static void wake(struct proc *p, int result)
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

static void reap_dead(void);

/* Runs in a process that has just been switched back to. A detached
 * process that exited is freed here, off its own stack, so reaping never
 * waits for idle time (a busy program would otherwise leave every
 * background program that ended a zombie). */
static void after_switch(void)
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
static void reschedule(void)
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

static struct proc *find_proc(int pid)
{
	list_for_each(it, &all_procs)
	{
		struct proc *p = list_entry(it, struct proc, all);
		if (p->pid == pid)
			return p;
	}
	return NULL;
}

/* Keep all_procs in pid order: pids only grow, so append. */
static void proc_link(struct proc *p)
{
	list_add_tail(&all_procs, &p->all);
	nprocs++;
}

static void proc_free_memory(struct proc *p)
{
	if (p->stack_guard)
		arch_mmu_map((vaddr_t)p->stack_alloc, (paddr_t)p->stack_alloc,
			     1, MMU_READ | MMU_WRITE);
	kfree(p->stack_alloc);
	kfree(p->fpu);
	kfree(p);
}

size_t proc_spawn_cost(size_t stack_size, unsigned flags)
{
	if (!stack_size)
		stack_size = PROC_STACK_DEFAULT;
	stack_size = (stack_size + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);
	if (mm_virtual_memory())
		stack_size += PAGE_SIZE;
	if (!(flags & PROC_NOFPU))
		stack_size += ARCH_FPU_AREA_SIZE + ARCH_FPU_AREA_ALIGN;
	return sizeof(struct proc) + stack_size;
}

static void proc_start(void *arg)
{
	struct proc *p = arg;

	/* A first run is a switch too: a kill sent before it ends the
	 * process here, before its entry runs a slice. */
	after_switch();

	p->entry(p->entry_arg);
	proc_exit(0);
}

int proc_spawn(const char *name, proc_entry_fn entry, void *arg, int prio,
	       size_t stack_size, unsigned flags)
{
	return proc_spawn_owning(name, entry, arg, prio, stack_size, flags,
				 NULL);
}

int proc_spawn_owning(const char *name, proc_entry_fn entry, void *arg,
		      int prio, size_t stack_size, unsigned flags,
		      struct proc_resource *owned)
{
	if (!entry || prio < PROC_PRIO_MIN || prio > PROC_PRIO_MAX)
		return -EINVAL;
	if (!stack_size)
		stack_size = PROC_STACK_DEFAULT;
	if (!(flags & PROC_NOFPU))
		flags |= PROC_FPU;
	stack_size = (stack_size + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);
	if ((flags & PROC_PROGRAM) &&
	    !kheap_can_spare(proc_spawn_cost(stack_size, flags)))
		return -ENOMEM;

	struct proc *p = kcalloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	bool guard = mm_virtual_memory();
	p->stack_alloc = kmalloc_aligned(stack_size + (guard ? PAGE_SIZE : 0),
					 PAGE_SIZE);
	if (flags & PROC_FPU)
		p->fpu = kmalloc_aligned(ARCH_FPU_AREA_SIZE,
					 ARCH_FPU_AREA_ALIGN);
	if (!p->stack_alloc || ((flags & PROC_FPU) && !p->fpu)) {
		kfree(p->stack_alloc);
		kfree(p->fpu);
		kfree(p);
		return -ENOMEM;
	}
	/* An unmapped page under the stack turns a deep overflow into a
	 * fault instead of heap corruption. */
	if (guard && arch_mmu_unmap((vaddr_t)p->stack_alloc, 1) == 0)
		p->stack_guard = true;
	p->stack_lo =
		(uint32_t *)((char *)p->stack_alloc + (guard ? PAGE_SIZE : 0));
	p->stack_size = stack_size;
	for (int i = 0; i < CANARY_WORDS; i++)
		p->stack_lo[i] = STACK_CANARY;
	for (size_t i = CANARY_WORDS; i < stack_size / 4; i++)
		p->stack_lo[i] = STACK_FILL;
	if (p->fpu)
		memcpy(p->fpu, fpu_clean, ARCH_FPU_AREA_SIZE);

	strlcpy(p->name, name ? name : "?", sizeof(p->name));
	p->prio = prio;
	p->flags = flags;
	p->entry = entry;
	p->entry_arg = arg;
	list_init(&p->link);
	list_init(&p->timer);
	list_init(&p->resources);
	list_init(&p->mutexes);
	wait_queue_init(&p->exited);
	if (owned)
		list_add_tail(&p->resources, &owned->node);
	arch_context_init(&p->ctx, p->stack_lo, stack_size, proc_start, p);

	irq_state_t s = arch_irq_save();
	p->pid = next_pid++;
	proc_link(p);
	rq_add(p);
	if (p->prio > current->prio)
		need_resched = true;
	int pid = p->pid;
	arch_irq_restore(s);
	sched_preempt_point();
	return pid;
}

void proc_exit(int status)
{
	struct proc *p = current;

	if (p == idle_proc || p == &init_proc)
		panic("sched: process '%s' (pid %d) exited with %d", p->name,
		      p->pid, status);
	p->exiting = true;
	p->exit_status = status;
	if (p->spinlocks) {
		sync_misuse("exit with a spinlock held");
		p->spinlocks = 0;
	}
	/* Release what it owns in process context: a release may block. */
	arch_irq_enable();
	for (;;) {
		irq_state_t s = arch_irq_save();
		struct proc_resource *r = NULL;
		if (!list_empty(&p->resources)) {
			r = list_entry(p->resources.next, struct proc_resource,
				       node);
			list_del(&r->node);
		}
		arch_irq_restore(s);
		if (!r)
			break;
		r->release(r);
	}
	mutex_release_held(p);

	arch_irq_disable();
	if (fpu_owner == p)
		fpu_owner = NULL;
	p->state = PROC_ZOMBIE;
	wait_queue_wake_all(&p->exited);
	if (p->flags & PROC_DETACHED)
		list_add_tail(&dead, &p->link);
	reschedule();
	panic("sched: zombie '%s' ran again", p->name);
}

int proc_wait(int pid, int *status)
{
	return proc_wait_flags(pid, status, 0);
}

int proc_wait_flags(int pid, int *status, unsigned flags)
{
	irq_state_t s = arch_irq_save();
	struct proc *p;
	int rc = 0;

	for (;;) {
		p = find_proc(pid);
		if (!p) {
			rc = -ENOENT;
			goto out;
		}
		if (p == current || p == idle_proc ||
		    (p->flags & PROC_DETACHED)) {
			rc = -EINVAL;
			goto out;
		}
		if (p->state == PROC_ZOMBIE)
			break;
		if (flags & PROC_WAIT_NOHANG) {
			rc = -EAGAIN;
			goto out;
		}
		wait_queue_wait(&p->exited, 0);
	}
	list_del(&p->all);
	nprocs--;
	if (status)
		*status = p->exit_status;
	arch_irq_restore(s);
	proc_free_memory(p);
	return 0;
out:
	arch_irq_restore(s);
	return rc;
}

int proc_kill(int pid)
{
	irq_state_t s = arch_irq_save();
	struct proc *p = find_proc(pid);
	int rc = 0;

	if (!p)
		rc = -ENOENT;
	else if (p == idle_proc || p == &init_proc)
		rc = -EPERM;
	else if (p == current)
		proc_exit(PROC_EXIT_KILLED);
	else if (p->state != PROC_ZOMBIE && !p->killed) {
		p->killed = true;
		if (p->state == PROC_BLOCKED || p->state == PROC_SLEEPING)
			wake(p, -ETIMEDOUT);
	}
	arch_irq_restore(s);
	return rc;
}

bool proc_alive(int pid)
{
	irq_state_t s = arch_irq_save();
	const struct proc *p = find_proc(pid);
	bool alive = p && p->state != PROC_ZOMBIE;
	arch_irq_restore(s);
	return alive;
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

const char *proc_state_name(enum proc_state st)
{
	switch (st) {
	case PROC_READY: return "ready";
	case PROC_RUNNING: return "running";
	case PROC_BLOCKED: return "blocked";
	case PROC_SLEEPING: return "sleeping";
	case PROC_ZOMBIE: return "zombie";
	}
	return "?";
}

static size_t stack_used(const struct proc *p)
{
	if (!p->stack_lo)
		return 0;
	size_t words = p->stack_size / 4, i = CANARY_WORDS;
	while (i < words && p->stack_lo[i] == STACK_FILL)
		i++;
	return (words - i) * 4;
}

int proc_list(struct proc_info *out, int max)
{
	irq_state_t s = arch_irq_save();
	int n = 0;
	list_for_each(it, &all_procs)
	{
		struct proc *p = list_entry(it, struct proc, all);
		if (n < max) {
			struct proc_info *i = &out[n];
			i->pid = p->pid;
			memcpy(i->name, p->name, sizeof(i->name));
			i->state = p->state;
			i->prio = p->prio;
			i->flags = p->flags;
			i->ticks = p->ticks;
			i->switches = p->switches;
			i->stack_size = p->stack_size;
			i->stack_used = stack_used(p);
		}
		n++;
	}
	arch_irq_restore(s);
	return n;
}

/* Free detached zombies, never on their own stack: the process switched
 * to after an exit does it (after_switch), and the idle process. Any IRQ
 * state. */
static void reap_dead(void)
{
	for (;;) {
		irq_state_t s = arch_irq_save();
		struct proc *p = NULL;
		if (!list_empty(&dead)) {
			p = list_entry(dead.next, struct proc, link);
			list_del(&p->link);
			list_del(&p->all);
			nprocs--;
		}
		arch_irq_restore(s);
		if (!p)
			return;
		proc_free_memory(p);
	}
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

bool sched_report_stack_fault(uintptr_t addr)
{
	/* Walk without locking: the machine is going down, and the list is
	 * only changed with IRQs off, which they are here. */
	list_for_each(it, &all_procs)
	{
		struct proc *p = list_entry(it, struct proc, all);
		uintptr_t guard = (uintptr_t)p->stack_alloc;
		if (p->stack_guard && addr >= guard &&
		    addr - guard < PAGE_SIZE) {
			printk("stack overflow in process '%s' (pid %d): %#lx "
			       "is "
			       "in the guard page below its %lu-byte stack\n",
			       p->name, p->pid, (unsigned long)addr,
			       (unsigned long)p->stack_size);
			return true;
		}
	}
	return false;
}

/* ---- per-process resources ---- */

void proc_resource_add(struct proc_resource *r)
{
	irq_state_t s = arch_irq_save();
	list_add_tail(&current->resources, &r->node);
	arch_irq_restore(s);
}

void proc_resource_remove(struct proc_resource *r)
{
	irq_state_t s = arch_irq_save();
	list_del(&r->node);
	arch_irq_restore(s);
}

struct tracked {
	struct proc_resource r;
	bool sbrk;
} __attribute__((aligned(16)));

static void tracked_release(struct proc_resource *r)
{
	struct tracked *t = (struct tracked *)r;
	if (t->sbrk)
		free(t);
	else
		kfree(t);
}

static void *tracked_alloc(size_t size, bool sbrk)
{
	if (size > SIZE_MAX - sizeof(struct tracked))
		return NULL;
	struct tracked *t =
		sbrk ? malloc(sizeof(*t) + size) : kmalloc(sizeof(*t) + size);
	if (!t)
		return NULL;
	t->sbrk = sbrk;
	t->r.release = tracked_release;
	proc_resource_add(&t->r);
	return t + 1;
}

static void tracked_free(void *p)
{
	if (!p)
		return;
	struct tracked *t = (struct tracked *)p - 1;
	proc_resource_remove(&t->r);
	tracked_release(&t->r);
}

void *proc_kmalloc(size_t size)
{
	return tracked_alloc(size, false);
}

void proc_kfree(void *p)
{
	tracked_free(p);
}

void *proc_malloc(size_t size)
{
	if (!mm_virtual_memory()) {
		printk("proc: no sbrk heap on this machine (the MMU is off)\n");
		return NULL;
	}
	return tracked_alloc(size, true);
}

void proc_free(void *p)
{
	tracked_free(p);
}

struct dma_res {
	struct proc_resource r;
	void *virt;
};

static void dma_release(struct proc_resource *r)
{
	struct dma_res *d = (struct dma_res *)r;
	dma_unmap(d->virt);
	kfree(d);
}

void *proc_dma_map(uint64_t phys, size_t size, unsigned flags, int *err)
{
	struct dma_res *d = kmalloc(sizeof(*d));
	if (!d) {
		*err = -ENOMEM;
		return NULL;
	}
	d->virt = dma_area_map(&kernel_dma, phys, size, flags, err);
	if (!d->virt) {
		kfree(d);
		return NULL;
	}
	d->r.release = dma_release;
	proc_resource_add(&d->r);
	return d->virt;
}

int proc_dma_unmap(void *virt)
{
	struct dma_res *found = NULL;
	irq_state_t s = arch_irq_save();
	list_for_each(it, &current->resources)
	{
		struct proc_resource *r =
			list_entry(it, struct proc_resource, node);
		if (r->release == dma_release &&
		    ((struct dma_res *)r)->virt == virt) {
			found = (struct dma_res *)r;
			list_del(&r->node);
			break;
		}
	}
	arch_irq_restore(s);
	if (!found)
		return -EINVAL;
	dma_release(&found->r);
	return 0;
}
