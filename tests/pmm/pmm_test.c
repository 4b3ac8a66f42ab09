/*
 * The physical memory manager on made-up memory maps: map parsing, zones,
 * allocation and exhaustion, every bad free, reservations, the reverse map,
 * low memory. Each case runs with the real allocator set aside
 * (pmm_test_enter/exit), on a static metadata buffer; the PMM never touches
 * the "RAM" of these maps, so none of it needs to exist.
 */
#include <ktest.h>
#include <lib/compiler.h>
#include <lib/err.h>
#include <mm/pmm.h>
#include <string.h>

#define KiB 0x400ull
#define MiB 0x100000ull
#define GiB 0x40000000ull

/* Enough for a 32 MiB span. */
static uint64_t meta[32 * MiB / PAGE_SIZE];

/* A case body runs between pmm_test_enter() and pmm_test_exit(), even when
 * an assertion ends it early. */
#define PMM_CASE(name)                                                         \
	static void pmm_body_##name(struct ktest *t);                          \
	KTEST(pmm, name)                                                       \
	{                                                                      \
		pmm_test_enter();                                              \
		pmm_body_##name(t);                                            \
		pmm_test_exit();                                               \
	}                                                                      \
	static void pmm_body_##name(struct ktest *t)

#define R(b, s, ty)                                                            \
	{                                                                      \
		(b), (s), BOOT_MEM_##ty                                        \
	}

/* A PC below 32 MiB: conventional memory, EBDA, BIOS ROM, the rest. */
static const struct boot_mem_region pc_map[] = {
	R(0, 0x9FC00, USABLE),
	R(0x9FC00, 0x400, RESERVED),
	R(0xF0000, 0x10000, RESERVED),
	R(0x100000, 31 * MiB, USABLE),
};

static int init_map(const struct boot_mem_region *map, unsigned n,
		    struct pmm_init_report *rep)
{
	return pmm_init(map, n, meta, sizeof(meta), rep);
}

static bool check_ok(struct ktest *t)
{
	int err = pmm_check();

	return KT_EXPECT_MSG(t, err == 0, "pmm_check: %s", pmm_last_error());
}

static enum pmm_owner owner_at(paddr_t pa)
{
	struct pmm_frame_info fi;

	if (pmm_frame_info(pa, &fi))
		return PMM_NR_OWNERS;
	return fi.owner;
}

static bool is_ram(paddr_t pa)
{
	struct pmm_frame_info fi;

	return pmm_frame_info(pa, &fi) == 0 && fi.ram;
}

static bool contains(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s; s++)
		if (!strncmp(s, word, n))
			return true;
	return false;
}

PMM_CASE(pc_map_zones_and_report)
{
	struct pmm_init_report rep;
	struct pmm_zone_stats st;

	KT_ASSERT_EQ(t, init_map(pc_map, 4, &rep), 0);
	KT_EXPECT_EQ(t, pmm_metadata_bytes(pc_map, 4), 8192 * 8);
	KT_EXPECT_EQ(t, rep.meta_bytes, 8192 * 8);
	/* 0x9FC00 keeps 159 whole pages; 0xC00 bytes are clipped. */
	KT_EXPECT_EQ(t, rep.zone_pages[PMM_LOW], 159);
	KT_EXPECT_EQ(t, rep.zone_pages[PMM_DMA], 3840);
	KT_EXPECT_EQ(t, rep.zone_pages[PMM_NORMAL], 4096);
	KT_EXPECT_EQ(t, rep.usable_bytes, (159 + 3840 + 4096) * 4 * KiB);
	KT_EXPECT_EQ(t, rep.clipped_bytes, 0xC00);
	KT_EXPECT_EQ(t, rep.entries, 4);
	KT_EXPECT_EQ(t, rep.entries_clipped, 1);
	KT_EXPECT_EQ(t, rep.entries_ignored, 0);
	KT_EXPECT_EQ(t, rep.above_limit, 0);
	KT_EXPECT_EQ(t, rep.span_start, 0);
	KT_EXPECT_EQ(t, rep.span_end, 32 * MiB);
	check_ok(t);

	pmm_zone_stats(PMM_DMA, &st);
	KT_EXPECT_EQ(t, st.start, 1 * MiB);
	KT_EXPECT_EQ(t, st.end, 16 * MiB);
	KT_EXPECT_EQ(t, st.total_pages, 3840);
	KT_EXPECT_EQ(t, st.free_pages, 3840);
	size_t sum = 0;
	for (unsigned k = 0; k < PMM_NR_ORDERS; k++)
		sum += st.free_blocks[k] << k;
	KT_EXPECT_EQ(t, sum, 3840);
	/* The hole between 640 KiB and 1 MiB is not RAM. */
	KT_EXPECT(t, is_ram(0x9E000));
	KT_EXPECT(t, !is_ram(0x9F000));
	KT_EXPECT(t, !is_ram(0xC0000));
	KT_EXPECT_EQ(t, owner_at(0xC0000), PMM_OWNER_RESERVED);
	KT_EXPECT_EQ(t, owner_at(0x200000), PMM_OWNER_FREE);
	KT_EXPECT_EQ(t, pmm_free_pages(), 159 + 3840 + 4096);
}

PMM_CASE(odd_map_unsorted_overlapping_unaligned)
{
	/* Unsorted; a reserved entry inside a usable one; overlapping usable
	 * entries; unaligned ends; zero-length; one partial page only; an
	 * entry straddling the limit; entries above 4 GiB. */
	static const struct boot_mem_region map[] = {
		R(0x800000, 0x800000, USABLE),	  /* 8-16 MiB */
		R(0x200800, 0x1FF900, USABLE),	  /* 2 MiB+2K .. 4 MiB+1.25K */
		R(0x900100, 0x1000, RESERVED),	  /* 9 MiB+: 2 pages */
		R(0x300000, 0x0, RESERVED),	  /* zero-length */
		R(0x500000, 0x0, USABLE),	  /* zero-length */
		R(0x600200, 0x800, USABLE),	  /* part of one page */
		R(0xC00000, 0x600000, USABLE),	  /* overlaps 8-16 MiB */
		R(0x100000000ull, GiB, USABLE),	  /* above 4 GiB */
		R(0x1100000, 0x1000, BAD),	  /* inside 12-18 MiB */
		R(0xFFFFE000ull, 0x3000, USABLE), /* straddles the limit */
	};
	struct pmm_init_report rep;

	KT_ASSERT_EQ(t, init_map(map, ARRAY_SIZE(map), &rep), -ENOSPC);
	/* The span reaches the page below the limit: far too big for the
	 * static buffer; drop the straddling entry to fit. */
	KT_ASSERT_EQ(t, init_map(map, ARRAY_SIZE(map) - 1, &rep), 0);
	check_ok(t);
	KT_EXPECT_EQ(t, rep.span_start, 0x201000);
	KT_EXPECT_EQ(t, rep.span_end, 0x1200000);
	KT_EXPECT_EQ(t, rep.above_limit, GiB);
	KT_EXPECT_EQ(t, rep.entries_ignored, 4); /* 2 zero, partial, >4G */
	KT_EXPECT_EQ(t, rep.entries_clipped, 1);
	KT_EXPECT_EQ(t, rep.hidden_bytes, 3 * 4 * KiB);
	KT_EXPECT_EQ(t, rep.clipped_bytes, 0x900 + 0x800);
	/* 2 MiB+4K .. 4 MiB: 511 pages; 8-18 MiB: 2560 pages - 3 hidden */
	KT_EXPECT_EQ(t, rep.usable_bytes, (511ull + 2560 - 3) * 4 * KiB);
	KT_EXPECT(t, !is_ram(0x200000));
	KT_EXPECT(t, is_ram(0x201000));
	KT_EXPECT(t, is_ram(0x3FF000));
	KT_EXPECT(t, !is_ram(0x400000));
	KT_EXPECT(t, !is_ram(0x600000)); /* the partial page */
	KT_EXPECT(t, is_ram(0x8FF000));
	KT_EXPECT(t, !is_ram(0x900000)); /* reserved wins */
	KT_EXPECT(t, !is_ram(0x901000));
	KT_EXPECT(t, is_ram(0x902000));
	KT_EXPECT(t, is_ram(0x11FF000));
	KT_EXPECT(t, !is_ram(0x1100000));
	KT_EXPECT_EQ(t, owner_at(0x900000), PMM_OWNER_RESERVED);

	/* Straddling the limit alone: one page below it, the rest ignored. */
	static const struct boot_mem_region top[] = {
		R(0xFFFFE000ull, 0x3000, USABLE),
	};
	KT_ASSERT_EQ(t, init_map(top, 1, &rep), 0);
	KT_EXPECT_EQ(t, rep.usable_bytes, 4 * KiB);
	KT_EXPECT_EQ(t, rep.above_limit, 0x2000);
	KT_EXPECT_EQ(t, rep.entries_clipped, 1);
	KT_EXPECT_EQ(t, pmm_alloc(0, PMM_ZONE_NORMAL, PMM_OWNER_TEST),
		     0xFFFFE000u);
	check_ok(t);
}

PMM_CASE(bad_maps_give_clear_errors)
{
	static const struct boot_mem_region none[] = {
		R(0, 0x9FC00, RESERVED), R(0x100000000ull, GiB, USABLE),
		R(0x5000, 0x800, USABLE),  /* a single partial page */
		R(0x7800, 0x1000, USABLE), /* straddles two pages: none whole */
	};
	static const struct boot_mem_region covered[] = {
		R(0x100000, 0x100000, USABLE),
		R(0xFF800, 0x101000, ACPI_NVS),
	};
	struct pmm_init_report rep;

	KT_EXPECT_EQ(t, init_map(pc_map, 0, &rep), -ENOENT);
	KT_EXPECT(t, contains(pmm_last_error(), "no usable RAM"));
	KT_EXPECT_EQ(t, pmm_metadata_bytes(pc_map, 0), 0);
	KT_EXPECT_EQ(t, init_map(none, ARRAY_SIZE(none), &rep), -ENOENT);
	KT_EXPECT_EQ(t, rep.entries_ignored, 3);
	KT_EXPECT_EQ(t, rep.above_limit, GiB);
	KT_EXPECT_EQ(t, rep.clipped_bytes, 0x1800);
	KT_EXPECT_EQ(t, init_map(covered, 2, &rep), -ENOENT);
	KT_EXPECT_EQ(t, pmm_init(pc_map, 4, meta, 8192 * 8 - 1, &rep), -ENOSPC);
	KT_EXPECT(t, contains(pmm_last_error(), "65536 needed"));
	KT_EXPECT_EQ(t, pmm_init(pc_map, 4, (char *)meta + 1, 65536, &rep),
		     -EINVAL);
	KT_EXPECT_EQ(t, pmm_init(NULL, 4, meta, sizeof(meta), &rep), -EINVAL);
	/* After a failed init nothing is handed out. */
	KT_EXPECT_EQ(t, pmm_alloc(0, PMM_ZONE_NORMAL, PMM_OWNER_TEST),
		     PMM_NO_PAGE);
	KT_EXPECT(t, contains(pmm_last_error(), "not initialised"));
}

PMM_CASE(arm_map_has_no_low_or_dma)
{
	static const struct boot_mem_region arm[] = {
		R(0x40000000, 16 * MiB, USABLE),
	};
	struct pmm_init_report rep;

	KT_ASSERT_EQ(t, init_map(arm, 1, &rep), 0);
	KT_EXPECT_EQ(t, rep.zone_pages[PMM_LOW], 0);
	KT_EXPECT_EQ(t, rep.zone_pages[PMM_DMA], 0);
	KT_EXPECT_EQ(t, rep.zone_pages[PMM_NORMAL], 4096);
	check_ok(t);
	KT_EXPECT_EQ(t, pmm_take_low(NULL, NULL), 0);
	KT_EXPECT_EQ(t, pmm_alloc(0, PMM_ZONE_DMA, PMM_OWNER_TEST),
		     PMM_NO_PAGE);
	KT_EXPECT_STREQ(t, pmm_last_error(),
			"zone DMA exhausted: no free block of order 0 (no free "
			"pages)");
	paddr_t pa = pmm_alloc(PMM_MAX_ORDER, PMM_ZONE_NORMAL, PMM_OWNER_TEST);
	KT_EXPECT(t, pa >= 0x40000000 && pa < 0x41000000);
	KT_EXPECT_EQ(t, pa & (4 * MiB - 1), 0);
	KT_EXPECT_EQ(t, pmm_free(pa, PMM_MAX_ORDER), 0);
	struct pmm_zone_stats st;
	pmm_zone_stats(PMM_LOW, &st);
	KT_EXPECT_EQ(t, st.start, 0);
	KT_EXPECT_EQ(t, st.end, 0);
	check_ok(t);
}

PMM_CASE(alloc_alignment_zone_policy_and_fallback)
{
	KT_ASSERT_EQ(t, init_map(pc_map, 4, NULL), 0);
	for (unsigned k = 0; k <= PMM_MAX_ORDER; k++) {
		paddr_t pa = pmm_alloc(k, PMM_ZONE_NORMAL, PMM_OWNER_TEST);
		KT_EXPECT(t, pa != PMM_NO_PAGE);
		KT_EXPECT_EQ(t, pa & ((PAGE_SIZE << k) - 1), 0);
		KT_EXPECT(t, pa >= 16 * MiB); /* NORMAL first */
		struct pmm_frame_info fi;
		KT_EXPECT_EQ(t, pmm_frame_info(pa + (PAGE_SIZE << k) - 1, &fi),
			     0);
		KT_EXPECT_EQ(t, fi.head, pa);
		KT_EXPECT_EQ(t, fi.order, k);
		KT_EXPECT(t, fi.allocated && fi.movable && !fi.identity);
		KT_EXPECT_EQ(t, fi.is_head, k == 0);
	}
	/* DMA-only requests stay below 16 MiB (and above 1 MiB). */
	for (unsigned i = 0; i < 20; i++) {
		paddr_t pa =
			pmm_alloc(i % 5, PMM_ZONE_DMA, PMM_OWNER_DMA_BUFFER);
		KT_EXPECT(t, pa >= 1 * MiB &&
				     pa + (PAGE_SIZE << (i % 5)) <= 16 * MiB);
	}
	/* Use up NORMAL: ordinary requests then fall back to DMA, never LOW. */
	while (1) {
		paddr_t pa = pmm_alloc(0, PMM_ZONE_NORMAL, PMM_OWNER_TEST);
		KT_ASSERT(t, pa != PMM_NO_PAGE);
		if (pa < 16 * MiB) {
			KT_EXPECT(t, pa >= 1 * MiB);
			break;
		}
	}
	struct pmm_zone_stats st;
	pmm_zone_stats(PMM_NORMAL, &st);
	KT_EXPECT_EQ(t, st.free_pages, 0);
	pmm_zone_stats(PMM_LOW, &st);
	KT_EXPECT_EQ(t, st.free_pages, 159);
	KT_EXPECT_EQ(t, st.allocs, 0);
	/* Bad requests. */
	KT_EXPECT_EQ(t, pmm_alloc(PMM_MAX_ORDER + 1, 0, PMM_OWNER_TEST),
		     PMM_NO_PAGE);
	KT_EXPECT(t, contains(pmm_last_error(), "above the largest"));
	KT_EXPECT_EQ(t, pmm_alloc(0, 0, PMM_OWNER_FREE), PMM_NO_PAGE);
	KT_EXPECT_EQ(t, pmm_alloc(0, 0, PMM_OWNER_DMA_TAKEN), PMM_NO_PAGE);
	KT_EXPECT_EQ(t, pmm_alloc(0, 0x3, PMM_OWNER_TEST), PMM_NO_PAGE);
	KT_EXPECT_EQ(t, pmm_alloc(0, 0x80, PMM_OWNER_TEST), PMM_NO_PAGE);
	check_ok(t);
}

PMM_CASE(exhaustion_reason_and_recovery)
{
	static paddr_t got[4096];
	unsigned n = 0;
	struct pmm_zone_stats st;

	KT_ASSERT_EQ(t, init_map(pc_map, 4, NULL), 0);
	/* Fill NORMAL and DMA with order-0 pages. */
	for (;;) {
		paddr_t pa = pmm_alloc(0, PMM_ZONE_NORMAL, PMM_OWNER_TEST);
		if (pa == PMM_NO_PAGE)
			break;
		if (pa >= 16 * MiB && n < ARRAY_SIZE(got))
			got[n++] = pa;
	}
	KT_EXPECT_EQ(t, n, 4096);
	KT_EXPECT_STREQ(
		t, pmm_last_error(),
		"zones NORMAL and DMA exhausted: no free block of order "
		"0 (no free pages)");
	KT_EXPECT_EQ(t, pmm_alloc(0, PMM_ZONE_DMA, PMM_OWNER_TEST),
		     PMM_NO_PAGE);
	pmm_zone_stats(PMM_NORMAL, &st);
	KT_EXPECT_EQ(t, st.failures, 1);
	KT_EXPECT_EQ(t, st.allocs, 4096);
	check_ok(t);
	/* Free every other page of NORMAL: lots free, nothing contiguous. */
	for (unsigned i = 0; i < n; i++) {
		if (!(got[i] & PAGE_SIZE))
			continue;
		KT_EXPECT_EQ(t, pmm_free(got[i], 0), 0);
		got[i] = 0;
	}
	KT_EXPECT_EQ(t, pmm_free_pages(), 159 + 2048);
	KT_EXPECT_EQ(t, pmm_alloc(5, PMM_ZONE_NORMAL, PMM_OWNER_TEST),
		     PMM_NO_PAGE);
	KT_EXPECT_STREQ(
		t, pmm_last_error(),
		"zones NORMAL and DMA exhausted: no free block of order "
		"5 (largest free order 0)");
	check_ok(t);
	/* Free the rest: everything coalesces back into 4 MiB blocks. */
	for (unsigned i = 0; i < n; i++)
		if (got[i])
			KT_EXPECT_EQ(t, pmm_free(got[i], 0), 0);
	pmm_zone_stats(PMM_NORMAL, &st);
	KT_EXPECT_EQ(t, st.free_pages, 4096);
	KT_EXPECT_EQ(t, st.free_blocks[PMM_MAX_ORDER], 4);
	KT_EXPECT_EQ(t, st.frees, 4096);
	paddr_t pa = pmm_alloc(5, PMM_ZONE_NORMAL, PMM_OWNER_TEST);
	KT_EXPECT(t, pa != PMM_NO_PAGE && pa >= 16 * MiB);
	check_ok(t);
}

PMM_CASE(every_bad_free_is_refused)
{
	KT_ASSERT_EQ(t, init_map(pc_map, 4, NULL), 0);
	KT_ASSERT_EQ(t, pmm_reserve(0x100000, 0x180000, PMM_OWNER_KERNEL_IMAGE),
		     0);
	paddr_t a = pmm_alloc(2, PMM_ZONE_NORMAL, PMM_OWNER_TEST);
	paddr_t b = pmm_alloc(0, PMM_ZONE_NORMAL, PMM_OWNER_TEST);
	KT_ASSERT(t, a != PMM_NO_PAGE && b != PMM_NO_PAGE);
	size_t free_before = pmm_free_pages();

	struct {
		paddr_t pa;
		unsigned order;
		const char *why;
	} bad[] = {
		{a + 1, 2, "not page-aligned"},
		{a + 0x800, 2, "not page-aligned"},
		{64 * MiB, 0, "outside RAM"},
		{PMM_NO_PAGE & ~(paddr_t)(PAGE_SIZE - 1), 0, "outside RAM"},
		{0xC0000, 0, "not RAM"},		   /* hole */
		{0x101000, 0, "reserved (kernel image)"},  /* reserved */
		{0x300000, 0, "free"},			   /* never allocated */
		{a + PAGE_SIZE, 0, "not the first frame"}, /* inside a */
		{a, 1, "wrong order"},
		{a, 3, "wrong order"},
		{b, 1, "wrong order"},
		{a, PMM_MAX_ORDER + 5, "wrong order"},
	};
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		KT_EXPECT_EQ(t, pmm_free(bad[i].pa, bad[i].order), -EINVAL);
		KT_EXPECT_MSG(t, contains(pmm_last_error(), bad[i].why),
			      "bad free %u: \"%s\" lacks \"%s\"", i,
			      pmm_last_error(), bad[i].why);
		KT_EXPECT_EQ(t, pmm_free_pages(), free_before);
	}
	check_ok(t);
	KT_EXPECT_EQ(t, pmm_free(b, 0), 0);
	KT_EXPECT_EQ(t, pmm_free(b, 0), -EINVAL); /* double free */
	KT_EXPECT(t, contains(pmm_last_error(), "double free"));
	KT_EXPECT_EQ(t, pmm_free(a, 2), 0);
	/* Freed and coalesced: a's frames are inside a bigger free block. */
	KT_EXPECT_EQ(t, pmm_free(a + PAGE_SIZE, 0), -EINVAL);
	KT_EXPECT(t, contains(pmm_last_error(), "double free"));
	KT_EXPECT_EQ(t, pmm_free(a, 2), -EINVAL);
	KT_EXPECT_EQ(t, pmm_free_pages(), free_before + 5);
	check_ok(t);
}

PMM_CASE(reservations_vs_allocations)
{
	struct pmm_frame_info fi;

	KT_ASSERT_EQ(t, init_map(pc_map, 4, NULL), 0);
	size_t free0 = pmm_free_pages();
	/* Unaligned ends widen to whole pages: 0x100800..0x102001 -> 3. */
	KT_EXPECT_EQ(t, pmm_reserve(0x100800, 0x102001, PMM_OWNER_KERNEL_IMAGE),
		     0);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0 - 3);
	KT_EXPECT_EQ(t, pmm_frame_info(0x102FFF, &fi), 0);
	KT_EXPECT_EQ(t, fi.owner, PMM_OWNER_KERNEL_IMAGE);
	KT_EXPECT(t, fi.identity && !fi.movable && !fi.allocated);
	KT_EXPECT_EQ(t, fi.va, 0x102000);
	KT_EXPECT_EQ(t, owner_at(0x103000), PMM_OWNER_FREE);
	/* Overlapping reservation: the first owner stays. */
	KT_EXPECT_EQ(t, pmm_reserve(0x102000, 0x104000, PMM_OWNER_MODULE), 0);
	KT_EXPECT_EQ(t, owner_at(0x102000), PMM_OWNER_KERNEL_IMAGE);
	KT_EXPECT_EQ(t, owner_at(0x103000), PMM_OWNER_MODULE);
	/* Outside RAM (holes, beyond the span) is ignored; empty is fine. */
	KT_EXPECT_EQ(t, pmm_reserve(0xA0000, 0x100000, PMM_OWNER_BOOTDATA), 0);
	KT_EXPECT_EQ(t, owner_at(0xC0000), PMM_OWNER_RESERVED);
	KT_EXPECT_EQ(t, pmm_reserve(64 * MiB, 80 * MiB, PMM_OWNER_MODULE), 0);
	KT_EXPECT_EQ(t, pmm_reserve(0x5000, 0x5000, PMM_OWNER_MODULE), 0);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0 - 4);
	/* Bad arguments. */
	KT_EXPECT_EQ(t, pmm_reserve(0x6000, 0x5000, PMM_OWNER_MODULE), -EINVAL);
	KT_EXPECT_EQ(t, pmm_reserve(0x5000, 0x6000, PMM_OWNER_FREE), -EINVAL);
	KT_EXPECT_EQ(t, pmm_reserve(0x5000, 0x6000, PMM_OWNER_DMA_TAKEN),
		     -EINVAL);
	/* Reserving over an allocation: -EBUSY, nothing changed. */
	paddr_t pa = pmm_alloc(3, PMM_ZONE_NORMAL, PMM_OWNER_SBRK);
	KT_ASSERT(t, pa != PMM_NO_PAGE);
	size_t free1 = pmm_free_pages();
	KT_EXPECT_EQ(t,
		     pmm_reserve(pa - 4 * PAGE_SIZE, pa + PAGE_SIZE,
				 PMM_OWNER_KHEAP),
		     -EBUSY);
	KT_EXPECT(t, contains(pmm_last_error(), "handed out (sbrk)"));
	KT_EXPECT_EQ(t, pmm_free_pages(), free1);
	KT_EXPECT_EQ(t, owner_at(pa - PAGE_SIZE), PMM_OWNER_FREE);
	/* A big reservation splitting blocks on both sides, then every
	 * allocation avoids it. */
	KT_EXPECT_EQ(t,
		     pmm_reserve(2 * MiB + 0x3000, 13 * MiB - 0x5000,
				 PMM_OWNER_KHEAP),
		     0);
	check_ok(t);
	for (;;) {
		paddr_t p = pmm_alloc(0, PMM_ZONE_DMA, PMM_OWNER_TEST);
		if (p == PMM_NO_PAGE)
			break;
		KT_EXPECT(t, p < 2 * MiB + 0x3000 || p >= 13 * MiB - 0x5000);
		KT_EXPECT(t, p >= 0x104000);
	}
	check_ok(t);
	KT_EXPECT_EQ(t, pmm_free(pa, 3), 0);
	check_ok(t);
}

PMM_CASE(reverse_map_updates)
{
	struct pmm_frame_info fi;

	KT_ASSERT_EQ(t, init_map(pc_map, 4, NULL), 0);
	paddr_t pa = pmm_alloc(2, PMM_ZONE_NORMAL, PMM_OWNER_SBRK);
	KT_ASSERT(t, pa != PMM_NO_PAGE);
	KT_EXPECT_EQ(t, pmm_frame_info(pa, &fi), 0);
	KT_EXPECT_EQ(t, fi.va, 0); /* starts unmapped */
	KT_EXPECT_EQ(t, fi.owner, PMM_OWNER_SBRK);
	KT_EXPECT_EQ(t, fi.zone, PMM_NORMAL);
	/* Map the middle two pages, then check every frame. */
	KT_EXPECT_EQ(t, pmm_set_mapping(pa + PAGE_SIZE, 2, 0x40000000), 0);
	for (unsigned i = 0; i < 4; i++) {
		KT_EXPECT_EQ(t, pmm_frame_info(pa + i * PAGE_SIZE + 5, &fi), 0);
		KT_EXPECT_EQ(t, fi.va,
			     i == 1   ? 0x40000000
			     : i == 2 ? 0x40001000
				      : 0);
		KT_EXPECT_EQ(t, fi.head, pa);
		KT_EXPECT_EQ(t, fi.order, 2);
		KT_EXPECT_EQ(t, fi.owner, PMM_OWNER_SBRK);
	}
	KT_EXPECT_EQ(t, pmm_set_mapping(pa + PAGE_SIZE, 1, 0), 0);
	KT_EXPECT_EQ(t, pmm_frame_info(pa + PAGE_SIZE, &fi), 0);
	KT_EXPECT_EQ(t, fi.va, 0);
	check_ok(t);
	/* Refused: free frames, reserved frames, holes, misaligned va,
	 * ranges running off the span or past a handed-out block. */
	KT_EXPECT_EQ(t, pmm_set_mapping(pa + 4 * PAGE_SIZE, 1, 0x5000),
		     owner_at(pa + 4 * PAGE_SIZE) == PMM_OWNER_FREE ? -EINVAL
								    : 0);
	KT_EXPECT_EQ(t, pmm_set_mapping(pa, 5, 0x5000), -EINVAL);
	KT_EXPECT_EQ(t, pmm_set_mapping(pa, 1, 0x5800), -EINVAL);
	KT_EXPECT_EQ(t, pmm_set_mapping(pa + 1, 1, 0x5000), -EINVAL);
	KT_EXPECT_EQ(t, pmm_set_mapping(0xC0000, 1, 0x5000), -EINVAL);
	KT_ASSERT_EQ(t, pmm_reserve(0x100000, 0x101000, PMM_OWNER_KERNEL_IMAGE),
		     0);
	KT_EXPECT_EQ(t, pmm_set_mapping(0x100000, 1, 0x5000), -EINVAL);
	KT_EXPECT_EQ(t, pmm_set_mapping(31 * MiB, 2 * 256, 0x5000), -EINVAL);
	KT_EXPECT_EQ(t, pmm_frame_info(pa, &fi), 0);
	KT_EXPECT_EQ(t, fi.va, 0);
	KT_EXPECT_EQ(t, pmm_frame_info(40 * MiB, &fi), -ENOENT);
	/* Free forgets the mappings: the next owner starts unmapped. */
	KT_EXPECT_EQ(t, pmm_set_mapping(pa, 4, 0x7000000), 0);
	KT_EXPECT_EQ(t, pmm_free(pa, 2), 0);
	KT_EXPECT_EQ(t, pmm_frame_info(pa + 3 * PAGE_SIZE, &fi), 0);
	KT_EXPECT_EQ(t, fi.owner, PMM_OWNER_FREE);
	KT_EXPECT_EQ(t, fi.va, 0);
	check_ok(t);
	paddr_t again = pmm_alloc(2, PMM_ZONE_NORMAL, PMM_OWNER_ANON);
	KT_EXPECT_EQ(t, again, pa); /* LIFO: the same block */
	for (unsigned i = 0; i < 4; i++) {
		KT_EXPECT_EQ(t, pmm_frame_info(again + i * PAGE_SIZE, &fi), 0);
		KT_EXPECT_EQ(t, fi.va, 0);
	}
	check_ok(t);
}

PMM_CASE(aligned_allocation)
{
	KT_ASSERT_EQ(t, init_map(pc_map, 4, NULL), 0);
	size_t free0 = pmm_free_pages();
	paddr_t pa = pmm_alloc_aligned(0, 6, PMM_ZONE_DMA, PMM_OWNER_TEST);
	KT_ASSERT(t, pa != PMM_NO_PAGE);
	KT_EXPECT_EQ(t, pa & ((PAGE_SIZE << 6) - 1), 0);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0 - 1);
	check_ok(t);
	paddr_t pb = pmm_alloc_aligned(3, 8, PMM_ZONE_NORMAL, PMM_OWNER_TEST);
	KT_EXPECT_EQ(t, pb & ((PAGE_SIZE << 8) - 1), 0);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0 - 9);
	check_ok(t);
	KT_EXPECT_EQ(t,
		     pmm_alloc_aligned(0, PMM_MAX_ORDER + 1, 0, PMM_OWNER_TEST),
		     PMM_NO_PAGE);
	KT_EXPECT_EQ(t, pmm_free(pa, 6), -EINVAL);
	KT_EXPECT_EQ(t, pmm_free(pa, 0), 0);
	KT_EXPECT_EQ(t, pmm_free(pb, 3), 0);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0);
	check_ok(t);
}

struct runs {
	paddr_t s[8], e[8];
	unsigned n;
};

static void collect_run(paddr_t start, paddr_t end, void *arg)
{
	struct runs *r = arg;

	if (r->n < 8) {
		r->s[r->n] = start;
		r->e[r->n] = end;
	}
	r->n++;
}

PMM_CASE(low_memory_is_claimed_not_allocated)
{
	struct runs r = {.n = 0};

	KT_ASSERT_EQ(t, init_map(pc_map, 4, NULL), 0);
	/* The IVT/BDA page is reserved by the caller, say. */
	KT_ASSERT_EQ(t, pmm_reserve(0, 0x1000, PMM_OWNER_RESERVED), 0);
	paddr_t pa = pmm_alloc(0, PMM_ZONE_LOW, PMM_OWNER_LOWMEM);
	KT_EXPECT(t, pa < 0x9F000 && pa >= 0x1000);
	KT_EXPECT_EQ(t, pmm_take_low(collect_run, &r), 157);
	KT_ASSERT_EQ(t, r.n, pa == 0x1000 || pa == 0x9E000 ? 1 : 2);
	KT_EXPECT_EQ(t, r.s[0], pa == 0x1000 ? 0x2000 : 0x1000);
	KT_EXPECT_EQ(t, r.e[r.n - 1], pa == 0x9E000 ? 0x9E000 : 0x9F000);
	KT_EXPECT_EQ(t, owner_at(0x5000 == pa ? 0x6000 : 0x5000),
		     PMM_OWNER_LOWMEM);
	KT_EXPECT_EQ(t, pmm_alloc(0, PMM_ZONE_LOW, PMM_OWNER_LOWMEM),
		     PMM_NO_PAGE);
	KT_EXPECT_EQ(t, pmm_reserve(0x8000, 0x9000, PMM_OWNER_MODULE), -EBUSY);
	KT_EXPECT_EQ(t, pmm_free(0x9000 == pa ? 0xA000 : 0x9000, 0), -EINVAL);
	KT_EXPECT_EQ(t, pmm_take_low(collect_run, &r), 0);
	KT_EXPECT_EQ(t, pmm_free(pa, 0), 0);
	check_ok(t);
}

PMM_CASE(check_catches_corruption)
{
	KT_ASSERT_EQ(t, init_map(pc_map, 4, NULL), 0);
	check_ok(t);
	uint64_t saved = meta[0x200];
	meta[0x200] = 0; /* a free block's head (2 MiB, order 9) made a TAIL */
	KT_EXPECT_EQ(t, pmm_check(), -EFAULT);
	KT_EXPECT(t, contains(pmm_last_error(), "pmm_check"));
	meta[0x200] = saved;
	check_ok(t);
	saved = meta[0x301];
	meta[0x301] = ~0ull; /* garbage inside a free block */
	KT_EXPECT_EQ(t, pmm_check(), -EFAULT);
	meta[0x301] = saved;
	check_ok(t);
}

PMM_CASE(range_iterator_visits_every_kind_of_frame)
{
	struct pmm_frame_info fi;
	struct pmm_take_result res;
	paddr_t cur;
	unsigned n = 0, holes = 0, reserved = 0, taken = 0, free = 0, used = 0;

	KT_ASSERT_EQ(t, init_map(pc_map, 4, NULL), 0);
	KT_ASSERT_EQ(t, pmm_reserve(0x9C000, 0x9D000, PMM_OWNER_BOOTDATA), 0);
	paddr_t a = pmm_alloc(1, PMM_ZONE_LOW, PMM_OWNER_LOWMEM);
	KT_ASSERT(t, a != PMM_NO_PAGE);
	/* A window over the end of conventional memory and the hole above:
	 * [0x98000, 0xA2000). */
	KT_ASSERT_EQ(t, pmm_take_range(0x98000, 0xA2000, &res), 0);
	KT_EXPECT_EQ(t, res.not_ram, 3); /* 0x9F000, 0xA0000, 0xA1000 */
	KT_EXPECT_EQ(t, res.busy, 1 + (a >= 0x98000 ? 2 : 0));
	KT_EXPECT_EQ(t, res.immovable, 1);
	KT_EXPECT_EQ(t, res.taken + res.busy + res.not_ram, 10);
	cur = 0x98000;
	while (pmm_range_next(0x98000, 0xA2000, &cur, &fi) == 1) {
		n++;
		KT_ASSERT(t, n < 40);
		if (!fi.ram)
			holes++;
		else if (fi.owner == PMM_OWNER_DMA_TAKEN)
			taken++;
		else if (fi.owner == PMM_OWNER_FREE)
			free++;
		else if (fi.allocated)
			used++;
		else if (fi.owner == PMM_OWNER_BOOTDATA)
			reserved++;
	}
	KT_EXPECT_EQ(t, cur, 0xA2000);
	KT_EXPECT_EQ(t, holes, 3);
	KT_EXPECT_EQ(t, reserved, 1);
	KT_EXPECT_EQ(t, taken, res.taken);
	KT_EXPECT_EQ(t, free, 0);
	KT_EXPECT_EQ(t, used, a >= 0x98000 ? 1 : 0);
	/* Past the end, and a bad range. */
	KT_EXPECT_EQ(t, pmm_range_next(0x98000, 0xA2000, &cur, &fi), 0);
	KT_EXPECT_EQ(t, pmm_range_next(0x3000, 0x2000, &cur, &fi), -EINVAL);
	/* Outside the span: nothing to visit. */
	cur = 64 * MiB;
	KT_EXPECT_EQ(t, pmm_range_next(64 * MiB, 65 * MiB, &cur, &fi), 0);
	KT_EXPECT_EQ(t, pmm_give_back(0x98000, 0xA2000), (long)res.taken);
	check_ok(t);
}

PMM_CASE(stats_names_and_limits)
{
	struct pmm_zone_stats st;

	KT_ASSERT_EQ(t, init_map(pc_map, 4, NULL), 0);
	paddr_t p[3];
	for (unsigned i = 0; i < 3; i++)
		p[i] = pmm_alloc(i, PMM_ZONE_DMA, PMM_OWNER_TEST);
	KT_EXPECT_EQ(t,
		     pmm_alloc(PMM_MAX_ORDER, PMM_ZONE_DMA, PMM_OWNER_TEST) !=
			     PMM_NO_PAGE,
		     true);
	for (unsigned z = 0; z < PMM_NR_ZONES; z++) {
		pmm_zone_stats(z, &st);
		size_t sum = 0;
		for (unsigned k = 0; k < PMM_NR_ORDERS; k++)
			sum += st.free_blocks[k] << k;
		KT_EXPECT_EQ(t, sum, st.free_pages);
	}
	pmm_zone_stats(PMM_DMA, &st);
	KT_EXPECT_EQ(t, st.allocs, 4);
	KT_EXPECT_EQ(t, st.free_pages, 3840 - 7 - 1024);
	KT_EXPECT_EQ(t, pmm_free(p[1], 1), 0);
	KT_EXPECT_EQ(t, pmm_free(p[1], 1), -EINVAL);
	pmm_zone_stats(PMM_DMA, &st);
	KT_EXPECT_EQ(t, st.frees, 1);
	pmm_zone_stats(PMM_NR_ZONES, &st); /* bad zone: all zero */
	KT_EXPECT_EQ(t, st.total_pages, 0);
	KT_EXPECT_STREQ(t, pmm_zone_name(PMM_NORMAL), "NORMAL");
	KT_EXPECT_STREQ(t, pmm_owner_name(PMM_OWNER_SBRK), "sbrk");
	KT_EXPECT_STREQ(t, pmm_owner_name(PMM_NR_OWNERS), "?");
	for (unsigned o = 0; o < PMM_NR_OWNERS; o++)
		KT_EXPECT(t, pmm_owner_name(o)[0] != '?');
	/* A va the reverse map cannot hold (64-bit hosts only). */
	if (sizeof(vaddr_t) > 4)
		KT_EXPECT_EQ(t, pmm_set_mapping(p[0], 1, (vaddr_t)-4096),
			     -EINVAL);
	KT_EXPECT_EQ(t, pmm_set_mapping(p[0], 1, 0xFFFFF000u), 0);
	check_ok(t);
}
