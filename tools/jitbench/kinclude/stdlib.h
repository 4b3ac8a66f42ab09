/*
 * tools/jitbench/kinclude/stdlib.h: the part of <stdlib.h> the benchmark
 * programs of ../shared/bench/wasm use, for their build into the kernel
 * (CONFIG_BENCH_NATIVE, tools/jitbench/kernel.mk): malloc and free are
 * the kernel's sbrk-heap allocator (mm/malloc.h, C's names), qsort a
 * heapsort in kernel_native.c (glibc's is a merge sort, wasi-libc's a
 * smoothsort: each build's qsort is its own library's), abort a panic.
 */
#ifndef JITBENCH_KINCLUDE_STDLIB_H
#define JITBENCH_KINCLUDE_STDLIB_H

#include <stddef.h>

#include <kernel/printk.h>
#include <mm/malloc.h>

void kbench_libc_qsort(void *base, size_t n, size_t size,
		       int (*cmp)(const void *, const void *));
#define qsort(b, n, s, c) kbench_libc_qsort(b, n, s, c)
#define abort()		  panic("benchmark: abort()")

#endif
