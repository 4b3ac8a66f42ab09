/*
 * The code region's pages (see <mm/code_region.h>).
 *
 *   region_start  +------------------------------+
 *                 | code pages   read + execute  |  code_region_alloc
 *                 |   (first fit, a bitmap)      |
 *   window        +------------------------------+
 *                 | write window read + write    |  WINDOW_PAGES, mapped
 *                 |   (never executable on ARM)  |  only inside a write
 *   region end    +------------------------------+  0xFFFFF000
 *
 * A bitmap of the code pages, first fit: the region is small (16 MiB is
 * 4,096 pages, a 512-byte map) and allocations are rare (a chunk of a
 * program's code heap, a few pages at a time), so a scan is enough.
 * Invariant: bit i set <=> page i is mapped, read-only and executable, to
 * a pinned frame of ours; the window pages are mapped only while mm/'s
 * lock is held by a write. Everything under mm/'s lock, which also
 * serialises the page table.
 *
 * Write xor execute: code pages are never writable. Bytes reach them
 * through the window, a second mapping of the same frames, writable and
 * (on ARM) execute-never, unmapped again with a TLB shootdown before the
 * lock is released. The executable mapping never changes from map to
 * unmap, so code that other CPUs run from the same pages (other functions
 * of a chunk: the compiler adds functions one at a time, on their first
 * call, while the program's other threads run) is never made
 * non-executable under them, which flipping the page's own permissions
 * would do.
 */
#include <arch/icache.h>
#include <arch/mmu.h>
#include <kernel/printk.h>
#include <lib/compiler.h>
#include <lib/err.h>
#include <mm/code_region.h>
#include <mm/pmm.h>
#include <string.h>

#include "mm_lock.h"

#define MAP_WORDS ((CODE_REGION_SIZE / PAGE_SIZE + 31) / 32 + 1)

/* The write window: 32 KiB, so a function's copy is one shootdown most
 * of the time (a chunk is 16 KiB); bigger writes go a window at a time. */
#define WINDOW_PAGES 8u

static uintptr_t region_start;
static size_t region_pages; /* code pages; 0 until code_region_init */
static uintptr_t window;    /* WINDOW_PAGES above the code pages */
static uint32_t used_map[MAP_WORDS];
static size_t used_pages;
static unsigned long allocs, frees, failures, writes, write_failures;

void code_region_init(uintptr_t start)
{
	if (CODE_REGION_SIZE / PAGE_SIZE <= WINDOW_PAGES)
		return; /* no room for code: every allocation fails */
	region_start = start;
	region_pages = CODE_REGION_SIZE / PAGE_SIZE - WINDOW_PAGES;
	window = start + region_pages * PAGE_SIZE;
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

static int write_locked(uintptr_t at, const uint8_t *from, size_t len);

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
		/* Never writable here: written through the window only. */
		if (arch_mmu_map(p, pa, 1, MMU_READ | MMU_EXEC) < 0) {
			pmm_free(pa, 0);
			goto fail;
		}
		pmm_set_mapping(pa, 1, p);
	}
	mark(first, pages, true);
	/* Zeroed, not whatever the frames held: no stale bytes executable */
	if (write_locked(va, NULL, pages * PAGE_SIZE) < 0) {
		mark(first, pages, false);
		goto fail;
	}
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

/* The frame behind code page va, or PMM_NO_PAGE if va is not a mapped
 * code page of the region; lock held. */
static paddr_t code_frame(uintptr_t va)
{
	paddr_t pa;
	size_t i = (va - region_start) / PAGE_SIZE;

	if (va < region_start || i >= region_pages || !page_used(i) ||
	    arch_mmu_query(va, &pa, NULL) < 0)
		return PMM_NO_PAGE;
	return pa & ~(paddr_t)(PAGE_SIZE - 1);
}

/* Write len bytes (src, or zeros if src is NULL) at code address dst, all
 * in one window's reach: map the frames writable at the window, copy,
 * unmap (a shootdown: no CPU keeps a writable translation). Lock held. */
static int write_through_window(uintptr_t dst, const uint8_t *src, size_t len)
{
	uintptr_t first = ALIGN_DOWN(dst, (uintptr_t)PAGE_SIZE);
	size_t pages = (dst + len - first + PAGE_SIZE - 1) / PAGE_SIZE;
	int rc = 0;

	for (size_t i = 0; i < pages; i++) {
		paddr_t pa = code_frame(first + i * PAGE_SIZE);
		if (pa == PMM_NO_PAGE) {
			rc = -EINVAL;
			break;
		}
		rc = arch_mmu_map(window + i * PAGE_SIZE, pa, 1,
				  MMU_READ | MMU_WRITE);
		if (rc < 0)
			break;
	}
	if (rc == 0) {
		uint8_t *to = (uint8_t *)(window + (dst - first));
		if (src)
			memcpy(to, src, len);
		else
			memset(to, 0, len);
	}
	arch_mmu_unmap(window, pages);
	return rc;
}

/* code_region_write's copy (lock held): window by window, each range
 * made fetchable as instructions once written. */
static int write_locked(uintptr_t at, const uint8_t *from, size_t len)
{
	int rc = 0;

	while (len && rc == 0) {
		/* up to the window's end, counted from at's page */
		size_t room = WINDOW_PAGES * PAGE_SIZE - (at % PAGE_SIZE);
		size_t n = len < room ? len : room;
		rc = write_through_window(at, from, n);
		if (rc == 0)
			arch_sync_icache((const void *)at, n);
		at += n;
		from = from ? from + n : NULL;
		len -= n;
	}
	if (rc == 0)
		writes++;
	else
		write_failures++;
	return rc;
}

int code_region_write(void *dst, const void *src, size_t len)
{
	uintptr_t at = (uintptr_t)dst;

	if (!region_start || at < region_start ||
	    at >= region_start + region_pages * PAGE_SIZE ||
	    len > region_start + region_pages * PAGE_SIZE - at)
		return -EINVAL;
	mm_lock_t s = mm_lock();
	int rc = write_locked(at, src, len);
	mm_unlock(s);
	return rc;
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
	out->writes = writes;
	out->write_failures = write_failures;
	out->window = window;
	mm_unlock(s);
}
