/*
 * Execution contexts. Each arch defines struct arch_context in
 * <arch/arch_thread.h>: the callee-saved registers and stack pointer that a
 * voluntary switch must preserve (FPU state is handled by the scheduler
 * through arch_fpu_save/restore).
 */
#ifndef ARCH_THREAD_H
#define ARCH_THREAD_H

#include <stddef.h>

#include <arch/arch_thread.h>

typedef void (*context_entry_fn)(void *arg);

/* Prepare `ctx` so that the first arch_context_switch() to it calls
 * entry(arg) on the stack [stack, stack + size) with IRQs enabled. `entry`
 * must not return. */
void arch_context_init(struct arch_context *ctx, void *stack, size_t size,
		       context_entry_fn entry, void *arg);

/* Save the current callee-saved state in `from` and resume `to`. Call with
 * IRQs disabled; returns (in `from`'s context) when something switches back. */
void arch_context_switch(struct arch_context *from, struct arch_context *to);

/* Save / restore the floating-point and vector state into `area`, which is
 * ARCH_FPU_AREA_SIZE bytes aligned to ARCH_FPU_AREA_ALIGN. */
void arch_fpu_save(void *area);
void arch_fpu_restore(void *area);

#endif
