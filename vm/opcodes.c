/*
 * vm/opcodes.c: facts about wasm 1.0 opcodes shared by the decoder,
 * validator and compiler: which exist, their immediates, and the operand
 * and result types of the numeric ones.
 */
#include "internal.h"

bool vm_op_known(uint8_t op)
{
	if (op <= 0x05 || (op >= 0x0b && op <= 0x11) || op == 0x1a ||
	    op == 0x1b || (op >= 0x20 && op <= 0x24) ||
	    (op >= 0x28 && op <= 0xbf))
		return true;
	return false;
}

void vm_skip_imm(struct vm_reader *r, uint8_t op)
{
	switch (op) {
	case 0x02:
	case 0x03:
	case 0x04:
	case 0x3f:
	case 0x40: vm_rd_u8(r); break;
	case 0x0c:
	case 0x0d:
	case 0x10:
	case 0x20:
	case 0x21:
	case 0x22:
	case 0x23:
	case 0x24: vm_rd_u32(r); break;
	case 0x0e: {
		uint32_t n = vm_rd_u32(r);
		for (uint64_t i = 0; i <= n && vm_rd_ok(r); i++)
			vm_rd_u32(r);
		break;
	}
	case 0x11:
		vm_rd_u32(r);
		vm_rd_u8(r);
		break;
	case 0x41: vm_rd_sleb(r, 32); break;
	case 0x42: vm_rd_sleb(r, 64); break;
	case 0x43: vm_rd_fixed32(r); break;
	case 0x44: vm_rd_fixed64(r); break;
	default:
		if (op >= 0x28 && op <= 0x3e) {
			vm_rd_u32(r);
			vm_rd_u32(r);
		}
		break;
	}
}

/*
 * Operand types a, b (b = 0 for unary) and result type r of numeric opcode
 * 0x45..0xbf. Returns false for other opcodes.
 */
bool vm_numeric_sig(uint8_t op, uint8_t *a, uint8_t *b, uint8_t *r)
{
	const uint8_t I32 = VM_I32, I64 = VM_I64, F32 = VM_F32, F64 = VM_F64;
	uint8_t x = 0, y = 0, z = 0;
	if (op == 0x45)
		x = I32, z = I32;
	else if (op <= 0x4f && op >= 0x46)
		x = y = I32, z = I32;
	else if (op == 0x50)
		x = I64, z = I32;
	else if (op >= 0x51 && op <= 0x5a)
		x = y = I64, z = I32;
	else if (op >= 0x5b && op <= 0x60)
		x = y = F32, z = I32;
	else if (op >= 0x61 && op <= 0x66)
		x = y = F64, z = I32;
	else if (op >= 0x67 && op <= 0x69)
		x = z = I32;
	else if (op >= 0x6a && op <= 0x78)
		x = y = z = I32;
	else if (op >= 0x79 && op <= 0x7b)
		x = z = I64;
	else if (op >= 0x7c && op <= 0x8a)
		x = y = z = I64;
	else if (op >= 0x8b && op <= 0x91)
		x = z = F32;
	else if (op >= 0x92 && op <= 0x98)
		x = y = z = F32;
	else if (op >= 0x99 && op <= 0x9f)
		x = z = F64;
	else if (op >= 0xa0 && op <= 0xa6)
		x = y = z = F64;
	else {
		static const uint8_t conv[][2] = {
			/* a7 */ {VM_I64, VM_I32}, {VM_F32, VM_I32},
			{VM_F32, VM_I32},	   {VM_F64, VM_I32},
			{VM_F64, VM_I32},
			/* ac */ {VM_I32, VM_I64}, {VM_I32, VM_I64},
			{VM_F32, VM_I64},	   {VM_F32, VM_I64},
			{VM_F64, VM_I64},	   {VM_F64, VM_I64},
			/* b2 */ {VM_I32, VM_F32}, {VM_I32, VM_F32},
			{VM_I64, VM_F32},	   {VM_I64, VM_F32},
			{VM_F64, VM_F32},
			/* b7 */ {VM_I32, VM_F64}, {VM_I32, VM_F64},
			{VM_I64, VM_F64},	   {VM_I64, VM_F64},
			{VM_F32, VM_F64},
			/* bc */ {VM_F32, VM_I32}, {VM_F64, VM_I64},
			{VM_I32, VM_F32},	   {VM_I64, VM_F64},
		};
		if (op < 0xa7 || op > 0xbf)
			return false;
		x = conv[op - 0xa7][0];
		z = conv[op - 0xa7][1];
	}
	*a = x;
	*b = y;
	*r = z;
	return true;
}

bool vm_functype_eq(const struct vm_functype *a, const struct vm_functype *b)
{
	if (a == b)
		return true;
	if (a->nparams != b->nparams || a->nresults != b->nresults)
		return false;
	return (!a->nparams || !memcmp(a->params, b->params, a->nparams)) &&
	       (!a->nresults || !memcmp(a->results, b->results, a->nresults));
}
