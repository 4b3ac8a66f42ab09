/*
 * What kernel/sched.c (which process runs) and kernel/proc.c (the process
 * lifecycle and table) call in each other, and the layout of a process's
 * stack that both read. Not for other files. Each side owns its state; the
 * other reaches it only through these calls. IRQs off for all of them
 * unless said otherwise.
 */
#ifndef KERNEL_SCHED_INTERNAL_H
#define KERNEL_SCHED_INTERNAL_H

#include <kernel/sched.h>
#include <stdbool.h>

/*
 * A process's stack (proc.c allocates it): its lowest CANARY_WORDS words
 * hold STACK_CANARY, checked on every switch away (sched.c); the rest is
 * filled with STACK_FILL at spawn, so the untouched part shows the
 * high-water mark (`ps`).
 */
#define CANARY_WORDS 16
#define STACK_CANARY 0x57acca9eu
#define STACK_FILL   0xf1f1f1f1u

/* ---- kernel/sched.c ---- */

/* This CPU's idle process (pid 0 on every CPU): never queued, never
 * exits. */
struct proc *sched_idle(void);

/* Whether `p` is one of the CPUs' idle processes. */
bool sched_is_idle(const struct proc *p);

/* Queue `p` as ready; a switch follows at the next preemption point if it
 * outranks the running process. */
void sched_make_ready(struct proc *p);

/* Make a blocked or sleeping process ready with `result` as its wait's
 * answer. */
void sched_wake(struct proc *p, int result);

/* Switch to the best ready process. The caller has set current's state:
 * RUNNING means "preempted or yielding: requeue me at the tail". Returns
 * when the caller is switched back to. */
void sched_reschedule(void);

/* `p`, if it runs on another CPU, is made to pass through the scheduler
 * soon (an IPI): a kill takes effect at its next switch. */
void sched_kick_running(struct proc *p);

/* `p` exits: the FPU registers must not be saved into its area again. */
void sched_fpu_drop(struct proc *p);

/* The `bench` boot's figures for several CPUs (kernel/smp_bench.c);
 * nothing on one CPU. */
void smp_bench_run(void);

/* ---- kernel/proc.c ---- */

/* A secondary CPU's first context becomes its idle process: a process
 * record (pid 0, named idleN) for the stack it runs on, linked after the
 * boot CPU's idle. NULL if there is no memory. */
struct proc *proc_adopt_idle(unsigned cpu);

/* Turn the boot thread into process 1, "init", and link it; record the
 * FPU state new processes start with. Call once, before anything uses the
 * FPU. */
struct proc *proc_init_boot(void);

/* The idle process was spawned as `pid`: make it pid 0, first in the
 * table, and hand its pid to the next process. */
struct proc *proc_make_idle(int pid);

/* The process with `pid`, or NULL. */
struct proc *proc_find(int pid);

/* The process after `p` in pid order (the first if `p` is NULL), or NULL. */
struct proc *proc_next(const struct proc *p);

/* End `p`, the running process, if it was killed, unless it is already
 * exiting, holds a spinlock, or is inside a section where no kill may land:
 * proc_kill_defer() or preemption off (callers rely on "preemption off: no
 * kill lands here", e.g. a state disowned and not yet freed; a storage
 * unlock or a wait inside such a section once ended the process half way
 * through state_free and leaked a file handle). Inline: it is on the path
 * of every yield, wait and switch. */
static inline void proc_exit_if_killed(struct proc *p)
{
	if (p->killed && !p->exiting && p->spinlocks == 0 &&
	    p->kill_deferred == 0 && p->preempt_off == 0)
		proc_exit(p->exit_status ? p->exit_status : PROC_EXIT_KILLED);
}

/* Runs in `p`, the process just switched to (its first run included): free
 * detached zombies, then end `p` if it was killed. On every switch. */
void proc_after_switch(struct proc *p);

/* Whether detached zombies wait to be freed; free them (never the caller:
 * a zombie does not run). proc_reap_dead: any IRQ state. */
bool proc_reap_pending(void);
void proc_reap_dead(void);

#endif
