/*
 * vm/jit/x86/x86_encode_flow.c: branches, calls, the stack, traps and the
 * atomics of the IA-32 encoder (Intel SDM vol. 2; contracts in
 * x86_encode.h).
 */
#include "x86_modrm.h"

/* ---- relative branches ---- */

/* The offset the displacement field is written at: the caller's handle
 * for patching it. */
static size_t put_rel8(struct jit_buf *b, int8_t rel)
{
	size_t field = jit_buf_offset(b);

	jit_put8(b, (uint8_t)rel);
	return field;
}

static size_t put_rel32(struct jit_buf *b, int32_t rel)
{
	size_t field = jit_buf_offset(b);

	jit_put32(b, (uint32_t)rel);
	return field;
}

size_t x86_jcc_rel8(struct jit_buf *b, enum x86_cond c, int8_t rel)
{
	x86_ok(b, (unsigned)c < 16);
	jit_put8(b, (uint8_t)(0x70 + c));
	return put_rel8(b, rel);
}

size_t x86_jcc_rel32(struct jit_buf *b, enum x86_cond c, int32_t rel)
{
	x86_ok(b, (unsigned)c < 16);
	jit_put8(b, 0x0F);
	jit_put8(b, (uint8_t)(0x80 + c));
	return put_rel32(b, rel);
}

size_t x86_jmp_rel8(struct jit_buf *b, int8_t rel)
{
	jit_put8(b, 0xEB);
	return put_rel8(b, rel);
}

size_t x86_jmp_rel32(struct jit_buf *b, int32_t rel)
{
	jit_put8(b, 0xE9);
	return put_rel32(b, rel);
}

size_t x86_call_rel32(struct jit_buf *b, int32_t rel)
{
	jit_put8(b, 0xE8);
	return put_rel32(b, rel);
}

/* The displacement counts from the end of the instruction, which is the
 * end of the field in every branch form above. */
void x86_patch_rel32(struct jit_buf *b, size_t field, size_t target)
{
	jit_patch32(b, field, (uint32_t)(target - (field + 4)));
}

bool x86_patch_rel8(struct jit_buf *b, size_t field, size_t target)
{
	int64_t rel = (int64_t)target - (int64_t)(field + 1);

	if (field >= jit_buf_offset(b) || rel < -128 || rel > 127)
		return false;
	b->start[field] = (uint8_t)rel;
	return true;
}

/* ---- indirect branches, calls, returns, the stack ---- */

/* FF /2 is call, FF /4 jmp, FF /6 push (near, absolute indirect). */
void x86_jmp_r(struct jit_buf *b, enum x86_reg r)
{
	x86_op_rr(b, 0xFF, 4, r);
}

void x86_jmp_m(struct jit_buf *b, struct x86_mem m)
{
	x86_op_mem(b, 0xFF, 4, m);
}

void x86_call_r(struct jit_buf *b, enum x86_reg r)
{
	x86_op_rr(b, 0xFF, 2, r);
}

void x86_call_m(struct jit_buf *b, struct x86_mem m)
{
	x86_op_mem(b, 0xFF, 2, m);
}

void x86_ret(struct jit_buf *b)
{
	jit_put8(b, 0xC3);
}

void x86_ret_i(struct jit_buf *b, uint16_t imm)
{
	jit_put8(b, 0xC2);
	jit_put16(b, imm);
}

void x86_push_r(struct jit_buf *b, enum x86_reg r)
{
	if (x86_ok(b, (unsigned)r < 8))
		jit_put8(b, (uint8_t)(0x50 + r));
}

void x86_push_i(struct jit_buf *b, int32_t imm)
{
	if (x86_fits8(imm)) {
		jit_put8(b, 0x6A);
		jit_put8(b, (uint8_t)imm);
	} else {
		jit_put8(b, 0x68);
		jit_put32(b, (uint32_t)imm);
	}
}

void x86_push_m(struct jit_buf *b, struct x86_mem m)
{
	x86_op_mem(b, 0xFF, 6, m);
}

void x86_pop_r(struct jit_buf *b, enum x86_reg r)
{
	if (x86_ok(b, (unsigned)r < 8))
		jit_put8(b, (uint8_t)(0x58 + r));
}

void x86_nop(struct jit_buf *b)
{
	jit_put8(b, 0x90);
}

void x86_ud2(struct jit_buf *b)
{
	jit_put8(b, 0x0F);
	jit_put8(b, 0x0B);
}

void x86_int3(struct jit_buf *b)
{
	jit_put8(b, 0xCC);
}

/* ---- atomics ---- */

static void locked(struct jit_buf *b, unsigned size, unsigned op8,
		   unsigned op32, enum x86_reg r, struct x86_mem m)
{
	jit_put8(b, 0xF0);
	x86_op_mem_sized(b, size, op8, op32, r, m);
}

void x86_lock_xadd_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r)
{
	locked(b, 4, 0x0FC0, 0x0FC1, r, m);
}

void x86_lock_xaddb_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r)
{
	locked(b, 1, 0x0FC0, 0x0FC1, r, m);
}

void x86_lock_xaddw_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r)
{
	locked(b, 2, 0x0FC0, 0x0FC1, r, m);
}

void x86_lock_cmpxchg_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r)
{
	locked(b, 4, 0x0FB0, 0x0FB1, r, m);
}

void x86_lock_cmpxchgb_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r)
{
	locked(b, 1, 0x0FB0, 0x0FB1, r, m);
}

void x86_lock_cmpxchgw_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r)
{
	locked(b, 2, 0x0FB0, 0x0FB1, r, m);
}

void x86_lock_cmpxchg8b_m(struct jit_buf *b, struct x86_mem m)
{
	jit_put8(b, 0xF0);
	x86_op0f_mem(b, 0xC7, 1, m);
}

void x86_mfence(struct jit_buf *b)
{
	jit_put8(b, 0x0F);
	jit_put8(b, 0xAE);
	jit_put8(b, 0xF0);
}
