/*
 * vm/jit/arm/arm_translate_i64.c: the ARMv7-A backend's i64 ops, each
 * value a register pair (R0 low, R1 high; the second operand R2:R3)
 * loaded from its slot and stored back: add/sub (ADDS/ADC, SUBS/SBC),
 * the bit ops, mul (UMULL and two 32-bit multiplies), shifts and
 * rotates by the count mod 64, the ten compares (plain, immediate, fused
 * with a branch), clz/ctz, popcnt, the sign extensions; and i32.popcnt.
 * An immediate operand is sign-extended to 64 bits, as ops.h says.
 * Division and remainder call jit.c's vm_jit_i64_divide (exec.c's IDIV,
 * the same traps). Registers: arm_translate.h; LR is a scratch here too
 * (the prologue saved it, a call clobbers it anyway).
 */
#include "../jit_ops_num.h"
#include "arm_translate.h"

static void load64(struct jit_buf *b, enum arm_reg lo, enum arm_reg hi,
		   vm_cell s)
{
	arm_slot(b, ARM_AL, ARM_LDR, lo, s, 0);
	arm_slot(b, ARM_AL, ARM_LDR, hi, s, 1);
}

static void store64(struct jit_buf *b, vm_cell s)
{
	arm_slot(b, ARM_AL, ARM_STR, ARM_R0, s, 0);
	arm_slot(b, ARM_AL, ARM_STR, ARM_R1, s, 1);
}

/* R2:R3 = slot y, or the immediate y sign-extended. */
static void operand(struct jit_buf *b, bool imm, vm_cell y)
{
	if (!imm) {
		load64(b, ARM_R2, ARM_R3, y);
		return;
	}
	arm_mov32(b, ARM_AL, ARM_R2, (uint32_t)y);
	arm_mov32(b, ARM_AL, ARM_R3, (int32_t)y < 0 ? UINT32_MAX : 0);
}

/*
 * R0:R1 shifted by R2 mod 64. A register shift takes the count's whole
 * bottom byte, and 32 or more shifts everything out: so each half is
 * the or of the terms for counts below and above 32, the wrong one
 * vanishing (a negative 32 - n or n - 32 is a byte of 224 or more).
 * Only an arithmetic shift does not vanish, so shr_s takes its n - 32
 * term only when n >= 32 (the flags of the subtraction).
 */
static void shift64(struct jit_buf *b, enum vm_op o)
{
	arm_dp_ri(b, ARM_AL, ARM_AND, false, ARM_R2, ARM_R2, 63);
	if (o == OP_i64_rotr) /* rotr n is rotl 64 - n */
		arm_dp_ri(b, ARM_AL, ARM_RSB, false, ARM_R2, ARM_R2, 64);
	arm_dp_ri(b, ARM_AL, ARM_RSB, false, ARM_R3, ARM_R2, 32);
	switch (o) {
	case OP_i64_shl:
		arm_dp_rsr(b, ARM_AL, ARM_MOV, false, ARM_R1, ARM_R0, ARM_R1,
			   ARM_LSL, ARM_R2);
		arm_dp_rsr(b, ARM_AL, ARM_ORR, false, ARM_R1, ARM_R1, ARM_R0,
			   ARM_LSR, ARM_R3);
		arm_dp_ri(b, ARM_AL, ARM_SUB, false, ARM_R3, ARM_R2, 32);
		arm_dp_rsr(b, ARM_AL, ARM_ORR, false, ARM_R1, ARM_R1, ARM_R0,
			   ARM_LSL, ARM_R3);
		arm_dp_rsr(b, ARM_AL, ARM_MOV, false, ARM_R0, ARM_R0, ARM_R0,
			   ARM_LSL, ARM_R2);
		return;
	case OP_i64_shr_u:
	case OP_i64_shr_s:
		arm_dp_rsr(b, ARM_AL, ARM_MOV, false, ARM_R0, ARM_R0, ARM_R0,
			   ARM_LSR, ARM_R2);
		arm_dp_rsr(b, ARM_AL, ARM_ORR, false, ARM_R0, ARM_R0, ARM_R1,
			   ARM_LSL, ARM_R3);
		arm_dp_ri(b, ARM_AL, ARM_SUB, true, ARM_R3, ARM_R2, 32);
		arm_dp_rsr(b, o == OP_i64_shr_s ? ARM_PL : ARM_AL, ARM_ORR,
			   false, ARM_R0, ARM_R0, ARM_R1,
			   o == OP_i64_shr_s ? ARM_ASR : ARM_LSR, ARM_R3);
		arm_dp_rsr(b, ARM_AL, ARM_MOV, false, ARM_R1, ARM_R0, ARM_R1,
			   o == OP_i64_shr_s ? ARM_ASR : ARM_LSR, ARM_R2);
		return;
	default: /* rotl by n: the halves swapped for bit 5, then by n % 32
		    (the count 0..32 made 64..32 by rotr's RSB: the same) */
		arm_dp_ri(b, ARM_AL, ARM_TST, false, ARM_R0, ARM_R2, 32);
		arm_dp_rr(b, ARM_NE, ARM_MOV, false, ARM_LR, ARM_R0, ARM_R0);
		arm_dp_rr(b, ARM_NE, ARM_MOV, false, ARM_R0, ARM_R0, ARM_R1);
		arm_dp_rr(b, ARM_NE, ARM_MOV, false, ARM_R1, ARM_R0, ARM_LR);
		arm_dp_ri(b, ARM_AL, ARM_AND, false, ARM_R2, ARM_R2, 31);
		arm_dp_ri(b, ARM_AL, ARM_RSB, false, ARM_R3, ARM_R2, 32);
		arm_dp_rsr(b, ARM_AL, ARM_MOV, false, ARM_LR, ARM_R0, ARM_R1,
			   ARM_LSL, ARM_R2);
		arm_dp_rsr(b, ARM_AL, ARM_ORR, false, ARM_LR, ARM_LR, ARM_R0,
			   ARM_LSR, ARM_R3);
		arm_dp_rsr(b, ARM_AL, ARM_MOV, false, ARM_R0, ARM_R0, ARM_R0,
			   ARM_LSL, ARM_R2);
		arm_dp_rsr(b, ARM_AL, ARM_ORR, false, ARM_R0, ARM_R0, ARM_R1,
			   ARM_LSR, ARM_R3);
		arm_dp_rr(b, ARM_AL, ARM_MOV, false, ARM_R1, ARM_R0, ARM_LR);
		return;
	}
}

/* a * y mod 2^64 = a.lo * y.lo + ((a.hi * y.lo + a.lo * y.hi) << 32). */
static void mul64(struct jit_buf *b)
{
	arm_mul(b, ARM_AL, false, ARM_R1, ARM_R1, ARM_R2);
	arm_mla(b, ARM_AL, false, ARM_R1, ARM_R0, ARM_R3, ARM_R1);
	arm_mull(b, ARM_AL, ARM_UMULL, false, ARM_R0, ARM_R3, ARM_R0, ARM_R2);
	arm_dp_rr(b, ARM_AL, ARM_ADD, false, ARM_R1, ARM_R1, ARM_R3);
}

/* div/rem dst a b: vm_jit_i64_divide(fp, pc, how) and its trap. */
static void divide64(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
		     uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	arm_dp_rr(b, ARM_AL, ARM_MOV, false, ARM_R0, ARM_R0, FP);
	arm_mov32(b, ARM_AL, ARM_R1, (uint32_t)(uintptr_t)pc);
	arm_dp_ri(b, ARM_AL, ARM_MOV, false, ARM_R2, ARM_R0,
		  (uint32_t)(o - OP_i64_div_s));
	arm_call_c(b, (uintptr_t)&vm_jit_i64_divide);
	arm_dp_ri(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R0, VM_TRAP_DIV_ZERO);
	arm_trap_if(j, ARM_EQ, cell, VM_TRAP_DIV_ZERO);
	arm_dp_ri(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R0, 0);
	arm_trap_if(j, ARM_NE, cell, VM_TRAP_INT_OVERFLOW);
}

/* dst = a op y, for op in i64_add..i64_rotr. */
static void binop64(struct jit_fn *j, enum vm_op o, const vm_cell *pc, bool imm,
		    uint32_t cell)
{
	static const uint8_t lo[] = {
		[OP_i64_add - OP_i64_add] = ARM_ADD,
		[OP_i64_sub - OP_i64_add] = ARM_SUB,
		[OP_i64_and - OP_i64_add] = ARM_AND,
		[OP_i64_or - OP_i64_add] = ARM_ORR,
		[OP_i64_xor - OP_i64_add] = ARM_EOR,
	};
	struct jit_buf *b = &j->buf;
	if (o >= OP_i64_div_s && o <= OP_i64_rem_u) {
		divide64(j, o, pc, cell);
		return;
	}
	load64(b, ARM_R0, ARM_R1, pc[2]);
	if (imm && arm_fold_bin64(b, o, (uint32_t)pc[3])) {
		store64(b, pc[1]);
		return;
	}
	operand(b, imm, pc[3]);
	if (o == OP_i64_mul) {
		mul64(b);
	} else if (o >= OP_i64_shl && o <= OP_i64_rotr) {
		shift64(b, o);
	} else {
		enum arm_dp_op l = (enum arm_dp_op)lo[o - OP_i64_add];
		enum arm_dp_op h = l == ARM_ADD	  ? ARM_ADC
				   : l == ARM_SUB ? ARM_SBC
						  : l;
		bool carry = l == ARM_ADD || l == ARM_SUB;
		arm_dp_rr(b, ARM_AL, l, carry, ARM_R0, ARM_R0, ARM_R2);
		arm_dp_rr(b, ARM_AL, h, false, ARM_R1, ARM_R1, ARM_R3);
	}
	store64(b, pc[1]);
}

/* The condition that holds when i64 compare `plain` is true, after the
 * flags below: gt and le compare y - a, so they read as lt and ge. */
enum arm_cond arm_cond64(enum vm_op plain)
{
	switch (plain) {
	case OP_i64_eq: return ARM_EQ;
	case OP_i64_ne: return ARM_NE;
	case OP_i64_lt_s:
	case OP_i64_gt_s: return ARM_LT;
	case OP_i64_lt_u:
	case OP_i64_gt_u: return ARM_CC;
	case OP_i64_ge_s:
	case OP_i64_le_s: return ARM_GE;
	default: /* ge_u, le_u */ return ARM_CS;
	}
}

/*
 * Flags for i64 compare `plain` of a (R0:R1) and y (R2:R3). eq/ne: the
 * halves' differences or'ed; the orders: a - y with the borrow through
 * the high half (CMP, SBCS), y - a for gt and le.
 */
static void cmp64(struct jit_buf *b, enum vm_op plain)
{
	switch (plain) {
	case OP_i64_eq:
	case OP_i64_ne:
		arm_dp_rr(b, ARM_AL, ARM_EOR, false, ARM_R0, ARM_R0, ARM_R2);
		arm_dp_rr(b, ARM_AL, ARM_EOR, false, ARM_R1, ARM_R1, ARM_R3);
		arm_dp_rr(b, ARM_AL, ARM_ORR, true, ARM_R0, ARM_R0, ARM_R1);
		return;
	case OP_i64_lt_s:
	case OP_i64_lt_u:
	case OP_i64_ge_s:
	case OP_i64_ge_u:
		arm_dp_rr(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R0, ARM_R2);
		arm_dp_rr(b, ARM_AL, ARM_SBC, true, ARM_R1, ARM_R1, ARM_R3);
		return;
	default: /* gt, le: y - a */
		arm_dp_rr(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R2, ARM_R0);
		arm_dp_rr(b, ARM_AL, ARM_SBC, true, ARM_R3, ARM_R3, ARM_R1);
		return;
	}
}

void arm_popcnt32(struct jit_buf *b, enum arm_reg r, enum arm_reg t,
		  enum arm_reg k)
{
	arm_mov32(b, ARM_AL, k, 0x55555555u);
	arm_dp_rsi(b, ARM_AL, ARM_AND, false, t, k, r, ARM_LSR, 1);
	arm_dp_rr(b, ARM_AL, ARM_SUB, false, r, r, t);
	arm_mov32(b, ARM_AL, k, 0x33333333u);
	arm_dp_rsi(b, ARM_AL, ARM_AND, false, t, k, r, ARM_LSR, 2);
	arm_dp_rr(b, ARM_AL, ARM_AND, false, r, r, k);
	arm_dp_rr(b, ARM_AL, ARM_ADD, false, r, r, t);
	arm_dp_rsi(b, ARM_AL, ARM_ADD, false, r, r, r, ARM_LSR, 4);
	arm_mov32(b, ARM_AL, k, 0x0f0f0f0fu);
	arm_dp_rr(b, ARM_AL, ARM_AND, false, r, r, k);
	arm_mov32(b, ARM_AL, k, 0x01010101u);
	arm_mul(b, ARM_AL, false, r, r, k);
	arm_dp_rsi(b, ARM_AL, ARM_MOV, false, r, ARM_R0, r, ARM_LSR, 24);
}

/* Unary ops dst a with an i64 operand or result (and i32.popcnt). clz:
 * the high half's count, or 32 + the low half's when the high is 0;
 * ctz the same on the bits reversed, low half first. */
static void unary64(struct jit_buf *b, enum vm_op o, const vm_cell *pc)
{
	vm_cell dst = pc[1];
	load64(b, ARM_R0, ARM_R1, pc[2]);
	switch (o) {
	case OP_i32_popcnt:
		arm_popcnt32(b, ARM_R0, ARM_R2, ARM_R3);
		store32(b, dst, ARM_R0);
		return;
	case OP_i64_popcnt:
		arm_popcnt32(b, ARM_R0, ARM_R2, ARM_R3);
		arm_popcnt32(b, ARM_R1, ARM_R2, ARM_R3);
		arm_dp_rr(b, ARM_AL, ARM_ADD, false, ARM_R0, ARM_R0, ARM_R1);
		store32(b, dst, ARM_R0);
		return;
	case OP_i64_ctz:
		arm_bitop(b, ARM_AL, ARM_RBIT, ARM_R2, ARM_R0);
		arm_bitop(b, ARM_AL, ARM_RBIT, ARM_R0, ARM_R1);
		/* R1 the half counted first, as clz's high half */
		arm_dp_rr(b, ARM_AL, ARM_MOV, false, ARM_R1, ARM_R0, ARM_R2);
		/* fall through */
	case OP_i64_clz:
		arm_bitop(b, ARM_AL, ARM_CLZ, ARM_R2, ARM_R1);
		arm_bitop(b, ARM_AL, ARM_CLZ, ARM_R3, ARM_R0);
		arm_dp_ri(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R1, 0);
		arm_dp_ri(b, ARM_EQ, ARM_ADD, false, ARM_R2, ARM_R3, 32);
		store32(b, dst, ARM_R2);
		return;
	default: /* extend8_s, extend16_s, extend32_s */
		if (o == OP_i64_extend8_s)
			arm_extend(b, ARM_AL, ARM_SXTB, ARM_R0, ARM_R0, 0);
		else if (o == OP_i64_extend16_s)
			arm_extend(b, ARM_AL, ARM_SXTH, ARM_R0, ARM_R0, 0);
		arm_dp_rsi(b, ARM_AL, ARM_MOV, false, ARM_R1, ARM_R0, ARM_R0,
			   ARM_ASR, 32);
		store64(b, dst);
		return;
	}
}

static bool is_unary64(enum vm_op o)
{
	return o == OP_i32_popcnt || o == OP_i64_clz || o == OP_i64_ctz ||
	       o == OP_i64_popcnt || o == OP_i64_extend8_s ||
	       o == OP_i64_extend16_s || o == OP_i64_extend32_s;
}

bool arm_i64_supports(enum vm_op o)
{
	int form;
	bool imm;
	return jit_cmp64_of(o, &form, &imm) != OP_COUNT ||
	       jit_bin64_of(o, &imm) != OP_COUNT || is_unary64(o);
}

bool arm_i64(struct jit_fn *j, enum vm_op o, const vm_cell *pc, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	int form;
	bool imm;
	enum vm_op plain = jit_cmp64_of(o, &form, &imm);
	if (plain != OP_COUNT) {
		vm_cell y = form ? pc[2] : pc[3];
		load64(b, ARM_R0, ARM_R1, form ? pc[1] : pc[2]);
		if (!imm || !arm_fold_cmp64(b, plain, (uint32_t)y)) {
			operand(b, imm, y);
			cmp64(b, plain);
		}
		enum arm_cond cc = arm_cond64(plain);
		if (form)
			arm_branch(j, cc, pc + 3, cell + 3);
		else
			arm_set_flag(b, cc, pc[1]);
		return true;
	}
	plain = jit_bin64_of(o, &imm);
	if (plain != OP_COUNT) {
		binop64(j, plain, pc, imm, cell);
		return true;
	}
	if (is_unary64(o)) {
		unary64(b, o, pc);
		return true;
	}
	return false;
}
