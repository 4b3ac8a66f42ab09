/*
 * memory.atomic.wait/notify of programs on the kernel's scheduler: the
 * vm_sync_ops the kernel installs on every shared memory it hands to a
 * program (kernel/program_shm.c).
 *
 * wait blocks the calling process (not the CPU) until a notify at the same
 * memory and address, or the timeout; the value is compared with IRQs off,
 * so a notify cannot slip in between the compare and the sleep. A waiting
 * process can be killed: it leaves no entry behind.
 */
#ifndef KERNEL_PROGRAM_WAIT_H
#define KERNEL_PROGRAM_WAIT_H

#include <kernel/sched.h>

struct vm_sync_ops;
extern const struct vm_sync_ops program_sync_ops;

/* End the wait of process `p`, if it is waiting, as if notified (wait
 * returns 0): for stopping a program whose thread is blocked in a wait.
 * The VM then stops at its interrupt flag. */
void program_wait_interrupt(const struct proc *p);

/* Waiters blocked right now (tests: none may be left after a kill). */
unsigned program_waiter_count(void);

#endif
