/*
 * vm/jit/x86/x86_modrm.h: the operand bytes every x86 form shares (ModRM,
 * SIB, displacement), private to the encoder's files.
 */
#ifndef VM_JIT_X86_MODRM_H
#define VM_JIT_X86_MODRM_H

#include "x86_encode.h"

/* Mark the buffer unusable: an operand the ISA cannot encode (see
 * x86_encode.h). */
void x86_reject(struct jit_buf *b);
/* Returns `valid`, rejecting if false: for an operand outside its enum
 * (a register above 7, an unknown condition or group digit), which the
 * bare arithmetic on opcodes would turn into another instruction. */
bool x86_ok(struct jit_buf *b, bool valid);
/* True if r can be a byte operand (AL, CL, DL, BL); rejects otherwise. */
bool x86_byte_reg_ok(struct jit_buf *b, unsigned r);
/* ModRM with mod=11: `reg` in the reg field (a register or a /digit),
 * `rm` the register operand. */
void x86_modrm_rr(struct jit_buf *b, unsigned reg, unsigned rm);
/* ModRM (+ SIB, + displacement) for the memory operand m. */
void x86_modrm_mem(struct jit_buf *b, unsigned reg, struct x86_mem m);
/* One-byte opcode op with register `rm`, ModRM reg field `reg`. */
void x86_op_rr(struct jit_buf *b, uint8_t op, unsigned reg, unsigned rm);
/* One-byte opcode op with memory operand m, ModRM reg field `reg`. */
void x86_op_mem(struct jit_buf *b, uint8_t op, unsigned reg, struct x86_mem m);
/* 0F op, with register `rm` / memory m. */
void x86_op0f_rr(struct jit_buf *b, uint8_t op, unsigned reg, unsigned rm);
void x86_op0f_mem(struct jit_buf *b, uint8_t op, unsigned reg,
		  struct x86_mem m);

/* A form with byte, word and dword widths (size 1, 2, 4) and memory
 * operand m: op8 for bytes, op32 for the others behind the operand-size
 * prefix 66 for words; an opcode above 0xFF is 0F and its low byte. A
 * byte `reg` must be AL..BL (else rejected). */
void x86_op_mem_sized(struct jit_buf *b, unsigned size, unsigned op8,
		      unsigned op32, unsigned reg, struct x86_mem m);

static inline bool x86_fits8(int32_t v)
{
	return v >= -128 && v <= 127;
}

#endif
