/*
 * The TLSF engine (mm/tlsf.c) over a static buffer: boundary sizes,
 * exhaustion, every alignment, extend/trim, bad pointers, corruption that
 * tlsf_check must see, and a random sequence against a reference model.
 * Runs unchanged on the host and in the kernel (no libc, no files).
 *
 * The engine is private to mm/ (the kernel sees kmalloc and malloc): this
 * test of its internals includes mm/tlsf.h by relative path.
 */
#include <ktest.h>
#include <lib/compiler.h>
#include <stdint.h>
#include <string.h>

#include "../../mm/tlsf.h"

#define POOL_SIZE (256 * 1024)
/* Page aligned; the random cases ask for alignments up to a page, so their
 * course does not depend on where the pool lands. */
static unsigned char pool[POOL_SIZE] __attribute__((aligned(4096)));

static uint32_t rng_state;

static uint32_t rnd(void) /* xorshift32: deterministic, no 64-bit division */
{
	uint32_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

static struct tlsf *fresh(size_t size)
{
	return tlsf_create(pool, size);
}

static void fill(void *p, size_t n, uint32_t seed)
{
	unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		c[i] = (unsigned char)(seed + i * 7 + (i >> 8));
}

static bool intact(const void *p, size_t n, uint32_t seed)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i] != (unsigned char)(seed + i * 7 + (i >> 8)))
			return false;
	return true;
}

static bool aligned(const void *p, size_t a)
{
	return ((uintptr_t)p & (a - 1)) == 0;
}

KTEST(tlsf, create_rejects_bad_regions)
{
	KT_EXPECT(t, tlsf_create(NULL, POOL_SIZE) == NULL);
	KT_EXPECT(t, tlsf_create(pool + 1, POOL_SIZE - 1) == NULL);
	KT_EXPECT(t, tlsf_create(pool, 16) == NULL);
	KT_EXPECT(t, tlsf_create(pool, tlsf_control_size()) == NULL);
	KT_EXPECT(t, tlsf_create(pool, tlsf_control_size() + 64) != NULL);
	struct tlsf *h = fresh(POOL_SIZE);
	KT_ASSERT(t, h != NULL);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	/* an odd-sized region whose end is not 16-aligned */
	h = tlsf_create(pool + sizeof(void *),
			POOL_SIZE - 2 * sizeof(void *) - 3);
	KT_ASSERT(t, h != NULL);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	void *p = tlsf_malloc(h, 100);
	KT_EXPECT(t, p && aligned(p, 16));
}

KTEST(tlsf, fresh_pool_is_one_free_block)
{
	struct tlsf *h = fresh(POOL_SIZE);
	struct tlsf_stats s;

	KT_ASSERT(t, h != NULL);
	tlsf_stats(h, &s);
	KT_EXPECT_EQ(t, s.free_blocks, 1);
	KT_EXPECT_EQ(t, s.used_blocks, 0);
	KT_EXPECT_EQ(t, s.used_bytes, 0);
	KT_EXPECT_EQ(t, s.free_bytes, s.pool_bytes);
	KT_EXPECT(t, s.pool_bytes + tlsf_control_size() + 64 >= POOL_SIZE);
	KT_EXPECT_EQ(t, s.largest_free, s.pool_bytes - sizeof(size_t));
}

KTEST(tlsf, boundary_sizes)
{
	struct tlsf *h = fresh(POOL_SIZE);
	static const size_t sizes[] = {
		0,   1,	  2,   3,    7,	   8,	 9,    15,   16,  17,
		23,  24,  25,  31,   32,   33,	 48,   63,   64,  65,
		127, 128, 255, 256,  495,  496,	 497,  503,  504, 505,
		511, 512, 513, 1023, 1024, 1025, 4095, 4096, 4097};
	void *p[ARRAY_SIZE(sizes)];

	KT_ASSERT(t, h != NULL);
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = tlsf_malloc(h, sizes[i]);
		KT_ASSERT(t, p[i] != NULL);
		KT_EXPECT(t, aligned(p[i], 16));
		KT_EXPECT(t, tlsf_block_size(p[i]) >= sizes[i]);
		/* no more than one alignment step plus the header wasted */
		KT_EXPECT(t, tlsf_block_size(p[i]) < sizes[i] + 32);
		fill(p[i], tlsf_block_size(p[i]), i);
		for (unsigned j = 0; j < i; j++)
			KT_EXPECT(t, p[j] != p[i]);
	}
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		KT_EXPECT(t, intact(p[i], tlsf_block_size(p[i]), i));
		KT_EXPECT_EQ(t, tlsf_free(h, p[i]), TLSF_OK);
	}
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);

	/* the largest free block can be had exactly, one byte more cannot */
	struct tlsf_stats s;
	tlsf_stats(h, &s);
	KT_EXPECT_EQ(t, s.free_blocks, 1);
	KT_EXPECT(t, tlsf_malloc(h, s.largest_free + 1) == NULL);
	KT_EXPECT(t, tlsf_malloc(h, (size_t)-1) == NULL);
	KT_EXPECT(t, tlsf_malloc(h, (size_t)-1 / 2) == NULL);
	void *all = tlsf_malloc(h, s.largest_free);
	KT_ASSERT(t, all != NULL);
	KT_EXPECT(t, tlsf_malloc(h, 0) == NULL);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_free(h, all), TLSF_OK);
}

KTEST(tlsf, zero_size_gives_unique_blocks)
{
	struct tlsf *h = fresh(POOL_SIZE);
	void *a = tlsf_malloc(h, 0), *b = tlsf_malloc(h, 0);

	KT_ASSERT(t, a && b);
	KT_EXPECT(t, a != b);
	KT_EXPECT(t, tlsf_block_size(a) >= 1);
	KT_EXPECT_EQ(t, tlsf_free(h, a), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_free(h, b), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
}

KTEST(tlsf, exhaustion_then_free_all)
{
	static void *ptrs[4096];
	struct tlsf *h = fresh(POOL_SIZE);
	struct tlsf_stats before, s;
	unsigned n = 0;

	KT_ASSERT(t, h != NULL);
	tlsf_stats(h, &before);
	rng_state = 12345;
	/* random sizes until one fails, then smaller and smaller */
	for (size_t max = 4096; max >= 1; max /= 2) {
		while (n < ARRAY_SIZE(ptrs)) {
			void *p = tlsf_malloc(h, 1 + rnd() % max);
			if (!p)
				break;
			ptrs[n++] = p;
		}
	}
	KT_EXPECT(t, n < ARRAY_SIZE(ptrs));
	KT_EXPECT(t, tlsf_malloc(h, 1) == NULL);
	KT_EXPECT(t, tlsf_memalign(h, 64, 1) == NULL);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	tlsf_stats(h, &s);
	KT_EXPECT_EQ(t, s.used_blocks, n);
	/* nearly everything is in use: < 1% left in fragments */
	KT_EXPECT_MSG(t, s.free_bytes < s.pool_bytes / 100, "free %zu of %zu",
		      s.free_bytes, s.pool_bytes);
	/* free in random order */
	for (unsigned i = n; i > 0; i--) {
		unsigned j = rnd() % i;
		KT_EXPECT_EQ(t, tlsf_free(h, ptrs[j]), TLSF_OK);
		ptrs[j] = ptrs[i - 1];
		if (i % 97 == 0)
			KT_ASSERT_EQ(t, tlsf_check(h), TLSF_OK);
	}
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	tlsf_stats(h, &s);
	KT_EXPECT_EQ(t, s.free_blocks, 1);
	KT_EXPECT_EQ(t, s.largest_free, before.largest_free);
}

KTEST(tlsf, memalign_every_power_of_two)
{
	struct tlsf *h = fresh(POOL_SIZE);
	void *keep[18];

	KT_ASSERT(t, h != NULL);
	for (unsigned k = 0; k <= 16; k++) {
		size_t align = (size_t)1 << k;
		for (size_t size = 0; size < 300; size += 37) {
			void *p = tlsf_memalign(h, align, size);
			KT_ASSERT(t, p != NULL);
			KT_EXPECT_MSG(t, aligned(p, align < 16 ? 16 : align),
				      "align %zu got %p", align, p);
			KT_EXPECT(t, tlsf_block_size(p) >= size);
			fill(p, size, k);
			KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
			KT_EXPECT_EQ(t, tlsf_free(h, p), TLSF_OK);
		}
		/* keep one of each alive so later ones start at odd places */
		keep[k] = tlsf_memalign(h, align, 24 + k);
		KT_ASSERT(t, keep[k] != NULL);
		KT_EXPECT(t, aligned(keep[k], align));
		tlsf_malloc(h, 40); /* leaked on purpose: shifts the heap */
	}
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	for (unsigned k = 0; k <= 16; k++)
		KT_EXPECT_EQ(t, tlsf_free(h, keep[k]), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	/* bad alignments */
	KT_EXPECT(t, tlsf_memalign(h, 0, 16) == NULL);
	KT_EXPECT(t, tlsf_memalign(h, 3, 16) == NULL);
	KT_EXPECT(t, tlsf_memalign(h, 48, 16) == NULL);
	KT_EXPECT(t, tlsf_memalign(h, (size_t)1 << 20, 16) == NULL);
	KT_EXPECT(t, tlsf_memalign(h, (size_t)-1 / 2 + 1, 16) == NULL);
}

KTEST(tlsf, realloc_grows_in_place_and_moves)
{
	struct tlsf *h = fresh(POOL_SIZE);

	KT_ASSERT(t, h != NULL);
	void *a = tlsf_malloc(h, 100), *b = tlsf_malloc(h, 200);
	void *c = tlsf_malloc(h, 50);
	KT_ASSERT(t, a && b && c);
	fill(a, 100, 1);
	KT_EXPECT_EQ(t, tlsf_free(h, b), TLSF_OK);
	/* b's space follows a: growth stays in place */
	void *a2 = tlsf_realloc(h, a, 250);
	KT_EXPECT(t, a2 == a);
	KT_EXPECT(t, tlsf_block_size(a2) >= 250);
	KT_EXPECT(t, intact(a2, 100, 1));
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	/* shrinking stays in place and frees the tail */
	a2 = tlsf_realloc(h, a2, 40);
	KT_EXPECT(t, a2 == a);
	KT_EXPECT(t, intact(a2, 40, 1));
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	/* c blocks the way: growth beyond it moves */
	void *a3 = tlsf_realloc(h, a2, 5000);
	KT_ASSERT(t, a3 != NULL);
	KT_EXPECT(t, a3 != a);
	KT_EXPECT(t, intact(a3, 40, 1));
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	/* NULL acts as malloc; failure leaves the block alone */
	void *d = tlsf_realloc(h, NULL, 10);
	KT_EXPECT(t, d != NULL);
	KT_EXPECT(t, tlsf_realloc(h, a3, POOL_SIZE) == NULL);
	KT_EXPECT(t, intact(a3, 40, 1));
	/* a bad pointer is refused */
	KT_EXPECT(t, tlsf_realloc(h, (char *)a3 + 16, 10) == NULL);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_free(h, a3), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_free(h, c), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_free(h, d), TLSF_OK);
	struct tlsf_stats s;
	tlsf_stats(h, &s);
	KT_EXPECT_EQ(t, s.free_blocks, 1);
}

/*
 * tlsf_realloc_own(): p checked by tlsf_ptr_check_own() only. A damaged
 * link to a free predecessor is never read in place, and refuses the move
 * (whose free would coalesce through it) before anything changes.
 */
KTEST(tlsf, realloc_own_checks_the_predecessor_only_to_move)
{
	struct tlsf *h = fresh(POOL_SIZE);
	int err;

	KT_ASSERT(t, h != NULL);
	char *a = tlsf_malloc(h, 100), *b = tlsf_malloc(h, 100);
	char *c = tlsf_malloc(h, 100), *d = tlsf_malloc(h, 100);
	KT_ASSERT(t, a && b && c && d);
	fill(b, 100, 7);
	KT_EXPECT_EQ(t, tlsf_free(h, a), TLSF_OK); /* b's predecessor free */
	KT_EXPECT_EQ(t, tlsf_free(h, c), TLSF_OK); /* room to grow b */
	void **prev_phys = (void **)(void *)(b - 2 * sizeof(size_t));
	void *saved = *prev_phys;
	*prev_phys = d; /* b's link to its free predecessor: damaged */
	KT_EXPECT_EQ(t, tlsf_ptr_check_own(h, b), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_ptr_check(h, b), TLSF_E_HEADER);
	/* in place (into c's space, and back): the link is not used */
	KT_EXPECT(t, tlsf_realloc_own(h, b, 200, &err) == b);
	KT_EXPECT_EQ(t, err, TLSF_OK);
	KT_EXPECT(t, tlsf_realloc_own(h, b, 100, &err) == b);
	KT_EXPECT_EQ(t, err, TLSF_OK);
	/* a move is refused and changes nothing */
	struct tlsf_stats s0, s1;
	*prev_phys = saved;
	tlsf_stats(h, &s0);
	*prev_phys = d;
	KT_EXPECT(t, tlsf_realloc_own(h, b, 4000, &err) == NULL);
	KT_EXPECT_EQ(t, err, TLSF_E_HEADER);
	*prev_phys = saved;
	tlsf_stats(h, &s1);
	KT_EXPECT_EQ(t, s1.free_blocks, s0.free_blocks);
	KT_EXPECT_EQ(t, s1.used_bytes, s0.used_bytes);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	KT_EXPECT(t, intact(b, 100, 7));
	/* repaired, the move goes ahead */
	char *b2 = tlsf_realloc_own(h, b, 4000, &err);
	KT_EXPECT(t, b2 != NULL && b2 != b);
	KT_EXPECT_EQ(t, err, TLSF_OK);
	KT_EXPECT(t, b2 && intact(b2, 100, 7));
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_free(h, b2), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_free(h, d), TLSF_OK);
	tlsf_stats(h, &s1);
	KT_EXPECT_EQ(t, s1.free_blocks, 1);
}

KTEST(tlsf, bad_pointers_are_refused)
{
	static unsigned char outside[64] __attribute__((aligned(16)));
	struct tlsf *h = fresh(POOL_SIZE);

	KT_ASSERT(t, h != NULL);
	char *a = tlsf_malloc(h, 200), *b = tlsf_malloc(h, 200);
	char *c = tlsf_malloc(h, 200);
	KT_ASSERT(t, a && b && c);
	memset(a, 0, 200);
	KT_EXPECT_EQ(t, tlsf_free(h, NULL), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_free(h, outside), TLSF_E_RANGE);
	KT_EXPECT_EQ(t, tlsf_free(h, pool), TLSF_E_RANGE); /* control */
	KT_EXPECT_EQ(t, tlsf_free(h, pool + POOL_SIZE), TLSF_E_RANGE);
	KT_EXPECT_EQ(t, tlsf_free(h, a + 1), TLSF_E_ALIGN);
	KT_EXPECT_EQ(t, tlsf_free(h, a + 8), TLSF_E_ALIGN);
	KT_EXPECT_EQ(t, tlsf_free(h, a + 64), TLSF_E_HEADER); /* interior */
	KT_EXPECT_EQ(t, tlsf_ptr_check(h, b), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_free(h, b), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_free(h, b), TLSF_E_FREE);
	/* freeing a merges b into it: the stale pointer is still refused */
	KT_EXPECT_EQ(t, tlsf_free(h, a), TLSF_OK);
	KT_EXPECT(t, tlsf_free(h, b) < 0);
	KT_EXPECT(t, tlsf_free(h, a) < 0);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_free(h, c), TLSF_OK);
	KT_EXPECT(t, tlsf_free(h, c) < 0);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	struct tlsf_stats s;
	tlsf_stats(h, &s);
	KT_EXPECT_EQ(t, s.free_blocks, 1);
	KT_EXPECT(t, *tlsf_strerror(TLSF_E_FREE) != '\0');
}

/* Damage a header word and expect tlsf_check to notice, then repair. */
KTEST(tlsf, check_detects_damage)
{
	struct tlsf *h = fresh(POOL_SIZE);

	KT_ASSERT(t, h != NULL);
	char *a = tlsf_malloc(h, 100), *b = tlsf_malloc(h, 100);
	char *c = tlsf_malloc(h, 100), *d = tlsf_malloc(h, 100);
	KT_ASSERT(t, a && b && c && d);
	KT_EXPECT_EQ(t, tlsf_free(h, b), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);

	size_t *hdr = (size_t *)(void *)c - 1, saved = *hdr;
	*hdr ^= 1; /* c claims to be free */
	KT_EXPECT(t, tlsf_check(h) < 0);
	*hdr = saved ^ 2; /* c denies b is free */
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_E_PREV);
	*hdr = saved + 16; /* c overlaps d */
	KT_EXPECT(t, tlsf_check(h) < 0);
	*hdr = saved + 8; /* size not a multiple of 16 */
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_E_SIZE);
	*hdr = saved;
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);

	void **link = (void **)(void *)b; /* b's next_free */
	void *saved_link = *link;
	*link = c;
	KT_EXPECT(t, tlsf_check(h) < 0);
	*link = saved_link;
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
}

static void count_blocks(void *p, size_t size, bool used, void *ctx)
{
	size_t *n = ctx;
	n[used]++;
	n[2] += size;
	(void)p;
}

KTEST(tlsf, walk_matches_stats)
{
	struct tlsf *h = fresh(POOL_SIZE);
	size_t n[3] = {0, 0, 0};
	struct tlsf_stats s;

	KT_ASSERT(t, h != NULL);
	for (int i = 0; i < 20; i++) {
		void *p = tlsf_malloc(h, 10 + 30 * (size_t)i);
		if (i % 3 == 0)
			tlsf_free(h, p);
	}
	tlsf_walk(h, count_blocks, n);
	tlsf_stats(h, &s);
	KT_EXPECT_EQ(t, n[0], s.free_blocks);
	KT_EXPECT_EQ(t, n[1], s.used_blocks);
	KT_EXPECT_EQ(t, n[1], 13);
	KT_EXPECT_EQ(t, s.used_bytes + s.free_bytes, s.pool_bytes);
}

KTEST(tlsf, extend_and_trim)
{
	struct tlsf *h = fresh(64 * 1024);
	struct tlsf_stats s0, s;

	KT_ASSERT(t, h != NULL);
	tlsf_stats(h, &s0);
	KT_EXPECT(t, tlsf_end(h) == pool + 64 * 1024);
	/* a whole-pool allocation: extension adds a separate free block */
	void *all = tlsf_malloc(h, s0.largest_free);
	KT_ASSERT(t, all != NULL);
	KT_EXPECT_EQ(t, tlsf_extend(h, 32 * 1024), 0);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	KT_EXPECT(t, tlsf_end(h) == pool + 96 * 1024);
	tlsf_stats(h, &s);
	KT_EXPECT_EQ(t, s.pool_bytes, s0.pool_bytes + 32 * 1024);
	KT_EXPECT_EQ(t, s.free_blocks, 1);
	void *more = tlsf_malloc(h, 20000);
	KT_ASSERT(t, more != NULL);
	KT_EXPECT(t, (char *)more > (char *)all);
	/* trim gives nothing while the last block is in use */
	void *tail = tlsf_malloc(h, s.largest_free - 20016 - 64);
	KT_ASSERT(t, tail != NULL);
	tlsf_stats(h, &s);
	if (s.free_blocks == 0)
		KT_EXPECT_EQ(t, tlsf_trim(h, 0), 0);
	KT_EXPECT_EQ(t, tlsf_free(h, tail), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_free(h, more), TLSF_OK);
	/* the trailing free block is 32 KiB less a bit: 7 pages go, leaving
	 * at least 1000 bytes */
	size_t got = tlsf_trim(h, 1000);
	KT_EXPECT_EQ(t, got % TLSF_PAGE_SIZE, 0);
	KT_EXPECT_EQ(t, got, 7 * TLSF_PAGE_SIZE);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	KT_EXPECT(t, tlsf_end(h) == pool + 96 * 1024 - got);
	tlsf_stats(h, &s);
	KT_EXPECT(t, s.largest_free >= 1000);
	/* trim to nothing: the extension goes away entirely */
	got = tlsf_trim(h, 0);
	KT_EXPECT_EQ(t, got, TLSF_PAGE_SIZE);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	tlsf_stats(h, &s);
	KT_EXPECT_EQ(t, s.free_blocks, 0);
	KT_EXPECT(t, tlsf_malloc(h, 1) == NULL);
	KT_EXPECT_EQ(t, tlsf_trim(h, 0), 0);
	/* free the big block, then trim down to the control object */
	KT_EXPECT_EQ(t, tlsf_free(h, all), TLSF_OK);
	got = tlsf_trim(h, 0);
	KT_EXPECT_EQ(t, got % TLSF_PAGE_SIZE, 0);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	/* less than a page (plus a minimal block) is left after the control */
	KT_EXPECT(t, (char *)tlsf_end(h) - (char *)pool <
			     (ptrdiff_t)(tlsf_control_size() + TLSF_PAGE_SIZE +
					 64));
	KT_EXPECT_EQ(t, tlsf_trim(h, 0), 0);
	/* and grow back, in tiny steps first */
	for (int i = 0; i < 10; i++) {
		KT_EXPECT_EQ(t, tlsf_extend(h, 4), 0);
		KT_ASSERT_EQ(t, tlsf_check(h), TLSF_OK);
	}
	KT_EXPECT_EQ(t, tlsf_extend(h, got - 40), 0);
	KT_EXPECT(t, tlsf_end(h) == pool + 64 * 1024);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	tlsf_stats(h, &s);
	KT_EXPECT_EQ(t, s.free_blocks, 1);
	KT_EXPECT_EQ(t, s.largest_free, s0.largest_free);
	/* extension merges into a free last block */
	KT_EXPECT_EQ(t, tlsf_extend(h, 4096), 0);
	tlsf_stats(h, &s);
	KT_EXPECT_EQ(t, s.free_blocks, 1);
	KT_EXPECT_EQ(t, s.largest_free, s0.largest_free + 4096);
	KT_EXPECT(t, tlsf_extend(h, (size_t)-1) < 0);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
}

/*
 * The reference model: slots of (pointer, size, pattern seed). Random
 * malloc, free, realloc and memalign; each live block carries its pattern,
 * verified whenever the block is touched and at the end; tlsf_check after
 * every operation; stats against the model every 64.
 */
#define SLOTS 160
struct slot {
	unsigned char *p;
	size_t size;
	uint32_t seed;
};
static struct slot slots[SLOTS];

static size_t random_size(void)
{
	uint32_t r = rnd() % 100;
	if (r < 3)
		return 0;
	if (r < 70)
		return 1 + rnd() % 256;
	if (r < 95)
		return 1 + rnd() % 2048;
	return 1 + rnd() % 20000;
}

/* A fresh pool of `size`, no live slot, the generator at `seed`. */
static struct tlsf *model_start(size_t size, uint32_t seed)
{
	memset(slots, 0, sizeof(slots));
	rng_state = seed;
	return fresh(size);
}

/* Free every live slot (its pattern intact): the pool is one free block
 * again. */
static void free_all_slots(struct ktest *t, struct tlsf *h)
{
	for (unsigned k = 0; k < SLOTS; k++) {
		if (slots[k].p) {
			KT_EXPECT(t, intact(slots[k].p, slots[k].size,
					    slots[k].seed));
			KT_EXPECT_EQ(t, tlsf_free(h, slots[k].p), TLSF_OK);
		}
	}
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	struct tlsf_stats st;
	tlsf_stats(h, &st);
	KT_EXPECT_EQ(t, st.free_blocks, 1);
	KT_EXPECT_EQ(t, st.used_blocks, 0);
}

KTEST(tlsf, random_ops_against_model)
{
	/* small enough that the live set sometimes does not fit */
	struct tlsf *h = model_start(112 * 1024, 0x2545f491);
	unsigned fails = 0, ops = 0, moved = 0;

	KT_ASSERT(t, h != NULL);
	for (unsigned i = 0; i < 30000; i++) {
		struct slot *s = &slots[rnd() % SLOTS];
		uint32_t op = rnd() % 100;
		ops++;
		if (s->p && op < 45) {
			KT_ASSERT(t, intact(s->p, s->size, s->seed));
			KT_ASSERT_EQ(t, tlsf_free(h, s->p), TLSF_OK);
			s->p = NULL;
		} else if (s->p && op < 75) {
			size_t n = random_size();
			unsigned char *q = tlsf_realloc(h, s->p, n);
			if (!q) {
				fails++;
				KT_ASSERT(t, intact(s->p, s->size, s->seed));
			} else {
				size_t keep = n < s->size ? n : s->size;
				moved += q != s->p;
				KT_ASSERT(t, aligned(q, 16));
				KT_ASSERT(t, intact(q, keep, s->seed));
				KT_ASSERT(t, tlsf_block_size(q) >= n);
				s->p = q;
				s->size = n;
				fill(q, n, s->seed);
			}
		} else if (!s->p) {
			size_t n = random_size(), align = 16;
			if (op < 15)
				align = (size_t)1 << (rnd() % 13);
			unsigned char *q = op < 15 ? tlsf_memalign(h, align, n)
						   : tlsf_malloc(h, n);
			if (!q) {
				fails++;
			} else {
				KT_ASSERT(t,
					  aligned(q, align < 16 ? 16 : align));
				KT_ASSERT(t, tlsf_block_size(q) >= n);
				s->p = q;
				s->size = n;
				s->seed = rnd();
				fill(q, n, s->seed);
			}
		}
		KT_ASSERT_EQ(t, tlsf_check(h), TLSF_OK);
		if (i % 64 == 0) {
			struct tlsf_stats st;
			size_t live = 0, bytes = 0;
			tlsf_stats(h, &st);
			for (unsigned k = 0; k < SLOTS; k++) {
				if (slots[k].p) {
					live++;
					bytes += tlsf_block_size(slots[k].p) +
						 sizeof(size_t);
				}
			}
			KT_ASSERT_EQ(t, st.used_blocks, live);
			KT_ASSERT_EQ(t, st.used_bytes, bytes);
		}
	}
	free_all_slots(t, h);
	KT_EXPECT(t, moved > 0);
	ktest_log(t, "%u ops, %u failed for lack of space, %u moves", ops,
		  fails, moved);
}

/*
 * The sbrk pattern the user-space malloc follows: the pool starts small,
 * grows page-wise at its end when a request fails, and gives trailing free
 * pages back; tlsf_end() must always be where the model's break is.
 */
KTEST(tlsf, random_sbrk_growth_and_trim)
{
	unsigned char *brk = pool + 16 * 1024;
	struct tlsf *h = tlsf_create(pool, (size_t)(brk - pool));
	unsigned grows = 0, trims = 0;

	KT_ASSERT(t, h != NULL);
	memset(slots, 0, sizeof(slots));
	rng_state = 777;
	for (unsigned i = 0; i < 6000; i++) {
		struct slot *s = &slots[rnd() % SLOTS];
		if (s->p) {
			KT_ASSERT(t, intact(s->p, s->size, s->seed));
			KT_ASSERT_EQ(t, tlsf_free(h, s->p), TLSF_OK);
			s->p = NULL;
			size_t got = tlsf_trim(h, rnd() % 8192);
			KT_ASSERT_EQ(t, got % TLSF_PAGE_SIZE, 0);
			brk -= got;
			trims += got != 0;
		} else {
			size_t n = random_size(), align = 16;
			if (rnd() % 8 == 0)
				align = (size_t)1 << (rnd() % 13);
			unsigned char *q = tlsf_memalign(h, align, n);
			size_t more = ALIGN_UP(tlsf_grow_size(n, align),
					       (size_t)TLSF_PAGE_SIZE);
			if (!q && brk + more <= pool + POOL_SIZE) {
				/* one extension by the hint is always enough */
				KT_ASSERT_EQ(t, tlsf_extend(h, more), 0);
				brk += more;
				grows++;
				q = tlsf_memalign(h, align, n);
				KT_ASSERT(t, q != NULL);
			}
			if (q) {
				s->p = q;
				s->size = n;
				s->seed = rnd();
				fill(q, n, s->seed);
			}
		}
		KT_ASSERT(t, tlsf_end(h) == brk);
		KT_ASSERT_EQ(t, tlsf_check(h), TLSF_OK);
	}
	for (unsigned k = 0; k < SLOTS; k++)
		if (slots[k].p)
			KT_EXPECT_EQ(t, tlsf_free(h, slots[k].p), TLSF_OK);
	brk -= tlsf_trim(h, 0);
	KT_EXPECT(t, tlsf_end(h) == brk);
	KT_EXPECT(t, brk < pool + tlsf_control_size() + TLSF_PAGE_SIZE + 64);
	KT_EXPECT_EQ(t, tlsf_check(h), TLSF_OK);
	KT_EXPECT_EQ(t, tlsf_grow_size((size_t)-1, 0), 0);
	KT_EXPECT_EQ(t, tlsf_grow_size(10, 3), 0);
	KT_EXPECT(t, grows >= 5 && trims >= 5);
	ktest_log(t, "%u extensions, %u trims", grows, trims);
}

/* Whether [p, p+n) overlaps a live slot's block. */
static bool overlaps_slots(const unsigned char *p, size_t n)
{
	for (unsigned k = 0; k < SLOTS; k++) {
		const struct slot *s = &slots[k];
		size_t sn = s->p ? tlsf_block_size(s->p) : 0;
		if (s->p && p < s->p + sn && s->p < p + n)
			return true;
	}
	return false;
}

/*
 * tlsf_malloc_run (the caches' refill) against the model: runs of 1-8
 * blocks of one size among random frees, on a pool that sometimes cannot
 * hold them. Every block is 16-aligned, large enough and disjoint from
 * every live one (no block handed out twice); a short run happens only
 * when tlsf_malloc of that size then fails too; the pool checks clean
 * after every run and is one free block at the end.
 */
KTEST(tlsf, malloc_run_against_model)
{
	struct tlsf *h = model_start(64 * 1024, 0x1f2e3d4c);
	unsigned runs = 0, short_runs = 0, got_total = 0;

	KT_ASSERT(t, h != NULL);
	for (unsigned i = 0; i < 6000; i++) {
		if (rnd() % 100 < 55) {
			struct slot *s = &slots[rnd() % SLOTS];
			if (s->p) {
				KT_ASSERT(t, intact(s->p, s->size, s->seed));
				KT_ASSERT_EQ(t, tlsf_free(h, s->p), TLSF_OK);
				s->p = NULL;
			}
			continue;
		}
		void *out[8];
		unsigned n = 1 + rnd() % 8;
		size_t size = rnd() % 4 ? rnd() % 530 : rnd() % 3000;
		unsigned got = tlsf_malloc_run(h, size, out, n);
		runs++;
		got_total += got;
		KT_ASSERT(t, got <= n);
		KT_ASSERT_EQ(t, tlsf_check(h), TLSF_OK);
		if (got < n) {
			short_runs++;
			void *q = tlsf_malloc(h, size);
			KT_ASSERT(t, q == NULL);
		}
		for (unsigned j = 0; j < got; j++) {
			unsigned char *q = out[j];
			KT_ASSERT(t, aligned(q, 16));
			KT_ASSERT(t, tlsf_block_size(q) >= size);
			KT_ASSERT(t, !overlaps_slots(q, tlsf_block_size(q)));
			struct slot *s = NULL;
			for (unsigned k = 0; k < SLOTS && !s; k++)
				if (!slots[k].p)
					s = &slots[k];
			if (!s) { /* model full: give it straight back */
				KT_ASSERT_EQ(t, tlsf_free(h, q), TLSF_OK);
				continue;
			}
			s->p = q;
			s->size = size;
			s->seed = rnd();
			fill(q, size, s->seed);
		}
	}
	free_all_slots(t, h);
	KT_EXPECT(t, short_runs > 0);
	ktest_log(t, "%u runs, %u blocks, %u short (pool full)", runs,
		  got_total, short_runs);
}
