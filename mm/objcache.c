/*
 * Small-object front caches: the parts too long to inline (see
 * objcache.h for the design and the owner rule).
 */
#include "objcache.h"

#include <string.h>

#include "tlsf.h"

#if MM_HOSTED
unsigned mm_host_cpu;
#endif

bool objcache_holds(const struct objcache_cpu *c, unsigned k, const void *obj)
{
	void *const *p = obj;
	if (p[1] != (void *)(OBJCACHE_MAGIC ^ (uintptr_t)obj))
		return false;
	for (void *const *q = c->head[k]; q; q = q[0])
		if (q == p)
			return true;
	return false;
}

/* Empty c into t (heap lock held, c's owner): objects t refused. */
static unsigned drain(struct objcache_cpu *c, struct tlsf *t)
{
	unsigned bad = 0;

	for (unsigned k = 0; k < OBJCACHE_CLASSES; k++) {
		void **p = c->head[k];
		while (p) {
			void **next = p[0];
			p[1] = NULL;
			if (tlsf_free(t, p))
				bad++;
			p = next;
		}
		c->head[k] = NULL;
		c->count[k] = 0;
	}
	c->bytes = 0;
	c->drains++;
	__atomic_store_n(&c->drain_req, 0, __ATOMIC_RELAXED);
	return bad;
}

static bool drain_asked(const struct objcache_cpu *c)
{
	return __atomic_load_n(&c->drain_req, __ATOMIC_RELAXED) != 0;
}

void *objcache_get(struct objcache *oc, unsigned k)
{
	unsigned cpu;
	void *p = NULL;
	mm_cpu_state_t cs = mm_cpu_enter(&cpu);
	struct objcache_cpu *c = &oc->cpu[cpu];

	if (!drain_asked(c)) {
		p = objcache_pop(c, k);
		if (p)
			c->allocs++;
	}
	mm_cpu_exit(cs);
	return p;
}

int objcache_put(struct objcache *oc, struct tlsf *t, void *p)
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
	} else if (!drain_asked(c) && objcache_has_room(c, (unsigned)k) &&
		   tlsf_ptr_check_own(t, p) == TLSF_OK) {
		objcache_push(c, (unsigned)k, p);
		c->frees++;
		kept = 1;
	}
	mm_cpu_exit(cs);
	return kept;
}

void *objcache_refill(struct objcache *oc, struct tlsf *t, unsigned k,
		      unsigned *bad)
{
	unsigned cpu;
	mm_cpu_state_t cs = mm_cpu_enter(&cpu);
	struct objcache_cpu *c = &oc->cpu[cpu];
	size_t want = objcache_class_bytes(k) - sizeof(size_t);

	if (drain_asked(c))
		*bad += drain(c, t);
	/* Only as many as the cache has room for, plus the one returned: a
	 * cache at its byte bound must not take a batch and give it straight
	 * back. Cut from one free block when it holds them: one search and
	 * one split for the batch, the objects in address order (pushed last
	 * first), as a plain TLSF hands out a burst. */
	void *run[OBJCACHE_BATCH];
	unsigned n = 1 + objcache_room(c, k);
	if (n > OBJCACHE_BATCH)
		n = OBJCACHE_BATCH;
	unsigned got = tlsf_malloc_run(t, want, run, n);
	void *p = got ? run[0] : NULL;
	for (unsigned i = got; i-- > 1;)
		objcache_push(c, k, run[i]);
	mm_cpu_exit(cs);
	return p;
}

unsigned objcache_drain_here(struct objcache *oc, struct tlsf *t, bool others,
			     bool *released)
{
	unsigned cpu, bad = 0;
	mm_cpu_state_t cs = mm_cpu_enter(&cpu);
	struct objcache_cpu *c = &oc->cpu[cpu];

	/* Only caches that hold something are asked: a failing request on
	 * an empty system costs a few loads, not a write to every CPU. */
	if (others)
		for (unsigned i = 0; i < OBJCACHE_CPUS; i++) {
			struct objcache_cpu *o = &oc->cpu[i];
			if (i != cpu &&
			    __atomic_load_n(&o->bytes, __ATOMIC_RELAXED) &&
			    !drain_asked(o))
				__atomic_store_n(&o->drain_req, 1,
						 __ATOMIC_RELAXED);
		}
	*released = c->bytes != 0;
	if (*released)
		bad = drain(c, t);
	mm_cpu_exit(cs);
	return bad;
}

void objcache_totals(const struct objcache *oc, struct objcache_totals *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < OBJCACHE_CPUS; i++) {
		const struct objcache_cpu *c = &oc->cpu[i];
		t->bytes += __atomic_load_n(&c->bytes, __ATOMIC_RELAXED);
		for (unsigned k = 0; k < OBJCACHE_CLASSES; k++)
			t->objects +=
				__atomic_load_n(&c->count[k], __ATOMIC_RELAXED);
		t->allocs += __atomic_load_n(&c->allocs, __ATOMIC_RELAXED);
		t->frees += __atomic_load_n(&c->frees, __ATOMIC_RELAXED);
		t->drains += __atomic_load_n(&c->drains, __ATOMIC_RELAXED);
	}
}
