/*
 * Private interfaces between the files of arch/arm (not part of the neutral
 * arch seam).
 */
#ifndef ARCH_ARM_PLATFORM_H
#define ARCH_ARM_PLATFORM_H

#include <arch/arm.h>
#include <arch/boot.h>
#include <lib/fdt.h>
#include <stdbool.h>
#include <stdint.h>

/* What the DTB says about the devices the arch drives, with QEMU virt's
 * values as defaults. */
struct arm_platform {
	uintptr_t uart_base;
	uintptr_t gicd_base, gicc_base;
	unsigned timer_irq; /* GIC ID of the virtual timer PPI */
	unsigned uart_irq;  /* GIC ID of the console PL011's interrupt */
	enum { PSCI_NONE, PSCI_HVC, PSCI_SMC } psci;
	const char *model;
};

extern struct arm_platform arm_platform;

/* Fill `bi` and `plat` from the DTB at `blob` (`avail` readable bytes).
 * Returns 0, or a negative error with *why set to a sentence; `bi` keeps
 * whatever was found before the error. A missing /memory is -ENOENT. */
int arm_dtb_parse(const void *blob, size_t avail, struct boot_info *bi,
		  struct arm_platform *plat, const char **why);

/* Which loader handed over the DTB, from its fingerprints. */
/* The CPUs (/cpus) and the PSCI conduit (/psci) of the DTB, into the
 * kernel's CPU record (<kernel/cpus.h>); a missing or damaged /cpus leaves
 * one assumed CPU and a note. Once at boot, after arm_dtb_parse(). */
void arm_dtb_scan_cpus(const void *blob, size_t avail);

const char *arm_dtb_loader(const void *blob, size_t avail, uint32_t machid);

/* Early boot (start.S calls these). */
void arm_mmu_early(void);
void arm_boot(uint32_t machid, uintptr_t dtb) __attribute__((noreturn));

/* True if `addr` is in the guard page under the SVC stack. */
bool arm_is_stack_guard(uintptr_t addr);
/* Point the SVC stack pointer back at its top (after an overflow). */
void arm_reset_svc_stack(void);

/* Discard every D-cache line up to the Level of Coherency (cache.S). */
void arm_dcache_invalidate_all(void);

/* Build the final boot map from `bi` (see mmu.c): identity pages for RAM
 * up to the end of the kernel, DTB and initrd; device sections for MMIO;
 * the rest unmapped for mm/. */
void arm_mmu_init(const struct boot_info *bi);

/* GICv2 bring-up and the IRQ vector's dispatcher. */
void arm_gic_init(uintptr_t gicd, uintptr_t gicc);
void arm_irq_dispatch(void);
unsigned arm_gic_lines(void);

/* Exception report (vectors.S); never returns. */
void arm_exception(struct arm_exc_frame *f, unsigned kind)
	__attribute__((noreturn));

/* Semihosting call: returns r0, or -1 when semihosting is off (the SVC
 * reached our own vector, which answers -1). */
long arm_semihost(unsigned op, const void *arg);

/* PSCI call through the DTB's conduit; -ENODEV if there is none. */
int arm_psci_call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3);

/* VFP on/off for arch_fpu_save/restore (fpu.S). */
void arm_vfp_enable(void);
void arm_fpu_save_regs(void *area);
void arm_fpu_restore_regs(const void *area);

/* Symbols from the linker script. */
extern char __kernel_start[], __kernel_end[], __image_end[];
extern char __bss_start[], __bss_end[];

#endif
