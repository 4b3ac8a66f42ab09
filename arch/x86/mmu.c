/*
 * x86 paging: the ONE page directory of the flat design.
 *
 *   0x00000000 +-----------------------------+
 *              | page 0: unmapped (NULL)     |
 *   0x00001000 +-----------------------------+
 *              | low memory        identity  |
 *   0x00100000 +-----------------------------+
 *              | kernel memory     identity  |  image, modules, boot data
 *   ident_end  +-----------------------------+
 *              | kernel heap, heap area,     |  mapped by mm/ through the
 *              | DMA windows                 |  calls below
 *   0xFFFFFFFF +-----------------------------+
 *
 * Two-level 4 KiB paging, no PAE: one directory, page tables taken from
 * mm_page_table_alloc(). The identity part covers everything the boot put in
 * memory; the guard page under the boot stack is left out.
 *
 * Every CPU uses this one directory. Changes to it are serialized by
 * mmu_lock (a ticket lock, IRQs off while held); removing or weakening a
 * present entry is followed by one arch_tlb_shootdown per call, which
 * reaches every running CPU. Adding an entry needs none: x86 does not
 * cache not-present translations. arch_mmu_query reads without the lock
 * (a 32-bit entry is read whole).
 */
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <arch/vm86.h>
#include <arch/x86.h>
#include <kernel/printk.h>
#include <kernel/ticket_lock.h>
#include <lib/compiler.h>
#include <lib/err.h>
#include <string.h>

#include "smp_x86.h"
#include "x86_internal.h"

#define PTE_P	 0x001u
#define PTE_W	 0x002u
#define PTE_U	 0x004u
#define PTE_PWT	 0x008u
#define PTE_PCD	 0x010u
#define PTE_ADDR 0xfffff000u

static uint32_t page_dir[1024] __attribute__((aligned(4096)));
static uintptr_t ident_end;
static struct ticket_lock mmu_lock = TICKET_LOCK_INIT;

/* Above this many pages a flush reloads CR3 instead of invlpg each. */
#define TLB_FULL_FLUSH_PAGES 32

void x86_df_tss_set_cr3(uint32_t cr3);
extern char boot_stack_guard[];

static uint32_t *table_for(vaddr_t va, bool create)
{
	uint32_t *pde = &page_dir[va >> 22];

	if (!(*pde & PTE_P)) {
		if (!create)
			return NULL;
		void *table = mm_page_table_alloc();
		if (!table)
			return NULL;
		memset(table, 0, PAGE_SIZE);
		/* Directory entries are permissive; the page entry decides. */
		*pde = (uint32_t)(uintptr_t)table | PTE_P | PTE_W;
	}
	return (uint32_t *)(uintptr_t)(*pde & PTE_ADDR);
}

static uint32_t pte_flags(unsigned flags)
{
	uint32_t f = PTE_P;

	if (flags & MMU_WRITE)
		f |= PTE_W;
	if (flags & (MMU_UNCACHED | MMU_WRITECOMBINE))
		f |= PTE_PCD | PTE_PWT; /* no PAT yet: write-combine = UC */
	return f;
}

int arch_mmu_map(vaddr_t va, paddr_t pa, size_t count, unsigned flags)
{
	if (!IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE) ||
	    !count || va + (count - 1) * PAGE_SIZE < va)
		return -EINVAL;

	irq_state_t s = ticket_lock_irqsave(&mmu_lock);
	int rc = 0;
	/* Check first, so a failure changes nothing. Tables created on the
	 * way stay (empty tables are harmless and reused). */
	for (size_t i = 0; i < count; i++) {
		uint32_t *pt = table_for(va + i * PAGE_SIZE, true);
		if (!pt) {
			rc = -ENOMEM;
			goto out;
		}
		if (pt[((va + i * PAGE_SIZE) >> 12) & 1023] & PTE_P) {
			rc = -EEXIST;
			goto out;
		}
	}
	for (size_t i = 0; i < count; i++) {
		vaddr_t v = va + i * PAGE_SIZE;
		uint32_t *pt = table_for(v, false);
		pt[(v >> 12) & 1023] =
			(uint32_t)(pa + i * PAGE_SIZE) | pte_flags(flags);
		invlpg(v);
	}
out:
	ticket_unlock_irqrestore(&mmu_lock, s);
	return rc;
}

int arch_mmu_unmap(vaddr_t va, size_t count)
{
	if (!IS_ALIGNED(va, PAGE_SIZE))
		return -EINVAL;
	bool cleared = false;
	irq_state_t s = ticket_lock_irqsave(&mmu_lock);
	for (size_t i = 0; i < count; i++) {
		vaddr_t v = va + i * PAGE_SIZE;
		uint32_t *pt = table_for(v, false);
		if (pt && (pt[(v >> 12) & 1023] & PTE_P)) {
			pt[(v >> 12) & 1023] = 0;
			cleared = true;
		}
	}
	ticket_unlock(&mmu_lock);
	/* One shootdown for the whole range, lock released (the other CPUs
	 * may be spinning on it; they would answer anyway). */
	if (cleared)
		arch_tlb_shootdown(va, count);
	arch_irq_restore(s);
	return 0;
}

int arch_mmu_query(vaddr_t va, paddr_t *pa, unsigned *flags)
{
	uint32_t *pt = table_for(va, false);
	uint32_t pte = pt ? pt[(va >> 12) & 1023] : 0;

	if (!(pte & PTE_P))
		return -ENOENT;
	if (pa)
		*pa = (pte & PTE_ADDR) | (va & (PAGE_SIZE - 1));
	if (flags) {
		*flags = MMU_READ | MMU_EXEC;
		if (pte & PTE_W)
			*flags |= MMU_WRITE;
		if (pte & PTE_PCD)
			*flags |= MMU_UNCACHED;
	}
	return 0;
}

void arch_mmu_flush(vaddr_t va, size_t count)
{
	arch_tlb_shootdown(va, count);
}

void x86_tlb_flush_local(vaddr_t va, size_t count)
{
	if (count == 0 || count > TLB_FULL_FLUSH_PAGES) {
		write_cr3(read_cr3());
		return;
	}
	for (size_t i = 0; i < count; i++)
		invlpg(va + i * PAGE_SIZE);
}

/* VM86 code runs at CPL 3: while a BIOS call runs, low memory must be
 * user-accessible and page 0 (IVT, BDA) mapped; afterwards page 0 is
 * unmapped again, so NULL dereferences fault, and low memory goes back to
 * supervisor-only. Calls are serialised by vm86.c's mutex (one for all
 * CPUs); both flushes are shootdowns, so no CPU keeps page 0 or a
 * user-accessible low-memory translation after the call. */
int x86_mmu_vm86_access(bool on)
{
	irq_state_t s = arch_irq_save();
	int rc = 0;

	if (on) {
		rc = arch_mmu_map(0, 0, 1, MMU_READ | MMU_WRITE | MMU_EXEC);
		if (rc < 0)
			goto out;
	}
	ticket_lock(&mmu_lock);
	uint32_t *pt = table_for(0, false);
	for (unsigned i = 0; pt && i < 256; i++) {
		if (pt[i] & PTE_P)
			pt[i] = on ? pt[i] | PTE_U : pt[i] & ~PTE_U;
	}
	page_dir[0] = on ? page_dir[0] | PTE_U : page_dir[0] & ~PTE_U;
	if (!on && pt)
		pt[0] = 0; /* page 0 */
	ticket_unlock(&mmu_lock);
	/* Every CPU: opening, in case the caller moves (vm86.c pins it, but a
	 * stale supervisor-only entry elsewhere would fault the BIOS code);
	 * closing, so no CPU keeps page 0 or user access to low memory. */
	arch_tlb_shootdown(0, 0);
out:
	arch_irq_restore(s);
	return rc;
}

/* Where the boot identity map must reach: past the kernel, the modules and
 * the loader's data. mm_init() maps the kernel heap and the rest of kernel
 * memory after it. */
static uintptr_t identity_end(const struct boot_info *bi)
{
	uintptr_t end = bi->kernel_end;

	for (unsigned i = 0; i < bi->module_count; i++)
		end = MAX(end, bi->modules[i].end);
	end = MAX(end, bi->bootdata_end);
	return ALIGN_UP(end, PAGE_SIZE);
}

void mmu_init(const struct boot_info *bi)
{
	ident_end = identity_end(bi);
	/* Page 0 stays unmapped so NULL dereferences fault. */
	int rc = arch_mmu_map(PAGE_SIZE, PAGE_SIZE, ident_end / PAGE_SIZE - 1,
			      MMU_READ | MMU_WRITE | MMU_EXEC);
	if (rc < 0)
		panic("paging: cannot identity-map 0-%#lx: %s",
		      (unsigned long)ident_end, err_name(rc));
	arch_mmu_unmap((vaddr_t)boot_stack_guard, 1);
	write_cr3((uint32_t)(uintptr_t)page_dir);
	x86_df_tss_set_cr3((uint32_t)(uintptr_t)page_dir);
	write_cr0(read_cr0() | CR0_PG | CR0_WP);
}
