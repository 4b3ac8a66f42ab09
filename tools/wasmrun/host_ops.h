/*
 * tools/wasmrun/host_ops.h: malloc-backed VM hooks for the host tools, and
 * the WASI hooks they all answer the same way.
 */
#ifndef HOST_OPS_H
#define HOST_OPS_H

#include <stdio.h>

#include <vm/vm.h>

/* host_ops gives code memory (the compiler tier compiles, in builds
 * that have it); host_ops_interp does not, forcing the interpreter. */
extern const struct vm_host_ops host_ops;
extern const struct vm_host_ops host_ops_interp;

/* The WASI clock hook: nanoseconds of CLOCK_REALTIME for clock id 0,
 * CLOCK_MONOTONIC for the others (vm/wasi.c checks the id). */
uint64_t host_clock(void *ctx, uint32_t id);

/* The compiler tier's statistics (vm.h vm_jit_stats): functions compiled,
 * code bytes, functions interpreted and, per op, why. */
void host_print_jit_stats(FILE *f);

#endif
