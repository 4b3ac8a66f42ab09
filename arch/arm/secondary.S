/*
 * Where PSCI CPU_ON starts a secondary core (arm_secondary_start; smp.c
 * passes its physical address, which is its link address: the kernel runs
 * identity-mapped where it linked itself, entry.S).
 *
 * Entry: r0 = the core's struct arm_cpu_boot (context id), MMU and caches
 * off, SVC mode (HYP if the firmware left us there), no stack. With the
 * MMU off every access is strongly ordered and goes to memory, so until it
 * is on we only read the block (cleaned to the point of coherency by the
 * boot CPU) and keep everything in registers.
 *
 * Order: leave HYP; MMU/caches off; ACTLR.SMP (before caches, MMU or any
 * maintenance: Cortex-A15 TRM 4.3.31); discard this core's L1 D-cache and
 * TLB; the boot CPU's TTBCR/TTBR0/DACR, then its SCTLR (MMU, caches,
 * branch prediction: one global table, same attributes); claim the block;
 * mode stacks carved from the bottom of the given stack, the SVC stack at
 * its top; VBAR; TPIDRPRW = kernel index; VFP/NEON on; C.
 */
#include <arch/arm.h>

	.syntax unified
	.arm
	.arch_extension virt
	.arch_extension sec

/* Exception-mode stacks at the bottom of the 16 KiB the kernel gives
 * (ARCH_SMP_STACK_SIZE): FIQ and IRQ (the IRQ vector moves to the SVC
 * stack at once) 512 bytes each, undefined and abort (fault reports) 2 KiB
 * each; the SVC stack is the 11 KiB above. Offsets from the bottom: */
#define SMP_STACK_SIZE 16384
#define FIQ_TOP	       512
#define IRQ_TOP	       1024
#define UND_TOP	       3072
#define ABT_TOP	       5120

	.text
	.globl arm_secondary_start
	.type arm_secondary_start, %function
arm_secondary_start:
	cpsid	aif
	mov	r6, r0			/* the block; kept in r6 throughout */
	ARM_LEAVE_HYP r4
	mrc	p15, 0, r4, c1, c0, 0
	bic	r4, r4, #(ARM_SCTLR_M | ARM_SCTLR_A | ARM_SCTLR_C)
	bic	r4, r4, #(ARM_SCTLR_I | ARM_SCTLR_V)
	mcr	p15, 0, r4, c1, c0, 0
	isb

	mrc	p15, 0, r4, c1, c0, 1	/* ACTLR as found, for the report */
	str	r4, [r6, #ARM_CPU_BOOT_ACTLR]
	ARM_JOIN_SMP r4

	bl	arm_dcache_invalidate_l1	/* keeps r6 */
	mov	r4, #0
	mcr	p15, 0, r4, c8, c7, 0	/* TLBIALL (this core) */
	mcr	p15, 0, r4, c7, c5, 0	/* ICIALLU */
	mcr	p15, 0, r4, c7, c5, 6	/* BPIALL */
	dsb
	isb

	ldr	r4, [r6, #ARM_CPU_BOOT_TTBCR]
	mcr	p15, 0, r4, c2, c0, 2
	ldr	r4, [r6, #ARM_CPU_BOOT_TTBR0]
	mcr	p15, 0, r4, c2, c0, 0
	ldr	r4, [r6, #ARM_CPU_BOOT_DACR]
	mcr	p15, 0, r4, c3, c0, 0
	isb
	ldr	r4, [r6, #ARM_CPU_BOOT_SCTLR]
	mcr	p15, 0, r4, c1, c0, 0
	isb
	/* MMU and caches on: the block is now read through the cache,
	 * coherently with the boot CPU. */

	/* Is it ours, and still wanted? The affinity must match (a core
	 * started by mistake) and the state go ARMED -> TAKEN in one
	 * exclusive step (the boot CPU moves ARMED -> ABANDONED when it
	 * gives up: exactly one of the two wins). */
	mrc	p15, 0, r4, c0, c0, 5	/* MPIDR */
	bic	r4, r4, #0xff000000
	ldr	r5, [r6, #ARM_CPU_BOOT_MPIDR]
	cmp	r4, r5
	bne	park
	add	r7, r6, #ARM_CPU_BOOT_STATE
	mov	r5, #ARM_CPU_BOOT_TAKEN
1:	ldrex	r4, [r7]
	cmp	r4, #ARM_CPU_BOOT_ARMED
	bne	park
	strex	r4, r5, [r7]
	cmp	r4, #0
	bne	1b
	dmb	ish

	ldr	r4, [r6, #ARM_CPU_BOOT_STACK_TOP]
	sub	r5, r4, #SMP_STACK_SIZE
	cps	#ARM_MODE_FIQ
	add	sp, r5, #FIQ_TOP
	cps	#ARM_MODE_IRQ
	add	sp, r5, #IRQ_TOP
	cps	#ARM_MODE_UND
	add	sp, r5, #UND_TOP
	cps	#ARM_MODE_ABT
	add	sp, r5, #ABT_TOP
	cps	#ARM_MODE_SVC
	mov	sp, r4

	ldr	r4, =arm_vectors
	mcr	p15, 0, r4, c12, c0, 0	/* VBAR */
	ldr	r4, [r6, #ARM_CPU_BOOT_CPU]
	mcr	p15, 0, r4, c13, c0, 4	/* TPIDRPRW: arch_cpu_id() */
	isb
	bl	arm_vfp_enable
	mov	r0, r6
	bl	arm_secondary_main	/* never returns */

	/* Not wanted (any more): switch the core off with PSCI CPU_OFF; if
	 * that returns, wait forever with everything masked. Touches no
	 * kernel state. */
park:
	clrex
	ldr	r0, =0x84000002		/* PSCI CPU_OFF */
	ldr	r4, [r6, #ARM_CPU_BOOT_CONDUIT]
	cmp	r4, #1			/* PSCI_HVC */
	bne	3f
	.inst	0xe1400070		/* hvc #0 (unconditional only) */
	b	2f
3:	cmp	r4, #2			/* PSCI_SMC */
	bne	2f
	.inst	0xe1600070		/* smc #0 */
2:	wfi
	b	2b
	.ltorg
	.size arm_secondary_start, . - arm_secondary_start
