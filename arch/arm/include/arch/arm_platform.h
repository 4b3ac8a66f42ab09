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
	uint32_t psci_cpu_on; /* CPU_ON function id from /psci, 0 if none */
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

/* The SGI the arm tests send (SMP_IPI_* use 0 .. SMP_IPI_KINDS-1). */
#define ARM_SGI_TEST 15

/* On each core that takes part in SMP (the boot CPU from arch_smp_init,
 * the others from arm_secondary_main), IRQs off: this core's banked
 * distributor state (SGI enables, SGI/PPI priorities), its CPU interface,
 * and its CPU-interface mask (GICD_ITARGETSR0-7 read back this core's own
 * bit), recorded under `cpu`. Returns that mask; 0 means the GIC does not
 * say (a uniprocessor GIC), so no SGI can be aimed at the core. */
unsigned arm_gic_cpu_init(unsigned cpu);
/* The mask recorded for `cpu`, 0 if none. */
unsigned arm_gic_cpu_mask(unsigned cpu);
/* SGI `id` (0-15) to kernel CPU `cpu`, or to the caller itself: false if
 * there is no mask for `cpu`. */
bool arm_gic_send_sgi(unsigned cpu, unsigned id);
void arm_gic_send_sgi_self(unsigned id);
/* SGIs `id` this core (`cpu`) has received. */
unsigned long arm_gic_sgi_count(unsigned cpu, unsigned id);
/* Enable PPI `irq` in the calling core's banked distributor registers. */
void arm_gic_enable_local(unsigned irq);

/* Exception report (vectors.S); never returns. */
void arm_exception(struct arm_exc_frame *f, unsigned kind)
	__attribute__((noreturn));

/* Semihosting call: returns r0, or -1 when semihosting is off (the SVC
 * reached our own vector, which answers -1). */
long arm_semihost(unsigned op, const void *arg);

/* PSCI call through the DTB's conduit; -ENODEV if there is none. */
int arm_psci_call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3);
/* The same, with the firmware's own answer (0, or a negative PSCI code
 * such as PSCI_E_ALREADY_ON) in *psci_ret; -ENODEV and *psci_ret
 * untouched if there is no conduit. */
int arm_psci_call_raw(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3,
		      int32_t *psci_ret);

/* PSCI return codes (PSCI 1.1, DEN0022, 5.2.2). */
#define PSCI_E_SUCCESS		  0
#define PSCI_E_NOT_SUPPORTED	  (-1)
#define PSCI_E_INVALID_PARAMETERS (-2)
#define PSCI_E_DENIED		  (-3)
#define PSCI_E_ALREADY_ON	  (-4)
#define PSCI_E_ON_PENDING	  (-5)
#define PSCI_E_INTERNAL_FAILURE	  (-6)
#define PSCI_E_NOT_PRESENT	  (-7)
#define PSCI_E_DISABLED		  (-8)
#define PSCI_E_INVALID_ADDRESS	  (-9)

/* PSCI's name for its code `rc` ("ALREADY_ON"), and the -errno we
 * report it as. */
const char *arm_psci_error_name(int32_t rc);
int arm_psci_errno(int32_t rc);

/* Starting secondary cores (smp.c, secondary.S). The boot CPU fills one
 * block per core and hands its physical address to PSCI CPU_ON as the
 * context id; the core reads it with its MMU off (so the block is cleaned
 * to the point of coherency first), turns the MMU on, claims the block
 * (ARMED -> TAKEN) and reports ENTERED just before smp_secondary_entry. A
 * core that wakes after the boot CPU gave up on it finds ABANDONED and
 * switches itself off. Field offsets and states are in <arch/arm.h>, for
 * secondary.S. */
struct arm_cpu_boot {
	uint32_t ttbr0, ttbcr, dacr, sctlr; /* the boot CPU's, to copy */
	uint32_t mpidr;			    /* affinity of the core meant */
	uint32_t cpu;			    /* its kernel index: TPIDRPRW */
	uint32_t stack_top; /* virtual; used once the MMU is on */
	uint32_t state;	    /* ARM_CPU_BOOT_ARMED... (arm.h) */
	uint32_t conduit;   /* arm_platform.psci, for CPU_OFF */
	uint32_t actlr;	    /* the core's ACTLR, as it found it */
} __attribute__((aligned(64)));

/* The entry PSCI starts a secondary at (secondary.S): r0 = its block, MMU
 * off, SVC or HYP mode. Linked at its physical address (the kernel runs
 * identity-mapped at its link address once relocated). */
void arm_secondary_start(void);
/* secondary.S calls this with the MMU on, its stacks and vectors set and
 * IRQs off; it never returns. */
void arm_secondary_main(struct arm_cpu_boot *b) __attribute__((noreturn));
/* CPU_ON through the DTB's conduit: 0 or -errno, with the PSCI code in
 * *psci_ret (tests feed it bad targets). */
int arm_psci_cpu_on(uint32_t mpidr, uintptr_t entry, uintptr_t context,
		    int32_t *psci_ret);

/* Fill `b` for the core `mpidr` (kernel index `cpu`, stack below
 * `stack_top`) with this core's translation registers and `state`, and
 * clean it to the point of coherency. */
void arm_cpu_boot_fill(struct arm_cpu_boot *b, uint32_t mpidr, unsigned cpu,
		       uintptr_t stack_top, uint32_t state);

/* Core `cpu`'s block (its state and what it found), or NULL. */
const struct arm_cpu_boot *arm_cpu_boot_block(unsigned cpu);

/* This core's tick off (the tests' arch_cpu_timer_start undone); whether
 * core `cpu` has a tick; the timer interrupts it took. */
void arm_cpu_timer_stop(void);
bool arm_cpu_timer_running(unsigned cpu);
unsigned long arm_cpu_timer_irqs(unsigned cpu);

/* Discard this core's level-1 D-cache lines (cache.S; no stack). */
void arm_dcache_invalidate_l1(void);

/* VFP on/off for arch_fpu_save/restore (fpu.S). */
void arm_vfp_enable(void);
void arm_fpu_save_regs(void *area);
void arm_fpu_restore_regs(const void *area);

/* Symbols from the linker script. */
extern char __kernel_start[], __kernel_end[], __image_end[];
extern char __bss_start[], __bss_end[];

#endif
