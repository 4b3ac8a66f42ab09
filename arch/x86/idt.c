/*
 * The IDT, shared by every CPU: interrupt gates for exceptions 0-31 and PIC
 * IRQs 32-47, and a task gate for the double fault (vector 8), which runs
 * on its own TSS and stack (each CPU's GDT has its own double-fault TSS at
 * the same selector). With SMP the local APIC's vectors are added by
 * arch_smp_init (idt_set_gate).
 */
#include <arch/x86.h>
#include <stdint.h>

#include "percpu.h"
#include "x86_internal.h"

struct idt_entry {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t zero;
	uint8_t type;
	uint16_t offset_hi;
} __attribute__((packed));

#define IDT_INTERRUPT_GATE 0x8e /* present, ring 0, 32-bit interrupt gate */
#define IDT_TASK_GATE	   0x85

extern const uint32_t isr_table[48];
static struct idt_entry idt[256];

void idt_set_gate(unsigned vector, uint32_t handler)
{
	idt[vector & 255] = (struct idt_entry){
		.offset_lo = handler & 0xffff,
		.offset_hi = handler >> 16,
		.selector = KERNEL_CS,
		.type = IDT_INTERRUPT_GATE,
	};
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed))
	idtr = {sizeof(idt) - 1, (uint32_t)(uintptr_t)idt};
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void idt_init(void)
{
	for (unsigned v = 0; v < 48; v++)
		idt_set_gate(v, isr_table[v]);
	idt[8] = (struct idt_entry){.selector = DF_TSS_SEL,
				    .type = IDT_TASK_GATE};
	idt_load();
}
