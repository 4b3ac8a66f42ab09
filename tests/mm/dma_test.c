/*
 * DMA windows over a test machine: RAM taken and given back, windows reused,
 * live pages relocated through the reverse map, immovable memory refused,
 * the heap and the area never meeting, and every bad argument.
 */
#include <arch/mmu.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/dma.h>
#include <mm/pmm.h>
#include <mm/sbrk.h>
#include <mm_testenv.h>
#include <string.h>

#define PAGE 4096u

static struct sbrk_heap heap;
static struct dma_area area;
static struct mm_testenv env;

/* Heap at the bottom of the test range, DMA area at its top. */
#define ENTER(t)                                                               \
	do {                                                                   \
		MM_TESTENV_ENTER_OR_SKIP(t, &env);                             \
		sbrk_heap_init(&heap, env.va_start,                            \
			       env.va_start + env.va_size, &area);             \
		dma_area_init(&area, env.va_start + env.va_size, env.va_start, \
			      &heap);                                          \
	} while (0)

static void leave(void)
{
	int err;

	while (area.count)
		dma_area_unmap(&area, (void *)area.win[0].va);
	sbrk_heap_move(&heap, -(intptr_t)(heap.brk - heap.start), &err);
	mm_testenv_exit();
}

/* A free RAM frame, found by allocating and freeing it. */
static paddr_t free_frame(void)
{
	paddr_t pa = pmm_alloc(0, PMM_ZONE_NORMAL, PMM_OWNER_TEST);
	if (pa != PMM_NO_PAGE)
		pmm_free(pa, 0);
	return pa;
}

KTEST(dma, free_ram_is_taken_and_given_back)
{
	int err;

	ENTER(t);
	paddr_t pa = free_frame();
	KT_ASSERT(t, pa != PMM_NO_PAGE);
	size_t free0 = pmm_free_pages();
	unsigned char *w = dma_area_map(&area, pa, PAGE, DMA_CACHED, &err);
	KT_ASSERT(t, w != NULL);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0 - 1);
	struct pmm_frame_info fi;
	pmm_frame_info(pa, &fi);
	KT_EXPECT_EQ(t, fi.owner, PMM_OWNER_DMA_TAKEN);
	/* The PMM will not hand the frame out while the window exists. */
	paddr_t other = pmm_alloc(0, PMM_ZONE_NORMAL, PMM_OWNER_TEST);
	KT_EXPECT(t, other != pa);
	pmm_free(other, 0);

	w[10] = 0x42;
	paddr_t seen;
	KT_EXPECT_EQ(t, arch_mmu_query((uintptr_t)w + 10, &seen, NULL), 0);
	KT_EXPECT_EQ(t, seen, pa + 10);
	KT_EXPECT_EQ(t, dma_area_unmap(&area, w), 0);
	KT_EXPECT_EQ(t, arch_mmu_query((uintptr_t)w, &seen, NULL), -ENOENT);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0);
	leave();
}

KTEST(dma, unaligned_start_and_size)
{
	int err;

	ENTER(t);
	paddr_t pa = free_frame();
	/* 0x10 bytes straddling a page boundary: two pages mapped. */
	unsigned char *w =
		dma_area_map(&area, pa + PAGE - 8, 16, DMA_CACHED, &err);
	KT_ASSERT(t, w != NULL);
	KT_EXPECT_EQ(t, ((uintptr_t)w) % PAGE, PAGE - 8);
	KT_EXPECT_EQ(t, area.win[0].pages, 2);
	paddr_t seen;
	KT_EXPECT_EQ(t, arch_mmu_query((uintptr_t)w, &seen, NULL), 0);
	KT_EXPECT_EQ(t, seen, pa + PAGE - 8);
	/* Any address inside the window unmaps it. */
	KT_EXPECT_EQ(t, dma_area_unmap(&area, w + 12), 0);
	KT_EXPECT_EQ(t, area.count, 0);
	leave();
}

KTEST(dma, windows_grow_down_and_freed_space_is_reused)
{
	int err;
	void *w[4];

	ENTER(t);
	for (int i = 0; i < 4; i++) {
		w[i] = dma_area_map(&area, env.not_ram, PAGE * (i + 1),
				    DMA_UNCACHED, &err);
		KT_ASSERT(t, w[i] != NULL);
		if (i)
			KT_EXPECT(t, (uintptr_t)w[i] < (uintptr_t)w[i - 1]);
	}
	/* Free the two middle windows: their space coalesces into one hole
	 * that a 5-page window fits exactly. */
	uintptr_t hole_top = (uintptr_t)w[0];
	dma_area_unmap(&area, w[1]);
	dma_area_unmap(&area, w[2]);
	void *big =
		dma_area_map(&area, env.not_ram, 5 * PAGE, DMA_UNCACHED, &err);
	KT_ASSERT(t, big != NULL);
	KT_EXPECT_EQ(t, (uintptr_t)big, hole_top - 5 * PAGE);
	KT_EXPECT_EQ(t, (uintptr_t)big, (uintptr_t)w[3] + 4 * PAGE);
	leave();
}

KTEST(dma, live_heap_page_is_relocated)
{
	int err;

	ENTER(t);
	unsigned char *p = sbrk_heap_move(&heap, 2 * PAGE, &err);
	KT_ASSERT(t, p != (void *)-1);
	for (unsigned i = 0; i < 2 * PAGE; i++)
		p[i] = (unsigned char)(i * 7);
	paddr_t old;
	KT_ASSERT_EQ(t, arch_mmu_query((uintptr_t)p + PAGE, &old, NULL), 0);

	unsigned char *w = dma_area_map(&area, old, PAGE, DMA_CACHED, &err);
	KT_ASSERT(t, w != NULL);
	KT_EXPECT_EQ(t, area.relocated, 1);
	paddr_t now;
	KT_ASSERT_EQ(t, arch_mmu_query((uintptr_t)p + PAGE, &now, NULL), 0);
	KT_EXPECT(t, now != old); /* the heap page moved to a new frame */
	for (unsigned i = 0; i < 2 * PAGE; i++)
		KT_ASSERT_EQ(t, p[i],
			     (unsigned char)(i * 7)); /* contents kept */
	/* The window shows the old frame, which held the same data. */
	KT_EXPECT_EQ(t, w[5], (unsigned char)((PAGE + 5) * 7));
	struct pmm_frame_info fi;
	pmm_frame_info(now, &fi);
	KT_EXPECT_EQ(t, fi.owner, PMM_OWNER_SBRK);
	KT_EXPECT_EQ(t, fi.va, (uintptr_t)p + PAGE); /* reverse map follows */
	pmm_frame_info(old, &fi);
	KT_EXPECT_EQ(t, fi.owner, PMM_OWNER_DMA_TAKEN);
	KT_EXPECT_EQ(t, pmm_check(), 0);
	leave();
}

KTEST(dma, immovable_memory_is_refused)
{
	int err;

	ENTER(t);
	/* On the host a fake kernel image at 1 MiB; in the kernel the heap. */
	uint64_t phys = env.identity_ptr ? env.identity_ptr : 0x100000;
	size_t free0 = pmm_free_pages();
	KT_EXPECT(t, dma_area_map(&area, phys, PAGE, DMA_CACHED, &err) == NULL);
	KT_EXPECT_EQ(t, err, -EBUSY);
	KT_EXPECT_EQ(t, area.count, 0);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0);
	leave();
}

KTEST(dma, ram_windows_may_not_overlap)
{
	int err;

	ENTER(t);
	paddr_t pa = free_frame();
	void *a = dma_area_map(&area, pa, PAGE, DMA_CACHED, &err);
	KT_ASSERT(t, a != NULL);
	KT_EXPECT(t, dma_area_map(&area, pa, PAGE, DMA_CACHED, &err) == NULL);
	KT_EXPECT_EQ(t, err, -EBUSY);
	/* Device memory may be mapped twice (two views of a framebuffer). */
	void *d1 = dma_area_map(&area, env.not_ram, PAGE, DMA_UNCACHED, &err);
	void *d2 = dma_area_map(&area, env.not_ram, PAGE, DMA_UNCACHED, &err);
	KT_EXPECT(t, d1 != NULL && d2 != NULL && d1 != d2);
	leave();
}

KTEST(dma, heap_and_dma_area_never_meet)
{
	int err;

	ENTER(t);
	/* A small area: 32 pages between the heap start and the top. */
	sbrk_heap_init(&heap, env.va_start, env.va_start + env.va_size, &area);
	dma_area_init(&area, env.va_start + 32 * PAGE, env.va_start, &heap);
	KT_ASSERT(t, dma_area_map(&area, env.not_ram, 10 * PAGE, DMA_UNCACHED,
				  &err));
	/* 32 - 2 scratch - 10 window - 1 guard = 19 pages for the heap. */
	KT_EXPECT(t, sbrk_heap_move(&heap, 20 * PAGE, &err) == (void *)-1);
	KT_EXPECT_EQ(t, err, -ENOMEM);
	KT_EXPECT(t, sbrk_heap_move(&heap, 19 * PAGE, &err) != (void *)-1);
	/* And now a window cannot come down into the heap. */
	KT_EXPECT(t, dma_area_map(&area, env.not_ram, PAGE, DMA_UNCACHED,
				  &err) == NULL);
	KT_EXPECT_EQ(t, err, -ENOMEM);
	sbrk_heap_move(&heap, -(intptr_t)(4 * PAGE), &err);
	KT_EXPECT(t, dma_area_map(&area, env.not_ram, 2 * PAGE, DMA_UNCACHED,
				  &err) != NULL);
	leave();
}

KTEST(dma, bad_arguments)
{
	int err;

	ENTER(t);
	KT_EXPECT(t, dma_area_map(&area, env.not_ram, 0, DMA_UNCACHED, &err) ==
			     NULL);
	KT_EXPECT_EQ(t, err, -EINVAL);
	KT_EXPECT(t, dma_area_map(&area, ~0ull - 10, 100, DMA_UNCACHED, &err) ==
			     NULL);
	KT_EXPECT_EQ(t, err, -EINVAL); /* wraps */
	if (sizeof(paddr_t) == 4) {
		KT_EXPECT(t, dma_area_map(&area, 0xfffff000ull, 0x2000,
					  DMA_UNCACHED, &err) == NULL);
		KT_EXPECT_EQ(t, err, -ERANGE);
	}
	/* Larger than the whole area: refused before any RAM is looked at. */
	KT_EXPECT(t, dma_area_map(&area, 0, env.va_size * 2, DMA_UNCACHED,
				  &err) == NULL);
	KT_EXPECT_EQ(t, err, -ENOMEM);
	KT_EXPECT_EQ(t, dma_area_unmap(&area, (void *)env.va_start), -EINVAL);
	KT_EXPECT_EQ(t, dma_area_unmap(&area, NULL), -EINVAL);
	KT_EXPECT_EQ(t, area.count, 0);
	leave();
}

KTEST(dma, window_table_full_is_enospc)
{
	int err;
	unsigned n = 0;

	ENTER(t);
	while (n < CONFIG_DMA_MAX_WINDOWS &&
	       dma_area_map(&area, env.not_ram, PAGE, DMA_UNCACHED, &err))
		n++;
	KT_EXPECT_EQ(t, n, CONFIG_DMA_MAX_WINDOWS);
	KT_EXPECT(t, dma_area_map(&area, env.not_ram, PAGE, DMA_UNCACHED,
				  &err) == NULL);
	KT_EXPECT_EQ(t, err, -ENOSPC);
	leave();
}
