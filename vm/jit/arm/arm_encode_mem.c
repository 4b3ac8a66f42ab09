/*
 * The ARM encoder's loads and stores (arm_encode.h; ARM ARM ARMv7-A/R
 * A5.3 "Load/store word and unsigned byte", A5.2.8 "Extra load/store
 * instructions", A5.5 "Branch, branch with link, and block data
 * transfer").
 */
#include "arm_encode.h"
#include "arm_word.h"

/* P (bit 24) and W (bit 21) of an addressing mode; post-indexing with
 * W set would be the unprivileged LDRT/STRT family. */
static uint32_t index_bits(enum arm_index index)
{
	switch (index) {
	case ARM_PRE_INDEX: return 1u << 24 | 1u << 21;
	case ARM_POST_INDEX: return 0;
	default: return 1u << 24;
	}
}

/* U (bit 23) and the magnitude of an offset; -0 is never made. */
static uint32_t offset_up(int32_t off, uint32_t *magnitude)
{
	*magnitude = off < 0 ? 0u - (uint32_t)off : (uint32_t)off;
	return off < 0 ? 0 : 1u << 23;
}

/* The enum's bit 0 is L, bit 1 is B (byte). */
static uint32_t ldst_fields(enum arm_ldst op, enum arm_reg rt, enum arm_reg rn,
			    enum arm_index index)
{
	return index_bits(index) | (uint32_t)(op >> 1) << 22 |
	       (uint32_t)(op & 1) << 20 | (uint32_t)rn << 16 |
	       (uint32_t)rt << 12;
}

bool arm_ldst_imm(struct jit_buf *b, enum arm_cond cond, enum arm_ldst op,
		  enum arm_reg rt, enum arm_reg rn, int32_t off,
		  enum arm_index index)
{
	uint32_t magnitude, up = offset_up(off, &magnitude);

	if (magnitude > 4095)
		return false;
	arm_put(b, cond,
		0x04000000u | ldst_fields(op, rt, rn, index) | up | magnitude);
	return true;
}

bool arm_ldst_reg(struct jit_buf *b, enum arm_cond cond, enum arm_ldst op,
		  enum arm_reg rt, enum arm_reg rn, bool subtract,
		  enum arm_reg rm, enum arm_shift shift, unsigned amount,
		  enum arm_index index)
{
	uint32_t field;

	if (!arm_shift_field(shift, amount, &field))
		return false;
	arm_put(b, cond,
		0x06000000u | ldst_fields(op, rt, rn, index) |
			(uint32_t)!subtract << 23 | field | rm);
	return true;
}

/* L (bit 20) and op2 (bits 6..5) of each extra load/store: the
 * doubleword forms sit in the store half (L = 0) of the space. */
static uint32_t misc_fields(enum arm_ldst_misc op, enum arm_reg rt,
			    enum arm_reg rn, enum arm_index index)
{
	static const uint8_t l_op2[] = {
		[ARM_STRH] = 0x01,  [ARM_LDRH] = 0x11, [ARM_LDRSB] = 0x12,
		[ARM_LDRSH] = 0x13, [ARM_LDRD] = 0x02, [ARM_STRD] = 0x03,
	};
	uint32_t bits = l_op2[op];

	return index_bits(index) | (bits >> 4) << 20 | (uint32_t)rn << 16 |
	       (uint32_t)rt << 12 | 0x90u | (bits & 3) << 5;
}

bool arm_ldst_misc_imm(struct jit_buf *b, enum arm_cond cond,
		       enum arm_ldst_misc op, enum arm_reg rt, enum arm_reg rn,
		       int32_t off, enum arm_index index)
{
	uint32_t magnitude, up = offset_up(off, &magnitude);

	if (magnitude > 255)
		return false;
	arm_put(b, cond,
		1u << 22 | misc_fields(op, rt, rn, index) | up |
			(magnitude >> 4) << 8 | (magnitude & 0xf));
	return true;
}

void arm_ldst_misc_reg(struct jit_buf *b, enum arm_cond cond,
		       enum arm_ldst_misc op, enum arm_reg rt, enum arm_reg rn,
		       bool subtract, enum arm_reg rm, enum arm_index index)
{
	arm_put(b, cond,
		misc_fields(op, rt, rn, index) | (uint32_t)!subtract << 23 |
			rm);
}

/* The enum's bit 1 is P (before), bit 0 is U (up). */
static bool block(struct jit_buf *b, enum arm_cond cond, uint32_t load,
		  enum arm_block mode, enum arm_reg rn, bool writeback,
		  uint16_t regs)
{
	if (regs == 0)
		return false;
	arm_put(b, cond,
		0x08000000u | (uint32_t)(mode >> 1) << 24 |
			(uint32_t)(mode & 1) << 23 | (uint32_t)writeback << 21 |
			load << 20 | (uint32_t)rn << 16 | regs);
	return true;
}

bool arm_ldm(struct jit_buf *b, enum arm_cond cond, enum arm_block mode,
	     enum arm_reg rn, bool writeback, uint16_t regs)
{
	return block(b, cond, 1, mode, rn, writeback, regs);
}

bool arm_stm(struct jit_buf *b, enum arm_cond cond, enum arm_block mode,
	     enum arm_reg rn, bool writeback, uint16_t regs)
{
	return block(b, cond, 0, mode, rn, writeback, regs);
}

/* The register of a one-register list, or -1. */
static int only_register(uint16_t regs)
{
	if (regs == 0 || (regs & (regs - 1)))
		return -1;
	return __builtin_ctz(regs);
}

/* The manual's PUSH and POP have two encodings: STMDB/LDMIA sp! for
 * two or more registers, and for one register the single-register
 * STR/LDR with writeback, which is what they are assembled to. */
bool arm_push(struct jit_buf *b, enum arm_cond cond, uint16_t regs)
{
	int r = only_register(regs);

	if (r >= 0)
		return arm_ldst_imm(b, cond, ARM_STR, (enum arm_reg)r, ARM_SP,
				    -4, ARM_PRE_INDEX);
	return arm_stm(b, cond, ARM_DB, ARM_SP, true, regs);
}

bool arm_pop(struct jit_buf *b, enum arm_cond cond, uint16_t regs)
{
	int r = only_register(regs);

	if (r >= 0)
		return arm_ldst_imm(b, cond, ARM_LDR, (enum arm_reg)r, ARM_SP,
				    4, ARM_POST_INDEX);
	return arm_ldm(b, cond, ARM_IA, ARM_SP, true, regs);
}
