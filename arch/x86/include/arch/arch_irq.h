/* x86 bodies of the hot IRQ primitives declared in <arch/irq.h>. */
#ifndef ARCH_X86_ARCH_IRQ_H
#define ARCH_X86_ARCH_IRQ_H

#define X86_EFLAGS_IF 0x200u

static inline irq_state_t arch_irq_save(void)
{
	irq_state_t flags;
	__asm__ volatile("pushfl; popl %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void arch_irq_restore(irq_state_t state)
{
	if (state & X86_EFLAGS_IF)
		__asm__ volatile("sti" : : : "memory");
}

static inline void arch_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline bool arch_irq_enabled(void)
{
	irq_state_t flags;
	__asm__ volatile("pushfl; popl %0" : "=r"(flags));
	return (flags & X86_EFLAGS_IF) != 0;
}

#endif
