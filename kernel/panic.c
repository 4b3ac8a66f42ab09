/*
 * panic: the kernel cannot go on. The message always reaches the console
 * (quiet mode is lifted), and a test run exits QEMU with a failure status
 * instead of hanging until the harness's timeout.
 */
#include <arch/irq.h>
#include <arch/ops.h>
#include <kernel/kernel.h>
#include <kernel/printk.h>
#include <kernel/smp.h>

void panic(const char *fmt, ...)
{
	va_list ap;

	arch_irq_disable();
	smp_stop_others();
	printk_set_quiet(0);
	printk("\nKERNEL PANIC: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	if (kernel_exit_on_panic)
		arch_test_exit(1);
	arch_halt();
}
