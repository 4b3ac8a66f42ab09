/*
 * The kernel heap's per-CPU small-object caches (mm/objcache.h, used by
 * mm/kheap.c with KHEAP_F_CACHE). Each case builds its own heap over a
 * static region. On the host the cases switch "CPUs" with mm_host_cpu, so
 * the owner rule and the remote drain request are exercised; in the kernel
 * they run on whatever CPU the test runs on.
 *
 * The model: every live object has a slot with its size and a fill
 * pattern; every new object is checked against all live ones for overlap
 * (no block handed out twice) and every object's pattern when it is freed.
 */
#include <ktest.h>
#include <lib/compiler.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <stdint.h>
#include <string.h>

#include "../../mm/objcache.h"

#include "kheap_region.h"

#define CREGION_SIZE (256 * 1024)
#define cregion	     kheap_test_region
static struct kheap cheap;
static unsigned reports;

static void count_report(const char *msg)
{
	(void)msg;
	reports++;
}

static struct kheap *mk_cached(size_t size)
{
	reports = 0;
	kheap_set_report_sink(count_report);
	if (kheap_create(&cheap, cregion, size, KHEAP_F_CACHE) || !cheap.cache)
		return NULL;
	return &cheap;
}

static void done(void)
{
	kheap_set_report_sink(NULL);
#if MM_HOSTED
	mm_host_cpu = 0;
#endif
}

/* Switch the (host) CPU; in the kernel the test stays where it runs. */
static void on_cpu(unsigned cpu)
{
#if MM_HOSTED
	mm_host_cpu = cpu % OBJCACHE_CPUS;
#else
	(void)cpu;
#endif
}

static uint32_t crng;

/* Numerical Recipes' LCG; the high bits are the usable ones. */
static uint32_t crnd(void)
{
	crng = crng * 1664525u + 1013904223u;
	return crng >> 8;
}

#define CSLOTS 192
static struct cslot {
	unsigned char *p;
	size_t size;
	unsigned char seed;
} cslots[CSLOTS];

static void cfill(struct cslot *s)
{
	for (size_t i = 0; i < s->size; i++)
		s->p[i] = (unsigned char)(s->seed + i);
}

static bool cintact(const struct cslot *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s->p[i] != (unsigned char)(s->seed + i))
			return false;
	return true;
}

/* Whether [p, p+n) overlaps a live object other than slot `self`. */
static bool overlaps_live(const unsigned char *p, size_t n, unsigned self)
{
	size_t len = n ? n : 1;
	for (unsigned k = 0; k < CSLOTS; k++) {
		const struct cslot *s = &cslots[k];
		size_t sl = s->size ? s->size : 1;
		if (k != self && s->p && p < s->p + sl && s->p < p + len)
			return true;
	}
	return false;
}

/* Random allocations, frees and reallocs, mostly small, from changing
 * CPUs, against the model; the heap is small enough that some fail. */
KTEST(kheap, cache_random_against_model)
{
	struct kheap *h = mk_cached(96 * 1024);
	unsigned fails = 0, live = 0;
	KT_ASSERT(t, h);
	struct kheap_stats st0;
	kheap_get_stats(h, &st0); /* the caches' own block is in use */
	memset(cslots, 0, sizeof(cslots));
	crng = 0x5eed1e5;
	for (unsigned i = 0; i < 20000; i++) {
		if (i % 64 == 0)
			on_cpu(crnd());
		unsigned k = crnd() % CSLOTS;
		uint32_t op = crnd() % 100;
		size_t n = op % 8 ? crnd() % 520 : crnd() % 6000;
		struct cslot *s = &cslots[k];
		if (s->p && op < 45) {
			KT_ASSERT(t, cintact(s, s->size));
			KT_ASSERT_EQ(t, kheap_free(h, s->p, KHEAP_SITE), 0);
			s->p = NULL;
			live--;
		} else if (s->p && op < 65) {
			unsigned char *q =
				kheap_realloc(h, s->p, n, KHEAP_SITE);
			if (!q) {
				fails++;
				continue;
			}
			s->p = q;
			KT_ASSERT(t, cintact(s, MIN(n, s->size)));
			KT_ASSERT(t, !overlaps_live(q, n, k));
			s->size = n;
			cfill(s);
		} else if (!s->p) {
			unsigned char *q = kheap_alloc(h, n, 0, KHEAP_SITE);
			if (!q) {
				fails++;
				continue;
			}
			KT_ASSERT(t, ((uintptr_t)q & 15) == 0);
			KT_ASSERT(t, !overlaps_live(q, n, k));
			s->p = q;
			s->size = n;
			s->seed = (unsigned char)crnd();
			cfill(s);
			live++;
		}
		if (i % 256 == 0) {
			struct kheap_stats st;
			KT_ASSERT_EQ(t, kheap_verify(h), 0);
			kheap_get_stats(h, &st);
			KT_ASSERT_EQ(t, st.allocs - st.frees, live);
			KT_ASSERT_EQ(t, st.used + st.free, st.total);
			KT_ASSERT(t, st.cached <= (size_t)OBJCACHE_CPUS *
							  OBJCACHE_CPU_BYTES);
		}
	}
	for (unsigned k = 0; k < CSLOTS; k++) {
		if (cslots[k].p) {
			on_cpu(k);
			KT_EXPECT(t, cintact(&cslots[k], cslots[k].size));
			KT_EXPECT_EQ(t, kheap_free(h, cslots[k].p, KHEAP_SITE),
				     0);
		}
	}
	/* Every CPU drains at its next operation once asked. */
	kheap_cache_drain(h);
	for (unsigned c = 0; c < OBJCACHE_CPUS; c++) {
		on_cpu(c);
		kheap_cache_drain(h);
	}
	struct kheap_stats st;
	kheap_get_stats(h, &st);
	KT_EXPECT_EQ(t, st.cached, 0);
	KT_EXPECT_EQ(t, st.free_blocks, st0.free_blocks);
	KT_EXPECT_EQ(t, st.used, st0.used);
	KT_EXPECT_EQ(t, st.allocs, st.frees);
	KT_EXPECT_EQ(t, st.errors, 0);
	KT_EXPECT_EQ(t, reports, 0);
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	ktest_log(t, "20000 ops, %u failed for lack of space, %lu drains",
		  fails, st.cache_drains);
	done();
}

/* Memory held in caches comes back when a request needs it. */
KTEST(kheap, cache_drains_under_pressure)
{
	static void *objs[4096];
	struct kheap *h = mk_cached(64 * 1024);
	size_t n = 0;
	KT_ASSERT(t, h);
	on_cpu(1);
	while (n < 4096 && (objs[n] = kheap_alloc(h, 48, 0, KHEAP_SITE)))
		n++;
	KT_ASSERT(t, n > 100);
	for (size_t i = 0; i < n; i++)
		KT_ASSERT_EQ(t, kheap_free(h, objs[i], KHEAP_SITE), 0);
	struct kheap_stats st;
	kheap_get_stats(h, &st);
	KT_EXPECT(t, st.cached > 0);
	KT_EXPECT(t, st.cached <= OBJCACHE_CPU_BYTES);
	ktest_log(t, "%zu objects, %zu bytes cached of class %u (limit %u)",
		  st.cached_objects, st.cached, objcache_class(48),
		  objcache_limit(objcache_class(48)));
	/* Class 48's bound, plus the last object: the heap's tail was too
	 * small to split, so its block is one class larger. */
	KT_EXPECT(t,
		  st.cached_objects <= objcache_limit(objcache_class(48)) + 1);
	/* Same CPU: a request larger than what TLSF alone has left must
	 * drain the cache and succeed. */
	size_t big = st.free - st.cached / 2;
	void *p = kheap_alloc(h, big, 0, KHEAP_SITE);
	KT_EXPECT(t, p != NULL);
	kheap_get_stats(h, &st);
	KT_EXPECT_EQ(t, st.cached, 0);
	KT_EXPECT(t, st.cache_drains >= 1);
	KT_EXPECT_EQ(t, kheap_free(h, p, KHEAP_SITE), 0);
#if MM_HOSTED
	/* Another CPU's cache: the first request fails and asks it to
	 * drain; once that CPU has run an operation, the request fits. */
	n = 0;
	while (n < 4096 && (objs[n] = kheap_alloc(h, 48, 0, KHEAP_SITE)))
		n++;
	for (size_t i = 0; i < n; i++)
		KT_ASSERT_EQ(t, kheap_free(h, objs[i], KHEAP_SITE), 0);
	kheap_get_stats(h, &st);
	big = st.free - st.cached / 2;
	on_cpu(0);
	KT_EXPECT(t, kheap_alloc(h, big, 0, KHEAP_SITE) == NULL);
	on_cpu(1);
	void *q = kheap_alloc(h, 16, 0, KHEAP_SITE); /* drains CPU 1 */
	KT_EXPECT(t, q != NULL);
	KT_EXPECT_EQ(t, kheap_free(h, q, KHEAP_SITE), 0);
	on_cpu(0);
	p = kheap_alloc(h, big - 64, 0, KHEAP_SITE);
	KT_EXPECT(t, p != NULL);
	KT_EXPECT_EQ(t, kheap_free(h, p, KHEAP_SITE), 0);
#endif
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	KT_EXPECT_EQ(t, reports, 0);
	done();
}

/* A second free of a cached object is refused, and the object is handed
 * out once only. */
KTEST(kheap, cache_double_free_refused)
{
	struct kheap *h = mk_cached(CREGION_SIZE);
	KT_ASSERT(t, h);
	on_cpu(0);
	void *a = kheap_alloc(h, 100, 0, KHEAP_SITE);
	KT_ASSERT(t, a);
	KT_EXPECT_EQ(t, kheap_free(h, a, KHEAP_SITE), 0);
	KT_EXPECT_EQ(t, kheap_free(h, a, KHEAP_SITE), -EINVAL);
	KT_EXPECT_EQ(t, reports, 1);
	void *b = kheap_alloc(h, 100, 0, KHEAP_SITE);
	void *c = kheap_alloc(h, 100, 0, KHEAP_SITE);
	KT_EXPECT(t, b && c && b != c);
	KT_EXPECT(t, b == a); /* from the cache, most recent first */
	/* Interior and foreign pointers still go to the full check. */
	KT_EXPECT_EQ(t, kheap_free(h, (char *)c + 16, KHEAP_SITE), -EINVAL);
	KT_EXPECT_EQ(t, reports, 2);
	KT_EXPECT_EQ(t, kheap_free(h, b, KHEAP_SITE), 0);
	KT_EXPECT_EQ(t, kheap_free(h, c, KHEAP_SITE), 0);
	struct kheap_stats st;
	kheap_get_stats(h, &st);
	KT_EXPECT_EQ(t, st.errors, 2);
	KT_EXPECT_EQ(t, st.allocs, st.frees);
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	done();
}

/* realloc stays in place when the block or its free neighbour allows. */
KTEST(kheap, cache_realloc_in_place)
{
	struct kheap *h = mk_cached(CREGION_SIZE);
	KT_ASSERT(t, h);
	char *a = kheap_alloc(h, 2000, 0, KHEAP_SITE);
	KT_ASSERT(t, a);
	memset(a, 'x', 2000);
	KT_EXPECT(t, kheap_realloc(h, a, 1000, KHEAP_SITE) == a);
	KT_EXPECT(t, kheap_realloc(h, a, 3000, KHEAP_SITE) == a);
	KT_EXPECT(t, a[999] == 'x');
	char *b = kheap_alloc(h, 64, 0, KHEAP_SITE);
	KT_ASSERT(t, b);
	KT_EXPECT(t, kheap_realloc(h, b, 60, KHEAP_SITE) == b);
	KT_EXPECT_EQ(t, kheap_free(h, a, KHEAP_SITE), 0);
	KT_EXPECT_EQ(t, kheap_free(h, b, KHEAP_SITE), 0);
	KT_EXPECT_EQ(t, reports, 0);
	done();
}

/* Sort burst objects by address (insertion sort: a few thousand). */
static void sort_ptrs(unsigned char **v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		unsigned char *x = v[i];
		size_t j = i;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/*
 * A burst (allocations of classes with no free since their last refill)
 * is refilled one block at a time, so its objects come in address order as
 * from plain TLSF, whatever the mix of classes: batches interleaved the
 * classes' runs, and benchmark c's reverse frees then met free and used
 * neighbours at random. A class that has taken a free refills in batches.
 */
KTEST(kheap, cache_burst_refills_in_address_order)
{
	static unsigned char *objs[400];
	static size_t sizes[400];
	struct kheap *h = mk_cached(CREGION_SIZE);
	KT_ASSERT(t, h);
	on_cpu(2);
	crng = 0xc0ffee;
	for (unsigned i = 0; i < 400; i++) {
		sizes[i] = 16 + crnd() % 49;
		objs[i] = kheap_alloc(h, sizes[i], 0, KHEAP_SITE);
		KT_ASSERT(t, objs[i] != NULL);
		if (i)
			KT_EXPECT(t, objs[i] > objs[i - 1]);
	}
	struct kheap_stats st;
	kheap_get_stats(h, &st);
	KT_EXPECT_EQ(t, st.cached_objects, 0);
	/* One free makes its class's next refill a batch. */
	KT_EXPECT_EQ(t, kheap_free(h, objs[399], KHEAP_SITE), 0);
	void *x = kheap_alloc(h, sizes[399], 0, KHEAP_SITE); /* cached */
	void *y = kheap_alloc(h, sizes[399], 0, KHEAP_SITE); /* batch */
	KT_EXPECT(t, x == objs[399]);
	KT_EXPECT(t, y != NULL);
	kheap_get_stats(h, &st);
	KT_EXPECT(t, st.cached_objects > 0);
	KT_EXPECT_EQ(t, kheap_free(h, x, KHEAP_SITE), 0);
	KT_EXPECT_EQ(t, kheap_free(h, y, KHEAP_SITE), 0);
	for (unsigned i = 399; i-- > 0;)
		KT_ASSERT_EQ(t, kheap_free(h, objs[i], KHEAP_SITE), 0);
	kheap_cache_drain(h);
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	KT_EXPECT_EQ(t, reports, 0);
	done();
}

/*
 * Benchmark c's pattern (LIFO bursts of small objects) on changing CPUs,
 * some bursts larger than the heap: every object is disjoint from the rest
 * of its burst (no block handed out twice, batch refills included), keeps
 * its contents until freed, and no CPU's cache ever holds more than its
 * bound, batch refills included. At the end the heap is as it began.
 */
KTEST(kheap, cache_lifo_bursts)
{
	static unsigned char *objs[3000], *sorted[3000];
	static unsigned char sizes[3000];
	struct kheap *h = mk_cached(128 * 1024);
	unsigned failed_bursts = 0;
	KT_ASSERT(t, h);
	struct kheap_stats st0, st;
	kheap_get_stats(h, &st0);
	crng = 0xb0a575;
	for (unsigned b = 0; b < 40; b++) {
		on_cpu(b);
		size_t want = 200 + crnd() % 2800, n = 0;
		for (; n < want; n++) {
			sizes[n] = (unsigned char)(16 + crnd() % 49);
			objs[n] = kheap_alloc(h, sizes[n], 0, KHEAP_SITE);
			if (!objs[n])
				break;
			KT_ASSERT(t, ((uintptr_t)objs[n] & 15) == 0);
			memset(objs[n], (int)(n & 0xff), sizes[n]);
		}
		failed_bursts += n < want;
		memcpy(sorted, objs, n * sizeof(*objs));
		sort_ptrs(sorted, n);
		for (size_t i = 1; i < n; i++)
			KT_ASSERT(t, sorted[i - 1] + 16 <= sorted[i]);
		for (unsigned c = 0; c < OBJCACHE_CPUS; c++)
			KT_ASSERT(t,
				  h->cache->cpu[c].bytes <= OBJCACHE_CPU_BYTES);
		for (size_t i = n; i-- > 0;) {
			KT_ASSERT(t, objs[i][0] == (unsigned char)i &&
					     objs[i][sizes[i] - 1] ==
						     (unsigned char)i);
			KT_ASSERT_EQ(t, kheap_free(h, objs[i], KHEAP_SITE), 0);
		}
		KT_ASSERT_EQ(t, kheap_verify(h), 0);
		kheap_get_stats(h, &st);
		KT_ASSERT_EQ(t, st.allocs, st.frees);
		for (unsigned c = 0; c < OBJCACHE_CPUS; c++)
			KT_ASSERT(t,
				  h->cache->cpu[c].bytes <= OBJCACHE_CPU_BYTES);
	}
	for (unsigned c = 0; c < OBJCACHE_CPUS; c++) {
		on_cpu(c);
		kheap_cache_drain(h);
	}
	kheap_get_stats(h, &st);
	KT_EXPECT_EQ(t, st.cached, 0);
	KT_EXPECT_EQ(t, st.used, st0.used);
	KT_EXPECT_EQ(t, st.free_blocks, st0.free_blocks);
	KT_EXPECT_EQ(t, reports, 0);
	KT_EXPECT(t, failed_bursts > 0);
	ktest_log(t, "40 bursts, %u larger than the heap, %lu drains",
		  failed_bursts, st.cache_drains);
	done();
}
