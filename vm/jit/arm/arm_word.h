/*
 * vm/jit/arm/arm_word.h: private to the encoder's files: writing one
 * A32 instruction word with its condition field.
 */
#ifndef VM_JIT_ARM_WORD_H
#define VM_JIT_ARM_WORD_H

#include "arm_encode.h"

/* The condition field of instructions that have none (the 1111 space:
 * barriers, CLREX) or must be AL (UDF, BKPT). */
#define ARM_UNCOND 0xfu

static inline void arm_put(struct jit_buf *b, unsigned cond, uint32_t bits)
{
	jit_put32(b, (uint32_t)cond << 28 | bits);
}

/* The shift field (type, imm5) of a register shifted by an immediate,
 * bits 11..5; false for an amount the shift cannot take. */
bool arm_shift_field(enum arm_shift shift, unsigned amount, uint32_t *field);

#endif
