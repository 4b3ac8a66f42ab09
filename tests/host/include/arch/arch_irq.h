/*
 * The host test build's stand-in for an architecture's IRQ primitives: a
 * single-threaded process has no interrupts, so saving and restoring only
 * tracks the state, which tests can still assert on.
 */
#ifndef HOST_ARCH_IRQ_H
#define HOST_ARCH_IRQ_H

extern int host_irqs_enabled;

static inline irq_state_t arch_irq_save(void)
{
	irq_state_t s = (irq_state_t)host_irqs_enabled;
	host_irqs_enabled = 0;
	return s;
}

static inline void arch_irq_restore(irq_state_t state)
{
	host_irqs_enabled = (int)state;
}

static inline void arch_irq_enable(void)
{
	host_irqs_enabled = 1;
}

static inline void arch_irq_disable(void)
{
	host_irqs_enabled = 0;
}

static inline bool arch_irq_enabled(void)
{
	return host_irqs_enabled != 0;
}

#endif
