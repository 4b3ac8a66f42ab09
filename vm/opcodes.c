/*
 * vm/opcodes.c: facts about wasm opcodes shared by the decoder,
 * validator and compiler: which exist, their immediates, and the operand
 * and result types of the numeric ones.
 */
#include "internal.h"
#include "simd_vm.h"

bool vm_op_known(uint8_t op, uint32_t features)
{
	if (op <= 0x05 || (op >= 0x0b && op <= 0x11) || op == 0x1a ||
	    op == 0x1b || (op >= 0x20 && op <= 0x24) ||
	    (op >= 0x28 && op <= 0xbf))
		return true;
	if (op == 0x1c || op == 0x25 || op == 0x26 ||
	    (op >= 0xd0 && op <= 0xd2))
		return (features & VM_FEATURE_REFERENCE_TYPES) != 0;
	if (op == 0xfd)
		return (features & VM_FEATURE_SIMD) != 0;
	return op >= 0xc0 && op <= 0xc4 && (features & VM_FEATURE_SIGN_EXT);
}

bool vm_rd_blocktype(struct vm_reader *r, const struct vm_module *m,
		     struct vm_blocktype *bt)
{
	static const uint8_t one[5] = {VM_V128, VM_F64, VM_F32, VM_I64, VM_I32};
	static const uint8_t ref[2] = {VM_EXTERNREF, VM_FUNCREF};
	memset(bt, 0, sizeof(*bt));
	if (r->p < r->end &&
	    (*r->p == 0x40 || (*r->p >= VM_F64 && *r->p <= VM_I32) ||
	     (*r->p == VM_V128 && vm_has(m, VM_FEATURE_SIMD)))) {
		uint8_t b = *r->p++;
		if (b != 0x40) {
			bt->nresults = 1;
			bt->results = &one[b - VM_V128];
		}
		return true;
	}
	if (r->p < r->end && vm_is_ref(*r->p) &&
	    vm_has(m, VM_FEATURE_REFERENCE_TYPES)) {
		bt->nresults = 1;
		bt->results = &ref[*r->p++ - VM_EXTERNREF];
		return true;
	}
	if (!vm_has(m, VM_FEATURE_MULTI_VALUE)) {
		vm_rd_u8(r);
		if (vm_rd_ok(r))
			vm_rd_fail(r, "integer representation too long");
		return true;
	}
	/* s33: a value type byte reads as negative, an index as >= 0 */
	int64_t x = vm_rd_sleb(r, 33);
	if (!vm_rd_ok(r))
		return true;
	if (x < 0) {
		vm_rd_fail(r, "malformed value type");
		return true;
	}
	if (x >= m->ntypes)
		return false;
	const struct vm_functype *t = &m->types[x];
	bt->nparams = t->nparams;
	bt->params = t->params;
	bt->nresults = t->nresults;
	bt->results = t->results;
	return true;
}

void vm_skip_imm(struct vm_reader *r, uint8_t op)
{
	switch (op) {
	case 0x02:
	case 0x03:
	case 0x04: vm_rd_sleb(r, 33); break; /* a block type */
	case 0x3f:
	case 0x40: vm_rd_u8(r); break;
	case 0x0c:
	case 0x0d:
	case 0x10:
	case 0x25:
	case 0x26:
	case 0xd2:
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
	case 0x11: /* the table index: a zero byte in 1.0, a LEB in 2.0 */
		vm_rd_u32(r);
		vm_rd_u32(r);
		break;
	case 0x1c: {
		uint32_t n = vm_rd_u32(r);
		for (uint64_t i = 0; i < n && vm_rd_ok(r); i++)
			vm_rd_u8(r);
		break;
	}
	case 0xd0: vm_rd_u8(r); break;
	case 0x41: vm_rd_sleb(r, 32); break;
	case 0x42: vm_rd_sleb(r, 64); break;
	case 0x43: vm_rd_fixed32(r); break;
	case 0x44: vm_rd_fixed64(r); break;
	case 0xfc: {
		/* memory.init x 0, data.drop x, memory.copy 0 0, memory.fill 0;
		 * table.init e t, elem.drop e, table.copy d s, table.grow/
		 * size/fill t */
		uint32_t sub = vm_rd_u32(r);
		if (sub == 8 || sub == 9)
			vm_rd_u32(r);
		if (sub == 8 || sub == 10 || sub == 11)
			vm_rd_u8(r);
		if (sub == 10)
			vm_rd_u8(r);
		if (sub >= 12 && sub <= 17)
			vm_rd_u32(r);
		if (sub == 12 || sub == 14)
			vm_rd_u32(r);
		break;
	}
	case 0xfd: {
		struct vm_simd_insn in;
		vm_simd_read(r, &in);
		break;
	}
	case 0xfe:
		if (vm_rd_u32(r) == 0x03) {
			vm_rd_u8(r);
		} else {
			vm_rd_u32(r);
			vm_rd_u32(r);
		}
		break;
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
 * 0x45..0xc4 (0xc0..0xc4: sign extension). Returns false for other
 * opcodes.
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
	else if (op == 0xc0 || op == 0xc1)
		x = z = I32;
	else if (op >= 0xc2 && op <= 0xc4)
		x = z = I64;
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

/*
 * Threads proposal, prefix 0xfe: the natural alignment (log2), the operand
 * types after the i32 address (0: none) and the result type (0: none) of
 * sub-opcode `sub`; false for atomic.fence (0x03, no memarg) and unknown
 * ones. 0x10..0x4e run in groups of 7 widths (i32, i64, i32 8, i32 16,
 * i64 8, i64 16, i64 32): load, store, add, sub, and, or, xor, xchg,
 * cmpxchg.
 */
bool vm_atomic_sig(uint32_t sub, struct vm_atomic_sig *s)
{
	static const uint8_t align[7] = {2, 3, 0, 1, 0, 1, 2};
	s->a = s->b = s->r = 0;
	switch (sub) {
	case 0x00: s->align = 2, s->a = VM_I32, s->r = VM_I32; return true;
	case 0x01:
		s->align = 2, s->a = VM_I32, s->b = VM_I64, s->r = VM_I32;
		return true;
	case 0x02:
		s->align = 3, s->a = VM_I64, s->b = VM_I64, s->r = VM_I32;
		return true;
	}
	if (sub < 0x10 || sub > 0x4e)
		return false;
	uint32_t k = (sub - 0x10) % 7, g = (sub - 0x10) / 7;
	uint8_t t = k == 0 || k == 2 || k == 3 ? VM_I32 : VM_I64;
	s->align = align[k];
	if (g != 0)
		s->a = t;
	if (g == 8)
		s->b = t;
	if (g != 1)
		s->r = t;
	return true;
}

/*
 * Prefix 0xfc sub-opcodes 0..7 (non-trapping float-to-int): the trapping
 * conversion with the same operand and result types, or 0 for others.
 */
uint8_t vm_sat_trunc_op(uint32_t sub)
{
	static const uint8_t op[8] = {0xa8, 0xa9, 0xaa, 0xab,
				      0xae, 0xaf, 0xb0, 0xb1};
	return sub < 8 ? op[sub] : 0;
}
