/*
 * vm/ops.h: the internal instruction set, as X-macro lists so that the
 * enum (below) and the handler table (exec.c) cannot drift apart.
 *
 * Operands are frame-slot indices (fp-relative), so most wasm stack traffic
 * disappears at compile time. Formats, in cells after the opcode cell:
 *   X_UN  dst a          X_BIN dst a b        X_BINI dst a imm
 *   X_LD  dst addr off   X_ST  addr val off   X_BRC a b rel / a imm rel
 * Branch `rel` is relative to the cell that holds it.
 *
 * One entry a line; clang-format would join the lines of a list into one
 * expression, hence the `clang-format off` around them.
 */
#ifndef VM_OPS_H
#define VM_OPS_H

// clang-format off

/* Integer compares, shared by the lists below: X(name, wasm opcode). */
#define VM_I32_CMP_OPS(X)               \
	X(i32_eq, 0x46)                 \
	X(i32_ne, 0x47)                 \
	X(i32_lt_s, 0x48)               \
	X(i32_lt_u, 0x49)               \
	X(i32_gt_s, 0x4a)               \
	X(i32_gt_u, 0x4b)               \
	X(i32_le_s, 0x4c)               \
	X(i32_le_u, 0x4d)               \
	X(i32_ge_s, 0x4e)               \
	X(i32_ge_u, 0x4f)

#define VM_I64_CMP_OPS(X)               \
	X(i64_eq, 0x51)                 \
	X(i64_ne, 0x52)                 \
	X(i64_lt_s, 0x53)               \
	X(i64_lt_u, 0x54)               \
	X(i64_gt_s, 0x55)               \
	X(i64_gt_u, 0x56)               \
	X(i64_le_s, 0x57)               \
	X(i64_le_u, 0x58)               \
	X(i64_ge_s, 0x59)               \
	X(i64_ge_u, 0x5a)

/* Bitwise and shift ops, shared by the numeric and immediate lists. */
#define VM_I32_BIT_OPS(X)               \
	X(i32_and, 0x71)                \
	X(i32_or, 0x72)                 \
	X(i32_xor, 0x73)                \
	X(i32_shl, 0x74)                \
	X(i32_shr_s, 0x75)              \
	X(i32_shr_u, 0x76)              \
	X(i32_rotl, 0x77)               \
	X(i32_rotr, 0x78)

#define VM_I64_BIT_OPS(X)               \
	X(i64_and, 0x83)                \
	X(i64_or, 0x84)                 \
	X(i64_xor, 0x85)                \
	X(i64_shl, 0x86)                \
	X(i64_shr_s, 0x87)              \
	X(i64_shr_u, 0x88)              \
	X(i64_rotl, 0x89)               \
	X(i64_rotr, 0x8a)

/*
 * Numeric ops in wasm opcode order 0x45..0xc4 (0xc0..0xc4: sign
 * extension), with no gap: the compiler maps opcode w to OP_i32_eqz +
 * (w - 0x45). X(name, wasm opcode).
 */
#define VM_NUM_OPS(X)                   \
	X(i32_eqz, 0x45)                \
	VM_I32_CMP_OPS(X)               \
	X(i64_eqz, 0x50)                \
	VM_I64_CMP_OPS(X)               \
	X(f32_eq, 0x5b)                 \
	X(f32_ne, 0x5c)                 \
	X(f32_lt, 0x5d)                 \
	X(f32_gt, 0x5e)                 \
	X(f32_le, 0x5f)                 \
	X(f32_ge, 0x60)                 \
	X(f64_eq, 0x61)                 \
	X(f64_ne, 0x62)                 \
	X(f64_lt, 0x63)                 \
	X(f64_gt, 0x64)                 \
	X(f64_le, 0x65)                 \
	X(f64_ge, 0x66)                 \
	X(i32_clz, 0x67)                \
	X(i32_ctz, 0x68)                \
	X(i32_popcnt, 0x69)             \
	X(i32_add, 0x6a)                \
	X(i32_sub, 0x6b)                \
	X(i32_mul, 0x6c)                \
	X(i32_div_s, 0x6d)              \
	X(i32_div_u, 0x6e)              \
	X(i32_rem_s, 0x6f)              \
	X(i32_rem_u, 0x70)              \
	VM_I32_BIT_OPS(X)               \
	X(i64_clz, 0x79)                \
	X(i64_ctz, 0x7a)                \
	X(i64_popcnt, 0x7b)             \
	X(i64_add, 0x7c)                \
	X(i64_sub, 0x7d)                \
	X(i64_mul, 0x7e)                \
	X(i64_div_s, 0x7f)              \
	X(i64_div_u, 0x80)              \
	X(i64_rem_s, 0x81)              \
	X(i64_rem_u, 0x82)              \
	VM_I64_BIT_OPS(X)               \
	X(f32_abs, 0x8b)                \
	X(f32_neg, 0x8c)                \
	X(f32_ceil, 0x8d)               \
	X(f32_floor, 0x8e)              \
	X(f32_trunc, 0x8f)              \
	X(f32_nearest, 0x90)            \
	X(f32_sqrt, 0x91)               \
	X(f32_add, 0x92)                \
	X(f32_sub, 0x93)                \
	X(f32_mul, 0x94)                \
	X(f32_div, 0x95)                \
	X(f32_min, 0x96)                \
	X(f32_max, 0x97)                \
	X(f32_copysign, 0x98)           \
	X(f64_abs, 0x99)                \
	X(f64_neg, 0x9a)                \
	X(f64_ceil, 0x9b)               \
	X(f64_floor, 0x9c)              \
	X(f64_trunc, 0x9d)              \
	X(f64_nearest, 0x9e)            \
	X(f64_sqrt, 0x9f)               \
	X(f64_add, 0xa0)                \
	X(f64_sub, 0xa1)                \
	X(f64_mul, 0xa2)                \
	X(f64_div, 0xa3)                \
	X(f64_min, 0xa4)                \
	X(f64_max, 0xa5)                \
	X(f64_copysign, 0xa6)           \
	X(i32_wrap_i64, 0xa7)           \
	X(i32_trunc_f32_s, 0xa8)        \
	X(i32_trunc_f32_u, 0xa9)        \
	X(i32_trunc_f64_s, 0xaa)        \
	X(i32_trunc_f64_u, 0xab)        \
	X(i64_extend_i32_s, 0xac)       \
	X(i64_extend_i32_u, 0xad)       \
	X(i64_trunc_f32_s, 0xae)        \
	X(i64_trunc_f32_u, 0xaf)        \
	X(i64_trunc_f64_s, 0xb0)        \
	X(i64_trunc_f64_u, 0xb1)        \
	X(f32_convert_i32_s, 0xb2)      \
	X(f32_convert_i32_u, 0xb3)      \
	X(f32_convert_i64_s, 0xb4)      \
	X(f32_convert_i64_u, 0xb5)      \
	X(f32_demote_f64, 0xb6)         \
	X(f64_convert_i32_s, 0xb7)      \
	X(f64_convert_i32_u, 0xb8)      \
	X(f64_convert_i64_s, 0xb9)      \
	X(f64_convert_i64_u, 0xba)      \
	X(f64_promote_f32, 0xbb)        \
	X(i32_reinterpret_f32, 0xbc)    \
	X(i64_reinterpret_f64, 0xbd)    \
	X(f32_reinterpret_i32, 0xbe)    \
	X(f64_reinterpret_i64, 0xbf)    \
	X(i32_extend8_s, 0xc0)          \
	X(i32_extend16_s, 0xc1)         \
	X(i64_extend8_s, 0xc2)          \
	X(i64_extend16_s, 0xc3)         \
	X(i64_extend32_s, 0xc4)

/* Integer compares fused with a following br_if: X(name, wasm opcode). */
#define VM_CMP_OPS(X)                   \
	VM_I32_CMP_OPS(X)               \
	VM_I64_CMP_OPS(X)

/*
 * Integer binary ops that also exist with a 32-bit immediate second operand
 * (sign-extended for i64): X(name, wasm opcode).
 */
#define VM_IMM_OPS(X)                   \
	VM_CMP_OPS(X)                   \
	X(i32_add, 0x6a)                \
	X(i32_sub, 0x6b)                \
	X(i32_mul, 0x6c)                \
	VM_I32_BIT_OPS(X)               \
	X(i64_add, 0x7c)                \
	X(i64_sub, 0x7d)                \
	X(i64_mul, 0x7e)                \
	VM_I64_BIT_OPS(X)

/*
 * Loads whose address is an i32.add fused in: X(name, wasm opcode).
 * Formats: LA dst a b off (address a+b), LAI dst a imm off (a+imm); the
 * sum wraps to 32 bits before the offset is added, as in wasm.
 */
#define VM_LOADX_OPS(X)                 \
	X(i32_load, 0x28)               \
	X(i64_load, 0x29)               \
	X(i32_load8_s, 0x2c)            \
	X(i32_load8_u, 0x2d)            \
	X(i32_load16_s, 0x2e)           \
	X(i32_load16_u, 0x2f)

/*
 * Loop closers: i32.add of an immediate fused with the i32 compare-and-
 * branch testing its result. X(name, wasm compare opcode). Formats:
 * AB d a k b rel (d = a + k; branch if d cmp b), ABI d a k imm rel.
 */
#define VM_CMP32_OPS(X)                 \
	VM_I32_CMP_OPS(X)

/* Everything else: X(name). */
#define VM_MISC_OPS(X)                  \
	X(unreachable)                  \
	X(br)                           \
	X(br_if)                        \
	X(br_unless)                    \
	X(br_table)                     \
	X(ret)                          \
	X(ret_copy)                     \
	X(call)                         \
	X(call_indirect)                \
	X(copy)                         \
	X(copy2)                        \
	X(copy3)                        \
	X(copy4)                        \
	X(const32)                      \
	X(const64)                      \
	X(select)                       \
	X(global_get)                   \
	X(global_set)                   \
	X(memory_size)                  \
	X(memory_grow)                  \
	X(i32_load)                     \
	X(i64_load)                     \
	X(i32_load8_s)                  \
	X(i32_load8_u)                  \
	X(i32_load16_s)                 \
	X(i32_load16_u)                 \
	X(i64_load8_s)                  \
	X(i64_load8_u)                  \
	X(i64_load16_s)                 \
	X(i64_load16_u)                 \
	X(i64_load32_s)                 \
	X(i64_load32_u)                 \
	X(i32_store)                    \
	X(i64_store)                    \
	X(i32_store8)                   \
	X(i32_store16)                  \
	X(i64_store8)                   \
	X(i64_store16)                  \
	X(i64_store32)                  \
	X(brz_i32)                      \
	X(brz_i64)                      \
	X(end)                          \
	X(i32_store_k)                  \
	X(i32_store8_k)                 \
	X(i32_store16_k)                \
	X(i64_store_k)                  \
	X(i32_load_abs)                 \
	X(i64_load_abs)                 \
	X(i32_load8_u_abs)              \
	X(i32_store_abs)                \
	X(i64_store_abs)                \
	X(i32_muladd)                   \
	X(i32_muladd_i)                 \
	X(i32_store_a)                  \
	X(i32_store_ai)                 \
	X(i64_store_a)                  \
	X(i64_store_ai)                 \
	X(i32_store8_a)                 \
	X(i32_store8_ai)                \
	X(i32_store_ka)                 \
	X(i32_store_kai)                \
	X(i32_store8_ka)                \
	X(i32_store8_kai)               \
	X(br_and)                       \
	X(br_and_i)                     \
	X(brz_and)                      \
	X(brz_and_i)                    \
	X(i32_andz)                     \
	X(i32_andz_i)                   \
	X(i32_shl_kl)                   \
	X(i32_rotl_kl)                  \
	X(select_ka)                    \
	X(select_kb)                    \
	X(i32_add_mem)                  \
	X(f64_add_mem)                  \
	X(f64_mul_mem)                  \
	X(atomic)                       \
	X(fence)                        \
	X(table_exec)

/*
 * i32 add/xor/or whose operand is an immediate shift/rotate just computed,
 * X(name) for dst a b k: dst = a op2 (b op1 k), name = op2_op1.
 */
#define VM_SHOP_OPS(X)                  \
	X(add_shl)                      \
	X(add_shr_u)                    \
	X(add_rotl)                     \
	X(xor_shl)                      \
	X(xor_shr_u)                    \
	X(xor_rotl)                     \
	X(or_shl)                       \
	X(or_shr_u)                     \
	X(or_rotl)

/*
 * Prefix 0xfc: trunc_sat dst a sub (the saturating float-to-int conversion
 * of sub-opcode 0..7), then bulk memory: memory_init x d s n, data_drop x,
 * memory_copy d s n, memory_fill d val n. X(name).
 */
#define VM_FC_OPS(X)                    \
	X(trunc_sat)                    \
	X(memory_init)                  \
	X(data_drop)                    \
	X(memory_copy)                  \
	X(memory_fill)

/*
 * Prefix 0xfd (SIMD; slots of a v128 are pairs, see simd_vm.h). X(name).
 *   simd len fn dst a b c off lane..: every instruction but v128.const
 *   (simd_exec.c); v128_const dst k0 k1 k2 k3 (32-bit cells, low first);
 *   copy128 dst a; select128 dst a b c; global_get128 dst x;
 *   global_set128 x a; and, inline for speed (no call), v128_load dst
 *   addr off, v128_store addr val off, i32x4_add dst a b, i32x4_mul
 *   dst a b.
 */
#define VM_FD_OPS(X)                    \
	X(simd)                         \
	X(v128_load)                    \
	X(v128_store)                   \
	X(i32x4_add)                    \
	X(i32x4_mul)                    \
	X(v128_const)                   \
	X(copy128)                      \
	X(select128)                    \
	X(global_get128)                \
	X(global_set128)

enum vm_op {
#define VM_X_NUM(n, w) OP_##n,
#define VM_X_IMM(n, w) OPI_##n,
#define VM_X_BRC(n, w) OPB_##n, OPBI_##n,
#define VM_X_MISC(n)   OP_##n,
#define VM_X_LDX(n, w) OPLA_##n, OPLAI_##n,
#define VM_X_SHOP(n)   OPS_##n,
#define VM_X_AB(n, w)  OPAB_##n, OPABI_##n,
	VM_NUM_OPS(VM_X_NUM)
	VM_IMM_OPS(VM_X_IMM)
	VM_CMP_OPS(VM_X_BRC)
	VM_MISC_OPS(VM_X_MISC)
	VM_FC_OPS(VM_X_MISC)
	VM_FD_OPS(VM_X_MISC)
	VM_LOADX_OPS(VM_X_LDX)
	VM_SHOP_OPS(VM_X_SHOP)
	VM_CMP32_OPS(VM_X_AB)
	OP_COUNT
#undef VM_X_NUM
#undef VM_X_IMM
#undef VM_X_BRC
#undef VM_X_MISC
#undef VM_X_LDX
#undef VM_X_SHOP
#undef VM_X_AB
};

// clang-format on

#endif
