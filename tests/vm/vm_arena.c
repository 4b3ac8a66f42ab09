/*
 * tests/vm/vm_arena.c: VM hooks over a static buffer for the `wasm` suite's
 * cases: a bump allocator (free does nothing) that each case resets, so the
 * same cases run on the host and in the kernel with no heap.
 */
#include <string.h>

#include "vm_arena.h"

#define ARENA_SIZE (256 * 1024) /* peak use of one case is ~110 KiB */
static uint8_t arena[ARENA_SIZE] __attribute__((aligned(16)));
static size_t arena_used;

static void *a_alloc(void *ctx, size_t n)
{
	(void)ctx;
	size_t need = ((n + 15) & ~(size_t)15) + 16;
	if (ARENA_SIZE - arena_used < need)
		return NULL;
	uint8_t *p = arena + arena_used + 16;
	memcpy(p - 16, &n, sizeof(n)); /* size header for realloc */
	arena_used += need;
	return p;
}

static void a_free(void *ctx, void *p)
{
	(void)ctx;
	(void)p;
}

static void *a_realloc(void *ctx, void *p, size_t n)
{
	size_t old = 0;
	void *q = a_alloc(ctx, n);
	if (q && p) {
		memcpy(&old, (uint8_t *)p - 16, sizeof(old));
		memcpy(q, p, old < n ? old : n);
	}
	return q;
}

static void *a_mem_alloc(void *ctx, size_t n)
{
	void *p = a_alloc(ctx, n);
	if (p)
		memset(p, 0, n);
	return p;
}

static void *a_mem_grow(void *ctx, void *p, size_t old, size_t n)
{
	uint8_t *q = a_realloc(ctx, p, n);
	if (q)
		memset(q + old, 0, n - old);
	return q;
}

static void a_mem_free(void *ctx, void *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
}

const struct vm_host_ops vm_arena_ops = {
	NULL,	    a_alloc,	a_realloc, a_free, a_mem_alloc,
	a_mem_grow, a_mem_free, NULL,	   NULL,
};

void vm_arena_reset(void)
{
	arena_used = 0;
}
