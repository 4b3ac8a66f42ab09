/*
 * Several CPUs, the kernel's side: which CPUs start and what they run. The
 * port starts them and carries the IPIs (<arch/smp.h>); docs/smp.md has the
 * design.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <stdbool.h>

/* Start every CPU in the record (boot CPU, once, after the scheduler, the
 * timer and IRQs are running). With CONFIG_SMP=n, `nosmp` or `smp=1` on
 * the command line, or a port that cannot, it starts none and the boot
 * line says why. A CPU that does not come up is reported; the others
 * carry on. */
void smp_init(void);

/* CPUs running this kernel (the boot CPU included). */
unsigned smp_cpus_online(void);

/* Whether CPU `cpu` runs this kernel (the boot CPU always). */
bool smp_cpu_up(unsigned cpu);

/* Run fn(arg) on CPU `cpu`, in its IPI handler (IRQs off, must not sleep
 * or take the kernel's big lock), and return when it has run: 0, -ENODEV
 * (not running), -ETIMEDOUT (no answer within a second; fn may still run
 * later). On the caller's own CPU fn runs at once, IRQs off. Any context
 * but with the big lock not held by the caller. */
int smp_call_on(unsigned cpu, void (*fn)(void *arg), void *arg);

/* Ask every other running CPU to halt (panic): each stops at its next
 * moment with IRQs on, so never while holding a lock. Any context. */
void smp_stop_others(void);

/* Why no other CPU was started, or NULL if they were (or were tried). */
const char *smp_off_reason(void);

#endif
