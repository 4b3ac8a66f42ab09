/* x86 bodies of <arch/cpu.h>. */
#ifndef X86_ARCH_CPU_H
#define X86_ARCH_CPU_H

static inline unsigned arch_cpu_id(void)
{
	return 0; /* one CPU: becomes a per-CPU segment read with SMP */
}

static inline void arch_cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

#endif
