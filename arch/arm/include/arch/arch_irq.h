/* ARM bodies of the hot IRQ primitives declared in <arch/irq.h>: the CPSR
 * I bit, changed with cpsid/cpsie (one instruction, no read-modify-write). */
#ifndef ARCH_ARM_ARCH_IRQ_H
#define ARCH_ARM_ARCH_IRQ_H

#define ARM_CPSR_I 0x80u

static inline irq_state_t arch_irq_save(void)
{
	irq_state_t cpsr;
	__asm__ volatile("mrs %0, cpsr\n\tcpsid i" : "=r"(cpsr) : : "memory");
	return cpsr;
}

static inline void arch_irq_restore(irq_state_t state)
{
	if (!(state & ARM_CPSR_I))
		__asm__ volatile("cpsie i" : : : "memory");
}

static inline void arch_irq_enable(void)
{
	__asm__ volatile("cpsie i" : : : "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ volatile("cpsid i" : : : "memory");
}

static inline bool arch_irq_enabled(void)
{
	irq_state_t cpsr;
	__asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
	return !(cpsr & ARM_CPSR_I);
}

#endif
