/* x86 execution context: what a voluntary switch must keep (cdecl
 * callee-saved registers live on the stack; only %esp is stored here). */
#ifndef ARCH_X86_ARCH_THREAD_H
#define ARCH_X86_ARCH_THREAD_H

#include <stdint.h>

struct arch_context {
	uint32_t esp;
};

/* Where a switched-out context's stack is (proc_dump reads it). */
static inline uintptr_t arch_context_sp(const struct arch_context *ctx)
{
	return ctx->esp;
}

/* FXSAVE area. */
#define ARCH_FPU_AREA_SIZE  512
#define ARCH_FPU_AREA_ALIGN 16

#endif
