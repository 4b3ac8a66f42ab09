/*
 * trap KIND: make the VM trap on purpose. A trap must end only this
 * program, with a message naming the trap, and status 134; make check runs
 * each kind on the host and in the kernel.
 *   unreachable, divide, overflow, convert, memory, indirect, stack, cstack
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile int zero = 0, seven = 7, minus_one = -1, int_min = INT_MIN;
static volatile double big = 1e30;

typedef int (*unary)(int);
static int twice(int x)
{
	return 2 * x;
}

static unary volatile functions[1] = {twice};

/* The C stack (in linear memory) overflowing: an out-of-bounds access. */
static int cstack(int n)
{
	volatile char frame[256];
	frame[0] = (char)n;
	if (n == INT_MAX)
		return 0;
	return cstack(n + 1) + frame[0];
}
static volatile int pick = 0;

static volatile int depth_limit = INT_MAX; /* never reached */

/* Recursion with no frame in linear memory (the C stack lives there, and
 * overflowing it is an out-of-bounds access, not call-stack exhaustion);
 * the call goes through a volatile pointer so it stays a real call. */
static int recurse(int n);
static int (*volatile again)(int) = recurse;

static int recurse(int n)
{
	if (n == depth_limit)
		return 0;
	return again(n + 1) + n;
}

int main(int argc, char **argv)
{
	const char *kind = argc > 1 ? argv[1] : "";

	printf("trap: %s\n", kind);
	fflush(stdout);
	if (strcmp(kind, "unreachable") == 0)
		__builtin_trap();
	if (strcmp(kind, "divide") == 0)
		return seven / zero;
	if (strcmp(kind, "overflow") == 0)
		return int_min / minus_one;
	if (strcmp(kind, "convert") == 0)
		/* A plain C cast is lowered with range guards; the builtin
		 * is the trapping i32.trunc_f64_s instruction itself. */
		return __builtin_wasm_trunc_s_i32_f64(big);
	if (strcmp(kind, "memory") == 0)
		return *(volatile int *)(uintptr_t)0xfffffff0u;
	if (strcmp(kind, "indirect") == 0) {
		/* Call a function through a pointer of the wrong type; the
		 * volatile table hides the target from the compiler. */
		int (*wrong)(int, int) =
			(int (*)(int, int))(void *)functions[pick];
		return wrong(1, 2);
	}
	if (strcmp(kind, "stack") == 0)
		return recurse(0);
	if (strcmp(kind, "cstack") == 0)
		return cstack(0);
	printf("unknown kind\n");
	return 2;
}
