/*
 * Low-memory allocator: a 256-bit page map of conventional memory with
 * first-fit runs. At most 256 pages exist, so a linear scan is both the
 * simplest and a bounded-time choice.
 *
 * Invariants: used ⊆ usable; run[p] > 0 exactly at the first page p of each
 * live allocation, and pages p .. p+run[p]-1 are used; used_pages is the
 * number of used bits.
 */
#include <arch/irq.h>
#include <lib/err.h>
#include <mm/lowmem.h>
#include <string.h>

#include "mm_lock.h"

#define PAGE 4096u

struct lowmem kernel_lowmem;

static bool bit(const uint8_t *map, unsigned i)
{
	return (map[i / 8] >> (i % 8)) & 1;
}

static void set_bit(uint8_t *map, unsigned i, bool v)
{
	if (v)
		map[i / 8] |= (uint8_t)(1u << (i % 8));
	else
		map[i / 8] &= (uint8_t) ~(1u << (i % 8));
}

void lowmem_init(struct lowmem *lm, uintptr_t ptr_base)
{
	memset(lm, 0, sizeof(*lm));
	lm->ptr_base = ptr_base;
	lm->last_error = "no error";
}

int lowmem_add_page(struct lowmem *lm, uintptr_t phys)
{
	unsigned page = (unsigned)(phys / PAGE);

	if (phys % PAGE || phys >= (uintptr_t)LOWMEM_PAGES * PAGE || page == 0)
		return -EINVAL;
	if (!bit(lm->usable, page)) {
		set_bit(lm->usable, page, true);
		lm->usable_pages++;
	}
	return 0;
}

static void *fail(struct lowmem *lm, const char *why)
{
	lm->failures++;
	lm->last_error = why;
	return NULL;
}

static void *alloc_locked(struct lowmem *lm, size_t size, uintptr_t *phys);

/* Any context: the map is updated with IRQs off, so processes preempting
 * each other (VM86 callers) and handlers never see it half-changed. */
void *lowmem_alloc(struct lowmem *lm, size_t size, uintptr_t *phys)
{
	mm_lock_t s = mm_lock();
	void *p = alloc_locked(lm, size, phys);
	mm_unlock(s);
	return p;
}

static void *alloc_locked(struct lowmem *lm, size_t size, uintptr_t *phys)
{
	if (size == 0)
		return fail(lm, "zero-sized request");
	if (size > (size_t)LOWMEM_PAGES * PAGE)
		return fail(lm, "request larger than low memory");
	unsigned need = (unsigned)((size + PAGE - 1) / PAGE);
	if (need > lm->usable_pages - lm->used_pages)
		return fail(lm, "low memory exhausted");

	unsigned start = 0, len = 0;
	for (unsigned p = 1; p < LOWMEM_PAGES; p++) {
		if (!bit(lm->usable, p) || bit(lm->used, p)) {
			len = 0;
			continue;
		}
		if (len++ == 0)
			start = p;
		if (len == need) {
			for (unsigned i = start; i < start + need; i++)
				set_bit(lm->used, i, true);
			lm->run[start] = (uint8_t)
				need; /* <= 255: page 0 is never usable */
			lm->used_pages += need;
			lm->allocs++;
			if (phys)
				*phys = (uintptr_t)start * PAGE;
			return (void *)(lm->ptr_base + (uintptr_t)start * PAGE);
		}
	}
	return fail(lm,
		    "low memory fragmented: no contiguous run large enough");
}

int lowmem_free(struct lowmem *lm, void *p)
{
	uintptr_t off = (uintptr_t)p - lm->ptr_base;
	unsigned page = (unsigned)(off / PAGE);
	mm_lock_t s = mm_lock();

	if ((uintptr_t)p < lm->ptr_base || off % PAGE ||
	    off >= (uintptr_t)LOWMEM_PAGES * PAGE || lm->run[page] == 0) {
		lm->last_error =
			"free of a pointer that is not a live allocation";
		mm_unlock(s);
		return -EINVAL;
	}
	unsigned n = lm->run[page];
	for (unsigned i = page; i < page + n; i++)
		set_bit(lm->used, i, false);
	lm->run[page] = 0;
	lm->used_pages -= n;
	lm->frees++;
	mm_unlock(s);
	return 0;
}

const char *lowmem_last_error(const struct lowmem *lm)
{
	return lm->last_error;
}
