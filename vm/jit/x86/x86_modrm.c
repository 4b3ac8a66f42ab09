/*
 * vm/jit/x86/x86_modrm.c: ModRM, SIB and displacement bytes (Intel SDM
 * vol. 2A, 2.1.5, tables 2-2 and 2-3, 32-bit addressing).
 */
#include "x86_modrm.h"

void x86_reject(struct jit_buf *b)
{
	b->full = true;
}

bool x86_ok(struct jit_buf *b, bool valid)
{
	if (!valid)
		x86_reject(b);
	return valid;
}

bool x86_byte_reg_ok(struct jit_buf *b, unsigned r)
{
	if (r <= X86_EBX)
		return true;
	x86_reject(b); /* 4..7 would name AH, CH, DH, BH */
	return false;
}

static void modrm(struct jit_buf *b, unsigned mod, unsigned reg, unsigned rm)
{
	if (x86_ok(b, reg < 8 && rm < 8))
		jit_put8(b, (uint8_t)(mod << 6 | (reg & 7) << 3 | (rm & 7)));
}

void x86_modrm_rr(struct jit_buf *b, unsigned reg, unsigned rm)
{
	modrm(b, 3, reg, rm);
}

static int scale_bits(unsigned scale)
{
	switch (scale) {
	case 1: return 0;
	case 2: return 1;
	case 4: return 2;
	case 8: return 3;
	default: return -1;
	}
}

/*
 * The rm field 100 means "a SIB byte follows", so ESP as a base needs a
 * SIB byte (index 100 = none); mod 00 with rm (or SIB base) 101 means
 * "disp32, no base", so EBP as a base with no displacement takes a disp8
 * of 0 instead.
 */
void x86_modrm_mem(struct jit_buf *b, unsigned reg, struct x86_mem m)
{
	int ss = m.has_index ? scale_bits(m.scale) : 0;

	if (ss < 0 || (m.has_index && m.index == X86_ESP) ||
	    (unsigned)m.base > 7 || (unsigned)m.index > 7) {
		x86_reject(b);
		return;
	}
	if (!m.has_base) {
		if (m.has_index) {
			modrm(b, 0, reg, 4);
			jit_put8(b, (uint8_t)(ss << 6 | m.index << 3 | 5));
		} else {
			modrm(b, 0, reg, 5);
		}
		jit_put32(b, (uint32_t)m.disp);
		return;
	}
	unsigned mod;
	if (m.disp == 0 && m.base != X86_EBP)
		mod = 0;
	else if (x86_fits8(m.disp))
		mod = 1;
	else
		mod = 2;
	if (m.has_index || m.base == X86_ESP) {
		unsigned index = m.has_index ? m.index : 4;
		modrm(b, mod, reg, 4);
		jit_put8(b, (uint8_t)(ss << 6 | index << 3 | m.base));
	} else {
		modrm(b, mod, reg, m.base);
	}
	if (mod == 1)
		jit_put8(b, (uint8_t)m.disp);
	else if (mod == 2)
		jit_put32(b, (uint32_t)m.disp);
}

void x86_op_rr(struct jit_buf *b, uint8_t op, unsigned reg, unsigned rm)
{
	jit_put8(b, op);
	x86_modrm_rr(b, reg, rm);
}

void x86_op_mem(struct jit_buf *b, uint8_t op, unsigned reg, struct x86_mem m)
{
	jit_put8(b, op);
	x86_modrm_mem(b, reg, m);
}

void x86_op0f_rr(struct jit_buf *b, uint8_t op, unsigned reg, unsigned rm)
{
	jit_put8(b, 0x0F);
	x86_op_rr(b, op, reg, rm);
}

void x86_op0f_mem(struct jit_buf *b, uint8_t op, unsigned reg, struct x86_mem m)
{
	jit_put8(b, 0x0F);
	x86_op_mem(b, op, reg, m);
}

void x86_op_mem_sized(struct jit_buf *b, unsigned size, unsigned op8,
		      unsigned op32, unsigned reg, struct x86_mem m)
{
	unsigned op = size == 1 ? op8 : op32;

	if (size == 1 && !x86_byte_reg_ok(b, reg))
		return;
	if (size == 2)
		jit_put8(b, 0x66);
	if (op > 0xFF)
		jit_put8(b, 0x0F);
	x86_op_mem(b, (uint8_t)op, reg, m);
}
