/*
 * vm/jit/jit_ops_num.h: reading the internal i64 and float ops
 * (vm/ops.h) the way every backend needs them, with nothing of an ISA:
 * which i64 compare a fused or immediate form carries, which plain i64
 * binary op an immediate form mirrors, and which float ops exec.c does
 * in C (fp.h's functions, the C conversions) that a backend calls
 * jit.c's vm_jit_float for. The i32 counterparts are in jit_ops.h.
 */
#ifndef VM_JIT_OPS_NUM_H
#define VM_JIT_OPS_NUM_H

#include "../internal.h"
#include "../ops.h"

/* Which i64 compare op o carries, or OP_COUNT. *form: 0 dst a b|imm,
 * 1 branch a b|imm rel; *imm: b is an immediate (sign-extended). */
static inline enum vm_op jit_cmp64_of(enum vm_op o, int *form, bool *imm)
{
	switch (o) {
#define F_CMP(n, w)                                                            \
	case OP_##n: *form = 0, *imm = false; return OP_##n;                   \
	case OPI_##n: *form = 0, *imm = true; return OP_##n;                   \
	case OPB_##n: *form = 1, *imm = false; return OP_##n;                  \
	case OPBI_##n: *form = 1, *imm = true; return OP_##n;
		VM_I64_CMP_OPS(F_CMP)
#undef F_CMP
	default: return OP_COUNT;
	}
}

/* The plain op (i64_add..i64_rotr) of an i64 binary op in either form,
 * or OP_COUNT; *imm: the second operand is an immediate, sign-extended
 * to 64 bits as ops.h says. */
static inline enum vm_op jit_bin64_of(enum vm_op o, bool *imm)
{
	*imm = false;
	if (o >= OP_i64_add && o <= OP_i64_rotr)
		return o;
	*imm = true;
	switch (o) {
	case OPI_i64_add: return OP_i64_add;
	case OPI_i64_sub: return OP_i64_sub;
	case OPI_i64_mul: return OP_i64_mul;
#define F_BIT(n, w)                                                            \
	case OPI_##n: return OP_##n;
		VM_I64_BIT_OPS(F_BIT)
#undef F_BIT
	default: return OP_COUNT;
	}
}

/* Whether o is one of the scalar float ops: the f32/f64 compares and
 * arithmetic, the conversions between floats and integers (trapping
 * ones included, not trunc_sat), the reinterpretations. */
static inline bool jit_float_op(enum vm_op o)
{
	switch (o) {
	case OP_f32_eq ... OP_f64_ge:
	case OP_f32_abs ... OP_f64_copysign:
	case OP_f32_convert_i32_s ... OP_f64_promote_f32:
	case OP_i32_reinterpret_f32 ... OP_f64_reinterpret_i64:
	case OP_i32_trunc_f32_s ... OP_i32_trunc_f64_u:
	case OP_i64_trunc_f32_s ... OP_i64_trunc_f64_u: return true;
	default: return false;
	}
}

/* The float ops left to vm_jit_float (jit.h): min/max (wasm's NaN and -0
 * rules), the roundings, the i64 conversions to float (rounded once from
 * the exact integer) and the trapping conversions to integers. A backend
 * may do any of them natively when its instruction gives exactly the
 * interpreter's result; these are the ones no common FPU instruction
 * does so. */
static inline bool jit_float_by_helper(enum vm_op o)
{
	switch (o) {
	case OP_f32_ceil ... OP_f32_nearest:
	case OP_f64_ceil ... OP_f64_nearest:
	case OP_f32_min:
	case OP_f32_max:
	case OP_f64_min:
	case OP_f64_max:
	case OP_f32_convert_i64_s:
	case OP_f32_convert_i64_u:
	case OP_f64_convert_i64_s:
	case OP_f64_convert_i64_u:
	case OP_i32_trunc_f32_s ... OP_i32_trunc_f64_u:
	case OP_i64_trunc_f32_s ... OP_i64_trunc_f64_u: return true;
	default: return false;
	}
}

/* Whether a float -> int conversion (its helper call traps). */
static inline bool jit_float_traps(enum vm_op o)
{
	return (o >= OP_i32_trunc_f32_s && o <= OP_i32_trunc_f64_u) ||
	       (o >= OP_i64_trunc_f32_s && o <= OP_i64_trunc_f64_u);
}

#endif
