/*
 * Hooks the shared ktest runner needs, kernel side: output through printk,
 * cases from the linker-script-defined section bounds.
 */
#include <kernel/printk.h>
#include <ktest.h>

extern const struct ktest_case __start_ktest_cases[];
extern const struct ktest_case __stop_ktest_cases[];

const struct ktest_case *ktest_cases_begin(void)
{
	return __start_ktest_cases;
}

const struct ktest_case *ktest_cases_end(void)
{
	return __stop_ktest_cases;
}

void ktest_vprint(const char *fmt, va_list ap)
{
	vprintk(fmt, ap);
}
