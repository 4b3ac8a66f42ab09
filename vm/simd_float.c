/*
 * vm/simd_float.c: the f32x4 and f64x2 SIMD instructions and the
 * conversions, lane by lane with the scalar rules of fp.h (docs/vm-simd.md
 * has the NaN rules).
 */
#include "simd.h"

#define UN(NAME, L, R, EXPR)  SIMD_UN_FN(, NAME, L, R, EXPR)
#define BIN(NAME, L, R, EXPR) SIMD_BIN_FN(, NAME, L, R, EXPR)

/* pmin, pmax: b's lane where B_WINS holds, else a's, as bits. */
#define PSELECT(NAME, F, U, B_WINS)                                            \
	v128 simd_##NAME(v128 a, v128 b)                                       \
	{                                                                      \
		v128 r;                                                        \
		for (unsigned i = 0; i < SIMD_LANES(U); i++)                   \
			r.U[i] = (B_WINS) ? b.U[i] : a.U[i];                   \
		return r;                                                      \
	}

/*
 * One shape: S the name, F the float view, U the bits view, SIGN the sign
 * bit. abs and neg touch only the sign bit (any NaN is kept as is); pmin
 * and pmax are b < a ? b : a and a < b ? b : a, choosing an operand's bits.
 */
#define FLOAT_SHAPE(S, F, U, SIGN)                                             \
	UN(S##_abs, U, U, x & ~SIGN)                                           \
	UN(S##_neg, U, U, x ^ SIGN)                                            \
	UN(S##_sqrt, F, F, F##_sqrt(x))                                        \
	UN(S##_ceil, F, F, F##_ceil(x))                                        \
	UN(S##_floor, F, F, F##_floor(x))                                      \
	UN(S##_trunc, F, F, F##_trunc(x))                                      \
	UN(S##_nearest, F, F, F##_nearest(x))                                  \
	BIN(S##_add, F, F, x + y)                                              \
	BIN(S##_sub, F, F, x - y)                                              \
	BIN(S##_mul, F, F, x *y)                                               \
	BIN(S##_div, F, F, x / y)                                              \
	BIN(S##_min, F, F, F##_min(x, y))                                      \
	BIN(S##_max, F, F, F##_max(x, y))                                      \
	PSELECT(S##_pmin, F, U, b.F[i] < a.F[i])                               \
	PSELECT(S##_pmax, F, U, a.F[i] < b.F[i])
FLOAT_SHAPE(f32x4, f32, u32, 0x80000000u)
FLOAT_SHAPE(f64x2, f64, u64, 0x8000000000000000ull)

/*
 * Saturating float -> i32: NaN is 0, and values at or beyond the open range
 * (lo, hi) of those that convert clamp to the type's bounds (the same
 * bounds as exec.c's scalar trunc_sat).
 */
#define TRUNC_SAT(T, LO, HI, MIN, MAX)                                         \
	(x != x ? (T)0 : x <= (LO) ? (T)(MIN) : x >= (HI) ? (T)(MAX) : (T)x)
UN(i32x4_trunc_sat_f32x4_s, f32, i32,
   TRUNC_SAT(int32_t, -2147483904.0f, 2147483648.0f, INT32_MIN, INT32_MAX))
UN(i32x4_trunc_sat_f32x4_u, f32, u32,
   TRUNC_SAT(uint32_t, -1.0f, 4294967296.0f, 0, UINT32_MAX))

/* The f64x2 forms fill lanes 0 and 1 and zero lanes 2 and 3. */
#define TRUNC_SAT_ZERO(NAME, R, T, LO, HI, MIN, MAX)                           \
	v128 simd_##NAME(v128 a)                                               \
	{                                                                      \
		v128 r = {{0}};                                                \
		for (unsigned i = 0; i < 2; i++) {                             \
			double x = a.f64[i];                                   \
			r.R[i] = TRUNC_SAT(T, LO, HI, MIN, MAX);               \
		}                                                              \
		return r;                                                      \
	}
TRUNC_SAT_ZERO(i32x4_trunc_sat_f64x2_s_zero, i32, int32_t, -2147483649.0,
	       2147483648.0, INT32_MIN, INT32_MAX)
TRUNC_SAT_ZERO(i32x4_trunc_sat_f64x2_u_zero, u32, uint32_t, -1.0, 4294967296.0,
	       0, UINT32_MAX)

/* int -> float rounds to nearest even; i32 -> f64 (the low two lanes) and
 * f32 -> f64 are exact. */
UN(f32x4_convert_i32x4_s, i32, f32, (float)x)
UN(f32x4_convert_i32x4_u, u32, f32, (float)x)
UN(f64x2_convert_low_i32x4_s, i32, f64, (double)x)
UN(f64x2_convert_low_i32x4_u, u32, f64, (double)x)
UN(f64x2_promote_low_f32x4, f32, f64, (double)x)

v128 simd_f32x4_demote_f64x2_zero(v128 a)
{
	v128 r = {{0}};
	r.f32[0] = (float)a.f64[0];
	r.f32[1] = (float)a.f64[1];
	return r;
}
