/*
 * vm/fp.h: the float operations C does not give us without libm, with the
 * wasm rules: NaN results are quiet (payload kept where the spec allows),
 * min/max order -0 below +0, rounding is IEEE round-to-nearest-even, and
 * nothing is done in x87 extended precision (the kernel builds with SSE2).
 */
#ifndef VM_FP_H
#define VM_FP_H

#include <stdint.h>
#include <string.h>

static inline uint32_t f32_bits(float f)
{
	uint32_t u;
	__builtin_memcpy(&u, &f, 4);
	return u;
}
static inline float f32_from(uint32_t u)
{
	float f;
	__builtin_memcpy(&f, &u, 4);
	return f;
}
static inline uint64_t f64_bits(double d)
{
	uint64_t u;
	__builtin_memcpy(&u, &d, 8);
	return u;
}
static inline double f64_from(uint64_t u)
{
	double d;
	__builtin_memcpy(&d, &u, 8);
	return d;
}

#define F32_QUIET 0x00400000u
#define F64_QUIET 0x0008000000000000ull

static inline float f32_min(float a, float b)
{
	if (a != a)
		return f32_from(f32_bits(a) | F32_QUIET);
	if (b != b)
		return f32_from(f32_bits(b) | F32_QUIET);
	if (a == b) /* -0 vs +0: the sign bit decides */
		return f32_from(f32_bits(a) | f32_bits(b));
	return a < b ? a : b;
}
static inline float f32_max(float a, float b)
{
	if (a != a)
		return f32_from(f32_bits(a) | F32_QUIET);
	if (b != b)
		return f32_from(f32_bits(b) | F32_QUIET);
	if (a == b)
		return f32_from(f32_bits(a) & f32_bits(b));
	return a > b ? a : b;
}
static inline double f64_min(double a, double b)
{
	if (a != a)
		return f64_from(f64_bits(a) | F64_QUIET);
	if (b != b)
		return f64_from(f64_bits(b) | F64_QUIET);
	if (a == b)
		return f64_from(f64_bits(a) | f64_bits(b));
	return a < b ? a : b;
}
static inline double f64_max(double a, double b)
{
	if (a != a)
		return f64_from(f64_bits(a) | F64_QUIET);
	if (b != b)
		return f64_from(f64_bits(b) | F64_QUIET);
	if (a == b)
		return f64_from(f64_bits(a) & f64_bits(b));
	return a > b ? a : b;
}

/*
 * Rounding to an integral value. Values with |x| >= 2^23 (f32) or 2^52
 * (f64) are already integral; NaN is returned quieted. Below that, the
 * value fits an int64, so a round trip through it truncates exactly; the
 * sign is restored so that -0.5 truncates to -0.
 */
static inline float f32_trunc(float x)
{
	uint32_t u = f32_bits(x);
	if (x != x)
		return f32_from(u | F32_QUIET);
	if ((u & 0x7fffffff) >= 0x4b000000) /* 2^23 */
		return x;
	float t = (float)(int32_t)x;
	return f32_from(f32_bits(t) | (u & 0x80000000u));
}
static inline float f32_floor(float x)
{
	float t = f32_trunc(x);
	return t > x ? t - 1.0f : t;
}
static inline float f32_ceil(float x)
{
	float t = f32_trunc(x);
	if (t < x)
		t = t + 1.0f;
	/* ceil(-0.5) is -0 */
	return f32_from(f32_bits(t) | (f32_bits(x) & 0x80000000u));
}
static inline float f32_nearest(float x)
{
	uint32_t u = f32_bits(x);
	if (x != x)
		return f32_from(u | F32_QUIET);
	if ((u & 0x7fffffff) >= 0x4b000000)
		return x;
	/* adding and subtracting 2^23 rounds to nearest-even in hardware */
	volatile float big = 8388608.0f;
	float a = f32_from(u & 0x7fffffff);
	float r = (a + big) - big;
	return f32_from(f32_bits(r) | (u & 0x80000000u));
}

static inline double f64_trunc(double x)
{
	uint64_t u = f64_bits(x);
	if (x != x)
		return f64_from(u | F64_QUIET);
	if ((u & 0x7fffffffffffffffull) >= 0x4330000000000000ull) /* 2^52 */
		return x;
	double t = (double)(int64_t)x;
	return f64_from(f64_bits(t) | (u & 0x8000000000000000ull));
}
static inline double f64_floor(double x)
{
	double t = f64_trunc(x);
	return t > x ? t - 1.0 : t;
}
static inline double f64_ceil(double x)
{
	double t = f64_trunc(x);
	if (t < x)
		t = t + 1.0;
	return f64_from(f64_bits(t) | (f64_bits(x) & 0x8000000000000000ull));
}
static inline double f64_nearest(double x)
{
	uint64_t u = f64_bits(x);
	if (x != x)
		return f64_from(u | F64_QUIET);
	if ((u & 0x7fffffffffffffffull) >= 0x4330000000000000ull)
		return x;
	volatile double big = 4503599627370496.0;
	double a = f64_from(u & 0x7fffffffffffffffull);
	double r = (a + big) - big;
	return f64_from(f64_bits(r) | (u & 0x8000000000000000ull));
}

#ifdef __NO_MATH_ERRNO__
/* -fno-math-errno: the builtin is the hardware instruction (sqrtsd, vsqrt). */
static inline float f32_sqrt(float x)
{
	return __builtin_sqrtf(x);
}
static inline double f64_sqrt(double x)
{
	return __builtin_sqrt(x);
}
#else
/*
 * Without -fno-math-errno the compiler would call libm's sqrt for negative
 * inputs, which the kernel does not have. So compute it exactly instead:
 * a restoring integer square root of the mantissa, then round to nearest
 * even with the remainder as sticky bit. Slow, but correctly rounded.
 */
static inline uint64_t vm_isqrt_pairs(uint64_t m, int shift, int pairs,
				      uint64_t *rem_out)
{
	/* integer sqrt of (m << shift), reading two bits at a time */
	uint64_t rem = 0, root = 0;
	for (int j = pairs - 1; j >= 0; j--) {
		int sh = 2 * j - shift;
		uint64_t two = sh >= 0 ? (m >> sh) & 3 : 0;
		rem = rem << 2 | two;
		uint64_t trial = root << 2 | 1;
		root <<= 1;
		if (rem >= trial) {
			rem -= trial;
			root |= 1;
		}
	}
	*rem_out = rem;
	return root;
}

static inline double f64_sqrt(double x)
{
	uint64_t u = f64_bits(x), rem;
	if (x != x)
		return f64_from(u | F64_QUIET);
	if (x == 0 || u == 0x7ff0000000000000ull)
		return x;
	if (u >> 63)
		return f64_from(0x7ff8000000000000ull);
	int eb = (int)(u >> 52);
	uint64_t m = u & 0x000fffffffffffffull;
	if (eb)
		m |= 1ull << 52;
	else
		for (eb = 1; m < 1ull << 52; eb--)
			m <<= 1;
	int k = eb - 1075;
	if (k & 1) {
		m <<= 1;
		k -= 1;
	}
	uint64_t root = vm_isqrt_pairs(m, 54, 54, &rem);
	uint64_t r = root >> 1;
	/* the dropped bit is exactly 1/2 only if rem == 0: then round to even
	 */
	if ((root & 1) && (rem || (r & 1)))
		r++;
	uint64_t biased = (uint64_t)(k / 2 + 26 + 1023);
	return f64_from(((biased - 1) << 52) + r);
}

static inline float f32_sqrt(float x)
{
	uint32_t u = f32_bits(x);
	uint64_t rem;
	if (x != x)
		return f32_from(u | F32_QUIET);
	if (x == 0 || u == 0x7f800000u)
		return x;
	if (u >> 31)
		return f32_from(0x7fc00000u);
	int eb = (int)(u >> 23);
	uint64_t m = u & 0x7fffff;
	if (eb)
		m |= 1u << 23;
	else
		for (eb = 1; m < 1u << 23; eb--)
			m <<= 1;
	/* 23 is odd: move m to [2^24, 2^26) so the root has 25 bits */
	int k = eb - 151;
	m <<= 1;
	if (k & 1) {
		m <<= 1;
		k -= 1;
	}
	uint64_t root = vm_isqrt_pairs(m, 24, 25, &rem);
	uint32_t r = (uint32_t)(root >> 1);
	if ((root & 1) && (rem || (r & 1)))
		r++;
	uint32_t biased = (uint32_t)(k / 2 + 12 + 127);
	return f32_from(((biased - 1) << 23) + r);
}
#endif

#endif
