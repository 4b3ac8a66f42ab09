/*
 * The IDT: interrupt gates for exceptions 0-31 and PIC IRQs 32-47, and a task
 * gate for the double fault (vector 8), which runs on its own TSS and stack.
 */
#include <arch/x86.h>
#include <stdint.h>

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

void idt_init(void)
{
	for (unsigned v = 0; v < 48; v++) {
		idt[v].offset_lo = isr_table[v] & 0xffff;
		idt[v].offset_hi = isr_table[v] >> 16;
		idt[v].selector = KERNEL_CS;
		idt[v].type = IDT_INTERRUPT_GATE;
	}
	idt[8] = (struct idt_entry){.selector = DF_TSS_SEL,
				    .type = IDT_TASK_GATE};

	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed))
	idtr = {sizeof(idt) - 1, (uint32_t)(uintptr_t)idt};
	__asm__ volatile("lidt %0" : : "m"(idtr));
}
