/*
 * The hooks the shared ktest runner needs, kernel side: its output goes
 * through printk; after each case the runner's process may run on any CPU
 * again (a case that needs one CPU pins itself, and its children inherit
 * the pin). (The case table's bounds come from the linker script.)
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <ktest.h>

void ktest_pin_one_cpu(void)
{
	irq_state_t s = arch_irq_save();
	int cpu = (int)arch_cpu_id();
	arch_irq_restore(s);
	proc_pin(proc_current()->pid, cpu);
}

void ktest_case_done(void)
{
	if (sched_running())
		proc_pin(proc_current()->pid, -1);
}

void ktest_vprint(const char *fmt, va_list ap)
{
	vprintk(fmt, ap);
}
