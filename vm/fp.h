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

/* f32_bits, f32_from, f64_bits, f64_from: a float's bits and back. */
#define FP_BITS(F, T, U)                                                       \
	static inline U F##_bits(T f)                                          \
	{                                                                      \
		U u;                                                           \
		__builtin_memcpy(&u, &f, sizeof(u));                           \
		return u;                                                      \
	}                                                                      \
	static inline T F##_from(U u)                                          \
	{                                                                      \
		T f;                                                           \
		__builtin_memcpy(&f, &u, sizeof(f));                           \
		return f;                                                      \
	}
FP_BITS(f32, float, uint32_t)
FP_BITS(f64, double, uint64_t)
#undef FP_BITS

#define F32_QUIET 0x00400000u
#define F64_QUIET 0x0008000000000000ull

/*
 * min/max and rounding to an integral value, defined once for both widths:
 * FP_OPS(prefix, type, bits type, sign bit, quiet bit, int type, big).
 * big is 2^mantissa bits (2^23, 2^52): values of at least that magnitude
 * are already integral, and NaN is returned quieted. Below it, a value
 * fits the int type, so a round trip through it truncates exactly; the
 * sign is restored so that -0.5 truncates to -0. nearest adds and
 * subtracts big, which rounds to nearest-even in hardware. trunc and
 * nearest repeat their first steps (NaN, already integral): as a shared
 * helper, clang gives nearest two more instructions.
 */
#define FP_OPS(F, T, U, SIGN, QUIET, I, BIG)                                   \
	static inline T F##_minmax(T a, T b, int max)                          \
	{                                                                      \
		if (a != a)                                                    \
			return F##_from(F##_bits(a) | QUIET);                  \
		if (b != b)                                                    \
			return F##_from(F##_bits(b) | QUIET);                  \
		if (a == b) /* -0 vs +0: the sign bit decides */               \
			return F##_from(max ? F##_bits(a) & F##_bits(b)        \
					    : F##_bits(a) | F##_bits(b));      \
		return max ? (a > b ? a : b) : (a < b ? a : b);                \
	}                                                                      \
	static inline T F##_min(T a, T b)                                      \
	{                                                                      \
		return F##_minmax(a, b, 0);                                    \
	}                                                                      \
	static inline T F##_max(T a, T b)                                      \
	{                                                                      \
		return F##_minmax(a, b, 1);                                    \
	}                                                                      \
	static inline T F##_trunc(T x)                                         \
	{                                                                      \
		U u = F##_bits(x);                                             \
		if (x != x)                                                    \
			return F##_from(u | QUIET);                            \
		if ((u & ~SIGN) >= F##_bits(BIG))                              \
			return x;                                              \
		T t = (T)(I)x;                                                 \
		return F##_from(F##_bits(t) | (u & SIGN));                     \
	}                                                                      \
	static inline T F##_floor(T x)                                         \
	{                                                                      \
		T t = F##_trunc(x);                                            \
		return t > x ? t - (T)1 : t;                                   \
	}                                                                      \
	static inline T F##_ceil(T x)                                          \
	{                                                                      \
		T t = F##_trunc(x);                                            \
		if (t < x)                                                     \
			t = t + (T)1;                                          \
		/* ceil(-0.5) is -0 */                                         \
		return F##_from(F##_bits(t) | (F##_bits(x) & SIGN));           \
	}                                                                      \
	static inline T F##_nearest(T x)                                       \
	{                                                                      \
		U u = F##_bits(x);                                             \
		if (x != x)                                                    \
			return F##_from(u | QUIET);                            \
		if ((u & ~SIGN) >= F##_bits(BIG))                              \
			return x;                                              \
		volatile T big = BIG;                                          \
		T a = F##_from(u & ~SIGN);                                     \
		T r = (a + big) - big;                                         \
		return F##_from(F##_bits(r) | (u & SIGN));                     \
	}

FP_OPS(f32, float, uint32_t, 0x80000000u, F32_QUIET, int32_t, 8388608.0f)
FP_OPS(f64, double, uint64_t, 0x8000000000000000ull, F64_QUIET, int64_t,
       4503599627370496.0)
#undef FP_OPS

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

/*
 * The float -> int conversions: X(result, source, 0xfc sub-opcode of the
 * saturating form, in member, out member, out type, lo, hi, min, max).
 * Exactly the values in the open range (lo, hi) convert. The trapping forms
 * (TRUNC, one handler each) trap on NaN and outside it; the saturating ones
 * (trunc_sat below) give 0 for NaN and clamp to min/max.
 */
#define FLOAT_TO_INT(X)                                                        \
	X(i32, f32_s, 0, f32, i32, int32_t, -2147483904.0f, 2147483648.0f,     \
	  INT32_MIN, INT32_MAX)                                                \
	X(i32, f32_u, 1, f32, u32, uint32_t, -1.0f, 4294967296.0f, 0,          \
	  UINT32_MAX)                                                          \
	X(i32, f64_s, 2, f64, i32, int32_t, -2147483649.0, 2147483648.0,       \
	  INT32_MIN, INT32_MAX)                                                \
	X(i32, f64_u, 3, f64, u32, uint32_t, -1.0, 4294967296.0, 0,            \
	  UINT32_MAX)                                                          \
	X(i64, f32_s, 4, f32, i64, int64_t, -9223373136366403584.0f,           \
	  9223372036854775808.0f, INT64_MIN, INT64_MAX)                        \
	X(i64, f32_u, 5, f32, u64, uint64_t, -1.0f, 18446744073709551616.0f,   \
	  0, UINT64_MAX)                                                       \
	X(i64, f64_s, 6, f64, i64, int64_t, -9223372036854777856.0,            \
	  9223372036854775808.0, INT64_MIN, INT64_MAX)                         \
	X(i64, f64_u, 7, f64, u64, uint64_t, -1.0, 18446744073709551616.0, 0,  \
	  UINT64_MAX)

#endif
