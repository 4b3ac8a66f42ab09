/*
 * ARM entry: the Linux zImage header, then position-independent code that
 * copies the image to its link address, clears .bss, sets a stack per
 * exception mode, installs the vectors, turns on the MMU (flat identity
 * map) and VFP, and calls arm_boot(machid, dtb).
 *
 * Entry state (Linux boot protocol, QEMU -kernel and U-Boot bootz alike):
 * r0 = 0, r1 = machine id, r2 = DTB physical address, MMU and D-cache off,
 * SVC mode (or HYP, which we leave at once), IRQs and FIQs masked.
 */
#include <arch/arm.h>

	.syntax unified
	.arm
	.arch_extension virt
	.arch_extension sec

	.section .text.head, "ax"
	.globl _start
_start:
	/* zImage header: code at 0, magic at 0x24, image start/end at
	 * 0x28/0x2c (start 0: position independent, like Linux's), then the
	 * endianness word. */
	b	reset
	.rept 8
	mov	r0, r0
	.endr
	.word	0x016f2818
	.word	0
	.word	__image_end - _start
	.word	0x04030201

reset:
	mov	r8, r1			/* machine id */
	mov	r9, r2			/* DTB address */
	cpsid	aif

	ARM_LEAVE_HYP r4
	mov	r4, #0
	mcr	p15, 0, r4, c13, c0, 4	/* TPIDRPRW: arch_cpu_id() is 0 */
	/* MMU, caches and alignment checking off until we set them up. */
	mrc	p15, 0, r4, c1, c0, 0
	bic	r4, r4, #(ARM_SCTLR_M | ARM_SCTLR_A | ARM_SCTLR_C)
	bic	r4, r4, #(ARM_SCTLR_I | ARM_SCTLR_V)
	mcr	p15, 0, r4, c1, c0, 0
	isb
	ARM_JOIN_SMP r4

	/*
	 * Copy [_start, __image_end) from where we run (r4) to the link
	 * address (r5); r7 = size. The two copy directions keep overlapping
	 * ranges safe and never overwrite the loop that is running:
	 *  - running above the link address (U-Boot): copy forward. First the
	 *    head up to copy_head_end (all of the copy code) is copied by a
	 *    loop running from the source; then
	 *    the rest is copied by that same loop running from its new copy,
	 *    which the remaining writes (all above the head) cannot touch.
	 *  - running below it (QEMU -kernel): copy backward from the end; the
	 *    writes reach the running code only if the distance is smaller
	 *    than the head.
	 * Either way the distance must exceed the head (~0x100 bytes).
	 */
	adr	r4, _start
	ldr	r5, =_start
	ldr	r7, =__image_end
	sub	r7, r7, r5
	adr	r6, copy_head_end
	sub	r6, r6, r4		/* head size */
	subs	r3, r4, r5
	beq	relocated
	bmi	copy_backward
	cmp	r3, r6
	blo	reloc_too_close
	mov	r0, #0
2:	ldr	r2, [r4, r0]
	str	r2, [r5, r0]
	add	r0, r0, #4
	cmp	r0, r6
	blo	2b
	dsb
	mov	r2, #0
	mcr	p15, 0, r2, c7, c5, 0	/* ICIALLU */
	dsb
	isb
	adr	r2, copy_forward_rest
	sub	r2, r2, r3
	bx	r2			/* copy_forward_rest in the new copy */
copy_forward_rest:
	/* Runs from the link address; no literal loads (the pool is not
	 * copied yet). */
3:	ldr	r2, [r4, r0]
	str	r2, [r5, r0]
	add	r0, r0, #4
	cmp	r0, r7
	blo	3b
	b	copied

copy_backward:
	rsb	r3, r3, #0
	cmp	r3, r6
	blo	reloc_too_close
	mov	r0, r7
4:	subs	r0, r0, #4
	ldr	r2, [r4, r0]
	str	r2, [r5, r0]
	bne	4b
copied:
	dsb
	mov	r2, #0
	mcr	p15, 0, r2, c7, c5, 0	/* ICIALLU */
	mcr	p15, 0, r2, c7, c5, 6	/* BPIALL */
	dsb
	isb
	ldr	pc, =relocated

reloc_too_close:
	/* Loaded less than ~256 bytes away from the link address: no way
	 * to copy safely, and no console yet. Stop. */
	wfi
	b	reloc_too_close
copy_head_end:

relocated:
	/* From here on we run at the link address. */
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
5:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	5b

	/* One stack per exception mode; IRQs are handled on the SVC stack
	 * (vectors.S switches), the others only report and panic. */
	cps	#ARM_MODE_IRQ
	ldr	sp, =irq_stack_top
	cps	#ARM_MODE_ABT
	ldr	sp, =abt_stack_top
	cps	#ARM_MODE_UND
	ldr	sp, =und_stack_top
	cps	#ARM_MODE_FIQ
	ldr	sp, =fiq_stack_top
	cps	#ARM_MODE_SVC
	ldr	sp, =svc_stack_top

	ldr	r0, =arm_vectors
	mcr	p15, 0, r0, c12, c0, 0	/* VBAR */
	isb

	bl	arm_mmu_early
	bl	arm_vfp_enable
	mov	r0, r8
	mov	r1, r9
	bl	arm_boot
6:	wfi
	b	6b
	.ltorg

	/* The SVC stack sits on a page boundary above a guard page that
	 * mmu.c leaves unmapped, so an overflow is a data abort (reported as
	 * a stack overflow on the abort stack), not silent corruption of
	 * .bss. */
	.section .bss.stacks, "aw", %nobits
	.balign 4096
	.globl	svc_stack_guard
svc_stack_guard:
	.space	4096
	.space	ARM_SVC_STACK_SIZE
	.globl	svc_stack_top
svc_stack_top:
	.space	ARM_EXC_STACK_SIZE
irq_stack_top:
	.space	ARM_EXC_STACK_SIZE
abt_stack_top:
	.space	ARM_EXC_STACK_SIZE
und_stack_top:
	.space	ARM_EXC_STACK_SIZE
fiq_stack_top:
