/*
 * Deliberate faults for end-to-end tests of the exception paths
 * (`crash=KIND` on the command line, like Linux's lkdtm): the kernel must
 * report each one clearly — vector, registers, symbol — and stop, never hang
 * or reset silently. `make check` boots each kind and reads the report.
 */
#include <kernel/crash.h>
#include <kernel/printk.h>
#include <stdint.h>
#include <string.h>

/* volatile so the compiler cannot prove the faults away. */
static volatile uintptr_t crash_null_address;

static void __attribute__((noinline)) crash_null_dereference(void)
{
	volatile int *p = (volatile int *)crash_null_address;
	*p = 42;
}

static void __attribute__((noinline)) crash_undefined_instruction(void)
{
	__builtin_trap();
}

/* Recurse with a frame that cannot be optimised away until the stack runs
 * out: a stack overflow in the kernel. */
static volatile int crash_depth_limit = 1 << 30; /* never reached */

static int __attribute__((noinline)) crash_recurse(int depth)
{
	volatile char frame[512];

	frame[0] = (char)depth;
	if (depth >= crash_depth_limit)
		return 0;
	return crash_recurse(depth + 1) + frame[0];
}

static const struct {
	const char *name;
	void (*fn)(void);
} crashes[] = {
	{"null", crash_null_dereference},
	{"undef", crash_undefined_instruction},
};

int crash_trigger(const char *kind)
{
	if (strcmp(kind, "stack") == 0) {
		printk("crash: overflowing the kernel stack\n");
		return crash_recurse(0);
	}
	for (unsigned i = 0; i < sizeof(crashes) / sizeof(crashes[0]); i++) {
		if (strcmp(kind, crashes[i].name) == 0) {
			printk("crash: triggering '%s'\n", kind);
			crashes[i].fn();
			printk("crash: '%s' did not fault\n", kind);
			return -1;
		}
	}
	printk("crash: unknown kind '%s' (null, undef, stack)\n", kind);
	return -1;
}
