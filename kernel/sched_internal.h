/*
 * State and helpers shared by kernel/sched.c (scheduling) and kernel/proc.c
 * (process lifecycle). Not for other files. All of it is protected by
 * disabling IRQs.
 */
#ifndef KERNEL_SCHED_INTERNAL_H
#define KERNEL_SCHED_INTERNAL_H

#include <arch/thread.h>
#include <kernel/sched.h>

/* kernel/sched.c */
extern struct proc *current;
extern struct proc *idle_proc;
extern struct proc *fpu_owner;
extern unsigned char fpu_clean[ARCH_FPU_AREA_SIZE];
extern bool need_resched;
void rq_add(struct proc *p);
void wake(struct proc *p, int result);
void after_switch(void);
void reschedule(void);

/* kernel/proc.c */
extern struct proc init_proc;
extern struct list_node all_procs;
extern struct list_node dead;
extern int next_pid;
void check_stack(struct proc *p);
struct proc *find_proc(int pid);
void proc_link(struct proc *p);
void reap_dead(void);

#endif
