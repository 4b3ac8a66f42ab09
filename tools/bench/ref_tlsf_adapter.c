/*
 * alloc_bench adapter for the reference TLSF 3.1 (github mattconte/tlsf),
 * built into the same harness binary as kmalloc so ratios are same-run.
 * The reference's sources are never part of the project: scripts/bench-alloc
 * compiles this file with -I$TLSF_SRC, and the reference's tlsf.c is
 * included here so that one object holds both; the script then localises
 * every symbol but bench_ref_tlsf_ops (its names clash with mm/tlsf.c).
 */
#include "alloc_bench.h"

#include "tlsf.c"

static tlsf_t ref_tlsf;

/* A fresh TLSF over the harness's region (control object at its start). */
static int ref_tlsf_init(void *region, size_t size)
{
	ref_tlsf = tlsf_create_with_pool(region, size);
	return ref_tlsf ? 0 : -1;
}

static void *ref_tlsf_malloc(size_t size)
{
	return tlsf_malloc(ref_tlsf, size);
}

static void ref_tlsf_free(void *p)
{
	tlsf_free(ref_tlsf, p);
}

static void *ref_tlsf_realloc(void *p, size_t size)
{
	return tlsf_realloc(ref_tlsf, p, size);
}

const alloc_bench_ops bench_ref_tlsf_ops = {
	.name = "tlsf-3.1",
	.uses_region = 1,
	.init = ref_tlsf_init,
	.malloc = ref_tlsf_malloc,
	.free = ref_tlsf_free,
	.realloc = ref_tlsf_realloc,
};
