/*
 * vm/jit/arm/arm_translate_imm.c: immediate folding, where an op's
 * second operand is a constant (ops.h's immediate forms, jit_ops.h and
 * jit_ops_num.h): the constant goes into the instruction as an A32
 * modified immediate (an 8-bit value rotated right by an even amount),
 * or a multiply becomes a shift and an add, instead of being moved into
 * a register first. Each function writes nothing and returns false when
 * its constant does not fit, and the caller emits the register form.
 * (The i32 data-processing ops and compares fold through arm_op_imm,
 * arm_translate.c.) The i64 forms' constant is sign-extended: its high
 * word is 0 or all ones, which the carry instructions take as #0.
 */
#include "arm_translate.h"

bool arm_fold_mul32(struct jit_buf *b, enum arm_reg r, uint32_t k)
{
	if (k == 0)
		return arm_dp_ri(b, ARM_AL, ARM_MOV, false, r, ARM_R0, 0);
	unsigned n = 31u - (unsigned)__builtin_clz(k); /* k's top bit */
	if (k == 1u << n) /* a power of two: r << n */
		return n == 0 || arm_dp_rsi(b, ARM_AL, ARM_MOV, false, r,
					    ARM_R0, r, ARM_LSL, n);
	if (k == (1u << n) + 1) /* r + (r << n) */
		return arm_dp_rsi(b, ARM_AL, ARM_ADD, false, r, r, r, ARM_LSL,
				  n);
	if (n < 31 && k == (2u << n) - 1) /* (r << n+1) - r */
		return arm_dp_rsi(b, ARM_AL, ARM_RSB, false, r, r, r, ARM_LSL,
				  n + 1);
	return false;
}

/*
 * R0:R1 op= k: the low word's op with an immediate (for add and sub a
 * nonzero k's negation with the other op sets the same carry: r + k
 * carries exactly when r - (-k) does not borrow), then the high word's
 * with k's sign. ADC #0 adds the carry; with a high word of all ones
 * r + ~0 + C is SBC #0 (r - 0 - !C); for sub the reverse.
 */
bool arm_fold_bin64(struct jit_buf *b, enum vm_op o, uint32_t k)
{
	bool neg = (int32_t)k < 0;
	uint32_t field;
	bool direct = arm_imm_encodable(k, &field);
	switch (o) {
	case OP_i64_add:
	case OP_i64_sub: {
		bool add = o == OP_i64_add;
		if (!direct && (k == 0 || !arm_imm_encodable(0u - k, &field)))
			return false;
		arm_dp_ri(b, ARM_AL, add == direct ? ARM_ADD : ARM_SUB, true,
			  ARM_R0, ARM_R0, direct ? k : 0u - k);
		arm_dp_ri(b, ARM_AL, add != neg ? ARM_ADC : ARM_SBC, false,
			  ARM_R1, ARM_R1, 0);
		return true;
	}
	case OP_i64_and:
		if (!direct)
			return false;
		arm_dp_ri(b, ARM_AL, ARM_AND, false, ARM_R0, ARM_R0, k);
		if (!neg) /* the high word & 0 */
			arm_dp_ri(b, ARM_AL, ARM_MOV, false, ARM_R1, ARM_R0, 0);
		return true;
	case OP_i64_or:
		if (!direct)
			return false;
		arm_dp_ri(b, ARM_AL, ARM_ORR, false, ARM_R0, ARM_R0, k);
		if (neg) /* the high word | ~0 */
			arm_dp_ri(b, ARM_AL, ARM_MVN, false, ARM_R1, ARM_R0, 0);
		return true;
	case OP_i64_xor:
		if (!direct)
			return false;
		arm_dp_ri(b, ARM_AL, ARM_EOR, false, ARM_R0, ARM_R0, k);
		if (neg) /* the high word ^ ~0 */
			arm_dp_rr(b, ARM_AL, ARM_MVN, false, ARM_R1, ARM_R0,
				  ARM_R1);
		return true;
	default: return false;
	}
}

/*
 * The flags of i64 compare `plain` of R0:R1 with k, as cmp64 in
 * arm_translate_i64.c sets them with k in R2:R3 (arm_cond64 reads
 * them): eq/ne by EOR #k (and MVN of the high word
 * for a negative k) and ORRS; the orders, for a k of high word 0 only
 * (no #~0 operand gives a subtraction's flags), by CMP #k and SBCS #0,
 * or for gt and le k - a by RSBS #k and RSCS #0.
 */
bool arm_fold_cmp64(struct jit_buf *b, enum vm_op plain, uint32_t k)
{
	uint32_t field;
	bool neg = (int32_t)k < 0;
	if (!arm_imm_encodable(k, &field))
		return false;
	switch (plain) {
	case OP_i64_eq:
	case OP_i64_ne:
		arm_dp_ri(b, ARM_AL, ARM_EOR, false, ARM_R0, ARM_R0, k);
		if (neg)
			arm_dp_rr(b, ARM_AL, ARM_MVN, false, ARM_R1, ARM_R0,
				  ARM_R1);
		arm_dp_rr(b, ARM_AL, ARM_ORR, true, ARM_R0, ARM_R0, ARM_R1);
		return true;
	case OP_i64_lt_s:
	case OP_i64_lt_u:
	case OP_i64_ge_s:
	case OP_i64_ge_u:
		if (neg)
			return false;
		arm_dp_ri(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R0, k);
		arm_dp_ri(b, ARM_AL, ARM_SBC, true, ARM_R1, ARM_R1, 0);
		return true;
	default: /* gt, le: k - a */
		if (neg)
			return false;
		arm_dp_ri(b, ARM_AL, ARM_RSB, true, ARM_R0, ARM_R0, k);
		arm_dp_ri(b, ARM_AL, ARM_RSC, true, ARM_R1, ARM_R1, 0);
		return true;
	}
}
