/*
 * alloc_bench adapter for the sbrk-heap malloc (mm/malloc.c on mm/sbrk.c
 * and mm/tlsf.c): the heap area is the harness's region, grown and shrunk
 * page by page through the project's sbrk code.
 *
 * What is stubbed, and why: on the host there is no MMU to map pages, and
 * the PMM's reverse map cannot record the harness's (64-bit, high) region
 * addresses, so the MMU calls succeed without mapping (the region is
 * already memory) and frames are counted, not managed. The figures thus
 * cover malloc, the TLSF pool's growth and trimming, and sbrk's own work
 * (zeroing every new page), not page-table or PMM costs, which the page
 * benchmark and the in-kernel tests cover.
 *
 * Built by scripts/bench (make bench).
 */
#include "alloc_bench.h"

#include <arch/mmu.h>
#include <lib/err.h>
#include <mm/malloc.h>
#include <mm/pmm.h>
#include <mm/sbrk.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- stubs for what the host lacks (see above) ---- */

int host_irqs_enabled = 1;
static size_t frames_out;

int arch_mmu_map(vaddr_t va, paddr_t pa, size_t count, unsigned flags)
{
	return 0;
}

int arch_mmu_unmap(vaddr_t va, size_t count)
{
	return 0;
}

/* Identity: the frame "mapped" at va is va's page. */
int arch_mmu_query(vaddr_t va, paddr_t *pa, unsigned *flags)
{
	if (pa)
		*pa = va;
	return 0;
}

paddr_t pmm_alloc(unsigned order, unsigned flags, enum pmm_owner owner)
{
	frames_out += (size_t)1 << order;
	return 0x1000; /* any page-aligned frame: never dereferenced */
}

int pmm_free(paddr_t pa, unsigned order)
{
	frames_out -= (size_t)1 << order;
	return 0;
}

int pmm_set_mapping(paddr_t pa, size_t pages, vaddr_t va)
{
	return 0;
}

const char *pmm_last_error(void)
{
	return "";
}

uintptr_t dma_area_floor(const struct dma_area *a)
{
	return (uintptr_t)-1;
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}

/* ---- the adapter ---- */

static struct sbrk_heap heap;
static struct heap_malloc m;

static int sm_init(void *region, size_t size)
{
	uintptr_t start = ((uintptr_t)region + 4095) & ~(uintptr_t)4095;
	sbrk_heap_init(&heap, start, (uintptr_t)region + size, NULL);
	return heap_malloc_init(&m, &heap);
}

/* The opt-in configuration: small-object caches (<mm/malloc.h>). */
static int sm_init_cached(void *region, size_t size)
{
	int err = sm_init(region, size);
	return err ? err : heap_malloc_enable_cache(&m);
}

static void *sm_malloc(size_t size)
{
	return heap_malloc(&m, size);
}

static void sm_free(void *p)
{
	heap_free(&m, p);
}

static void *sm_realloc(void *p, size_t size)
{
	return heap_realloc(&m, p, size);
}

static size_t sm_footprint(void)
{
	return heap.brk - heap.start;
}

const alloc_bench_ops bench_sbrk_malloc_ops = {
	.name = "sbrk-malloc",
	.uses_region = 1,
	.init = sm_init,
	.malloc = sm_malloc,
	.free = sm_free,
	.realloc = sm_realloc,
	.footprint = sm_footprint,
};

const alloc_bench_ops bench_sbrk_malloc_cached_ops = {
	.name = "sbrk-malloc-cached",
	.uses_region = 1,
	.init = sm_init_cached,
	.malloc = sm_malloc,
	.free = sm_free,
	.realloc = sm_realloc,
	.footprint = sm_footprint,
};
