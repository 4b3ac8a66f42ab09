/*
 * How mm/'s allocators (the PMM, the kernel heap) serialise their
 * operations. Private to mm/ (host tests that need MM_HOSTED include it by
 * relative path).
 *
 *     mm_lock_t s = mm_lock(); ... mm_unlock(s);
 *
 * Kernel build: one recursive IRQ-saving lock (<kernel/rlock.h>, rank
 * LOCK_RANK_MM) for every allocator in mm/ (the PMM, the kernel heap, the
 * sbrk heap and malloc, DMA windows, low memory, the page-table pool), so
 * they may be used from interrupt handlers and on several CPUs at once. It
 * nests because the allocators call each other (the kernel heap and the
 * sbrk heap take frames from the PMM under their own operation). Below the
 * kernel's big lock in the lock order: mm/ never calls the scheduler; it
 * may print (the console lock ranks higher) and map pages (the port's
 * page-table lock ranks higher). One lock for all of mm/ is the simple
 * first step; the byte allocators' small requests skip it through the
 * per-CPU front caches (mm/objcache.h); per-allocator locks are not done.
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
#include <kernel/rlock.h>

typedef irq_state_t mm_lock_t;

extern struct rlock mm_rlock; /* mm/mm_init.c */

static inline mm_lock_t mm_lock(void)
{
	return rlock_irqsave(&mm_rlock);
}

static inline void mm_unlock(mm_lock_t state)
{
	rlock_irqrestore(&mm_rlock, state);
}

#endif
#endif
