/* ARMv7 bodies of <arch/cpu.h>. */
#ifndef ARM_ARCH_CPU_H
#define ARM_ARCH_CPU_H

static inline unsigned arch_cpu_id(void)
{
	return 0; /* one CPU: becomes TPIDRPRW or MPIDR with SMP */
}

/* `yield`, not `wfe`: a wfe loop needs an `sev` on every unlock, which the
 * ticket lock will add with SMP (docs/smp.md). */
static inline void arch_cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

#endif
