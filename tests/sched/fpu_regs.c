/*
 * FPU register access for the sched suite's FPU cases. Compiled with the
 * arch's FPU flags (ARCH_FPU_CFLAGS, kernel/rules.mk); the rest of the
 * kernel never touches these registers. x86: %xmm0 and MXCSR; ARM: s0 and
 * FPSCR.
 */
#include "fpu_regs.h"

void fpu_regs_set(uint32_t value, uint32_t control)
{
#if defined(__i386__)
	__asm__ volatile("movd %0, %%xmm0\n\tldmxcsr %1"
			 :
			 : "r"(value), "m"(control)
			 : "xmm0");
#elif defined(__arm__)
	__asm__ volatile("vmov s0, %0\n\tvmsr fpscr, %1"
			 :
			 : "r"(value), "r"(control)
			 : "s0");
#endif
}

void fpu_regs_get(uint32_t *value, uint32_t *control)
{
#if defined(__i386__)
	uint32_t v, c;
	__asm__ volatile("movd %%xmm0, %0\n\tstmxcsr %1" : "=r"(v), "=m"(c));
	*value = v;
	*control = c;
#elif defined(__arm__)
	uint32_t v, c;
	__asm__ volatile("vmov %0, s0\n\tvmrs %1, fpscr" : "=r"(v), "=r"(c));
	*value = v;
	*control = c;
#endif
}

uint32_t fpu_control_variant(int k)
{
#if defined(__i386__)
	return 0x1f80u | ((uint32_t)(k & 3) << 13); /* rounding control */
#elif defined(__arm__)
	return (uint32_t)(k & 3) << 22; /* FPSCR RMode */
#else
	return (uint32_t)k;
#endif
}

/* Put `value` in the register and spin, without any call, until the
 * switch counter has moved by `switches`: the value must survive being
 * preempted. Returns what the register holds at the end. */
uint32_t fpu_hold_across(uint32_t value, const volatile unsigned long *counter,
			 unsigned long switches)
{
	unsigned long start = *counter;
	uint32_t out = value;
#if defined(__i386__)
	__asm__ volatile("movd %1, %%xmm0\n"
			 "1:\tmovl (%2), %%eax\n\t"
			 "subl %3, %%eax\n\t"
			 "cmpl %4, %%eax\n\t"
			 "jb 1b\n\t"
			 "movd %%xmm0, %0"
			 : "=r"(out)
			 : "r"(value), "r"(counter), "r"(start), "r"(switches)
			 : "eax", "xmm0", "cc", "memory");
#elif defined(__arm__)
	uint32_t tmp;
	__asm__ volatile("vmov s0, %2\n"
			 "1:\tldr %1, [%3]\n\t"
			 "sub %1, %1, %4\n\t"
			 "cmp %1, %5\n\t"
			 "blo 1b\n\t"
			 "vmov %0, s0"
			 : "=r"(out), "=&r"(tmp)
			 : "r"(value), "r"(counter), "r"(start), "r"(switches)
			 : "s0", "cc", "memory");
#else
	(void)counter;
	(void)switches;
	(void)start;
#endif
	return out;
}
