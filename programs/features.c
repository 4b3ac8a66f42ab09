/*
 * features: a deterministic tour of what C programs lean on — printf of
 * every conversion (floats included), libm, 64-bit arithmetic, qsort,
 * malloc-heavy code, argv and the exit status. Its output must be the same
 * byte for byte natively, under wasmrun and inside the kernel on both
 * architectures (make check compares them).
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void formats(void)
{
	printf("int: %d %i %u %x %X %o %c %s %%\n", -42, 42, 42u, 0xbeefu,
	       0xbeefu, 8u, 'z', "str");
	printf("width: [%5d] [%-5d] [%05d] [%+d] [% d] [%.3d] [%#x] [%#o]\n", 7,
	       7, -7, 7, 7, 7, 255u, 8u);
	printf("long: %ld %lu %lld %llu %" PRId64 " %" PRIx64 "\n", -1L, 1UL,
	       (long long)INT64_MIN, (unsigned long long)UINT64_MAX,
	       (int64_t)-123456789012345LL, (uint64_t)0xfedcba9876543210ULL);
	printf("float: %f %.2f %e %.3E %g %G %.10g\n", 3.14159, -2.5, 12345.678,
	       0.000123, 1e-5, 1e20, 1.0 / 3.0);
	printf("special: %f %f %f %g\n", INFINITY, -INFINITY, NAN, -0.0);
	printf("string: [%10s] [%-10s] [%.2s] [%*d]\n", "right", "left", "cut",
	       6, 42);
}

static void maths(void)
{
	printf("libm: %.12f %.12f %.12f %.12f\n", sqrt(2.0), sin(1.0), exp(1.0),
	       log(10.0));
	printf("libm: %.12f %.12f %.6f %.6f\n", pow(2.0, 0.5), atan2(1.0, -1.0),
	       floor(-2.5), ceil(-2.5));
	printf("libm: %.6f %.6f %.6f %.6f\n", fmod(10.0, 3.0), fabs(-4.25),
	       trunc(-7.9), round(2.5));
	printf("float32: %.7f %.7f\n", sqrtf(3.0f), (double)(1.1f * 1.1f));
}

static void arith64(void)
{
	uint64_t a = 0x123456789abcdefULL, b = 0xfedcba987ULL;
	int64_t c = -9000000000000000000LL;

	printf("u64: %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", a * b,
	       a / b, a % b, a << 7 | a >> 57);
	printf("i64: %" PRId64 " %" PRId64 " %" PRId64 "\n", c / 7, c % 7,
	       c >> 3);
	printf("conv: %" PRId64 " %" PRIu64 " %d\n", (int64_t)-1e18,
	       (uint64_t)1.8e19, (int)-3.99);
}

static void sorting(void)
{
	enum { N = 1000 };
	int *v = malloc(N * sizeof(*v));
	uint32_t x = 2463534242u;

	for (int i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		v[i] = (int)(x % 100000) - 50000;
	}
	qsort(v, N, sizeof(*v), cmp_int);
	int64_t sum = 0; /* long is 32 bits on wasm32: say what we mean */
	for (int i = 0; i < N; i++)
		sum += (int64_t)v[i] * (i + 1);
	printf("qsort: min %d max %d weighted %" PRId64 " sorted %d\n", v[0],
	       v[N - 1], sum, v[0] <= v[1] && v[N - 2] <= v[N - 1]);
	free(v);
}

/* Many small and some large allocations, linked, checked, freed in an
 * interleaved order. */
static void allocation(void)
{
	struct node {
		struct node *next;
		size_t size;
		unsigned char data[];
	};
	struct node *head = NULL;
	uint64_t checksum = 0;

	for (int i = 0; i < 20000; i++) {
		size_t size =
			(size_t)(i * 7919 % 2048) + (i % 97 == 0 ? 100000 : 0);
		struct node *n = malloc(sizeof(*n) + size);
		if (!n) {
			printf("malloc failed at %d\n", i);
			exit(3);
		}
		n->size = size;
		memset(n->data, i & 0xff, size);
		n->next = head;
		head = n;
		if (i % 3 == 0) { /* free the second node */
			struct node *second = head->next;
			if (second) {
				head->next = second->next;
				for (size_t k = 0; k < second->size; k++)
					checksum += second->data[k];
				free(second);
			}
		}
	}
	while (head) {
		struct node *n = head;
		head = n->next;
		checksum += n->size;
		free(n);
	}
	printf("malloc: checksum %" PRIu64 "\n", checksum);
}

int main(int argc, char **argv)
{
	printf("argc %d:", argc);
	for (int i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf("\n");
	formats();
	maths();
	arith64();
	sorting();
	allocation();
	return argc > 1 ? atoi(argv[1]) : 0;
}
