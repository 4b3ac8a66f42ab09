/*
 * Interrupt control. The save/restore pair is the hot path: each arch supplies
 * static inline bodies in its <arch/arch_irq.h>, included here. State travels
 * by value:
 *     irq_state_t s = arch_irq_save(); ... arch_irq_restore(s);
 */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include <stdbool.h>

typedef unsigned long irq_state_t;

/* Disable IRQs on this CPU and return the previous state. Any context. */
static inline irq_state_t arch_irq_save(void);
/* Restore the state a matching arch_irq_save() returned. Any context. */
static inline void arch_irq_restore(irq_state_t state);
/* Enable / disable IRQs on this CPU unconditionally. */
static inline void arch_irq_enable(void);
static inline void arch_irq_disable(void);
/* True if IRQs are enabled on this CPU. */
static inline bool arch_irq_enabled(void);

#include <arch/arch_irq.h>

/* An interrupt handler runs with IRQs off, on the interrupted stack; it must
 * not sleep. */
typedef void (*irq_handler_t)(unsigned irq, void *arg);

/* Provided by the kernel, called by the port at the end of every interrupt:
 * after the handler ran and the controller was acknowledged (so the line can
 * fire again), with IRQs off, on the interrupted context's stack. It may
 * switch to another process; the interrupted one returns from it later. */
void kernel_irq_exit(void);

/* Attach `handler` to platform interrupt line `irq` (x86: ISA IRQ 0-15; ARM:
 * GIC interrupt ID) and unmask it. Returns 0, -EINVAL for a line the platform
 * lacks, or -EBUSY if a handler is already attached. */
int arch_irq_attach(unsigned irq, irq_handler_t handler, void *arg);

/* Mask the line and remove its handler. Returns 0 or -EINVAL. */
int arch_irq_detach(unsigned irq);

/* Number of interrupts taken on `irq` since boot (for tests and meminfo). */
unsigned long arch_irq_count(unsigned irq);

#endif
