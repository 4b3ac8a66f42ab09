/*
 * A few freed process stacks kept with their guard page still unmapped, so
 * that spawning and reaping a process changes no page table and needs no
 * TLB shootdown. Unmapping a guard page must reach every CPU's TLB; on ARM
 * under QEMU the broadcast TLB operations stop every vCPU, and a 10,000
 * spawn test at -smp 4 spent most of its time there. (Linux keeps two
 * vmapped stacks per CPU for the same reason.)
 *
 * Only guarded stacks are cached. A cached stack stays on the kernel heap
 * (kheap_stats counts it as used): leak checks drain the cache first, as
 * they flush the heap's quarantine, and an allocation that fails drains it
 * before giving up (proc.c).
 */
#ifndef KERNEL_STACK_CACHE_H
#define KERNEL_STACK_CACHE_H

#include <stdbool.h>
#include <stddef.h>

/* Stacks kept at most: enough for the processes a CPU spawns and reaps in
 * a burst. */
#define STACK_CACHE_SLOTS 8

/* A cached allocation of exactly `bytes` (guard page included, the guard
 * unmapped), or NULL. Any context that may take a spinlock. */
void *stack_cache_take(size_t bytes);

/* Keep `alloc` (`bytes` long, its first page an unmapped guard) for a
 * later stack_cache_take; false when the cache is full and the caller must
 * map the guard back and free it. */
bool stack_cache_keep(void *alloc, size_t bytes);

/* Map every cached guard page back and free the stacks. Returns how many
 * were freed. */
unsigned stack_cache_drain(void);

struct stack_cache_stats {
	unsigned cached;	 /* stacks held now */
	size_t bytes;		 /* their size, guard pages included */
	unsigned long hits;	 /* spawns served from the cache */
	unsigned long misses;	 /* spawns that allocated and unmapped */
	unsigned long overflows; /* frees that found the cache full */
};

void stack_cache_get_stats(struct stack_cache_stats *s);

#endif
