/*
 * Processes: preemptive priority round-robin scheduling of ring-0 threads of
 * control that all share the one address space.
 *
 * A process has a name, a pid, a state, a priority (PROC_PRIO_MIN lowest ..
 * PROC_PRIO_MAX highest) and a kernel stack from the kernel heap with a
 * canary at its bottom (and, where the MMU allows, an unmapped guard page
 * below it). The highest-priority ready process runs; processes of equal
 * priority share the CPU in slices of CONFIG_SCHED_SLICE_TICKS ticks. The
 * idle process (pid 0) runs arch_idle() when nothing else is ready.
 *
 * Scheduler state is protected by the kernel's big lock (<kernel/klock.h>);
 * each CPU has its own ready queues and idle process (docs/smp.md).
 * Preemption happens at the end of an interrupt (kernel_irq_exit, called by the
 * arch after acknowledging it) when the tick ended the slice or a wake-up made
 * a higher-priority process ready.
 *
 * Implemented by kernel/proc.c (the lifecycle: spawn, exit, wait, kill,
 * the process table, resources) and kernel/sched.c (which process runs:
 * queues, switch, tick, sleep, wait queues, priorities).
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <arch/thread.h>
#include <lib/list.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROC_NAME_MAX	   16
#define PROC_PRIO_MIN	   0
#define PROC_PRIO_MAX	   7
#define PROC_PRIO_DEFAULT  4
#define PROC_STACK_DEFAULT 16384u

/* Spawn flags. */
#define PROC_FPU      0x1u /* has FPU state (every process but PROC_NOFPU) */
#define PROC_DETACHED 0x2u /* nobody waits: freed by the next switch */
#define PROC_NOFPU    0x4u /* never uses the FPU: no FPU area, no FPU cost */
/* Runs (a thread of) a program: refused with -ENOMEM when its stack and
 * FPU area would leave less than CONFIG_KHEAP_RESERVE_KB of the kernel heap
 * free, so the kernel's own processes can always start. */
#define PROC_PROGRAM 0x8u

/* The priority of programs' processes: below the shell's and every kernel
 * process's default, so no program, however busy, starves the shell or
 * the console (docs/processes.md). */
#define PROC_PRIO_PROGRAM (PROC_PRIO_DEFAULT - 1)

/* Exit status of a process ended by proc_kill() or a broken stack canary. */
#define PROC_EXIT_KILLED (-9)
#define PROC_EXIT_STACK	 (-11)

enum proc_state {
	PROC_READY,
	PROC_RUNNING,
	PROC_BLOCKED,  /* on a wait queue, maybe with a timeout */
	PROC_SLEEPING, /* proc_sleep_ms */
	PROC_ZOMBIE,   /* exited, waiting to be reaped */
};

/* Processes blocked on one condition. Embed one in any object. */
struct wait_queue {
	struct list_node waiters;
};

typedef void (*proc_entry_fn)(void *arg);

struct proc {
	struct list_node link;	/* run queue, wait queue, or dead (detached) */
	struct list_node all;	/* every process, by pid */
	struct list_node timer; /* timed sleeps and waits, by wake tick */
	struct arch_context ctx;
	int pid;
	char name[PROC_NAME_MAX];
	enum proc_state state;
	int prio;
	unsigned flags;
	proc_entry_fn entry;
	void *entry_arg;

	void *stack_alloc;  /* what kmalloc returned (guard page first) */
	uint32_t *stack_lo; /* lowest usable word: the canary area */
	size_t stack_size;
	bool stack_guard; /* the page below stack_lo is unmapped */
	void *fpu;	  /* ARCH_FPU_AREA_SIZE, PROC_FPU only */

	struct wait_queue *waiting_on;
	uint64_t wake_ns; /* deadline of a timed wait, on arch_time_ns */
	int wake_result;  /* 0 woken, -ETIMEDOUT */
	bool killed;
	bool exiting;
	/* Set by a layer above (a program's stop flag): its blocking waits
	 * (kernel/program_wait.c) end early while *wait_abort is nonzero. */
	const volatile int *wait_abort;
	int exit_status;
	struct wait_queue exited;

	struct list_node resources; /* struct proc_resource, freed at exit */
	struct list_node mutexes;   /* mutexes held, released at exit */
	unsigned spinlocks;	    /* spinlocks held: must not sleep */
	unsigned preempt_off;	    /* sched_preempt_disable() depth */
	unsigned kill_deferred;	    /* proc_kill_defer() depth */
	unsigned cpu;		    /* running on, queued on, or ran last on */
	int pin;		    /* the only CPU it may run on, or -1 */
	int slice;
	uint64_t ticks;		/* ticks spent running */
	unsigned long switches; /* times switched to */
};

/* Set up the scheduler and turn the caller (kmain on the boot stack) into
 * process 1, "init"; create the idle process. Call once, IRQs enabled or
 * not. */
void sched_init(void);

/* The tick: wakes sleepers whose time has come and ends the running
 * process's slice (the switch itself happens in kernel_irq_exit). Called by
 * the timer in IRQ context. */
void sched_tick(void);

/* The calling secondary CPU joins the scheduler: its first context becomes
 * its idle process, its own tick starts (calling `tick`), IRQs go on.
 * Never returns. kernel/smp.c, once per started CPU. */
void sched_cpu_start(unsigned cpu, void (*tick)(void))
	__attribute__((noreturn));

/* Pin process `pid` to CPU `cpu` (-1: any CPU again). It moves there at
 * its next switch (at once if it is the caller). Processes it spawns from
 * then on inherit the pin, as Linux threads inherit their affinity: a test
 * that pins itself runs its children on one CPU. 0, -EINVAL (no such CPU
 * number), -ENODEV (that CPU is not running), -ENOENT, -EPERM (an idle
 * process). */
int proc_pin(int pid, int cpu);

/* The CPU `pid` is pinned to, -1 if none, or -ENOENT. */
int proc_pinned(int pid);

/* One CPU's scheduling figures (`cpus`, `uptime`, the smp tests). */
struct sched_cpu_stats {
	unsigned long switches; /* to another process, on this CPU */
	uint64_t busy_ticks;	/* ticks that found a process running */
	uint64_t idle_ticks;	/* ticks that found the idle process */
	int current_pid;	/* what it runs now */
};

/* 0 with *out filled, -EINVAL (no such CPU) or -ENODEV (not scheduling). */
int sched_cpu_stats(unsigned cpu, struct sched_cpu_stats *out);

/* Has the scheduler started (processes exist)? */
bool sched_running(void);

/* The running process (never NULL after sched_init). */
struct proc *proc_current(void);

/* Create a ready process running entry(arg) with a kernel stack of
 * `stack_size` bytes (0: PROC_STACK_DEFAULT). Its FPU state is kept across
 * switches unless `flags` has PROC_NOFPU (the registers are switched
 * lazily: only when a process with FPU state runs after another one). Returns
 * its pid, -EINVAL (priority out of range, no entry) or -ENOMEM. Process
 * context. */
int proc_spawn(const char *name, proc_entry_fn entry, void *arg, int prio,
	       size_t stack_size, unsigned flags);

/* proc_spawn, with `owned` (if not NULL) already the new process's
 * resource when it is created: released when it exits, even if it is
 * killed before it first runs. On failure `owned` is the caller's. */
struct proc_resource;
int proc_spawn_owning(const char *name, proc_entry_fn entry, void *arg,
		      int prio, size_t stack_size, unsigned flags,
		      struct proc_resource *owned);

/* Kernel-heap bytes proc_spawn takes for a process with this stack size
 * and these flags (struct, stack, guard page, FPU area): what a program is
 * charged for each of its threads. */
size_t proc_spawn_cost(size_t stack_size, unsigned flags);

/* Give the CPU to the next ready process of the same or higher priority. */
void proc_yield(void);

/* Sleep for at least `ms` milliseconds (rounded up to ticks). */
void proc_sleep_ms(unsigned ms);

/* End the calling process with `status`: release what it owns, wake
 * waiters. Never returns. */
void proc_exit(int status) __attribute__((noreturn));

/* Wait for process `pid` to exit, reap it and return 0 with its exit status
 * in *status (if not NULL). -ENOENT: no such process (or already reaped),
 * -EINVAL: waiting for oneself, the idle process or a detached process. */
int proc_wait(int pid, int *status);
/* proc_wait; with PROC_WAIT_NOHANG, -EAGAIN at once if it still runs. */
#define PROC_WAIT_NOHANG 0x1u
int proc_wait_flags(int pid, int *status, unsigned flags);

/* Kill `pid`: a blocked or sleeping process is woken and exits with
 * PROC_EXIT_KILLED as soon as it runs; a running or ready one exits at its
 * next switch. Returns 0, -ENOENT, or -EPERM for the idle process and
 * init. */
int proc_kill(int pid);

/*
 * A section in which a kill waits: a kill that comes while the caller is
 * inside (depth > 0) is recorded, does not wake the caller from a wait or
 * a sleep, and takes effect at proc_kill_allow() that ends the outermost
 * section. For work that must not stop half-way, whatever it waits for:
 * a file system update between its first and last block write, a device
 * request whose buffer the device still owns. The section must end on
 * its own (its waits bounded), or the process cannot be killed. Nestable;
 * process context.
 */
void proc_kill_defer(void);
void proc_kill_allow(void);

/* Does process `pid` exist and not yet exited (not a zombie)? */
bool proc_alive(int pid);

/* Change a process's priority. 0, -ENOENT, -EINVAL (out of range) or
 * -EPERM (the idle process). */
int proc_set_prio(int pid, int prio);

/* A snapshot of one process for `ps`. */
struct proc_info {
	int pid;
	unsigned cpu; /* running on, or last ran on */
	char name[PROC_NAME_MAX];
	enum proc_state state;
	int prio;
	uint64_t ticks;
	unsigned long switches;
	size_t stack_size;
	size_t stack_used; /* high-water mark from the untouched fill */
	unsigned flags;	   /* as spawned: PROC_PROGRAM, PROC_DETACHED, ... */
};

/* Print every process (state, kill and exit flags, CPU, locks held, and
 * the code addresses found on its stack) as lines starting with `prefix`:
 * for reports of a process that does not end. */
void proc_dump(const char *prefix);

/* Fill up to `max` entries in pid order; returns how many processes exist. */
int proc_list(struct proc_info *out, int max);
const char *proc_state_name(enum proc_state s);

/* Wait queues. The caller disables IRQs (arch_irq_save) around checking its
 * condition and calling wait_queue_wait(), so no wake-up is lost; the wait
 * returns with IRQs still disabled. timeout_ms 0 waits forever. Returns 0
 * when woken, -ETIMEDOUT. Must not be called holding a spinlock. */
void wait_queue_init(struct wait_queue *wq);
int wait_queue_wait(struct wait_queue *wq, unsigned timeout_ms);
/* Wake the longest waiter / every waiter. Any context, IRQs on or off.
 * Return how many were woken. */
int wait_queue_wake_one(struct wait_queue *wq);
int wait_queue_wake_all(struct wait_queue *wq);
/* Wake the longest waiter and return it (NULL if none), for hand-off: the
 * caller passes it ownership of something. Call with IRQs off. */
struct proc *wait_queue_wake_first(struct wait_queue *wq);

/* Something a process owns (a shared-memory handle, a program's state, a
 * BIOS call in progress): `release` runs in process context at its exit if
 * it is still registered. Add and remove are for the running process. */
struct proc_resource {
	struct list_node node;
	void (*release)(struct proc_resource *r);
};
void proc_resource_add(struct proc_resource *r);
void proc_resource_remove(struct proc_resource *r);

/* If `addr` is in the guard page below a process's stack, print which
 * process overflowed its stack and return true. For fault reports: IRQs
 * off, any stack; takes no locks. */
bool sched_report_stack_fault(uintptr_t addr);

/* Disable / enable preemption by the tick on this CPU (nestable). */
void sched_preempt_disable(void);
void sched_preempt_enable(void);

/* Switch now if a wake-up made a higher-priority process ready (or the
 * slice ran out); process context only. */
void sched_preempt_point(void);

/* The `bench` boot (kernel/sched_bench.c): print "bench NAME VALUE UNIT"
 * lines. 0 or -1. */
int sched_bench_run(void);

/* Check the scheduler's invariants (listed at the top of kernel/sched.c):
 * NULL when they hold, else which one is broken, for which process (in a
 * static buffer: one caller at a time). For tests; IRQs are disabled for
 * the walk. */
const char *sched_check(void);

/* Counters for tests and `ps`. */
unsigned long sched_switch_count(void);
/* The counter itself, for code that polls it without calls (tests). */
const volatile unsigned long *sched_switch_counter(void);
int proc_count(void);
/* Before reading counters a process's end must give back (tests, the fuzz
 * boot): free detached zombies and wait for frees other CPUs are in the
 * middle of. Process context. */
void proc_settle(void);

#endif
