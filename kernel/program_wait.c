/*
 * memory.atomic.wait / notify for programs: the VM's vm_sync_ops on the
 * kernel's wait queues (see <kernel/program_wait.h>).
 *
 * Waiters are kept in a small hash table keyed by (memory, address). Each
 * waiter lives on its process's kernel stack and has a wait queue of its
 * own, so notify wakes exactly the waiters it picked, oldest first. The
 * table is protected the way the scheduler is, by the kernel's big lock:
 * wait compares the value and queues itself holding it, and a notify on
 * another CPU takes it too, so it runs either before the compare (which
 * then sees the new value) or after the waiter is queued: never lost
 * between the compare and the sleep.
 *
 * A killed waiter never returns from wait_queue_wait(): the process exits
 * from inside the scheduler. So each waiter is also a process resource
 * whose release unlinks it, and no stale entry survives its process.
 *
 * An untimed wait that nothing could ever end traps instead of sleeping
 * (wasmrun's rule too, docs/vm.md): when, as the wait begins, no other
 * thread of the program is alive and nobody but the caller holds the
 * memory's area (no other program importing it, no kernel process that
 * opened it).
 */
#include <arch/irq.h>
#include <arch/timer.h>
#include <kernel/klock.h>
#include <kernel/program_wait.h>
#include <kernel/sched.h>
#include <kernel/shm.h>
#include <lib/err.h>
#include <lib/list.h>

#include "program_internal.h"

#define BUCKETS 64
/* wait_queue_wait() takes milliseconds; longer waits go round again. */
#define MAX_WAIT_MS 0x7fffffffu

struct waiter {
	struct proc_resource res; /* unlinks it if the process dies waiting */
	struct list_node node;	  /* in its bucket, oldest first */
	struct wait_queue wq;	  /* only this waiter's process */
	const struct vm_memory *mem;
	uint32_t addr;
	struct proc *proc;
	bool woken; /* by notify (or program_wait_interrupt) */
};

static struct list_node buckets[BUCKETS];
static unsigned nwaiters;

static struct list_node *bucket(const struct vm_memory *mem, uint32_t addr)
{
	uintptr_t h = (uintptr_t)mem ^ (addr >> 2) ^ (addr >> 9);
	struct list_node *b = &buckets[h % BUCKETS];
	if (!b->next)
		list_init(b);
	return b;
}

/* Take w out of the table if it is still there. IRQs off. */
static void unlink_waiter(struct waiter *w)
{
	if (list_linked(&w->node)) {
		list_del(&w->node);
		nwaiters--;
	}
}

static void release_waiter(struct proc_resource *r)
{
	irq_state_t s = klock_irqsave();
	unlink_waiter((struct waiter *)r);
	klock_irqrestore(s);
}

/*
 * Is a thread of g other than the caller alive: spawned (perhaps not yet
 * started, so it holds no handle on the area yet) and not exited? Its
 * thread table is read without the group's lock: only a live thread adds
 * to it, and that thread would make the answer yes anyway. It allocates
 * nothing: a kill may land anywhere in a wait.
 */
static bool other_thread_alive(const struct program_group *g)
{
	const volatile int *tids = g->tids;
	int me = proc_current()->pid;

	for (int i = 0; i < CONFIG_PROGRAM_MAX_THREADS; i++) {
		int pid = tids[i];
		if (pid && pid != me && proc_alive(pid))
			return true;
	}
	return false;
}

/*
 * Could anything but the caller ever notify at mem? The calling process's
 * wait_abort is its program's stop flag (program_state_new sets it), which
 * is how a wait finds the program it belongs to; a process of no program
 * has only the area to go by. Process context, IRQs on: it takes locks.
 */
static bool others_could_notify(const struct vm_memory *mem)
{
	const volatile int *stop = proc_current()->wait_abort;
	const struct program_group *g =
		stop ? list_entry(stop, struct program_group, stop) : NULL;

	/* the main thread lives until the stop flag goes up */
	if (g && g->main != proc_current())
		return true;
	/* 0: not an area's memory, which the kernel does not hand out */
	if (shm_users_at(vm_memory_data(mem)) != 1)
		return true;
	return g && other_thread_alive(g);
}

static unsigned ns_to_ms(uint64_t ns)
{
	uint64_t ms = ns / 1000000 + (ns % 1000000 != 0);
	return ms > MAX_WAIT_MS ? MAX_WAIT_MS : (unsigned)ms;
}

static int sync_wait(void *ctx, struct vm_memory *mem, uint32_t addr,
		     uint64_t expected, unsigned size, int64_t timeout_ns)
{
	(void)ctx;
	struct waiter w;
	uint64_t left = timeout_ns < 0 ? 0 : (uint64_t)timeout_ns;
	bool alone = timeout_ns < 0 && !others_could_notify(mem);
	irq_state_t s = klock_irqsave();

	if (vm_memory_atomic_load(mem, addr, size) != expected) {
		klock_irqrestore(s);
		return 1;
	}
	if (timeout_ns == 0) {
		klock_irqrestore(s);
		return 2;
	}
	/* The program is ending (another thread exited): do not sleep, or
	 * an interrupt that came just before this wait would be missed. */
	const volatile int *stop = proc_current()->wait_abort;
	if (stop && *stop) {
		klock_irqrestore(s);
		return 0;
	}
	if (alone) {
		klock_irqrestore(s);
		return -1; /* the VM traps "wait would block forever" */
	}
	w.res.release = release_waiter;
	wait_queue_init(&w.wq);
	w.mem = mem;
	w.addr = addr;
	w.proc = proc_current();
	w.woken = false;
	list_add_tail(bucket(mem, addr), &w.node);
	nwaiters++;
	proc_resource_add(&w.res);
	for (;;) {
		unsigned ms = timeout_ns < 0 ? 0 : ns_to_ms(left);
		uint64_t before = arch_time_ns();
		wait_queue_wait(&w.wq, ms);
		if (w.woken || (stop && *stop))
			break;
		if (timeout_ns < 0)
			continue;
		uint64_t spent = arch_time_ns() - before;
		if (spent >= left)
			break;
		left -= spent;
	}
	unlink_waiter(&w);
	proc_resource_remove(&w.res);
	klock_irqrestore(s);
	return w.woken || (stop && *stop) ? 0 : 2;
}

/* Wake up to `count` waiters at (mem, addr), oldest first. */
static uint32_t sync_notify(void *ctx, struct vm_memory *mem, uint32_t addr,
			    uint32_t count)
{
	(void)ctx;
	uint32_t n = 0;
	irq_state_t s = klock_irqsave();
	struct list_node *b = bucket(mem, addr);

	for (struct list_node *it = b->next, *next; it != b && n < count;
	     it = next) {
		next = it->next;
		struct waiter *w = list_entry(it, struct waiter, node);
		if (w->mem != mem || w->addr != addr)
			continue;
		unlink_waiter(w);
		w->woken = true;
		wait_queue_wake_one(&w->wq);
		n++;
	}
	klock_irqrestore(s);
	return n;
}

const struct vm_sync_ops program_sync_ops = {NULL, sync_wait, sync_notify};

void program_wait_interrupt(const struct proc *p)
{
	irq_state_t s = klock_irqsave();
	for (int i = 0; i < BUCKETS; i++) {
		struct list_node *b = &buckets[i];
		if (!b->next)
			continue;
		for (struct list_node *it = b->next, *next; it != b;
		     it = next) {
			next = it->next;
			struct waiter *w = list_entry(it, struct waiter, node);
			if (w->proc != p)
				continue;
			unlink_waiter(w);
			w->woken = true;
			wait_queue_wake_one(&w->wq);
		}
	}
	klock_irqrestore(s);
}

unsigned program_waiter_count(void)
{
	return nwaiters;
}
