/*
 * tools/wasmrun/host_ops.h: malloc-backed VM hooks for the host tools, and
 * the WASI hooks they all answer the same way.
 */
#ifndef HOST_OPS_H
#define HOST_OPS_H

#include <vm/vm.h>

extern const struct vm_host_ops host_ops;

/* The WASI clock hook: nanoseconds of CLOCK_REALTIME for clock id 0,
 * CLOCK_MONOTONIC for the others (vm/wasi.c checks the id). */
uint64_t host_clock(void *ctx, uint32_t id);

#endif
