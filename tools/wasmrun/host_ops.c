/*
 * tools/wasmrun/host_ops.c: the VM's allocation hooks on a hosted libc,
 * and the WASI clock. Linear memory comes from calloc/realloc; growth
 * zeroes the new tail.
 */
#include "host_ops.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

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

uint64_t host_clock(void *ctx, uint32_t id)
{
	(void)ctx;
	struct timespec ts;
	clock_gettime(id == 0 ? CLOCK_REALTIME : CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
