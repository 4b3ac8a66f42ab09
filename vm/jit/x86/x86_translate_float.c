/*
 * vm/jit/x86/x86_translate_float.c: the IA-32 backend's f32/f64 ops.
 * With SSE2, each one IEEE instruction, as the interpreter's i686 build
 * (-msse2 -mfpmath=sse) does them: add, sub, mul, div, sqrt, the six
 * compares (ucomiss/ucomisd: NaN is unordered, every compare but ne
 * false), promote and demote, the signed i32 conversions. On the bits
 * (integer ops, as exec.c): abs, neg, copysign, the reinterpretations.
 * The rest through jit.c's vm_jit_float, which is exec.c's C code for
 * them (fp.h's min/max with wasm's NaN and -0 rules, ceil, floor, trunc,
 * nearest; the unsigned and i64 conversions, whose rounding gcc's code
 * does once from the exact integer), the trapping conversions to
 * integers (exec.c's TRUNC, with fp.h's bounds).
 */
#include "../jit_ops_num.h"
#include "x86_translate.h"

/* A float slot as SSE sees it: single (4 bytes) or double (8). */
static enum x86_sse mov_of(bool dbl)
{
	return dbl ? X86_MOVSD : X86_MOVSS;
}

/* Result in XMM0 to slot dst: a double whole, a single with a 0 high
 * half (exec.c's SET_f32). */
static void store_x(struct jit_buf *b, vm_cell dst, bool dbl)
{
	x86_sse_mx(b, mov_of(dbl), slot(dst), X86_XMM0);
	if (!dbl)
		x86_mov_mi(b, slot_hi(dst), 0);
}

/* Whether an arithmetic op (f32_abs..f64_copysign) is an f64 one. */
static bool is_dbl(enum vm_op o)
{
	return o > OP_f32_copysign;
}

/* dst = a op b, the SSE instruction for each. */
static void fbin(struct jit_buf *b, enum x86_sse op, bool dbl,
		 const vm_cell *pc)
{
	x86_sse_xm(b, mov_of(dbl), X86_XMM0, slot(pc[2]));
	x86_sse_xm(b, op, X86_XMM0, slot(pc[3]));
	store_x(b, pc[1], dbl);
}

/*
 * Compares dst a b: ucomis x, [y] then a condition on CF/ZF/PF, which
 * unordered (NaN) sets all three: lt and le as b > a and b >= a (A and
 * AE need CF clear), eq needs ZF and no PF, ne either of them.
 */
static void fcmp(struct jit_buf *b, enum vm_op o, const vm_cell *pc)
{
	bool dbl = o >= OP_f64_eq;
	uint32_t k = o - (dbl ? OP_f64_eq : OP_f32_eq); /* eq ne lt gt le ge */
	bool swap = k == 2 || k == 4;
	x86_alu_rr(b, X86_XOR, X86_ECX, X86_ECX);
	x86_alu_rr(b, X86_XOR, X86_EDX, X86_EDX);
	x86_sse_xm(b, mov_of(dbl), X86_XMM0, slot(swap ? pc[3] : pc[2]));
	x86_sse_xm(b, dbl ? X86_UCOMISD : X86_UCOMISS, X86_XMM0,
		   slot(swap ? pc[2] : pc[3]));
	switch (k) {
	case 0:
		x86_setcc_r(b, X86_E, X86_ECX);
		x86_setcc_r(b, X86_NP, X86_EDX);
		x86_alu_rr(b, X86_AND, X86_ECX, X86_EDX);
		break;
	case 1:
		x86_setcc_r(b, X86_NE, X86_ECX);
		x86_setcc_r(b, X86_P, X86_EDX);
		x86_alu_rr(b, X86_OR, X86_ECX, X86_EDX);
		break;
	case 2:
	case 3: x86_setcc_r(b, X86_A, X86_ECX); break;
	default: x86_setcc_r(b, X86_AE, X86_ECX); break;
	}
	store32(b, pc[1], X86_ECX);
}

/* abs, neg, copysign on the sign bit: of the low half of an f32 slot,
 * of the high half of an f64 one (the low half copied). */
static void fsign(struct jit_buf *b, enum vm_op o, bool dbl, const vm_cell *pc)
{
	struct x86_mem (*part)(vm_cell) = dbl ? slot_hi : slot;
	x86_mov_rm(b, X86_EAX, part(pc[2]));
	if (o == OP_f32_neg || o == OP_f64_neg) {
		x86_alu_ri(b, X86_XOR, X86_EAX, INT32_MIN);
	} else {
		x86_alu_ri(b, X86_AND, X86_EAX, INT32_MAX);
		if (o == OP_f32_copysign || o == OP_f64_copysign) {
			x86_mov_rm(b, X86_ECX, part(pc[3]));
			x86_alu_ri(b, X86_AND, X86_ECX, INT32_MIN);
			x86_alu_rr(b, X86_OR, X86_EAX, X86_ECX);
		}
	}
	if (!dbl) {
		store32(b, pc[1], X86_EAX);
		return;
	}
	x86_mov_rm(b, X86_ECX, slot(pc[2]));
	x86_mov_mr(b, slot(pc[1]), X86_ECX);
	x86_mov_mr(b, slot_hi(pc[1]), X86_EAX);
}

/* The ops vm_jit_float does: jit_ops_num.h's, and the unsigned i32
 * conversions to float (no SSE2 instruction for them). */
static bool by_helper(enum vm_op o)
{
	return jit_float_by_helper(o) || o == OP_f32_convert_i32_u ||
	       o == OP_f64_convert_i32_u;
}

/* vm_jit_float(fp, pc, op): three arguments keep the stack aligned. A
 * conversion to an integer then traps as it says. */
static void helper(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
		   uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	x86_push_i(b, (int32_t)o);
	x86_push_i(b, (int32_t)(uintptr_t)pc);
	x86_push_r(b, FP);
	x86_mov_ri(b, X86_EAX, (uint32_t)(uintptr_t)&vm_jit_float);
	x86_call_r(b, X86_EAX);
	x86_alu_ri(b, X86_ADD, X86_ESP, 12);
	if (o < OP_i32_trunc_f32_s || o > OP_i64_trunc_f64_u)
		return;
	x86_alu_ri(b, X86_CMP, X86_EAX, VM_TRAP_BAD_CONVERSION);
	x86_trap_if(j, X86_E, cell, VM_TRAP_BAD_CONVERSION);
	x86_test_rr(b, X86_EAX, X86_EAX);
	x86_trap_if(j, X86_NE, cell, VM_TRAP_INT_OVERFLOW);
}

bool x86_float_supports(enum vm_op o)
{
	return jit_float_op(o);
}

bool x86_float(struct jit_fn *j, enum vm_op o, const vm_cell *pc, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	if (!x86_float_supports(o))
		return false;
	if (by_helper(o)) {
		helper(j, o, pc, cell);
		return true;
	}
	bool dbl = is_dbl(o);
	switch (o) {
	case OP_f32_eq ... OP_f64_ge: fcmp(b, o, pc); return true;
	case OP_f32_add: fbin(b, X86_ADDSS, false, pc); return true;
	case OP_f32_sub: fbin(b, X86_SUBSS, false, pc); return true;
	case OP_f32_mul: fbin(b, X86_MULSS, false, pc); return true;
	case OP_f32_div: fbin(b, X86_DIVSS, false, pc); return true;
	case OP_f64_add: fbin(b, X86_ADDSD, true, pc); return true;
	case OP_f64_sub: fbin(b, X86_SUBSD, true, pc); return true;
	case OP_f64_mul: fbin(b, X86_MULSD, true, pc); return true;
	case OP_f64_div: fbin(b, X86_DIVSD, true, pc); return true;
	case OP_f32_sqrt:
	case OP_f64_sqrt:
		x86_sse_xm(b, dbl ? X86_SQRTSD : X86_SQRTSS, X86_XMM0,
			   slot(pc[2]));
		store_x(b, pc[1], dbl);
		return true;
	case OP_f32_abs:
	case OP_f32_neg:
	case OP_f32_copysign:
	case OP_f64_abs:
	case OP_f64_neg:
	case OP_f64_copysign: fsign(b, o, dbl, pc); return true;
	case OP_f32_convert_i32_s:
		x86_cvtsi2ss_xm(b, X86_XMM0, slot(pc[2]));
		store_x(b, pc[1], false);
		return true;
	case OP_f64_convert_i32_s:
		x86_cvtsi2sd_xm(b, X86_XMM0, slot(pc[2]));
		store_x(b, pc[1], true);
		return true;
	case OP_f32_demote_f64:
		x86_sse_xm(b, X86_CVTSD2SS, X86_XMM0, slot(pc[2]));
		store_x(b, pc[1], false);
		return true;
	case OP_f64_promote_f32:
		x86_sse_xm(b, X86_CVTSS2SD, X86_XMM0, slot(pc[2]));
		store_x(b, pc[1], true);
		return true;
	case OP_i32_reinterpret_f32:
	case OP_f32_reinterpret_i32:
		x86_mov_rm(b, X86_EAX, slot(pc[2]));
		store32(b, pc[1], X86_EAX);
		return true;
	default: /* the 64-bit reinterpretations: the bits */
		x86_mov_rm(b, X86_EAX, slot(pc[2]));
		x86_mov_rm(b, X86_EDX, slot_hi(pc[2]));
		x86_mov_mr(b, slot(pc[1]), X86_EAX);
		x86_mov_mr(b, slot_hi(pc[1]), X86_EDX);
		return true;
	}
}
