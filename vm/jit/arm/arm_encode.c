/*
 * The ARM encoder's data-processing and move forms (arm_encode.h).
 * Field layouts are the ARM Architecture Reference Manual's (ARMv7-A/R,
 * section A5.2 "Data-processing and miscellaneous instructions").
 */
#include "arm_encode.h"
#include "arm_word.h"

static uint32_t ror32(uint32_t v, unsigned n)
{
	n &= 31;
	return n ? v >> n | v << (32 - n) : v;
}

/*
 * A modified immediate is imm8 rotated right by 2 * rot. The smallest
 * rotation that fits is taken, as assemblers do: a value can have
 * several encodings (0x3fc = 0xff ror 30 only, 4 = 4 ror 0 or 1 ror 30),
 * and the choice matters only for the carry a flag-setting logical
 * instruction takes from a rotated immediate's bit 31.
 */
bool arm_imm_encodable(uint32_t v, uint32_t *field)
{
	for (unsigned rot = 0; rot < 16; rot++) {
		uint32_t imm8 = ror32(v, 32 - 2 * rot);

		if (imm8 <= 0xff) {
			if (field)
				*field = rot << 8 | imm8;
			return true;
		}
	}
	return false;
}

static bool is_compare(enum arm_dp_op op)
{
	return op >= ARM_TST && op <= ARM_CMN;
}

/* The fields every data-processing form shares: opcode, S, Rn, Rd.
 * Compares have no Rd and always set the flags; MOV and MVN have no
 * Rn: both fields are 0, as the manual's (0) bits ask. */
static uint32_t dp_fields(enum arm_dp_op op, bool set_flags, enum arm_reg rd,
			  enum arm_reg rn)
{
	if (is_compare(op)) {
		set_flags = true;
		rd = ARM_R0;
	}
	if (op == ARM_MOV || op == ARM_MVN)
		rn = ARM_R0;
	return (uint32_t)op << 21 | (uint32_t)set_flags << 20 |
	       (uint32_t)rn << 16 | (uint32_t)rd << 12;
}

bool arm_dp_ri(struct jit_buf *b, enum arm_cond cond, enum arm_dp_op op,
	       bool set_flags, enum arm_reg rd, enum arm_reg rn, uint32_t imm)
{
	uint32_t field;

	if (!arm_imm_encodable(imm, &field))
		return false;
	arm_put(b, cond, 1u << 25 | dp_fields(op, set_flags, rd, rn) | field);
	return true;
}

void arm_dp_rr(struct jit_buf *b, enum arm_cond cond, enum arm_dp_op op,
	       bool set_flags, enum arm_reg rd, enum arm_reg rn,
	       enum arm_reg rm)
{
	arm_put(b, cond, dp_fields(op, set_flags, rd, rn) | rm);
}

/* LSR #32 and ASR #32 are encoded with an amount of 0, RRX as ROR #0. */
bool arm_shift_field(enum arm_shift shift, unsigned amount, uint32_t *field)
{
	switch (shift) {
	case ARM_LSL:
		if (amount > 31)
			return false;
		break;
	case ARM_LSR:
	case ARM_ASR:
		if (amount < 1 || amount > 32)
			return false;
		amount &= 31;
		break;
	case ARM_ROR:
		if (amount < 1 || amount > 31)
			return false;
		break;
	case ARM_RRX:
		if (amount != 0)
			return false;
		shift = ARM_ROR;
		break;
	default: return false;
	}
	*field = amount << 7 | (uint32_t)shift << 5;
	return true;
}

bool arm_dp_rsi(struct jit_buf *b, enum arm_cond cond, enum arm_dp_op op,
		bool set_flags, enum arm_reg rd, enum arm_reg rn,
		enum arm_reg rm, enum arm_shift shift, unsigned amount)
{
	uint32_t field;

	if (!arm_shift_field(shift, amount, &field))
		return false;
	arm_put(b, cond, dp_fields(op, set_flags, rd, rn) | field | rm);
	return true;
}

bool arm_dp_rsr(struct jit_buf *b, enum arm_cond cond, enum arm_dp_op op,
		bool set_flags, enum arm_reg rd, enum arm_reg rn,
		enum arm_reg rm, enum arm_shift shift, enum arm_reg rs)
{
	if (shift > ARM_ROR)
		return false;
	arm_put(b, cond,
		dp_fields(op, set_flags, rd, rn) | (uint32_t)rs << 8 |
			(uint32_t)shift << 5 | 1u << 4 | rm);
	return true;
}

/* MOVW and MOVT split the 16-bit immediate as imm4:imm12. */
static void mov16(struct jit_buf *b, enum arm_cond cond, uint32_t opcode,
		  enum arm_reg rd, uint16_t imm)
{
	arm_put(b, cond,
		opcode | (uint32_t)(imm >> 12) << 16 | (uint32_t)rd << 12 |
			(imm & 0xfffu));
}

void arm_movw(struct jit_buf *b, enum arm_cond cond, enum arm_reg rd,
	      uint16_t imm)
{
	mov16(b, cond, 0x03000000, rd, imm);
}

void arm_movt(struct jit_buf *b, enum arm_cond cond, enum arm_reg rd,
	      uint16_t imm)
{
	mov16(b, cond, 0x03400000, rd, imm);
}

void arm_mov32(struct jit_buf *b, enum arm_cond cond, enum arm_reg rd,
	       uint32_t value)
{
	if (arm_dp_ri(b, cond, ARM_MOV, false, rd, ARM_R0, value))
		return;
	if (arm_dp_ri(b, cond, ARM_MVN, false, rd, ARM_R0, ~value))
		return;
	arm_movw(b, cond, rd, (uint16_t)value);
	if (value >> 16)
		arm_movt(b, cond, rd, (uint16_t)(value >> 16));
}
