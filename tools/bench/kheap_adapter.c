/*
 * alloc_bench adapter for the kernel heap (mm/kheap*.c over mm/tlsf.c): a
 * kheap instance over the harness's region, re-created before every run.
 * Two entries: "kmalloc" (the production configuration) and
 * "kmalloc-dbg" (KHEAP_F_DEBUG: red zones, poisoning, quarantine; select
 * with -a kmalloc-dbg, its cost is informative only).
 *
 * Build and run from the repository root, outputs outside the tree:
 *   gcc -O2 -std=gnu11 -Ikernel/include -Ilib/include -Imm/include \
 *       -DCONFIG_KHEAP_RESERVE_KB=2048 -I/work/shared/bench/alloc -o /tmp/ab \
 *       /work/shared/bench/alloc/alloc_bench.c tools/bench/kheap_adapter.c \
 *       mm/tlsf.c mm/kheap.c mm/kheap_debug.c -lm
 *   /tmp/ab -w abcde -r 5 -W 1
 */
#include "alloc_bench.h"

#include <mm/kheap.h>
#include <stdint.h>

static struct kheap heap;

static int kh_init(void *region, size_t size)
{
	return kheap_create(&heap, region, size, KHEAP_F_CACHE);
}

static int kh_init_dbg(void *region, size_t size)
{
	return kheap_create(&heap, region, size, KHEAP_F_DEBUG);
}

static void *kh_malloc(size_t size)
{
	return kheap_alloc(&heap, size, 0, NULL, 0);
}

static void kh_free(void *p)
{
	kheap_free(&heap, p, NULL, 0);
}

static void *kh_realloc(void *p, size_t size)
{
	return kheap_realloc(&heap, p, size, NULL, 0);
}

const alloc_bench_ops bench_kmalloc_ops = {
	.name = "kmalloc",
	.uses_region = 1,
	.init = kh_init,
	.malloc = kh_malloc,
	.free = kh_free,
	.realloc = kh_realloc,
};

const alloc_bench_ops bench_kmalloc_dbg_ops = {
	.name = "kmalloc-dbg",
	.uses_region = 1,
	.init = kh_init_dbg,
	.malloc = kh_malloc,
	.free = kh_free,
	.realloc = kh_realloc,
};
