/*
 * Worst-case single-operation latency of the region-bound byte allocators
 * in alloc_bench_extra[] (tools/bench/alloc_list.c: ours and the references
 * given to scripts/bench-alloc), under adversarial fragmentation:
 *
 *   fill the 16 MiB region with 48-byte objects until malloc fails, then
 *   with 16-byte ones; free every other 48-byte object. Every free block
 *   is now one small hole between live objects, and a 256-byte request is
 *   just larger than every free block: it must fail.
 *
 * Timed one call at a time (clock_gettime, its own cost subtracted):
 *   fail   the 256-byte request that cannot be met;
 *   fit    a 48-byte request that one hole meets (freed again untimed);
 *   free   freeing one live object (then re-allocated untimed).
 * "cold": before each call a 32 MiB buffer is written through, so the
 * allocator's metadata comes from memory; "warm": the same call repeated,
 * timed as a batch of WARM_BATCH calls (one call is below the clock's
 * resolution) and divided. Each figure is the median and the maximum of
 * TRIALS measurements. Prints
 *   bench <allocator> worst-<op>-<cold|warm> <median> ns (max <max>)
 * and, when the reference TLSF is present, kmalloc's cold/warm ratios.
 */
#define _GNU_SOURCE
#include "alloc_bench.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define REGION	   (16u << 20)
#define EVICT	   (32u << 20)
#define TRIALS	   201
#define SMALL	   48
#define TOO_BIG	   256
#define MAX_OBJS   (REGION / 16)
#define WARM_BATCH 32

enum { OP_FAIL, OP_FIT, OP_FREE, N_OPS };
static const char *const op_name[N_OPS] = {"fail", "fit", "free"};

static unsigned char *region, *evict;
static void **objs;
static size_t nobjs, nsmall;
static double timer_cost;

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void evict_caches(void)
{
	for (size_t i = 0; i < EVICT; i += 64)
		evict[i]++;
}

/* The fragmented state described above; 0, or -1 if init fails. */
static int fragment(const alloc_bench_ops *ops)
{
	if (ops->init && ops->init(region, REGION))
		return -1;
	nobjs = 0;
	void *p;
	while (nobjs < MAX_OBJS && (p = ops->malloc(SMALL)))
		objs[nobjs++] = p;
	nsmall = nobjs;
	while (nobjs < MAX_OBJS && (p = ops->malloc(16)))
		objs[nobjs++] = p;
	for (size_t i = 0; i < nsmall; i += 2) {
		ops->free(objs[i]);
		objs[i] = NULL;
	}
	return 0;
}

static void release(const alloc_bench_ops *ops)
{
	for (size_t i = 0; i < nobjs; i++)
		if (objs[i])
			ops->free(objs[i]);
	if (ops->fini)
		ops->fini();
}

/* One call of `op` for cold figures; *bad set if the allocator misbehaved.
 * The caller times it. */
static void one_call(const alloc_bench_ops *ops, int op, int *bad)
{
	void *p;

	switch (op) {
	case OP_FAIL:
		p = ops->malloc(TOO_BIG);
		if (p) {
			*bad = 1; /* no hole is that large */
			ops->free(p);
		}
		break;
	case OP_FIT:
		p = ops->malloc(SMALL);
		if (!p)
			*bad = 1;
		else
			ops->free(p);
		break;
	default: break;
	}
}

/* The ns of one `op` call: cold (one call timed, after eviction) or warm
 * (a batch, divided). fit and free are timed as a malloc/free pair and
 * halved for warm; for cold, only the call named. */
static double timed(const alloc_bench_ops *ops, int op, int cold, size_t k,
		    int *bad)
{
	double t0, t1;
	void *p;

	if (!cold) {
		t0 = now_ns();
		for (int i = 0; i < WARM_BATCH; i++)
			if (op == OP_FAIL)
				one_call(ops, op, bad);
			else
				one_call(ops, OP_FIT, bad);
		t1 = now_ns();
		return (t1 - t0 - timer_cost) / WARM_BATCH /
		       (op == OP_FAIL ? 1 : 2);
	}
	evict_caches();
	switch (op) {
	case OP_FAIL:
		t0 = now_ns();
		p = ops->malloc(TOO_BIG);
		t1 = now_ns();
		if (p) {
			*bad = 1;
			ops->free(p);
		}
		break;
	case OP_FIT:
		t0 = now_ns();
		p = ops->malloc(SMALL);
		t1 = now_ns();
		if (!p)
			*bad = 1;
		else
			ops->free(p);
		break;
	default: /* OP_FREE: a live 48-byte object (odd index) */
		k = ((2 * k + 1) % nsmall) | 1;
		if (k >= nsmall || !objs[k])
			return 0;
		t0 = now_ns();
		ops->free(objs[k]);
		t1 = now_ns();
		objs[k] = ops->malloc(SMALL);
		break;
	}
	return t1 - t0 - timer_cost;
}

static void stat_of(double *v, size_t n, double *med, double *max)
{
	qsort(v, n, sizeof(*v), cmp_d);
	*med = v[n / 2];
	*max = v[n - 1];
}

int main(void)
{
	double results[16][N_OPS][2];
	const char *names[16];
	size_t na = 0;
	double v[TRIALS];

	region = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	evict = mmap(NULL, EVICT, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	objs = mmap(NULL, MAX_OBJS * sizeof(*objs), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED || evict == MAP_FAILED || objs == MAP_FAILED) {
		fprintf(stderr, "alloc_worst: out of memory\n");
		return 2;
	}
	memset(region, 0, REGION);
	for (int i = 0; i < TRIALS; i++) {
		double t0 = now_ns();
		v[i] = now_ns() - t0;
	}
	qsort(v, TRIALS, sizeof(*v), cmp_d);
	timer_cost = v[TRIALS / 2];
	printf("# alloc_worst: timer cost %.0f ns subtracted; %d trials\n",
	       timer_cost, TRIALS);

	int rc = 0;
	for (size_t a = 0; alloc_bench_extra[a] && na < 16; a++) {
		const alloc_bench_ops *ops = alloc_bench_extra[a];
		/* Region-bound only; the debug heap's latency is not a
		 * worst case worth comparing. */
		if (!ops->uses_region || !strcmp(ops->name, "kmalloc-dbg"))
			continue;
		if (fragment(ops)) {
			fprintf(stderr, "%s: init failed\n", ops->name);
			rc = 1;
			continue;
		}
		names[na] = ops->name;
		int bad = 0;
		for (int op = 0; op < N_OPS; op++) {
			for (int cold = 1; cold >= 0; cold--) {
				for (int i = 0; i < TRIALS; i++)
					v[i] = timed(ops, op, cold,
						     (size_t)i * 7919, &bad);
				double med, max;
				stat_of(v, TRIALS, &med, &max);
				results[na][op][cold] = med;
				printf("bench %s worst-%s-%s %.1f ns (max "
				       "%.0f)\n",
				       ops->name, op_name[op],
				       cold ? "cold" : "warm", med, max);
			}
		}
		if (bad) {
			printf("# %s: a request that cannot fit succeeded, or "
			       "one that fits failed\n",
			       ops->name);
			rc = 1;
		}
		release(ops);
		na++;
	}
	for (size_t i = 0; i < na; i++) {
		if (strcmp(names[i], "tlsf-3.1"))
			continue;
		for (size_t k = 0; k < na; k++) {
			if (strcmp(names[k], "kmalloc"))
				continue;
			for (int op = 0; op < N_OPS; op++)
				for (int cold = 1; cold >= 0; cold--)
					printf("bench kmalloc-vs-tlsf "
					       "worst-%s-%s "
					       "%.2f x\n",
					       op_name[op],
					       cold ? "cold" : "warm",
					       results[k][op][cold] /
						       results[i][op][cold]);
		}
	}
	return rc;
}
