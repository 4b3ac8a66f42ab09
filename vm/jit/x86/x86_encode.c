/*
 * vm/jit/x86/x86_encode.c: the integer forms of the IA-32 encoder (moves,
 * ALU, multiply/divide, shifts, flags to registers). Opcodes from the
 * Intel SDM vol. 2; contracts in x86_encode.h.
 */
#include "x86_modrm.h"

/* ---- moves ---- */

void x86_mov_rr(struct jit_buf *b, enum x86_reg dst, enum x86_reg src)
{
	x86_op_rr(b, 0x89, src, dst);
}

void x86_mov_ri(struct jit_buf *b, enum x86_reg dst, uint32_t imm)
{
	if (!x86_ok(b, (unsigned)dst < 8))
		return;
	jit_put8(b, (uint8_t)(0xB8 + dst));
	jit_put32(b, imm);
}

void x86_mov_rm(struct jit_buf *b, enum x86_reg dst, struct x86_mem m)
{
	x86_op_mem(b, 0x8B, dst, m);
}

void x86_mov_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg src)
{
	x86_op_mem(b, 0x89, src, m);
}

void x86_mov_mi(struct jit_buf *b, struct x86_mem m, uint32_t imm)
{
	x86_op_mem(b, 0xC7, 0, m);
	jit_put32(b, imm);
}

void x86_movb_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg src)
{
	x86_op_mem_sized(b, 1, 0x88, 0x89, src, m);
}

void x86_movw_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg src)
{
	x86_op_mem_sized(b, 2, 0x88, 0x89, src, m);
}

void x86_movb_mi(struct jit_buf *b, struct x86_mem m, uint8_t imm)
{
	x86_op_mem(b, 0xC6, 0, m);
	jit_put8(b, imm);
}

void x86_movw_mi(struct jit_buf *b, struct x86_mem m, uint16_t imm)
{
	jit_put8(b, 0x66);
	x86_op_mem(b, 0xC7, 0, m);
	jit_put16(b, imm);
}

static bool ext_ok(enum x86_ext op)
{
	return op == X86_MOVZX8 || op == X86_MOVZX16 || op == X86_MOVSX8 ||
	       op == X86_MOVSX16;
}

void x86_movx_rr(struct jit_buf *b, enum x86_ext op, enum x86_reg dst,
		 enum x86_reg src)
{
	bool byte = op == X86_MOVZX8 || op == X86_MOVSX8;

	if (x86_ok(b, ext_ok(op)) && (!byte || x86_byte_reg_ok(b, src)))
		x86_op0f_rr(b, (uint8_t)op, dst, src);
}

void x86_movx_rm(struct jit_buf *b, enum x86_ext op, enum x86_reg dst,
		 struct x86_mem m)
{
	if (x86_ok(b, ext_ok(op)))
		x86_op0f_mem(b, (uint8_t)op, dst, m);
}

void x86_lea_rm(struct jit_buf *b, enum x86_reg dst, struct x86_mem m)
{
	x86_op_mem(b, 0x8D, dst, m);
}

/* xchg has byte (86), word and dword (87) forms, as do xadd (0F C0/C1)
 * and cmpxchg (0F B0/B1). */
void x86_xchg_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r)
{
	x86_op_mem_sized(b, 4, 0x86, 0x87, r, m);
}

void x86_xchgb_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r)
{
	x86_op_mem_sized(b, 1, 0x86, 0x87, r, m);
}

void x86_xchgw_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r)
{
	x86_op_mem_sized(b, 2, 0x86, 0x87, r, m);
}

/* ---- the ALU group ---- */

/* Each ALU op has the one-byte opcodes op*8 + 1 (r/m32, r32), op*8 + 3
 * (r32, r/m32) and op*8 + 5 (EAX, imm32); 81 /op (imm32) and 83 /op
 * (imm8 sign-extended) take an immediate. */
void x86_alu_rr(struct jit_buf *b, enum x86_alu op, enum x86_reg dst,
		enum x86_reg src)
{
	if (x86_ok(b, (unsigned)op <= X86_CMP))
		x86_op_rr(b, (uint8_t)(op * 8 + 1), src, dst);
}

void x86_alu_ri(struct jit_buf *b, enum x86_alu op, enum x86_reg dst,
		int32_t imm)
{
	if (!x86_ok(b, (unsigned)op <= X86_CMP))
		return;
	if (x86_fits8(imm)) {
		x86_op_rr(b, 0x83, op, dst);
		jit_put8(b, (uint8_t)imm);
		return;
	}
	if (dst == X86_EAX)
		jit_put8(b, (uint8_t)(op * 8 + 5));
	else
		x86_op_rr(b, 0x81, op, dst);
	jit_put32(b, (uint32_t)imm);
}

void x86_alu_rm(struct jit_buf *b, enum x86_alu op, enum x86_reg dst,
		struct x86_mem m)
{
	if (x86_ok(b, (unsigned)op <= X86_CMP))
		x86_op_mem(b, (uint8_t)(op * 8 + 3), dst, m);
}

void x86_alu_mr(struct jit_buf *b, enum x86_alu op, struct x86_mem m,
		enum x86_reg src)
{
	if (x86_ok(b, (unsigned)op <= X86_CMP))
		x86_op_mem(b, (uint8_t)(op * 8 + 1), src, m);
}

void x86_alu_mi(struct jit_buf *b, enum x86_alu op, struct x86_mem m,
		int32_t imm)
{
	if (!x86_ok(b, (unsigned)op <= X86_CMP))
		return;
	if (x86_fits8(imm)) {
		x86_op_mem(b, 0x83, op, m);
		jit_put8(b, (uint8_t)imm);
	} else {
		x86_op_mem(b, 0x81, op, m);
		jit_put32(b, (uint32_t)imm);
	}
}

/* LOCK is defined for the read-modify-write forms only; CMP does not
 * write, so `lock cmp` would raise #UD. */
void x86_lock_alu_mr(struct jit_buf *b, enum x86_alu op, struct x86_mem m,
		     enum x86_reg src)
{
	if (!x86_ok(b, (unsigned)op < X86_CMP))
		return;
	jit_put8(b, 0xF0);
	x86_alu_mr(b, op, m, src);
}

/* ---- test, multiply, divide ---- */

void x86_test_rr(struct jit_buf *b, enum x86_reg a, enum x86_reg c)
{
	x86_op_rr(b, 0x85, c, a);
}

void x86_test_ri(struct jit_buf *b, enum x86_reg r, uint32_t imm)
{
	if (r == X86_EAX)
		jit_put8(b, 0xA9);
	else
		x86_op_rr(b, 0xF7, 0, r);
	jit_put32(b, imm);
}

void x86_imul_rr(struct jit_buf *b, enum x86_reg dst, enum x86_reg src)
{
	x86_op0f_rr(b, 0xAF, dst, src);
}

void x86_imul_rm(struct jit_buf *b, enum x86_reg dst, struct x86_mem m)
{
	x86_op0f_mem(b, 0xAF, dst, m);
}

void x86_imul_rri(struct jit_buf *b, enum x86_reg dst, enum x86_reg src,
		  int32_t imm)
{
	if (x86_fits8(imm)) {
		x86_op_rr(b, 0x6B, dst, src);
		jit_put8(b, (uint8_t)imm);
	} else {
		x86_op_rr(b, 0x69, dst, src);
		jit_put32(b, (uint32_t)imm);
	}
}

void x86_unary_r(struct jit_buf *b, enum x86_unary op, enum x86_reg r)
{
	if (x86_ok(b, op >= X86_NOT && op <= X86_IDIV))
		x86_op_rr(b, 0xF7, op, r);
}

void x86_unary_m(struct jit_buf *b, enum x86_unary op, struct x86_mem m)
{
	if (x86_ok(b, op >= X86_NOT && op <= X86_IDIV))
		x86_op_mem(b, 0xF7, op, m);
}

void x86_cdq(struct jit_buf *b)
{
	jit_put8(b, 0x99);
}

/* ---- shifts ---- */

/* Digits 2, 3 and 6 are RCL, RCR and an undocumented SHL alias. */
static bool shift_ok(enum x86_shift op)
{
	return op == X86_ROL || op == X86_ROR || op == X86_SHL ||
	       op == X86_SHR || op == X86_SAR;
}

void x86_shift_rcl(struct jit_buf *b, enum x86_shift op, enum x86_reg r)
{
	if (x86_ok(b, shift_ok(op)))
		x86_op_rr(b, 0xD3, op, r);
}

void x86_shift_ri(struct jit_buf *b, enum x86_shift op, enum x86_reg r,
		  unsigned count)
{
	count &= 31;
	if (!x86_ok(b, shift_ok(op)))
		return;
	if (count == 1) {
		x86_op_rr(b, 0xD1, op, r);
		return;
	}
	x86_op_rr(b, 0xC1, op, r);
	jit_put8(b, (uint8_t)count);
}

void x86_shld_rrcl(struct jit_buf *b, enum x86_reg dst, enum x86_reg src)
{
	x86_op0f_rr(b, 0xA5, src, dst);
}

void x86_shrd_rrcl(struct jit_buf *b, enum x86_reg dst, enum x86_reg src)
{
	x86_op0f_rr(b, 0xAD, src, dst);
}

void x86_shld_rri(struct jit_buf *b, enum x86_reg dst, enum x86_reg src,
		  unsigned count)
{
	x86_op0f_rr(b, 0xA4, src, dst);
	jit_put8(b, (uint8_t)(count & 31));
}

void x86_shrd_rri(struct jit_buf *b, enum x86_reg dst, enum x86_reg src,
		  unsigned count)
{
	x86_op0f_rr(b, 0xAC, src, dst);
	jit_put8(b, (uint8_t)(count & 31));
}

/* ---- flags to registers, bit scans ---- */

void x86_setcc_r(struct jit_buf *b, enum x86_cond c, enum x86_reg r)
{
	if (x86_ok(b, (unsigned)c < 16) && x86_byte_reg_ok(b, r))
		x86_op0f_rr(b, (uint8_t)(0x90 + c), 0, r);
}

void x86_cmov_rr(struct jit_buf *b, enum x86_cond c, enum x86_reg dst,
		 enum x86_reg src)
{
	if (x86_ok(b, (unsigned)c < 16))
		x86_op0f_rr(b, (uint8_t)(0x40 + c), dst, src);
}

void x86_bsr_rr(struct jit_buf *b, enum x86_reg dst, enum x86_reg src)
{
	x86_op0f_rr(b, 0xBD, dst, src);
}

void x86_bsf_rr(struct jit_buf *b, enum x86_reg dst, enum x86_reg src)
{
	x86_op0f_rr(b, 0xBC, dst, src);
}
