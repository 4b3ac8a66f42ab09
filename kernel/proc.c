/*
 * The process lifecycle: the process table, spawn (stack, guard page,
 * canary, FPU area), exit and the release of what a process owns, wait and
 * reaping, kill, `ps`. Which process runs, and when, is kernel/sched.c.
 * The table is protected by the kernel's big lock (<kernel/klock.h>).
 *
 * Every process is on all_procs, in pid order, from its spawn until it is
 * reaped: by proc_wait, or, if detached, from `dead` by the next process
 * switched to (proc_after_switch) or by the idle process.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/ops.h>
#include <kernel/console.h>
#include <kernel/klock.h>
#include <kernel/ksyms.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/stack_cache.h>
#include <kernel/sync.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <mm/mm.h>
#include <string.h>

#include "sched_internal.h"

static struct proc init_proc;
static struct list_node all_procs = LIST_INIT(all_procs);
static struct list_node dead = LIST_INIT(dead); /* detached zombies */
static int next_pid = 2;
static int nprocs;
/* Processes counted gone (unlinked, nprocs lowered) whose memory another
 * CPU is still freeing; klock. See proc_settle. */
static int frees_in_flight;
/* The FPU state every process starts with: the registers as the boot left
 * them, before anything used the FPU. */
static _Alignas(
	ARCH_FPU_AREA_ALIGN) unsigned char fpu_clean[ARCH_FPU_AREA_SIZE];

int proc_count(void)
{
	return nprocs;
}

struct proc *proc_find(int pid)
{
	list_for_each(it, &all_procs)
	{
		struct proc *p = list_entry(it, struct proc, all);
		if (p->pid == pid)
			return p;
	}
	return NULL;
}

struct proc *proc_next(const struct proc *p)
{
	const struct list_node *n = p ? p->all.next : all_procs.next;
	return n == &all_procs ? NULL : list_entry(n, struct proc, all);
}

/* Keep all_procs in pid order: pids only grow, so append. */
static void proc_link(struct proc *p)
{
	list_add_tail(&all_procs, &p->all);
	nprocs++;
}

/* What a process is before it is linked: its identity and empty lists. */
static void proc_setup(struct proc *p, const char *name, int prio,
		       unsigned flags)
{
	strlcpy(p->name, name ? name : "?", sizeof(p->name));
	p->prio = prio;
	p->flags = flags;
	list_init(&p->link);
	list_init(&p->timer);
	list_init(&p->resources);
	list_init(&p->mutexes);
	wait_queue_init(&p->exited);
	p->pin = -1;
}

struct proc *proc_init_boot(void)
{
	/* Nothing has used the FPU yet: this is the state a new process
	 * starts with. */
	arch_fpu_save(fpu_clean);

	struct proc *p = &init_proc;
	p->pid = 1;
	proc_setup(p, "init", PROC_PRIO_DEFAULT, PROC_FPU);
	p->fpu = kmalloc_aligned(ARCH_FPU_AREA_SIZE, ARCH_FPU_AREA_ALIGN);
	if (!p->fpu)
		panic("sched: no memory for init's FPU area");
	proc_link(p);
	return p;
}

struct proc *proc_make_idle(int pid)
{
	struct proc *p = proc_find(pid);

	p->pid = 0;
	next_pid = pid;
	/* Keep pid order: the idle process is listed first. */
	list_del(&p->all);
	list_add_head(&all_procs, &p->all);
	return p;
}

struct proc *proc_adopt_idle(unsigned cpu)
{
	struct proc *p = kmalloc(sizeof(*p));
	if (!p)
		return NULL;
	memset(p, 0, sizeof(*p));
	char name[PROC_NAME_MAX];
	snprintf(name, sizeof(name), "idle%u", cpu);
	proc_setup(p, name, PROC_PRIO_MIN, PROC_NOFPU);
	p->pid = 0;
	irq_state_t s = klock_irqsave();
	struct proc *after = proc_find(0);
	while (after && proc_next(after) && proc_next(after)->pid == 0)
		after = proc_next(after);
	if (after)
		list_insert_before(after->all.next, &p->all);
	else
		list_add_head(&all_procs, &p->all);
	nprocs++;
	klock_irqrestore(s);
	return p;
}

static void proc_free_memory(struct proc *p)
{
	if (p->stack_guard &&
	    !stack_cache_keep(p->stack_alloc, p->stack_size + PAGE_SIZE)) {
		arch_mmu_map((vaddr_t)p->stack_alloc, (paddr_t)p->stack_alloc,
			     1, MMU_READ | MMU_WRITE);
		kfree(p->stack_alloc);
	} else if (!p->stack_guard) {
		kfree(p->stack_alloc);
	}
	kfree(p->fpu);
	kfree(p);
}

/* Free a process unlinked and uncounted under klock with frees_in_flight
 * raised, then lower it; the caller keeps preemption off throughout. */
static void proc_free_counted(struct proc *p)
{
	proc_free_memory(p);
	irq_state_t s = klock_irqsave();
	frees_in_flight--;
	klock_irqrestore(s);
}

/*
 * Counters that must come back (the fuzz boot's, after each run) are read
 * after this: detached zombies are freed, and a free another CPU is in the
 * middle of (nprocs already lowered, the struct proc not yet given back)
 * has ended. Without it an ARM fuzz boot at -smp 2 reported "left behind
 * 224 bytes kernel heap (1 object)", a struct proc its reaper on the other
 * CPU was about to free. Both frees run with preemption off, so the wait
 * is short and never waits for a process this CPU would have to run.
 */
void proc_settle(void)
{
	proc_reap_dead();
	while (__atomic_load_n(&frees_in_flight, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
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

/*
 * A zeroed struct proc with a stack of `stack_size` bytes (a multiple of
 * PAGE_SIZE) filled for stack_used and topped by the canary, the guard
 * page below it where the MMU allows, and a clean FPU area if `flags` has
 * PROC_FPU. NULL when the kernel heap has no room.
 */
static struct proc *proc_alloc(size_t stack_size, unsigned flags)
{
	struct proc *p = kcalloc(1, sizeof(*p));
	if (!p)
		return NULL;
	bool guard = mm_virtual_memory();
	size_t bytes = stack_size + (guard ? PAGE_SIZE : 0);
	p->stack_size = stack_size; /* before any failure: the free needs it */
	if (guard) {
		p->stack_alloc = stack_cache_take(bytes);
		p->stack_guard = p->stack_alloc != NULL;
	}
	if (!p->stack_alloc)
		p->stack_alloc = kmalloc_aligned(bytes, PAGE_SIZE);
	if (!p->stack_alloc && stack_cache_drain())
		p->stack_alloc = kmalloc_aligned(bytes, PAGE_SIZE);
	if (flags & PROC_FPU)
		p->fpu = kmalloc_aligned(ARCH_FPU_AREA_SIZE,
					 ARCH_FPU_AREA_ALIGN);
	if ((flags & PROC_FPU) && !p->fpu && stack_cache_drain())
		p->fpu = kmalloc_aligned(ARCH_FPU_AREA_SIZE,
					 ARCH_FPU_AREA_ALIGN);
	if (!p->stack_alloc || ((flags & PROC_FPU) && !p->fpu)) {
		proc_free_memory(p);
		return NULL;
	}
	/* An unmapped page under the stack turns a deep overflow into a
	 * fault instead of heap corruption. */
	if (guard && !p->stack_guard &&
	    arch_mmu_unmap((vaddr_t)p->stack_alloc, 1) == 0)
		p->stack_guard = true;
	p->stack_lo =
		(uint32_t *)((char *)p->stack_alloc + (guard ? PAGE_SIZE : 0));
	for (int i = 0; i < CANARY_WORDS; i++)
		p->stack_lo[i] = STACK_CANARY;
	for (size_t i = CANARY_WORDS; i < stack_size / 4; i++)
		p->stack_lo[i] = STACK_FILL;
	if (p->fpu)
		memcpy(p->fpu, fpu_clean, ARCH_FPU_AREA_SIZE);
	return p;
}

static void proc_start(void *arg)
{
	struct proc *p = arg;

	/* The switch here left the big lock held by this CPU, as every
	 * switch does (kernel/sched.c); a first run has no caller to give
	 * it back, so it does. The port enabled IRQs just before. */
	irq_state_t s = arch_irq_save();
	klock_release_all();
	arch_irq_restore(s);
	/* A first run is a switch too: a kill sent before it ends the
	 * process here, before its entry runs a slice. */
	s = klock_irqsave();
	proc_after_switch(p);
	klock_irqrestore(s);

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

	struct proc *p = proc_alloc(stack_size, flags);
	if (!p)
		return -ENOMEM;
	proc_setup(p, name, prio, flags);
	const struct proc *parent = proc_current();
	p->pin = parent ? parent->pin : -1; /* inherited, as an affinity */
	p->entry = entry;
	p->entry_arg = arg;
	if (owned)
		list_add_tail(&p->resources, &owned->node);
	arch_context_init(&p->ctx, p->stack_lo, stack_size, proc_start, p);

	irq_state_t s = klock_irqsave();
	p->pid = next_pid++;
	proc_link(p);
	sched_make_ready(p);
	int pid = p->pid;
	klock_irqrestore(s);
	sched_preempt_point();
	return pid;
}

/* Release what `p` owns, in process context (a release may block), IRQs
 * on. */
static void proc_release_resources(struct proc *p)
{
	for (;;) {
		irq_state_t s = klock_irqsave();
		struct proc_resource *r = NULL;
		if (!list_empty(&p->resources)) {
			r = list_entry(p->resources.next, struct proc_resource,
				       node);
			list_del(&r->node);
		}
		klock_irqrestore(s);
		if (!r)
			return;
		r->release(r);
	}
}

void proc_exit(int status)
{
	struct proc *p = proc_current();

	if (sched_is_idle(p) || p == &init_proc)
		panic("sched: process '%s' (pid %d) exited with %d", p->name,
		      p->pid, status);
	p->exiting = true;
	p->exit_status = status;
	if (p->spinlocks) {
		sync_misuse("exit with a spinlock held");
		p->spinlocks = 0;
	}
	/* Resources are released in process context, IRQs on, so the big
	 * lock goes first, whatever depth the caller held it at. */
	arch_irq_disable();
	klock_release_all();
	arch_irq_enable();
	proc_release_resources(p);
	mutex_release_held(p);

	klock_irqsave();
	sched_fpu_drop(p);
	p->state = PROC_ZOMBIE;
	wait_queue_wake_all(&p->exited);
	if (p->flags & PROC_DETACHED)
		list_add_tail(&dead, &p->link);
	sched_reschedule();
	panic("sched: zombie '%s' ran again", p->name);
}

int proc_wait(int pid, int *status)
{
	return proc_wait_flags(pid, status, 0);
}

int proc_wait_flags(int pid, int *status, unsigned flags)
{
	irq_state_t s = klock_irqsave();
	struct proc *p;
	int rc = 0;

	for (;;) {
		p = proc_find(pid);
		if (!p) {
			rc = -ENOENT;
			goto out;
		}
		if (p == proc_current() || sched_is_idle(p) ||
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
		/* An exiting process that waits for another (a program's main
		 * thread reaping its threads) gives up the mutexes it still
		 * holds first: the other may need one of them to end. A kill
		 * lands at any preemption point, so the holder may be in the
		 * middle of, say, the shared-memory registry (issue 15: an ARM
		 * fuzz boot at -smp 2 hung so). */
		if (proc_current()->exiting)
			mutex_release_held(proc_current());
		wait_queue_wait(&p->exited, 0);
	}
	/* preemption off until the free ends, as in proc_reap_dead: on one
	 * CPU, proc_settle then never finds a free in flight */
	sched_preempt_disable();
	list_del(&p->all);
	nprocs--;
	frees_in_flight++;
	if (status)
		*status = p->exit_status;
	klock_irqrestore(s);
	proc_free_counted(p);
	sched_preempt_enable();
	return 0;
out:
	klock_irqrestore(s);
	return rc;
}

int proc_kill(int pid)
{
	irq_state_t s = klock_irqsave();
	struct proc *p = proc_find(pid);
	int rc = 0;

	if (!p)
		rc = -ENOENT;
	else if (sched_is_idle(p) || p == &init_proc)
		rc = -EPERM;
	else if (p == proc_current())
		proc_exit(PROC_EXIT_KILLED);
	else if (p->state != PROC_ZOMBIE && !p->killed) {
		p->killed = true;
		if (p->kill_deferred || p->preempt_off)
			; /* it ends at proc_kill_allow or sched_preempt_enable
			   */
		else if (p->state == PROC_BLOCKED || p->state == PROC_SLEEPING)
			sched_wake(p, -ETIMEDOUT);
		else
			sched_kick_running(p);
	}
	klock_irqrestore(s);
	return rc;
}

void proc_kill_defer(void)
{
	irq_state_t s = klock_irqsave();
	proc_current()->kill_deferred++;
	klock_irqrestore(s);
}

void proc_kill_allow(void)
{
	irq_state_t s = klock_irqsave();
	struct proc *p = proc_current();
	if (p->kill_deferred == 0)
		sync_misuse("proc_kill_allow without proc_kill_defer");
	else
		p->kill_deferred--;
	klock_irqrestore(s);
	proc_exit_if_killed(p);
}

bool proc_alive(int pid)
{
	irq_state_t s = klock_irqsave();
	const struct proc *p = proc_find(pid);
	bool alive = p && p->state != PROC_ZOMBIE;
	klock_irqrestore(s);
	return alive;
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
	irq_state_t s = klock_irqsave();
	int n = 0;
	list_for_each(it, &all_procs)
	{
		struct proc *p = list_entry(it, struct proc, all);
		if (n < max) {
			struct proc_info *i = &out[n];
			i->pid = p->pid;
			i->cpu = p->cpu;
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
	klock_irqrestore(s);
	return n;
}

bool proc_reap_pending(void)
{
	return !list_empty(&dead);
}

/* Preemption stays off from a zombie's unlink to its free: a reaper (the
 * idle process) preempted in between left a process counted gone whose
 * memory was still allocated, and a check of the counters made then (the
 * fuzz boot's, after each run) reported a leak that was not one. */
void proc_reap_dead(void)
{
	for (;;) {
		sched_preempt_disable();
		irq_state_t s = klock_irqsave();
		struct proc *p = NULL;
		if (!list_empty(&dead)) {
			p = list_entry(dead.next, struct proc, link);
			list_del(&p->link);
			list_del(&p->all);
			nprocs--;
			frees_in_flight++;
		}
		klock_irqrestore(s);
		if (p)
			proc_free_counted(p);
		sched_preempt_enable();
		if (!p)
			return;
	}
}

/* A detached process that exited is freed here, off its own stack, so
 * reaping never waits for idle time (a busy program would otherwise leave
 * every background program that ended a zombie). */
void proc_after_switch(struct proc *p)
{
	if (!list_empty(&dead))
		proc_reap_dead();
	proc_exit_if_killed(p);
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
	irq_state_t s = klock_irqsave();
	list_add_tail(&proc_current()->resources, &r->node);
	klock_irqrestore(s);
}

void proc_resource_remove(struct proc_resource *r)
{
	irq_state_t s = klock_irqsave();
	list_del(&r->node);
	klock_irqrestore(s);
}

/* The words on a switched-out process's stack that point into the
 * kernel's code, innermost first: return addresses, mostly (a few may be
 * stale or function pointers). A backtrace without frame pointers, for
 * reports only. */
static void dump_stack_code(const char *prefix, const struct proc *p)
{
	const uint32_t *sp = (const uint32_t *)arch_context_sp(&p->ctx);
	const uint32_t *top =
		(const uint32_t *)((uintptr_t)p->stack_lo + p->stack_size);
	int shown = 0;

	if (!p->stack_lo || sp < p->stack_lo || sp >= top)
		return;
	for (; sp < top && shown < 24; sp++) {
		uintptr_t off;
		const char *f = ksym_lookup(*sp, &off);
		if (f && off < 0x4000) {
			console_printf("%s    %s+%#lx\n", prefix, f,
				       (unsigned long)off);
			shown++;
		}
	}
}

void proc_dump(const char *prefix)
{
	irq_state_t s = klock_irqsave();
	list_for_each(it, &all_procs)
	{
		const struct proc *p = list_entry(it, struct proc, all);
		console_printf(
			"%spid %d '%s' %s on cpu %u%s%s%s, preempt_off "
			"%u, spinlocks %u, kill deferred %u, mutexes %s\n",
			prefix, p->pid, p->name, proc_state_name(p->state),
			p->cpu, p->killed ? ", killed" : "",
			p->exiting ? ", exiting" : "",
			p->waiting_on ? ", on a wait queue" : "",
			p->preempt_off, p->spinlocks, p->kill_deferred,
			list_empty(&p->mutexes) ? "none" : "held");
		if (p != proc_current() && p->state != PROC_RUNNING)
			dump_stack_code(prefix, p);
	}
	klock_irqrestore(s);
}
