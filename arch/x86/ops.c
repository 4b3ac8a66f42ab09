/*
 * The CPU's part of the whole-machine operations: idle, halt, its name.
 * Reset, power-off and the test exit go through the board's devices
 * (platform/pc/power.c).
 */
#include <arch/irq.h>
#include <arch/ops.h>
#include <arch/x86.h>

void arch_idle(void)
{
	/* sti takes effect after the next instruction, so an IRQ arriving
	 * between the two still wakes hlt: no lost wake-up. */
	irq_state_t s = arch_irq_save();
	__asm__ volatile("sti; hlt" : : : "memory");
	arch_irq_restore(s);
	if (!(s & X86_EFLAGS_IF))
		arch_irq_disable();
}

void arch_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

const char *arch_name(void)
{
	return "x86 (i686, multiboot)";
}
