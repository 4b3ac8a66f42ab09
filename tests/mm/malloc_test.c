/*
 * malloc on an sbrk heap: a reference model under random operations, growth
 * and trimming through sbrk, and bad pointers refused.
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

/* Random malloc/realloc/free, each object filled with its own pattern. */
KTEST(malloc, random_against_model)
{
	struct {
		unsigned char *p;
		size_t size;
		unsigned char tag;
	} live[128] = {{0}};
	uint32_t seed = 4242;

	ENTER(t);
	/* With the small-object caches (the other cases run without). */
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
