/*
 * The sbrk heap over a test machine (see mm_testenv.h): growth maps zeroed
 * pages from the PMM, shrinking returns them, limits fail cleanly.
 */
#include <arch/mmu.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/pmm.h>
#include <mm/sbrk.h>
#include <mm_testenv.h>
#include <string.h>

#define PAGE 4096u

static struct sbrk_heap heap;
static struct mm_testenv env;

#define ENTER(t)                                                               \
	do {                                                                   \
		MM_TESTENV_ENTER_OR_SKIP(t, &env);                             \
		sbrk_heap_init(&heap, env.va_start,                            \
			       env.va_start + env.va_size, NULL);              \
	} while (0)

KTEST(sbrk, grow_write_shrink_returns_pages)
{
	int err;

	ENTER(t);
	size_t free0 = pmm_free_pages();
	unsigned char *p = sbrk_heap_move(&heap, 3 * PAGE + 100, &err);
	KT_ASSERT(t, p == (void *)env.va_start);
	KT_EXPECT_EQ(t, err, 0);
	KT_EXPECT_EQ(t, heap.pages, 4);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0 - 4);
	for (unsigned i = 0; i < 3 * PAGE + 100; i++)
		KT_ASSERT_EQ(t, p[i], 0); /* new memory reads as zero */
	memset(p, 0x5a, 3 * PAGE + 100);

	struct pmm_frame_info fi;
	paddr_t pa;
	KT_ASSERT_EQ(t, arch_mmu_query((uintptr_t)p + PAGE, &pa, NULL), 0);
	KT_ASSERT_EQ(t, pmm_frame_info(pa, &fi), 0);
	KT_EXPECT_EQ(t, fi.owner, PMM_OWNER_SBRK);
	KT_EXPECT_EQ(t, fi.va, (uintptr_t)p + PAGE); /* the reverse map */

	KT_EXPECT(t, sbrk_heap_move(&heap, -(intptr_t)(2 * PAGE), &err) ==
			     p + 3 * PAGE + 100);
	KT_EXPECT_EQ(t, heap.pages, 2);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0 - 2);
	KT_EXPECT_EQ(t, p[PAGE + 99], 0x5a); /* what stays is kept */
	KT_EXPECT_EQ(t, arch_mmu_query((uintptr_t)p + 2 * PAGE, &pa, NULL),
		     -ENOENT);
	sbrk_heap_move(&heap, -(intptr_t)(heap.brk - heap.start), &err);
	KT_EXPECT_EQ(t, err, 0);
	KT_EXPECT_EQ(t, heap.pages, 0);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0);
	mm_testenv_exit();
}

KTEST(sbrk, zero_increment_reports_the_top)
{
	int err;

	ENTER(t);
	KT_EXPECT(t, sbrk_heap_move(&heap, 0, &err) == (void *)env.va_start);
	sbrk_heap_move(&heap, 10, &err);
	KT_EXPECT(t, sbrk_heap_move(&heap, 0, &err) ==
			     (void *)(env.va_start + 10));
	sbrk_heap_move(&heap, -10, &err);
	mm_testenv_exit();
}

KTEST(sbrk, shrinking_below_start_is_einval)
{
	int err;

	ENTER(t);
	sbrk_heap_move(&heap, PAGE, &err);
	KT_EXPECT(t, sbrk_heap_move(&heap, -(intptr_t)(2 * PAGE), &err) ==
			     (void *)-1);
	KT_EXPECT_EQ(t, err, -EINVAL);
	KT_EXPECT_EQ(t, heap.brk, env.va_start + PAGE); /* unchanged */
	KT_EXPECT_EQ(t, heap.failures, 1);
	sbrk_heap_move(&heap, -(intptr_t)PAGE, &err);
	mm_testenv_exit();
}

KTEST(sbrk, limit_stops_growth_with_nothing_changed)
{
	int err;

	ENTER(t);
	heap.limit = env.va_start + 8 * PAGE;
	size_t free0 = pmm_free_pages();
	KT_EXPECT(t, sbrk_heap_move(&heap, 9 * PAGE, &err) == (void *)-1);
	KT_EXPECT_EQ(t, err, -ENOMEM);
	KT_EXPECT_EQ(t, heap.brk, env.va_start);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0);
	KT_EXPECT(t, sbrk_heap_move(&heap, 8 * PAGE, &err) != (void *)-1);
	KT_EXPECT(t, sbrk_heap_move(&heap, 1, &err) == (void *)-1);
	sbrk_heap_move(&heap, -(intptr_t)(8 * PAGE), &err);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0);
	mm_testenv_exit();
}

KTEST(sbrk, out_of_physical_memory_undoes_partial_growth)
{
	int err;

	ENTER(t);
	size_t free0 = pmm_free_pages();
	/* More pages than the machine has free (on the host: all of it; in
	 * the kernel the test range caps growth first, also -ENOMEM). */
	size_t want = (free0 + 16) * PAGE;
	if (want > env.va_size - PAGE)
		want = env.va_size - PAGE;
	heap.limit = env.va_start + env.va_size;
	void *r = sbrk_heap_move(&heap, (intptr_t)want, &err);
	if (r == (void *)-1) {
		KT_EXPECT_EQ(t, err, -ENOMEM);
		KT_EXPECT_EQ(t, heap.pages, 0);
		KT_EXPECT_EQ(t, pmm_free_pages(), free0); /* nothing leaked */
	} else {
		/* Enough memory here for the whole range: give it back. */
		sbrk_heap_move(&heap, -(intptr_t)want, &err);
		KT_EXPECT_EQ(t, pmm_free_pages(), free0);
	}
	mm_testenv_exit();
}

/* Random moves against the model: brk is the sum, pages cover it. */
KTEST(sbrk, random_moves_against_model)
{
	int err;
	uint32_t seed = 777;
	uintptr_t model = 0;

	ENTER(t);
	size_t free0 = pmm_free_pages();
	for (int i = 0; i < 2000; i++) {
		seed = seed * 1664525u + 1013904223u;
		intptr_t inc = (intptr_t)((seed >> 8) % (5 * PAGE)) -
			       (intptr_t)(2 * PAGE);
		if ((intptr_t)model + inc < 0)
			inc = -(intptr_t)model;
		void *r = sbrk_heap_move(&heap, inc, &err);
		KT_ASSERT(t, r == (void *)(env.va_start + model));
		model += (uintptr_t)inc;
		KT_ASSERT_EQ(t, heap.brk, env.va_start + model);
		KT_ASSERT_EQ(t, heap.pages, (model + PAGE - 1) / PAGE);
		KT_ASSERT_EQ(t, pmm_free_pages(), free0 - heap.pages);
		if (model)
			((volatile unsigned char *)env.va_start)[model - 1] = 1;
	}
	sbrk_heap_move(&heap, -(intptr_t)model, &err);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0);
	mm_testenv_exit();
}
