/*
 * vm/simd.h: WebAssembly 2.0 128-bit SIMD, the semantics of every
 * instruction as portable C (docs/vm-simd.md).
 *
 * A v128 is a union of its lane views. The host is little-endian (exec.c
 * asserts it), so lane i of every shape is element i of the matching array
 * and a v128 is exactly the 16 bytes wasm memory holds. In the interpreter a
 * v128 occupies two consecutive 64-bit frame slots, low half first; slots
 * are only 8-byte aligned, so values move between slots and a v128 with
 * simd_get/simd_put (a 16-byte copy the compiler turns into two or four
 * moves), never through a cast pointer.
 *
 * The API: one function per instruction, named after it (i8x16.add_sat_s is
 * simd_i8x16_add_sat_s), taking and returning v128 by value. The simple,
 * hot ones are static inline below; the rest live in simd.c and
 * simd_float.c. Scalars cross the API as raw bits (uint32_t for i32 and f32,
 * uint64_t for i64 and f64), as the slots hold them: never as a C float,
 * which the i386 ABI returns through x87 and which would quiet a signalling
 * NaN. Lane immediates are masked to the lane count, so even an index the
 * validator should have refused cannot reach outside the value.
 *
 * Memory: the load and store helpers take a pointer to the first byte of the
 * access, ALREADY BOUNDS-CHECKED by the caller: the interpreter computes the
 * effective address, checks [ea, ea + SIMD_OPS' byte count) against the
 * memory size and traps naming the instruction, and only then calls these.
 * They do unaligned accesses through __builtin_memcpy (the kernel builds
 * -ffreestanding, where memcpy would be a library call).
 *
 * Floats: results are IEEE round-to-nearest-even in SSE2 or VFP, never x87.
 * NaN rules as for scalar floats (fp.h): arithmetic results are the
 * hardware's (a quieted input NaN, or a canonical NaN from canonical or
 * non-NaN inputs); min/max propagate a quieted input NaN and order -0 below
 * +0; neg, abs and pmin/pmax only move bits, so they keep any NaN as it is.
 */
#ifndef VM_SIMD_H
#define VM_SIMD_H

#include <stdint.h>

#include "fp.h"

typedef union v128 {
	uint8_t u8[16];
	int8_t i8[16];
	uint16_t u16[8];
	int16_t i16[8];
	uint32_t u32[4];
	int32_t i32[4];
	uint64_t u64[2];
	int64_t i64[2];
	float f32[4];
	double f64[2];
} __attribute__((aligned(16))) v128;

_Static_assert(sizeof(v128) == 16, "a v128 is two 64-bit slots");
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "lane i is element i of the lane array only on little-endian");

/*
 * Every SIMD instruction: X(name, 0xfd sub-opcode, form, bytes, lanes).
 * bytes is the memory access size (0 if none: what the interpreter
 * bounds-checks), lanes the bound of the lane immediate(s) (0 if none;
 * 32 for shuffle's 16 indices). The forms, as the C signatures:
 *   LOAD       v128 f(const uint8_t *p)           memarg
 *   LOAD_LANE  v128 f(const uint8_t *p, v128 a, unsigned lane)
 *   STORE      void f(uint8_t *p, v128 a)         memarg
 *   STORE_LANE void f(uint8_t *p, v128 a, unsigned lane)
 *   CONST      (16 immediate bytes; no function)
 *   SHUFFLE    v128 f(v128 a, v128 b, const uint8_t lanes[16])
 *   SPLAT32/64 v128 f(uint32_t/uint64_t x)
 *   EXTRACT32/64  uint32_t/uint64_t f(v128 a, unsigned lane)
 *   REPLACE32/64  v128 f(v128 a, unsigned lane, uint32_t/uint64_t x)
 *   UN, BIN, TERN v128 f(v128 a[, v128 b[, v128 c]])
 *   SHIFT      v128 f(v128 a, uint32_t count)
 *   TEST       uint32_t f(v128 a)                 an i32 result
 * tests/vm/gen_simd_cases.py reads this list (name, sub-opcode and form).
 */
// clang-format off
#define SIMD_OPS(X)                                                     \
	X(v128_load, 0x00, LOAD, 16, 0)                                 \
	X(v128_load8x8_s, 0x01, LOAD, 8, 0)                             \
	X(v128_load8x8_u, 0x02, LOAD, 8, 0)                             \
	X(v128_load16x4_s, 0x03, LOAD, 8, 0)                            \
	X(v128_load16x4_u, 0x04, LOAD, 8, 0)                            \
	X(v128_load32x2_s, 0x05, LOAD, 8, 0)                            \
	X(v128_load32x2_u, 0x06, LOAD, 8, 0)                            \
	X(v128_load8_splat, 0x07, LOAD, 1, 0)                           \
	X(v128_load16_splat, 0x08, LOAD, 2, 0)                          \
	X(v128_load32_splat, 0x09, LOAD, 4, 0)                          \
	X(v128_load64_splat, 0x0a, LOAD, 8, 0)                          \
	X(v128_store, 0x0b, STORE, 16, 0)                               \
	X(v128_const, 0x0c, CONST, 0, 0)                                \
	X(i8x16_shuffle, 0x0d, SHUFFLE, 0, 32)                          \
	X(i8x16_swizzle, 0x0e, BIN, 0, 0)                               \
	X(i8x16_splat, 0x0f, SPLAT32, 0, 0)                             \
	X(i16x8_splat, 0x10, SPLAT32, 0, 0)                             \
	X(i32x4_splat, 0x11, SPLAT32, 0, 0)                             \
	X(i64x2_splat, 0x12, SPLAT64, 0, 0)                             \
	X(f32x4_splat, 0x13, SPLAT32, 0, 0)                             \
	X(f64x2_splat, 0x14, SPLAT64, 0, 0)                             \
	X(i8x16_extract_lane_s, 0x15, EXTRACT32, 0, 16)                 \
	X(i8x16_extract_lane_u, 0x16, EXTRACT32, 0, 16)                 \
	X(i8x16_replace_lane, 0x17, REPLACE32, 0, 16)                   \
	X(i16x8_extract_lane_s, 0x18, EXTRACT32, 0, 8)                  \
	X(i16x8_extract_lane_u, 0x19, EXTRACT32, 0, 8)                  \
	X(i16x8_replace_lane, 0x1a, REPLACE32, 0, 8)                    \
	X(i32x4_extract_lane, 0x1b, EXTRACT32, 0, 4)                    \
	X(i32x4_replace_lane, 0x1c, REPLACE32, 0, 4)                    \
	X(i64x2_extract_lane, 0x1d, EXTRACT64, 0, 2)                    \
	X(i64x2_replace_lane, 0x1e, REPLACE64, 0, 2)                    \
	X(f32x4_extract_lane, 0x1f, EXTRACT32, 0, 4)                    \
	X(f32x4_replace_lane, 0x20, REPLACE32, 0, 4)                    \
	X(f64x2_extract_lane, 0x21, EXTRACT64, 0, 2)                    \
	X(f64x2_replace_lane, 0x22, REPLACE64, 0, 2)                    \
	X(i8x16_eq, 0x23, BIN, 0, 0)                                    \
	X(i8x16_ne, 0x24, BIN, 0, 0)                                    \
	X(i8x16_lt_s, 0x25, BIN, 0, 0)                                  \
	X(i8x16_lt_u, 0x26, BIN, 0, 0)                                  \
	X(i8x16_gt_s, 0x27, BIN, 0, 0)                                  \
	X(i8x16_gt_u, 0x28, BIN, 0, 0)                                  \
	X(i8x16_le_s, 0x29, BIN, 0, 0)                                  \
	X(i8x16_le_u, 0x2a, BIN, 0, 0)                                  \
	X(i8x16_ge_s, 0x2b, BIN, 0, 0)                                  \
	X(i8x16_ge_u, 0x2c, BIN, 0, 0)                                  \
	X(i16x8_eq, 0x2d, BIN, 0, 0)                                    \
	X(i16x8_ne, 0x2e, BIN, 0, 0)                                    \
	X(i16x8_lt_s, 0x2f, BIN, 0, 0)                                  \
	X(i16x8_lt_u, 0x30, BIN, 0, 0)                                  \
	X(i16x8_gt_s, 0x31, BIN, 0, 0)                                  \
	X(i16x8_gt_u, 0x32, BIN, 0, 0)                                  \
	X(i16x8_le_s, 0x33, BIN, 0, 0)                                  \
	X(i16x8_le_u, 0x34, BIN, 0, 0)                                  \
	X(i16x8_ge_s, 0x35, BIN, 0, 0)                                  \
	X(i16x8_ge_u, 0x36, BIN, 0, 0)                                  \
	X(i32x4_eq, 0x37, BIN, 0, 0)                                    \
	X(i32x4_ne, 0x38, BIN, 0, 0)                                    \
	X(i32x4_lt_s, 0x39, BIN, 0, 0)                                  \
	X(i32x4_lt_u, 0x3a, BIN, 0, 0)                                  \
	X(i32x4_gt_s, 0x3b, BIN, 0, 0)                                  \
	X(i32x4_gt_u, 0x3c, BIN, 0, 0)                                  \
	X(i32x4_le_s, 0x3d, BIN, 0, 0)                                  \
	X(i32x4_le_u, 0x3e, BIN, 0, 0)                                  \
	X(i32x4_ge_s, 0x3f, BIN, 0, 0)                                  \
	X(i32x4_ge_u, 0x40, BIN, 0, 0)                                  \
	X(f32x4_eq, 0x41, BIN, 0, 0)                                    \
	X(f32x4_ne, 0x42, BIN, 0, 0)                                    \
	X(f32x4_lt, 0x43, BIN, 0, 0)                                    \
	X(f32x4_gt, 0x44, BIN, 0, 0)                                    \
	X(f32x4_le, 0x45, BIN, 0, 0)                                    \
	X(f32x4_ge, 0x46, BIN, 0, 0)                                    \
	X(f64x2_eq, 0x47, BIN, 0, 0)                                    \
	X(f64x2_ne, 0x48, BIN, 0, 0)                                    \
	X(f64x2_lt, 0x49, BIN, 0, 0)                                    \
	X(f64x2_gt, 0x4a, BIN, 0, 0)                                    \
	X(f64x2_le, 0x4b, BIN, 0, 0)                                    \
	X(f64x2_ge, 0x4c, BIN, 0, 0)                                    \
	X(v128_not, 0x4d, UN, 0, 0)                                     \
	X(v128_and, 0x4e, BIN, 0, 0)                                    \
	X(v128_andnot, 0x4f, BIN, 0, 0)                                 \
	X(v128_or, 0x50, BIN, 0, 0)                                     \
	X(v128_xor, 0x51, BIN, 0, 0)                                    \
	X(v128_bitselect, 0x52, TERN, 0, 0)                             \
	X(v128_any_true, 0x53, TEST, 0, 0)                              \
	X(v128_load8_lane, 0x54, LOAD_LANE, 1, 16)                      \
	X(v128_load16_lane, 0x55, LOAD_LANE, 2, 8)                      \
	X(v128_load32_lane, 0x56, LOAD_LANE, 4, 4)                      \
	X(v128_load64_lane, 0x57, LOAD_LANE, 8, 2)                      \
	X(v128_store8_lane, 0x58, STORE_LANE, 1, 16)                    \
	X(v128_store16_lane, 0x59, STORE_LANE, 2, 8)                    \
	X(v128_store32_lane, 0x5a, STORE_LANE, 4, 4)                    \
	X(v128_store64_lane, 0x5b, STORE_LANE, 8, 2)                    \
	X(v128_load32_zero, 0x5c, LOAD, 4, 0)                           \
	X(v128_load64_zero, 0x5d, LOAD, 8, 0)                           \
	X(f32x4_demote_f64x2_zero, 0x5e, UN, 0, 0)                      \
	X(f64x2_promote_low_f32x4, 0x5f, UN, 0, 0)                      \
	X(i8x16_abs, 0x60, UN, 0, 0)                                    \
	X(i8x16_neg, 0x61, UN, 0, 0)                                    \
	X(i8x16_popcnt, 0x62, UN, 0, 0)                                 \
	X(i8x16_all_true, 0x63, TEST, 0, 0)                             \
	X(i8x16_bitmask, 0x64, TEST, 0, 0)                              \
	X(i8x16_narrow_i16x8_s, 0x65, BIN, 0, 0)                        \
	X(i8x16_narrow_i16x8_u, 0x66, BIN, 0, 0)                        \
	X(f32x4_ceil, 0x67, UN, 0, 0)                                   \
	X(f32x4_floor, 0x68, UN, 0, 0)                                  \
	X(f32x4_trunc, 0x69, UN, 0, 0)                                  \
	X(f32x4_nearest, 0x6a, UN, 0, 0)                                \
	X(i8x16_shl, 0x6b, SHIFT, 0, 0)                                 \
	X(i8x16_shr_s, 0x6c, SHIFT, 0, 0)                               \
	X(i8x16_shr_u, 0x6d, SHIFT, 0, 0)                               \
	X(i8x16_add, 0x6e, BIN, 0, 0)                                   \
	X(i8x16_add_sat_s, 0x6f, BIN, 0, 0)                             \
	X(i8x16_add_sat_u, 0x70, BIN, 0, 0)                             \
	X(i8x16_sub, 0x71, BIN, 0, 0)                                   \
	X(i8x16_sub_sat_s, 0x72, BIN, 0, 0)                             \
	X(i8x16_sub_sat_u, 0x73, BIN, 0, 0)                             \
	X(f64x2_ceil, 0x74, UN, 0, 0)                                   \
	X(f64x2_floor, 0x75, UN, 0, 0)                                  \
	X(i8x16_min_s, 0x76, BIN, 0, 0)                                 \
	X(i8x16_min_u, 0x77, BIN, 0, 0)                                 \
	X(i8x16_max_s, 0x78, BIN, 0, 0)                                 \
	X(i8x16_max_u, 0x79, BIN, 0, 0)                                 \
	X(f64x2_trunc, 0x7a, UN, 0, 0)                                  \
	X(i8x16_avgr_u, 0x7b, BIN, 0, 0)                                \
	X(i16x8_extadd_pairwise_i8x16_s, 0x7c, UN, 0, 0)                \
	X(i16x8_extadd_pairwise_i8x16_u, 0x7d, UN, 0, 0)                \
	X(i32x4_extadd_pairwise_i16x8_s, 0x7e, UN, 0, 0)                \
	X(i32x4_extadd_pairwise_i16x8_u, 0x7f, UN, 0, 0)                \
	X(i16x8_abs, 0x80, UN, 0, 0)                                    \
	X(i16x8_neg, 0x81, UN, 0, 0)                                    \
	X(i16x8_q15mulr_sat_s, 0x82, BIN, 0, 0)                         \
	X(i16x8_all_true, 0x83, TEST, 0, 0)                             \
	X(i16x8_bitmask, 0x84, TEST, 0, 0)                              \
	X(i16x8_narrow_i32x4_s, 0x85, BIN, 0, 0)                        \
	X(i16x8_narrow_i32x4_u, 0x86, BIN, 0, 0)                        \
	X(i16x8_extend_low_i8x16_s, 0x87, UN, 0, 0)                     \
	X(i16x8_extend_high_i8x16_s, 0x88, UN, 0, 0)                    \
	X(i16x8_extend_low_i8x16_u, 0x89, UN, 0, 0)                     \
	X(i16x8_extend_high_i8x16_u, 0x8a, UN, 0, 0)                    \
	X(i16x8_shl, 0x8b, SHIFT, 0, 0)                                 \
	X(i16x8_shr_s, 0x8c, SHIFT, 0, 0)                               \
	X(i16x8_shr_u, 0x8d, SHIFT, 0, 0)                               \
	X(i16x8_add, 0x8e, BIN, 0, 0)                                   \
	X(i16x8_add_sat_s, 0x8f, BIN, 0, 0)                             \
	X(i16x8_add_sat_u, 0x90, BIN, 0, 0)                             \
	X(i16x8_sub, 0x91, BIN, 0, 0)                                   \
	X(i16x8_sub_sat_s, 0x92, BIN, 0, 0)                             \
	X(i16x8_sub_sat_u, 0x93, BIN, 0, 0)                             \
	X(f64x2_nearest, 0x94, UN, 0, 0)                                \
	X(i16x8_mul, 0x95, BIN, 0, 0)                                   \
	X(i16x8_min_s, 0x96, BIN, 0, 0)                                 \
	X(i16x8_min_u, 0x97, BIN, 0, 0)                                 \
	X(i16x8_max_s, 0x98, BIN, 0, 0)                                 \
	X(i16x8_max_u, 0x99, BIN, 0, 0)                                 \
	X(i16x8_avgr_u, 0x9b, BIN, 0, 0)                                \
	X(i16x8_extmul_low_i8x16_s, 0x9c, BIN, 0, 0)                    \
	X(i16x8_extmul_high_i8x16_s, 0x9d, BIN, 0, 0)                   \
	X(i16x8_extmul_low_i8x16_u, 0x9e, BIN, 0, 0)                    \
	X(i16x8_extmul_high_i8x16_u, 0x9f, BIN, 0, 0)                   \
	X(i32x4_abs, 0xa0, UN, 0, 0)                                    \
	X(i32x4_neg, 0xa1, UN, 0, 0)                                    \
	X(i32x4_all_true, 0xa3, TEST, 0, 0)                             \
	X(i32x4_bitmask, 0xa4, TEST, 0, 0)                              \
	X(i32x4_extend_low_i16x8_s, 0xa7, UN, 0, 0)                     \
	X(i32x4_extend_high_i16x8_s, 0xa8, UN, 0, 0)                    \
	X(i32x4_extend_low_i16x8_u, 0xa9, UN, 0, 0)                     \
	X(i32x4_extend_high_i16x8_u, 0xaa, UN, 0, 0)                    \
	X(i32x4_shl, 0xab, SHIFT, 0, 0)                                 \
	X(i32x4_shr_s, 0xac, SHIFT, 0, 0)                               \
	X(i32x4_shr_u, 0xad, SHIFT, 0, 0)                               \
	X(i32x4_add, 0xae, BIN, 0, 0)                                   \
	X(i32x4_sub, 0xb1, BIN, 0, 0)                                   \
	X(i32x4_mul, 0xb5, BIN, 0, 0)                                   \
	X(i32x4_min_s, 0xb6, BIN, 0, 0)                                 \
	X(i32x4_min_u, 0xb7, BIN, 0, 0)                                 \
	X(i32x4_max_s, 0xb8, BIN, 0, 0)                                 \
	X(i32x4_max_u, 0xb9, BIN, 0, 0)                                 \
	X(i32x4_dot_i16x8_s, 0xba, BIN, 0, 0)                           \
	X(i32x4_extmul_low_i16x8_s, 0xbc, BIN, 0, 0)                    \
	X(i32x4_extmul_high_i16x8_s, 0xbd, BIN, 0, 0)                   \
	X(i32x4_extmul_low_i16x8_u, 0xbe, BIN, 0, 0)                    \
	X(i32x4_extmul_high_i16x8_u, 0xbf, BIN, 0, 0)                   \
	X(i64x2_abs, 0xc0, UN, 0, 0)                                    \
	X(i64x2_neg, 0xc1, UN, 0, 0)                                    \
	X(i64x2_all_true, 0xc3, TEST, 0, 0)                             \
	X(i64x2_bitmask, 0xc4, TEST, 0, 0)                              \
	X(i64x2_extend_low_i32x4_s, 0xc7, UN, 0, 0)                     \
	X(i64x2_extend_high_i32x4_s, 0xc8, UN, 0, 0)                    \
	X(i64x2_extend_low_i32x4_u, 0xc9, UN, 0, 0)                     \
	X(i64x2_extend_high_i32x4_u, 0xca, UN, 0, 0)                    \
	X(i64x2_shl, 0xcb, SHIFT, 0, 0)                                 \
	X(i64x2_shr_s, 0xcc, SHIFT, 0, 0)                               \
	X(i64x2_shr_u, 0xcd, SHIFT, 0, 0)                               \
	X(i64x2_add, 0xce, BIN, 0, 0)                                   \
	X(i64x2_sub, 0xd1, BIN, 0, 0)                                   \
	X(i64x2_mul, 0xd5, BIN, 0, 0)                                   \
	X(i64x2_eq, 0xd6, BIN, 0, 0)                                    \
	X(i64x2_ne, 0xd7, BIN, 0, 0)                                    \
	X(i64x2_lt_s, 0xd8, BIN, 0, 0)                                  \
	X(i64x2_gt_s, 0xd9, BIN, 0, 0)                                  \
	X(i64x2_le_s, 0xda, BIN, 0, 0)                                  \
	X(i64x2_ge_s, 0xdb, BIN, 0, 0)                                  \
	X(i64x2_extmul_low_i32x4_s, 0xdc, BIN, 0, 0)                    \
	X(i64x2_extmul_high_i32x4_s, 0xdd, BIN, 0, 0)                   \
	X(i64x2_extmul_low_i32x4_u, 0xde, BIN, 0, 0)                    \
	X(i64x2_extmul_high_i32x4_u, 0xdf, BIN, 0, 0)                   \
	X(f32x4_abs, 0xe0, UN, 0, 0)                                    \
	X(f32x4_neg, 0xe1, UN, 0, 0)                                    \
	X(f32x4_sqrt, 0xe3, UN, 0, 0)                                   \
	X(f32x4_add, 0xe4, BIN, 0, 0)                                   \
	X(f32x4_sub, 0xe5, BIN, 0, 0)                                   \
	X(f32x4_mul, 0xe6, BIN, 0, 0)                                   \
	X(f32x4_div, 0xe7, BIN, 0, 0)                                   \
	X(f32x4_min, 0xe8, BIN, 0, 0)                                   \
	X(f32x4_max, 0xe9, BIN, 0, 0)                                   \
	X(f32x4_pmin, 0xea, BIN, 0, 0)                                  \
	X(f32x4_pmax, 0xeb, BIN, 0, 0)                                  \
	X(f64x2_abs, 0xec, UN, 0, 0)                                    \
	X(f64x2_neg, 0xed, UN, 0, 0)                                    \
	X(f64x2_sqrt, 0xef, UN, 0, 0)                                   \
	X(f64x2_add, 0xf0, BIN, 0, 0)                                   \
	X(f64x2_sub, 0xf1, BIN, 0, 0)                                   \
	X(f64x2_mul, 0xf2, BIN, 0, 0)                                   \
	X(f64x2_div, 0xf3, BIN, 0, 0)                                   \
	X(f64x2_min, 0xf4, BIN, 0, 0)                                   \
	X(f64x2_max, 0xf5, BIN, 0, 0)                                   \
	X(f64x2_pmin, 0xf6, BIN, 0, 0)                                  \
	X(f64x2_pmax, 0xf7, BIN, 0, 0)                                  \
	X(i32x4_trunc_sat_f32x4_s, 0xf8, UN, 0, 0)                      \
	X(i32x4_trunc_sat_f32x4_u, 0xf9, UN, 0, 0)                      \
	X(f32x4_convert_i32x4_s, 0xfa, UN, 0, 0)                        \
	X(f32x4_convert_i32x4_u, 0xfb, UN, 0, 0)                        \
	X(i32x4_trunc_sat_f64x2_s_zero, 0xfc, UN, 0, 0)                 \
	X(i32x4_trunc_sat_f64x2_u_zero, 0xfd, UN, 0, 0)                 \
	X(f64x2_convert_low_i32x4_s, 0xfe, UN, 0, 0)                    \
	X(f64x2_convert_low_i32x4_u, 0xff, UN, 0, 0)
// clang-format on

/* SIMD_OP_<name>: the 0xfd sub-opcode of each instruction. */
enum simd_op {
#define SIMD_ENUM(name, code, form, bytes, lanes) SIMD_OP_##name = code,
	SIMD_OPS(SIMD_ENUM)
#undef SIMD_ENUM
};

/* A v128 from two frame slots (low half first), and back. */
static inline v128 simd_get(const void *slots)
{
	v128 v;
	__builtin_memcpy(&v, slots, sizeof(v));
	return v;
}

static inline void simd_put(void *slots, v128 v)
{
	__builtin_memcpy(slots, &v, sizeof(v));
}

/* The number of lanes of view L of a v128 (u8: 16, ..., f64: 2). */
#define SIMD_LANES(L) (sizeof(((v128 *)0)->L) / sizeof(((v128 *)0)->L[0]))

/*
 * Lane-wise definitions: simd_NAME (with storage class Q: static inline
 * here, external in simd.c and simd_float.c) computes each lane i of view R
 * of the result as EXPR, with the operands' lanes i in x (and y) read
 * through view L. The loop runs over R's lanes, so where L has more (extend
 * low, extmul low, convert_low, promote_low) it reads L's low half.
 * Integer arithmetic is done on the unsigned views, so it wraps without
 * undefined behaviour.
 */
#define SIMD_UN_FN(Q, NAME, L, R, EXPR)                                        \
	Q v128 simd_##NAME(v128 a)                                             \
	{                                                                      \
		v128 r;                                                        \
		for (unsigned i = 0; i < SIMD_LANES(R); i++) {                 \
			__typeof__(a.L[0]) x = a.L[i];                         \
			r.R[i] = (EXPR);                                       \
		}                                                              \
		return r;                                                      \
	}
#define SIMD_BIN_FN(Q, NAME, L, R, EXPR)                                       \
	Q v128 simd_##NAME(v128 a, v128 b)                                     \
	{                                                                      \
		v128 r;                                                        \
		for (unsigned i = 0; i < SIMD_LANES(R); i++) {                 \
			__typeof__(a.L[0]) x = a.L[i], y = b.L[i];             \
			r.R[i] = (EXPR);                                       \
		}                                                              \
		return r;                                                      \
	}
#define SIMD_UN(NAME, L, R, EXPR)  SIMD_UN_FN(static inline, NAME, L, R, EXPR)
#define SIMD_BIN(NAME, L, R, EXPR) SIMD_BIN_FN(static inline, NAME, L, R, EXPR)
/* A compare: every bit of a lane set where it holds, clear where not. */
#define SIMD_CMP(NAME, L, R, OP) SIMD_BIN(NAME, L, R, x OP y ? -1 : 0)

/* ---- bitwise ---------------------------------------------------------- */

SIMD_UN(v128_not, u64, u64, ~x)
SIMD_BIN(v128_and, u64, u64, x &y)
SIMD_BIN(v128_andnot, u64, u64, x & ~y)
SIMD_BIN(v128_or, u64, u64, x | y)
SIMD_BIN(v128_xor, u64, u64, x ^ y)

/* Bits of a where c is set, of b where it is clear. */
static inline v128 simd_v128_bitselect(v128 a, v128 b, v128 c)
{
	v128 r;
	for (unsigned i = 0; i < 2; i++)
		r.u64[i] = (a.u64[i] & c.u64[i]) | (b.u64[i] & ~c.u64[i]);
	return r;
}

static inline uint32_t simd_v128_any_true(v128 a)
{
	return (a.u64[0] | a.u64[1]) != 0;
}

/* ---- integer add, sub, neg, compares ---------------------------------- */

#define SIMD_INT_SHAPE(S, U, I)                                                \
	SIMD_BIN(S##_add, U, U, x + y)                                         \
	SIMD_BIN(S##_sub, U, U, x - y)                                         \
	SIMD_UN(S##_neg, U, U, 0u - x)                                         \
	SIMD_CMP(S##_eq, U, I, ==)                                             \
	SIMD_CMP(S##_ne, U, I, !=)                                             \
	SIMD_CMP(S##_lt_s, I, I, <)                                            \
	SIMD_CMP(S##_gt_s, I, I, >)                                            \
	SIMD_CMP(S##_le_s, I, I, <=)                                           \
	SIMD_CMP(S##_ge_s, I, I, >=)
#define SIMD_UNSIGNED_CMP(S, U, I)                                             \
	SIMD_CMP(S##_lt_u, U, I, <)                                            \
	SIMD_CMP(S##_gt_u, U, I, >)                                            \
	SIMD_CMP(S##_le_u, U, I, <=)                                           \
	SIMD_CMP(S##_ge_u, U, I, >=)

SIMD_INT_SHAPE(i8x16, u8, i8)
SIMD_INT_SHAPE(i16x8, u16, i16)
SIMD_INT_SHAPE(i32x4, u32, i32)
SIMD_INT_SHAPE(i64x2, u64, i64)
SIMD_UNSIGNED_CMP(i8x16, u8, i8)
SIMD_UNSIGNED_CMP(i16x8, u16, i16)
SIMD_UNSIGNED_CMP(i32x4, u32, i32)
#undef SIMD_INT_SHAPE
#undef SIMD_UNSIGNED_CMP

/* i16/i32/i64 multiply: the low half of the product, as wasm's scalar mul. */
SIMD_BIN(i16x8_mul, u16, u16, (uint16_t)((uint32_t)x *y))
SIMD_BIN(i32x4_mul, u32, u32, x *y)
SIMD_BIN(i64x2_mul, u64, u64, x *y)

/* ---- float compares (false for NaN, except ne) ------------------------- */

#define SIMD_FLOAT_CMP(S, F, I)                                                \
	SIMD_CMP(S##_eq, F, I, ==)                                             \
	SIMD_CMP(S##_ne, F, I, !=)                                             \
	SIMD_CMP(S##_lt, F, I, <)                                              \
	SIMD_CMP(S##_gt, F, I, >)                                              \
	SIMD_CMP(S##_le, F, I, <=)                                             \
	SIMD_CMP(S##_ge, F, I, >=)
SIMD_FLOAT_CMP(f32x4, f32, i32)
SIMD_FLOAT_CMP(f64x2, f64, i64)
#undef SIMD_FLOAT_CMP

/* ---- shifts: the count is taken modulo the lane width ------------------ */

#define SIMD_SHIFT(NAME, L, OP)                                                \
	static inline v128 simd_##NAME(v128 a, uint32_t n)                     \
	{                                                                      \
		v128 r;                                                        \
		unsigned s = n & (8 * sizeof(a.L[0]) - 1);                     \
		for (unsigned i = 0; i < SIMD_LANES(L); i++)                   \
			r.L[i] = a.L[i] OP s;                                  \
		return r;                                                      \
	}
#define SIMD_SHIFTS(S, U, I)                                                   \
	SIMD_SHIFT(S##_shl, U, <<)                                             \
	SIMD_SHIFT(S##_shr_s, I, >>)                                           \
	SIMD_SHIFT(S##_shr_u, U, >>)
SIMD_SHIFTS(i8x16, u8, i8)
SIMD_SHIFTS(i16x8, u16, i16)
SIMD_SHIFTS(i32x4, u32, i32)
SIMD_SHIFTS(i64x2, u64, i64)
#undef SIMD_SHIFTS
#undef SIMD_SHIFT

/* ---- splat, extract_lane, replace_lane -------------------------------- */

#define SIMD_LANE_OPS(S, L, T, EXTRACT_T)                                      \
	static inline v128 simd_##S##_splat(T x)                               \
	{                                                                      \
		v128 r;                                                        \
		for (unsigned i = 0; i < SIMD_LANES(L); i++)                   \
			r.L[i] = (__typeof__(r.L[0]))x;                        \
		return r;                                                      \
	}                                                                      \
	static inline v128 simd_##S##_replace_lane(v128 a, unsigned lane, T x) \
	{                                                                      \
		a.L[lane % SIMD_LANES(L)] = (__typeof__(a.L[0]))x;             \
		return a;                                                      \
	}                                                                      \
	static inline T simd_##S##_extract_lane##EXTRACT_T(v128 a,             \
							   unsigned lane)      \
	{                                                                      \
		return (T)a.L[lane % SIMD_LANES(L)];                           \
	}
/* The sign-extending extracts: through the signed view, into an i32. */
#define SIMD_EXTRACT_S(S, I)                                                   \
	static inline uint32_t simd_##S##_extract_lane_s(v128 a,               \
							 unsigned lane)        \
	{                                                                      \
		return (uint32_t)(int32_t)a.I[lane % SIMD_LANES(I)];           \
	}
SIMD_LANE_OPS(i8x16, u8, uint32_t, _u)
SIMD_LANE_OPS(i16x8, u16, uint32_t, _u)
SIMD_LANE_OPS(i32x4, u32, uint32_t, )
SIMD_LANE_OPS(i64x2, u64, uint64_t, )
SIMD_LANE_OPS(f32x4, u32, uint32_t, )
SIMD_LANE_OPS(f64x2, u64, uint64_t, )
SIMD_EXTRACT_S(i8x16, i8)
SIMD_EXTRACT_S(i16x8, i16)
#undef SIMD_LANE_OPS
#undef SIMD_EXTRACT_S

/* ---- swizzle and shuffle ---------------------------------------------- */

/* Lane i is a's lane b[i], or 0 where b[i] is 16 or more. */
static inline v128 simd_i8x16_swizzle(v128 a, v128 b)
{
	v128 r;
	for (unsigned i = 0; i < 16; i++)
		r.u8[i] = b.u8[i] < 16 ? a.u8[b.u8[i]] : 0;
	return r;
}

/* Lane i is lane lanes[i] of the 32 lanes of a then b (indices are < 32
 * once validated; the mask keeps any other inside the value). */
static inline v128 simd_i8x16_shuffle(v128 a, v128 b, const uint8_t lanes[16])
{
	uint8_t ab[32]; /* one table, no branch per lane */
	v128 r;
	__builtin_memcpy(ab, &a, 16);
	__builtin_memcpy(ab + 16, &b, 16);
	for (unsigned i = 0; i < 16; i += 4) /* a 32-bit lane at a time */
		r.u32[i / 4] = (uint32_t)ab[lanes[i] & 31] |
			       (uint32_t)ab[lanes[i + 1] & 31] << 8 |
			       (uint32_t)ab[lanes[i + 2] & 31] << 16 |
			       (uint32_t)ab[lanes[i + 3] & 31] << 24;
	return r;
}

/* ---- loads and stores: p is bounds-checked by the caller -------------- */

static inline v128 simd_v128_load(const uint8_t *p)
{
	v128 r;
	__builtin_memcpy(&r, p, 16);
	return r;
}

static inline void simd_v128_store(uint8_t *p, v128 a)
{
	__builtin_memcpy(p, &a, 16);
}

/* load8x8_s and friends: 8 bytes, each lane widened to twice its width. */
#define SIMD_LOAD_EXTEND(NAME, IN, OUT, N)                                     \
	static inline v128 simd_v128_##NAME(const uint8_t *p)                  \
	{                                                                      \
		IN in[N];                                                      \
		v128 r;                                                        \
		__builtin_memcpy(in, p, sizeof(in));                           \
		for (unsigned i = 0; i < N; i++)                               \
			r.OUT[i] = in[i];                                      \
		return r;                                                      \
	}
SIMD_LOAD_EXTEND(load8x8_s, int8_t, i16, 8)
SIMD_LOAD_EXTEND(load8x8_u, uint8_t, u16, 8)
SIMD_LOAD_EXTEND(load16x4_s, int16_t, i32, 4)
SIMD_LOAD_EXTEND(load16x4_u, uint16_t, u32, 4)
SIMD_LOAD_EXTEND(load32x2_s, int32_t, i64, 2)
SIMD_LOAD_EXTEND(load32x2_u, uint32_t, u64, 2)
#undef SIMD_LOAD_EXTEND

/* The splat, zero and lane forms of one lane width (L: the lane view). */
#define SIMD_LOAD_LANE_OPS(N, L)                                               \
	static inline v128 simd_v128_load##N##_splat(const uint8_t *p)         \
	{                                                                      \
		__typeof__(((v128 *)0)->L[0]) x;                               \
		v128 r;                                                        \
		__builtin_memcpy(&x, p, sizeof(x));                            \
		for (unsigned i = 0; i < SIMD_LANES(L); i++)                   \
			r.L[i] = x;                                            \
		return r;                                                      \
	}                                                                      \
	static inline v128 simd_v128_load##N##_lane(const uint8_t *p, v128 a,  \
						    unsigned lane)             \
	{                                                                      \
		__builtin_memcpy(&a.L[lane % SIMD_LANES(L)], p,                \
				 sizeof(a.L[0]));                              \
		return a;                                                      \
	}                                                                      \
	static inline void simd_v128_store##N##_lane(uint8_t *p, v128 a,       \
						     unsigned lane)            \
	{                                                                      \
		__builtin_memcpy(p, &a.L[lane % SIMD_LANES(L)],                \
				 sizeof(a.L[0]));                              \
	}
SIMD_LOAD_LANE_OPS(8, u8)
SIMD_LOAD_LANE_OPS(16, u16)
SIMD_LOAD_LANE_OPS(32, u32)
SIMD_LOAD_LANE_OPS(64, u64)
#undef SIMD_LOAD_LANE_OPS

/* load32_zero, load64_zero: lane 0 from memory, the other lanes zero. */
static inline v128 simd_v128_load32_zero(const uint8_t *p)
{
	v128 r = {{0}};
	__builtin_memcpy(&r.u32[0], p, 4);
	return r;
}

static inline v128 simd_v128_load64_zero(const uint8_t *p)
{
	v128 r = {{0}};
	__builtin_memcpy(&r.u64[0], p, 8);
	return r;
}

/* ---- out of line (simd.c, simd_float.c) -------------------------------- */

#define SIMD_DECL_UN(NAME)   v128 simd_##NAME(v128 a);
#define SIMD_DECL_BIN(NAME)  v128 simd_##NAME(v128 a, v128 b);
#define SIMD_DECL_TEST(NAME) uint32_t simd_##NAME(v128 a);

// clang-format off
/* Integer ops (simd.c). */
#define SIMD_INT_OUT_OF_LINE(UN, BIN, TEST)                             \
	UN(i8x16_abs) UN(i16x8_abs) UN(i32x4_abs) UN(i64x2_abs)         \
	UN(i8x16_popcnt)                                                \
	TEST(i8x16_all_true) TEST(i16x8_all_true)                       \
	TEST(i32x4_all_true) TEST(i64x2_all_true)                       \
	TEST(i8x16_bitmask) TEST(i16x8_bitmask)                         \
	TEST(i32x4_bitmask) TEST(i64x2_bitmask)                         \
	BIN(i8x16_narrow_i16x8_s) BIN(i8x16_narrow_i16x8_u)             \
	BIN(i16x8_narrow_i32x4_s) BIN(i16x8_narrow_i32x4_u)             \
	UN(i16x8_extend_low_i8x16_s) UN(i16x8_extend_high_i8x16_s)      \
	UN(i16x8_extend_low_i8x16_u) UN(i16x8_extend_high_i8x16_u)      \
	UN(i32x4_extend_low_i16x8_s) UN(i32x4_extend_high_i16x8_s)      \
	UN(i32x4_extend_low_i16x8_u) UN(i32x4_extend_high_i16x8_u)      \
	UN(i64x2_extend_low_i32x4_s) UN(i64x2_extend_high_i32x4_s)      \
	UN(i64x2_extend_low_i32x4_u) UN(i64x2_extend_high_i32x4_u)      \
	BIN(i8x16_add_sat_s) BIN(i8x16_add_sat_u)                       \
	BIN(i8x16_sub_sat_s) BIN(i8x16_sub_sat_u)                       \
	BIN(i16x8_add_sat_s) BIN(i16x8_add_sat_u)                       \
	BIN(i16x8_sub_sat_s) BIN(i16x8_sub_sat_u)                       \
	BIN(i8x16_min_s) BIN(i8x16_min_u)                               \
	BIN(i8x16_max_s) BIN(i8x16_max_u)                               \
	BIN(i16x8_min_s) BIN(i16x8_min_u)                               \
	BIN(i16x8_max_s) BIN(i16x8_max_u)                               \
	BIN(i32x4_min_s) BIN(i32x4_min_u)                               \
	BIN(i32x4_max_s) BIN(i32x4_max_u)                               \
	BIN(i8x16_avgr_u) BIN(i16x8_avgr_u)                             \
	UN(i16x8_extadd_pairwise_i8x16_s)                               \
	UN(i16x8_extadd_pairwise_i8x16_u)                               \
	UN(i32x4_extadd_pairwise_i16x8_s)                               \
	UN(i32x4_extadd_pairwise_i16x8_u)                               \
	BIN(i16x8_q15mulr_sat_s) BIN(i32x4_dot_i16x8_s)                 \
	BIN(i16x8_extmul_low_i8x16_s) BIN(i16x8_extmul_high_i8x16_s)    \
	BIN(i16x8_extmul_low_i8x16_u) BIN(i16x8_extmul_high_i8x16_u)    \
	BIN(i32x4_extmul_low_i16x8_s) BIN(i32x4_extmul_high_i16x8_s)    \
	BIN(i32x4_extmul_low_i16x8_u) BIN(i32x4_extmul_high_i16x8_u)    \
	BIN(i64x2_extmul_low_i32x4_s) BIN(i64x2_extmul_high_i32x4_s)    \
	BIN(i64x2_extmul_low_i32x4_u) BIN(i64x2_extmul_high_i32x4_u)

/* Float ops and conversions (simd_float.c). */
#define SIMD_FLOAT_OUT_OF_LINE(UN, BIN)                                 \
	UN(f32x4_abs) UN(f32x4_neg) UN(f32x4_sqrt)                      \
	UN(f32x4_ceil) UN(f32x4_floor) UN(f32x4_trunc) UN(f32x4_nearest) \
	BIN(f32x4_add) BIN(f32x4_sub) BIN(f32x4_mul) BIN(f32x4_div)     \
	BIN(f32x4_min) BIN(f32x4_max) BIN(f32x4_pmin) BIN(f32x4_pmax)   \
	UN(f64x2_abs) UN(f64x2_neg) UN(f64x2_sqrt)                      \
	UN(f64x2_ceil) UN(f64x2_floor) UN(f64x2_trunc) UN(f64x2_nearest) \
	BIN(f64x2_add) BIN(f64x2_sub) BIN(f64x2_mul) BIN(f64x2_div)     \
	BIN(f64x2_min) BIN(f64x2_max) BIN(f64x2_pmin) BIN(f64x2_pmax)   \
	UN(i32x4_trunc_sat_f32x4_s) UN(i32x4_trunc_sat_f32x4_u)         \
	UN(f32x4_convert_i32x4_s) UN(f32x4_convert_i32x4_u)             \
	UN(i32x4_trunc_sat_f64x2_s_zero) UN(i32x4_trunc_sat_f64x2_u_zero) \
	UN(f64x2_convert_low_i32x4_s) UN(f64x2_convert_low_i32x4_u)     \
	UN(f32x4_demote_f64x2_zero) UN(f64x2_promote_low_f32x4)
// clang-format on

SIMD_INT_OUT_OF_LINE(SIMD_DECL_UN, SIMD_DECL_BIN, SIMD_DECL_TEST)
SIMD_FLOAT_OUT_OF_LINE(SIMD_DECL_UN, SIMD_DECL_BIN)
#undef SIMD_DECL_UN
#undef SIMD_DECL_BIN
#undef SIMD_DECL_TEST

#endif
