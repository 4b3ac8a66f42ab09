/*
 * How mm/'s allocators (the PMM, the kernel heap) serialise their
 * operations. Private to mm/ (host tests that need MM_HOSTED include it by
 * relative path).
 *
 *     mm_lock_t s = mm_lock(); ... mm_unlock(s);
 *
 * Kernel build: IRQs off on this CPU (arch_irq_save/arch_irq_restore), so
 * both may be used from interrupt handlers. With one CPU that is the whole
 * lock, so they share it; once there is SMP each allocator needs a spinlock
 * of its own, and this is the one place that changes.
 *
 * Host builds (the unit tests, the benchmark adapters) have one thread, and
 * the benchmarks no <arch/irq.h>: the lock is a no-op. A host build is
 * recognised by KTEST_HOST or, failing that, by a hosted compiler
 * (__STDC_HOSTED__, i.e. no -ffreestanding: the kernel never is).
 */
#ifndef MM_MM_LOCK_H
#define MM_MM_LOCK_H

#if defined(KTEST_HOST) || __STDC_HOSTED__
#define MM_HOSTED 1

typedef unsigned long mm_lock_t;

static inline mm_lock_t mm_lock(void)
{
	return 0;
}

static inline void mm_unlock(mm_lock_t state)
{
	(void)state;
}

#else
#define MM_HOSTED 0
#include <arch/irq.h>

typedef irq_state_t mm_lock_t;

static inline mm_lock_t mm_lock(void)
{
	return arch_irq_save();
}

static inline void mm_unlock(mm_lock_t state)
{
	arch_irq_restore(state);
}

#endif
#endif
