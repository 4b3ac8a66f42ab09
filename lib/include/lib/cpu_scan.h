/*
 * CPU discovery from firmware tables: the x86 ACPI MADT and Intel MP tables
 * (lib/cpus/acpi.c, lib/cpus/mptables.c) and the ARM device tree's /cpus
 * and /psci nodes (lib/fdt/fdt_cpus.c). Pure parsers: the firmware's bytes
 * are untrusted, every length is checked against the table that holds it,
 * and a bad table gives a message in `error` and a failure, never a fault.
 *
 * The x86 parsers read physical memory only through a `struct phys_reader`
 * (the board maps what they ask for; the host tests hand them a fake
 * physical memory), so they never form a pointer from a firmware address.
 */
#ifndef LIB_CPU_SCAN_H
#define LIB_CPU_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Entries kept by one scan; the kernel keeps CONFIG_NR_CPUS of them. */
#define CPU_SCAN_MAX 32

#define CPU_SCAN_ENABLED 0x1u /* usable now */
#define CPU_SCAN_BOOT	 0x2u /* the boot processor (MP tables' BP flag) */
#define CPU_SCAN_X2APIC	 0x4u /* from an x2APIC entry (MADT type 9) */

enum cpu_psci { CPU_PSCI_NONE, CPU_PSCI_HVC, CPU_PSCI_SMC };

struct cpu_scan {
	const char *source; /* "ACPI MADT", "MP tables", "device tree" */
	unsigned ncpus;	    /* entries in hw_id[] */
	uint32_t hw_id[CPU_SCAN_MAX]; /* APIC id / MPIDR affinity */
	uint8_t flags[CPU_SCAN_MAX];
	unsigned beyond;      /* usable CPUs past CPU_SCAN_MAX, not kept */
	unsigned duplicates;  /* entries repeating a kept id, ignored */
	unsigned disabled;    /* listed but not enabled (ACPI: maybe online-
				 capable later), not kept */
	unsigned x2apics;     /* MADT type 9 entries seen */
	unsigned ioapics;     /* MADT type 1 / MP type 2 entries */
	uint64_t ioapic_addr; /* the first I/O APIC's registers, or 0 */
	uint64_t lapic_addr;  /* the local APICs' registers, or 0 */
	unsigned overrides;   /* MADT type 2: interrupt source overrides */
	enum cpu_psci psci;
	uint32_t psci_cpu_on; /* PSCI CPU_ON function id */
	const char *error;    /* the last problem, in words, or NULL */
};

/* Copy `n` bytes of physical memory at `pa` into buf: 0, or -EFAULT if
 * any of them cannot be read. */
struct phys_reader {
	int (*read)(void *ctx, uint64_t pa, void *buf, size_t n);
	void *ctx;
};

/* Record a CPU with hardware id `hw`: duplicates and entries beyond
 * CPU_SCAN_MAX are counted, not kept. Returns true if it was kept. */
bool cpu_scan_add(struct cpu_scan *s, uint32_t hw, unsigned flags);

/* Physical address of a valid ACPI RSDP (EBDA's first KiB, then
 * 0xE0000-0xFFFFF, 16-byte aligned; the v1 checksum, and the extended one
 * for revision >= 2): 0, or -ENOENT with s->error. */
int acpi_find_rsdp(const struct phys_reader *r, struct cpu_scan *s,
		   uint64_t *rsdp);

/* The MADT's CPUs through the RSDP at `rsdp` (XSDT if present and valid,
 * else RSDT). 0 with s filled (source "ACPI MADT"), or a negative error
 * with s->error: -ENOENT (no MADT), -EINVAL (bad checksum or length),
 * -ENODEV (the MADT lists no usable CPU), -EFAULT (unreadable). */
int acpi_scan_cpus(const struct phys_reader *r, uint64_t rsdp,
		   struct cpu_scan *s);

/* The Intel MP tables' processors (the "_MP_" floating pointer in the same
 * areas as the RSDP, then the "PCMP" configuration table): 0 (source
 * "MP tables") or a negative error with s->error. */
int mp_scan_cpus(const struct phys_reader *r, struct cpu_scan *s);

struct fdt;

/* The device tree's CPUs: children of /cpus with device_type "cpu" and a
 * "reg" of #address-cells (1 or 2) cells (the MPIDR affinity bits), those
 * with status other than "okay" counted as disabled; and the PSCI conduit
 * from /psci ("method" "hvc" or "smc"; CPU_ON from "cpu_on", or PSCI 0.2's
 * standard id when "compatible" has "arm,psci-0.2" or later). 0 (source
 * "device tree"), -ENOENT (no /cpus), -ENODEV (no usable cpu node) or
 * -EINVAL (malformed), with s->error. */
int fdt_scan_cpus(struct fdt *f, struct cpu_scan *s);

/* Reset `s` to empty, keeping nothing. */
void cpu_scan_clear(struct cpu_scan *s);

/* Forget the CPUs and counts found so far (after a table proved bad),
 * keeping `error`. */
void cpu_scan_clear_cpus(struct cpu_scan *s);

/* Shared by the two x86 searches: the first 16-byte-aligned address in the
 * EBDA's first KiB, then in 0xE0000-0xFFFFF, for which check() returns 0;
 * -ENOENT if none. */
int cpu_scan_bios_areas(const struct phys_reader *r, struct cpu_scan *s,
			uint64_t *found,
			int (*check)(const struct phys_reader *, uint64_t,
				     struct cpu_scan *));

#endif
