/*
 * How the kernel heap serialises its operations: one hook, so the
 * integration can point it at the kernel's primitives (a spinlock once
 * there is SMP) without touching mm/kheap.c.
 *
 *     kheap_lock_t s = kheap_lock(); ... kheap_unlock(s);
 *
 * Kernel build: IRQs off on this CPU (arch_irq_save/arch_irq_restore), so
 * the heap may be used from interrupt handlers. Host builds (the unit
 * tests, the benchmark adapter) have no <arch/irq.h> and one thread: the
 * lock is a no-op. A host build is recognised by KTEST_HOST or, failing
 * that, by a hosted compiler (__STDC_HOSTED__, i.e. no -ffreestanding).
 */
#ifndef MM_KHEAP_LOCK_H
#define MM_KHEAP_LOCK_H

#if defined(KTEST_HOST) || __STDC_HOSTED__
#define KHEAP_HOSTED 1

typedef unsigned long kheap_lock_t;

static inline kheap_lock_t kheap_lock(void)
{
	return 0;
}

static inline void kheap_unlock(kheap_lock_t state)
{
	(void)state;
}

#else
#define KHEAP_HOSTED 0
#include <arch/irq.h>

typedef irq_state_t kheap_lock_t;

static inline kheap_lock_t kheap_lock(void)
{
	return arch_irq_save();
}

static inline void kheap_unlock(kheap_lock_t state)
{
	arch_irq_restore(state);
}

#endif
#endif
