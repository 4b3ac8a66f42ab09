/*
 * The code region's pages (see <mm/code_region.h>).
 *
 * A bitmap of the region's pages, first fit: the region is small (16 MiB
 * is 4,096 pages, a 512-byte map) and allocations are rare (a chunk of a
 * program's code heap, a few pages at a time), so a scan is enough.
 * Invariant: bit i set <=> page i is mapped to a pinned frame of ours.
 * Everything under mm/'s lock, which also serialises the page table.
 */
#include <arch/mmu.h>
#include <kernel/printk.h>
#include <lib/err.h>
#include <mm/code_region.h>
#include <mm/pmm.h>
#include <string.h>

#include "mm_lock.h"

#define MAP_WORDS ((CODE_REGION_SIZE / PAGE_SIZE + 31) / 32 + 1)

static uintptr_t region_start;
static size_t region_pages; /* 0 until code_region_init */
static uint32_t used_map[MAP_WORDS];
static size_t used_pages;
static unsigned long allocs, frees, failures;

void code_region_init(uintptr_t start)
{
	region_start = start;
	region_pages = CODE_REGION_SIZE / PAGE_SIZE;
}

static bool page_used(size_t i)
{
	return used_map[i / 32] & (1u << (i % 32));
}

static void mark(size_t first, size_t n, bool used)
{
	for (size_t i = first; i < first + n; i++) {
		if (used)
			used_map[i / 32] |= 1u << (i % 32);
		else
			used_map[i / 32] &= ~(1u << (i % 32));
	}
	used_pages = used ? used_pages + n : used_pages - n;
}

/* First run of n free pages: its index, or region_pages. */
static size_t find_run(size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < region_pages; i++) {
		run = page_used(i) ? 0 : run + 1;
		if (run == n)
			return i + 1 - n;
	}
	return region_pages;
}

/* Unmap [va, va + n pages) and free the frames behind it. */
static void unmap_free(uintptr_t va, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		paddr_t pa;
		uintptr_t p = va + i * PAGE_SIZE;
		if (arch_mmu_query(p, &pa, NULL) < 0)
			continue;
		pa &= ~(paddr_t)(PAGE_SIZE - 1);
		arch_mmu_unmap(p, 1);
		pmm_set_mapping(pa, 1, 0);
		pmm_free(pa, 0);
	}
}

void *code_region_alloc(size_t pages)
{
	if (!region_start || !pages || pages > region_pages)
		return NULL;
	mm_lock_t s = mm_lock();
	size_t first = find_run(pages);
	uintptr_t va = region_start + first * PAGE_SIZE;
	size_t mapped = 0;

	if (first == region_pages)
		goto fail;
	for (; mapped < pages; mapped++) {
		paddr_t pa = pmm_alloc(0, PMM_ZONE_NORMAL | PMM_PINNED,
				       PMM_OWNER_ANON);
		if (pa == PMM_NO_PAGE)
			goto fail;
		uintptr_t p = va + mapped * PAGE_SIZE;
		/* Writable and executable at once: functions of one program
		 * are added to a chunk while others in it run (ring 0 on x86
		 * without PAE cannot refuse execution anyway). */
		if (arch_mmu_map(p, pa, 1, MMU_READ | MMU_WRITE | MMU_EXEC) <
		    0) {
			pmm_free(pa, 0);
			goto fail;
		}
		pmm_set_mapping(pa, 1, p);
	}
	mark(first, pages, true);
	allocs++;
	mm_unlock(s);
	return (void *)va;
fail:
	if (mapped)
		unmap_free(va, mapped);
	failures++;
	mm_unlock(s);
	return NULL;
}

void code_region_free(void *va, size_t pages)
{
	uintptr_t p = (uintptr_t)va;

	if (!va)
		return;
	mm_lock_t s = mm_lock();
	size_t first = (p - region_start) / PAGE_SIZE;
	if (p < region_start || p % PAGE_SIZE || first + pages > region_pages)
		panic("code region: free of %zu pages at %#lx outside it",
		      pages, (unsigned long)p);
	unmap_free(p, pages);
	mark(first, pages, false);
	frees++;
	mm_unlock(s);
}

void code_region_get_stats(struct code_region_stats *out)
{
	mm_lock_t s = mm_lock();
	out->start = region_start;
	out->end = region_start ? region_start + CODE_REGION_SIZE : 0;
	out->pages_total = region_start ? region_pages : 0;
	out->pages_used = used_pages;
	out->allocs = allocs;
	out->frees = frees;
	out->failures = failures;
	mm_unlock(s);
}
