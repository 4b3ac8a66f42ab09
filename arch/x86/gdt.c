/*
 * The GDTs: one per CPU, each with flat 4 GiB code and data segments for
 * ring 0 (the whole system runs in ring 0), a TSS for the double-fault task,
 * the TSS the CPU's TR names, and the per-CPU data segment (%gs, base = the
 * CPU's struct x86_cpu). A double fault (for example a kernel stack
 * overflow) switches to that task, with its own stack, so it is reported
 * instead of escalating to a triple fault. The selectors are the same on
 * every CPU; only the bases differ, so %gs means "this CPU" wherever it is
 * reloaded.
 */
#include <arch/vm86.h>
#include <arch/x86.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "percpu.h"
#include "x86_internal.h"

_Static_assert(offsetof(struct x86_cpu, id) == X86_CPU_OFF_ID, "gs:0");
_Static_assert(offsetof(struct x86_cpu, tlb_pending) == X86_CPU_OFF_TLB_PENDING,
	       "gs:4");
_Static_assert(offsetof(struct x86_cpu, self) == 8, "gs:8");
_Static_assert(PERCPU_SEL / 8 < X86_GDT_ENTRIES, "GDT too short");

struct x86_cpu x86_cpus[X86_MAX_CPUS];
static uint32_t df_cr3;

void x86_double_fault_task(void);

static uint64_t segment(uint32_t base, uint32_t limit, uint8_t access,
			uint8_t flags)
{
	return (uint64_t)(limit & 0xffff) |
	       ((uint64_t)(base & 0xffffff) << 16) | ((uint64_t)access << 40) |
	       ((uint64_t)((limit >> 16) & 0xf) << 48) |
	       ((uint64_t)(flags & 0xf) << 52) | ((uint64_t)(base >> 24) << 56);
}

void gdt_init_cpu(unsigned id)
{
	struct x86_cpu *c = &x86_cpus[id];
	struct tss *df = &c->df_tss;

	c->id = id;
	c->self = c;
	memset(df, 0, sizeof(*df));
	df->esp = (uint32_t)(uintptr_t)(c->df_stack + sizeof(c->df_stack));
	df->ss = KERNEL_DS;
	df->ds = df->es = df->fs = KERNEL_DS;
	df->gs = PERCPU_SEL;
	df->cs = KERNEL_CS;
	df->cr3 = df_cr3; /* 0 on the boot CPU until mmu_init sets it */
	df->eip = (uint32_t)(uintptr_t)x86_double_fault_task;
	df->eflags = 0x2; /* IRQs off */
	df->iomap = sizeof(*df);

	c->gdt[0] = 0;
	c->gdt[1] = segment(0, 0xfffff, 0x9a, 0xc); /* ring-0 code, 4 KiB */
	c->gdt[2] = segment(0, 0xfffff, 0x92, 0xc); /* ring-0 data */
	c->gdt[3] = segment((uint32_t)(uintptr_t)df, sizeof(*df) - 1, 0x89,
			    0x0); /* 32-bit available TSS */
	memset(&c->main_tss, 0, sizeof(c->main_tss));
	c->main_tss.ss0 = KERNEL_DS;
	c->main_tss.iomap = sizeof(c->main_tss);
	c->gdt[4] = segment((uint32_t)(uintptr_t)&c->main_tss,
			    sizeof(c->main_tss) - 1, 0x89, 0x0);
	c->gdt[5] = segment((uint32_t)(uintptr_t)c, sizeof(*c) - 1, 0x92,
			    0x4); /* byte-granular data: this CPU's block */

	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed))
	gdtr = {sizeof(c->gdt) - 1, (uint32_t)(uintptr_t)c->gdt};

	__asm__ volatile("lgdt %0\n\t"
			 "ljmp %1, $1f\n"
			 "1:\n\t"
			 "mov %2, %%ax\n\t"
			 "mov %%ax, %%ds\n\t"
			 "mov %%ax, %%es\n\t"
			 "mov %%ax, %%fs\n\t"
			 "mov %%ax, %%ss\n\t"
			 "mov %3, %%ax\n\t"
			 "mov %%ax, %%gs\n\t"
			 :
			 : "m"(gdtr), "i"(KERNEL_CS), "i"(KERNEL_DS),
			   "i"(PERCPU_SEL)
			 : "eax", "memory");
	__asm__ volatile("ltr %w0" : : "r"(MAIN_TSS_SEL));
}

void gdt_init(void)
{
	gdt_init_cpu(0);
}

/* The double-fault task needs CR3 to be the live page directory: the boot
 * CPU's is set here by mmu_init, later CPUs copy it in gdt_init_cpu. */
void x86_df_tss_set_cr3(uint32_t cr3);
void x86_df_tss_set_cr3(uint32_t cr3)
{
	df_cr3 = cr3;
	for (unsigned i = 0; i < X86_MAX_CPUS; i++)
		x86_cpus[i].df_tss.cr3 = cr3;
}

/* This CPU's TSS esp0 (the TSS is packed but all its fields are 4-byte
 * aligned). */
uint32_t *x86_tss_esp0(void)
{
	struct x86_cpu *c = x86_this_cpu();
	return (uint32_t *)(void *)((uint8_t *)&c->main_tss +
				    offsetof(struct tss, esp0));
}
