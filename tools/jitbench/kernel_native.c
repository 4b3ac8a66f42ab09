/*
 * tools/jitbench/kernel_native.c: the benchmark programs of
 * ../shared/bench/wasm run as native C in the kernel (CONFIG_BENCH_NATIVE,
 * kernel/include/kernel/bench_native.h), so that one boot under QEMU times
 * the same C natively and as WebAssembly in the same emulator: the ratio
 * scripts/bench-jit prints for the kernels. Also the qsort the programs
 * call (kinclude/stdlib.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arch/timer.h>
#include <kernel/bench_native.h>
#include <kernel/console.h>

#include "kinclude/stdlib.h"

/* Each program's bench_run, renamed by tools/jitbench/kernel.mk, which
 * lists the programs of this build as KBENCH_PROGS: X(fib) X(sieve)... */
#define X(p) uint32_t kbench_##p(void);
KBENCH_PROGS
#undef X

static const struct {
	const char *name;
	uint32_t (*run)(void);
} benches[] = {
#define X(p) {#p, kbench_##p},
	KBENCH_PROGS
#undef X
};

/* Does `program` (a name or a path) end in NAME.wasm, as a whole name? */
static int names(const char *program, const char *name)
{
	size_t p = strlen(program), n = strlen(name);
	if (p < n + 5 || strcmp(program + p - 5, ".wasm") ||
	    memcmp(program + p - 5 - n, name, n))
		return 0;
	return p == n + 5 || program[p - n - 6] == '/';
}

void bench_native_beside(const char *program)
{
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		if (!names(program, benches[i].name))
			continue;
		uint64_t start = arch_time_ns();
		uint32_t sum = benches[i].run();
		uint64_t us = (arch_time_ns() - start) / 1000;
		console_printf("native-run %s checksum=0x%08x time %llu.%06llu "
			       "s\n",
			       benches[i].name, (unsigned)sum,
			       (unsigned long long)(us / 1000000),
			       (unsigned long long)(us % 1000000));
		return;
	}
}

/* Swap two elements of `size` bytes. */
static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
	while (size--) {
		unsigned char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/* Restore the heap property below element i of the n at base. */
static void sift_down(unsigned char *base, size_t i, size_t n, size_t size,
		      int (*cmp)(const void *, const void *))
{
	for (;;) {
		size_t big = i, l = 2 * i + 1, r = l + 1;
		if (l < n && cmp(base + l * size, base + big * size) > 0)
			big = l;
		if (r < n && cmp(base + r * size, base + big * size) > 0)
			big = r;
		if (big == i)
			return;
		swap_bytes(base + i * size, base + big * size, size);
		i = big;
	}
}

/* C's qsort for the programs (kinclude/stdlib.h): a heapsort, O(n log n)
 * with no recursion and no allocation. */
void kbench_libc_qsort(void *base, size_t n, size_t size,
		       int (*cmp)(const void *, const void *))
{
	unsigned char *b = base;
	if (n < 2)
		return;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(b, i, n, size, cmp);
	for (size_t end = n - 1; end > 0; end--) {
		swap_bytes(b, b + end * size, size);
		sift_down(b, 0, end, size, cmp);
	}
}
