/*
 * Ticket locks (<kernel/ticket_lock.h>) on one CPU: the states a single
 * holder can check. The contended cases, threads really racing, are in
 * ticket_lock_contend_test.c (host only).
 */
#include <arch/irq.h>
#include <kernel/ticket_lock.h>
#include <ktest.h>

KTEST(ticket_lock, lock_unlock_trylock)
{
	struct ticket_lock l = TICKET_LOCK_INIT;

	KT_EXPECT(t, !ticket_is_locked(&l));
	ticket_lock(&l);
	KT_EXPECT(t, ticket_is_locked(&l));
	KT_EXPECT(t, !ticket_trylock(&l));
	ticket_unlock(&l);
	KT_EXPECT(t, !ticket_is_locked(&l));
	KT_EXPECT(t, ticket_trylock(&l));
	KT_EXPECT(t, ticket_is_locked(&l));
	ticket_unlock(&l);
	KT_EXPECT(t, !ticket_is_locked(&l));
	KT_EXPECT_EQ(t, l.next, 2);
	KT_EXPECT_EQ(t, l.owner, 2);
}

KTEST(ticket_lock, tickets_wrap_around)
{
	struct ticket_lock l;

	ticket_lock_init(&l);
	l.owner = l.next = 0xfffe;
	for (int i = 0; i < 4; i++) {
		ticket_lock(&l);
		KT_EXPECT(t, !ticket_trylock(&l));
		ticket_unlock(&l);
	}
	KT_EXPECT_EQ(t, l.owner, 2);
	KT_EXPECT(t, !ticket_is_locked(&l));
}

KTEST(ticket_lock, irqsave_restores_the_state)
{
	struct ticket_lock l = TICKET_LOCK_INIT;
	irq_state_t outer = arch_irq_save(), s, s2;

	arch_irq_enable();
	s = ticket_lock_irqsave(&l);
	KT_EXPECT(t, !arch_irq_enabled());
	KT_EXPECT(t, !ticket_trylock_irqsave(&l, &s2));
	KT_EXPECT(t, !arch_irq_enabled());
	ticket_unlock_irqrestore(&l, s);
	KT_EXPECT(t, arch_irq_enabled());

	arch_irq_disable();
	KT_EXPECT(t, ticket_trylock_irqsave(&l, &s));
	ticket_unlock_irqrestore(&l, s);
	KT_EXPECT(t, !arch_irq_enabled());
	arch_irq_restore(outer);
}

KTEST(ticket_lock, arch_cpu_id_is_zero_on_one_cpu)
{
	KT_EXPECT_EQ(t, arch_cpu_id(), 0u);
	for (int i = 0; i < 10; i++)
		arch_cpu_relax();
}
