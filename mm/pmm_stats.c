/*
 * What the PMM tells about itself (see <mm/pmm.h>): per-zone statistics,
 * the names of owners and zones, and the reason for the last failure.
 */
#include <kernel/printk.h>
#include <mm/pmm.h>
#include <stdarg.h>
#include <string.h>

#include "pmm_internal.h"

/* ------------------------------------------------------------ errors */

/* Written by the failing call, under the PMM lock: the text, or for
 * exhaustion the numbers, made into text by pmm_last_error(). */
static char err_text[192];
struct pmm_exhaustion pmm_exhaustion;

void pmm_set_err(const char *fmt, ...)
{
	va_list ap;

	pmm_exhaustion.pending = false;
	va_start(ap, fmt);
	vsnprintf(err_text, sizeof(err_text), fmt, ap);
	va_end(ap);
}

const char *pmm_last_error(void)
{
	mm_lock_t s = mm_lock();
	if (pmm_exhaustion.pending) {
		const struct pmm_exhaustion *e = &pmm_exhaustion;
		int largest =
			e->nonempty ? 31 - __builtin_clz(e->nonempty) : -1;
		int n = snprintf(
			err_text, sizeof(err_text),
			"%s %s%s exhausted: no free block of order %u ",
			e->fallback ? "zones" : "zone", pmm_zone_name(e->zone),
			e->fallback ? " and DMA" : "", e->order);
		if (n > 0 && (size_t)n < sizeof(err_text))
			snprintf(err_text + n, sizeof(err_text) - (size_t)n,
				 largest < 0 ? "(no free pages)"
					     : "(largest free order %d)",
				 largest);
		pmm_exhaustion.pending = false;
	}
	mm_unlock(s);
	return err_text;
}

/* ------------------------------------------------------------ names */

static const char *const owner_names[PMM_NR_OWNERS] = {
	[PMM_OWNER_FREE] = "free",
	[PMM_OWNER_RESERVED] = "reserved",
	[PMM_OWNER_KERNEL_IMAGE] = "kernel image",
	[PMM_OWNER_MODULE] = "module",
	[PMM_OWNER_BOOTDATA] = "boot data",
	[PMM_OWNER_KHEAP] = "kernel heap",
	[PMM_OWNER_PMM_META] = "frame metadata",
	[PMM_OWNER_LOWMEM] = "low memory",
	[PMM_OWNER_PAGE_TABLE] = "page table",
	[PMM_OWNER_SBRK] = "sbrk",
	[PMM_OWNER_DMA_TAKEN] = "DMA window",
	[PMM_OWNER_ANON] = "anonymous",
	[PMM_OWNER_DMA_BUFFER] = "DMA buffer",
	[PMM_OWNER_TEST] = "test",
};

const char *pmm_owner_name(enum pmm_owner owner)
{
	return (unsigned)owner < PMM_NR_OWNERS ? owner_names[owner] : "?";
}

static const char *const zone_names[PMM_NR_ZONES] = {"LOW", "DMA", "NORMAL"};

const char *pmm_zone_name(enum pmm_zone zone)
{
	return (unsigned)zone < PMM_NR_ZONES ? zone_names[zone] : "?";
}

/* ------------------------------------------------------------ statistics */

void pmm_zone_stats(enum pmm_zone zone, struct pmm_zone_stats *out)
{
	mm_lock_t s = mm_lock();

	memset(out, 0, sizeof(*out));
	if (pmm.ready && (unsigned)zone < PMM_NR_ZONES) {
		const struct zone *z = &pmm.z[zone];
		if (z->lo < z->hi) {
			out->start = idx_pa(z->lo);
			out->end = idx_pa(z->hi);
		}
		out->total_pages = z->total;
		out->free_pages = z->free;
		for (unsigned k = 0; k < PMM_NR_ORDERS; k++)
			out->free_blocks[k] = z->nblocks[k];
		out->allocs = z->allocs;
		out->frees = z->frees;
		out->failures = z->failures;
	}
	mm_unlock(s);
}

size_t pmm_free_pages(void)
{
	mm_lock_t s = mm_lock();
	size_t n = 0;

	if (pmm.ready)
		n = pmm.z[0].free + pmm.z[1].free + pmm.z[2].free;
	mm_unlock(s);
	return n;
}
