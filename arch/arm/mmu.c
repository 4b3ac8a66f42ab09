/*
 * The boot translation table: one short-descriptor level-1 table of 4096
 * 1 MiB sections mapping all of the 32-bit space onto itself.
 *
 *   0x00000000 - 0x000fffff  unmapped, so a NULL dereference faults (it is
 *                            flash on virt, which the kernel never reads)
 *   0x00100000 - 0x3fffffff  device, execute-never (flash, GIC, UART, virtio)
 *   0x40000000 - 0xffffffff  normal write-back cacheable until the DTB is
 *                            read; then RAM (the /memory ranges) stays
 *                            normal and the rest becomes device, XN.
 *
 * The section holding the SVC stack's guard page (start.S) is mapped
 * through one level-2 table of 4 KiB pages instead, with the guard page
 * left out: a kernel stack overflow faults.
 *
 * Page-granular mapping (arch_mmu_map/unmap/query) is a later issue: those
 * return -ENOSYS.
 */
#include <arch/arm_platform.h>
#include <arch/mmu.h>
#include <kernel/err.h>

#define SECTION_SHIFT	  20
#define SECTIONS	  4096
#define RAM_FIRST_SECTION (0x40000000u >> SECTION_SHIFT)

/* Section descriptor fields. */
#define SECT	    0x2u
#define SECT_B	    (1u << 2)
#define SECT_C	    (1u << 3)
#define SECT_XN	    (1u << 4)
#define SECT_AP_RW  (3u << 10) /* PL1 and PL0 read/write */
#define SECT_TEX(x) ((uint32_t)(x) << 12)
#define SECT_S	    (1u << 16)
/* Normal, inner/outer write-back write-allocate, shareable. */
#define SECT_NORMAL (SECT | SECT_AP_RW | SECT_TEX(1) | SECT_C | SECT_B | SECT_S)
/* Shareable device. */
#define SECT_DEVICE (SECT | SECT_AP_RW | SECT_B | SECT_XN)

/* Level-1 entry pointing at a level-2 table (domain 0). */
#define L1_PAGE_TABLE 0x1u
/* Small-page descriptor: normal WBWA shareable, read/write. */
#define PAGE_NORMAL                                                            \
	(0x2u | (1u << 2) | (1u << 3) | (3u << 4) | (1u << 6) | (1u << 10))

/* TTBR0 walk attributes: inner WBWA (IRGN 01), outer WBWA (RGN 01),
 * shareable. */
#define TTBR_WALK_ATTRS ((1u << 6) | (1u << 3) | (1u << 1))

static uint32_t l1_table[SECTIONS]
	__attribute__((aligned(16384), section(".bss.pagetable")));
static uint32_t guard_l2[256] __attribute__((aligned(1024)));

extern char svc_stack_guard[];

/* Level-1 entry for section `i`: normal memory if `ram`, else device;
 * none for section 0 (NULL); the guard page's section goes through
 * guard_l2. */
static uint32_t l1_entry(uint32_t i, bool ram)
{
	if (i == (uintptr_t)svc_stack_guard >> SECTION_SHIFT)
		return (uint32_t)(uintptr_t)guard_l2 | L1_PAGE_TABLE;
	if (i == 0)
		return 0;
	return (i << SECTION_SHIFT) | (ram ? SECT_NORMAL : SECT_DEVICE);
}

bool arm_is_stack_guard(uintptr_t addr)
{
	return addr - (uintptr_t)svc_stack_guard < PAGE_SIZE;
}

/* Called by start.S with the MMU off: build the table, point TTBR0 at it
 * and turn on the MMU and the caches. Only aligned word stores here: with
 * the MMU off every access is strongly ordered, where unaligned ones
 * fault. */
void arm_mmu_early(void)
{
	uintptr_t sect =
		(uintptr_t)svc_stack_guard & ~((1u << SECTION_SHIFT) - 1);
	for (uint32_t i = 0; i < 256; i++) {
		uintptr_t pa = sect + i * PAGE_SIZE;
		guard_l2[i] = arm_is_stack_guard(pa) ? 0 : pa | PAGE_NORMAL;
	}
	for (uint32_t i = 0; i < SECTIONS; i++)
		l1_table[i] = l1_entry(i, i >= RAM_FIRST_SECTION);
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

static bool section_is_ram(const struct boot_info *bi, uint32_t sect)
{
	uint64_t lo = (uint64_t)sect << SECTION_SHIFT;
	uint64_t hi = lo + (1u << SECTION_SHIFT);
	for (unsigned i = 0; i < bi->mem_count; i++) {
		const struct boot_mem_region *r = &bi->mem[i];
		if (r->type == BOOT_MEM_USABLE && r->base < hi &&
		    lo < r->base + r->size)
			return true;
	}
	return false;
}

void arm_mmu_set_ram(const struct boot_info *bi)
{
	for (uint32_t i = 0; i < SECTIONS; i++) {
		/* The kernel's sections stay normal whatever the map says. */
		bool ram =
			section_is_ram(bi, i) ||
			(i >= ((uintptr_t)__kernel_start >> SECTION_SHIFT) &&
			 i <= (((uintptr_t)__kernel_end - 1) >> SECTION_SHIFT));
		l1_table[i] = l1_entry(i, ram);
	}
	arm_dsb();
	arch_mmu_flush(0, 0);
}

int arch_mmu_map(vaddr_t va, paddr_t pa, size_t count, unsigned flags)
{
	return -ENOSYS;
}

int arch_mmu_unmap(vaddr_t va, size_t count)
{
	return -ENOSYS;
}

int arch_mmu_query(vaddr_t va, paddr_t *pa, unsigned *flags)
{
	return -ENOSYS;
}

void arch_mmu_flush(vaddr_t va, size_t count)
{
	arm_dsb();
	if (count == 0 || count > 64) {
		arm_write_tlbiall(0);
	} else {
		for (size_t i = 0; i < count; i++)
			arm_write_tlbimva((uint32_t)(va + i * PAGE_SIZE) &
					  ~0xfffu);
	}
	arm_write_bpiall(0);
	arm_dsb();
	arm_isb();
}
