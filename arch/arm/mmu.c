/*
 * ARM short-descriptor translation: the ONE level-1 table of the flat
 * design (4096 entries, 1 MiB each), with level-2 tables of 256 4 KiB pages
 * where page granularity is needed.
 *
 *   0x00000000 +-----------------------------+
 *              | first MiB: unmapped (NULL)  |
 *   0x00100000 +-----------------------------+
 *              | MMIO: device, XN, sections  |  flash, GIC, UART, virtio, PCI
 *   0x40000000 +-----------------------------+  RAM start (ram_lo)
 *              | below the kernel  identity  |  U-Boot's DTB
 *              | kernel image      identity  |  .text RX, the rest RW XN,
 *              |                             |  minus the SVC stack guard
 *              | DTB, initrd       identity  |  moved here by boot.c
 *   ident_end  +-----------------------------+
 *              | kernel heap, heap area,     |  mapped by mm/ through the
 *              | DMA windows                 |  calls below
 *   0xFFFFFFFF +-----------------------------+
 *
 * Boot happens in two steps. arm_mmu_early() (MMU still off) maps all of
 * RAM with normal sections and MMIO with device sections so C code runs
 * with caches on. arm_mmu_init() (once the DTB is read) rebuilds the table
 * in the shape above, with the identity part in pages.
 *
 * Level-2 tables are 1 KiB; one page from mm_page_table_alloc() holds the
 * four tables of an aligned group of four level-1 entries, so a table's
 * page is found from any of its siblings.
 *
 * Several cores walk this one table (docs/smp.md, ARM section). Changes are
 * made under mm_tables_lock() (<mm/mm.h>: mm/'s own recursive lock, IRQs off,
 * shared with the allocators, since a map may take a table page from the
 * heap and the heap maps pages); each written entry is published to the walkers
 * (pt_publish: the walks are cacheable and shareable, TTBR_WALK_ATTRS, so
 * a DSB ISH suffices where ID_MMFR3 says walks are coherent, else the line
 * is cleaned to the point of unification first). Entries that were valid
 * are invalidated in every core's TLB by the inner-shareable operations
 * (arch_tlb_shootdown). A fault entry becoming valid needs no TLB
 * operation: faulting translations are never held in a TLB.
 */
#include <arch/arm_platform.h>
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <kernel/printk.h>
#include <lib/compiler.h>
#include <lib/err.h>
#include <mm/mm.h>
#include <string.h>

#define SECTION_SHIFT	  20
#define SECTION_SIZE	  (1u << SECTION_SHIFT)
#define SECTIONS	  4096
#define RAM_FIRST_SECTION (0x40000000u >> SECTION_SHIFT)
#define L2_ENTRIES	  256
#define L2_TABLE_BYTES	  1024

/* Level-1 descriptors. */
#define L1_TYPE_MASK 0x3u
#define L1_FAULT     0x0u
#define L1_TABLE     0x1u
#define L1_SECTION   0x2u
#define SECT_B	     (1u << 2)
#define SECT_C	     (1u << 3)
#define SECT_XN	     (1u << 4)
#define SECT_AP_RW   (3u << 10)
#define SECT_TEX1    (1u << 12)
#define SECT_AP2     (1u << 15)
#define SECT_S	     (1u << 16)
/* Normal, inner/outer write-back write-allocate, shareable. */
#define SECT_NORMAL                                                            \
	(L1_SECTION | SECT_AP_RW | SECT_TEX1 | SECT_C | SECT_B | SECT_S)
/* Shareable device, never executed. */
#define SECT_DEVICE (L1_SECTION | SECT_AP_RW | SECT_B | SECT_XN)

/* Level-2 small-page descriptors. */
#define PTE_XN	   (1u << 0)
#define PTE_SMALL  (1u << 1)
#define PTE_B	   (1u << 2)
#define PTE_C	   (1u << 3)
#define PTE_AP_RW  (3u << 4)
#define PTE_TEX1   (1u << 6)
#define PTE_AP2	   (1u << 9)
#define PTE_S	   (1u << 10)
#define PTE_ADDR   0xfffff000u
#define PTE_NORMAL (PTE_SMALL | PTE_AP_RW | PTE_TEX1 | PTE_C | PTE_B | PTE_S)

/* TTBR0 walk attributes: inner WBWA (IRGN 01), outer WBWA (RGN 01),
 * shareable. */
#define TTBR_WALK_ATTRS ((1u << 6) | (1u << 3) | (1u << 1))

static uint32_t l1_table[SECTIONS]
	__attribute__((aligned(16384), section(".bss.pagetable")));
/* The early map's level-2 tables for the guard page's group of sections. */
static uint32_t early_l2[4 * L2_ENTRIES] __attribute__((aligned(4096)));

extern char svc_stack_guard[];

/* Make the entry at `p`, just written, visible to every core's table
 * walks: without coherent walks (ID_MMFR3[23:20] = 0) clean its line to
 * the point of unification; then DSB ISH. */
static void pt_publish(const uint32_t *p)
{
	if (!((arm_read_id_mmfr3() >> 20) & 0xf)) {
		arm_dsb_ish();
		arm_write_dccmvau((uint32_t)(uintptr_t)p);
	}
	arm_dsb_ish();
}

bool arm_is_stack_guard(uintptr_t addr)
{
	return addr - (uintptr_t)svc_stack_guard < PAGE_SIZE;
}

static uint32_t *l2_of(uint32_t l1e)
{
	return (uint32_t *)(uintptr_t)(l1e & ~(uint32_t)(L2_TABLE_BYTES - 1));
}

/* The level-2 table of section `s`, creating it if `create` (-ENOMEM if no
 * page). Returns NULL with *rc = -EEXIST if the section is mapped whole. */
static uint32_t *table_for(uint32_t s, bool create, int *rc)
{
	uint32_t e = l1_table[s];

	*rc = 0;
	if ((e & L1_TYPE_MASK) == L1_TABLE)
		return l2_of(e);
	if ((e & L1_TYPE_MASK) != L1_FAULT) {
		*rc = -EEXIST;
		return NULL;
	}
	if (!create) {
		*rc = -ENOENT;
		return NULL;
	}
	/* A sibling's page holds this section's table too. */
	uintptr_t page = 0;
	for (uint32_t k = s & ~3u; k < (s & ~3u) + 4; k++)
		if ((l1_table[k] & L1_TYPE_MASK) == L1_TABLE)
			page = l1_table[k] & PTE_ADDR;
	if (!page) {
		void *p = mm_page_table_alloc();
		if (!p) {
			*rc = -ENOMEM;
			return NULL;
		}
		page = (uintptr_t)p;
	}
	uint32_t *t = (uint32_t *)(page + (s & 3) * L2_TABLE_BYTES);
	memset(t, 0, L2_TABLE_BYTES);
	for (uint32_t i = 0; i < L2_ENTRIES; i += 8) /* 32-byte lines */
		pt_publish(&t[i]);
	l1_table[s] = (uint32_t)(uintptr_t)t | L1_TABLE;
	pt_publish(&l1_table[s]);
	return t;
}

static uint32_t pte_attrs(unsigned flags)
{
	uint32_t a = PTE_SMALL | PTE_AP_RW;

	if (!(flags & MMU_WRITE))
		a |= PTE_AP2;
	if (flags & MMU_UNCACHED)
		a |= PTE_B | PTE_XN; /* shareable device */
	else if (flags & MMU_WRITECOMBINE)
		a |= PTE_TEX1 | PTE_S; /* normal, non-cacheable */
	else
		a |= PTE_TEX1 | PTE_C | PTE_B | PTE_S;
	if (!(flags & MMU_EXEC))
		a |= PTE_XN;
	return a;
}

int arch_mmu_map(vaddr_t va, paddr_t pa, size_t count, unsigned flags)
{
	if (!IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE) ||
	    !count || va + (count - 1) * PAGE_SIZE < va)
		return -EINVAL;

	irq_state_t s = mm_tables_lock();
	int rc = 0;
	/* Check first, so a failure changes nothing. Tables created on the
	 * way stay (empty tables are harmless and reused). */
	for (size_t i = 0; i < count; i++) {
		vaddr_t v = va + i * PAGE_SIZE;
		uint32_t *t = table_for(v >> SECTION_SHIFT, true, &rc);
		if (!t)
			goto out;
		if (t[(v >> PAGE_SHIFT) & 0xff]) {
			rc = -EEXIST;
			goto out;
		}
	}
	uint32_t attrs = pte_attrs(flags);
	for (size_t i = 0; i < count; i++) {
		vaddr_t v = va + i * PAGE_SIZE;
		uint32_t *t = table_for(v >> SECTION_SHIFT, false, &rc);
		t[(v >> PAGE_SHIFT) & 0xff] =
			(uint32_t)(pa + i * PAGE_SIZE) | attrs;
		pt_publish(&t[(v >> PAGE_SHIFT) & 0xff]);
	}
	/* Fault -> valid: no TLB holds the old entry. The branch
	 * predictors are told of the new mapping on every core. */
	arm_write_bpiallis(0);
	arm_dsb_ish();
	arm_isb();
	rc = 0;
out:
	mm_tables_unlock(s);
	return rc;
}

/* Replace the section mapping of `s` by a level-2 table with the same
 * translation and attributes, so single pages can be unmapped. */
static int split_section(uint32_t s)
{
	uint32_t e = l1_table[s];
	uint32_t a = PTE_SMALL;

	a |= (e & SECT_XN) ? PTE_XN : 0;
	a |= e & (SECT_B | SECT_C);
	a |= ((e >> 10) & 3u) << 4;  /* AP[1:0] */
	a |= ((e >> 12) & 7u) << 6;  /* TEX */
	a |= ((e >> 15) & 1u) << 9;  /* AP2 */
	a |= ((e >> 16) & 3u) << 10; /* S, nG */
	l1_table[s] = L1_FAULT;	     /* table_for() wants a free entry */
	int rc;
	uint32_t *t = table_for(s, true, &rc);
	if (!t) {
		l1_table[s] = e;
		return rc;
	}
	l1_table[s] = e; /* keep the section live while the table fills */
	for (uint32_t i = 0; i < L2_ENTRIES; i++)
		t[i] = ((s << SECTION_SHIFT) + i * PAGE_SIZE) | a;
	for (uint32_t i = 0; i < L2_ENTRIES; i += 8)
		pt_publish(&t[i]);
	l1_table[s] = (uint32_t)(uintptr_t)t | L1_TABLE;
	pt_publish(&l1_table[s]);
	arch_tlb_shootdown(s << SECTION_SHIFT, 0);
	return 0;
}

int arch_mmu_unmap(vaddr_t va, size_t count)
{
	if (!IS_ALIGNED(va, PAGE_SIZE))
		return -EINVAL;
	irq_state_t s = mm_tables_lock();
	int rc = 0;
	for (size_t i = 0; i < count; i++) {
		vaddr_t v = va + i * PAGE_SIZE;
		uint32_t sect = v >> SECTION_SHIFT;
		if ((l1_table[sect] & L1_TYPE_MASK) == L1_SECTION) {
			rc = split_section(sect);
			if (rc < 0)
				break;
		}
		int trc;
		uint32_t *t = table_for(sect, false, &trc);
		if (t && t[(v >> PAGE_SHIFT) & 0xff]) {
			t[(v >> PAGE_SHIFT) & 0xff] = 0;
			pt_publish(&t[(v >> PAGE_SHIFT) & 0xff]);
			arch_tlb_shootdown(v, 1);
		}
	}
	mm_tables_unlock(s);
	return rc;
}

int arch_mmu_query(vaddr_t va, paddr_t *pa, unsigned *flags)
{
	uint32_t e = l1_table[va >> SECTION_SHIFT];
	uint32_t out, xn, ap2, tex, c, b;

	if ((e & L1_TYPE_MASK) == L1_SECTION) {
		out = (e & ~(SECTION_SIZE - 1)) | (va & (SECTION_SIZE - 1));
		xn = e & SECT_XN;
		ap2 = e & SECT_AP2;
		tex = (e >> 12) & 7;
		c = e & SECT_C;
		b = e & SECT_B;
	} else if ((e & L1_TYPE_MASK) == L1_TABLE) {
		uint32_t pte = l2_of(e)[(va >> PAGE_SHIFT) & 0xff];
		if (!(pte & PTE_SMALL))
			return -ENOENT;
		out = (pte & PTE_ADDR) | (va & (PAGE_SIZE - 1));
		xn = pte & PTE_XN;
		ap2 = pte & PTE_AP2;
		tex = (pte >> 6) & 7;
		c = pte & PTE_C;
		b = pte & PTE_B;
	} else {
		return -ENOENT;
	}
	if (pa)
		*pa = out;
	if (flags) {
		*flags = MMU_READ;
		if (!ap2)
			*flags |= MMU_WRITE;
		if (!xn)
			*flags |= MMU_EXEC;
		if (tex == 0 && !c)
			*flags |= MMU_UNCACHED; /* device / strongly ordered */
		else if (tex == 1 && !c && !b)
			*flags |= MMU_WRITECOMBINE;
	}
	return 0;
}

/* Every core's TLB: the inner-shareable operations (smp.c). */
void arch_mmu_flush(vaddr_t va, size_t count)
{
	arch_tlb_shootdown(va, count);
}

/* Called by start.S with the MMU off: map MMIO as device sections and all
 * of the RAM window as normal sections (the guard page's section through
 * early_l2), point TTBR0 at the table and turn on the MMU and the caches.
 * Only aligned word stores here: with the MMU off every access is strongly
 * ordered, where unaligned ones fault. */
void arm_mmu_early(void)
{
	uint32_t guard_sect = (uintptr_t)svc_stack_guard >> SECTION_SHIFT;
	uint32_t group = guard_sect & ~3u;

	for (uint32_t k = 0; k < 4; k++)
		for (uint32_t i = 0; i < L2_ENTRIES; i++) {
			uintptr_t pa =
				((group + k) << SECTION_SHIFT) + i * PAGE_SIZE;
			early_l2[k * L2_ENTRIES + i] =
				arm_is_stack_guard(pa) ? 0 : pa | PTE_NORMAL;
		}
	for (uint32_t s = 0; s < SECTIONS; s++) {
		if (s == 0)
			l1_table[s] = L1_FAULT;
		else if (s >> 2 == group >> 2)
			l1_table[s] =
				(uint32_t)(uintptr_t)&early_l2[(s & 3) *
							       L2_ENTRIES] |
				L1_TABLE;
		else
			l1_table[s] = (s << SECTION_SHIFT) |
				      (s < RAM_FIRST_SECTION ? SECT_DEVICE
							     : SECT_NORMAL);
	}
	arm_dsb();
	arm_write_ttbcr(0);
	arm_write_ttbr0((uint32_t)(uintptr_t)l1_table | TTBR_WALK_ATTRS);
	arm_write_dacr(0x55555555u); /* all domains client: AP bits apply */
	arm_dcache_invalidate_all();
	arm_write_tlbiall(0);
	arm_write_iciallu(0);
	arm_write_bpiall(0);
	arm_dsb();
	arm_isb();
	uint32_t sctlr = arm_read_sctlr();
	sctlr |= ARM_SCTLR_M | ARM_SCTLR_C | ARM_SCTLR_I | ARM_SCTLR_Z;
	sctlr &= ~ARM_SCTLR_A;
	arm_write_sctlr(sctlr);
	arm_isb();
}

extern char __text_start[], __text_end[];

/* An identity page's attributes, write xor execute: the kernel's code
 * (.text, page-aligned at both ends by kernel.ld) read-only and
 * executable; everything else (data, stacks, page tables, the DTB and
 * initrd) read-write and execute-never. */
static uint32_t ident_attrs(uintptr_t a)
{
	if (a >= ALIGN_DOWN((uintptr_t)__text_start, PAGE_SIZE) &&
	    a < ALIGN_UP((uintptr_t)__text_end, PAGE_SIZE))
		return PTE_NORMAL | PTE_AP2;
	return PTE_NORMAL | PTE_XN;
}

/* Fill section `s`'s level-2 table (from `page`, the group's) with the
 * identity pages of [lo, hi), minus the stack guard; point `s` at it. */
static void ident_section(uint32_t s, uintptr_t page, uintptr_t lo,
			  uintptr_t hi)
{
	uint32_t *t = (uint32_t *)(page + (s & 3) * L2_TABLE_BYTES);

	for (uint32_t i = 0; i < L2_ENTRIES; i++) {
		uintptr_t a = ((uintptr_t)s << SECTION_SHIFT) + i * PAGE_SIZE;
		bool in = a >= lo && a < hi && !arm_is_stack_guard(a);
		t[i] = in ? (uint32_t)a | ident_attrs(a) : 0;
	}
	for (uint32_t i = 0; i < L2_ENTRIES; i += 8)
		pt_publish(&t[i]);
	l1_table[s] = (uint32_t)(uintptr_t)t | L1_TABLE;
	pt_publish(&l1_table[s]);
}

/*
 * The final boot map (picture at the top): identity pages for
 * [RAM start, end of the kernel, DTB and initrd), .text read-only and
 * executable, the rest execute-never (ident_attrs), device sections for
 * MMIO, nothing elsewhere; mm/ maps the rest. Sections are rewritten in
 * place, each from an identical translation to the same one but for its
 * permissions (no break-before-make needed for those), then the TLB is
 * flushed.
 */
void arm_mmu_init(const struct boot_info *bi)
{
	uintptr_t lo = bi->kernel_start, hi = bi->kernel_end;

	for (unsigned i = 0; i < bi->mem_count; i++) {
		const struct boot_mem_region *r = &bi->mem[i];
		if (r->type == BOOT_MEM_USABLE && r->base <= bi->kernel_start &&
		    r->base + r->size > bi->kernel_start)
			lo = (uintptr_t)r->base;
	}
	for (unsigned i = 0; i < bi->module_count; i++)
		hi = MAX(hi, bi->modules[i].end);
	hi = MAX(hi, bi->bootdata_end);
	lo = ALIGN_DOWN(lo, SECTION_SIZE);
	hi = ALIGN_UP(hi, PAGE_SIZE);
	if (bi->bootdata_start && bi->bootdata_start < lo)
		printk("arm: DTB at %#lx is below RAM and stays unmapped\n",
		       (unsigned long)bi->bootdata_start);

	uint32_t s_lo = lo >> SECTION_SHIFT;
	uint32_t s_hi = (hi + SECTION_SIZE - 1) >> SECTION_SHIFT;
	for (uint32_t g = s_lo & ~3u; g < s_hi; g += 4) {
		void *page = mm_page_table_alloc();
		if (!page)
			panic("arm: no page for the boot page tables");
		for (uint32_t s = MAX(g, s_lo); s < MIN(g + 4, s_hi); s++)
			ident_section(s, (uintptr_t)page, lo, hi);
	}
	for (uint32_t s = RAM_FIRST_SECTION; s < SECTIONS; s++)
		if (s < s_lo || s >= s_hi) {
			l1_table[s] = L1_FAULT;
			pt_publish(&l1_table[s]);
		}
	arch_mmu_flush(0, 0);
}
