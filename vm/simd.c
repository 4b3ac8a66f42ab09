/*
 * vm/simd.c: the integer SIMD instructions that are not inline in simd.h:
 * abs, popcnt, all_true, bitmask, narrow, extend, saturating add/sub,
 * min/max, avgr_u, extadd_pairwise, q15mulr_sat_s, dot and extmul.
 * The float ones are in simd_float.c.
 */
#include "simd.h"

#define UN(NAME, L, R, EXPR)  SIMD_UN_FN(, NAME, L, R, EXPR)
#define BIN(NAME, L, R, EXPR) SIMD_BIN_FN(, NAME, L, R, EXPR)

static inline int32_t clamp(int32_t v, int32_t lo, int32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* abs through an unsigned negation: the most negative lane stays as is. */
UN(i8x16_abs, i8, u8, x < 0 ? -(uint64_t)x : (uint64_t)x)
UN(i16x8_abs, i16, u16, x < 0 ? -(uint64_t)x : (uint64_t)x)
UN(i32x4_abs, i32, u32, x < 0 ? -(uint64_t)x : (uint64_t)x)
UN(i64x2_abs, i64, u64, x < 0 ? -(uint64_t)x : (uint64_t)x)

/* The bits set in each byte, eight bytes at a time (__builtin_popcount may
 * be a libgcc call). */
v128 simd_i8x16_popcnt(v128 a)
{
	for (unsigned i = 0; i < 2; i++) {
		uint64_t x = a.u64[i];
		x = x - ((x >> 1) & 0x5555555555555555ull);
		x = (x & 0x3333333333333333ull) +
		    ((x >> 2) & 0x3333333333333333ull);
		a.u64[i] = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	}
	return a;
}

/* all_true: every lane non-zero; bitmask: lane i's top bit is bit i. */
#define LANE_TESTS(S, U)                                                       \
	uint32_t simd_##S##_all_true(v128 a)                                   \
	{                                                                      \
		for (unsigned i = 0; i < SIMD_LANES(U); i++)                   \
			if (!a.U[i])                                           \
				return 0;                                      \
		return 1;                                                      \
	}                                                                      \
	uint32_t simd_##S##_bitmask(v128 a)                                    \
	{                                                                      \
		uint32_t r = 0;                                                \
		for (unsigned i = 0; i < SIMD_LANES(U); i++)                   \
			r |= (uint32_t)(a.U[i] >> (8 * sizeof(a.U[0]) - 1))    \
			     << i;                                             \
		return r;                                                      \
	}
LANE_TESTS(i8x16, u8)
LANE_TESTS(i16x8, u16)
LANE_TESTS(i32x4, u32)
LANE_TESTS(i64x2, u64)

/* narrow: a's signed lanes then b's, each saturated to [LO, HI]. */
#define NARROW(NAME, IN, OUT, LO, HI)                                          \
	v128 simd_##NAME(v128 a, v128 b)                                       \
	{                                                                      \
		v128 r;                                                        \
		const unsigned n = SIMD_LANES(IN);                             \
		for (unsigned i = 0; i < n; i++) {                             \
			r.OUT[i] = clamp(a.IN[i], LO, HI);                     \
			r.OUT[n + i] = clamp(b.IN[i], LO, HI);                 \
		}                                                              \
		return r;                                                      \
	}
NARROW(i8x16_narrow_i16x8_s, i16, i8, INT8_MIN, INT8_MAX)
NARROW(i8x16_narrow_i16x8_u, i16, u8, 0, UINT8_MAX)
NARROW(i16x8_narrow_i32x4_s, i32, i16, INT16_MIN, INT16_MAX)
NARROW(i16x8_narrow_i32x4_u, i32, u16, 0, UINT16_MAX)

/* extend: the low or high half of the lanes of shape IN (views VS, VU:
 * signed, unsigned), each widened to twice its width (views RS, RU). */
#define EXTEND(OUT, IN, VS, VU, RS, RU)                                        \
	UN(OUT##_extend_low_##IN##_s, VS, RS, x)                               \
	UN(OUT##_extend_low_##IN##_u, VU, RU, x)                               \
	v128 simd_##OUT##_extend_high_##IN##_s(v128 a)                         \
	{                                                                      \
		a.u64[0] = a.u64[1];                                           \
		return simd_##OUT##_extend_low_##IN##_s(a);                    \
	}                                                                      \
	v128 simd_##OUT##_extend_high_##IN##_u(v128 a)                         \
	{                                                                      \
		a.u64[0] = a.u64[1];                                           \
		return simd_##OUT##_extend_low_##IN##_u(a);                    \
	}
EXTEND(i16x8, i8x16, i8, u8, i16, u16)
EXTEND(i32x4, i16x8, i16, u16, i32, u32)
EXTEND(i64x2, i32x4, i32, u32, i64, u64)

/* extmul: the products of the low or high halves' lanes, widened. */
#define EXTMUL(OUT, IN, VS, VU, RS, RU)                                        \
	BIN(OUT##_extmul_low_##IN##_s, VS, RS, (__typeof__(r.RS[0]))x *y)      \
	BIN(OUT##_extmul_low_##IN##_u, VU, RU, (__typeof__(r.RU[0]))x *y)      \
	v128 simd_##OUT##_extmul_high_##IN##_s(v128 a, v128 b)                 \
	{                                                                      \
		a.u64[0] = a.u64[1];                                           \
		b.u64[0] = b.u64[1];                                           \
		return simd_##OUT##_extmul_low_##IN##_s(a, b);                 \
	}                                                                      \
	v128 simd_##OUT##_extmul_high_##IN##_u(v128 a, v128 b)                 \
	{                                                                      \
		a.u64[0] = a.u64[1];                                           \
		b.u64[0] = b.u64[1];                                           \
		return simd_##OUT##_extmul_low_##IN##_u(a, b);                 \
	}
EXTMUL(i16x8, i8x16, i8, u8, i16, u16)
EXTMUL(i32x4, i16x8, i16, u16, i32, u32)
EXTMUL(i64x2, i32x4, i32, u32, i64, u64)

/* extadd_pairwise: lane i is the widened sum of lanes 2i and 2i + 1. */
#define PAIRWISE(NAME, IN, OUT)                                                \
	v128 simd_##NAME(v128 a)                                               \
	{                                                                      \
		v128 r;                                                        \
		for (unsigned i = 0; i < SIMD_LANES(OUT); i++)                 \
			r.OUT[i] = a.IN[2 * i] + a.IN[2 * i + 1];              \
		return r;                                                      \
	}
PAIRWISE(i16x8_extadd_pairwise_i8x16_s, i8, i16)
PAIRWISE(i16x8_extadd_pairwise_i8x16_u, u8, u16)
PAIRWISE(i32x4_extadd_pairwise_i16x8_s, i16, i32)
PAIRWISE(i32x4_extadd_pairwise_i16x8_u, u16, u32)

/* Saturating add and sub: in int, then clamped to the lane's range. */
#define SATURATING(S, VS, VU, MIN, MAX, UMAX)                                  \
	BIN(S##_add_sat_s, VS, VS, clamp(x + y, MIN, MAX))                     \
	BIN(S##_add_sat_u, VU, VU, clamp(x + y, 0, UMAX))                      \
	BIN(S##_sub_sat_s, VS, VS, clamp(x - y, MIN, MAX))                     \
	BIN(S##_sub_sat_u, VU, VU, clamp(x - y, 0, UMAX))
SATURATING(i8x16, i8, u8, INT8_MIN, INT8_MAX, UINT8_MAX)
SATURATING(i16x8, i16, u16, INT16_MIN, INT16_MAX, UINT16_MAX)

#define MIN_MAX(S, VS, VU)                                                     \
	BIN(S##_min_s, VS, VS, x < y ? x : y)                                  \
	BIN(S##_min_u, VU, VU, x < y ? x : y)                                  \
	BIN(S##_max_s, VS, VS, x > y ? x : y)                                  \
	BIN(S##_max_u, VU, VU, x > y ? x : y)
MIN_MAX(i8x16, i8, u8)
MIN_MAX(i16x8, i16, u16)
MIN_MAX(i32x4, i32, u32)

/* The rounding average, (x + y + 1) / 2 without overflow (int is wider). */
BIN(i8x16_avgr_u, u8, u8, (x + y + 1) >> 1)
BIN(i16x8_avgr_u, u16, u16, (x + y + 1) >> 1)

/* Q15 multiply, rounded: (x * y + 2^14) >> 15; only -1 * -1 saturates. */
BIN(i16x8_q15mulr_sat_s, i16, i16,
    clamp((x * y + 0x4000) >> 15, INT16_MIN, INT16_MAX))

/* Lane i: a[2i] * b[2i] + a[2i+1] * b[2i+1]; the one sum that does not fit
 * (2 * 2^30) wraps, as the spec's modular addition does. */
v128 simd_i32x4_dot_i16x8_s(v128 a, v128 b)
{
	v128 r;
	for (unsigned i = 0; i < 4; i++)
		r.u32[i] = (uint32_t)(a.i16[2 * i] * b.i16[2 * i]) +
			   (uint32_t)(a.i16[2 * i + 1] * b.i16[2 * i + 1]);
	return r;
}
