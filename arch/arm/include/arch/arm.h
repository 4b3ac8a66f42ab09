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
