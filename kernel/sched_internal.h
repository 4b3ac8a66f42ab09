/*
 * What kernel/sched.c (which process runs) and kernel/proc.c (the process
 * lifecycle and table) call in each other. Not for other files. Each side
 * owns its state; the other reaches it only through these calls. IRQs off
 * for all of them unless said otherwise.
 */
#ifndef KERNEL_SCHED_INTERNAL_H
#define KERNEL_SCHED_INTERNAL_H

#include <kernel/sched.h>
#include <stdbool.h>

/* ---- kernel/sched.c ---- */

/* The idle process (pid 0): never queued, never exits. */
struct proc *sched_idle(void);

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

/* Runs in a process that has just been switched to, first run included:
 * frees detached zombies and ends the process if it was killed. */
void sched_after_switch(void);

/* `p` exits: the FPU registers must not be saved into its area again. */
void sched_fpu_drop(struct proc *p);

/* ---- kernel/proc.c ---- */

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

/* A broken canary at the bottom of `p`'s stack: report it once and mark
 * `p` killed (exit status PROC_EXIT_STACK). */
void proc_check_stack(struct proc *p);

/* End the running process if it was killed, unless it is already exiting
 * or holds a spinlock. */
void proc_exit_if_killed(void);

/* Whether detached zombies wait to be freed; free them (never the caller:
 * a zombie does not run). proc_reap_dead: any IRQ state. */
bool proc_reap_pending(void);
void proc_reap_dead(void);

#endif
