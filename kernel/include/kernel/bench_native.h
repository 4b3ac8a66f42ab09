/*
 * kernel/include/kernel/bench_native.h: the benchmark programs of
 * ../shared/bench/wasm as native C in the kernel, beside the same program
 * run as WebAssembly in one boot (CONFIG_BENCH_NATIVE, a bench-only
 * build: tools/jitbench/kernel.mk, scripts/bench-jit).
 */
#ifndef KERNEL_BENCH_NATIVE_H
#define KERNEL_BENCH_NATIVE_H

#ifdef CONFIG_BENCH_NATIVE
/* If `program` names one of the benchmarks (fib.wasm, or a path ending in
 * it), run its native bench_run() once and print
 * "native-run NAME checksum=0x... time S s" on the console; else nothing.
 * Process context, in a process with an FPU area (init). */
void bench_native_beside(const char *program);
#else
static inline void bench_native_beside(const char *program)
{
	(void)program;
}
#endif

#endif
