/*
 * tests/vm/simd_ops_test.c: the `simd` suite, part two: the instructions
 * the core-2.0 folder here has no file for (it lacks simd_f32x4_rounding,
 * simd_i32x4_dot_i16x8, simd_i8x16_sat_arith and simd_load8_lane), each
 * checked against instructions the spec rows of simd_test.c verify, and
 * the API's own promises: lane immediates masked, slot copies that need
 * only 8-byte alignment.
 */
#include <ktest.h>
#include <string.h>

#include "../../vm/simd.h"

/* A deterministic sequence of 32-bit patterns (xorshift). */
static uint32_t next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static bool same(v128 a, v128 b)
{
	return a.u64[0] == b.u64[0] && a.u64[1] == b.u64[1];
}

/* f32 values worth rounding: zeros, halves, the 2^23 edge, infinities,
 * NaNs (quiet, signalling, with payloads), subnormals, the largest. */
static const uint32_t f32_special[] = {
	0x00000000, 0x80000000, 0x3f000000, 0xbf000000, 0x3f800000, 0xbf800000,
	0x3fc00000, 0xbfc00000, 0x40200000, 0xc0200000, 0x3effffff, 0xbeffffff,
	0x3f7fffff, 0xbf7fffff, 0x4afffffe, 0x4affffff, 0xcaffffff, 0x4b000000,
	0xcb000000, 0x4b000001, 0x4b7fffff, 0x4b800000, 0x7f7fffff, 0xff7fffff,
	0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x7f800000, 0xff800000,
	0x7fc00000, 0xffc00000, 0x7fa00000, 0xffa00000, 0x7f800001, 0x7fffffff,
	0x7fc12345, 0xff812345,
};

/* The f32 rounding ops lane by lane against their f64 forms (which the
 * simd_f64x2_rounding rows check): widen, round, narrow is exact, as any
 * f32 of magnitude 2^23 or more is already integral. A NaN must come back
 * quiet with its payload, so canonical stays canonical. */
static void check_rounding(struct ktest *t, v128 (*f32op)(v128),
			   v128 (*f64op)(v128), const char *name)
{
	uint32_t seed = 0x2545f491;
	unsigned bad = 0;
	for (unsigned n = 0; n < 20000; n++) {
		v128 a, high;
		for (unsigned i = 0; i < 4; i++) {
			unsigned k = n * 4 + i;
			a.u32[i] = k < sizeof(f32_special) / 4 ? f32_special[k]
							       : next(&seed);
		}
		v128 r = f32op(a);
		v128 lo = simd_f32x4_demote_f64x2_zero(
			f64op(simd_f64x2_promote_low_f32x4(a)));
		high = a;
		high.u64[0] = a.u64[1];
		v128 hi = simd_f32x4_demote_f64x2_zero(
			f64op(simd_f64x2_promote_low_f32x4(high)));
		uint32_t want[4] = {lo.u32[0], lo.u32[1], hi.u32[0], hi.u32[1]};
		for (unsigned i = 0; i < 4; i++) {
			uint32_t in = a.u32[i] & 0x7fffffff, got = r.u32[i];
			bool ok = in <= 0x7f800000 ? got == want[i]
				  : in == 0x7fc00000
					  ? (got & 0x7fffffff) == 0x7fc00000
					  : (got & 0x7fc00000) == 0x7fc00000;
			if (!ok && bad++ < 5)
				ktest_log(t, "%s(%08x) = %08x, want %08x", name,
					  (unsigned)a.u32[i], (unsigned)got,
					  (unsigned)want[i]);
		}
	}
	KT_EXPECT_EQ(t, bad, 0);
}

KTEST(simd, f32x4_rounding_matches_f64x2)
{
	check_rounding(t, simd_f32x4_ceil, simd_f64x2_ceil, "ceil");
	check_rounding(t, simd_f32x4_floor, simd_f64x2_floor, "floor");
	check_rounding(t, simd_f32x4_trunc, simd_f64x2_trunc, "trunc");
	check_rounding(t, simd_f32x4_nearest, simd_f64x2_nearest, "nearest");
}

/* dot from i32x4 shifts, mul and add, all checked by spec rows: each i32
 * lane's low and high i16 halves, sign-extended, multiplied, summed. */
static v128 dot_reference(v128 a, v128 b)
{
	v128 ae = simd_i32x4_shr_s(simd_i32x4_shl(a, 16), 16);
	v128 be = simd_i32x4_shr_s(simd_i32x4_shl(b, 16), 16);
	v128 ao = simd_i32x4_shr_s(a, 16), bo = simd_i32x4_shr_s(b, 16);
	return simd_i32x4_add(simd_i32x4_mul(ae, be), simd_i32x4_mul(ao, bo));
}

KTEST(simd, i32x4_dot_i16x8_s)
{
	static const uint16_t edge[] = {0x8000, 0x7fff, 0xffff, 0, 1, 0x8001};
	uint32_t seed = 0x9e3779b9;
	unsigned bad = 0;
	for (unsigned n = 0; n < 4000; n++) {
		v128 a, b;
		for (unsigned i = 0; i < 8; i++) {
			a.u16[i] = n < 36 ? edge[n % 6] : (uint16_t)next(&seed);
			b.u16[i] = n < 36 ? edge[n / 6] : (uint16_t)next(&seed);
		}
		bad += !same(simd_i32x4_dot_i16x8_s(a, b), dot_reference(a, b));
	}
	KT_EXPECT_EQ(t, bad, 0);
	/* the one sum that wraps: 2 * (-32768)^2 = 2^31 */
	v128 m = simd_i16x8_splat(0x8000);
	KT_EXPECT_EQ(t, simd_i32x4_dot_i16x8_s(m, m).u32[0], 0x80000000u);
	KT_EXPECT_EQ(t, simd_i32x4_dot_i16x8_s(m, simd_i16x8_splat(1)).i32[3],
		     -65536);
}

/* Every pair of i8 lanes through the four saturating ops, against the
 * same sum or difference in i16 lanes narrowed back with saturation. */
KTEST(simd, i8x16_saturating_all_pairs)
{
	static v128 (*const i16op[4])(v128, v128) = {
		simd_i16x8_add, simd_i16x8_add, simd_i16x8_sub, simd_i16x8_sub};
	static v128 (*const i8op[4])(v128, v128) = {
		simd_i8x16_add_sat_s, simd_i8x16_add_sat_u,
		simd_i8x16_sub_sat_s, simd_i8x16_sub_sat_u};
	unsigned bad = 0;
	for (unsigned k = 0; k < 4; k++) {
		bool u = k & 1;
		v128 (*ext_lo)(v128) = u ? simd_i16x8_extend_low_i8x16_u
					 : simd_i16x8_extend_low_i8x16_s;
		v128 (*ext_hi)(v128) = u ? simd_i16x8_extend_high_i8x16_u
					 : simd_i16x8_extend_high_i8x16_s;
		v128 (*narrow)(v128, v128) = u ? simd_i8x16_narrow_i16x8_u
					       : simd_i8x16_narrow_i16x8_s;
		for (unsigned x = 0; x < 256; x++)
			for (unsigned y0 = 0; y0 < 256; y0 += 16) {
				v128 a = simd_i8x16_splat(x), b;
				for (unsigned i = 0; i < 16; i++)
					b.u8[i] = (uint8_t)(y0 + i);
				v128 want =
					narrow(i16op[k](ext_lo(a), ext_lo(b)),
					       i16op[k](ext_hi(a), ext_hi(b)));
				bad += !same(i8op[k](a, b), want);
			}
	}
	KT_EXPECT_EQ(t, bad, 0);
}

/* load8_lane is replace_lane with the byte at p; store8_lane writes that
 * one byte (the 16/32/64-bit forms, from the same macro, have spec rows). */
KTEST(simd, load8_lane_store8_lane)
{
	uint8_t buf[48];
	v128 v;
	for (unsigned i = 0; i < 16; i++)
		v.u8[i] = (uint8_t)(0xa0 + i);
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	unsigned bad = 0;
	for (unsigned lane = 0; lane < 16; lane++)
		for (unsigned at = 0; at < 32; at++) {
			bad += !same(simd_v128_load8_lane(buf + at, v, lane),
				     simd_i8x16_replace_lane(v, lane, buf[at]));
			uint8_t copy[48];
			memcpy(copy, buf, sizeof(copy));
			simd_v128_store8_lane(copy + at, v, lane);
			copy[at] ^= (uint8_t)(0xa0 + lane) ^ (uint8_t)at;
			bad += memcmp(copy, buf, sizeof(buf)) != 0;
		}
	KT_EXPECT_EQ(t, bad, 0);
}

/* A lane immediate is masked to the lane count, so an index the validator
 * should have refused still stays inside the value (and the stack). */
KTEST(simd, lane_immediates_masked)
{
	v128 a;
	uint8_t mem[16], lanes[16];
	for (unsigned i = 0; i < 16; i++) {
		a.u8[i] = (uint8_t)(i * 17 + 3);
		mem[i] = (uint8_t)(0xf0 + i);
		lanes[i] = (uint8_t)(i + 32 * (i % 8));
	}
	KT_EXPECT_EQ(t, simd_i8x16_extract_lane_u(a, 16 + 5), a.u8[5]);
	KT_EXPECT_EQ(t, simd_i16x8_extract_lane_s(a, 8 + 2),
		     (uint32_t)(int32_t)a.i16[2]);
	KT_EXPECT_EQ(t, simd_i32x4_extract_lane(a, 4 + 3), a.u32[3]);
	KT_EXPECT_EQ(t, simd_i64x2_extract_lane(a, 255), a.u64[1]);
	KT_EXPECT_EQ(t, simd_f64x2_replace_lane(a, 2, 7).u64[0], 7);
	KT_EXPECT_EQ(t, simd_v128_load32_lane(mem, a, 6).u32[2],
		     simd_v128_load32_lane(mem, a, 2).u32[2]);
	KT_EXPECT(t, same(simd_i8x16_shuffle(a, a, lanes), a));
	uint8_t out[4] = {0};
	simd_v128_store16_lane(out, a, 8 + 1);
	KT_EXPECT_EQ(t, out[0] | out[1] << 8, a.u16[1]);
	KT_EXPECT_EQ(t, out[2], 0);
}

/* simd_get/simd_put copy two slots at an 8-byte (not 16-byte) aligned
 * address, low half first, touching nothing else. */
KTEST(simd, slots_low_half_first)
{
	uint64_t slots[4] __attribute__((aligned(16))) = {1, 2, 3, 4};
	v128 v = simd_i64x2_replace_lane(simd_i64x2_splat(0x1111), 1, 0x2222);
	simd_put(&slots[1], v);
	KT_EXPECT_EQ(t, slots[0], 1);
	KT_EXPECT_EQ(t, slots[1], 0x1111);
	KT_EXPECT_EQ(t, slots[2], 0x2222);
	KT_EXPECT_EQ(t, slots[3], 4);
	KT_EXPECT(t, same(simd_get(&slots[1]), v));
	/* lane 0 of every shape is the low slot's low bytes */
	KT_EXPECT_EQ(t, simd_i8x16_extract_lane_u(simd_get(&slots[1]), 0),
		     0x11);
	KT_EXPECT_EQ(t, simd_i32x4_extract_lane(simd_get(&slots[1]), 2),
		     0x2222);
}
