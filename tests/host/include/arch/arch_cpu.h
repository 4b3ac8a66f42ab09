/* The host test build's <arch/cpu.h>: test threads all say CPU 0. */
#ifndef HOST_ARCH_CPU_H
#define HOST_ARCH_CPU_H

static inline unsigned arch_cpu_id(void)
{
	return 0;
}

static inline void arch_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

#endif
