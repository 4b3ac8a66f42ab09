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

_Static_assert(OBJCACHE_CLASSES == 33, "objcache_limits[] lists 33 classes");
_Static_assert(OBJCACHE_CLASSES <= 64, "`reused` has a bit per class");

#define L4(k)                                                                  \
	OBJCACHE_LIMIT(k), OBJCACHE_LIMIT((k) + 1), OBJCACHE_LIMIT((k) + 2),   \
		OBJCACHE_LIMIT((k) + 3)
const unsigned short objcache_limits[OBJCACHE_CLASSES] = {
	L4(0),	L4(4),	L4(8),
	L4(12), L4(16), L4(20),
	L4(24), L4(28), OBJCACHE_LIMIT(32),
};

bool objcache_listed(const struct objcache_cpu *c, unsigned k, const void *obj)
{
	for (void *const *q = c->head[k]; q; q = q[0])
		if (q == obj)
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
	c->reused = 0; /* after pressure, batches only once reused */
	c->drains++;
	__atomic_store_n(&c->drain_req, 0, __ATOMIC_RELAXED);
	return bad;
}

/* objcache_refill()'s batch: up to 1 + the room left of class k's blocks
 * (`want` usable bytes) from t, all but the first kept. Out of line: a
 * burst's single-block refill does not pay for its frame. */
static __attribute__((noinline)) void *
refill_batch(struct objcache_cpu *c, struct tlsf *t, unsigned k, size_t want)
{
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
	for (unsigned i = got; i-- > 1;)
		objcache_push(c, k, run[i]);
	return got ? run[0] : NULL;
}

/* objcache_refill() when another CPU asked this one to drain: drain, then
 * refill. Out of line and rare. */
static __attribute__((noinline, cold)) void *
refill_after_drain(struct objcache *oc, struct tlsf *t, unsigned k,
		   unsigned *bad)
{
	unsigned cpu;
	mm_cpu_state_t cs = mm_cpu_enter(&cpu);
	*bad += drain(&oc->cpu[cpu], t);
	mm_cpu_exit(cs);
	return objcache_refill(oc, t, k, bad);
}

void *objcache_refill(struct objcache *oc, struct tlsf *t, unsigned k,
		      unsigned *bad)
{
	unsigned cpu;
	mm_cpu_state_t cs = mm_cpu_enter(&cpu);
	struct objcache_cpu *c = &oc->cpu[cpu];
	size_t want = objcache_class_bytes(k) - sizeof(size_t);
	uint64_t bit = (uint64_t)1 << k;
	void *p;

	if (objcache_drain_asked(c)) {
		mm_cpu_exit(cs);
		return refill_after_drain(oc, t, k, bad);
	}
	if (c->reused & bit) {
		c->reused &= ~bit;
		p = refill_batch(c, t, k, want);
	} else {
		/* A burst (no free of this class since its last refill): one
		 * block, in the order plain TLSF would hand them out. */
		p = tlsf_malloc(t, want);
	}
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
			    !objcache_drain_asked(o))
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
