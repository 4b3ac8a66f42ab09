/*
 * The GDT: flat 4 GiB code and data segments for ring 0 (the whole system
 * runs in ring 0), plus a TSS for the double-fault task. A double fault (for
 * example a kernel stack overflow) switches to that task, with its own
 * stack, so it is reported instead of escalating to a triple fault.
 */
#include <arch/vm86.h>
#include <arch/x86.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "x86_internal.h"

struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt, iomap;
} __attribute__((packed));

static uint64_t gdt[5];
/* The running context's TSS: a task switch (the double fault) stores the
 * outgoing state in the TSS that TR names, so TR must be valid. Its esp0
 * is where the CPU puts the frame of a trap out of VM86 code (vm86.c). */
static struct tss main_tss;
static struct tss df_tss;
static uint8_t df_stack[8192] __attribute__((aligned(16)));

void x86_double_fault_task(void);

static uint64_t segment(uint32_t base, uint32_t limit, uint8_t access,
			uint8_t flags)
{
	return (uint64_t)(limit & 0xffff) |
	       ((uint64_t)(base & 0xffffff) << 16) | ((uint64_t)access << 40) |
	       ((uint64_t)((limit >> 16) & 0xf) << 48) |
	       ((uint64_t)(flags & 0xf) << 52) | ((uint64_t)(base >> 24) << 56);
}

void gdt_init(void)
{
	memset(&df_tss, 0, sizeof(df_tss));
	df_tss.esp = (uint32_t)(uintptr_t)(df_stack + sizeof(df_stack));
	df_tss.ss = KERNEL_DS;
	df_tss.ds = df_tss.es = df_tss.fs = df_tss.gs = KERNEL_DS;
	df_tss.cs = KERNEL_CS;
	df_tss.eip = (uint32_t)(uintptr_t)x86_double_fault_task;
	df_tss.eflags = 0x2; /* IRQs off */
	df_tss.iomap = sizeof(df_tss);

	gdt[0] = 0;
	gdt[1] = segment(0, 0xfffff, 0x9a, 0xc); /* ring-0 code, 4 KiB gran. */
	gdt[2] = segment(0, 0xfffff, 0x92, 0xc); /* ring-0 data */
	gdt[3] = segment((uint32_t)(uintptr_t)&df_tss, sizeof(df_tss) - 1, 0x89,
			 0x0); /* 32-bit available TSS */
	main_tss.ss0 = KERNEL_DS;
	main_tss.iomap = sizeof(main_tss);
	gdt[4] = segment((uint32_t)(uintptr_t)&main_tss, sizeof(main_tss) - 1,
			 0x89, 0x0);

	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed))
	gdtr = {sizeof(gdt) - 1, (uint32_t)(uintptr_t)gdt};

	__asm__ volatile("lgdt %0\n\t"
			 "ljmp %1, $1f\n"
			 "1:\n\t"
			 "mov %2, %%ax\n\t"
			 "mov %%ax, %%ds\n\t"
			 "mov %%ax, %%es\n\t"
			 "mov %%ax, %%fs\n\t"
			 "mov %%ax, %%gs\n\t"
			 "mov %%ax, %%ss\n\t"
			 :
			 : "m"(gdtr), "i"(KERNEL_CS), "i"(KERNEL_DS)
			 : "eax", "memory");
	__asm__ volatile("ltr %w0" : : "r"(MAIN_TSS_SEL));
}

/* The double-fault task needs CR3 to be the live page directory. */
void x86_df_tss_set_cr3(uint32_t cr3);
void x86_df_tss_set_cr3(uint32_t cr3)
{
	df_tss.cr3 = cr3;
}

/* The TSS is packed but all its fields are 4-byte aligned. */
uint32_t *x86_tss_esp0(void)
{
	return (uint32_t *)(void *)((uint8_t *)&main_tss +
				    offsetof(struct tss, esp0));
}
