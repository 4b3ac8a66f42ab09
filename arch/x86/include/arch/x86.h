/* One static inline wrapper per x86 instruction the backend uses. */
#ifndef ARCH_X86_X86_H
#define ARCH_X86_X86_H

#ifndef __ASSEMBLY__
#include <stdint.h>

static inline uint32_t read_cr0(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint32_t read_cr2(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_cr3(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint32_t read_cr4(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void invlpg(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c,
			 uint32_t *d)
{
	__asm__ volatile("cpuid"
			 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(0));
}

static inline void hlt(void)
{
	__asm__ volatile("hlt");
}

#endif /* __ASSEMBLY__ */

/* A bit, unsigned in C; the assembler's expressions have no `u` suffix
 * (clang's integrated assembler refuses it, GNU as let it pass). */
#ifdef __ASSEMBLY__
#define X86_BIT(n) (1 << (n))
#else
#define X86_BIT(n) (1u << (n))
#endif

#define CR0_PE	       X86_BIT(0)
#define CR0_MP	       X86_BIT(1)
#define CR0_EM	       X86_BIT(2)
#define CR0_TS	       X86_BIT(3)
#define CR0_NE	       X86_BIT(5)
#define CR0_WP	       X86_BIT(16)
#define CR0_PG	       X86_BIT(31)
#define CR4_PSE	       X86_BIT(4)
#define CR4_OSFXSR     X86_BIT(9)
#define CR4_OSXMMEXCPT X86_BIT(10)

#define KERNEL_CS    0x08
#define KERNEL_DS    0x10
#define DF_TSS_SEL   0x18
#define MAIN_TSS_SEL 0x20
/* Each CPU has its own GDT; in every one this data segment's base is that
 * CPU's struct x86_cpu (arch/x86/percpu.h), so %gs:0 is the CPU's index on
 * whichever CPU reads it. isr.S reloads %gs on every entry (VM86 exits
 * leave it null). */
#define PERCPU_SEL 0x28
/* Offsets in struct x86_cpu read through %gs by <arch/arch_cpu.h>. */
#define X86_CPU_OFF_ID		0
#define X86_CPU_OFF_TLB_PENDING 4

#endif
