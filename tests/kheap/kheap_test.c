/*
 * The kernel heap (mm/kheap.c). Every case builds its own heap instance over
 * a static region, so it runs the same on the host and in the kernel (where
 * the real kernel heap stays untouched), and most run twice: a plain
 * instance and a debug one (KHEAP_F_DEBUG). Debug detection is a per-
 * instance switch, so its cases run whatever CONFIG_KHEAP_DEBUG says; only
 * kernel_heap_api uses the kernel heap itself (on the host it sets it up).
 *
 * Reports are captured through kheap_set_report_sink() and matched.
 *
 * mm_lock.h is private to mm/: included by relative path only for
 * MM_HOSTED (whether this is a host build that must set the heap up).
 */
#include <kernel/printk.h>
#include <ktest.h>
#include <lib/compiler.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <stdint.h>
#include <string.h>

#include "../../mm/mm_lock.h"

#include "kheap_region.h"

#define REGION_SIZE KHEAP_TEST_REGION_SIZE
#define region	    kheap_test_region
unsigned char kheap_test_region[KHEAP_TEST_REGION_SIZE]
	__attribute__((aligned(4096)));
static struct kheap heap;

/* ------------------------------------------------------------ helpers */

static char last_report[256];
static unsigned reports;

static void capture(const char *msg)
{
	strlcpy(last_report, msg, sizeof(last_report));
	reports++;
}

static void capture_start(void)
{
	kheap_set_report_sink(capture);
	last_report[0] = '\0';
	reports = 0;
}

static void capture_stop(void)
{
	kheap_set_report_sink(NULL);
}

static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncmp(hay, needle, n) == 0)
			return true;
	return false;
}

/* The report names file:line of this file. */
static bool names_line(const char *msg, int line)
{
	char want[48];
	snprintf(want, sizeof(want), "kheap_test.c:%d", line);
	return contains(msg, want);
}

static uint32_t rng_state;

static uint32_t rnd(void)
{
	uint32_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

static struct kheap *mk_sized(struct ktest *t, unsigned flags, size_t size)
{
	capture_start();
	if (kheap_create(&heap, region, size, flags)) {
		ktest_fail(t, __FILE__, __LINE__, "kheap_create failed");
		return NULL;
	}
	return &heap;
}

static struct kheap *mk(struct ktest *t, unsigned flags)
{
	return mk_sized(t, flags, sizeof(region));
}

static void fill(void *p, size_t n, uint32_t seed)
{
	unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		c[i] = (unsigned char)(seed + i * 13);
}

static bool intact(const void *p, size_t n, uint32_t seed)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i] != (unsigned char)(seed + i * 13))
			return false;
	return true;
}

#define A(h, n) kheap_alloc((h), (n), 0, KHEAP_SITE)
#define F(h, p) kheap_free((h), (p), KHEAP_SITE)

/*
 * Both flavours of a case: BODY(name) { ... } then CASES(name) on its own
 * line. (The runner orders cases by file and line, so two cases may not
 * come from one line: PLAIN and DEBUG expand on separate lines.)
 */
#define BODY(name) static void name##_body(struct ktest *t, unsigned flags)
#define PLAIN(name)                                                            \
	KTEST(kheap, name)                                                     \
	{                                                                      \
		name##_body(t, 0);                                             \
		capture_stop();                                                \
	}
#define DEBUG(name)                                                            \
	KTEST(kheap, name##_debug)                                             \
	{                                                                      \
		name##_body(t, KHEAP_F_DEBUG);                                 \
		capture_stop();                                                \
	}

/* ------------------------------------------------------------ cases */

KTEST(kheap, create_rejects_bad_regions)
{
	struct kheap h;

	KT_EXPECT_EQ(t, kheap_create(&h, NULL, REGION_SIZE, 0), -EINVAL);
	KT_EXPECT_EQ(t, kheap_create(&h, region, 32, 0), -EINVAL);
	KT_EXPECT_EQ(t, kheap_create(&h, region + 1, 4096, 0), -EINVAL);
	/* an instance that failed to initialise refuses everything */
	capture_start();
	KT_EXPECT(t, kheap_alloc(&h, 10, 0, KHEAP_SITE) == NULL);
	KT_EXPECT_EQ(t, kheap_free(&h, region, KHEAP_SITE), -EINVAL);
	KT_EXPECT_EQ(t, reports, 1);
	capture_stop();
}

BODY(zero_size_is_unique_allocation)
{
	struct kheap *h = mk(t, flags);
	KT_ASSERT(t, h);
	void *a = A(h, 0), *b = A(h, 0);
	KT_ASSERT(t, a && b);
	KT_EXPECT(t, a != b);
	KT_EXPECT(t, ((uintptr_t)a & 15) == 0);
	if (flags & KHEAP_F_DEBUG)
		KT_EXPECT_EQ(t, kheap_usable_size(h, a), 0);
	KT_EXPECT_EQ(t, F(h, a), 0);
	KT_EXPECT_EQ(t, F(h, b), 0);
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	KT_EXPECT_EQ(t, reports, 0);
}
PLAIN(zero_size_is_unique_allocation)
DEBUG(zero_size_is_unique_allocation)

BODY(calloc_zeroes_and_catches_overflow)
{
	struct kheap *h = mk(t, flags);
	struct kheap_stats s;
	KT_ASSERT(t, h);
	unsigned char *p = kheap_calloc(h, 10, 100, KHEAP_SITE);
	KT_ASSERT(t, p);
	for (int i = 0; i < 1000; i++)
		KT_ASSERT_EQ(t, p[i], 0);
	KT_EXPECT(t, kheap_calloc(h, SIZE_MAX / 2, 3, KHEAP_SITE) == NULL);
	KT_EXPECT(t, kheap_calloc(h, 3, SIZE_MAX / 2, KHEAP_SITE) == NULL);
	KT_EXPECT(t, kheap_calloc(h, (size_t)1 << (sizeof(size_t) * 4),
				  (size_t)1 << (sizeof(size_t) * 4),
				  KHEAP_SITE) == NULL);
	kheap_get_stats(h, &s);
	KT_EXPECT_EQ(t, s.failed, 3);
	KT_EXPECT_EQ(t, s.allocs, 1);
	void *z = kheap_calloc(h, 0, 5, KHEAP_SITE);
	KT_EXPECT(t, z != NULL);
	KT_EXPECT_EQ(t, F(h, z), 0);
	KT_EXPECT_EQ(t, F(h, p), 0);
	KT_EXPECT_EQ(t, reports, 0);
}
PLAIN(calloc_zeroes_and_catches_overflow)
DEBUG(calloc_zeroes_and_catches_overflow)

BODY(realloc_keeps_contents)
{
	struct kheap *h = mk(t, flags);
	KT_ASSERT(t, h);
	unsigned char *p = kheap_realloc(h, NULL, 50, KHEAP_SITE);
	KT_ASSERT(t, p);
	fill(p, 50, 7);
	p = kheap_realloc(h, p, 3000, KHEAP_SITE);
	KT_ASSERT(t, p);
	KT_EXPECT(t, intact(p, 50, 7));
	KT_EXPECT(t, kheap_usable_size(h, p) >= 3000);
	fill(p, 3000, 9);
	p = kheap_realloc(h, p, 20, KHEAP_SITE);
	KT_ASSERT(t, p);
	KT_EXPECT(t, intact(p, 20, 9));
	p = kheap_realloc(h, p, 0, KHEAP_SITE); /* shrinks, does not free */
	KT_ASSERT(t, p);
	KT_EXPECT(t, kheap_realloc(h, p, REGION_SIZE, KHEAP_SITE) == NULL);
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	KT_EXPECT_EQ(t, F(h, p), 0);
	KT_EXPECT_EQ(t, reports, 0);
}
PLAIN(realloc_keeps_contents)
DEBUG(realloc_keeps_contents)

BODY(aligned_every_power_of_two)
{
	struct kheap *h = mk(t, flags);
	void *keep[17];
	KT_ASSERT(t, h);
	for (unsigned k = 0; k <= 16; k++) {
		size_t align = (size_t)1 << k;
		unsigned char *p = kheap_alloc(h, 100 + k, align, KHEAP_SITE);
		KT_ASSERT(t, p);
		KT_EXPECT_MSG(t, ((uintptr_t)p & (MAX(align, 16) - 1)) == 0,
			      "align %zu: %p", align, (void *)p);
		fill(p, 100 + k, k);
		keep[k] = p;
	}
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	for (unsigned k = 0; k <= 16; k++) {
		KT_EXPECT(t, intact(keep[k], 100 + k, k));
		KT_EXPECT_EQ(t, F(h, keep[k]), 0);
	}
	KT_EXPECT_EQ(t, reports, 0);
	KT_EXPECT(t, kheap_alloc(h, 10, 24, KHEAP_SITE) == NULL);
	KT_EXPECT_EQ(t, reports, 1);
	KT_EXPECT(t, contains(last_report, "power of two"));
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
}
PLAIN(aligned_every_power_of_two)
DEBUG(aligned_every_power_of_two)

BODY(exhaustion_then_free_all)
{
	static void *ptrs[2048];
	struct kheap *h = mk(t, flags);
	struct kheap_stats s0, s;
	unsigned n = 0;
	KT_ASSERT(t, h);
	kheap_get_stats(h, &s0);
	rng_state = 99;
	for (size_t max = 8192; max >= 1; max /= 2) {
		while (n < ARRAY_SIZE(ptrs)) {
			void *p = A(h, 1 + rnd() % max);
			if (!p)
				break;
			ptrs[n++] = p;
		}
	}
	KT_EXPECT(t, n < ARRAY_SIZE(ptrs));
	KT_EXPECT(t, A(h, 1) == NULL);
	kheap_get_stats(h, &s);
	KT_EXPECT(t, s.failed >= 14);
	KT_EXPECT_EQ(t, s.allocs, n);
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	for (unsigned i = 1; i < n; i += 2) /* odd ones, then even ones */
		KT_EXPECT_EQ(t, F(h, ptrs[i]), 0);
	for (unsigned i = 0; i < n; i += 2)
		KT_EXPECT_EQ(t, F(h, ptrs[i]), 0);
	kheap_flush_quarantine(h);
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	kheap_get_stats(h, &s);
	KT_EXPECT_EQ(t, s.frees, n);
	KT_EXPECT_EQ(t, s.free_blocks, 1);
	KT_EXPECT_EQ(t, s.largest_free, s0.largest_free);
	KT_EXPECT_EQ(t, s.quarantined, 0);
	KT_EXPECT_EQ(t, reports, 0);
}
PLAIN(exhaustion_then_free_all)
DEBUG(exhaustion_then_free_all)

#define SLOTS 128
static struct {
	unsigned char *p;
	size_t size;
	uint32_t seed;
} slots[SLOTS];

BODY(random_ops_against_model)
{
	/* small enough that the live set sometimes does not fit */
	struct kheap *h = mk_sized(t, flags, 112 * 1024);
	unsigned fails = 0;
	KT_ASSERT(t, h);
	memset(slots, 0, sizeof(slots));
	rng_state = 0xdecaf + flags;
	for (unsigned i = 0; i < 8000; i++) {
		unsigned k = rnd() % SLOTS;
		uint32_t op = rnd() % 100;
		size_t n = op % 4 ? rnd() % 300 : rnd() % 9000;
		if (slots[k].p && op < 40) {
			KT_ASSERT(t, intact(slots[k].p, slots[k].size,
					    slots[k].seed));
			KT_ASSERT_EQ(t, F(h, slots[k].p), 0);
			slots[k].p = NULL;
		} else if (slots[k].p && op < 70) {
			unsigned char *q =
				kheap_realloc(h, slots[k].p, n, KHEAP_SITE);
			if (!q) {
				fails++;
				continue;
			}
			KT_ASSERT(t, intact(q, MIN(n, slots[k].size),
					    slots[k].seed));
			slots[k].p = q;
			slots[k].size = n;
			fill(q, n, slots[k].seed);
		} else if (!slots[k].p) {
			size_t align = op < 10 ? (size_t)1 << (rnd() % 12) : 0;
			unsigned char *q = kheap_alloc(h, n, align, KHEAP_SITE);
			if (!q) {
				fails++;
				continue;
			}
			KT_ASSERT(t,
				  ((uintptr_t)q & (MAX(align, 16) - 1)) == 0);
			KT_ASSERT(t, kheap_usable_size(h, q) >= n);
			slots[k].p = q;
			slots[k].size = n;
			slots[k].seed = rnd();
			fill(q, n, slots[k].seed);
		}
		if (i % 16 == 0)
			KT_ASSERT_EQ(t, kheap_verify(h), 0);
	}
	for (unsigned k = 0; k < SLOTS; k++) {
		if (slots[k].p) {
			KT_EXPECT(t, intact(slots[k].p, slots[k].size,
					    slots[k].seed));
			KT_EXPECT_EQ(t, F(h, slots[k].p), 0);
		}
	}
	kheap_flush_quarantine(h);
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	struct kheap_stats s;
	kheap_get_stats(h, &s);
	KT_EXPECT_EQ(t, s.free_blocks, 1);
	KT_EXPECT_EQ(t, s.allocs, s.frees);
	KT_EXPECT_EQ(t, s.errors, 0);
	KT_EXPECT_EQ(t, reports, 0);
	ktest_log(t, "8000 ops, %u failed for lack of space", fails);
}
PLAIN(random_ops_against_model)
DEBUG(random_ops_against_model)

/* Bad pointers on a plain heap: cheap checks, a report, nothing changes. */
KTEST(kheap, bad_pointers_plain)
{
	static unsigned char outside[64] __attribute__((aligned(16)));
	struct kheap *h = mk(t, 0);
	struct kheap_stats s0, s;
	KT_ASSERT(t, h);
	char *a = A(h, 200), *b = A(h, 200), *c = A(h, 200);
	KT_ASSERT(t, a && b && c);
	memset(a, 0, 200);
	kheap_get_stats(h, &s0);

	KT_EXPECT_EQ(t, F(h, NULL), 0);
	KT_EXPECT_EQ(t, reports, 0);
	KT_EXPECT_EQ(t, F(h, outside), -EINVAL);
	KT_EXPECT(t, contains(last_report, "outside the heap"));
	KT_EXPECT(t, names_line(last_report, __LINE__ - 2));
	KT_EXPECT_EQ(t, F(h, a + 4), -EINVAL);
	KT_EXPECT(t, contains(last_report, "misaligned"));
	KT_EXPECT_EQ(t, F(h, a + 32), -EINVAL);
	KT_EXPECT(t, contains(last_report, "not an allocated block"));
	KT_EXPECT(t, kheap_realloc(h, a + 32, 10, KHEAP_SITE) == NULL);
	KT_EXPECT(t, contains(last_report, "krealloc"));
	KT_EXPECT_EQ(t, reports, 4);
	kheap_get_stats(h, &s);
	KT_EXPECT_EQ(t, s.used, s0.used);
	KT_EXPECT_EQ(t, s.frees, 0);

	KT_EXPECT_EQ(t, F(h, b), 0);
	KT_EXPECT_EQ(t, F(h, b), -EINVAL);
	KT_EXPECT(t, contains(last_report, "double free"));
	KT_EXPECT_EQ(t, kheap_usable_size(h, b), 0);
	KT_EXPECT_EQ(t, F(h, a), 0); /* merges with b */
	KT_EXPECT_EQ(t, F(h, b), -EINVAL);
	KT_EXPECT_EQ(t, F(h, c), 0);
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	kheap_get_stats(h, &s);
	KT_EXPECT_EQ(t, s.errors, 6);
	KT_EXPECT_EQ(t, s.free_blocks, 1);
	capture_stop();
}

KTEST(kheap, debug_double_free_names_both_sites)
{
	struct kheap *h = mk(t, KHEAP_F_DEBUG);
	KT_ASSERT(t, h);
	int l_alloc = __LINE__ + 1;
	char *p = A(h, 40);
	KT_ASSERT(t, p);
	int l_free = __LINE__ + 1;
	KT_EXPECT_EQ(t, F(h, p), 0);
	KT_EXPECT_EQ(t, reports, 0);
	int l_again = __LINE__ + 1;
	KT_EXPECT_EQ(t, F(h, p), -EINVAL);
	KT_EXPECT_EQ(t, reports, 1);
	KT_EXPECT(t, contains(last_report, "double free"));
	KT_EXPECT(t, names_line(last_report, l_alloc));
	KT_EXPECT(t, names_line(last_report, l_free));
	KT_EXPECT(t, names_line(last_report, l_again));
	KT_EXPECT(t, kheap_realloc(h, p, 10, KHEAP_SITE) == NULL);
	KT_EXPECT(t, contains(last_report, "double free"));
	/* the heap is unharmed */
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	kheap_flush_quarantine(h);
	KT_EXPECT_EQ(t, reports, 2);
	/* long after (out of quarantine, block merged): still refused */
	KT_EXPECT_EQ(t, F(h, p), -EINVAL);
	KT_EXPECT(t, contains(last_report, "not a live allocation"));
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	capture_stop();
}

KTEST(kheap, debug_overflow_and_underflow)
{
	struct kheap *h = mk(t, KHEAP_F_DEBUG);
	KT_ASSERT(t, h);
	int l_alloc = __LINE__ + 1;
	char *p = A(h, 24);
	char *q = A(h, 100);
	KT_ASSERT(t, p && q);
	memset(p, 1, 24); /* in bounds: fine */
	KT_EXPECT_EQ(t, kheap_verify(h), 0);

	char saved = p[24];
	p[24] = 'x'; /* one byte past the end */
	KT_EXPECT(t, kheap_verify(h) < 0);
	KT_EXPECT(t, contains(last_report, "overflow"));
	KT_EXPECT_EQ(t, F(h, p), -EINVAL);
	KT_EXPECT(t, contains(last_report, "red zone damaged at offset 24"));
	KT_EXPECT(t, contains(last_report, "overflow"));
	KT_EXPECT(t, names_line(last_report, l_alloc));
	KT_EXPECT(t, kheap_realloc(h, p, 48, KHEAP_SITE) == NULL);
	KT_EXPECT(t, contains(last_report, "red zone"));
	p[24] = saved; /* repaired, the object can go */
	KT_EXPECT_EQ(t, kheap_verify(h), 0);

	saved = q[-1];
	q[-1] = 0; /* one byte before the start */
	KT_EXPECT_EQ(t, F(h, q), -EINVAL);
	KT_EXPECT(t, contains(last_report, "offset -1"));
	KT_EXPECT(t, contains(last_report, "underflow"));
	q[-1] = saved;

	/* overflow past the tail of the block, as far as the back red zone
	 * reaches: every damaged byte is seen */
	size_t back = 16;
	for (size_t i = 0; i < back; i++) {
		saved = q[100 + i];
		q[100 + i] ^= 0x55;
		KT_EXPECT(t, kheap_verify(h) < 0);
		q[100 + i] = saved;
	}
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	KT_EXPECT_EQ(t, F(h, p), 0);
	KT_EXPECT_EQ(t, F(h, q), 0);
	struct kheap_stats s;
	kheap_get_stats(h, &s);
	KT_EXPECT_EQ(t, s.frees, 2);
	KT_EXPECT(t, s.errors >= 4);
	capture_stop();
}

KTEST(kheap, debug_use_after_free_write)
{
	struct kheap *h = mk(t, KHEAP_F_DEBUG);
	KT_ASSERT(t, h);
	int l_alloc = __LINE__ + 1;
	char *p = A(h, 64);
	KT_ASSERT(t, p);
	int l_free = __LINE__ + 1;
	KT_EXPECT_EQ(t, F(h, p), 0);
	KT_EXPECT_EQ(t, p[0], 0x6b); /* poisoned */
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	p[10] = 1; /* the stale write */
	KT_EXPECT(t, kheap_verify(h) < 0);
	KT_EXPECT(t, contains(last_report, "use after free"));
	KT_EXPECT(t, names_line(last_report, l_alloc));
	/* caught again when the object leaves quarantine to be reused */
	reports = 0;
	kheap_flush_quarantine(h);
	KT_EXPECT_EQ(t, reports, 1);
	KT_EXPECT(t, contains(last_report, "use after free"));
	KT_EXPECT(t, contains(last_report, "+10"));
	KT_EXPECT(t, names_line(last_report, l_alloc));
	KT_EXPECT(t, names_line(last_report, l_free));
	KT_EXPECT_EQ(t, kheap_verify(h), 0);

	/* the quarantine evicts by itself, oldest first, checking as it goes */
	char *victim = A(h, 32);
	KT_ASSERT(t, victim);
	KT_EXPECT_EQ(t, F(h, victim), 0);
	victim[31] = 0;
	reports = 0;
	for (int i = 0; i < KHEAP_QUARANTINE; i++) {
		void *x = A(h, 16);
		KT_ASSERT(t, x);
		KT_ASSERT_EQ(t, F(h, x), 0);
	}
	KT_EXPECT_EQ(t, reports, 1);
	KT_EXPECT(t, contains(last_report, "+31"));
	capture_stop();
}

KTEST(kheap, debug_foreign_and_interior_pointers)
{
	static unsigned char outside[256] __attribute__((aligned(16)));
	struct kheap *h = mk(t, KHEAP_F_DEBUG);
	KT_ASSERT(t, h);
	char *p = A(h, 300);
	KT_ASSERT(t, p);
	KT_EXPECT_EQ(t, F(h, outside + 128), -EINVAL);
	KT_EXPECT(t, contains(last_report, "foreign"));
	KT_EXPECT(t, names_line(last_report, __LINE__ - 2));
	KT_EXPECT_EQ(t, F(h, p + 1), -EINVAL);
	KT_EXPECT(t, contains(last_report, "misaligned"));
	KT_EXPECT_EQ(t, F(h, p + 128), -EINVAL);
	KT_EXPECT(t, contains(last_report, "not a live allocation"));
	KT_EXPECT_EQ(t, F(h, region + 4096), -EINVAL);
	KT_EXPECT_EQ(t, kheap_usable_size(h, p + 128), 0);
	KT_EXPECT_EQ(t, kheap_usable_size(h, p), 300);
	KT_EXPECT_EQ(t, reports, 4);
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	KT_EXPECT_EQ(t, F(h, p), 0);
	capture_stop();
}

/* A write before the front red zone reaches the object header. */
KTEST(kheap, debug_header_damage)
{
	struct kheap *h = mk(t, KHEAP_F_DEBUG);
	KT_ASSERT(t, h);
	char *p = A(h, 40), *q = A(h, 40);
	KT_ASSERT(t, p && q);
	uint32_t *magic = (uint32_t *)(void *)(q - 80), saved = *magic;
	*magic = 0;
	KT_EXPECT(t, kheap_verify(h) < 0);
	KT_EXPECT(t, contains(last_report, "header damaged"));
	KT_EXPECT_EQ(t, F(h, q), -EINVAL);
	KT_EXPECT(t, contains(last_report, "not a live allocation"));
	*magic = saved;
	KT_EXPECT_EQ(t, kheap_verify(h), 0);
	KT_EXPECT_EQ(t, F(h, q), 0);
	KT_EXPECT_EQ(t, F(h, p), 0);
	capture_stop();
}

/* The kernel heap and the k* names (macros under CONFIG_KHEAP_DEBUG). */
KTEST(kheap, kernel_heap_api)
{
	struct kheap_stats s0, s;

	if (!kheap_ready()) {
#if MM_HOSTED
		static unsigned char host_heap[128 * 1024]
			__attribute__((aligned(16)));
		KT_ASSERT_EQ(t, kheap_init(host_heap, sizeof(host_heap)), 0);
#else
		KT_SKIP(t, "kernel heap not initialised");
#endif
	}
	KT_ASSERT_EQ(t, kheap_check(), 0);
	kheap_stats(&s0);
	char *a = kmalloc(100);
	char *b = kcalloc(4, 25);
	char *c = kmalloc_aligned(64, 256);
	KT_ASSERT(t, a && b && c);
	KT_EXPECT(t, ((uintptr_t)c & 255) == 0);
	KT_EXPECT(t, kmalloc_usable_size(a) >= 100);
	for (int i = 0; i < 100; i++)
		KT_ASSERT_EQ(t, b[i], 0);
	memset(a, 'a', 100);
	a = krealloc(a, 1000);
	KT_ASSERT(t, a);
	KT_EXPECT_EQ(t, a[99], 'a');
	kheap_stats(&s);
	KT_EXPECT(t, s.allocs >= s0.allocs + 3);
	KT_EXPECT(t, s.total > 0 && s.used > 0);
	KT_EXPECT_EQ(t, s.used + s.free, s.total);
	kfree(a);
	kfree(b);
	kfree(c);
	kfree(NULL);
	kheap_stats(&s);
	KT_EXPECT(t, s.frees >= s0.frees + 3);
	KT_EXPECT_EQ(t, s.errors, s0.errors);
	KT_EXPECT_EQ(t, kheap_check(), 0);
}
