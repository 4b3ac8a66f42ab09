/*
 * tools/wasmrun/host_ops.c: the VM's allocation hooks on a hosted libc.
 * Linear memory comes from calloc/realloc; growth zeroes the new tail.
 */
#include "host_ops.h"

#include <stdlib.h>
#include <string.h>

static void *h_alloc(void *ctx, size_t n)
{
	(void)ctx;
	return malloc(n);
}

static void *h_realloc(void *ctx, void *p, size_t n)
{
	(void)ctx;
	return realloc(p, n);
}

static void h_free(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

static void *h_mem_alloc(void *ctx, size_t n)
{
	(void)ctx;
	return calloc(1, n);
}

static void *h_mem_grow(void *ctx, void *p, size_t old, size_t n)
{
	(void)ctx;
	unsigned char *q = realloc(p, n);
	if (q)
		memset(q + old, 0, n - old);
	return q;
}

static void h_mem_free(void *ctx, void *p, size_t n)
{
	(void)ctx;
	(void)n;
	free(p);
}

const struct vm_host_ops host_ops = {
	NULL, h_alloc, h_realloc, h_free, h_mem_alloc, h_mem_grow, h_mem_free,
};
