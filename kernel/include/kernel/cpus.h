/*
 * The CPUs the firmware describes, arch-neutral. The board fills the
 * record once at boot from its tables (x86: ACPI MADT, else MP tables;
 * ARM: the device tree's /cpus), before kmain prints it; until then, and
 * when nothing was found, there is one CPU, the boot CPU.
 *
 * With CONFIG_SMP, kernel/smp.c marks each CPU it started; otherwise only
 * the boot CPU is `started` (docs/smp.md). CPU 0 is the boot CPU: the first
 * usable entry of the table, or the MP tables' BP entry (ACPI lists the boot
 * processor first).
 */
#ifndef KERNEL_CPUS_H
#define KERNEL_CPUS_H

#include <lib/cpu_scan.h>
#include <stdbool.h>
#include <stdint.h>

#ifndef CONFIG_NR_CPUS
#define CONFIG_NR_CPUS 1
#endif

struct cpu_info {
	unsigned id;	/* the kernel's number, 0 .. cpus_found()-1 */
	uint32_t hw_id; /* local APIC id (x86) or MPIDR affinity (ARM) */
	bool online;	/* enabled in the firmware's table */
	bool started;	/* running this kernel */
};

/* A record: the kernel keeps one (the functions below read it); tests
 * fill their own. */
struct cpu_record {
	struct cpu_info cpu[CONFIG_NR_CPUS];
	unsigned n;	  /* entries in cpu[], >= 1 */
	unsigned ignored; /* usable CPUs beyond CONFIG_NR_CPUS */
	const char *source, *note;
};

/* Fill `r` from a scan (NULL or no CPU: one assumed CPU, and `why` says
 * why). Keeps CONFIG_NR_CPUS entries, the boot CPU first; the rest are
 * counted in `ignored`. */
void cpu_record_fill(struct cpu_record *r, const struct cpu_scan *s,
		     const char *why);

/* Fill the kernel's record. Boot time, once, before other CPUs run. */
void cpus_record(const struct cpu_scan *s, const char *why);

/* CPUs kept (>= 1), usable ones beyond CONFIG_NR_CPUS, and started. */
unsigned cpus_found(void);
unsigned cpus_ignored(void);
unsigned cpus_started(void);

/* CPU `i` is running this kernel (kernel/smp.c, once it came up). */
void cpus_mark_started(unsigned i);

/* Entry `i`, or NULL past the end. */
const struct cpu_info *cpu_get(unsigned i);

/* Where the record came from ("ACPI MADT", "MP tables", "device tree",
 * or "none: one CPU assumed") and, if a table was refused on the way,
 * why (else NULL). */
const char *cpus_source(void);
const char *cpus_note(void);

/* The boot line: "cpus: 4 found (ACPI MADT), 1 started: SMP not built
 * in". */
void cpus_print_summary(void);

#endif
