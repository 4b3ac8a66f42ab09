/*
 * The symbol table the second link embeds, as used by exception reports.
 */
#include <kernel/ksyms.h>
#include <ktest.h>

static void __attribute__((noinline)) ksyms_probe_function(void)
{
	__asm__ volatile("");
}

KTEST(ksyms, names_a_kernel_function)
{
	uintptr_t off = 1;
	const char *name = ksym_lookup((uintptr_t)ksyms_probe_function, &off);

	KT_ASSERT(t, name != NULL);
	KT_EXPECT_STREQ(t, name, "ksyms_probe_function");
	KT_EXPECT_EQ(t, off, 0);
	name = ksym_lookup((uintptr_t)ksyms_probe_function + 2, &off);
	KT_EXPECT_STREQ(t, name, "ksyms_probe_function");
	KT_EXPECT_EQ(t, off, 2);
}

KTEST(ksyms, outside_code_is_null)
{
	static int data;

	KT_EXPECT(t, ksym_lookup(0, NULL) == NULL);
	KT_EXPECT(t, ksym_lookup((uintptr_t)&data, NULL) == NULL);
	KT_EXPECT(t, ksym_lookup(~(uintptr_t)0, NULL) == NULL);
}
