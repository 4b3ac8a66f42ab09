/*
 * The ARM encoder's multiply, divide and bit-manipulation forms
 * (arm_encode.h; ARM ARM ARMv7-A/R A5.2.5 "Multiply and multiply
 * accumulate", A5.4 "Media instructions", A5.2.12 "Miscellaneous").
 */
#include "arm_encode.h"
#include "arm_word.h"

/* Multiplies keep Rd (or RdHi) in bits 19..16 and Rn in 3..0: the other
 * way round from data processing. */
static void multiply(struct jit_buf *b, enum arm_cond cond, uint32_t opcode,
		     bool set_flags, enum arm_reg r16, enum arm_reg r12,
		     enum arm_reg rn, enum arm_reg rm)
{
	arm_put(b, cond,
		opcode | (uint32_t)set_flags << 20 | (uint32_t)r16 << 16 |
			(uint32_t)r12 << 12 | (uint32_t)rm << 8 | 0x90u | rn);
}

void arm_mul(struct jit_buf *b, enum arm_cond cond, bool set_flags,
	     enum arm_reg rd, enum arm_reg rn, enum arm_reg rm)
{
	multiply(b, cond, 0x00000000, set_flags, rd, ARM_R0, rn, rm);
}

void arm_mla(struct jit_buf *b, enum arm_cond cond, bool set_flags,
	     enum arm_reg rd, enum arm_reg rn, enum arm_reg rm, enum arm_reg ra)
{
	multiply(b, cond, 0x00200000, set_flags, rd, ra, rn, rm);
}

void arm_mls(struct jit_buf *b, enum arm_cond cond, enum arm_reg rd,
	     enum arm_reg rn, enum arm_reg rm, enum arm_reg ra)
{
	multiply(b, cond, 0x00600000, false, rd, ra, rn, rm);
}

/* The long multiplies' opcode (bits 23..21) is the enum's value. */
void arm_mull(struct jit_buf *b, enum arm_cond cond, enum arm_mull op,
	      bool set_flags, enum arm_reg lo, enum arm_reg hi, enum arm_reg rn,
	      enum arm_reg rm)
{
	multiply(b, cond, (uint32_t)op << 21, set_flags, hi, lo, rn, rm);
}

/* SDIV/UDIV: Rd in 19..16, Ra (1111 for no accumulate) in 15..12. */
static void divide(struct jit_buf *b, enum arm_cond cond, uint32_t opcode,
		   enum arm_reg rd, enum arm_reg rn, enum arm_reg rm)
{
	arm_put(b, cond,
		opcode | (uint32_t)rd << 16 | 0xf000u | (uint32_t)rm << 8 |
			0x10u | rn);
}

void arm_sdiv(struct jit_buf *b, enum arm_cond cond, enum arm_reg rd,
	      enum arm_reg rn, enum arm_reg rm)
{
	divide(b, cond, 0x07100000, rd, rn, rm);
}

void arm_udiv(struct jit_buf *b, enum arm_cond cond, enum arm_reg rd,
	      enum arm_reg rn, enum arm_reg rm)
{
	divide(b, cond, 0x07300000, rd, rn, rm);
}

/* One-register operations: Rd in 15..12, Rm in 3..0, the other fields
 * fixed ones (the manual's (1) bits). */
static void unary(struct jit_buf *b, enum arm_cond cond, uint32_t opcode,
		  enum arm_reg rd, enum arm_reg rm)
{
	arm_put(b, cond, opcode | (uint32_t)rd << 12 | rm);
}

void arm_bitop(struct jit_buf *b, enum arm_cond cond, enum arm_bitop op,
	       enum arm_reg rd, enum arm_reg rm)
{
	static const uint32_t opcode[] = {
		[ARM_CLZ] = 0x016f0f10u,
		[ARM_RBIT] = 0x06ff0f30u,
		[ARM_REV] = 0x06bf0f30u,
		[ARM_REV16] = 0x06bf0fb0u,
	};

	unary(b, cond, opcode[op], rd, rm);
}

/* The extends are the add-extends (SXTAB...) with Rn = 1111; the
 * rotation is a 2-bit count of bytes. */
bool arm_extend(struct jit_buf *b, enum arm_cond cond, enum arm_extend op,
		enum arm_reg rd, enum arm_reg rm, unsigned rotation)
{
	if (rotation > 24 || rotation % 8)
		return false;
	unary(b, cond, (uint32_t)op << 20 | 0x000f0070u | (rotation / 8) << 10,
	      rd, rm);
	return true;
}
