/*
 * The hook the shared ktest runner needs, kernel side: its output goes
 * through printk. (The case table's bounds come from the linker script.)
 */
#include <kernel/printk.h>
#include <ktest.h>

void ktest_vprint(const char *fmt, va_list ap)
{
	vprintk(fmt, ap);
}
