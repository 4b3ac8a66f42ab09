/*
 * The exception vector table (VBAR points here) and the entry code.
 *
 * IRQ: saves the caller-saved registers on the interrupted SVC stack
 * (srsdb/rfeia carry the return address and SPSR), calls arm_irq_dispatch()
 * with IRQs still masked, and returns.
 * SVC: the only SVC the kernel issues is the semihosting trap 0x123456;
 * when QEMU runs without -semihosting it lands here, and we answer -1 so
 * arm_semihost() can fall back. Any other SVC is reported like a fault.
 * Undef, prefetch/data abort, FIQ, and the reset vector: build a
 * struct arm_exc_frame on the mode's own stack and call arm_exception(),
 * which prints it and panics.
 */
#include <arch/arm.h>

	.syntax unified
	.arm

	.section .text.vectors, "ax"
	.balign 32
	.globl arm_vectors
arm_vectors:
	b	vec_reset
	b	vec_undef
	b	vec_svc
	b	vec_pabt
	b	vec_dabt
	b	vec_reset		/* unused (HYP trap) */
	b	vec_irq
	b	vec_fiq

/* Fill the frame's r0-r12, pc (lr - \adjust) and cpsr (SPSR), then join
 * exc_common with the kind in r5. */
.macro EXC_ENTRY kind, adjust
	sub	lr, lr, #\adjust
	sub	sp, sp, #(17 * 4)
	stmia	sp, {r0-r12}
	str	lr, [sp, #(15 * 4)]
	mrs	r0, spsr
	str	r0, [sp, #(16 * 4)]
	mov	r5, #\kind
	b	exc_common
.endm

vec_reset:	EXC_ENTRY ARM_EXC_RESET, 0
vec_undef:	EXC_ENTRY ARM_EXC_UNDEF, 4
vec_pabt:	EXC_ENTRY ARM_EXC_PABT, 4
vec_dabt:
	/* A fault on a probe instruction (probe.S) is an answer, not an
	 * error: resume at the probe's failure exit in the interrupted mode. */
	push	{r0, r1}
	sub	r0, lr, #8
	ldr	r1, =arm_probe_read_insn
	cmp	r0, r1
	ldrne	r1, =arm_probe_write_insn
	cmpne	r0, r1
	bne	1f
	ldr	lr, =arm_probe_failed
	pop	{r0, r1}
	movs	pc, lr
1:	pop	{r0, r1}
	EXC_ENTRY ARM_EXC_DABT, 8
vec_fiq:	EXC_ENTRY ARM_EXC_FIQ, 4

exc_common:
	mov	r4, sp
	/* Fetch the interrupted mode's banked sp and lr: switch to that mode
	 * (System for User, which shares the registers) with IRQs/FIQs off,
	 * read them, and come back. */
	ldr	r0, [r4, #(16 * 4)]
	and	r0, r0, #ARM_MODE_MASK
	cmp	r0, #ARM_MODE_USR
	moveq	r0, #ARM_MODE_SYS
	orr	r0, r0, #(ARM_PSR_I | ARM_PSR_F)
	mrs	r1, cpsr
	msr	cpsr_c, r0
	mov	r2, sp
	mov	r3, lr
	msr	cpsr_c, r1
	str	r2, [r4, #(13 * 4)]
	str	r3, [r4, #(14 * 4)]
	mov	r0, r4
	mov	r1, r5
	bic	sp, sp, #7
	bl	arm_exception
1:	b	1b

vec_svc:
	/* SVC mode, IRQs masked; lr = the instruction after the svc. */
	push	{r0-r3, r12, lr}
	mrs	r12, spsr
	tst	r12, #ARM_PSR_T
	bne	svc_other		/* Thumb callers: not ours */
	ldr	r12, [lr, #-4]
	bic	r12, r12, #0xff000000
	ldr	r1, =ARM_SEMIHOST_SVC
	cmp	r12, r1
	bne	svc_other
	/* Semihosting is off: the call fails with -1 in r0. */
	mvn	r0, #0
	str	r0, [sp]
	pop	{r0-r3, r12, lr}
	movs	pc, lr
svc_other:
	pop	{r0-r3, r12, lr}
	EXC_ENTRY ARM_EXC_SVC, 4

vec_irq:
	sub	lr, lr, #4
	srsdb	sp!, #ARM_MODE_SVC	/* return address + SPSR onto SVC stack */
	cps	#ARM_MODE_SVC
	push	{r0-r3, r12, lr}
	/* AAPCS wants an 8-byte aligned stack at calls; the interrupted code
	 * may be anywhere. Align, remembering the adjustment. */
	and	r1, sp, #4
	sub	sp, sp, r1
	push	{r1, r2}
	bl	arm_irq_dispatch
	pop	{r1, r2}
	add	sp, sp, r1
	pop	{r0-r3, r12, lr}
	rfeia	sp!
	.ltorg

/* After a stack overflow the SVC stack pointer sits in the guard page; a
 * later SVC (the semihosting exit when semihosting is off) would fault
 * again. Point it back at the top of the stack: nothing on it will be
 * returned to. Called from abort mode. */
	.globl arm_reset_svc_stack
	.type arm_reset_svc_stack, %function
arm_reset_svc_stack:
	mrs	r1, cpsr
	cps	#ARM_MODE_SVC
	ldr	sp, =svc_stack_top
	msr	cpsr_c, r1
	bx	lr
	.size arm_reset_svc_stack, . - arm_reset_svc_stack
	.ltorg
