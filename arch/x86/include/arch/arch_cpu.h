/*
 * x86 bodies of <arch/cpu.h>. With SMP, each CPU's %gs segment has that
 * CPU's per-CPU block as its base (arch/x86/gdt.c; the selector is loaded
 * first thing at boot and on every interrupt entry), so the CPU's index is
 * one load. arch_cpu_relax, called in every spin loop, also answers a TLB
 * shootdown posted to this CPU: a CPU spinning with IRQs off for a lock the
 * initiator holds must not leave the initiator waiting forever.
 */
#ifndef X86_ARCH_CPU_H
#define X86_ARCH_CPU_H

#include <arch/x86.h>

#ifdef CONFIG_SMP

static inline unsigned arch_cpu_id(void)
{
	unsigned id;
	/* volatile: a process may move to another CPU between two reads. */
	__asm__ volatile("movl %%gs:%c1, %0" : "=r"(id) : "i"(X86_CPU_OFF_ID));
	return id;
}

void x86_tlb_serve(void);

static inline void arch_cpu_relax(void)
{
	unsigned pending;
	__asm__ volatile("pause\n\tmovl %%gs:%c1, %0"
			 : "=r"(pending)
			 : "i"(X86_CPU_OFF_TLB_PENDING)
			 : "memory");
	if (__builtin_expect(pending != 0, 0))
		x86_tlb_serve();
}

#else

static inline unsigned arch_cpu_id(void)
{
	return 0; /* one CPU */
}

static inline void arch_cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

#endif

#endif
