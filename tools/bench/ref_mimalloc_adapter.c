/*
 * alloc_bench adapter for the reference mimalloc (github microsoft/mimalloc)
 * through its mi_ API (no override of malloc), in the same binary as ours.
 * mimalloc takes its memory from the OS, not the harness's region
 * (uses_region = 0). No footprint: on Linux mimalloc commits its 1 GiB
 * arena eagerly, so its committed bytes say nothing about workload d.
 * scripts/bench-alloc builds mimalloc's src/static.c from $MIMALLOC_SRC
 * beside this file and localises every symbol but bench_ref_mimalloc_ops.
 */
#include "alloc_bench.h"

#include <mimalloc.h>

/* Give back what the previous run left cached, so runs start alike. */
static void ref_mi_fini(void)
{
	mi_collect(true);
}

const alloc_bench_ops bench_ref_mimalloc_ops = {
	.name = "mimalloc",
	.uses_region = 0,
	.fini = ref_mi_fini,
	.malloc = mi_malloc,
	.free = mi_free,
	.realloc = mi_realloc,
};
