/*
 * vector: hot loops that clang -O2 -msimd128 auto-vectorises (integer
 * multiply-add and reduction, byte min/max and saturation, float
 * element-wise arithmetic, 16-bit widening). Built for 2.0 (rules.mk) the
 * loops become v128 code, which scripts/program-test checks with wasm2wat;
 * the output must be byte-identical to the native build's. Sizes and
 * seeds come from argc so that nothing folds at compile time.
 * scripts/bench-wasm builds it with -DROUNDS=... to time the loops.
 */
#include <stdint.h>
#include <stdio.h>

#define N 4096
#ifndef ROUNDS
#define ROUNDS 8
#endif

static int32_t a[N], b[N], c[N];
static uint8_t p[N], q[N], r[N];
static float x[N], y[N];
static int16_t s[N];
static int32_t w[N];

static uint32_t seed;

static uint32_t next(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

static void fill(void)
{
	for (int i = 0; i < N; i++) {
		a[i] = (int32_t)next() - (1 << 23);
		b[i] = (int32_t)(next() & 0xffff) - 0x8000;
		p[i] = (uint8_t)next();
		q[i] = (uint8_t)next();
		x[i] = (float)(int32_t)(next() & 0xfff) / 64.0f;
		y[i] = (float)(int32_t)(next() & 0x3ff) - 512.0f;
		s[i] = (int16_t)next();
	}
}

/* c = a * 3 + b ^ (a >> 2), then the wrapped sum: mul, add, xor, shr_s. */
static uint32_t muladd(int n)
{
	uint32_t sum = 0;
	for (int i = 0; i < n; i++)
		c[i] = (a[i] * 3 + b[i]) ^ (a[i] >> 2);
	for (int i = 0; i < n; i++)
		sum += (uint32_t)c[i];
	return sum;
}

/* Byte lanes: min, max, a saturating add written out, an average. */
static uint32_t bytes(int n)
{
	uint32_t h = 0;
	for (int i = 0; i < n; i++) {
		unsigned lo = p[i] < q[i] ? p[i] : q[i];
		unsigned hi = p[i] > q[i] ? p[i] : q[i];
		unsigned sat = p[i] + q[i] > 255 ? 255 : p[i] + q[i];
		r[i] = (uint8_t)((lo + hi + 1) / 2 ^ sat);
	}
	for (int i = 0; i < n; i++)
		h = h * 31 + r[i];
	return h;
}

/* y = 0.5 * x + y element-wise (exact in binary32), summed in order. */
static double saxpy(int n)
{
	double sum = 0;
	for (int i = 0; i < n; i++)
		y[i] = 0.5f * x[i] + y[i];
	for (int i = 0; i < n; i++)
		sum += y[i];
	return sum;
}

/* Widening: 16-bit values squared into 32 bits, and a count of negatives. */
static int64_t widen(int n, int *neg)
{
	int64_t sum = 0;
	int count = 0;
	for (int i = 0; i < n; i++)
		w[i] = (int32_t)s[i] * s[i];
	for (int i = 0; i < n; i++) {
		sum += w[i];
		count += s[i] < 0;
	}
	*neg = count;
	return sum;
}

int main(int argc, char **argv)
{
	(void)argv;
	seed = 2166136261u + (uint32_t)argc;
	int n = N - argc + 1;
	fill();
	uint32_t m = 0, h = 0;
	for (int round = 0; round < ROUNDS; round++) {
		m = m * 31 + muladd(n) + (uint32_t)round;
		h = h * 31 + bytes(n);
		b[round] ^= (int32_t)(m & 0xffff);
		p[round] ^= (uint8_t)h;
	}
	printf("vector: muladd %08x\n", (unsigned)m);
	printf("vector: bytes %08x\n", (unsigned)h);
	printf("vector: saxpy %.4f\n", saxpy(n));
	int neg;
	int64_t sq = widen(n, &neg);
	printf("vector: widen %lld negatives %d\n", (long long)sq, neg);
	return 0;
}
