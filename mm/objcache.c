/*
 * Small-object front caches: the parts too long to inline (see
 * objcache.h for the design and the owner rule).
 */
#include "objcache.h"

#include <string.h>

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

size_t objcache_drain(struct objcache_cpu *c,
		      void (*release)(void *ctx, void *obj), void *ctx)
{
	size_t n = 0;

	for (unsigned k = 0; k < OBJCACHE_CLASSES; k++) {
		void **p = c->head[k];
		while (p) {
			void **next = p[0];
			p[1] = NULL;
			release(ctx, p);
			p = next;
			n++;
		}
		c->head[k] = NULL;
		c->count[k] = 0;
	}
	c->bytes = 0;
	c->drains++;
	__atomic_store_n(&c->drain_req, 0, __ATOMIC_RELAXED);
	return n;
}

void objcache_request_drain(struct objcache *oc, unsigned self)
{
	for (unsigned i = 0; i < OBJCACHE_CPUS; i++)
		if (i != self)
			__atomic_store_n(&oc->cpu[i].drain_req, 1,
					 __ATOMIC_RELAXED);
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
