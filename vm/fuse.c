/*
 * vm/fuse.c: peepholes. Each looks only at the instruction just emitted
 * (c->last, and c->prev for loop closers), which labels clear, and rewrites
 * it in place into a fused instruction, so no branch can land between the
 * two halves. See docs/vm.md for the list.
 */
#include "compile.h"

static const uint8_t negate_cmp[] = {
	/* i32: eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u */
	0x47, 0x46, 0x4e, 0x4f, 0x4c, 0x4d, 0x4a, 0x4b, 0x48, 0x49,
};

/*
 * Wasm opcode -> fused op, one switch per ops.h list (here, ab_op and
 * vmc_imm_op): each list makes its own enum names, so the switches look
 * alike but map to different ops.
 */
static enum vm_op brc_op(uint8_t w, bool imm)
{
	switch (w) {
#define X(n, wo)                                                               \
	case wo: return imm ? OPBI_##n : OPB_##n;
		VM_CMP_OPS(X)
#undef X
	}
	return OP_COUNT;
}

static enum vm_op ab_op(uint8_t w, bool imm)
{
	switch (w) {
#define X(n, wo)                                                               \
	case wo: return imm ? OPABI_##n : OPAB_##n;
		VM_CMP32_OPS(X)
#undef X
	}
	return OP_COUNT;
}

/*
 * [add d a k][cmp t d b] + branch -> [ab_cmp d a k b rel]: the loop
 * counter step and the loop test in one dispatch. Only when the add (of an
 * immediate) directly precedes the compare and feeds its left operand.
 */
static bool fuse_loop_close(struct comp *c, uint32_t at, uint8_t w)
{
	uint32_t p = c->prev;
	if (p == NONE || p + 4 != at || c->prev_w != 0x6a || !c->prev_imm ||
	    c->oom || c->cells[p + 1] != c->cells[at + 2])
		return false;
	vm_cell b = c->cells[at + 3];
	c->cells[p] = c->optab[ab_op(w, c->last_imm)];
	c->cells[p + 4] = b;
	c->n = p + 5;
	vmc_emit(c, 0); /* rel */
	c->last = NONE;
	c->prev = NONE;
	return true;
}

/*
 * Pop the i32 condition on top and emit a conditional branch taken when
 * it is non-zero (or zero if `negate`). Returns the branch's offset cell.
 */
uint32_t vmc_cond_branch(struct comp *c, bool negate)
{
	struct entry *e = &c->st[--c->h];
	uint32_t at = c->last;
	if (e->kind == E_SLOT && e->slot == T(c, c->h) && at != NONE &&
	    c->last_dst && c->cells[at + 1] == e->slot && !c->oom) {
		uint8_t w = c->last_w;
		if (w == 0x45 || w == 0x50) { /* eqz: [eqz dst a] */
			enum vm_op o = negate	   ? OP_br_if
				       : w == 0x45 ? OP_brz_i32
						   : OP_brz_i64;
			if (!(negate && w == 0x50)) {
				c->cells[at] = c->optab[o];
				c->cells[at + 1] = c->cells[at + 2];
				c->last = NONE;
				return at + 2;
			}
		} else if (w == 0xf1) { /* andz: [andz dst a b], (a&b)==0 */
			enum vm_op o =
				c->last_imm
					? (negate ? OP_br_and_i : OP_brz_and_i)
					: (negate ? OP_br_and : OP_brz_and);
			c->cells[at] = c->optab[o];
			c->cells[at + 1] = c->cells[at + 2];
			c->cells[at + 2] = c->cells[at + 3];
			c->last = NONE;
			return at + 3;
		} else if (w == 0x71) { /* i32.and: [and dst a b] */
			enum vm_op o =
				c->last_imm
					? (negate ? OP_brz_and_i : OP_br_and_i)
					: (negate ? OP_brz_and : OP_br_and);
			c->cells[at] = c->optab[o];
			c->cells[at + 1] = c->cells[at + 2];
			c->cells[at + 2] = c->cells[at + 3];
			c->last = NONE;
			return at + 3;
		} else if ((w >= 0x46 && w <= 0x4f) ||
			   (w >= 0x51 && w <= 0x5a)) {
			if (negate) {
				bool i64 = w >= 0x51;
				uint8_t base = i64 ? 0x51 : 0x46;
				w = (uint8_t)(negate_cmp[w - base] - 0x46 +
					      base);
			}
			if (w <= 0x4f && fuse_loop_close(c, at, w))
				return c->n - 1;
			/* [cmp dst a b] -> [brc a b rel] */
			c->cells[at] = c->optab[brc_op(w, c->last_imm)];
			c->cells[at + 1] = c->cells[at + 2];
			c->cells[at + 2] = c->cells[at + 3];
			c->last = NONE;
			return at + 3;
		}
	}
	uint32_t s = e->kind == E_CONST ? vmc_materialize(c, c->h) : e->slot;
	vmc_op(c, negate ? OP_br_unless : OP_br_if);
	vmc_emit(c, s);
	vmc_emit(c, 0);
	return c->n - 1;
}

/* Wasm opcodes whose immediate form exists, and how to swap operands. */
bool vmc_has_imm(uint8_t w)
{
	switch (w) {
#define X(n, wo) case wo:
		VM_IMM_OPS(X)
#undef X
		return true;
	}
	return false;
}

uint8_t vmc_swapped(uint8_t w)
{
	switch (w) {
	case 0x46:
	case 0x47:
	case 0x6a:
	case 0x6c:
	case 0x71:
	case 0x72:
	case 0x73:
	case 0x51:
	case 0x52:
	case 0x7c:
	case 0x7e:
	case 0x83:
	case 0x84:
	case 0x85: return w;
	case 0x48: return 0x4a;
	case 0x4a: return 0x48;
	case 0x49: return 0x4b;
	case 0x4b: return 0x49;
	case 0x4c: return 0x4e;
	case 0x4e: return 0x4c;
	case 0x4d: return 0x4f;
	case 0x4f: return 0x4d;
	case 0x53: return 0x55;
	case 0x55: return 0x53;
	case 0x54: return 0x56;
	case 0x56: return 0x54;
	case 0x57: return 0x59;
	case 0x59: return 0x57;
	case 0x58: return 0x5a;
	case 0x5a: return 0x58;
	}
	return 0;
}

enum vm_op vmc_imm_op(uint8_t w)
{
	switch (w) {
#define X(n, wo)                                                               \
	case wo: return OPI_##n;
		VM_IMM_OPS(X)
#undef X
	}
	return OP_COUNT;
}

bool vmc_imm_fits(const struct entry *e)
{
	if (e->kind != E_CONST)
		return false;
	if (e->type == VM_I32)
		return true;
	return e->k == (uint64_t)(int64_t)(int32_t)(uint32_t)e->k;
}

bool vmc_traps(uint8_t w)
{
	return (w >= 0x6d && w <= 0x70) || (w >= 0x7f && w <= 0x82) ||
	       (w >= 0xa8 && w <= 0xab) || (w >= 0xae && w <= 0xb1);
}

/*
 * For a binary op fusing with the instruction just emitted at `at`: one of
 * the two top entries must be that instruction's result, still in its own
 * slot and named as its destination. Returns the other entry if it is in
 * a slot too (nothing may be emitted in between), else NULL.
 */
static struct entry *other_operand(struct comp *c, uint32_t at)
{
	struct entry *x = &c->st[c->h - 2], *y = &c->st[c->h - 1], *other;
	if (y->kind == E_SLOT && y->slot == T(c, c->h - 1) &&
	    c->cells[at + 1] == y->slot)
		other = x;
	else if (x->kind == E_SLOT && x->slot == T(c, c->h - 2) &&
		 c->cells[at + 1] == x->slot && y->kind == E_SLOT)
		other = y;
	else
		return NULL;
	return other->kind == E_SLOT ? other : NULL;
}

/*
 * i32.add whose one operand is the product just computed by i32.mul:
 * [mul t a b] -> [muladd dst a b c] (dst = c + a*b). The other operand
 * must already be in a slot, since nothing may be emitted in between.
 */
bool vmc_fuse_muladd(struct comp *c)
{
	uint32_t at = c->last;
	if (c->last_w != 0x6c || at == NONE || !c->last_dst || c->oom)
		return false;
	struct entry *other = other_operand(c, at);
	if (!other)
		return false;
	c->cells[at] = c->optab[c->last_imm ? OP_i32_muladd_i : OP_i32_muladd];
	c->cells[at + 1] = T(c, c->h - 2);
	vmc_emit(c, other->slot);
	c->h -= 2;
	vmc_mark_dst(c, at, 0, false);
	vmc_push_slot(c, VM_I32, T(c, c->h));
	return true;
}

/*
 * add/or/xor whose one operand is the immediate shl/shr_u/rotl just
 * emitted: [sh t b k] -> [op_sh dst a b k], dst = a op (b sh k).
 */
bool vmc_fuse_shop(struct comp *c, uint8_t w)
{
	uint32_t at = c->last;
	uint8_t s = c->last_w;
	if (at == NONE || !c->last_imm || !c->last_dst || c->oom ||
	    (s != 0x74 && s != 0x76 && s != 0x77))
		return false;
	struct entry *other = other_operand(c, at);
	if (!other)
		return false;
	static const enum vm_op tab[3][3] = {
		{OPS_add_shl, OPS_add_shr_u, OPS_add_rotl},
		{OPS_or_shl, OPS_or_shr_u, OPS_or_rotl},
		{OPS_xor_shl, OPS_xor_shr_u, OPS_xor_rotl},
	};
	int i = w == 0x6a ? 0 : w == 0x72 ? 1 : 2;
	int j = s == 0x74 ? 0 : s == 0x76 ? 1 : 2;
	/* [sh t b k] -> [op dst a b k] */
	vm_cell b = c->cells[at + 2], k = c->cells[at + 3];
	c->cells[at] = c->optab[tab[i][j]];
	c->cells[at + 1] = T(c, c->h - 2);
	c->cells[at + 2] = other->slot;
	c->cells[at + 3] = b;
	vmc_emit(c, k);
	c->h -= 2;
	vmc_mark_dst(c, at, 0, false);
	vmc_push_slot(c, VM_I32, T(c, c->h));
	return true;
}

/* i32.eqz of the i32.and just emitted: [and t a b] -> [andz t a b]. */
bool vmc_fuse_andz(struct comp *c)
{
	struct entry *a = &c->st[c->h - 1];
	uint32_t at = c->last;
	if (c->last_w != 0x71 || at == NONE || !c->last_dst || c->oom ||
	    a->kind != E_SLOT || a->slot != T(c, c->h - 1) ||
	    c->cells[at + 1] != a->slot)
		return false;
	c->cells[at] = c->optab[c->last_imm ? OP_i32_andz_i : OP_i32_andz];
	vmc_mark_dst(c, at, 0xf1, c->last_imm);
	return true;
}

/*
 * A load whose address was computed by the i32.add just emitted: rewrite
 * that add into a load with a two-part address. Returns false if not.
 */
bool vmc_fuse_load(struct comp *c, uint8_t w, uint32_t off)
{
	static const uint8_t types[] = {VM_I32, VM_I64, VM_F32, VM_F64, 0,
					0,	VM_I32, VM_I32, VM_I32, VM_I32};
	enum vm_op o;
	struct entry *e = &c->st[c->h - 1];
	uint32_t at = c->last;
	if (c->last_w != 0x6a || at == NONE || !c->last_dst || c->oom ||
	    e->kind != E_SLOT || e->slot != T(c, c->h - 1) ||
	    c->cells[at + 1] != e->slot)
		return false;
	switch (w) {
	case 0x28:
	case 0x2a: o = c->last_imm ? OPLAI_i32_load : OPLA_i32_load; break;
	case 0x29:
	case 0x2b: o = c->last_imm ? OPLAI_i64_load : OPLA_i64_load; break;
	case 0x2c:
		o = c->last_imm ? OPLAI_i32_load8_s : OPLA_i32_load8_s;
		break;
	case 0x2d:
		o = c->last_imm ? OPLAI_i32_load8_u : OPLA_i32_load8_u;
		break;
	case 0x2e:
		o = c->last_imm ? OPLAI_i32_load16_s : OPLA_i32_load16_s;
		break;
	case 0x2f:
		o = c->last_imm ? OPLAI_i32_load16_u : OPLA_i32_load16_u;
		break;
	default: return false;
	}
	/* [add dst a b] + off -> [load dst a b off]; dst stays T(h-1) */
	c->cells[at] = c->optab[o];
	vmc_emit(c, off);
	vmc_site(c, at);
	e->type = w < 0x2c ? types[w - 0x28] : VM_I32;
	c->last = at;
	c->last_ld = c->last_imm ? 2 : 0; /* only the a+imm form fuses on */
	c->last_w = w;
	c->last_imm = false;
	c->last_dst = true;
	c->last_dstpos = at + 1;
	return true;
}

/*
 * i32.add / f64.add / f64.mul whose right operand is the value the load
 * just emitted produced: [ld t addr off] or [ld t a imm off] ->
 * [op_mem dst x a imm off], a memory-operand instruction.
 */
bool vmc_fuse_memop(struct comp *c, uint8_t w)
{
	struct entry *x = &c->st[c->h - 2], *y = &c->st[c->h - 1];
	uint32_t at = c->last;
	uint8_t want = w == 0x6a ? 0x28 : 0x2b; /* i32.load / f64.load */
	if (at == NONE || !c->last_ld || c->last_w != want || !c->last_dst ||
	    c->oom || y->kind != E_SLOT || y->slot != T(c, c->h - 1) ||
	    c->cells[at + 1] != y->slot || x->kind != E_SLOT)
		return false;
	vm_cell a = c->cells[at + 2];
	vm_cell imm = c->last_ld == 2 ? c->cells[at + 3] : 0;
	vm_cell off = c->cells[at + (c->last_ld == 2 ? 4 : 3)];
	enum vm_op o = w == 0x6a   ? OP_i32_add_mem
		       : w == 0xa0 ? OP_f64_add_mem
				   : OP_f64_mul_mem;
	c->n = at; /* rewrite the load in place; its trap site stays valid */
	c->cells[c->n++] = c->optab[o];
	vmc_emit(c, T(c, c->h - 2));
	vmc_emit(c, x->slot);
	vmc_emit(c, a);
	vmc_emit(c, imm);
	vmc_emit(c, off);
	c->h -= 2;
	vmc_mark_dst(c, at, 0, false);
	vmc_push_slot(c, w == 0x6a ? VM_I32 : VM_F64, T(c, c->h));
	return true;
}

/*
 * Effective address of a constant address plus offset, if it fits a cell
 * value the _abs forms can take (on 32-bit hosts cells are 32 bits).
 */
static bool abs_addr(const struct entry *a, uint32_t off, uint32_t *ea)
{
	uint64_t e = (uint32_t)a->k + (uint64_t)off;
	if (a->kind != E_CONST || e > UINT32_MAX)
		return false;
	*ea = (uint32_t)e;
	return true;
}

bool vmc_abs_load(struct comp *c, uint8_t w, uint32_t off)
{
	static const uint8_t types[] = {VM_I32, VM_I64, VM_F32, VM_F64};
	enum vm_op o;
	uint32_t ea;
	if (!abs_addr(&c->st[c->h - 1], off, &ea))
		return false;
	switch (w) {
	case 0x28:
	case 0x2a: o = OP_i32_load_abs; break;
	case 0x29:
	case 0x2b: o = OP_i64_load_abs; break;
	case 0x2d: o = OP_i32_load8_u_abs; break;
	default: return false;
	}
	c->h--;
	uint32_t at = vmc_op(c, o);
	vmc_emit(c, T(c, c->h));
	vmc_emit(c, ea);
	vmc_site(c, at);
	vmc_mark_dst(c, at, 0, false);
	vmc_push_slot(c, w == 0x2d ? VM_I32 : types[w - 0x28], T(c, c->h));
	return true;
}

bool vmc_abs_store(struct comp *c, uint8_t w, uint32_t off)
{
	enum vm_op o;
	uint32_t ea;
	if (!abs_addr(&c->st[c->h - 2], off, &ea))
		return false;
	switch (w) {
	case 0x36:
	case 0x38: o = OP_i32_store_abs; break;
	case 0x37:
	case 0x39: o = OP_i64_store_abs; break;
	default: return false;
	}
	uint32_t sv = vmc_slot_of(c, c->h - 1);
	c->h -= 2;
	uint32_t at = vmc_op(c, o);
	vmc_emit(c, ea);
	vmc_emit(c, sv);
	vmc_site(c, at);
	return true;
}

/*
 * A store whose address was computed by the i32.add just emitted (the
 * value being an alias or constant, which emit nothing): rewrite the add
 * [add t a b] into [store_a a b val off].
 */
bool vmc_fuse_store(struct comp *c, uint8_t w, uint32_t off)
{
	struct entry *a = &c->st[c->h - 2], *v = &c->st[c->h - 1];
	uint32_t at = c->last;
	enum vm_op o;
	bool imm = c->last_imm, k = v->kind == E_CONST;
	if (c->last_w != 0x6a || at == NONE || !c->last_dst || c->oom ||
	    a->kind != E_SLOT || a->slot != T(c, c->h - 2) ||
	    c->cells[at + 1] != a->slot)
		return false;
	switch (w) {
	case 0x36:
	case 0x38:
		o = k ? (imm ? OP_i32_store_kai : OP_i32_store_ka)
		      : (imm ? OP_i32_store_ai : OP_i32_store_a);
		break;
	case 0x3a:
		o = k ? (imm ? OP_i32_store8_kai : OP_i32_store8_ka)
		      : (imm ? OP_i32_store8_ai : OP_i32_store8_a);
		break;
	case 0x37:
	case 0x39:
		if (k)
			return false;
		o = imm ? OP_i64_store_ai : OP_i64_store_a;
		break;
	default: return false;
	}
	/* [add t a b] -> [store a b val off] */
	c->cells[at] = c->optab[o];
	c->cells[at + 1] = c->cells[at + 2];
	c->cells[at + 2] = c->cells[at + 3];
	c->cells[at + 3] = k ? (uint32_t)v->k : v->slot;
	vmc_emit(c, off);
	vmc_site(c, at);
	c->h -= 2;
	c->last = NONE;
	return true;
}

/* A store of a constant that fits the immediate store forms. */
bool vmc_store_const(struct comp *c, uint8_t w, uint32_t off)
{
	struct entry *v = &c->st[c->h - 1];
	enum vm_op o;
	if (v->kind != E_CONST)
		return false;
	switch (w) {
	case 0x36:
	case 0x38: o = OP_i32_store_k; break;
	case 0x3a: o = OP_i32_store8_k; break;
	case 0x3b: o = OP_i32_store16_k; break;
	case 0x37:
	case 0x39:
		if (v->k != (uint64_t)(int64_t)(int32_t)(uint32_t)v->k)
			return false;
		o = OP_i64_store_k;
		break;
	default: return false;
	}
	uint32_t sa = vmc_slot_of(c, c->h - 2);
	uint32_t k = (uint32_t)v->k;
	c->h -= 2;
	uint32_t at = vmc_op(c, o);
	vmc_emit(c, sa);
	vmc_emit(c, k);
	vmc_emit(c, off);
	vmc_site(c, at);
	return true;
}
