/*
 * tests/vm/prog/fptr.c: function pointers (qsort comparators, a table of
 * operations) for the end-to-end reference-types check (check.sh): clang
 * 14 with -mreference-types encodes call_indirect's table index as a
 * padded 5-byte LEB, which a 1.0 decoder refuses ("zero flag expected").
 */
#include <stdio.h>
#include <stdlib.h>

static int up(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int down(const void *a, const void *b)
{
	return *(const int *)b - *(const int *)a;
}

typedef int (*op_fn)(int, int);

static int add(int a, int b)
{
	return a + b;
}

static int mul(int a, int b)
{
	return a * b;
}

static int sub(int a, int b)
{
	return a - b;
}

int main(void)
{
	static int v[1000];
	static op_fn ops[3] = {add, mul, sub};
	unsigned s = 12345;
	int acc = 1;

	for (int i = 0; i < 1000; i++) {
		s = s * 1103515245u + 12345u;
		v[i] = (int)(s >> 16) % 1000;
	}
	qsort(v, 1000, sizeof(v[0]), up);
	printf("%d %d %d\n", v[0], v[500], v[999]);
	qsort(v, 1000, sizeof(v[0]), down);
	printf("%d %d %d\n", v[0], v[500], v[999]);
	for (int i = 0; i < 30; i++)
		acc = ops[i % 3](acc, i + 1);
	printf("%d\n", acc);
	return 0;
}
