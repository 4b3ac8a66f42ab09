/*
 * vm/jit/arm/arm_translate_float.c: the ARMv7-A backend's f32/f64 ops.
 * With VFP, each one IEEE instruction, as the interpreter's build
 * (-mfpu=vfpv3-d16, FPSCR as the C runtime leaves it: round to nearest,
 * no flush to zero, NaNs propagated) does them: add, sub, mul, div,
 * sqrt, the twelve compares (VCMP, then the flags through VMRS: NaN is
 * unordered, every compare but ne false), promote and demote, the i32
 * conversions to float (signed and unsigned, as gcc's code for the
 * casts). On the bits (integer ops, as exec.c): abs, neg, copysign, the
 * reinterpretations. The rest through jit.c's vm_jit_float, exec.c's
 * C code for them (jit_ops_num.h: min/max, the roundings, the i64
 * conversions to float, the trapping conversions to integers).
 *
 * Registers: an f32 operand in S0 (and S2), an f64 one in D0 (and D1),
 * the result in S0/D0; d0..d7 are the caller's to lose (AAPCS), so
 * nothing is saved. VFPv3-D16 has only d0..d15, which is all this uses.
 */
#include "../jit_ops_num.h"
#include "arm_translate.h"

/* VLDR/VSTR of VFP register v (S or D by size) to or from slot i (its
 * low word for an f32): an immediate offset up to 1020, else the
 * address in TMP. Slots are 8-byte aligned, as VLDR needs. */
static void vslot(struct jit_buf *b, bool load, enum arm_fsize size, unsigned v,
		  vm_cell i)
{
	uint32_t off = (uint32_t)i * 8;
	enum arm_reg base = FP;
	if (off > 1020) {
		arm_mov32(b, ARM_AL, TMP, off);
		arm_dp_rr(b, ARM_AL, ARM_ADD, false, TMP, FP, TMP);
		base = TMP, off = 0;
	}
	if (load)
		arm_vldr(b, ARM_AL, size, v, base, (int32_t)off);
	else
		arm_vstr(b, ARM_AL, size, v, base, (int32_t)off);
}

/* S0/D0 to slot dst: a double whole, a single with a 0 high half
 * (exec.c's SET_f32). */
static void store_v(struct jit_buf *b, vm_cell dst, enum arm_fsize size)
{
	vslot(b, false, size, 0, dst);
	if (size == ARM_F32)
		arm_slot(b, ARM_AL, ARM_STR, ZERO, dst, 1);
}

/* The first of a pair's second register: S2 for f32, D1 for f64. */
static unsigned second(enum arm_fsize size)
{
	return size == ARM_F64 ? 1 : 2;
}

/* Whether an arithmetic op (f32_abs..f64_copysign) is an f64 one. */
static enum arm_fsize size_of(enum vm_op o)
{
	return o > OP_f32_copysign ? ARM_F64 : ARM_F32;
}

/* dst = a op b. */
static void fbin(struct jit_buf *b, enum arm_vop op, enum arm_fsize size,
		 const vm_cell *pc)
{
	vslot(b, true, size, 0, pc[2]);
	vslot(b, true, size, second(size), pc[3]);
	arm_vop(b, ARM_AL, op, size, 0, 0, second(size));
	store_v(b, pc[1], size);
}

/*
 * Compares dst a b: VCMP a, b sets FPSCR's flags (less N; equal Z C;
 * greater C; unordered C V), VMRS moves them to the APSR. eq: EQ; ne:
 * NE (unordered included); lt: MI; gt: GT (Z clear and N == V); le: LS
 * (C clear or Z); ge: GE. Unordered is false for all but ne.
 */
static void fcmp(struct jit_buf *b, enum vm_op o, const vm_cell *pc)
{
	static const uint8_t cond[] = {ARM_EQ, ARM_NE, ARM_MI,
				       ARM_GT, ARM_LS, ARM_GE};
	enum arm_fsize size = o >= OP_f64_eq ? ARM_F64 : ARM_F32;
	uint32_t k = o - (size == ARM_F64 ? OP_f64_eq : OP_f32_eq);
	vslot(b, true, size, 0, pc[2]);
	vslot(b, true, size, second(size), pc[3]);
	arm_vcmp(b, ARM_AL, size, false, 0, second(size));
	arm_vmrs(b, ARM_AL, ARM_PC); /* APSR_nzcv */
	arm_set_flag(b, (enum arm_cond)cond[k], pc[1]);
}

/* abs, neg, copysign on the sign bit: of the low half of an f32 slot,
 * of the high half of an f64 one (the low half copied). */
static void fsign(struct jit_buf *b, enum vm_op o, enum arm_fsize size,
		  const vm_cell *pc)
{
	unsigned half = size == ARM_F64;
	arm_slot(b, ARM_AL, ARM_LDR, ARM_R0, pc[2], half);
	if (o == OP_f32_neg || o == OP_f64_neg) {
		arm_dp_ri(b, ARM_AL, ARM_EOR, false, ARM_R0, ARM_R0,
			  0x80000000u);
	} else {
		arm_dp_ri(b, ARM_AL, ARM_BIC, false, ARM_R0, ARM_R0,
			  0x80000000u);
		if (o == OP_f32_copysign || o == OP_f64_copysign) {
			arm_slot(b, ARM_AL, ARM_LDR, ARM_R1, pc[3], half);
			arm_dp_ri(b, ARM_AL, ARM_AND, false, ARM_R1, ARM_R1,
				  0x80000000u);
			arm_dp_rr(b, ARM_AL, ARM_ORR, false, ARM_R0, ARM_R0,
				  ARM_R1);
		}
	}
	if (size == ARM_F32) {
		store32(b, pc[1], ARM_R0);
		return;
	}
	arm_slot(b, ARM_AL, ARM_LDR, ARM_R1, pc[2], 0);
	arm_slot(b, ARM_AL, ARM_STR, ARM_R1, pc[1], 0);
	arm_slot(b, ARM_AL, ARM_STR, ARM_R0, pc[1], 1);
}

/* vm_jit_float(fp, pc, op); a conversion to an integer then traps as it
 * says. */
static void helper(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
		   uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	arm_dp_rr(b, ARM_AL, ARM_MOV, false, ARM_R0, ARM_R0, FP);
	arm_mov32(b, ARM_AL, ARM_R1, (uint32_t)(uintptr_t)pc);
	arm_mov32(b, ARM_AL, ARM_R2, (uint32_t)o);
	arm_call_c(b, (uintptr_t)&vm_jit_float);
	if (!jit_float_traps(o))
		return;
	arm_dp_ri(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R0,
		  VM_TRAP_BAD_CONVERSION);
	arm_trap_if(j, ARM_EQ, cell, VM_TRAP_BAD_CONVERSION);
	arm_dp_ri(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R0, 0);
	arm_trap_if(j, ARM_NE, cell, VM_TRAP_INT_OVERFLOW);
}

/* convert_i32_s/u dst a: the integer in S2, the float to S0/D0. */
static void from_i32(struct jit_buf *b, bool is_signed, enum arm_fsize to,
		     const vm_cell *pc)
{
	vslot(b, true, ARM_F32, 2, pc[2]);
	arm_vcvt_from_int(b, ARM_AL, is_signed, to, 0, 2);
	store_v(b, pc[1], to);
}

void arm_f64_op_loaded(struct jit_buf *b, enum vm_op o, const vm_cell *pc)
{
	arm_vmov_d_core(b, ARM_AL, 1, ARM_R0, ARM_R1);
	vslot(b, true, ARM_F64, 0, pc[2]);
	arm_vop(b, ARM_AL, o == OP_f64_add_mem ? ARM_VADD : ARM_VMUL, ARM_F64,
		0, 0, 1);
	store_v(b, pc[1], ARM_F64);
}

bool arm_float_supports(enum vm_op o)
{
	return jit_float_op(o);
}

bool arm_float(struct jit_fn *j, enum vm_op o, const vm_cell *pc, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	if (!arm_float_supports(o))
		return false;
	if (jit_float_by_helper(o)) {
		helper(j, o, pc, cell);
		return true;
	}
	enum arm_fsize size = size_of(o);
	switch (o) {
	case OP_f32_eq ... OP_f64_ge: fcmp(b, o, pc); return true;
	case OP_f32_add:
	case OP_f64_add: fbin(b, ARM_VADD, size, pc); return true;
	case OP_f32_sub:
	case OP_f64_sub: fbin(b, ARM_VSUB, size, pc); return true;
	case OP_f32_mul:
	case OP_f64_mul: fbin(b, ARM_VMUL, size, pc); return true;
	case OP_f32_div:
	case OP_f64_div: fbin(b, ARM_VDIV, size, pc); return true;
	case OP_f32_sqrt:
	case OP_f64_sqrt:
		vslot(b, true, size, 0, pc[2]);
		arm_vop1(b, ARM_AL, ARM_VSQRT, size, 0, 0);
		store_v(b, pc[1], size);
		return true;
	case OP_f32_abs:
	case OP_f32_neg:
	case OP_f32_copysign:
	case OP_f64_abs:
	case OP_f64_neg:
	case OP_f64_copysign: fsign(b, o, size, pc); return true;
	case OP_f32_convert_i32_s:
	case OP_f32_convert_i32_u:
		from_i32(b, o == OP_f32_convert_i32_s, ARM_F32, pc);
		return true;
	case OP_f64_convert_i32_s:
	case OP_f64_convert_i32_u:
		from_i32(b, o == OP_f64_convert_i32_s, ARM_F64, pc);
		return true;
	case OP_f32_demote_f64:
		vslot(b, true, ARM_F64, 1, pc[2]);
		arm_vcvt_float(b, ARM_AL, ARM_F32, 0, 1);
		store_v(b, pc[1], ARM_F32);
		return true;
	case OP_f64_promote_f32:
		vslot(b, true, ARM_F32, 2, pc[2]);
		arm_vcvt_float(b, ARM_AL, ARM_F64, 0, 2);
		store_v(b, pc[1], ARM_F64);
		return true;
	case OP_i32_reinterpret_f32:
	case OP_f32_reinterpret_i32:
		load32(b, ARM_R0, pc[2]);
		store32(b, pc[1], ARM_R0);
		return true;
	default: /* the 64-bit reinterpretations: the bits */
		arm_slot(b, ARM_AL, ARM_LDR, ARM_R0, pc[2], 0);
		arm_slot(b, ARM_AL, ARM_LDR, ARM_R1, pc[2], 1);
		arm_slot(b, ARM_AL, ARM_STR, ARM_R0, pc[1], 0);
		arm_slot(b, ARM_AL, ARM_STR, ARM_R1, pc[1], 1);
		return true;
	}
}
