/*
 * Page-table pages. Before the kernel heap exists (the arch's boot identity
 * map, the first kernel-memory mappings) they come from a fixed pool in the
 * kernel image; afterwards from the kernel heap. Both are identity-mapped,
 * so a table's virtual address is its physical address, which the MMU
 * needs. Exhaustion is an ordinary NULL for the MMU caller (-ENOMEM).
 */
#include <arch/irq.h>
#include <arch/mmu.h>
#include <mm/kheap.h>
#include <string.h>

#include "mm_lock.h"

#define PT_POOL_PAGES 96

static unsigned char pool[PT_POOL_PAGES][PAGE_SIZE]
	__attribute__((aligned(PAGE_SIZE)));
static unsigned pool_used;
static unsigned long from_heap;

unsigned long mm_page_tables_from_heap(void)
{
	return from_heap;
}

void *mm_page_table_alloc(void)
{
	void *page = NULL;

	if (kheap_ready()) {
		page = kmalloc_aligned(PAGE_SIZE, PAGE_SIZE);
		if (page)
			__atomic_fetch_add(&from_heap, 1, __ATOMIC_RELAXED);
	} else {
		mm_lock_t s = mm_lock();
		if (pool_used < PT_POOL_PAGES)
			page = pool[pool_used++];
		mm_unlock(s);
	}
	if (page)
		memset(page, 0, PAGE_SIZE);
	return page;
}
