/*
 * malloc on an sbrk heap: a reference model under random operations, growth
 * and trimming through sbrk, bad pointers refused, and the small-object
 * path (suite malloc_small).
 */
#include <ktest.h>
#include <lib/err.h>
#include <mm/malloc.h>
#include <mm/pmm.h>
#include <mm/sbrk.h>
#include <mm_testenv.h>
#include <string.h>

static struct sbrk_heap heap;
static struct heap_malloc m;
static struct mm_testenv env;

#define ENTER(t)                                                               \
	do {                                                                   \
		MM_TESTENV_ENTER_OR_SKIP(t, &env);                             \
		sbrk_heap_init(&heap, env.va_start,                            \
			       env.va_start + env.va_size, NULL);              \
		KT_ASSERT_EQ(t, heap_malloc_init(&m, &heap), 0);               \
	} while (0)

static void leave(void)
{
	int err;

	sbrk_heap_move(&heap, -(intptr_t)(heap.brk - heap.start), &err);
	mm_testenv_exit();
}

KTEST(malloc, grows_the_heap_and_gives_pages_back)
{
	ENTER(t);
	size_t pages0 = heap.pages;
	void *big = heap_malloc(&m, 1u << 20);
	KT_ASSERT(t, big != NULL);
	KT_EXPECT(t, heap.pages >= pages0 + 256);
	memset(big, 1, 1u << 20);
	KT_EXPECT_EQ(t, heap_free(&m, big), 0);
	/* Trimmed back to the minimum the pool keeps free at its end. */
	KT_EXPECT(t,
		  heap.pages <= pages0 + (MALLOC_TRIM_KEEP + 4096) / 4096 + 1);
	leave();
}

KTEST(malloc, alignment_and_realloc)
{
	ENTER(t);
	for (size_t align = 16; align <= 65536; align <<= 1) {
		void *p = heap_memalign(&m, align, 100);
		KT_ASSERT(t, p != NULL);
		KT_EXPECT_EQ(t, (uintptr_t)p % align, 0);
		heap_free(&m, p);
	}
	KT_EXPECT(t, heap_memalign(&m, 24, 10) == NULL);
	char *s = heap_malloc(&m, 10);
	memcpy(s, "abcdefghi", 10);
	s = heap_realloc(&m, s, 200000); /* grows the heap, keeps data */
	KT_ASSERT(t, s != NULL);
	KT_EXPECT_STREQ(t, s, "abcdefghi");
	heap_free(&m, s);
	leave();
}

KTEST(malloc, bad_pointers_are_refused)
{
	ENTER(t);
	char *p = heap_malloc(&m, 64);
	KT_EXPECT_EQ(t, heap_free(&m, p + 16), -EINVAL);     /* interior */
	KT_EXPECT_EQ(t, heap_free(&m, p + 1), -EINVAL);	     /* misaligned */
	KT_EXPECT_EQ(t, heap_free(&m, (void *)&m), -EINVAL); /* foreign */
	KT_EXPECT_EQ(t, heap_free(&m, p), 0);
	KT_EXPECT_EQ(t, heap_free(&m, p), -EINVAL); /* double free */
	KT_EXPECT_EQ(t, heap_free(&m, NULL), 0);
	KT_EXPECT(t, heap_realloc(&m, (void *)&m, 10) == NULL);
	KT_EXPECT(t, m.errors >= 5);
	leave();
}

KTEST(malloc, exhaustion_is_null_and_recoverable)
{
	ENTER(t);
	heap.limit = env.va_start + (1u << 20); /* 1 MiB heap */
	void *p = heap_malloc(&m, 2u << 20);
	KT_EXPECT(t, p == NULL);
	KT_EXPECT_EQ(t, m.failed, 1);
	void *q = heap_malloc(&m, 512 * 1024);
	KT_EXPECT(t, q != NULL);
	heap_free(&m, q);
	leave();
}

/* The snapshot the fuzz boot's leak check reads: live objects and bytes
 * come back to where they were, and the counters match the struct's. */
KTEST(malloc, stats_follow_allocations)
{
	struct heap_malloc_stats s0, s1, s2;

	ENTER(t);
	heap_malloc_stats(&m, &s0);
	KT_EXPECT_EQ(t, s0.allocs, 0);
	KT_EXPECT_EQ(t, s0.used + s0.free, s0.total);
	KT_EXPECT_EQ(t, s0.sbrk_pages, heap.pages);
	void *a = heap_malloc(&m, 1000), *b = heap_malloc(&m, 300000);
	KT_ASSERT(t, a && b);
	KT_EXPECT_EQ(t, heap_free(&m, (char *)a + 16), -EINVAL);
	heap_malloc_stats(&m, &s1);
	KT_EXPECT_EQ(t, s1.allocs - s1.frees, 2);
	KT_EXPECT(t, s1.used >= s0.used + 301000);
	KT_EXPECT_EQ(t, s1.errors, 1);
	KT_EXPECT_EQ(t, s1.sbrk_pages, heap.pages);
	KT_EXPECT(t, s1.sbrk_pages > s0.sbrk_pages);
	heap_free(&m, a);
	heap_free(&m, b);
	heap_malloc_stats(&m, &s2);
	KT_EXPECT_EQ(t, s2.allocs - s2.frees, 0);
	KT_EXPECT_EQ(t, s2.used, s0.used);
	KT_EXPECT_EQ(t, s2.frees, 2);
	leave();
}

/* Random malloc/realloc/free, each object filled with its own pattern;
 * with the front caches, or with the small-object path. KT_ASSERT returns
 * from here, the caller's leave() still runs. */
static void run_model(struct ktest *t, bool front_caches)
{
	struct {
		unsigned char *p;
		size_t size;
		unsigned char tag;
	} live[128] = {{0}};
	uint32_t seed = 4242;

	if (front_caches)
		KT_ASSERT_EQ(t, heap_malloc_enable_cache(&m), 0);
	for (int op = 0; op < 6000; op++) {
		seed = seed * 1103515245u + 12345u;
		unsigned i = (seed >> 16) % 128;
		size_t size = 1 + ((seed >> 3) % ((seed & 1) ? 300 : 20000));
		if (live[i].p) {
			for (size_t k = 0; k < live[i].size; k++)
				KT_ASSERT_EQ(t, live[i].p[k], live[i].tag);
			if (seed & 2) {
				unsigned char *q =
					heap_realloc(&m, live[i].p, size);
				KT_ASSERT(t, q != NULL);
				size_t keep = size < live[i].size
						      ? size
						      : live[i].size;
				for (size_t k = 0; k < keep; k++)
					KT_ASSERT_EQ(t, q[k], live[i].tag);
				live[i].p = q;
				live[i].size = size;
				memset(q, live[i].tag, size);
			} else {
				KT_ASSERT_EQ(t, heap_free(&m, live[i].p), 0);
				live[i].p = NULL;
			}
		} else {
			live[i].p = heap_malloc(&m, size);
			KT_ASSERT(t, live[i].p != NULL);
			KT_ASSERT_EQ(t, (uintptr_t)live[i].p % 16, 0);
			live[i].size = size;
			live[i].tag = (unsigned char)(op & 0xff);
			memset(live[i].p, live[i].tag, size);
		}
	}
	for (unsigned i = 0; i < 128; i++)
		heap_free(&m, live[i].p);
	struct heap_malloc_stats st;
	heap_malloc_stats(&m, &st);
	KT_EXPECT_EQ(t, st.allocs - st.frees, 0);
	KT_EXPECT_EQ(t, st.errors, 0);
	KT_EXPECT_EQ(t, st.used + st.free, st.total);
}

KTEST(malloc, random_against_model)
{
	ENTER(t);
	run_model(t, true);
	leave();
}

KTEST(malloc, random_against_model_small_path)
{
	ENTER(t);
	run_model(t, false);
	leave();
}

/* Alternating malloc/free across the pool's end neither grows nor trims
 * the heap every time (the hysteresis band of <mm/malloc.h>). */
KTEST(malloc, no_grow_trim_ping_pong)
{
	struct heap_malloc_stats s0, s1;

	ENTER(t);
	void *keep = heap_malloc(&m, 100);
	KT_ASSERT(t, keep);
	heap_malloc_stats(&m, &s0);
	for (int i = 0; i < 200; i++) {
		void *p = heap_malloc(&m, 100 * 1024);
		KT_ASSERT(t, p != NULL);
		KT_ASSERT_EQ(t, heap_free(&m, p), 0);
	}
	heap_malloc_stats(&m, &s1);
	/* The band doubles from 64 KiB past 100 KiB within two rounds. */
	KT_EXPECT(t, s1.grows - s0.grows <= 3);
	KT_EXPECT(t, s1.trims - s0.trims <= 3);
	KT_EXPECT_EQ(t, heap_free(&m, keep), 0);
	/* A large free still gives pages back, down to the band. */
	void *big = heap_malloc(&m, 4u << 20);
	KT_ASSERT(t, big);
	KT_EXPECT_EQ(t, heap_free(&m, big), 0);
	heap_malloc_stats(&m, &s1);
	KT_EXPECT(t, s1.free <= MALLOC_TRIM_KEEP + m.trim_band + 8192);
	ktest_log(t, "%lu grows, %lu trims; band %zu KiB", s1.grows - s0.grows,
		  s1.trims - s0.trims, m.trim_band / 1024);
	leave();
}

/* Small objects from the front caches: never handed out twice, a second
 * free refused, the cached bytes counted as free. */
KTEST(malloc, small_objects_cached_once)
{
	static void *objs[512];
	struct heap_malloc_stats st;

	ENTER(t);
	KT_ASSERT_EQ(t, heap_malloc_enable_cache(&m), 0);
	for (unsigned i = 0; i < 512; i++) {
		objs[i] = heap_malloc(&m, 1 + i % 500);
		KT_ASSERT(t, objs[i] != NULL);
		memset(objs[i], (int)i, 1 + i % 500);
	}
	for (unsigned i = 0; i < 512; i += 2)
		KT_ASSERT_EQ(t, heap_free(&m, objs[i]), 0);
	KT_EXPECT_EQ(t, heap_free(&m, objs[0]), -EINVAL);
	for (unsigned i = 0; i < 512; i += 2) {
		objs[i] = heap_malloc(&m, 1 + i % 500);
		KT_ASSERT(t, objs[i] != NULL);
		memset(objs[i], (int)i, 1 + i % 500);
	}
	for (unsigned i = 0; i < 512; i++) {
		const unsigned char *c = objs[i];
		for (unsigned k = 0; k < 1 + i % 500; k++)
			KT_ASSERT_EQ(t, c[k], (unsigned char)i);
	}
	for (unsigned i = 0; i < 512; i++)
		KT_ASSERT_EQ(t, heap_free(&m, objs[i]), 0);
	heap_malloc_stats(&m, &st);
	KT_EXPECT_EQ(t, st.allocs - st.frees, 0);
	KT_EXPECT_EQ(t, st.errors, 1);
	KT_EXPECT(t, st.cached > 0);
	KT_EXPECT_EQ(t, st.used + st.free, st.total);
	leave();
}

/* ---- the small-object path (mm/malloc_tcache.h): a freed small block
 * comes back at once, a second free or a realloc of it is refused, it never
 * keeps the heap top up, and memory pressure gives it back. */

static void *small[4096];

KTEST(malloc_small, freed_block_reused_and_refused_twice)
{
	struct heap_malloc_stats st;

	ENTER(t);
	char *p = heap_malloc(&m, 100), *above = heap_malloc(&m, 100);
	KT_ASSERT(t, p && above);
	KT_EXPECT_EQ(t, heap_free(&m, p), 0);
	heap_malloc_stats(&m, &st);
	KT_EXPECT(t, st.cached >= 112);
	KT_EXPECT_EQ(t, st.used + st.free, st.total);
	KT_EXPECT_EQ(t, heap_free(&m, p), -EINVAL);    /* double free */
	KT_EXPECT(t, heap_realloc(&m, p, 10) == NULL); /* use after free */
	KT_EXPECT(t, heap_malloc(&m, 97) == p);	       /* same class */
	KT_EXPECT_EQ(t, m.errors, 2);
	KT_EXPECT_EQ(t, heap_free(&m, p), 0);
	KT_EXPECT_EQ(t, heap_free(&m, above), 0);
	heap_malloc_stats(&m, &st);
	KT_EXPECT_EQ(t, st.allocs - st.frees, 0);
	leave();
}

/* A double free of a cached block is refused even when its class is
 * full (the free would otherwise go to the pool, which sees it "used"). */
KTEST(malloc_small, double_free_refused_with_the_class_full)
{
	ENTER(t);
	for (unsigned i = 0; i < MALLOC_TC_DEPTH + 2; i++)
		small[i] = heap_malloc(&m, 64);
	for (unsigned i = 0; i < MALLOC_TC_DEPTH; i++)
		KT_ASSERT_EQ(t, heap_free(&m, small[i]), 0);
	KT_EXPECT_EQ(t, heap_free(&m, small[3]), -EINVAL);
	/* Handed out once each, then the pool's own. */
	for (unsigned i = 0; i < MALLOC_TC_DEPTH + 1; i++) {
		small[i] = heap_malloc(&m, 64);
		for (unsigned j = 0; j < i; j++)
			KT_EXPECT(t, small[i] != small[j]);
	}
	for (unsigned i = 0; i < MALLOC_TC_DEPTH + 2; i++)
		KT_EXPECT_EQ(t, heap_free(&m, small[i]), 0);
	KT_EXPECT_EQ(t, m.errors, 1);
	leave();
}

/* Fill with n small objects, free them in the order `step` gives (a
 * permutation of 0..n-1 for odd step and n a power of two), and check the
 * heap came back down to what the trim band allows. */
static void fill_and_free(struct ktest *t, unsigned n, unsigned step)
{
	unsigned long pages0 = heap.pages;

	for (unsigned i = 0; i < n; i++) {
		small[i] = heap_malloc(&m, 16 + (i * 37) % 497);
		KT_ASSERT(t, small[i] != NULL);
	}
	KT_EXPECT(t, heap.pages > pages0 + 100);
	for (unsigned i = 0, j = 0; i < n; i++, j = (j + step) % n)
		KT_ASSERT_EQ(t, heap_free(&m, small[j]), 0);
	/* Everything free: nothing cached may sit below the free tail. */
	KT_EXPECT(t, heap.pages <= pages0 +
					   (MALLOC_TRIM_KEEP + m.trim_band) /
						   PAGE_SIZE +
					   2);
	ktest_log(t, "step %u: %lu pages before, %lu after", step, pages0,
		  heap.pages);
}

KTEST(malloc_small, never_holds_the_heap_top_up)
{
	ENTER(t);
	fill_and_free(t, 4096, 1);    /* lowest first */
	fill_and_free(t, 4096, 4095); /* highest first */
	fill_and_free(t, 4096, 1031); /* scattered */
	struct heap_malloc_stats st;
	heap_malloc_stats(&m, &st);
	KT_EXPECT_EQ(t, st.allocs - st.frees, 0);
	KT_EXPECT_EQ(t, st.errors, 0);
	leave();
}

/* Cached blocks split the free space in two; a request that only fits
 * once they are back in the pool still succeeds. */
KTEST(malloc_small, given_back_under_pressure)
{
	struct heap_malloc_stats st;
	unsigned n = 0;

	ENTER(t);
	heap.limit = env.va_start + (1u << 20);
	while (n < 4096 && (small[n] = heap_malloc(&m, 256)) != NULL)
		n++;
	KT_ASSERT(t, n > 1000 && n < 4096);
	unsigned long failed = m.failed;
	/* small[n - 1] stays: the frees below never reach the free tail. */
	for (unsigned i = n / 2; i < n - 1; i++) /* the first ones cached */
		KT_ASSERT_EQ(t, heap_free(&m, small[i]), 0);
	for (unsigned i = 0; i < n / 2; i++)
		KT_ASSERT_EQ(t, heap_free(&m, small[i]), 0);
	heap_malloc_stats(&m, &st);
	KT_EXPECT(t, st.cached > 0);
	/* More than either half, less than both. */
	size_t big = (size_t)n * 256 * 2 / 3;
	void *p = heap_malloc(&m, big);
	KT_EXPECT(t, p != NULL);
	KT_EXPECT_EQ(t, m.failed, failed);
	heap_malloc_stats(&m, &st);
	KT_EXPECT_EQ(t, st.cached, 0);
	heap_free(&m, p);
	heap_free(&m, small[n - 1]);
	heap_malloc_stats(&m, &st);
	KT_EXPECT_EQ(t, st.allocs - st.frees, 0);
	leave();
}

/* heap_malloc_trim_all() (a program short of frames) empties the path. */
KTEST(malloc_small, trim_all_gives_the_cache_back)
{
	struct heap_malloc_stats st;

	ENTER(t);
	void *keep = heap_malloc(&m, 4000);
	for (unsigned i = 0; i < 64; i++)
		small[i] = heap_malloc(&m, 16 + 8 * i);
	void *top = heap_malloc(&m, 4000);
	KT_ASSERT(t, keep && top);
	for (unsigned i = 0; i < 64; i++)
		KT_ASSERT_EQ(t, heap_free(&m, small[i]), 0);
	heap_malloc_stats(&m, &st);
	KT_EXPECT(t, st.cached > 0);
	heap_malloc_trim_all(&m);
	heap_malloc_stats(&m, &st);
	KT_EXPECT_EQ(t, st.cached, 0);
	KT_EXPECT_EQ(t, st.allocs - st.frees, 2);
	heap_free(&m, keep);
	heap_free(&m, top);
	leave();
}
