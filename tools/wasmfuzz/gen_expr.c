/*
 * tools/wasmfuzz/gen_expr.c: expressions for gen_code.c: cg_expr(c, t)
 * writes instructions that leave exactly one value of type t on the stack,
 * chosen by the recipe among constants, locals, globals, the operators of
 * t (with operands of their own types, recursively), loads, select,
 * blocks and ifs with results, multi-value blocks and loops, calls and
 * call_indirect (extra results dropped), table and SIMD instructions.
 * Depth and an instruction budget bound the recursion; past them an
 * expression is a constant.
 */
#include "gen_code_internal.h"

const uint8_t cg_vt[NVT] = {I32, I64, F32, F64, V128, FUNCREF, EXTERNREF};

/* Floats worth having: zeros, NaNs (quiet, signalling, negative),
 * infinities, denormals, the edges of the integer conversions. */
static const uint32_t f32s[] = {
	0x00000000, 0x80000000, 0x7fc00000, 0xffc00000, 0x7fa00000,
	0x7f800000, 0xff800000, 0x00000001, 0x3f800000, 0x4f000000,
	0xcf000000, 0x5f000000, 0x3effffff, 0x4f800000,
};
static const uint64_t f64s[] = {
	0x0000000000000000, 0x8000000000000000, 0x7ff8000000000000,
	0xfff8000000000000, 0x7ff4000000000000, 0x7ff0000000000000,
	0xfff0000000000000, 0x0000000000000001, 0x3ff0000000000000,
	0x41e0000000000000, 0xc1e0000000000000, 0x43e0000000000000,
	0x41efffffffe00000, 0x3fdfffffffffffff,
};
static const uint32_t i32s[] = {0,    1,    0xffffffff, 0x80000000, 0x7fffffff,
				0x80, 0xff, 0x8000,	0xffff,	    0xfffffff0,
				16,   31,   32,		64,	    65536};

static uint64_t take64(struct cg *c)
{
	return (uint64_t)take32(&c->g) << 32 | take32(&c->g);
}

void cg_const(struct cg *c, uint8_t t)
{
	struct gen *g = &c->g;
	bool pick = take(g, 2);
	switch (t) {
	case I32: i32c(g, pick ? i32s[take(g, N(i32s))] : take32(g)); return;
	case I64:
		i64c(g, pick ? (int64_t)(int32_t)i32s[take(g, N(i32s))]
			     : (int64_t)take64(c));
		return;
	case F32: {
		uint32_t v = pick ? f32s[take(g, N(f32s))] : take32(g);
		op(g, 0x43);
		wb_bytes(g->b, &v, 4);
		return;
	}
	case F64: {
		uint64_t v = pick ? f64s[take(g, N(f64s))] : take64(c);
		op(g, 0x44);
		wb_bytes(g->b, &v, 8);
		return;
	}
	case V128:
		op_idx(g, 0xfd, 0x0c);
		for (int i = 0; i < 4; i++) {
			uint32_t v = pick ? f32s[take(g, N(f32s))] : take32(g);
			wb_bytes(g->b, &v, 4);
		}
		return;
	case FUNCREF:
		if (take(g, 2)) {
			op_idx(g, 0xd2, take(g, NFUNCS)); /* ref.func */
			return;
		}
		/* fall through */
	default:
		op(g, 0xd0); /* ref.null */
		op(g, t);
		return;
	}
}

uint8_t cg_any_type(struct cg *c)
{
	uint8_t t = cg_vt[take(&c->g, NVT)];
	return vt_ok(c, t) ? t : I32;
}

void cg_args(struct cg *c, const struct ctype *ty)
{
	for (int i = 0; i < ty->np; i++)
		cg_expr(c, ty->p[i]);
}

/* An address: mostly in the first page, sometimes anything. */
void cg_addr(struct cg *c)
{
	struct gen *g = &c->g;
	switch (take(g, 4)) {
	case 0: i32c(g, take(g, 2) ? take(g, 256) : 65536 - take(g, 40)); break;
	case 1: cg_expr(c, I32); break;
	default:
		cg_expr(c, I32);
		i32c(g, 0xffff);
		op(g, 0x71); /* i32.and */
		break;
	}
}

/* An alignment up to the natural one, an offset mostly small. */
void cg_memarg(struct cg *c, uint32_t natural)
{
	struct gen *g = &c->g;
	uint32_t k = take(g, 8);
	memarg(g, take(g, natural + 1),
	       k < 6	? take(g, 64)
	       : k == 6 ? 0
			: take32(g));
}

/* A load of type t: (opcode, natural alignment) pairs. */
static void load(struct cg *c, uint8_t t)
{
	static const uint8_t i32l[][2] = {
		{0x28, 2}, {0x2c, 0}, {0x2d, 0}, {0x2e, 1}, {0x2f, 1}};
	static const uint8_t i64l[][2] = {{0x29, 3}, {0x30, 0}, {0x31, 0},
					  {0x32, 1}, {0x33, 1}, {0x34, 2},
					  {0x35, 2}};
	static const uint8_t f32l[2] = {0x2a, 2}, f64l[2] = {0x2b, 3};
	const uint8_t *l;
	cg_addr(c);
	switch (t) {
	case I32: l = i32l[take(&c->g, N(i32l))]; break;
	case I64: l = i64l[take(&c->g, N(i64l))]; break;
	case F32: l = f32l; break;
	default: l = f64l; break;
	}
	op(&c->g, l[0]);
	cg_memarg(c, l[1]);
}

/* A value of type t from another type: (opcode, operand type); opcodes
 * above 0xff are 0xfc-prefixed (the saturating conversions). */
struct conv {
	uint16_t code;
	uint8_t from;
};
static const struct conv convs[][8] = {
	[VI32] = {{0x50, I64},
		  {0xa7, I64},
		  {0xa8, F32},
		  {0xab, F64},
		  {0xbc, F32},
		  {0x100, F32},
		  {0x101, F32},
		  {0x103, F64}},
	[VI64] = {{0xac, I32},
		  {0xad, I32},
		  {0xaf, F32},
		  {0xb0, F64},
		  {0xbd, F64},
		  {0x104, F32},
		  {0x106, F64},
		  {0x107, F64}},
	[VF32] = {{0xb2, I32},
		  {0xb3, I32},
		  {0xb4, I64},
		  {0xb5, I64},
		  {0xb6, F64},
		  {0xbe, I32},
		  {0xb2, I32},
		  {0xb6, F64}},
	[VF64] = {{0xb7, I32},
		  {0xb8, I32},
		  {0xb9, I64},
		  {0xba, I64},
		  {0xbb, F32},
		  {0xbf, I64},
		  {0xb9, I64},
		  {0xbb, F32}},
};

/* Unary (incl. sign extension), binary and compare opcode ranges. */
static const uint8_t un[][7] = {
	[VI32] = {0x67, 0x68, 0x69, 0xc0, 0xc1, 0xc0, 0xc1},
	[VI64] = {0x79, 0x7a, 0x7b, 0xc2, 0xc3, 0xc4, 0xc4},
	[VF32] = {0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91},
	[VF64] = {0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f},
};
static const uint8_t bin_first[] = {0x6a, 0x7c, 0x92, 0xa0};
static const uint8_t bin_count[] = {15, 15, 7, 7};
static const uint8_t cmp_first[] = {0x46, 0x51, 0x5b, 0x61};
static const uint8_t cmp_count[] = {10, 10, 6, 6};

/* A SIMD instruction of the wanted result (v128 or a scalar type). */
static const struct simd_op *simd_pick(struct cg *c, uint8_t t)
{
	for (int tries = 0; tries < 16; tries++) {
		const struct simd_op *s =
			&gen_simd_ops[take(&c->g, gen_nsimd_ops)];
		bool v = s->form != S_STORE && s->form != S_STORE_LANE &&
			 s->form != S_EXTRACT32 && s->form != S_EXTRACT64 &&
			 s->form != S_TEST;
		if (t == V128 ? v
			      : (s->form == S_TEST && t == I32) ||
					((s->form == S_EXTRACT32 ||
					  s->form == S_EXTRACT64) &&
					 s->scalar == t))
			return s;
	}
	return NULL;
}

static void simd_expr(struct cg *c, uint8_t t)
{
	struct gen *g = &c->g;
	const struct simd_op *s = simd_pick(c, t);
	if (!s) {
		cg_const(c, t);
		return;
	}
	switch (s->form) {
	case S_LOAD: cg_addr(c); break;
	case S_LOAD_LANE:
		cg_addr(c);
		cg_expr(c, V128);
		break;
	case S_SPLAT32:
	case S_SPLAT64: cg_expr(c, s->scalar); break;
	case S_REPLACE32:
	case S_REPLACE64:
		cg_expr(c, V128);
		cg_expr(c, s->scalar);
		break;
	case S_SHIFT:
		cg_expr(c, V128);
		cg_expr(c, I32);
		break;
	case S_CONST: cg_const(c, V128); return;
	default: /* UN, BIN, TERN, SHUFFLE, EXTRACT, TEST: v128 operands */
		cg_expr(c, V128);
		if (s->form == S_BIN || s->form == S_TERN ||
		    s->form == S_SHUFFLE)
			cg_expr(c, V128);
		if (s->form == S_TERN)
			cg_expr(c, V128);
		break;
	}
	op_idx(g, 0xfd, s->code);
	if (s->form == S_LOAD || s->form == S_LOAD_LANE)
		cg_memarg(c, s->align);
	if (s->form == S_SHUFFLE)
		for (int i = 0; i < 16; i++)
			op(g, (uint8_t)take(g, 32));
	else if (s->lanes)
		op(g, (uint8_t)take(g, s->lanes));
}

/* Reference-typed and table expressions. */
static void ref_expr(struct cg *c, uint8_t t)
{
	struct gen *g = &c->g;
	if (take(g, 2)) {
		cg_const(c, t);
		return;
	}
	cg_expr(c, I32);
	op_idx(g, 0x25, t == EXTERNREF ? 1 : take(g, 2) * 2); /* table.get */
}

static void table_i32(struct cg *c)
{
	struct gen *g = &c->g;
	uint32_t tab = take(g, 3);
	uint8_t rt = tab == 1 ? EXTERNREF : FUNCREF;
	switch (take(g, 3)) {
	case 0:
		cg_expr(c, cg_any_type(c) == FUNCREF ? FUNCREF : EXTERNREF);
		op(g, 0xd1); /* ref.is_null */
		return;
	case 1: op_idx(g, 0xfc, 16); break; /* table.size */
	default:
		cg_expr(c, rt);
		i32c(g, take(g, 3) ? take(g, 4) : take32(g));
		op_idx(g, 0xfc, 15); /* table.grow */
		break;
	}
	wb_u32(g->b, tab);
}

static void numeric(struct cg *c, uint8_t t)
{
	struct gen *g = &c->g;
	int k = vt_index(t);
	switch (take(g, 8)) {
	case 0:
		cg_expr(c, t);
		op(g, un[k][take(g, 7)]);
		return;
	case 1:
	case 2:
		cg_expr(c, t);
		cg_expr(c, t);
		op(g, (uint8_t)(bin_first[k] + take(g, bin_count[k])));
		return;
	case 3: {
		if (c->i32only) { /* from other types: an i32 binary op */
			cg_expr(c, t);
			cg_expr(c, t);
			op(g, (uint8_t)(bin_first[k] + take(g, bin_count[k])));
			return;
		}
		/* the first five of each row are not saturating */
		const struct conv *cv = &convs[k][take(g, c->scalar ? 5 : 8)];
		cg_expr(c, cv->from);
		if (cv->code > 0xff)
			op_idx(g, 0xfc, cv->code & 0xff);
		else
			op(g, (uint8_t)cv->code);
		return;
	}
	case 4: load(c, t); return;
	case 5:
		if (t == I32) { /* compare any numeric type */
			int s = c->i32only ? 0 : (int)take(g, 4);
			cg_expr(c, cg_vt[s]);
			cg_expr(c, cg_vt[s]);
			op(g, (uint8_t)(cmp_first[s] + take(g, cmp_count[s])));
			return;
		}
		break;
	case 6:
		if (t == I32) {
			if (c->refs && take(g, 2)) {
				table_i32(c);
			} else if (c->i32only) {
				cg_const(c, t); /* no memory.size or grow */
			} else if (take(g, 2)) {
				op_idx(g, 0x3f, 0); /* memory.size */
			} else {
				i32c(g, take(g, 3)); /* memory.grow */
				op_idx(g, 0x40, 0);
			}
			return;
		}
		break;
	default:
		if (c->simd) {
			simd_expr(c, t);
			return;
		}
		break;
	}
	cg_const(c, t);
}

/* A block, loop or if of type index ti, its parameters first; its body
 * stores them to locals, runs statements and pushes the results. A loop
 * may branch back (with new parameters) while a counter lasts; a block
 * may leave early through br_if. */
void cg_multi(struct cg *c, uint32_t ti, bool loop)
{
	struct gen *g = &c->g;
	const struct ctype *ty = &c->types[ti];
	bool counted = loop && c->loops < MAX_LOOPS;
	uint32_t ctr = counter_local(c, c->loops);
	if (counted) {
		i32c(g, 1 + take(g, 4));
		local_set(g, ctr);
		c->loops++;
	}
	cg_args(c, ty);
	op(g, loop ? 0x03 : 0x02);
	wb_s32(g->b, (int32_t)ti);
	for (int i = ty->np - 1; i >= 0; i--)
		if (take(g, 2))
			local_set(g, local_of(c, ty->p[i]));
		else
			op(g, 0x1a); /* drop */
	cg_stmts(c, 1 + (int)take(g, 3));
	if (counted) {
		local_get(g, ctr);
		i32c(g, 1);
		op(g, 0x6b);
		op_idx(g, 0x22, ctr); /* local.tee */
		op(g, 0x04);
		op(g, 0x40);
		cg_args(c, ty);
		op_idx(g, 0x0c, 1); /* br to the loop */
		op(g, 0x0b);
		c->loops--;
	}
	for (int i = 0; i < ty->nr; i++)
		cg_expr(c, ty->r[i]);
	if (!loop && take(g, 3) == 0) {
		cg_expr(c, I32);
		op_idx(g, 0x0d, 0); /* br_if: the results stay */
	}
	op(g, 0x0b);
}

/* The first result of a type that starts with t, the others dropped. */
static bool multi_expr(struct cg *c, uint8_t t)
{
	struct gen *g = &c->g;
	uint32_t start = take(g, NCT);
	for (uint32_t n = 0; n < NCT; n++) {
		uint32_t ti = (start + n) % NCT;
		const struct ctype *ty = &c->types[ti];
		if (!ty->nr || ty->r[0] != t)
			continue;
		switch (take(g, 4)) {
		case 0: cg_multi(c, ti, false); break;
		case 1: cg_multi(c, ti, true); break;
		case 2: { /* call a function of that type, if any */
			uint32_t f = take(g, NFUNCS);
			while (f < NFUNCS && c->ftype[f] != ti)
				f++;
			if (f == NFUNCS)
				return false;
			cg_args(c, ty);
			call(g, f);
			break;
		}
		default:
			if (c->i32only)
				return false; /* no call_indirect */
			cg_args(c, ty);
			if (take(g, 2))
				cg_expr(c, I32);
			else
				i32c(g, take(g, 10)); /* mostly in the table */
			op_idx(g, 0x11, ti);	      /* call_indirect */
			wb_u32(g->b, c->refs ? take(g, 2) * 2 : 0);
			break;
		}
		for (int i = 1; i < ty->nr; i++)
			op(g, 0x1a);
		return true;
	}
	return false;
}

static void select_expr(struct cg *c, uint8_t t)
{
	struct gen *g = &c->g;
	bool refty = t == FUNCREF || t == EXTERNREF;
	cg_expr(c, t);
	cg_expr(c, t);
	cg_expr(c, I32);
	if (c->refs && (refty || take(g, 2))) {
		op(g, 0x1c); /* typed select */
		wb_u32(g->b, 1);
		op(g, t);
	} else {
		op(g, 0x1b);
	}
}

static void block_expr(struct cg *c, uint8_t t)
{
	struct gen *g = &c->g;
	if (take(g, 2)) {
		cg_expr(c, I32);
		op(g, 0x04); /* if (result t) */
		op(g, t);
		cg_stmts(c, (int)take(g, 3));
		cg_expr(c, t);
		op(g, 0x05);
		cg_stmts(c, (int)take(g, 3));
		cg_expr(c, t);
	} else {
		op(g, 0x02); /* block (result t) */
		op(g, t);
		cg_stmts(c, (int)take(g, 3));
		cg_expr(c, t);
		cg_expr(c, I32);
		op_idx(g, 0x0d, 0); /* br_if 0 with the value */
		if (take(g, 2)) {
			op(g, 0x1a);
			cg_expr(c, t);
		}
	}
	op(g, 0x0b);
}

void cg_expr(struct cg *c, uint8_t t)
{
	struct gen *g = &c->g;
	if (c->budget <= 0 || c->depth >= CG_MAX_DEPTH || !more(g)) {
		if (take(g, 2))
			local_get(g, local_of(c, t));
		else
			cg_const(c, t);
		return;
	}
	c->budget--;
	c->depth++;
	bool refty = t == FUNCREF || t == EXTERNREF;
	switch (take(g, 12)) {
	case 0: cg_const(c, t); break;
	case 1: local_get(g, local_of(c, t)); break;
	case 2: op_idx(g, 0x23, (uint32_t)vt_index(t)); break; /* global.get */
	case 3:
		cg_expr(c, t);
		op_idx(g, 0x22, local_of(c, t)); /* local.tee */
		break;
	case 4:
		if (refty && !c->refs)
			cg_const(c, t);
		else
			select_expr(c, t);
		break;
	case 5: block_expr(c, t); break;
	case 6:
		if (!multi_expr(c, t))
			cg_const(c, t);
		break;
	default:
		if (refty)
			ref_expr(c, t);
		else if (t == V128)
			simd_expr(c, t);
		else
			numeric(c, t);
		break;
	}
	c->depth--;
}
