/*
 * arch_context_switch(from, to): save r4-r11, sp and lr (the AAPCS
 * callee-saved state plus where to return) into *from, load them from *to,
 * and return into `to`. Layout: struct arch_context in <arch/arch_thread.h>.
 * Called with IRQs disabled; nothing else is saved (the kernel is
 * soft-float; the scheduler handles VFP through arch_fpu_save/restore).
 */
	.syntax unified
	.arm
	.text

	.globl arch_context_switch
	.type arch_context_switch, %function
arch_context_switch:
	mov	r2, sp
	stmia	r0, {r4-r11}
	str	r2, [r0, #32]
	str	lr, [r0, #36]
	ldmia	r1, {r4-r11}
	ldr	r2, [r1, #32]
	ldr	lr, [r1, #36]
	mov	sp, r2
	bx	lr
	.size arch_context_switch, . - arch_context_switch

/* First switch to a new context lands here (lr set by arch_context_init):
 * r4 = entry, r5 = arg. Enable IRQs and call entry(arg); it must not
 * return. */
	.globl arm_context_start
	.type arm_context_start, %function
arm_context_start:
	cpsie	i
	mov	r0, r5
	blx	r4
	bl	arm_context_returned
1:	b	1b
	.size arm_context_start, . - arm_context_start
