/*
 * tools/wasmrun/host_ops.c: the VM's allocation hooks on a hosted libc,
 * and the WASI clock. Linear memory comes from calloc/realloc; growth
 * zeroes the new tail.
 */
#include "host_ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/* Compiled code (builds with the compiler tier): pages written, then
 * made read-only and executable, never both writable and executable. */
static void *h_code_alloc(void *ctx, const void *code, size_t n)
{
	(void)ctx;
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	memcpy(p, code, n);
	__builtin___clear_cache((char *)p, (char *)p + n); /* ARM: I/D caches */
	if (mprotect(p, n, PROT_READ | PROT_EXEC)) {
		munmap(p, n);
		return NULL;
	}
	return p;
}

static void h_code_free(void *ctx, void *p, size_t n)
{
	(void)ctx;
	munmap(p, n);
}

const struct vm_host_ops host_ops = {
	NULL,	    h_alloc,	h_realloc,    h_free,	   h_mem_alloc,
	h_mem_grow, h_mem_free, h_code_alloc, h_code_free,
};

const struct vm_host_ops host_ops_interp = {
	NULL,	    h_alloc,	h_realloc, h_free, h_mem_alloc,
	h_mem_grow, h_mem_free, NULL,	   NULL,
};

uint64_t host_clock(void *ctx, uint32_t id)
{
	(void)ctx;
	struct timespec ts;
	clock_gettime(id == 0 ? CLOCK_REALTIME : CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void host_print_jit_stats(FILE *f)
{
	struct vm_jit_stats st;
	vm_jit_stats(&st);
	fprintf(f, "jit: %u functions compiled (%llu bytes), %u interpreted\n",
		st.compiled, (unsigned long long)st.code_bytes, st.fallback);
	uint32_t n;
	const char *why;
	for (uint32_t op = 0; (why = vm_jit_reason(op, &n)); op++)
		if (n)
			fprintf(f, "jit:   %6u for %s\n", n, why);
}
