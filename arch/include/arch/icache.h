/*
 * Instruction-cache coherency after the kernel writes code (the
 * WebAssembly compiler's output, mm/code_heap.c). The body is `static
 * inline` in each arch's <arch/arch_icache.h>.
 */
#ifndef ARCH_ICACHE_H
#define ARCH_ICACHE_H

#include <stddef.h>

/* Make the `len` bytes just written for `start` (the addresses they will
 * run from; written through these or through another cacheable mapping of
 * the same frames, which ARMv7's physically indexed data caches make the
 * same lines) fetchable as instructions by every CPU:
 * x86 keeps the instruction stream coherent with stores (nothing to do);
 * ARMv7 cleans the D-cache to the point of unification and invalidates
 * the I-cache and branch predictor over the range, broadcast to the inner
 * shareable domain, then DSB and ISB. Any context; does not sleep. */
static inline void arch_sync_icache(const void *start, size_t len);

#include <arch/arch_icache.h>

#endif
