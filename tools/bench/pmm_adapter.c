/*
 * page_bench adapter for the PMM (mm/pmm*.c): ../shared/bench/alloc/page_bench.
 *
 * The simulated range becomes a one-entry memory map; its metadata comes
 * from malloc. Limits map to zone policies the way the harness's baselines
 * read them ("the highest zone wholly below the limit first, then lower
 * ones"): no limit -> PMM_ZONE_NORMAL (NORMAL, then DMA), then LOW; the
 * 16 MiB limit -> PMM_ZONE_DMA, then LOW; the 1 MiB limit -> PMM_ZONE_LOW.
 * The LOW fallback is the adapter's doing: the kernel's general allocator
 * never hands out LOW frames. So that a request no zone can meet costs one
 * pmm_alloc() (the kernel's failing path, its exhaustion record included)
 * and not two, the adapter remembers from which order LOW last failed
 * (a zone that cannot give order k cannot give more) until a LOW frame is
 * freed: only public calls, and exact, since LOW gains frames only
 * through this adapter's frees.
 *
 * Build (host, from the project root; a hosted build needs no lock macro):
 *   gcc -O2 -std=gnu11 -Ikernel/include -Ilib/include -Iarch/include \
 *       -Imm/include -I../shared/bench/alloc -o /tmp/pb \
 *       ../shared/bench/alloc/page_bench.c tools/bench/pmm_adapter.c \
 *       mm/pmm*.c
 *   /tmp/pb -r 5
 */
#include <mm/pmm.h>
#include <page_bench.h>
#include <stdlib.h>

static void *meta;
/* Orders LOW is known not to have (see above): bit k set = order k fails. */
static uint32_t low_fails;

static int pmm_pb_init(uint64_t base_pfn, uint64_t npages)
{
	struct boot_mem_region r = {base_pfn << PAGE_SHIFT,
				    npages << PAGE_SHIFT, BOOT_MEM_USABLE};
	size_t need = pmm_metadata_bytes(&r, 1);

	free(meta);
	meta = malloc(need);
	low_fails = 0;
	if (!meta)
		return -1;
	return pmm_init(&r, 1, meta, need, NULL) ? -1 : 0;
}

static void pmm_pb_fini(void)
{
	free(meta);
	meta = NULL;
}

static unsigned order_of(uint64_t count)
{
	return count <= 1 ? 0 : 64u - (unsigned)__builtin_clzll(count - 1);
}

static uint64_t pmm_pb_alloc(uint64_t count, uint64_t limit_pfn)
{
	unsigned k = order_of(count);
	paddr_t pa;

	if (limit_pfn == PB_NOLIMIT) {
		pa = pmm_alloc(k, PMM_ZONE_NORMAL, PMM_OWNER_TEST);
		if (pa != PMM_NO_PAGE)
			return (uint64_t)pa >> PAGE_SHIFT;
	} else if (limit_pfn == PB_LIMIT_DMA) {
		pa = pmm_alloc(k, PMM_ZONE_DMA, PMM_OWNER_TEST);
		if (pa != PMM_NO_PAGE)
			return (uint64_t)pa >> PAGE_SHIFT;
	} else if (limit_pfn != PB_LIMIT_LOW) {
		return PB_NOPAGE; /* only the harness's three limits */
	}
	if (low_fails >> k & 1)
		return PB_NOPAGE;
	pa = pmm_alloc(k, PMM_ZONE_LOW, PMM_OWNER_TEST);
	if (pa != PMM_NO_PAGE)
		return (uint64_t)pa >> PAGE_SHIFT;
	if (k <= PMM_MAX_ORDER)
		low_fails |= ~0u << k;
	return PB_NOPAGE;
}

static void pmm_pb_free(uint64_t pfn, uint64_t count)
{
	if (pfn < PMM_LOW_LIMIT >> PAGE_SHIFT)
		low_fails = 0; /* LOW may have the order again */
	pmm_free((paddr_t)(pfn << PAGE_SHIFT), order_of(count));
}

static uint64_t pmm_pb_free_count(void)
{
	return pmm_free_pages();
}

static const page_bench_ops pmm_ops = {
	"pmm",	      pmm_pb_init, pmm_pb_fini,
	pmm_pb_alloc, pmm_pb_free, pmm_pb_free_count,
};

const page_bench_ops *const page_bench_extra[] = {&pmm_ops, NULL};
