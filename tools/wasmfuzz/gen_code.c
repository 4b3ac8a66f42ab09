/*
 * tools/wasmfuzz/gen_code.c: valid WebAssembly 2.0 modules from a recipe
 * (gen_code.h): the module's layout (gen_code_internal.h draws it) and the
 * statements of the bodies, each leaving the stack as it found it: drops,
 * local and global sets, stores (scalar, v128, lanes), bulk memory
 * (memory.fill/copy/init, data.drop), table instructions (table.set/fill/
 * copy/init, elem.drop), ifs, blocks left by br_if and br_table, counted
 * loops, multi-value blocks and loops, calls and call_indirect with their
 * results dropped, and returns. gen_expr.c writes the expressions.
 */
#include "gen_code_internal.h"

static void stmt_store(struct cg *c)
{
	static const uint8_t st[][3] = {
		{0x36, I32, 2}, {0x37, I64, 3}, {0x38, F32, 2},
		{0x39, F64, 3}, {0x3a, I32, 0}, {0x3b, I32, 1},
		{0x3c, I64, 0}, {0x3d, I64, 1}, {0x3e, I64, 2}};
	struct gen *g = &c->g;
	cg_addr(c);
	if (c->simd && take(g, 3) == 0) {
		static const uint8_t lanes[] = {16, 8, 4, 2};
		uint32_t k = take(g, 5);
		cg_expr(c, V128);
		if (k == 4) {
			op_idx(g, 0xfd, 0x0b); /* v128.store */
			cg_memarg(c, 4);
		} else {
			op_idx(g, 0xfd, 0x58 + k); /* v128.storeN_lane */
			cg_memarg(c, k);
			op(g, (uint8_t)take(g, lanes[k]));
		}
		return;
	}
	static const uint8_t st32[] = {0, 4, 5}; /* the i32 stores */
	const uint8_t *s =
		c->i32only ? st[st32[take(g, N(st32))]] : st[take(g, N(st))];
	cg_expr(c, s[1]);
	op(g, s[0]);
	cg_memarg(c, s[2]);
}

/* A length: mostly small, sometimes anything. */
static void length(struct cg *c)
{
	if (take(&c->g, 4))
		i32c(&c->g, take(&c->g, 300));
	else
		cg_expr(c, I32);
}

static void stmt_bulk(struct cg *c)
{
	struct gen *g = &c->g;
	switch (take(g, 4)) {
	case 0: /* memory.fill */
		cg_addr(c);
		cg_expr(c, I32);
		length(c);
		op_idx(g, 0xfc, 0x0b);
		op(g, 0);
		return;
	case 1: /* memory.copy */
		cg_addr(c);
		cg_addr(c);
		length(c);
		op_idx(g, 0xfc, 0x0a);
		op(g, 0);
		op(g, 0);
		return;
	case 2: /* memory.init */
		cg_addr(c);
		i32c(g, take(g, 3) ? take(g, 64) : take32(g));
		length(c);
		op_idx(g, 0xfc, 0x08);
		wb_u32(g->b, take(g, NDATA));
		op(g, 0);
		return;
	default:
		op_idx(g, 0xfc, 0x09); /* data.drop */
		wb_u32(g->b, take(g, NDATA));
		return;
	}
}

/* Tables 0 and 2 hold funcref, 1 externref; without reference types
 * only table 0 and element segment 0 exist. */
static void stmt_table(struct cg *c)
{
	struct gen *g = &c->g;
	uint32_t t = c->refs ? take(g, 3) : 0, nelems = c->refs ? NELEMS : 1;
	uint8_t rt = t == 1 ? EXTERNREF : FUNCREF;
	uint32_t k = take(g, 5);
	if (!c->refs && k < 2)
		k = 2;
	switch (k) {
	case 0: /* table.set */
		cg_expr(c, I32);
		cg_expr(c, rt);
		op_idx(g, 0x26, t);
		return;
	case 1: /* table.fill */
		cg_expr(c, I32);
		cg_expr(c, rt);
		length(c);
		op_idx(g, 0xfc, 0x11);
		wb_u32(g->b, t);
		return;
	case 2: { /* table.copy, between tables of one type */
		uint32_t s = t == 1 ? 1 : c->refs ? take(g, 2) * 2 : 0;
		i32c(g, take(g, 12));
		i32c(g, take(g, 12));
		length(c);
		op_idx(g, 0xfc, 0x0e);
		wb_u32(g->b, t);
		wb_u32(g->b, s);
		return;
	}
	case 3: /* table.init from a funcref segment */
		i32c(g, take(g, 12));
		i32c(g, take(g, 4));
		length(c);
		op_idx(g, 0xfc, 0x0c);
		wb_u32(g->b, take(g, nelems));
		wb_u32(g->b, t == 1 ? 0 : t);
		return;
	default:
		op_idx(g, 0xfc, 0x0d); /* elem.drop */
		wb_u32(g->b, take(g, nelems));
		return;
	}
}

static void stmt_control(struct cg *c)
{
	struct gen *g = &c->g;
	switch (take(g, 4)) {
	case 0: /* if, maybe else */
		cg_expr(c, I32);
		op(g, 0x04);
		op(g, 0x40);
		cg_stmts(c, 1 + (int)take(g, 3));
		if (take(g, 2)) {
			op(g, 0x05);
			cg_stmts(c, 1 + (int)take(g, 3));
		}
		op(g, 0x0b);
		return;
	case 1: /* a block left early by br_if */
		op(g, 0x02);
		op(g, 0x40);
		cg_stmts(c, (int)take(g, 3));
		cg_expr(c, I32);
		op_idx(g, 0x0d, 0);
		cg_stmts(c, (int)take(g, 3));
		op(g, 0x0b);
		return;
	case 2: /* br_table over three nested blocks */
		for (int i = 0; i < 3; i++) {
			op(g, 0x02);
			op(g, 0x40);
		}
		cg_expr(c, I32);
		op(g, 0x0e);
		wb_u32(g->b, 3);
		for (int i = 0; i < 4; i++)
			wb_u32(g->b, take(g, 3));
		for (int i = 0; i < 3; i++) {
			op(g, 0x0b);
			cg_stmts(c, (int)take(g, 2));
		}
		return;
	default: { /* a counted loop */
		if (c->loops >= MAX_LOOPS)
			return;
		uint32_t ctr = counter_local(c, c->loops++);
		i32c(g, 1 + take(g, 8));
		local_set(g, ctr);
		op(g, 0x03);
		op(g, 0x40);
		cg_stmts(c, 1 + (int)take(g, 4));
		local_get(g, ctr);
		i32c(g, 1);
		op(g, 0x6b);
		op_idx(g, 0x22, ctr);
		op_idx(g, 0x0d, 0);
		op(g, 0x0b);
		c->loops--;
		return;
	}
	}
}

/* Calls, multi-value blocks and loops, all results dropped; returns. */
static void stmt_multi(struct cg *c)
{
	struct gen *g = &c->g;
	uint32_t ti = take(g, NCT);
	const struct ctype *ty = &c->types[ti];
	switch (take(g, 5)) {
	case 0: cg_multi(c, ti, false); break;
	case 1: cg_multi(c, ti, true); break;
	case 2: {
		uint32_t f = take(g, NFUNCS);
		ty = &c->types[c->ftype[f]];
		cg_args(c, ty);
		call(g, f);
		break;
	}
	case 3:
		if (c->i32only)
			return; /* no call_indirect */
		cg_args(c, ty);
		cg_expr(c, I32);
		op_idx(g, 0x11, ti);
		wb_u32(g->b, c->refs ? take(g, 2) * 2 : 0);
		break;
	default:
		if (take(g, 4))
			return;
		ty = &c->types[c->ftype[c->fn]];
		for (int i = 0; i < ty->nr; i++)
			cg_expr(c, ty->r[i]);
		op(g, 0x0f); /* return */
		return;
	}
	for (int i = 0; i < ty->nr; i++)
		op(g, 0x1a);
}

static void stmt(struct cg *c)
{
	struct gen *g = &c->g;
	uint8_t t;
	c->budget--;
	switch (take(g, 10)) {
	case 0:
		cg_expr(c, cg_any_type(c));
		op(g, 0x1a);
		return;
	case 1:
		t = cg_any_type(c);
		cg_expr(c, t);
		local_set(g, local_of(c, t));
		return;
	case 2:
		t = cg_any_type(c);
		cg_expr(c, t);
		op_idx(g, 0x24, (uint32_t)vt_index(t)); /* global.set */
		return;
	case 3:
	case 4: stmt_store(c); return;
	case 5:
		if (c->scalar)
			stmt_store(c);
		else
			stmt_bulk(c);
		return;
	case 6:
		if (c->scalar)
			stmt_store(c);
		else
			stmt_table(c);
		return;
	case 7: stmt_control(c); return;
	default: stmt_multi(c); return;
	}
}

void cg_stmts(struct cg *c, int n)
{
	while (n-- > 0 && c->budget > 0 && more(&c->g))
		stmt(c);
}

/* ---- the module ---------------------------------------------------------- */

static void set_types(struct cg *c)
{
	static const struct ctype base[NCT] = {
		[T_VV] = {0, 0, {0}, {0}},
		[T_II] = {1, 1, {I32}, {I32}},
		[T_PAIR] = {2, 2, {I32, I32}, {I32, I32}},
		[T_MIX] = {2, 3, {I64, F32}, {F64, I32, I64}},
		[T_FF] = {1, 2, {F64}, {F32, F64}},
		[T_SIMD] = {2, 2, {V128, I32}, {V128, I32}},
		[T_REFS] = {2,
			    3,
			    {FUNCREF, EXTERNREF},
			    {EXTERNREF, FUNCREF, I32}},
	};
	static const struct ctype no_simd = {2, 1, {I32, I64}, {I64}};
	static const struct ctype no_refs = {0, 3, {0}, {I32, I32, I32}};
	for (int i = 0; i < NCT; i++)
		c->types[i] = base[i];
	if (!c->simd)
		c->types[T_SIMD] = no_simd;
	if (!c->refs)
		c->types[T_REFS] = no_refs;
	if (c->i32only) {
		static const struct ctype mix = {
			2, 3, {I32, I32}, {I32, I32, I32}};
		static const struct ctype ff = {1, 2, {I32}, {I32, I32}};
		static const struct ctype simd = {2, 1, {I32, I32}, {I32}};
		c->types[T_MIX] = mix;
		c->types[T_FF] = ff;
		c->types[T_SIMD] = simd;
	}
}

static void section_types(struct cg *c)
{
	struct wbuf *b = c->g.b;
	size_t at;
	wb_byte(b, 1);
	at = wb_open(b);
	wb_u32(b, NCT);
	for (int i = 0; i < NCT; i++) {
		wb_byte(b, 0x60);
		wb_u32(b, c->types[i].np);
		wb_bytes(b, c->types[i].p, c->types[i].np);
		wb_u32(b, c->types[i].nr);
		wb_bytes(b, c->types[i].r, c->types[i].nr);
	}
	wb_close(b, at);
}

static uint8_t vt_or_i32(const struct cg *c, int i)
{
	return vt_ok(c, cg_vt[i]) ? cg_vt[i] : I32;
}

/* Function, table and memory sections. */
static void section_decls(struct cg *c)
{
	struct wbuf *b = c->g.b;
	size_t at;
	wb_byte(b, 3);
	at = wb_open(b);
	wb_u32(b, NFUNCS);
	for (int f = 0; f < NFUNCS; f++)
		wb_u32(b, c->ftype[f]);
	wb_close(b, at);

	wb_byte(b, 4);
	at = wb_open(b);
	wb_u32(b, c->refs ? 3 : 1);
	wb_bytes(b, (const uint8_t[]){FUNCREF, 1, 8, 32}, 4);
	if (c->refs) {
		wb_bytes(b, (const uint8_t[]){EXTERNREF, 0, 4}, 3);
		wb_bytes(b, (const uint8_t[]){FUNCREF, 1, 2, 8}, 4);
	}
	wb_close(b, at);

	wb_byte(b, 5);
	at = wb_open(b);
	wb_bytes(b, (const uint8_t[]){1, 1, 1, 4}, 4);
	wb_close(b, at);
}

/* One mutable global per value type, then the exports. */
static void section_globals(struct cg *c)
{
	struct gen *g = &c->g;
	struct wbuf *b = g->b;
	size_t at;
	wb_byte(b, 6);
	at = wb_open(b);
	wb_u32(b, NVT);
	for (int i = 0; i < NVT; i++) {
		uint8_t t = vt_or_i32(c, i);
		op(g, t);
		op(g, 1);
		if (t == EXTERNREF || (t == FUNCREF && take(g, 2))) {
			op(g, 0xd0);
			op(g, t);
		} else if (t == FUNCREF) {
			op_idx(g, 0xd2, take(g, NFUNCS));
		} else {
			cg_const(c, t);
		}
		op(g, 0x0b);
	}
	wb_close(b, at);

	wb_byte(b, 7);
	at = wb_open(b);
	wb_u32(b, 4);
	wb_name(b, "run");
	wb_bytes(b, (const uint8_t[]){0, 0}, 2);
	wb_name(b, "f1");
	wb_bytes(b, (const uint8_t[]){0, 1}, 2);
	wb_name(b, "mem");
	wb_bytes(b, (const uint8_t[]){2, 0}, 2);
	wb_name(b, "tab");
	wb_bytes(b, (const uint8_t[]){1, 0}, 2);
	wb_close(b, at);
}

/* Element segments (gen_code_internal.h), then the data count. */
static void section_elems(struct cg *c)
{
	struct wbuf *b = c->g.b;
	size_t at;
	wb_byte(b, 9);
	at = wb_open(b);
	wb_u32(b, c->refs ? NELEMS : 1);
	wb_bytes(b, (const uint8_t[]){0, 0x41, 0, 0x0b, NFUNCS}, 5);
	for (uint8_t f = 0; f < NFUNCS; f++)
		wb_byte(b, f);
	if (c->refs) {
		/* passive: ref.func 2, ref.null func, ref.func 4 */
		wb_bytes(b,
			 (const uint8_t[]){5, FUNCREF, 3, 0xd2, 2, 0x0b, 0xd0,
					   FUNCREF, 0x0b, 0xd2, 4, 0x0b},
			 12);
		/* declarative: functions 1 and 3 */
		wb_bytes(b, (const uint8_t[]){3, 0, 2, 1, 3}, 5);
		/* active in table 2 at 0: ref.func 1, ref.null func */
		wb_bytes(b,
			 (const uint8_t[]){6, 2, 0x41, 0, 0x0b, FUNCREF, 2,
					   0xd2, 1, 0x0b, 0xd0, FUNCREF, 0x0b},
			 13);
	}
	wb_close(b, at);

	wb_byte(b, 12);
	at = wb_open(b);
	wb_u32(b, NDATA);
	wb_close(b, at);
}

static void body(struct cg *c, uint32_t f)
{
	struct gen *g = &c->g;
	const struct ctype *ty = &c->types[c->ftype[f]];
	size_t at = wb_open(g->b);
	c->fn = f;
	c->locals0 = ty->np;
	c->depth = 0;
	c->loops = 0;
	c->budget = 24 + (int)take(g, 64);
	wb_u32(g->b, NVT + 1);
	for (int i = 0; i < NVT; i++) {
		wb_u32(g->b, NPER);
		op(g, vt_or_i32(c, i));
	}
	wb_u32(g->b, MAX_LOOPS);
	op(g, I32);
	cg_stmts(c, c->budget);
	for (int i = 0; i < ty->nr; i++)
		cg_expr(c, ty->r[i]);
	op(g, 0x0b);
	wb_close(g->b, at);
}

static void section_code_data(struct cg *c)
{
	static const char active[] = "gen_code: an active data segment";
	struct wbuf *b = c->g.b;
	size_t at;
	wb_byte(b, 10);
	at = wb_open(b);
	wb_u32(b, NFUNCS);
	for (uint32_t f = 0; f < NFUNCS; f++)
		body(c, f);
	wb_close(b, at);

	wb_byte(b, 11);
	at = wb_open(b);
	wb_u32(b, NDATA);
	wb_bytes(b, (const uint8_t[]){0, 0x41, 16, 0x0b}, 4);
	wb_u32(b, sizeof(active) - 1);
	wb_bytes(b, active, sizeof(active) - 1);
	wb_byte(b, 1); /* passive: 64 bytes 0..63 */
	wb_u32(b, 64);
	for (uint8_t i = 0; i < 64; i++)
		wb_byte(b, i);
	wb_close(b, at);
}

size_t gen_code_module(const uint8_t *recipe, size_t len, uint8_t *out,
		       size_t cap)
{
	static const uint8_t head[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
	struct wbuf b;
	struct cg c = {0};

	wb_init(&b, out, cap);
	c.g.p = recipe;
	c.g.end = recipe + len;
	c.g.b = &b;
	/* more() also tests gen.c's statement budget, which is not ours:
	 * left at 0 it ended every body before its first statement */
	c.g.budget = 1;
	uint32_t features = take(&c.g, 16);
	c.i32only = features & 8;
	c.simd = (features & 1) && !c.i32only;
	c.refs = (features & 2) && !c.i32only;
	c.scalar = (features & 4) || c.i32only;
	set_types(&c);
	c.ftype[0] = T_VV;
	c.ftype[1] = T_II;
	for (int f = 2; f < NFUNCS; f++)
		c.ftype[f] = (uint8_t)take(&c.g, NCT);

	wb_bytes(&b, head, sizeof(head));
	section_types(&c);
	section_decls(&c);
	section_globals(&c);
	section_elems(&c);
	section_code_data(&c);
	return b.full ? 0 : b.len;
}
