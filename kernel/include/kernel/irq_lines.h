/*
 * The table of interrupt lines every interrupt controller driver keeps:
 * one handler per line, its argument, and a count of interrupts taken.
 * The controller driver checks which lines exist and does the masking;
 * this is the bookkeeping they all share.
 */
#ifndef KERNEL_IRQ_LINES_H
#define KERNEL_IRQ_LINES_H

#include <arch/irq.h>
#include <stdbool.h>

struct irq_line {
	irq_handler_t handler;
	void *arg;
	unsigned long count;
};

/* With IRQs off: attach `handler` to `line` and call `unmask(irq)`.
 * Returns 0, -EINVAL for no handler, or -EBUSY if one is attached. */
int irq_line_attach(struct irq_line *line, unsigned irq, irq_handler_t handler,
		    void *arg, void (*unmask)(unsigned irq));

/* With IRQs off: call `mask(irq)` and remove the line's handler. */
void irq_line_detach(struct irq_line *line, unsigned irq,
		     void (*mask)(unsigned irq));

/* In the dispatcher, IRQs off: count the interrupt and run the handler.
 * False if none is attached (the caller masks the line). */
bool irq_line_run(struct irq_line *line, unsigned irq);

#endif
