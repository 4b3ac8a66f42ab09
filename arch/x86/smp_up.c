/*
 * <arch/smp.h> without CONFIG_SMP: nothing in the kernel starts CPUs or
 * sends IPIs (these say -ENOSYS if called), and the shootdown is the local
 * flush, which is the whole of it on one CPU.
 */
#include <arch/mmu.h>
#include <arch/smp.h>
#include <lib/err.h>

#include "smp_x86.h"

int arch_smp_init(void)
{
	return -ENOSYS;
}

int arch_cpu_start(unsigned cpu, void *stack_top)
{
	(void)cpu;
	(void)stack_top;
	return -ENOSYS;
}

int arch_cpu_timer_start(unsigned hz, timer_tick_fn tick)
{
	(void)hz;
	(void)tick;
	return -ENOSYS;
}

void arch_ipi_send(unsigned cpu, enum smp_ipi kind)
{
	(void)cpu;
	(void)kind;
}

void arch_tlb_shootdown(vaddr_t va, size_t count)
{
	x86_tlb_flush_local(va, count);
}

unsigned long arch_tlb_shootdowns_sent(void)
{
	return 0;
}

unsigned long arch_tlb_shootdowns_served(void)
{
	return 0;
}
