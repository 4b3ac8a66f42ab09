/*
 * Context creation and FPU/SSE state for x86.
 */
#include <arch/thread.h>
#include <arch/x86.h>
#include <kernel/printk.h>
#include <stdint.h>

#include "x86_internal.h"

void x86_context_start(void);
void x86_context_returned(void);

/* The initial stack mirrors what arch_context_switch pops: eflags, edi,
 * esi, ebx, ebp, then the return address. */
void arch_context_init(struct arch_context *ctx, void *stack, size_t size,
		       context_entry_fn entry, void *arg)
{
	uint32_t *sp = (uint32_t *)(((uintptr_t)stack + size) & ~(uintptr_t)15);

	*--sp = 0; /* alignment pad */
	*--sp = (uint32_t)(uintptr_t)x86_context_start;
	*--sp = 0;			    /* ebp: ends backtraces */
	*--sp = (uint32_t)(uintptr_t)entry; /* ebx */
	*--sp = (uint32_t)(uintptr_t)arg;   /* esi */
	*--sp = 0;			    /* edi */
	*--sp = 0x2;			    /* eflags: IRQs off until start */
	ctx->esp = (uint32_t)(uintptr_t)sp;
}

void x86_context_returned(void)
{
	panic("a context's entry function returned");
}

/* Enable the x87 FPU and SSE (FXSAVE/FXRSTOR, SIMD exceptions) so processes
 * and the VM may use them; the kernel proper is compiled not to. */
void fpu_init(void)
{
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ volatile("fninit");
}

void arch_fpu_save(void *area)
{
	__asm__ volatile("fxsave (%0)" : : "r"(area) : "memory");
}

void arch_fpu_restore(void *area)
{
	__asm__ volatile("fxrstor (%0)" : : "r"(area) : "memory");
}
