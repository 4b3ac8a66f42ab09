/*
 * ARMv7-A CPU primitives: one static inline wrapper per instruction or
 * CP15 register, and the constants the assembly shares with C.
 */
#ifndef ARCH_ARM_ARM_H
#define ARCH_ARM_ARM_H

/* CPSR mode field and mask bits. */
#define ARM_MODE_USR  0x10
#define ARM_MODE_FIQ  0x11
#define ARM_MODE_IRQ  0x12
#define ARM_MODE_SVC  0x13
#define ARM_MODE_ABT  0x17
#define ARM_MODE_HYP  0x1a
#define ARM_MODE_UND  0x1b
#define ARM_MODE_SYS  0x1f
#define ARM_MODE_MASK 0x1f
#define ARM_PSR_T     0x20
#define ARM_PSR_F     0x40
#define ARM_PSR_I     0x80
#define ARM_PSR_A     0x100

/* SCTLR bits. */
#define ARM_SCTLR_M (1 << 0)
#define ARM_SCTLR_A (1 << 1)
#define ARM_SCTLR_C (1 << 2)
#define ARM_SCTLR_Z (1 << 11)
#define ARM_SCTLR_I (1 << 12)
#define ARM_SCTLR_V (1 << 13)

/* Exception kinds, as vectors.S passes them to arm_exception(). */
#define ARM_EXC_UNDEF 1
#define ARM_EXC_SVC   2
#define ARM_EXC_PABT  3
#define ARM_EXC_DABT  4
#define ARM_EXC_IRQ   5
#define ARM_EXC_FIQ   6
#define ARM_EXC_RESET 7

/* Stack sizes (bytes) per mode; start.S carves them out of .bss. */
#define ARM_SVC_STACK_SIZE 16384
#define ARM_EXC_STACK_SIZE 4096

/* Semihosting trap number in ARM state. */
#define ARM_SEMIHOST_SVC 0x123456

/* ACTLR.SMP (Cortex-A7/A9/A15/A17): the core takes part in coherency and
 * receives the other cores' broadcast cache/TLB maintenance. */
#define ARM_ACTLR_SMP (1 << 6)

/* struct arm_cpu_boot (arm_platform.h): field offsets and states, for
 * secondary.S. */
#define ARM_CPU_BOOT_TTBR0     0
#define ARM_CPU_BOOT_TTBCR     4
#define ARM_CPU_BOOT_DACR      8
#define ARM_CPU_BOOT_SCTLR     12
#define ARM_CPU_BOOT_MPIDR     16
#define ARM_CPU_BOOT_CPU       20
#define ARM_CPU_BOOT_STACK_TOP 24
#define ARM_CPU_BOOT_STATE     28
#define ARM_CPU_BOOT_CONDUIT   32
#define ARM_CPU_BOOT_ACTLR     36

#define ARM_CPU_BOOT_IDLE      0
#define ARM_CPU_BOOT_ARMED     1 /* filled, CPU_ON issued */
#define ARM_CPU_BOOT_TAKEN     2 /* the core claimed it (MMU on) */
#define ARM_CPU_BOOT_ENTERED   3 /* about to call smp_secondary_entry */
#define ARM_CPU_BOOT_ABANDONED 4 /* the boot CPU gave up: park */

#ifdef __ASSEMBLY__
/* Entered in HYP mode (virtualization extensions in use)? Drop to SVC with
 * IRQs, FIQs and aborts masked, the virtual counter offset zeroed and the
 * counters open to PL1. Clobbers \tmp; needs .arch_extension virt. */
.macro ARM_LEAVE_HYP tmp
	mrs	\tmp, cpsr
	and	\tmp, \tmp, #ARM_MODE_MASK
	cmp	\tmp, #ARM_MODE_HYP
	bne	9998f
	mov	\tmp, #0
	mcrr	p15, 4, \tmp, \tmp, c14	/* CNTVOFF = 0 */
	mrc	p15, 4, \tmp, c14, c1, 0	/* CNTHCTL: PL1 may use the counters */
	orr	\tmp, \tmp, #3
	mcr	p15, 4, \tmp, c14, c1, 0
	adr	\tmp, 9998f
	msr	elr_hyp, \tmp
	mov	\tmp, #(ARM_MODE_SVC | ARM_PSR_I | ARM_PSR_F | ARM_PSR_A)
	msr	spsr_cxsf, \tmp	/* SPSR_hyp: banked MSR to it from HYP is UNPREDICTABLE */
	eret
9998:
.endm

/* Join the coherency domain before the caches, the MMU or any maintenance
 * (Cortex-A15 TRM 4.3.31): set ACTLR.SMP, writing only if clear, as the
 * bit may be read-only from the non-secure side (then it is the
 * firmware's job; QEMU's Cortex-A15 reads 0 and ignores the write, and
 * needs nothing: TCG keeps all cores coherent). Clobbers \tmp. */
.macro ARM_JOIN_SMP tmp
	mrc	p15, 0, \tmp, c1, c0, 1
	tst	\tmp, #ARM_ACTLR_SMP
	orreq	\tmp, \tmp, #ARM_ACTLR_SMP
	mcreq	p15, 0, \tmp, c1, c0, 1
	isb
.endm
#endif

#ifndef __ASSEMBLY__
#include <stdint.h>

/* The register frame vectors.S builds for arm_exception(). */
struct arm_exc_frame {
	uint32_t r[13];
	uint32_t sp;   /* of the interrupted mode */
	uint32_t lr;   /* of the interrupted mode */
	uint32_t pc;   /* the faulting / interrupted instruction */
	uint32_t cpsr; /* the interrupted mode's CPSR (SPSR of the handler) */
};

#define ARM_CP15_READ(name, op1, crn, crm, op2)                                \
	static inline uint32_t arm_read_##name(void)                           \
	{                                                                      \
		uint32_t v;                                                    \
		__asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm      \
				 ", " #op2                                     \
				 : "=r"(v));                                   \
		return v;                                                      \
	}
#define ARM_CP15_WRITE(name, op1, crn, crm, op2)                               \
	static inline void arm_write_##name(uint32_t v)                        \
	{                                                                      \
		__asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm      \
				 ", " #op2                                     \
				 :                                             \
				 : "r"(v)                                      \
				 : "memory");                                  \
	}
#define ARM_CP15_RW(name, op1, crn, crm, op2)                                  \
	ARM_CP15_READ(name, op1, crn, crm, op2)                                \
	ARM_CP15_WRITE(name, op1, crn, crm, op2)

ARM_CP15_READ(midr, 0, c0, c0, 0)
ARM_CP15_READ(mpidr, 0, c0, c0, 5)
ARM_CP15_READ(id_mmfr3, 0, c0, c1, 7)
ARM_CP15_RW(actlr, 0, c1, c0, 1)
ARM_CP15_RW(sctlr, 0, c1, c0, 0)
ARM_CP15_RW(cpacr, 0, c1, c0, 2)
ARM_CP15_RW(ttbr0, 0, c2, c0, 0)
ARM_CP15_RW(ttbcr, 0, c2, c0, 2)
ARM_CP15_RW(dacr, 0, c3, c0, 0)
ARM_CP15_READ(dfsr, 0, c5, c0, 0)
ARM_CP15_READ(ifsr, 0, c5, c0, 1)
ARM_CP15_READ(dfar, 0, c6, c0, 0)
ARM_CP15_READ(ifar, 0, c6, c0, 2)
ARM_CP15_RW(vbar, 0, c12, c0, 0)
ARM_CP15_WRITE(tlbiall, 0, c8, c7, 0)
ARM_CP15_WRITE(tlbimva, 0, c8, c7, 1)
ARM_CP15_WRITE(iciallu, 0, c7, c5, 0)
ARM_CP15_WRITE(bpiall, 0, c7, c5, 6)
ARM_CP15_WRITE(dccmvac, 0, c7, c10, 1)
ARM_CP15_WRITE(dccmvau, 0, c7, c11, 1)
/* Inner-shareable broadcasts (multiprocessing extensions): every core of
 * the inner shareable domain performs them. */
ARM_CP15_WRITE(tlbiallis, 0, c8, c3, 0)
ARM_CP15_WRITE(tlbimvais, 0, c8, c3, 1)
ARM_CP15_WRITE(bpiallis, 0, c7, c1, 6)
ARM_CP15_WRITE(icialluis, 0, c7, c1, 0)
/* PL1-only software thread id: the kernel's CPU number (arch_cpu_id). */
ARM_CP15_RW(tpidrprw, 0, c13, c0, 4)
/* Generic timer (CP15 c14). */
ARM_CP15_READ(cntfrq, 0, c14, c0, 0)
ARM_CP15_RW(cntv_ctl, 0, c14, c3, 1)
ARM_CP15_RW(cntv_tval, 0, c14, c3, 0)

static inline uint64_t arm_read_cntvct(void)
{
	uint64_t v;
	__asm__ volatile("isb\n\tmrrc p15, 1, %Q0, %R0, c14" : "=r"(v));
	return v;
}

static inline void arm_write_cntv_cval(uint64_t v)
{
	__asm__ volatile("mcrr p15, 3, %Q0, %R0, c14" : : "r"(v) : "memory");
}

static inline uint32_t arm_read_cpsr(void)
{
	uint32_t v;
	__asm__ volatile("mrs %0, cpsr" : "=r"(v));
	return v;
}

static inline void arm_dsb(void)
{
	__asm__ volatile("dsb" : : : "memory");
}

/* Completes memory accesses and maintenance operations in the inner
 * shareable domain (all the cores), not only this core's. */
static inline void arm_dsb_ish(void)
{
	__asm__ volatile("dsb ish" : : : "memory");
}

static inline void arm_isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

static inline void arm_wfi(void)
{
	__asm__ volatile("wfi" : : : "memory");
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v = *(volatile uint32_t *)addr;
	__asm__ volatile("" : : : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("dsb st" : : : "memory");
	*(volatile uint32_t *)addr = v;
}

#endif /* !__ASSEMBLY__ */
#endif
