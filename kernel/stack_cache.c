/*
 * The process stack cache (see <kernel/stack_cache.h>). A small array under
 * a spinlock: spawn and reap are not hot enough for per-CPU lists to pay,
 * and the lock is held for a scan of eight slots.
 */
#include <arch/mmu.h>
#include <kernel/stack_cache.h>
#include <kernel/sync.h>
#include <mm/kheap.h>

struct slot {
	void *alloc;
	size_t bytes;
};

static struct spinlock lock = SPINLOCK_INIT;
static struct slot slots[STACK_CACHE_SLOTS];
static struct stack_cache_stats stats;

void *stack_cache_take(size_t bytes)
{
	void *alloc = NULL;
	irq_state_t s = spin_lock_irqsave(&lock);

	for (unsigned i = 0; i < STACK_CACHE_SLOTS && !alloc; i++) {
		if (slots[i].alloc && slots[i].bytes == bytes) {
			alloc = slots[i].alloc;
			slots[i].alloc = NULL;
			stats.cached--;
			stats.bytes -= bytes;
		}
	}
	if (alloc)
		stats.hits++;
	else
		stats.misses++;
	spin_unlock_irqrestore(&lock, s);
	return alloc;
}

bool stack_cache_keep(void *alloc, size_t bytes)
{
	bool kept = false;
	irq_state_t s = spin_lock_irqsave(&lock);

	for (unsigned i = 0; i < STACK_CACHE_SLOTS && !kept; i++) {
		if (!slots[i].alloc) {
			slots[i].alloc = alloc;
			slots[i].bytes = bytes;
			stats.cached++;
			stats.bytes += bytes;
			kept = true;
		}
	}
	if (!kept)
		stats.overflows++;
	spin_unlock_irqrestore(&lock, s);
	return kept;
}

/* Map the guard back (a fault entry becoming valid needs no shootdown) and
 * give the stack to the heap. */
static void release(void *alloc)
{
	arch_mmu_map((vaddr_t)alloc, (paddr_t)alloc, 1, MMU_READ | MMU_WRITE);
	kfree(alloc);
}

unsigned stack_cache_drain(void)
{
	unsigned n = 0;

	for (;;) {
		void *alloc = NULL;
		irq_state_t s = spin_lock_irqsave(&lock);
		for (unsigned i = 0; i < STACK_CACHE_SLOTS && !alloc; i++) {
			if (slots[i].alloc) {
				alloc = slots[i].alloc;
				stats.cached--;
				stats.bytes -= slots[i].bytes;
				slots[i].alloc = NULL;
			}
		}
		spin_unlock_irqrestore(&lock, s);
		if (!alloc)
			return n;
		release(alloc); /* outside the lock: it takes mm's */
		n++;
	}
}

void stack_cache_get_stats(struct stack_cache_stats *out)
{
	irq_state_t s = spin_lock_irqsave(&lock);
	*out = stats;
	spin_unlock_irqrestore(&lock, s);
}
