/*
 * Small-object front caches for the byte allocators on TLSF (the kernel
 * heap, mm/kheap.c, and malloc on the sbrk heap, mm/malloc.c). Private to
 * mm/ and its tests.
 *
 * Requests of up to OBJCACHE_MAX_SIZE bytes come in classes by the TLSF
 * block they need (objcache_footprint(): header included, 16-byte
 * granules, exactly TLSF's own rounding, so caching costs no space). A
 * freed small object goes onto its class's list in the freeing CPU's cache,
 * still a used block to TLSF, and the next request of that class on that
 * CPU takes it back: no split, no coalesce, no lock. An empty list is
 * refilled under the heap lock with up to OBJCACHE_BATCH blocks, no more
 * than the cache has room for (tlsf_malloc_run: cut from one free block
 * when it holds them, in address order), but only when the class has taken
 * a free since its last refill (`reused`): a class that only allocates (a
 * burst) is refilled one block at a time, like plain TLSF. Batches in a
 * burst hand out each class's run of blocks interleaved with the other
 * classes' runs, so a burst freed in reverse finds its neighbours free or
 * used at random: on benchmark c that was 0.48 mispredicted branches per
 * operation in the coalescing free (0 for plain TLSF) and 1.45-1.9x
 * TLSF's time with fewer instructions (docs/benchmarks.md).
 *
 * Owner rule: a CPU's cache is read and written only by that CPU, with its
 * IRQs off (mm_cpu_enter/mm_cpu_exit below): no lock on the fast path and
 * no atomic but the drain request. Another CPU never touches it; it may set
 * `drain_req`, and the owner empties its cache into TLSF at its next
 * small allocation (its frees meanwhile go to TLSF under the lock).
 *
 * Bounded: a class holds at most objcache_limit(k) objects and a CPU's
 * cache at most OBJCACHE_CPU_BYTES (block footprints); past that a free
 * goes straight to TLSF. Under pressure (a request TLSF cannot meet) the
 * allocator drains its own CPU's cache and asks the others to drain, then
 * retries once; memory in other CPUs' caches (at most OBJCACHE_CPU_BYTES
 * each) comes back at their next small allocation, not during this request.
 *
 * A lock-free free checks the pointer with tlsf_ptr_check_own() (its own
 * header and the next block's, not the previous block's, which another CPU
 * may be changing); the full check runs when the object is drained.
 *
 * A cached object's first word links the list and its second holds
 * OBJCACHE_MAGIC ^ its address: a second free of a cached object is found
 * by a scan of that class's list (at most objcache_limit(k) objects) on the
 * freeing CPU. A double free across CPUs is not caught while the first
 * copy waits in the other CPU's cache.
 */
#ifndef MM_OBJCACHE_H
#define MM_OBJCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm_lock.h"
#include "tlsf.h"

#define OBJCACHE_GRAIN	  16
#define OBJCACHE_MAX_SIZE 512
/* Classes by footprint 16, 32, ... up to that of OBJCACHE_MAX_SIZE. */
#define OBJCACHE_CLASSES   (OBJCACHE_MAX_SIZE / OBJCACHE_GRAIN + 1)
#define OBJCACHE_CPU_BYTES (32u * 1024)
#define OBJCACHE_BATCH	   8
#define OBJCACHE_MAGIC	   ((uintptr_t)0x0bca5eedu)

#if MM_HOSTED
/* Host builds: "CPUs" the tests switch between with mm_host_cpu. */
#define OBJCACHE_CPUS 4
extern unsigned mm_host_cpu;

typedef unsigned long mm_cpu_state_t;

static inline mm_cpu_state_t mm_cpu_enter(unsigned *cpu)
{
	*cpu = mm_host_cpu;
	return 0;
}

static inline void mm_cpu_exit(mm_cpu_state_t s)
{
	(void)s;
}
#else
#include <arch/cpu.h>
#include <arch/irq.h>
#include <kernel/cpus.h>
#define OBJCACHE_CPUS CONFIG_NR_CPUS

typedef irq_state_t mm_cpu_state_t;

/* Pin the caller to its CPU (IRQs off: no preemption, no handler on this
 * CPU) and say which it is. */
static inline mm_cpu_state_t mm_cpu_enter(unsigned *cpu)
{
	irq_state_t s = arch_irq_save();
	*cpu = arch_cpu_id();
	return s;
}

static inline void mm_cpu_exit(mm_cpu_state_t s)
{
	arch_irq_restore(s);
}
#endif

struct objcache_cpu {
	void *head[OBJCACHE_CLASSES];
	unsigned short count[OBJCACHE_CLASSES];
	size_t bytes;	      /* footprint of the cached blocks */
	unsigned long allocs; /* objects handed out without the lock */
	unsigned long frees;  /* objects taken back without the lock */
	unsigned long drains; /* times this cache was emptied */
	uint64_t reused;      /* bit k: class k took a free since its refill */
	int drain_req;	      /* set by anyone, cleared by the owner */
} __attribute__((aligned(64)));

struct objcache {
	struct objcache_cpu cpu[OBJCACHE_CPUS];
};

struct objcache_totals {
	size_t bytes; /* footprint held in all CPUs' caches */
	size_t objects;
	unsigned long allocs, frees, drains;
};

/* The TLSF block (header included) a request of `size` bytes takes: the
 * engine's own rounding (mm/tlsf.c adjust()). */
static inline size_t objcache_footprint(size_t size)
{
	size_t min = (4 * sizeof(size_t) + OBJCACHE_GRAIN - 1) &
		     ~(size_t)(OBJCACHE_GRAIN - 1);
	size_t b = (size + sizeof(size_t) + OBJCACHE_GRAIN - 1) &
		   ~(size_t)(OBJCACHE_GRAIN - 1);
	return b < min ? min : b;
}

/* The class of blocks of `footprint` bytes, or -1 if not a small block. */
static inline int objcache_class_of(size_t footprint)
{
	if (footprint < OBJCACHE_GRAIN ||
	    footprint > objcache_footprint(OBJCACHE_MAX_SIZE))
		return -1;
	return (int)(footprint / OBJCACHE_GRAIN) - 1;
}

/* The class serving a request of `size` (<= OBJCACHE_MAX_SIZE) bytes. */
static inline unsigned objcache_class(size_t size)
{
	return (unsigned)(objcache_footprint(size) / OBJCACHE_GRAIN) - 1;
}

/* Most objects class k may hold on one CPU: about 4 KiB, at least 8 (a
 * table: no division on the fast paths). */
#define OBJCACHE_LIMIT(k)                                                      \
	(4096 / (((k) + 1) * OBJCACHE_GRAIN) < 8                               \
		 ? 8                                                           \
		 : 4096 / (((k) + 1) * OBJCACHE_GRAIN))
extern const unsigned short objcache_limits[OBJCACHE_CLASSES];

static inline unsigned objcache_limit(unsigned k)
{
	return objcache_limits[k];
}

/* The footprint of class k's blocks. */
static inline size_t objcache_class_bytes(unsigned k)
{
	return (size_t)(k + 1) * OBJCACHE_GRAIN;
}

/* Take an object of class k, or NULL if the list is empty. Owner only. */
static inline void *objcache_pop(struct objcache_cpu *c, unsigned k)
{
	void **p = c->head[k];
	if (!p)
		return NULL;
	c->head[k] = p[0];
	p[1] = NULL;
	c->count[k]--;
	c->bytes -= objcache_class_bytes(k);
	return p;
}

/* How many more objects class k may keep. Owner only. */
static inline unsigned objcache_room(const struct objcache_cpu *c, unsigned k)
{
	unsigned by_count = objcache_limit(k) - c->count[k];
	size_t left = OBJCACHE_CPU_BYTES - c->bytes;
	/* The division only near the byte bound. */
	if (left >= by_count * objcache_class_bytes(k))
		return by_count;
	return (unsigned)(left / objcache_class_bytes(k));
}

/* Whether class k may keep one more object. Owner only. */
static inline bool objcache_has_room(const struct objcache_cpu *c, unsigned k)
{
	return c->count[k] < objcache_limit(k) &&
	       c->bytes + objcache_class_bytes(k) <= OBJCACHE_CPU_BYTES;
}

/* Keep an object of class k; false if the class or the cache is full.
 * Owner only. */
static inline bool objcache_push(struct objcache_cpu *c, unsigned k, void *obj)
{
	size_t footprint = objcache_class_bytes(k);
	if (!objcache_has_room(c, k))
		return false;
	void **p = obj;
	p[0] = c->head[k];
	p[1] = (void *)(OBJCACHE_MAGIC ^ (uintptr_t)obj);
	c->head[k] = obj;
	c->count[k]++;
	c->bytes += footprint;
	return true;
}

/* Whether obj, whose magic word matches, waits in class k of this CPU's
 * cache (a double free): a scan of the class's list. */
bool objcache_listed(const struct objcache_cpu *c, unsigned k, const void *obj);

/* Whether obj already waits in class k of this CPU's cache (a double
 * free). The magic word first, the list only when it matches. */
static inline bool objcache_holds(const struct objcache_cpu *c, unsigned k,
				  const void *obj)
{
	void *const *p = obj;
	return p[1] == (void *)(OBJCACHE_MAGIC ^ (uintptr_t)obj) &&
	       objcache_listed(c, k, obj);
}

static inline bool objcache_drain_asked(const struct objcache_cpu *c)
{
	return __atomic_load_n(&c->drain_req, __ATOMIC_RELAXED) != 0;
}

/* Lock-free, any context: an object of class k from this CPU's cache, or
 * NULL (empty, or a drain was asked for: take the locked path). Inline:
 * the fast path is a few loads and stores, no call. */
static inline void *objcache_get(struct objcache *oc, unsigned k)
{
	unsigned cpu;
	void *p = NULL;
	mm_cpu_state_t cs = mm_cpu_enter(&cpu);
	struct objcache_cpu *c = &oc->cpu[cpu];

	if (!objcache_drain_asked(c)) {
		p = objcache_pop(c, k);
		if (p)
			c->allocs++;
	}
	mm_cpu_exit(cs);
	return p;
}

/*
 * Lock-free, any context: keep p, a block of t checked with
 * tlsf_ptr_check_own() only, in this CPU's cache. 1 if kept; 0 if the
 * locked path must take it (not a small block, cache full, a drain asked
 * for, or a bad pointer, which the locked path's full check reports);
 * TLSF_E_FREE if p already waits in this CPU's cache. Inline, like
 * objcache_get(): a free the cache cannot keep (a burst) costs a few loads
 * on the way to the locked path.
 */
static inline int objcache_put(struct objcache *oc, struct tlsf *t, void *p)
{
	/* The header is read only inside the pool; the full own-block check
	 * runs only for an object this cache keeps (the locked path checks
	 * what it takes). */
	if (!tlsf_owns(t, p) || ((uintptr_t)p & (OBJCACHE_GRAIN - 1)))
		return 0;
	int k = objcache_class_of(tlsf_block_size(p) + sizeof(size_t));
	if (k < 0)
		return 0;
	unsigned cpu;
	int kept = 0;
	mm_cpu_state_t cs = mm_cpu_enter(&cpu);
	struct objcache_cpu *c = &oc->cpu[cpu];
	if (objcache_holds(c, (unsigned)k, p)) {
		kept = TLSF_E_FREE;
	} else if (!objcache_drain_asked(c) &&
		   objcache_has_room(c, (unsigned)k) &&
		   tlsf_ptr_check_own(t, p) == TLSF_OK) {
		objcache_push(c, (unsigned)k, p);
		c->reused |= (uint64_t)1 << k;
		c->frees++;
		kept = 1;
	}
	mm_cpu_exit(cs);
	return kept;
}

/*
 * Heap lock held: the slow path of a request of class k. Drains this CPU's
 * cache first if asked to, then takes one block of the class from t, or if
 * the class took a free since its last refill up to OBJCACHE_BATCH (no
 * more than it has room for), keeps all but one and returns that one;
 * NULL if t has none.
 * *bad counts cached objects t refused while draining (damaged headers).
 */
void *objcache_refill(struct objcache *oc, struct tlsf *t, unsigned k,
		      unsigned *bad);

/*
 * Heap lock held: return this CPU's cached objects to t, and if `others`
 * ask every other CPU that holds some to do so at its next small allocation
 * (memory pressure). *released says whether this CPU's cache held any (a
 * retry can only succeed then). Returns the objects t refused (damaged
 * while cached).
 */
unsigned objcache_drain_here(struct objcache *oc, struct tlsf *t, bool others,
			     bool *released);

/* Sums over all CPUs (other CPUs' figures read without their owners'
 * cooperation: a snapshot, exact when they are idle). */
void objcache_totals(const struct objcache *oc, struct objcache_totals *t);

#endif
