/*
 * VFP/Advanced SIMD: enabled once at boot so threads may use it; the
 * kernel itself is built soft-float and never touches these registers.
 * Save area (ARCH_FPU_AREA_SIZE): FPSCR, FPEXC, d0-d15, then d16-d31 when
 * the CPU has them (MVFR0.A_SIMD registers field = 2).
 */
	.syntax unified
	.arm
	.fpu neon-vfpv4
	.text

	.globl arm_vfp_enable
	.type arm_vfp_enable, %function
arm_vfp_enable:
	mrc	p15, 0, r0, c1, c0, 2	/* CPACR: cp10, cp11 full access */
	orr	r0, r0, #(0xf << 20)
	mcr	p15, 0, r0, c1, c0, 2
	isb
	mov	r0, #(1 << 30)		/* FPEXC.EN */
	vmsr	fpexc, r0
	mov	r0, #0
	vmsr	fpscr, r0
	bx	lr
	.size arm_vfp_enable, . - arm_vfp_enable

	.globl arm_fpu_save_regs
	.type arm_fpu_save_regs, %function
arm_fpu_save_regs:
	vmrs	r1, fpscr
	vmrs	r2, fpexc
	stmia	r0!, {r1, r2}
	vstmia	r0!, {d0-d15}
	vmrs	r1, mvfr0
	and	r1, r1, #0xf
	cmp	r1, #2
	vstmiaeq r0!, {d16-d31}
	bx	lr
	.size arm_fpu_save_regs, . - arm_fpu_save_regs

	.globl arm_fpu_restore_regs
	.type arm_fpu_restore_regs, %function
arm_fpu_restore_regs:
	ldmia	r0!, {r1, r2}
	vmsr	fpexc, r2
	vmsr	fpscr, r1
	vldmia	r0!, {d0-d15}
	vmrs	r1, mvfr0
	and	r1, r1, #0xf
	cmp	r1, #2
	vldmiaeq r0!, {d16-d31}
	bx	lr
	.size arm_fpu_restore_regs, . - arm_fpu_restore_regs
