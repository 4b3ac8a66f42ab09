/*
 * calls: what clang makes of C under -mreference-types -mbulk-memory.
 * Function pointers are call_indirect through the funcref table wasm-ld
 * builds (a dispatch table of an interpreter, qsort comparators, callbacks
 * kept in structs); memcpy, memmove, memset and large struct copies are
 * memory.copy and memory.fill; narrowing casts are the sign-extension
 * instructions and float-to-int casts the non-trapping conversions.
 * scripts/program-test checks the 2.0 build for those instructions and its
 * output against the native build's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A tiny stack machine: each opcode is a function in a table. */
struct vm {
	uint64_t stack[64];
	int sp;
};

typedef void (*op_fn)(struct vm *, int);

static void op_push(struct vm *m, int arg)
{
	m->stack[m->sp++] = (uint64_t)arg;
}
static void op_add(struct vm *m, int arg)
{
	(void)arg;
	m->sp--;
	m->stack[m->sp - 1] += m->stack[m->sp];
}
static void op_mul(struct vm *m, int arg)
{
	(void)arg;
	m->sp--;
	m->stack[m->sp - 1] *= m->stack[m->sp];
}
static void op_xor(struct vm *m, int arg)
{
	m->stack[m->sp - 1] ^= (uint64_t)arg << 17;
}
static void op_dup(struct vm *m, int arg)
{
	(void)arg;
	m->stack[m->sp] = m->stack[m->sp - 1];
	m->sp++;
}
static void op_neg(struct vm *m, int arg)
{
	(void)arg;
	m->stack[m->sp - 1] = 0 - m->stack[m->sp - 1];
}

static const op_fn ops[] = {op_push, op_add, op_mul, op_xor, op_dup, op_neg};

static uint64_t interpret(unsigned seed, int steps)
{
	struct vm m = {.sp = 0};
	op_push(&m, (int)seed & 0xff);
	for (int i = 0; i < steps; i++) {
		seed = seed * 1664525u + 1013904223u;
		unsigned op = (seed >> 24) % 6;
		if ((op == 1 || op == 2) && m.sp < 2)
			op = 0;
		if ((op == 0 || op == 4) && m.sp >= 60)
			op = 1;
		ops[op](&m, (int)(seed >> 8 & 0xfff));
	}
	uint64_t sum = 0;
	for (int i = 0; i < m.sp; i++)
		sum = sum * 31 + m.stack[i];
	return sum;
}

/* Comparators chosen at run time. */
static int up(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}
static int down(const void *a, const void *b)
{
	return up(b, a);
}
static int by_low_byte(const void *a, const void *b)
{
	int x = *(const int *)a & 0xff, y = *(const int *)b & 0xff;
	return x != y ? x - y : up(a, b);
}

/* Callbacks stored in data: a struct of function pointers. */
struct shape {
	const char *name;
	long (*area)(long, long);
	long (*edge)(long, long);
};
static long rect_area(long w, long h)
{
	return w * h;
}
static long rect_edge(long w, long h)
{
	return 2 * (w + h);
}
static long tri_area(long w, long h)
{
	return w * h / 2;
}
static long tri_edge(long w, long h)
{
	return w + h + (w > h ? w : h);
}

static const struct shape shapes[] = {
	{"rectangle", rect_area, rect_edge},
	{"triangle", tri_area, tri_edge},
};

/* Bulk memory: sizes known only at run time, overlapping moves. */
struct record {
	char name[200];
	int32_t values[300];
};
static struct record recs[4];
static unsigned char buf[65536];

static uint32_t fnv(const void *p, size_t n)
{
	const unsigned char *c = p;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 16777619u;
	return h;
}

static void bulk(int k)
{
	size_t n = sizeof(buf) - (size_t)k * 100;
	memset(buf, 0x5a, n);
	memset(buf + 1000, k, (size_t)k * 333);
	for (size_t i = 0; i < 256; i++)
		buf[i] = (unsigned char)(i * 7 + k);
	memmove(buf + 3, buf, 4000 + (size_t)k);	   /* forward overlap */
	memmove(buf + 5000, buf + 5003, 3000 + (size_t)k); /* backward */
	memcpy(buf + 40000, buf, 10000 + (size_t)k);
	printf("calls: bulk %d: %08x\n", k, (unsigned)fnv(buf, n));

	snprintf(recs[0].name, sizeof(recs[0].name), "record %d", k);
	for (int i = 0; i < 300; i++)
		recs[0].values[i] = i * k - 150;
	recs[1] = recs[0]; /* a struct copy: memory.copy */
	recs[2] = recs[1];
	recs[2].values[k] = -1;
	memset(&recs[3], 0, sizeof(recs[3]));
	printf("calls: records %08x %08x %s\n",
	       (unsigned)fnv(recs, sizeof(recs)),
	       (unsigned)fnv(&recs[2], sizeof(recs[2])), recs[1].name);
}

/* Sign extension from 8, 16 and 32 bits; float-to-int casts in range
 * (C leaves out-of-range ones undefined, so the values stay in range). */
__attribute__((noinline)) static int64_t narrow(int64_t x)
{
	return (int8_t)x + (int16_t)(x >> 8) + (int64_t)(int32_t)(x >> 3);
}

static void convert(int k)
{
	int64_t acc = 0;
	uint32_t h = 0;
	for (int i = 0; i < 1000; i++) {
		int64_t x = (int64_t)i * 0x9e3779b97f4a7c15 + k;
		acc += narrow(x);
		double d = (double)(x >> 20) / 1048576.0;
		float f = (float)(i - 500) * 1.75f;
		h = h * 33 + (uint32_t)(int32_t)(d / 4096.0) +
		    (uint32_t)(int)f + (uint32_t)(int64_t)(d * 3.5) +
		    (uint32_t)(unsigned)(f * f);
	}
	printf("calls: convert %d: %lld %08x\n", k, (long long)acc,
	       (unsigned)h);
}

int main(int argc, char **argv)
{
	(void)argv;
	for (int s = 1; s <= 3; s++)
		printf("calls: interpret %d: %lld\n", s,
		       (long long)interpret((unsigned)(s * 7919 + argc), 5000));

	int (*const cmps[])(const void *, const void *) = {up, down,
							   by_low_byte};
	int *v = malloc(2000 * sizeof(*v));
	if (!v)
		return 1;
	for (int c = 0; c < 3; c++) {
		unsigned x = 12345u + (unsigned)(c + argc);
		for (int i = 0; i < 2000; i++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			v[i] = (int)(x % 100000) - 50000;
		}
		qsort(v, 2000, sizeof(*v), cmps[c]);
		printf("calls: qsort %d: %d %d %d %08x\n", c, v[0], v[1000],
		       v[1999], (unsigned)fnv(v, 2000 * sizeof(*v)));
	}
	free(v);

	for (unsigned i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		printf("calls: %s area %ld edge %ld\n", shapes[i].name,
		       shapes[i].area(argc + 6, 9),
		       shapes[i].edge(argc + 6, 9));

	for (int k = 1; k <= 3; k++)
		bulk(k + argc);
	convert(argc);
	return 0;
}
