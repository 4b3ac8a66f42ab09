/*
 * Per-CPU state of the x86 backend: one struct x86_cpu per CPU, reached
 * through %gs (the PERCPU_SEL segment of that CPU's own GDT has the block
 * as its base). It holds what must differ per CPU: the GDT itself, the TSS
 * whose esp0 a trap out of VM86 code uses, the double-fault task and its
 * stack, and the TLB-shootdown mailbox arch_cpu_relax polls.
 *
 * The first two fields are read by <arch/arch_cpu.h> at fixed offsets
 * (X86_CPU_OFF_* in <arch/x86.h>); the static asserts in gdt.c hold them.
 */
#ifndef ARCH_X86_PERCPU_H
#define ARCH_X86_PERCPU_H

#include <arch/timer.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef CONFIG_SMP
#define X86_MAX_CPUS CONFIG_NR_CPUS
#else
#define X86_MAX_CPUS 1
#endif

#define X86_DF_STACK_SIZE 8192
#define X86_GDT_ENTRIES	  6

struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt, iomap;
} __attribute__((packed));

struct x86_cpu {
	unsigned id;		       /* the kernel's CPU index: %gs:0 */
	volatile uint32_t tlb_pending; /* a shootdown is posted: %gs:4 */
	struct x86_cpu *self;	       /* %gs:8, a C pointer to this block */
	uint32_t apic_id;
	volatile bool up; /* running C code, in the shootdown set */
	unsigned long tlb_sent, tlb_served;
	timer_tick_fn tick; /* the local APIC timer's callback */
	volatile unsigned long lapic_ticks;
	uint64_t gdt[X86_GDT_ENTRIES];
	struct tss main_tss; /* TR: its esp0 takes VM86 traps */
	struct tss df_tss;   /* the double-fault task */
	uint8_t df_stack[X86_DF_STACK_SIZE] __attribute__((aligned(16)));
};

extern struct x86_cpu x86_cpus[X86_MAX_CPUS];

/* This CPU's block (valid once its GDT is loaded: gdt_init on the boot
 * CPU, first thing; x86_ap_main on the others). */
static inline struct x86_cpu *x86_this_cpu(void)
{
	struct x86_cpu *c;
	__asm__ volatile("movl %%gs:8, %0" : "=r"(c));
	return c;
}

/* Build and load CPU `id`'s GDT, segments (%gs included) and TR. */
void gdt_init_cpu(unsigned id);
/* Load the one shared IDT (APs); install a gate for `vector`. */
void idt_load(void);
void idt_set_gate(unsigned vector, uint32_t handler);

#endif
