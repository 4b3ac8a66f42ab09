/* Interrupt line bookkeeping shared by the controller drivers. */
#include <kernel/irq_lines.h>
#include <kernel/klock.h>
#include <lib/err.h>
#include <stddef.h>

int irq_line_attach(struct irq_line *line, unsigned irq, irq_handler_t handler,
		    void *arg, void (*unmask)(unsigned irq))
{
	if (!handler)
		return -EINVAL;
	irq_state_t s = klock_irqsave();
	int rc = -EBUSY;
	if (!line->handler) {
		line->handler = handler;
		line->arg = arg;
		unmask(irq);
		rc = 0;
	}
	klock_irqrestore(s);
	return rc;
}

void irq_line_detach(struct irq_line *line, unsigned irq,
		     void (*mask)(unsigned irq))
{
	irq_state_t s = klock_irqsave();
	mask(irq);
	line->handler = NULL;
	line->arg = NULL;
	klock_irqrestore(s);
}

bool irq_line_run(struct irq_line *line, unsigned irq)
{
	/* atomic: a per-core line (ARM's timer PPI) runs on several CPUs */
	__atomic_fetch_add(&line->count, 1, __ATOMIC_RELAXED);
	if (!line->handler)
		return false;
	line->handler(irq, line->arg);
	return true;
}
