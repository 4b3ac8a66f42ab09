/*
 * tests/vm/prog/bulk.c: a C program whose wasm32-wasi build with clang
 * -mbulk-memory turns memset/memcpy/memmove and a large struct copy into
 * memory.fill and memory.copy. check.sh runs it on wasmrun and compares the
 * output with a native build's. Sizes depend on argc so that nothing folds
 * at compile time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N (1u << 20)

static unsigned char a[N], b[N];

struct big {
	int v[400];
};
static struct big s1, s2;

static const char greeting[] = "bulk memory from a data segment";

/* FNV-1a over p[0..n) */
static unsigned hash(const unsigned char *p, size_t n)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

int main(int argc, char **argv)
{
	size_t n = N - (size_t)argc; /* N - 1 when run without arguments */
	(void)argv;

	memset(a, 0x5a, n);
	for (size_t i = 0; i < N; i += 4099)
		a[i] = (unsigned char)(i * 7);
	memcpy(b, a, n);
	printf("fill+copy %08x %08x %d\n", hash(a, N), hash(b, N),
	       memcmp(a, b, N));

	memmove(b + 1000, b, 100000 + n % 3); /* overlapping, upwards */
	memmove(b, b + 777, 200000 + n % 5);  /* overlapping, downwards */
	printf("move %08x\n", hash(b, N));

	unsigned char *h = malloc(N);
	if (!h)
		return 1;
	memset(h, argc, n);
	memcpy(h + 3, b + 5, n - 8);
	printf("heap %08x\n", hash(h, N - 1));
	free(h);

	for (int i = 0; i < 400; i++)
		s1.v[i] = i * i - argc;
	s2 = s1;
	s2.v[17] += 1;
	printf("struct %d %d %d\n", s2.v[0], s2.v[17], s2.v[399]);

	char line[64];
	memset(line, '-', sizeof(line) - 1);
	line[sizeof(line) - 1] = 0;
	printf("%s\n%.20s\n", greeting, line);
	return 0;
}
