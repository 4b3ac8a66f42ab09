/*
 * The PC's CPUs: the ACPI MADT, else the Intel MP tables, else one CPU
 * (the parsers are lib/cpus/; this file gives them physical memory).
 *
 * Reaching the tables: the kernel identity-maps only its own memory from
 * 1 MiB (and low memory only while the low-memory allocator or a BIOS call
 * needs it; page 0 is never mapped), while QEMU and real firmware put the
 * ACPI tables near the top of RAM, in ranges the memory map reserves. So
 * every read goes through a one-page DMA window (dma_map, DMA_CACHED) onto
 * the page that holds it, moved when a read reaches another page, and
 * unmapped when the scan ends; nothing of the firmware's stays mapped.
 * A firmware address dma_map refuses (kernel memory, beyond the physical
 * address space) reads as -EFAULT, and the scan falls back.
 */
#include <arch/x86_platform.h>
#include <kernel/cpus.h>
#include <kernel/printk.h>
#include <lib/err.h>
#include <mm/dma.h>
#include <mm/mm.h>
#include <string.h>

#include "pc.h"

struct page_window {
	uint64_t page; /* physical page mapped at va, if va */
	uint8_t *va;
	unsigned refused;    /* pages dma_map refused */
	uint64_t first_page; /* the first of them */
	const char *why;     /* and why */
};

static uint64_t lapic_base;

uint64_t x86_platform_lapic_base(void)
{
	return lapic_base;
}

static int window_read(void *ctx, uint64_t pa, void *buf, size_t n)
{
	struct page_window *w = ctx;
	uint8_t *out = buf;

	/* Page 0 (the BIOS data area) is never mapped outside a BIOS call:
	 * the search then takes the last KiB of base memory as the EBDA. */
	if (pa < PAGE_SIZE || pa + n < pa || pa + n > 0x100000000ull)
		return -EFAULT;
	while (n) {
		uint64_t page = pa & ~(uint64_t)(PAGE_SIZE - 1);
		size_t at = (size_t)(pa - page);
		size_t k = PAGE_SIZE - at < n ? PAGE_SIZE - at : n;
		if (!w->va || w->page != page) {
			int err;
			if (w->va)
				dma_unmap(w->va);
			/* dma_area_map, not dma_map: a refusal is expected
			 * (low memory, hostile pointers), reported once. */
			w->va = dma_area_map(&kernel_dma, page, PAGE_SIZE,
					     DMA_CACHED, &err);
			if (!w->va) {
				if (w->refused++ == 0) {
					w->first_page = page;
					w->why = kernel_dma.last_error;
				}
				return -EFAULT;
			}
			w->page = page;
		}
		memcpy(out, w->va + at, k);
		out += k;
		pa += k;
		n -= k;
	}
	return 0;
}

void pc_cpus_discover(void)
{
	static struct cpu_scan scan; /* 200 bytes: not on the boot stack */
	struct page_window w = {0};
	const struct phys_reader r = {window_read, &w};
	const char *acpi_why = NULL;
	uint64_t rsdp;

	if (!mm_virtual_memory()) {
		cpus_record(NULL, "no DMA windows to read the firmware tables");
		return;
	}
	cpu_scan_clear(&scan);
	int rc = acpi_find_rsdp(&r, &scan, &rsdp);
	if (rc == 0)
		rc = acpi_scan_cpus(&r, rsdp, &scan);
	if (rc < 0) {
		acpi_why = scan.error;
		cpu_scan_clear(&scan);
		rc = mp_scan_cpus(&r, &scan);
	}
	if (w.va)
		dma_unmap(w.va);
	if (w.refused)
		printk("cpus: %u firmware page(s) could not be mapped, the "
		       "first "
		       "%#llx (%s)\n",
		       w.refused, (unsigned long long)w.first_page,
		       w.why ? w.why : "?");
	if (rc < 0) {
		printk("cpus: ACPI: %s; MP tables: %s\n",
		       acpi_why ? acpi_why : "?",
		       scan.error ? scan.error : "?");
		cpus_record(NULL, "neither ACPI nor MP tables usable");
		return;
	}
	if (acpi_why)
		printk("cpus: ACPI: %s: using the MP tables\n", acpi_why);
	cpus_record(&scan, NULL);
	lapic_base = scan.lapic_addr;
	if (scan.ioapics)
		printk("cpus: local APICs at %#llx, %u I/O APIC(s) (first at "
		       "%#llx), %u interrupt override(s), %u x2APIC entries\n",
		       (unsigned long long)scan.lapic_addr, scan.ioapics,
		       (unsigned long long)scan.ioapic_addr, scan.overrides,
		       scan.x2apics);
}
