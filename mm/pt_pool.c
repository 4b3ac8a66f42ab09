/*
 * Page-table pages before the physical memory manager exists: a fixed pool
 * in the kernel image (identity-mapped, so a table's virtual address is its
 * physical one). Exhaustion is an ordinary -ENOMEM for the MMU caller.
 * The PMM takes this role over once it is written (see docs/memory.md).
 */
#include <arch/irq.h>
#include <arch/mmu.h>
#include <string.h>

#define PT_POOL_PAGES 96

static unsigned char pool[PT_POOL_PAGES][PAGE_SIZE]
	__attribute__((aligned(PAGE_SIZE)));
static unsigned pool_used;

void *mm_page_table_alloc(void)
{
	irq_state_t s = arch_irq_save();
	void *page = NULL;

	if (pool_used < PT_POOL_PAGES)
		page = pool[pool_used++];
	arch_irq_restore(s);
	if (page)
		memset(page, 0, PAGE_SIZE);
	return page;
}
