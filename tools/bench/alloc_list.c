/*
 * The harness's list of allocators (alloc_bench_extra[], alloc_bench.h):
 * ours always, the references when scripts/bench-alloc was given their
 * sources (BENCH_REF_TLSF, BENCH_REF_DLMALLOC, BENCH_REF_MIMALLOC). One
 * binary holds them all, so every ratio comes from one run on one machine
 * state; the harness's built-in "system" (glibc) runs first.
 */
#include "alloc_bench.h"

#include <stddef.h>

extern const alloc_bench_ops bench_kmalloc_ops, bench_kmalloc_dbg_ops;
extern const alloc_bench_ops bench_sbrk_malloc_ops;
extern const alloc_bench_ops bench_sbrk_malloc_cached_ops;
extern const alloc_bench_ops bench_ref_tlsf_ops, bench_ref_dlmalloc_ops;
extern const alloc_bench_ops bench_ref_mimalloc_ops;

/* clang-format off: one allocator a line */
const alloc_bench_ops *const alloc_bench_extra[] = {
	&bench_kmalloc_ops,
	&bench_sbrk_malloc_ops,
	&bench_sbrk_malloc_cached_ops,
#ifdef BENCH_REF_TLSF
	&bench_ref_tlsf_ops,
#endif
#ifdef BENCH_REF_DLMALLOC
	&bench_ref_dlmalloc_ops,
#endif
#ifdef BENCH_REF_MIMALLOC
	&bench_ref_mimalloc_ops,
#endif
	&bench_kmalloc_dbg_ops,
	NULL,
};
/* clang-format on */
