/*
 * The ARM encoder's branches, exclusive accesses, barriers and traps
 * (arm_encode.h; ARM ARM ARMv7-A/R A5.5 "Branch, branch with link",
 * A5.2.10 "Synchronization primitives", A5.7 "Unconditional
 * instructions").
 */
#include "arm_encode.h"
#include "arm_word.h"

/* A branch's imm24 counts words from the PC, which reads as the
 * branch's own address + 8. */
static uint32_t branch_field(int32_t rel)
{
	return (uint32_t)((rel - 8) >> 2) & 0x00ffffffu;
}

static bool branch_reaches(int64_t rel)
{
	return rel % 4 == 0 && rel - 8 >= -(1 << 25) && rel - 8 < (1 << 25);
}

static size_t branch(struct jit_buf *b, enum arm_cond cond, uint32_t opcode,
		     int32_t rel)
{
	size_t at = jit_buf_offset(b);

	if (!branch_reaches(rel))
		return ARM_NO_BRANCH;
	arm_put(b, cond, opcode | branch_field(rel));
	return at;
}

size_t arm_b(struct jit_buf *b, enum arm_cond cond, int32_t rel)
{
	return branch(b, cond, 0x0a000000u, rel);
}

size_t arm_bl(struct jit_buf *b, enum arm_cond cond, int32_t rel)
{
	return branch(b, cond, 0x0b000000u, rel);
}

bool arm_branch_patch(struct jit_buf *b, size_t at, size_t target)
{
	int64_t rel = (int64_t)target - (int64_t)at;
	uint32_t word = 0;

	if (at + 4 > jit_buf_offset(b) || !branch_reaches(rel))
		return false;
	for (unsigned i = 0; i < 4; i++)
		word |= (uint32_t)b->start[at + i] << (8 * i);
	if ((word & 0x0e000000u) != 0x0a000000u)
		return false;
	jit_patch32(b, at, (word & 0xff000000u) | branch_field((int32_t)rel));
	return true;
}

void arm_bx(struct jit_buf *b, enum arm_cond cond, enum arm_reg rm)
{
	arm_put(b, cond, 0x012fff10u | rm);
}

void arm_blx(struct jit_buf *b, enum arm_cond cond, enum arm_reg rm)
{
	arm_put(b, cond, 0x012fff30u | rm);
}

/* The exclusives' size is bits 22..21 (the enum's numbering); the
 * unused register fields are the manual's (1) bits. */
void arm_ldrex(struct jit_buf *b, enum arm_cond cond, enum arm_excl size,
	       enum arm_reg rt, enum arm_reg rn)
{
	arm_put(b, cond,
		0x01900f9fu | (uint32_t)size << 21 | (uint32_t)rn << 16 |
			(uint32_t)rt << 12);
}

void arm_strex(struct jit_buf *b, enum arm_cond cond, enum arm_excl size,
	       enum arm_reg rd, enum arm_reg rt, enum arm_reg rn)
{
	arm_put(b, cond,
		0x01800f90u | (uint32_t)size << 21 | (uint32_t)rn << 16 |
			(uint32_t)rd << 12 | rt);
}

void arm_clrex(struct jit_buf *b)
{
	arm_put(b, ARM_UNCOND, 0x057ff01fu);
}

void arm_dmb(struct jit_buf *b, enum arm_barrier option)
{
	arm_put(b, ARM_UNCOND, 0x057ff050u | option);
}

void arm_dsb(struct jit_buf *b, enum arm_barrier option)
{
	arm_put(b, ARM_UNCOND, 0x057ff040u | option);
}

void arm_isb(struct jit_buf *b)
{
	arm_put(b, ARM_UNCOND, 0x057ff06fu);
}

/* UDF and BKPT split their 16-bit immediate as imm12:imm4 and must be
 * unconditional (the condition field is AL). */
static uint32_t imm12_4(uint16_t imm)
{
	return (uint32_t)(imm >> 4) << 8 | (imm & 0xfu);
}

void arm_udf(struct jit_buf *b, uint16_t imm)
{
	arm_put(b, ARM_AL, 0x07f000f0u | imm12_4(imm));
}

void arm_bkpt(struct jit_buf *b, uint16_t imm)
{
	arm_put(b, ARM_AL, 0x01200070u | imm12_4(imm));
}

void arm_nop(struct jit_buf *b, enum arm_cond cond)
{
	arm_put(b, cond, 0x0320f000u);
}
