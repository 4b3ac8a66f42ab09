/*
 * vm/jit/arm/arm_translate_alu.c: the ARMv7-A backend's i32 arithmetic,
 * bit operations, compares (plain, immediate, fused with a branch, and
 * the add-compare-and-branch loop closers), the unary ops and the
 * shift-op fusions. Registers: arm_translate.h.
 */
#include "../jit_ops.h"
#include "arm_translate.h"

/* ---- binary ops ---- */

enum kind { K_DP, K_MUL, K_SHIFT, K_ROTL, K_DIV };
struct binop {
	uint8_t kind, op; /* op: enum arm_dp_op, arm_shift, or D_* below */
};
enum { D_DIV_S, D_DIV_U, D_REM_S, D_REM_U };

static bool binop_of(enum vm_op o, struct binop *r)
{
	static const struct binop tab[] = {
		[OP_i32_add - OP_i32_add] = {K_DP, ARM_ADD},
		[OP_i32_sub - OP_i32_add] = {K_DP, ARM_SUB},
		[OP_i32_mul - OP_i32_add] = {K_MUL, 0},
		[OP_i32_div_s - OP_i32_add] = {K_DIV, D_DIV_S},
		[OP_i32_div_u - OP_i32_add] = {K_DIV, D_DIV_U},
		[OP_i32_rem_s - OP_i32_add] = {K_DIV, D_REM_S},
		[OP_i32_rem_u - OP_i32_add] = {K_DIV, D_REM_U},
		[OP_i32_and - OP_i32_add] = {K_DP, ARM_AND},
		[OP_i32_or - OP_i32_add] = {K_DP, ARM_ORR},
		[OP_i32_xor - OP_i32_add] = {K_DP, ARM_EOR},
		[OP_i32_shl - OP_i32_add] = {K_SHIFT, ARM_LSL},
		[OP_i32_shr_s - OP_i32_add] = {K_SHIFT, ARM_ASR},
		[OP_i32_shr_u - OP_i32_add] = {K_SHIFT, ARM_LSR},
		[OP_i32_rotl - OP_i32_add] = {K_ROTL, ARM_ROR},
		[OP_i32_rotr - OP_i32_add] = {K_SHIFT, ARM_ROR},
	};
	if (o < OP_i32_add || o > OP_i32_rotr)
		return false;
	*r = tab[o - OP_i32_add];
	return true;
}

/* rd = rm shifted by the constant k (wasm masks it to 5 bits); a rotl
 * is a ror by 32 - k. A zero amount is a move. */
static void shift_imm(struct jit_buf *b, struct binop bo, enum arm_reg rd,
		      enum arm_reg rm, uint32_t k)
{
	unsigned n = k & 31;
	if (bo.kind == K_ROTL && n)
		n = 32 - n;
	if (!n)
		arm_dp_rr(b, ARM_AL, ARM_MOV, false, rd, ARM_R0, rm);
	else
		arm_dp_rsi(b, ARM_AL, ARM_MOV, false, rd, ARM_R0, rm,
			   (enum arm_shift)bo.op, n);
}

/* R0 = R0 shifted by the count in R1. A register shift takes the count's
 * whole bottom byte (32 shifts everything out), so the count is masked
 * to 5 bits first, as wasm's; rotl by n is ror by -n mod 32. */
static void shift_reg(struct jit_buf *b, struct binop bo)
{
	if (bo.kind == K_ROTL)
		arm_dp_ri(b, ARM_AL, ARM_RSB, false, ARM_R1, ARM_R1, 0);
	arm_dp_ri(b, ARM_AL, ARM_AND, false, ARM_R1, ARM_R1, 31);
	arm_dp_rsr(b, ARM_AL, ARM_MOV, false, ARM_R0, ARM_R0, ARM_R0,
		   (enum arm_shift)bo.op, ARM_R1);
}

/*
 * Division and remainder of R0 by R1, result stored to dst. ARM's
 * divides do not fault: a zero divisor gives 0 and INT_MIN / -1 gives
 * INT_MIN, so both traps are explicit tests. The remainder is
 * a - (a / b) * b (MLS), which is 0 for INT_MIN rem -1, as wasm wants.
 */
static void divide(struct jit_fn *j, uint8_t how, vm_cell dst, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	arm_dp_ri(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R1, 0);
	arm_trap_if(j, ARM_EQ, cell, VM_TRAP_DIV_ZERO);
	if (how == D_DIV_S) {
		arm_dp_ri(b, ARM_AL, ARM_CMN, false, ARM_R0, ARM_R1, 1);
		arm_dp_ri(b, ARM_EQ, ARM_CMP, false, ARM_R0, ARM_R0,
			  0x80000000u);
		arm_trap_if(j, ARM_EQ, cell, VM_TRAP_INT_OVERFLOW);
	}
	if (how == D_DIV_S || how == D_REM_S)
		arm_sdiv(b, ARM_AL, ARM_R2, ARM_R0, ARM_R1);
	else
		arm_udiv(b, ARM_AL, ARM_R2, ARM_R0, ARM_R1);
	if (how == D_REM_S || how == D_REM_U)
		arm_mls(b, ARM_AL, ARM_R2, ARM_R2, ARM_R1, ARM_R0);
	store32(b, dst, ARM_R2);
}

/* dst a b|imm: R0 = a, R1 = b (or the immediate). */
static void arith(struct jit_fn *j, struct binop bo, const vm_cell *pc,
		  bool imm, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	uint32_t k = (uint32_t)pc[3];
	load32(b, ARM_R0, pc[2]);
	if (imm &&
	    (bo.kind == K_DP || bo.kind == K_SHIFT || bo.kind == K_ROTL)) {
		if (bo.kind == K_DP)
			arm_op_imm(b, (enum arm_dp_op)bo.op, ARM_R0, ARM_R0, k);
		else
			shift_imm(b, bo, ARM_R0, ARM_R0, k);
		store32(b, pc[1], ARM_R0);
		return;
	}
	if (imm && bo.kind == K_MUL && arm_fold_mul32(b, ARM_R0, k)) {
		store32(b, pc[1], ARM_R0);
		return;
	}
	if (imm)
		arm_mov32(b, ARM_AL, ARM_R1, k);
	else
		load32(b, ARM_R1, pc[3]);
	switch (bo.kind) {
	case K_DP:
		arm_dp_rr(b, ARM_AL, (enum arm_dp_op)bo.op, false, ARM_R0,
			  ARM_R0, ARM_R1);
		break;
	case K_MUL: arm_mul(b, ARM_AL, false, ARM_R0, ARM_R0, ARM_R1); break;
	case K_DIV: divide(j, bo.op, pc[1], cell); return;
	default: shift_reg(b, bo); break;
	}
	store32(b, pc[1], ARM_R0);
}

/* ---- compares ---- */

static enum arm_cond cond_of(enum vm_op plain)
{
	static const uint8_t tab[] = {
		[OP_i32_eq - OP_i32_eq] = ARM_EQ,
		[OP_i32_ne - OP_i32_eq] = ARM_NE,
		[OP_i32_lt_s - OP_i32_eq] = ARM_LT,
		[OP_i32_lt_u - OP_i32_eq] = ARM_CC,
		[OP_i32_gt_s - OP_i32_eq] = ARM_GT,
		[OP_i32_gt_u - OP_i32_eq] = ARM_HI,
		[OP_i32_le_s - OP_i32_eq] = ARM_LE,
		[OP_i32_le_u - OP_i32_eq] = ARM_LS,
		[OP_i32_ge_s - OP_i32_eq] = ARM_GE,
		[OP_i32_ge_u - OP_i32_eq] = ARM_CS,
	};
	return (enum arm_cond)tab[plain - OP_i32_eq];
}

/* Flags of R0 against slot b or the immediate. */
static void cmp_with(struct jit_buf *b, bool imm, vm_cell x)
{
	if (imm) {
		arm_op_imm(b, ARM_CMP, ARM_R0, ARM_R0, (uint32_t)x);
		return;
	}
	load32(b, ARM_R1, x);
	arm_dp_rr(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R0, ARM_R1);
}

void arm_set_flag(struct jit_buf *b, enum arm_cond cond, vm_cell dst)
{
	arm_dp_ri(b, ARM_AL, ARM_MOV, false, ARM_R2, ARM_R0, 0);
	arm_dp_ri(b, cond, ARM_MOV, false, ARM_R2, ARM_R0, 1);
	store32(b, dst, ARM_R2);
}

static void compare(struct jit_fn *j, enum vm_op plain, int form, bool imm,
		    const vm_cell *pc, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	enum arm_cond cc = cond_of(plain);
	switch (form) {
	case 0: /* dst a b */
		load32(b, ARM_R0, pc[2]);
		cmp_with(b, imm, pc[3]);
		arm_set_flag(b, cc, pc[1]);
		return;
	case 1: /* a b rel */
		load32(b, ARM_R0, pc[1]);
		cmp_with(b, imm, pc[2]);
		arm_branch(j, cc, pc + 3, cell + 3);
		return;
	default: /* d a k b rel: d = a + k, written before b is read */
		load32(b, ARM_R0, pc[2]);
		arm_op_imm(b, ARM_ADD, ARM_R0, ARM_R0, (uint32_t)pc[3]);
		store32(b, pc[1], ARM_R0);
		cmp_with(b, imm, pc[4]);
		arm_branch(j, cc, pc + 5, cell + 5);
		return;
	}
}

/* ---- unary ops and the shift-op fusions ---- */

static bool is_unary(enum vm_op o)
{
	switch (o) {
	case OP_i32_eqz:
	case OP_i64_eqz:
	case OP_i32_clz:
	case OP_i32_ctz:
	case OP_i32_extend8_s:
	case OP_i32_extend16_s:
	case OP_i32_wrap_i64:
	case OP_i64_extend_i32_s:
	case OP_i64_extend_i32_u: return true;
	default: return false;
	}
}

/* dst a */
static void unary(struct jit_buf *b, enum vm_op o, const vm_cell *pc)
{
	vm_cell dst = pc[1];
	load32(b, ARM_R0, pc[2]);
	switch (o) {
	case OP_i32_eqz:
		arm_dp_ri(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R0, 0);
		arm_set_flag(b, ARM_EQ, dst);
		return;
	case OP_i64_eqz:
		arm_slot(b, ARM_AL, ARM_LDR, ARM_R1, pc[2], 1);
		arm_dp_rr(b, ARM_AL, ARM_ORR, true, ARM_R0, ARM_R0, ARM_R1);
		arm_set_flag(b, ARM_EQ, dst);
		return;
	case OP_i32_clz: arm_bitop(b, ARM_AL, ARM_CLZ, ARM_R0, ARM_R0); break;
	case OP_i32_ctz: /* the leading zeros of the bits reversed */
		arm_bitop(b, ARM_AL, ARM_RBIT, ARM_R0, ARM_R0);
		arm_bitop(b, ARM_AL, ARM_CLZ, ARM_R0, ARM_R0);
		break;
	case OP_i32_extend8_s:
		arm_extend(b, ARM_AL, ARM_SXTB, ARM_R0, ARM_R0, 0);
		break;
	case OP_i32_extend16_s:
		arm_extend(b, ARM_AL, ARM_SXTH, ARM_R0, ARM_R0, 0);
		break;
	case OP_i64_extend_i32_s:
		arm_dp_rsi(b, ARM_AL, ARM_MOV, false, ARM_R1, ARM_R0, ARM_R0,
			   ARM_ASR, 32);
		arm_slot(b, ARM_AL, ARM_STR, ARM_R0, dst, 0);
		arm_slot(b, ARM_AL, ARM_STR, ARM_R1, dst, 1);
		return;
	default: /* wrap_i64, extend_i32_u: the low half, high 0 */ break;
	}
	store32(b, dst, ARM_R0);
}

/* dst a b k: dst = a op2 (b op1 k), ops.h SHOP; the shift is the second
 * operand's own (one instruction). */
static void shop(struct jit_buf *b, enum vm_op o, const vm_cell *pc)
{
	static const uint8_t dp[] = {ARM_ADD, ARM_EOR, ARM_ORR};
	uint32_t i = o - OPS_add_shl;
	unsigned k = (unsigned)pc[4] & 31;
	enum arm_shift sh = i % 3 == 0	 ? ARM_LSL
			    : i % 3 == 1 ? ARM_LSR
					 : ARM_ROR;
	if (sh == ARM_ROR && k)
		k = 32 - k; /* rotl k */
	load32(b, ARM_R0, pc[2]);
	load32(b, ARM_R1, pc[3]);
	if (k)
		arm_dp_rsi(b, ARM_AL, (enum arm_dp_op)dp[i / 3], false, ARM_R0,
			   ARM_R0, ARM_R1, sh, k);
	else
		arm_dp_rr(b, ARM_AL, (enum arm_dp_op)dp[i / 3], false, ARM_R0,
			  ARM_R0, ARM_R1);
	store32(b, pc[1], ARM_R0);
}

bool arm_alu_supports(enum vm_op o)
{
	struct binop bo;
	int form;
	bool imm;
	if (binop_of(o, &bo) || jit_cmp_of(o, &form, &imm) != OP_COUNT ||
	    is_unary(o) || (o >= OPS_add_shl && o <= OPS_or_rotl))
		return true;
	return jit_plain_of_imm(o) != OP_COUNT &&
	       binop_of(jit_plain_of_imm(o), &bo);
}

bool arm_alu(struct jit_fn *j, enum vm_op o, const vm_cell *pc, uint32_t cell)
{
	struct binop bo;
	int form;
	bool imm;
	enum vm_op cmp = jit_cmp_of(o, &form, &imm);
	if (cmp != OP_COUNT)
		compare(j, cmp, form, imm, pc, cell);
	else if (binop_of(o, &bo))
		arith(j, bo, pc, false, cell);
	else if (jit_plain_of_imm(o) != OP_COUNT &&
		 binop_of(jit_plain_of_imm(o), &bo))
		arith(j, bo, pc, true, cell);
	else if (is_unary(o))
		unary(&j->buf, o, pc);
	else if (o >= OPS_add_shl && o <= OPS_or_rotl)
		shop(&j->buf, o, pc);
	else
		return false;
	return true;
}
