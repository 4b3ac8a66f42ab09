/*
 * simd: WebAssembly SIMD through wasm_simd128.h's intrinsics, one kernel
 * per instruction family (loads and splats, shuffles and swizzle, lane
 * access, integer and saturating arithmetic, dot products, comparisons and
 * bitmasks, float arithmetic and rounding, conversions). Built with
 * -msimd128 the kernels are v128 code; natively (gcc) each has a scalar
 * version computing the same lanes, so the output must be byte-identical.
 * Every value is printed in hex lane by lane.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

static uint8_t data[64];

static void show(const char *what, const void *v)
{
	const uint32_t *u = v;
	printf("simd: %-10s %08x %08x %08x %08x\n", what, (unsigned)u[0],
	       (unsigned)u[1], (unsigned)u[2], (unsigned)u[3]);
}

/* Loads, splat, load-extend, lane replace and extract. */
static void lanes(int k)
{
	uint32_t out[4];
	int16_t wide[8];
#ifdef __wasm_simd128__
	v128_t v = wasm_v128_load(data + k);
	v = wasm_i32x4_replace_lane(v, 2, wasm_i32x4_extract_lane(v, 0) ^ k);
	wasm_v128_store(out,
			wasm_i32x4_add(v, wasm_i32x4_splat(k * 0x01010101)));
	wasm_v128_store(wide, wasm_i16x8_load8x8(data + 3 * k));
#else
	memcpy(out, data + k, 16);
	out[2] = out[0] ^ (uint32_t)k;
	for (int i = 0; i < 4; i++)
		out[i] += (uint32_t)k * 0x01010101u;
	for (int i = 0; i < 8; i++)
		wide[i] = (int8_t)data[3 * k + i];
#endif
	show("lanes", out);
	show("load8x8_s", wide);
}

/* A constant shuffle (byte reversal) and a data-dependent swizzle. */
static void shuffles(int k)
{
	uint8_t out[16], sw[16];
#ifdef __wasm_simd128__
	v128_t v = wasm_v128_load(data + k);
	v128_t rev = wasm_i8x16_shuffle(v, v, 15, 14, 13, 12, 11, 10, 9, 8, 7,
					6, 5, 4, 3, 2, 1, 0);
	wasm_v128_store(out, rev);
	v128_t idx = wasm_u8x16_shr(wasm_v128_load(data + 2 * k), 3);
	wasm_v128_store(sw, wasm_i8x16_swizzle(v, idx));
#else
	for (int i = 0; i < 16; i++) {
		unsigned idx = data[2 * k + i] >> 3;
		out[i] = data[k + 15 - i];
		sw[i] = idx < 16 ? data[k + idx] : 0;
	}
#endif
	show("shuffle", out);
	show("swizzle", sw);
}

/* Saturating byte and 16-bit arithmetic, averages, absolute values. */
static void saturate(int k)
{
	uint8_t o1[16];
	int16_t o2[8];
#ifdef __wasm_simd128__
	v128_t a = wasm_v128_load(data + k), b = wasm_v128_load(data + 16 + k);
	v128_t s = wasm_u8x16_add_sat(a, b);
	s = wasm_v128_xor(s, wasm_u8x16_avgr(a, b));
	wasm_v128_store(o1, wasm_i8x16_sub_sat(s, b));
	v128_t h = wasm_i16x8_sub_sat(a, wasm_i16x8_add_sat(b, b));
	wasm_v128_store(o2, wasm_i16x8_abs(h));
#else
	int16_t ha[8], hb[8];
	memcpy(ha, data + k, 16);
	memcpy(hb, data + 16 + k, 16);
	for (int i = 0; i < 16; i++) {
		unsigned x = data[k + i], y = data[16 + k + i];
		unsigned s = x + y > 255 ? 255 : x + y;
		s ^= (x + y + 1) / 2;
		int d = (int8_t)s - (int8_t)y;
		o1[i] = (uint8_t)(d > 127 ? 127 : d < -128 ? -128 : d);
	}
	for (int i = 0; i < 8; i++) {
		int bb = hb[i] + hb[i];
		bb = bb > 32767 ? 32767 : bb < -32768 ? -32768 : bb;
		int d = ha[i] - bb;
		d = d > 32767 ? 32767 : d < -32768 ? -32768 : d;
		o2[i] = (int16_t)(d < 0 ? -d : d); /* abs(-32768) wraps */
	}
#endif
	show("sat8", o1);
	show("sat16abs", o2);
}

/* i32x4.dot_i16x8_s, extended multiplication and pairwise addition. */
static void dots(int k)
{
	int32_t dot[4], pair[4];
	int64_t ext[2];
#ifdef __wasm_simd128__
	v128_t a = wasm_v128_load(data + k), b = wasm_v128_load(data + 32 - k);
	wasm_v128_store(dot, wasm_i32x4_dot_i16x8(a, b));
	wasm_v128_store(ext, wasm_i64x2_extmul_high_i32x4(a, b));
	wasm_v128_store(pair, wasm_i32x4_extadd_pairwise_i16x8(a));
#else
	int16_t ha[8], hb[8];
	int32_t wa[4], wb[4];
	memcpy(ha, data + k, 16);
	memcpy(hb, data + 32 - k, 16);
	memcpy(wa, data + k, 16);
	memcpy(wb, data + 32 - k, 16);
	for (int i = 0; i < 4; i++) {
		dot[i] = (int32_t)((uint32_t)(ha[2 * i] * hb[2 * i]) +
				   (uint32_t)(ha[2 * i + 1] * hb[2 * i + 1]));
		pair[i] = ha[2 * i] + ha[2 * i + 1];
	}
	for (int i = 0; i < 2; i++)
		ext[i] = (int64_t)wa[2 + i] * wb[2 + i];
#endif
	show("dot", dot);
	show("extmul", ext);
	show("extadd", pair);
}

/* Comparisons, a select by mask, any/all_true and bitmask. */
static void compares(int k)
{
	int32_t sel[4];
	int bits, any, all;
#ifdef __wasm_simd128__
	v128_t a = wasm_v128_load(data + k), b = wasm_v128_load(data + 48 - k);
	v128_t lt = wasm_i8x16_lt(a, b);
	bits = (int)wasm_i8x16_bitmask(lt);
	any = wasm_v128_any_true(wasm_i32x4_gt(a, b));
	all = wasm_i16x8_all_true(wasm_v128_or(a, b));
	wasm_v128_store(sel, wasm_v128_bitselect(a, b, wasm_u32x4_ge(a, b)));
#else
	int32_t wa[4], wb[4];
	int16_t ha[8], hb[8];
	memcpy(wa, data + k, 16);
	memcpy(wb, data + 48 - k, 16);
	memcpy(ha, data + k, 16);
	memcpy(hb, data + 48 - k, 16);
	bits = 0, any = 0, all = 1;
	for (int i = 0; i < 16; i++)
		bits |= ((int8_t)data[k + i] < (int8_t)data[48 - k + i]) << i;
	for (int i = 0; i < 4; i++) {
		any |= wa[i] > wb[i];
		sel[i] = (uint32_t)wa[i] >= (uint32_t)wb[i] ? wa[i] : wb[i];
	}
	for (int i = 0; i < 8; i++)
		all &= (ha[i] | hb[i]) != 0;
#endif
	printf("simd: compare    bitmask %04x any %d all %d\n", bits, any, all);
	show("bitselect", sel);
}

#ifndef __wasm_simd128__
/* f32x4.min and f32x4.max without NaNs: -0 is below +0. */
static float min_w(float a, float b)
{
	return a < b ? a : b < a ? b : signbit(a) ? a : b;
}

static float max_w(float a, float b)
{
	return a > b ? a : b > a ? b : signbit(a) ? b : a;
}
#endif

/* Float lanes: arithmetic, sqrt, min/max (no NaNs), rounding,
 * saturating conversion to integers and back. */
static void floats(int k)
{
	float f[4], g[4], o[4];
	int32_t t[4];
	for (int i = 0; i < 4; i++) {
		f[i] = (float)((int8_t)data[k + i]) * 0.375f;
		g[i] = (float)(data[k + 8 + i]) / 7.0f;
	}
#ifdef __wasm_simd128__
	v128_t vf = wasm_v128_load(f), vg = wasm_v128_load(g);
	v128_t s = wasm_f32x4_add(wasm_f32x4_mul(vf, vg), wasm_f32x4_sqrt(vg));
	s = wasm_f32x4_max(wasm_f32x4_min(s, wasm_f32x4_splat(1000.0f)),
			   wasm_f32x4_neg(vg));
	wasm_v128_store(o, wasm_f32x4_nearest(s));
	v128_t big = wasm_f32x4_mul(s, wasm_f32x4_splat(3e6f));
	wasm_v128_store(t, wasm_i32x4_trunc_sat_f32x4(big));
	wasm_v128_store(g, wasm_f32x4_convert_i32x4(wasm_v128_load(t)));
#else
	for (int i = 0; i < 4; i++) {
		float s = f[i] * g[i] + sqrtf(g[i]);
		s = max_w(min_w(s, 1000.0f), -g[i]);
		o[i] = nearbyintf(s);
		float big = s * 3e6f;
		t[i] = big >= 2147483648.0f   ? INT32_MAX
		       : big < -2147483648.0f ? INT32_MIN
					      : (int32_t)big;
		g[i] = (float)t[i];
	}
#endif
	show("f32", o);
	show("trunc_sat", t);
	show("convert", g);
}

int main(int argc, char **argv)
{
	(void)argv;
	uint32_t h = 0x9e3779b9u * (uint32_t)argc;
	for (int i = 0; i < 64; i++) {
		h ^= h << 13, h ^= h >> 17, h ^= h << 5;
		data[i] = (uint8_t)h;
	}
	for (int k = 1; k <= 3; k++) {
		printf("simd: round %d\n", k);
		lanes(k);
		shuffles(k);
		saturate(k);
		dots(k);
		compares(k);
		floats(k);
	}
	return 0;
}
