/* ARMv7 bodies of <arch/cpu.h>. */
#ifndef ARM_ARCH_CPU_H
#define ARM_ARCH_CPU_H

/* The kernel's number of this CPU, kept in TPIDRPRW (PL1-only, so no
 * program can change it): entry.S writes 0 before any C runs on the boot
 * CPU, secondary.S the index it was started as. */
static inline unsigned arch_cpu_id(void)
{
	unsigned id;
	__asm__ volatile("mrc p15, 0, %0, c13, c0, 4" : "=r"(id));
	return id;
}

/* `yield`, not `wfe`: a wfe loop needs an `sev` on every unlock, which the
 * ticket lock (kernel/) does not do; with wfe a waiter would sleep until
 * some unrelated event (docs/smp.md, ARM section). */
static inline void arch_cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

#endif
