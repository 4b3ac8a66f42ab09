/*
 * Context creation for arch_context_switch (context.S) and the FPU hooks.
 */
#include <arch/arm_platform.h>
#include <arch/thread.h>
#include <kernel/printk.h>

void arm_context_start(void);
void arm_context_returned(void) __attribute__((noreturn));

/* The first switch to `ctx` "returns" into arm_context_start with r4 =
 * entry, r5 = arg, on an 8-byte aligned stack top (AAPCS). */
void arch_context_init(struct arch_context *ctx, void *stack, size_t size,
		       context_entry_fn entry, void *arg)
{
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)7;

	for (int i = 0; i < 8; i++)
		ctx->r[i] = 0;
	ctx->r[0] = (uint32_t)(uintptr_t)entry; /* r4 */
	ctx->r[1] = (uint32_t)(uintptr_t)arg;	/* r5 */
	ctx->sp = (uint32_t)top;
	ctx->lr = (uint32_t)(uintptr_t)arm_context_start;
}

void arm_context_returned(void)
{
	panic("arm: a context's entry function returned");
}

void arch_fpu_save(void *area)
{
	arm_fpu_save_regs(area);
}

void arch_fpu_restore(void *area)
{
	arm_fpu_restore_regs(area);
}
