/*
 * alloc_bench adapter for the reference dlmalloc 2.8.6 as an mspace over
 * the harness's region (create_mspace_with_base: no mmap, no morecore), in
 * the same binary as kmalloc. scripts/bench-alloc compiles this file with
 * -I$DLMALLOC_SRC, where malloc.c is dlmalloc 2.8.6; it is included here
 * and every symbol but bench_ref_dlmalloc_ops is then made local.
 */
#define ONLY_MSPACES  1
#define MSPACES	      1
#define USE_LOCKS     0
#define HAVE_MMAP     0
#define HAVE_MORECORE 0
#define FOOTERS	      0
#include "alloc_bench.h"

#include "malloc.c"

static mspace ref_dl;

static int ref_dl_init(void *region, size_t size)
{
	ref_dl = create_mspace_with_base(region, size, 0);
	return ref_dl ? 0 : -1;
}

static void *ref_dl_malloc(size_t size)
{
	return mspace_malloc(ref_dl, size);
}

static void ref_dl_free(void *p)
{
	mspace_free(ref_dl, p);
}

static void *ref_dl_realloc(void *p, size_t size)
{
	return mspace_realloc(ref_dl, p, size);
}

const alloc_bench_ops bench_ref_dlmalloc_ops = {
	.name = "dlmalloc-2.8.6",
	.uses_region = 1,
	.init = ref_dl_init,
	.malloc = ref_dl_malloc,
	.free = ref_dl_free,
	.realloc = ref_dl_realloc,
};
