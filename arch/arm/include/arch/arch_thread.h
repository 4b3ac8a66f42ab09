/* ARM execution context: the AAPCS callee-saved registers r4-r11, the stack
 * pointer and the return address, in the order arch/arm/context.S stores
 * them. */
#ifndef ARCH_ARM_ARCH_THREAD_H
#define ARCH_ARM_ARCH_THREAD_H

#include <stdint.h>

struct arch_context {
	uint32_t r[8]; /* r4..r11 */
	uint32_t sp;
	uint32_t lr;
};

/* Where a switched-out context's stack is (proc_dump reads it). */
static inline uintptr_t arch_context_sp(const struct arch_context *ctx)
{
	return ctx->sp;
}

/* FPSCR, FPEXC, then d0-d31, as arch/arm/fpu.S lays them out. */
#define ARCH_FPU_AREA_SIZE  (8 + 32 * 8)
#define ARCH_FPU_AREA_ALIGN 8

#endif
