/*
 * The PMM against a reference model under long random sequences, and the
 * DMA-window protocol (take_range, relocation, give_back) with allocated
 * pages in the range. pmm_check() runs after every operation.
 */
#include <ktest.h>
#include <lib/compiler.h>
#include <lib/err.h>
#include <mm/pmm.h>
#include <string.h>

#define MiB 0x100000u

static uint64_t meta[24 * MiB / PAGE_SIZE];

#define PMM_CASE(name)                                                         \
	static void pmm_body_##name(struct ktest *t);                          \
	KTEST(pmm, name)                                                       \
	{                                                                      \
		pmm_test_enter();                                              \
		pmm_body_##name(t);                                            \
		pmm_test_exit();                                               \
	}                                                                      \
	static void pmm_body_##name(struct ktest *t)

/* xorshift64*: deterministic, the same on every build. */
static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545F4914F6CDD1Dull) >> 32) % n;
}

/* A PC with a hole in DMA, a reserved page in NORMAL and 24 MiB of RAM. */
static const struct boot_mem_region map[] = {
	{0x0, 0x9F000, BOOT_MEM_USABLE},
	{0x100000, 0x1700000, BOOT_MEM_USABLE},
	{0x500000, 0x3000, BOOT_MEM_RESERVED},
	{0x1234000, 0x1000, BOOT_MEM_ACPI_RECLAIM},
};

#define NFRAMES (24 * MiB / PAGE_SIZE)

/* The model: who holds each frame (0 = nobody), and the live blocks. */
static uint16_t model[NFRAMES];
static struct blk {
	paddr_t pa;
	unsigned order;
	uint16_t id;
} live[2048];
static unsigned nlive;

static bool checked(struct ktest *t)
{
	int err = pmm_check();

	return KT_EXPECT_MSG(t, err == 0, "%s", pmm_last_error());
}

static bool in_map_ram(paddr_t pa)
{
	return (pa < 0x9F000 || (pa >= 0x100000 && pa < 0x1800000)) &&
	       !(pa >= 0x500000 && pa < 0x503000) && pa != 0x1234000;
}

PMM_CASE(random_model_long_sequence)
{
	struct pmm_init_report rep;
	size_t ram = 0, held = 0;
	unsigned ops = 0, fails = 0, bad = 0;

	KT_ASSERT_EQ(
		t, pmm_init(map, ARRAY_SIZE(map), meta, sizeof(meta), &rep), 0);
	memset(model, 0, sizeof(model));
	nlive = 0;
	rng = 0x9e3779b97f4a7c15ull;
	for (paddr_t pa = 0; pa < 24 * MiB; pa += PAGE_SIZE)
		ram += in_map_ram(pa);
	KT_ASSERT_EQ(t, rep.usable_bytes, (uint64_t)ram * PAGE_SIZE);
	size_t low = rep.zone_pages[PMM_LOW];

	for (uint16_t id = 1; ops < 6000;
	     ops++, id = (uint16_t)(id % 60000 + 1)) {
		unsigned r = rnd(100);
		if ((r < 55 && nlive < ARRAY_SIZE(live)) || nlive == 0) {
			/* Mostly small orders, sometimes big ones. */
			unsigned order =
				rnd(4) ? rnd(3) : rnd(PMM_MAX_ORDER + 1);
			unsigned pol = rnd(10) == 0   ? PMM_ZONE_DMA
				       : rnd(20) == 0 ? PMM_ZONE_LOW
						      : PMM_ZONE_NORMAL;
			size_t free0 = pmm_free_pages();
			paddr_t pa = pmm_alloc(order, pol, PMM_OWNER_TEST);
			if (pa == PMM_NO_PAGE) {
				fails++;
				KT_EXPECT(t, pmm_last_error()[0] != '\0');
				KT_EXPECT_EQ(t, pmm_free_pages(), free0);
			} else {
				size_t n = (size_t)1 << order;
				KT_ASSERT_EQ(t, pa & ((PAGE_SIZE << order) - 1),
					     0);
				KT_ASSERT(t, pa / PAGE_SIZE + n <= NFRAMES);
				if (pol == PMM_ZONE_DMA)
					KT_EXPECT(t,
						  pa >= MiB &&
							  pa + n * PAGE_SIZE <=
								  16 * MiB);
				else if (pol == PMM_ZONE_LOW)
					KT_EXPECT(t, pa + n * PAGE_SIZE <= MiB);
				else
					KT_EXPECT(t, pa >= MiB);
				for (size_t j = 0; j < n; j++) {
					paddr_t f = pa + j * PAGE_SIZE;
					if (!KT_EXPECT_MSG(
						    t,
						    in_map_ram(f) &&
							    !model[f /
								   PAGE_SIZE],
						    "frame %lx handed out "
						    "twice "
						    "or not RAM",
						    (unsigned long)f))
						return;
					model[f / PAGE_SIZE] = id;
				}
				live[nlive++] = (struct blk){pa, order, id};
				held += n;
				KT_EXPECT_EQ(t, pmm_free_pages(), free0 - n);
			}
		} else if (r < 95) {
			unsigned k = rnd(nlive);
			struct blk b = live[k];
			size_t n = (size_t)1 << b.order;
			KT_ASSERT_EQ(t, pmm_free(b.pa, b.order), 0);
			for (size_t j = 0; j < n; j++) {
				KT_ASSERT_EQ(t, model[b.pa / PAGE_SIZE + j],
					     b.id);
				model[b.pa / PAGE_SIZE + j] = 0;
			}
			live[k] = live[--nlive];
			held -= n;
		} else {
			/* A bad free: must change nothing. */
			size_t free0 = pmm_free_pages();
			paddr_t pa = (paddr_t)rnd(NFRAMES + 64) * PAGE_SIZE;
			unsigned order = rnd(3);
			uint16_t who = pa / PAGE_SIZE < NFRAMES
					       ? model[pa / PAGE_SIZE]
					       : 0;
			bool good = false;
			for (unsigned j = 0; j < nlive; j++)
				good |= live[j].pa == pa &&
					live[j].order == order;
			if (good)
				continue;
			bad++;
			KT_EXPECT_EQ(t, pmm_free(pa, order), -EINVAL);
			KT_EXPECT_EQ(t, pmm_free_pages(), free0);
			if (who)
				KT_EXPECT_EQ(t, model[pa / PAGE_SIZE], who);
		}
		KT_EXPECT_EQ(t, pmm_free_pages(), ram - held);
		if (!checked(t)) {
			ktest_log(t, "after op %u", ops);
			return;
		}
	}
	ktest_log(t, "%u ops, %u failed allocations, %u bad frees, %u live",
		  ops, fails, bad, nlive);
	KT_EXPECT(t, fails > 0);
	KT_EXPECT(t, bad > 100);
	/* Free everything: all of it coalesces back as at the start. */
	while (nlive) {
		nlive--;
		KT_EXPECT_EQ(t, pmm_free(live[nlive].pa, live[nlive].order), 0);
	}
	checked(t);
	KT_EXPECT_EQ(t, pmm_free_pages(), ram);
	struct pmm_zone_stats st;
	pmm_zone_stats(PMM_LOW, &st);
	KT_EXPECT_EQ(t, st.free_pages, low);
	pmm_zone_stats(PMM_NORMAL, &st);
	KT_EXPECT_EQ(t, st.free_blocks[PMM_MAX_ORDER], 1); /* 20-24 MiB */
	KT_EXPECT(t, st.allocs > 1000);
	KT_EXPECT_EQ(t, st.allocs, st.frees);
}

/* ---------------------------------------------------------- DMA windows */

static const struct boot_mem_region simple[] = {
	{0x100000, 0x1700000, BOOT_MEM_USABLE}, /* 1-24 MiB */
};

static bool strstr_ok(const char *s, const char *word)
{
	for (size_t n = strlen(word); *s; s++)
		if (!strncmp(s, word, n))
			return true;
	return false;
}

static enum pmm_owner owner_at(paddr_t pa)
{
	struct pmm_frame_info fi;

	return pmm_frame_info(pa, &fi) ? PMM_NR_OWNERS : fi.owner;
}

PMM_CASE(dma_window_over_free_ram)
{
	struct pmm_take_result res;

	KT_ASSERT_EQ(t, pmm_init(simple, 1, meta, sizeof(meta), NULL), 0);
	size_t free0 = pmm_free_pages();
	/* Unaligned, straddling the end of RAM. */
	KT_ASSERT_EQ(t, pmm_take_range(0x17F0800, 0x1802000, &res), 0);
	KT_EXPECT_EQ(t, res.taken, 16);
	KT_EXPECT_EQ(t, res.busy, 0);
	KT_EXPECT_EQ(t, res.not_ram, 2);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0 - 16);
	KT_EXPECT_EQ(t, owner_at(0x17F0000), PMM_OWNER_DMA_TAKEN);
	KT_EXPECT_EQ(t, owner_at(0x17EF000), PMM_OWNER_FREE);
	checked(t);
	/* A second window overlapping the first is refused, nothing taken. */
	KT_EXPECT_EQ(t, pmm_take_range(0x17E0000, 0x17F1000, &res), -EBUSY);
	KT_EXPECT_EQ(t, owner_at(0x17E0000), PMM_OWNER_FREE);
	/* The window's va may be recorded on the taken frames. */
	KT_EXPECT_EQ(t, pmm_set_mapping(0x17F0000, 16, 0xFFFF0000u), 0);
	/* Frames taken can be neither freed nor reserved. */
	KT_EXPECT_EQ(t, pmm_free(0x17F0000, 0), -EINVAL);
	KT_EXPECT_EQ(t, pmm_reserve(0x17F0000, 0x17F1000, PMM_OWNER_MODULE),
		     -EBUSY);
	KT_EXPECT_EQ(t, pmm_give_back(0x17F0000, 0x1800000), 16);
	KT_EXPECT_EQ(t, pmm_give_back(0x17F0000, 0x1800000), 0);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0);
	checked(t);
	struct pmm_zone_stats st;
	pmm_zone_stats(PMM_NORMAL, &st);
	KT_EXPECT_EQ(t, st.free_blocks[PMM_MAX_ORDER], 2);
	KT_EXPECT_EQ(t, pmm_take_range(0x2000, 0x1000, &res), -EINVAL);
}

PMM_CASE(dma_window_relocates_allocated_pages)
{
	struct pmm_take_result res;
	struct pmm_frame_info fi;

	KT_ASSERT_EQ(t, pmm_init(simple, 1, meta, sizeof(meta), NULL), 0);
	/* Fill DMA, so that NORMAL requests stay in 16-24 MiB. */
	while (pmm_alloc(1, PMM_ZONE_DMA, PMM_OWNER_TEST) != PMM_NO_PAGE)
		;
	KT_EXPECT_EQ(t, pmm_free_pages(), 2048);
	/* The window: [20 MiB + 4K, 20 MiB + 44K), 10 pages. */
	const paddr_t ws = 20 * MiB + 0x1000, we = 20 * MiB + 0xB000;

	/* A pinned page in the window makes it immovable. */
	paddr_t pinned = pmm_alloc(0, PMM_ZONE_NORMAL | PMM_PINNED,
				   PMM_OWNER_PAGE_TABLE);
	KT_EXPECT_EQ(t, pinned, 20 * MiB); /* LIFO: the last 4 MiB block */
	KT_ASSERT_EQ(t, pmm_take_range(pinned, pinned + 1, &res), 0);
	KT_EXPECT_EQ(t, res.busy, 1);
	KT_EXPECT_EQ(t, res.immovable, 1);
	KT_EXPECT_EQ(t, res.taken, 0);
	KT_EXPECT_EQ(t, pmm_relocate_begin(pinned), PMM_NO_PAGE);
	KT_EXPECT(t, strstr_ok(pmm_last_error(), "pinned"));
	KT_EXPECT_EQ(t, pmm_free(pinned, 0), 0);
	checked(t);

	/* Mapped sbrk-like blocks, partly inside the window:
	 * v1 [20M, +8K)  v2 [+8K, +12K)  v3 [+16K, +32K). */
	paddr_t v1 = pmm_alloc(1, PMM_ZONE_NORMAL, PMM_OWNER_SBRK);
	paddr_t v2 = pmm_alloc(0, PMM_ZONE_NORMAL, PMM_OWNER_SBRK);
	paddr_t v3 = pmm_alloc(2, PMM_ZONE_NORMAL, PMM_OWNER_SBRK);
	KT_EXPECT_EQ(t, v1, 20 * MiB);
	KT_EXPECT_EQ(t, v2, 20 * MiB + 0x2000);
	KT_EXPECT_EQ(t, v3, 20 * MiB + 0x4000);
	KT_ASSERT_EQ(t, pmm_set_mapping(v1, 2, 0x10000000 + v1), 0);
	KT_ASSERT_EQ(t, pmm_set_mapping(v2, 1, 0x10000000 + v2), 0);
	KT_ASSERT_EQ(t, pmm_set_mapping(v3, 4, 0x10000000 + v3), 0);
	size_t before = pmm_free_pages();
	KT_ASSERT_EQ(t, pmm_take_range(ws, we, &res), 0);
	KT_EXPECT_EQ(t, res.immovable, 0);
	KT_EXPECT_EQ(t, res.busy, 6);
	KT_EXPECT_EQ(t, res.taken, 4);
	KT_EXPECT_EQ(t, pmm_free_pages(), before - res.taken);
	checked(t);

	/* The caller's loop: relocate every movable block in the range. */
	paddr_t cur = ws;
	unsigned moved = 0, visits = 0;
	int more;
	while ((more = pmm_range_next(ws, we, &cur, &fi)) == 1) {
		visits++;
		KT_ASSERT(t, visits < 64);
		if (fi.owner == PMM_OWNER_DMA_TAKEN || !fi.ram)
			continue;
		KT_ASSERT(t, fi.movable);
		paddr_t old = fi.head;
		vaddr_t va0 = 0x10000000 + old;
		paddr_t nw = pmm_relocate_begin(old);
		if (!KT_EXPECT_MSG(t, nw != PMM_NO_PAGE, "%s",
				   pmm_last_error()))
			return;
		KT_EXPECT(t, nw + (PAGE_SIZE << fi.order) <= ws || nw >= we);
		/* Metadata moved: the new block has the owner and mappings. */
		struct pmm_frame_info ni;
		paddr_t last = nw + (PAGE_SIZE << fi.order) - PAGE_SIZE;
		KT_EXPECT_EQ(t, pmm_frame_info(last, &ni), 0);
		KT_EXPECT_EQ(t, ni.owner, PMM_OWNER_SBRK);
		KT_EXPECT_EQ(t, ni.va, va0 + (last - nw));
		KT_EXPECT_EQ(t, ni.head, nw);
		KT_EXPECT_EQ(t, ni.order, fi.order);
		KT_EXPECT_EQ(t, pmm_frame_info(old, &ni), 0);
		KT_EXPECT(t, ni.relocating && !ni.movable);
		KT_EXPECT_EQ(t, ni.va, 0);
		KT_EXPECT_EQ(t, pmm_free(old, fi.order), -EINVAL);
		checked(t);
		/* (the caller copies the data and remaps va0 here) */
		KT_EXPECT_EQ(t, pmm_relocate_end(old, ws, we), 0);
		checked(t);
		moved++;
	}
	KT_EXPECT_EQ(t, more, 0);
	KT_EXPECT_EQ(t, moved, 3);
	for (paddr_t pa = ws; pa < we; pa += PAGE_SIZE)
		KT_EXPECT_EQ(t, owner_at(pa), PMM_OWNER_DMA_TAKEN);
	/* v1's frame outside the window came back to the allocator (and
	 * was reused, LIFO, as v2's new home). Free: 4 pages taken, 7 in
	 * replacements, 1 returned. */
	KT_EXPECT_NE(t, owner_at(ws - PAGE_SIZE), PMM_OWNER_DMA_TAKEN);
	KT_EXPECT_EQ(t, pmm_free_pages(), before - 4 - 7 + 1);
	checked(t);
	/* Unmap: everything comes back. */
	KT_EXPECT_EQ(t, pmm_give_back(ws, we), 10);
	KT_EXPECT_EQ(t, pmm_free_pages(), before);
	checked(t);
}

PMM_CASE(relocation_abort_and_refusals)
{
	KT_ASSERT_EQ(t, pmm_init(simple, 1, meta, sizeof(meta), NULL), 0);
	KT_ASSERT_EQ(t, pmm_reserve(MiB, 2 * MiB, PMM_OWNER_KERNEL_IMAGE), 0);
	paddr_t a = pmm_alloc(2, PMM_ZONE_NORMAL, PMM_OWNER_ANON);
	KT_ASSERT(t, a != PMM_NO_PAGE);
	KT_ASSERT_EQ(t, pmm_set_mapping(a, 4, 0x20000000), 0);
	size_t free0 = pmm_free_pages();
	paddr_t n = pmm_relocate_begin(a);
	KT_ASSERT(t, n != PMM_NO_PAGE);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0 - 4);
	KT_EXPECT_EQ(t, pmm_relocate_begin(a), PMM_NO_PAGE); /* twice */
	KT_EXPECT_EQ(t, pmm_relocate_abort(n, a), -EINVAL);  /* reversed */
	KT_EXPECT_EQ(t, pmm_relocate_abort(a, n), 0);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0);
	struct pmm_frame_info fi;
	KT_EXPECT_EQ(t, pmm_frame_info(a + 3 * PAGE_SIZE, &fi), 0);
	KT_EXPECT_EQ(t, fi.va, 0x20003000);
	KT_EXPECT(t, fi.movable && !fi.relocating);
	KT_EXPECT_EQ(t, pmm_relocate_end(a, 0, 0), -EINVAL); /* not moving */
	checked(t);
	/* Reserved kernel memory cannot move; a window over it says so. */
	struct pmm_take_result res;
	KT_EXPECT_EQ(t, pmm_relocate_begin(MiB), PMM_NO_PAGE);
	KT_ASSERT_EQ(t, pmm_take_range(MiB + 0x10000, MiB + 0x20000, &res), 0);
	KT_EXPECT_EQ(t, res.immovable, 16);
	KT_EXPECT_EQ(t, pmm_give_back(MiB + 0x10000, MiB + 0x20000), 0);
	/* Relocation outside the window returns the whole old block. */
	n = pmm_relocate_begin(a);
	KT_ASSERT(t, n != PMM_NO_PAGE);
	KT_EXPECT_EQ(t, pmm_relocate_end(a, 0x100000, 0x100000), 0);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0);
	KT_EXPECT_EQ(t, pmm_free(n, 2), 0);
	KT_EXPECT_EQ(t, pmm_free_pages(), free0 + 4);
	checked(t);
}

/* ---------------------------------------------------------- random maps */

/* A frame is RAM iff it is a whole page of some usable entry and no
 * non-usable entry touches it: the rule pmm_init() documents. */
static bool model_ram(const struct boot_mem_region *m, unsigned n, uint64_t pa)
{
	bool usable = false;

	for (unsigned i = 0; i < n; i++) {
		uint64_t s = m[i].base, e = m[i].base + m[i].size;
		if (!m[i].size)
			continue;
		if (m[i].type == BOOT_MEM_USABLE) {
			usable |= s <= pa && pa + PAGE_SIZE <= e;
		} else if (s < pa + PAGE_SIZE && pa < e) {
			return false;
		}
	}
	return usable;
}

PMM_CASE(random_maps_match_page_model)
{
	static struct boot_mem_region m[12];
	static uint8_t ram[NFRAMES];
	unsigned maps = 0, empty = 0;

	rng = 0x1234567887654321ull;
	for (unsigned round = 0; round < 150; round++) {
		unsigned n = 1 + rnd(ARRAY_SIZE(m));
		for (unsigned i = 0; i < n; i++) {
			/* Page-ish or byte-unaligned bases and sizes inside
			 * 24 MiB, sometimes zero-length, sometimes >4 GiB. */
			uint64_t base = (uint64_t)rnd(24 * MiB / 512) * 512;
			uint64_t size = rnd(8) == 0 ? 0
					: rnd(2) ? (uint64_t)rnd(64) * PAGE_SIZE
						 : rnd(4 * MiB) + 1;
			if (rnd(10) == 0)
				base += 0x100000000ull;
			if (base < 0x100000000ull && base + size > 24 * MiB)
				size = 24 * MiB - base;
			m[i].base = base;
			m[i].size = size;
			m[i].type = rnd(3) ? BOOT_MEM_USABLE
					   : (enum boot_mem_type)(2 + rnd(4));
		}
		size_t want = 0, zone_want[PMM_NR_ZONES] = {0, 0, 0};
		for (uint32_t f = 0; f < NFRAMES; f++) {
			ram[f] = model_ram(m, n, (uint64_t)f * PAGE_SIZE);
			want += ram[f];
			if (ram[f])
				zone_want[f < 256 ? 0 : f < 4096 ? 1 : 2]++;
		}
		struct pmm_init_report rep;
		int rc = pmm_init(m, n, meta, sizeof(meta), &rep);
		if (!want) {
			KT_EXPECT_EQ(t, rc, -ENOENT);
			empty++;
			continue;
		}
		maps++;
		if (!KT_EXPECT_EQ(t, rc, 0))
			return;
		KT_EXPECT_EQ(t, rep.usable_bytes, (uint64_t)want * PAGE_SIZE);
		for (unsigned z = 0; z < PMM_NR_ZONES; z++)
			KT_EXPECT_EQ(t, rep.zone_pages[z], zone_want[z]);
		KT_EXPECT(t, rep.meta_bytes <= NFRAMES * PMM_META_PER_FRAME);
		if (!checked(t))
			return;
		for (uint32_t f = rep.span_start / PAGE_SIZE;
		     f < rep.span_end / PAGE_SIZE; f++) {
			struct pmm_frame_info fi;
			KT_ASSERT_EQ(t, pmm_frame_info(f * PAGE_SIZE, &fi), 0);
			if (!KT_EXPECT_EQ(t, fi.ram, ram[f]))
				return;
		}
		/* Everything the model calls RAM can be allocated, once. */
		size_t got = 0;
		static const unsigned pol[] = {PMM_ZONE_NORMAL, PMM_ZONE_LOW};
		for (unsigned p = 0; p < 2; p++) {
			for (;;) {
				unsigned k = rnd(3);
				paddr_t pa =
					pmm_alloc(k, pol[p], PMM_OWNER_TEST);
				if (pa == PMM_NO_PAGE)
					pa = pmm_alloc(k = 0, pol[p],
						       PMM_OWNER_TEST);
				if (pa == PMM_NO_PAGE)
					break;
				for (uint32_t j = 0; j < (1u << k); j++) {
					uint32_t f =
						(uint32_t)(pa / PAGE_SIZE) + j;
					if (!KT_EXPECT(t,
						       f < NFRAMES && ram[f]))
						return;
					ram[f] = 0;
				}
				got += (size_t)1 << k;
			}
		}
		KT_EXPECT_EQ(t, got, want);
		KT_EXPECT_EQ(t, pmm_free_pages(), 0);
		if (!checked(t))
			return;
	}
	ktest_log(t, "%u random maps checked page by page, %u without RAM",
		  maps, empty);
	KT_EXPECT(t, maps > 100);
}
