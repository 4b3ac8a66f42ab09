/*
 * Faulting probes (see arch_probe_read/write in <arch/mmu.h>): one load or
 * store each; a data abort on exactly that instruction resumes at
 * arm_probe_failed, which returns -EFAULT (vec_dabt in vectors.S).
 */
	.syntax unified
	.arm
	.text

	.globl arch_probe_read
	.type arch_probe_read, %function
arch_probe_read:		/* r0 = address, r1 = where to store the byte */
	.globl arm_probe_read_insn
arm_probe_read_insn:
	ldrb	r2, [r0]
	strb	r2, [r1]
	mov	r0, #0
	bx	lr
	.size arch_probe_read, . - arch_probe_read

	.globl arch_probe_write
	.type arch_probe_write, %function
arch_probe_write:		/* r0 = address, r1 = the byte */
	.globl arm_probe_write_insn
arm_probe_write_insn:
	strb	r1, [r0]
	mov	r0, #0
	bx	lr
	.size arch_probe_write, . - arch_probe_write

	.globl arm_probe_failed
	.type arm_probe_failed, %function
arm_probe_failed:
	mvn	r0, #13			/* -EFAULT (14) */
	bx	lr
	.size arm_probe_failed, . - arm_probe_failed
