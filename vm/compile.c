/*
 * vm/compile.c: translate one validated function body into internal code.
 *
 * The wasm operand stack is mapped onto frame slots: the value at stack
 * height i lives in slot T(i) = nlocals + i, so every stack height is known
 * here and instructions name their operands by slot. Two things stay
 * virtual on the compile-time stack until something needs them in a slot:
 * local.get (an alias of the local's slot) and constants (folded into the
 * immediate forms of integer ops). Invariants that make this sound:
 *  - an entry is either in its own slot T(i), an alias of a local, or a
 *    constant; nothing else ever lives in T(i);
 *  - at every block, loop and if entry all entries are materialized, so an
 *    alias never spans a label and copies are never emitted on one path only;
 *  - before a local is written, entries aliasing it are materialized.
 * Peepholes: a local.set right after an instruction retargets its dst to
 * the local, and a br_if right after an integer compare fuses into one
 * compare-and-branch. Both only look at the instruction just emitted, and
 * labels clear that memory, so no branch can land between the two.
 */
#include "internal.h"
#include "ops.h"

#define NONE UINT32_MAX

enum { E_SLOT, E_CONST };

struct entry {
	uint8_t type;
	uint8_t kind;
	uint32_t slot;
	uint64_t k;
};

struct block {
	uint8_t op; /* 0 func, 2 block, 3 loop, 4 if */
	uint8_t rtype;
	bool unreachable;
	uint32_t height;
	uint32_t target;    /* loop: first cell of the body */
	uint32_t patches;   /* forward branch sites, linked through the cells */
	uint32_t else_site; /* if: the branch over the then-arm, 0 if none */
};

struct comp {
	struct vm_module *m;
	const struct vm_host_ops *ops;
	struct vm_code *code;
	const vm_cell *optab;
	struct vm_reader r;
	uint32_t at; /* wasm offset of the instruction being compiled */
	vm_cell *cells;
	uint32_t n, cap;
	struct vm_site *sites;
	uint32_t nsites, capsites;
	bool oom;
	struct entry *st;
	uint32_t h, maxh;
	struct block *bl;
	uint32_t nbl;
	uint32_t nlocals;
	/*
	 * Locals known to hold a constant: kgen[x] == gen means kval[x] is
	 * the value. Every label bumps gen, forgetting everything, since
	 * another path may arrive there. Declared locals start known zero.
	 */
	uint32_t *kgen;
	uint64_t *kval;
	uint32_t gen;
	/* the instruction just emitted, for the peepholes */
	uint32_t last;    /* its first cell, or NONE */
	uint8_t last_w;   /* wasm opcode it implements (0 if none) */
	bool last_imm;    /* it is the immediate form */
	bool last_dst;    /* cell last+1 is a destination slot */
	uint32_t last_dstpos; /* cell holding the last destination written */
	/* the instruction before it (NONE across labels), for loop closers */
	uint32_t prev;
	uint8_t prev_w;
	bool prev_imm;
	uint8_t last_copies;  /* last is a copy run of this many pairs */
};

#define T(c, i) ((c)->nlocals + (i))

static void emit(struct comp *c, vm_cell v)
{
	if (c->n == c->cap) {
		uint32_t cap = c->cap ? c->cap * 2 : 64;
		vm_cell *p = c->ops->realloc(c->ops->ctx, c->cells,
					     (size_t)cap * sizeof(vm_cell));
		if (!p) {
			c->oom = true;
			c->n = 0;
			return;
		}
		c->cells = p;
		c->cap = cap;
	}
	c->cells[c->n++] = v;
}

/* Start an instruction; returns the index of its opcode cell. */
static uint32_t op(struct comp *c, enum vm_op o)
{
	uint32_t at = c->n;
	emit(c, c->optab[o]);
	c->prev = c->last;
	c->prev_w = c->last_w;
	c->prev_imm = c->last_imm;
	c->last = NONE;
	c->last_w = 0;
	c->last_imm = false;
	c->last_dst = false;
	c->last_dstpos = NONE;
	c->last_copies = 0;
	return at;
}

static void site(struct comp *c, uint32_t cell)
{
	if (c->nsites == c->capsites) {
		uint32_t cap = c->capsites ? c->capsites * 2 : 16;
		struct vm_site *p = c->ops->realloc(
			c->ops->ctx, c->sites, (size_t)cap * sizeof(*p));
		if (!p) {
			c->oom = true;
			return;
		}
		c->sites = p;
		c->capsites = cap;
	}
	c->sites[c->nsites].cell = cell;
	c->sites[c->nsites].offset = c->at;
	c->nsites++;
}

static void mark_dst(struct comp *c, uint32_t at, uint8_t w, bool imm)
{
	c->last = at;
	c->last_w = w;
	c->last_imm = imm;
	c->last_dst = true;
	c->last_dstpos = at + 1;
}

static void push_slot(struct comp *c, uint8_t type, uint32_t slot)
{
	struct entry *e = &c->st[c->h++];
	e->type = type;
	e->kind = E_SLOT;
	e->slot = slot;
	if (c->h > c->maxh)
		c->maxh = c->h;
}

static void push_const(struct comp *c, uint8_t type, uint64_t k)
{
	struct entry *e = &c->st[c->h++];
	e->type = type;
	e->kind = E_CONST;
	e->k = k;
	if (c->h > c->maxh)
		c->maxh = c->h;
}

/* Emit code that writes entry e's value into slot dst. */
static void move(struct comp *c, const struct entry *e, uint32_t dst)
{
	uint32_t at;
	if (e->kind == E_CONST) {
		if (e->k <= UINT32_MAX) {
			at = op(c, OP_const32);
			emit(c, dst);
			emit(c, (uint32_t)e->k);
		} else {
			at = op(c, OP_const64);
			emit(c, dst);
			emit(c, (uint32_t)e->k);
			emit(c, (uint32_t)(e->k >> 32));
		}
		mark_dst(c, at, 0, false);
	} else if (e->slot != dst) {
		if (c->last != NONE && c->last_copies && c->last_copies < 4 &&
		    !c->oom) {
			/* extend the copy run just emitted: copy -> copy2 ... */
			static const enum vm_op runs[] = {OP_copy2, OP_copy3,
							  OP_copy4};
			c->cells[c->last] = c->optab[runs[c->last_copies - 1]];
			c->last_copies++;
			emit(c, dst);
			emit(c, e->slot);
			c->last_dstpos = c->n - 2;
			return;
		}
		at = op(c, OP_copy);
		emit(c, dst);
		emit(c, e->slot);
		mark_dst(c, at, 0, false);
		c->last_copies = 1;
	}
}

/*
 * Move the top entry, which the caller consumes, into dst. If the
 * instruction just emitted produced it, write dst directly instead.
 */
static void move_top(struct comp *c, uint32_t dst)
{
	struct entry *e = &c->st[c->h - 1];
	if (e->kind == E_SLOT && e->slot == T(c, c->h - 1) && c->last != NONE &&
	    c->last_dst && !c->oom && c->cells[c->last_dstpos] == e->slot) {
		c->cells[c->last_dstpos] = dst;
		e->slot = dst;
		return;
	}
	move(c, e, dst);
}

/* Put entry i into its own slot T(i); returns that slot. */
static uint32_t materialize(struct comp *c, uint32_t i)
{
	struct entry *e = &c->st[i];
	if (e->kind == E_CONST || e->slot != T(c, i)) {
		move(c, e, T(c, i));
		e->kind = E_SLOT;
		e->slot = T(c, i);
	}
	return e->slot;
}

static void materialize_all(struct comp *c)
{
	for (uint32_t i = 0; i < c->h; i++)
		materialize(c, i);
}

/* Slot holding entry i, materializing only constants (aliases are fine). */
static uint32_t slot_of(struct comp *c, uint32_t i)
{
	if (c->st[i].kind == E_CONST)
		return materialize(c, i);
	return c->st[i].slot;
}

/* A branch offset from cell s to cell target, as a signed cell. */
static vm_cell rel(uint32_t target, uint32_t s)
{
	return (vm_cell)((intptr_t)target - (intptr_t)s);
}

/* Link branch site `s` to block b's label. */
static void branch_to(struct comp *c, struct block *b, uint32_t s)
{
	if (c->oom)
		return;
	if (b->op == 0x03) {
		c->cells[s] = rel(b->target, s);
	} else {
		c->cells[s] = b->patches;
		b->patches = s;
	}
}

static void patch_here(struct comp *c, uint32_t s)
{
	if (!c->oom)
		c->cells[s] = rel(c->n, s);
}

static void patch_list(struct comp *c, uint32_t head)
{
	while (head && !c->oom) {
		uint32_t next = (uint32_t)c->cells[head];
		c->cells[head] = rel(c->n, head);
		head = next;
	}
}

static struct block *label(struct comp *c, uint32_t depth)
{
	return &c->bl[c->nbl - 1 - depth];
}

static uint8_t label_arity_type(struct block *b)
{
	return b->op == 0x03 ? 0 : b->rtype;
}

static const uint8_t negate_cmp[] = {
	/* i32: eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u */
	0x47, 0x46, 0x4e, 0x4f, 0x4c, 0x4d, 0x4a, 0x4b, 0x48, 0x49,
};

static enum vm_op brc_op(uint8_t w, bool imm)
{
	switch (w) {
#define X(n, wo)                                                               \
	case wo:                                                               \
		return imm ? OPBI_##n : OPB_##n;
		VM_CMP_OPS(X)
#undef X
	}
	return OP_COUNT;
}

static enum vm_op ab_op(uint8_t w, bool imm)
{
	switch (w) {
#define X(n, wo)                                                               \
	case wo:                                                               \
		return imm ? OPABI_##n : OPAB_##n;
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
	emit(c, 0); /* rel */
	c->last = NONE;
	c->prev = NONE;
	return true;
}

/*
 * Pop the i32 condition on top and emit a conditional branch taken when
 * it is non-zero (or zero if `negate`). Returns the branch's offset cell.
 */
static uint32_t cond_branch(struct comp *c, bool negate)
{
	struct entry *e = &c->st[--c->h];
	uint32_t at = c->last;
	if (e->kind == E_SLOT && e->slot == T(c, c->h) && at != NONE &&
	    c->last_dst && c->cells[at + 1] == e->slot && !c->oom) {
		uint8_t w = c->last_w;
		if (w == 0x45 || w == 0x50) { /* eqz: [eqz dst a] */
			enum vm_op o = negate ? OP_br_if
				       : w == 0x45 ? OP_brz_i32 : OP_brz_i64;
			if (!(negate && w == 0x50)) {
				c->cells[at] = c->optab[o];
				c->cells[at + 1] = c->cells[at + 2];
				c->last = NONE;
				return at + 2;
			}
		} else if (w == 0xf1) { /* andz: [andz dst a b], (a&b)==0 */
			enum vm_op o = c->last_imm ? (negate ? OP_br_and_i : OP_brz_and_i)
						   : (negate ? OP_br_and : OP_brz_and);
			c->cells[at] = c->optab[o];
			c->cells[at + 1] = c->cells[at + 2];
			c->cells[at + 2] = c->cells[at + 3];
			c->last = NONE;
			return at + 3;
		} else if (w == 0x71) { /* i32.and: [and dst a b] */
			enum vm_op o = c->last_imm ? (negate ? OP_brz_and_i : OP_br_and_i)
						   : (negate ? OP_brz_and : OP_br_and);
			c->cells[at] = c->optab[o];
			c->cells[at + 1] = c->cells[at + 2];
			c->cells[at + 2] = c->cells[at + 3];
			c->last = NONE;
			return at + 3;
		} else if ((w >= 0x46 && w <= 0x4f) || (w >= 0x51 && w <= 0x5a)) {
			if (negate) {
				bool i64 = w >= 0x51;
				uint8_t base = i64 ? 0x51 : 0x46;
				w = (uint8_t)(negate_cmp[w - base] - 0x46 + base);
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
	uint32_t s = e->kind == E_CONST ? materialize(c, c->h) : e->slot;
	op(c, negate ? OP_br_unless : OP_br_if);
	emit(c, s);
	emit(c, 0);
	return c->n - 1;
}

/* Wasm opcodes whose immediate form exists, and how to swap operands. */
static bool has_imm(uint8_t w)
{
	switch (w) {
#define X(n, wo) case wo:
		VM_IMM_OPS(X)
#undef X
		return true;
	}
	return false;
}

static uint8_t swapped(uint8_t w)
{
	switch (w) {
	case 0x46: case 0x47: case 0x6a: case 0x6c: case 0x71: case 0x72:
	case 0x73: case 0x51: case 0x52: case 0x7c: case 0x7e: case 0x83:
	case 0x84: case 0x85:
		return w;
	case 0x48: return 0x4a; case 0x4a: return 0x48;
	case 0x49: return 0x4b; case 0x4b: return 0x49;
	case 0x4c: return 0x4e; case 0x4e: return 0x4c;
	case 0x4d: return 0x4f; case 0x4f: return 0x4d;
	case 0x53: return 0x55; case 0x55: return 0x53;
	case 0x54: return 0x56; case 0x56: return 0x54;
	case 0x57: return 0x59; case 0x59: return 0x57;
	case 0x58: return 0x5a; case 0x5a: return 0x58;
	}
	return 0;
}

static enum vm_op imm_op(uint8_t w)
{
	switch (w) {
#define X(n, wo)                                                               \
	case wo:                                                               \
		return OPI_##n;
		VM_IMM_OPS(X)
#undef X
	}
	return OP_COUNT;
}

static bool imm_fits(const struct entry *e)
{
	if (e->kind != E_CONST)
		return false;
	if (e->type == VM_I32)
		return true;
	return e->k == (uint64_t)(int64_t)(int32_t)(uint32_t)e->k;
}

static bool traps(uint8_t w)
{
	return (w >= 0x6d && w <= 0x70) || (w >= 0x7f && w <= 0x82) ||
	       (w >= 0xa8 && w <= 0xab) || (w >= 0xae && w <= 0xb1);
}

/*
 * i32.add whose one operand is the product just computed by i32.mul:
 * [mul t a b] -> [muladd dst a b c] (dst = c + a*b). The other operand
 * must already be in a slot, since nothing may be emitted in between.
 */
static bool fuse_muladd(struct comp *c)
{
	struct entry *x = &c->st[c->h - 2], *y = &c->st[c->h - 1];
	uint32_t at = c->last;
	if (c->last_w != 0x6c || at == NONE || !c->last_dst || c->oom)
		return false;
	struct entry *prod = NULL, *other = NULL;
	if (y->kind == E_SLOT && y->slot == T(c, c->h - 1) &&
	    c->cells[at + 1] == y->slot)
		prod = y, other = x;
	else if (x->kind == E_SLOT && x->slot == T(c, c->h - 2) &&
		 c->cells[at + 1] == x->slot && y->kind == E_SLOT)
		prod = x, other = y;
	if (!prod || other->kind != E_SLOT)
		return false;
	c->cells[at] = c->optab[c->last_imm ? OP_i32_muladd_i : OP_i32_muladd];
	c->cells[at + 1] = T(c, c->h - 2);
	emit(c, other->slot);
	c->h -= 2;
	mark_dst(c, at, 0, false);
	push_slot(c, VM_I32, T(c, c->h));
	return true;
}

/*
 * add/or/xor whose one operand is the immediate shl/shr_u/rotl just
 * emitted: [sh t b k] -> [op_sh dst a b k], dst = a op (b sh k).
 */
static bool fuse_shop(struct comp *c, uint8_t w)
{
	struct entry *x = &c->st[c->h - 2], *y = &c->st[c->h - 1];
	uint32_t at = c->last;
	uint8_t s = c->last_w;
	if (at == NONE || !c->last_imm || !c->last_dst || c->oom ||
	    (s != 0x74 && s != 0x76 && s != 0x77))
		return false;
	struct entry *sh = NULL, *other = NULL;
	if (y->kind == E_SLOT && y->slot == T(c, c->h - 1) &&
	    c->cells[at + 1] == y->slot)
		sh = y, other = x;
	else if (x->kind == E_SLOT && x->slot == T(c, c->h - 2) &&
		 c->cells[at + 1] == x->slot && y->kind == E_SLOT)
		sh = x, other = y;
	if (!sh || other->kind != E_SLOT)
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
	emit(c, k);
	c->h -= 2;
	mark_dst(c, at, 0, false);
	push_slot(c, VM_I32, T(c, c->h));
	return true;
}

/* i32.eqz of the i32.and just emitted: [and t a b] -> [andz t a b]. */
static bool fuse_andz(struct comp *c)
{
	struct entry *a = &c->st[c->h - 1];
	uint32_t at = c->last;
	if (c->last_w != 0x71 || at == NONE || !c->last_dst || c->oom ||
	    a->kind != E_SLOT || a->slot != T(c, c->h - 1) ||
	    c->cells[at + 1] != a->slot)
		return false;
	c->cells[at] = c->optab[c->last_imm ? OP_i32_andz_i : OP_i32_andz];
	mark_dst(c, at, 0xf1, c->last_imm);
	return true;
}

static void numeric(struct comp *c, uint8_t w)
{
	uint8_t ta, tb, tr;
	vm_numeric_sig(w, &ta, &tb, &tr);
	if (w == 0x45 && fuse_andz(c))
		return;
	if (!tb) {
		struct entry *a = &c->st[c->h - 1];
		/* reinterpret and wrap only retype the bits of the slot */
		if (w >= 0xbc || w == 0xa7) {
			if (w == 0xa7 && a->kind == E_CONST)
				a->k = (uint32_t)a->k;
			a->type = tr;
			return;
		}
		uint32_t sa = slot_of(c, c->h - 1);
		c->h--;
		uint32_t at = op(c, OP_i32_eqz + (w - 0x45));
		emit(c, T(c, c->h));
		emit(c, sa);
		if (traps(w))
			site(c, at);
		mark_dst(c, at, w, false);
		push_slot(c, tr, T(c, c->h));
		return;
	}
	struct entry *a = &c->st[c->h - 2], *b = &c->st[c->h - 1];
	if (has_imm(w) && !imm_fits(b) && imm_fits(a) && swapped(w)) {
		/*
		 * A constant on the left: swap it into the immediate. b's entry
		 * may now sit one below its slot; it is consumed right away.
		 */
		struct entry t = *a;
		*a = *b;
		*b = t;
		w = swapped(w);
	}
	uint32_t at;
	if ((w == 0x74 || w == 0x77) && a->kind == E_CONST &&
	    b->kind == E_SLOT) {
		/* constant on the left of a shift/rotate (1 << n, ~1 rotl n) */
		uint32_t k = (uint32_t)a->k, sb = b->slot;
		c->h -= 2;
		at = op(c, w == 0x74 ? OP_i32_shl_kl : OP_i32_rotl_kl);
		emit(c, T(c, c->h));
		emit(c, sb);
		emit(c, k);
		mark_dst(c, at, 0, false);
		push_slot(c, VM_I32, T(c, c->h));
		return;
	}
	if (w == 0x6a && fuse_muladd(c))
		return;
	if ((w == 0x6a || w == 0x72 || w == 0x73) && fuse_shop(c, w))
		return;
	if (has_imm(w) && imm_fits(b)) {
		uint32_t sa = slot_of(c, c->h - 2);
		uint32_t k = (uint32_t)b->k;
		c->h -= 2;
		at = op(c, imm_op(w));
		emit(c, T(c, c->h));
		emit(c, sa);
		emit(c, k);
		mark_dst(c, at, w, true);
	} else {
		uint32_t sa = slot_of(c, c->h - 2);
		uint32_t sb = slot_of(c, c->h - 1);
		c->h -= 2;
		at = op(c, OP_i32_eqz + (w - 0x45));
		emit(c, T(c, c->h));
		emit(c, sa);
		emit(c, sb);
		if (traps(w))
			site(c, at);
		mark_dst(c, at, w, false);
	}
	push_slot(c, tr, T(c, c->h));
}

static const enum vm_op load_ops[] = {
	OP_i32_load,     OP_i64_load,     OP_i32_load,     OP_i64_load,
	OP_i32_load8_s,  OP_i32_load8_u,  OP_i32_load16_s, OP_i32_load16_u,
	OP_i64_load8_s,  OP_i64_load8_u,  OP_i64_load16_s, OP_i64_load16_u,
	OP_i64_load32_s, OP_i64_load32_u, OP_i32_store,    OP_i64_store,
	OP_i32_store,    OP_i64_store,    OP_i32_store8,   OP_i32_store16,
	OP_i64_store8,   OP_i64_store16,  OP_i64_store32,
};
static const uint8_t load_types[] = {
	VM_I32, VM_I64, VM_F32, VM_F64, VM_I32, VM_I32, VM_I32, VM_I32,
	VM_I64, VM_I64, VM_I64, VM_I64, VM_I64, VM_I64,
};

/*
 * A load whose address was computed by the i32.add just emitted: rewrite
 * that add into a load with a two-part address. Returns false if not.
 */
static bool fuse_load(struct comp *c, uint8_t w, uint32_t off)
{
	static const uint8_t types[] = {VM_I32, VM_I64, VM_F32, VM_F64, 0, 0,
					VM_I32, VM_I32, VM_I32, VM_I32};
	enum vm_op o;
	struct entry *e = &c->st[c->h - 1];
	uint32_t at = c->last;
	if (c->last_w != 0x6a || at == NONE || !c->last_dst || c->oom ||
	    e->kind != E_SLOT || e->slot != T(c, c->h - 1) ||
	    c->cells[at + 1] != e->slot)
		return false;
	switch (w) {
	case 0x28: case 0x2a: o = c->last_imm ? OPLAI_i32_load : OPLA_i32_load; break;
	case 0x29: case 0x2b: o = c->last_imm ? OPLAI_i64_load : OPLA_i64_load; break;
	case 0x2c: o = c->last_imm ? OPLAI_i32_load8_s : OPLA_i32_load8_s; break;
	case 0x2d: o = c->last_imm ? OPLAI_i32_load8_u : OPLA_i32_load8_u; break;
	case 0x2e: o = c->last_imm ? OPLAI_i32_load16_s : OPLA_i32_load16_s; break;
	case 0x2f: o = c->last_imm ? OPLAI_i32_load16_u : OPLA_i32_load16_u; break;
	default: return false;
	}
	/* [add dst a b] + off -> [load dst a b off]; dst stays T(h-1) */
	c->cells[at] = c->optab[o];
	emit(c, off);
	site(c, at);
	e->type = w < 0x2c ? types[w - 0x28] : VM_I32;
	c->last = at;
	c->last_w = 0;
	c->last_imm = false;
	c->last_dst = true;
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

static bool abs_load(struct comp *c, uint8_t w, uint32_t off)
{
	static const uint8_t types[] = {VM_I32, VM_I64, VM_F32, VM_F64};
	enum vm_op o;
	uint32_t ea;
	if (!abs_addr(&c->st[c->h - 1], off, &ea))
		return false;
	switch (w) {
	case 0x28: case 0x2a: o = OP_i32_load_abs; break;
	case 0x29: case 0x2b: o = OP_i64_load_abs; break;
	case 0x2d: o = OP_i32_load8_u_abs; break;
	default: return false;
	}
	c->h--;
	uint32_t at = op(c, o);
	emit(c, T(c, c->h));
	emit(c, ea);
	site(c, at);
	mark_dst(c, at, 0, false);
	push_slot(c, w == 0x2d ? VM_I32 : types[w - 0x28], T(c, c->h));
	return true;
}

static bool abs_store(struct comp *c, uint8_t w, uint32_t off)
{
	enum vm_op o;
	uint32_t ea;
	if (!abs_addr(&c->st[c->h - 2], off, &ea))
		return false;
	switch (w) {
	case 0x36: case 0x38: o = OP_i32_store_abs; break;
	case 0x37: case 0x39: o = OP_i64_store_abs; break;
	default: return false;
	}
	uint32_t sv = slot_of(c, c->h - 1);
	c->h -= 2;
	uint32_t at = op(c, o);
	emit(c, ea);
	emit(c, sv);
	site(c, at);
	return true;
}

/*
 * A store whose address was computed by the i32.add just emitted (the
 * value being an alias or constant, which emit nothing): rewrite the add
 * [add t a b] into [store_a a b val off].
 */
static bool fuse_store(struct comp *c, uint8_t w, uint32_t off)
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
	case 0x36: case 0x38:
		o = k ? (imm ? OP_i32_store_kai : OP_i32_store_ka)
		      : (imm ? OP_i32_store_ai : OP_i32_store_a);
		break;
	case 0x3a:
		o = k ? (imm ? OP_i32_store8_kai : OP_i32_store8_ka)
		      : (imm ? OP_i32_store8_ai : OP_i32_store8_a);
		break;
	case 0x37: case 0x39:
		if (k)
			return false;
		o = imm ? OP_i64_store_ai : OP_i64_store_a;
		break;
	default:
		return false;
	}
	/* [add t a b] -> [store a b val off] */
	c->cells[at] = c->optab[o];
	c->cells[at + 1] = c->cells[at + 2];
	c->cells[at + 2] = c->cells[at + 3];
	c->cells[at + 3] = k ? (uint32_t)v->k : v->slot;
	emit(c, off);
	site(c, at);
	c->h -= 2;
	c->last = NONE;
	return true;
}

/* A store of a constant that fits the immediate store forms. */
static bool store_const(struct comp *c, uint8_t w, uint32_t off)
{
	struct entry *v = &c->st[c->h - 1];
	enum vm_op o;
	if (v->kind != E_CONST)
		return false;
	switch (w) {
	case 0x36: case 0x38: o = OP_i32_store_k; break;
	case 0x3a: o = OP_i32_store8_k; break;
	case 0x3b: o = OP_i32_store16_k; break;
	case 0x37: case 0x39:
		if (v->k != (uint64_t)(int64_t)(int32_t)(uint32_t)v->k)
			return false;
		o = OP_i64_store_k;
		break;
	default: return false;
	}
	uint32_t sa = slot_of(c, c->h - 2);
	uint32_t k = (uint32_t)v->k;
	c->h -= 2;
	uint32_t at = op(c, o);
	emit(c, sa);
	emit(c, k);
	emit(c, off);
	site(c, at);
	return true;
}

/* Entries that alias local x get their own slot before x is written. */
static void unalias(struct comp *c, uint32_t x)
{
	for (uint32_t i = 0; i < c->h; i++)
		if (c->st[i].kind == E_SLOT && c->st[i].slot == x)
			materialize(c, i);
}

static void set_local(struct comp *c, uint32_t x)
{
	struct entry v = c->st[--c->h];
	if (v.kind == E_CONST && c->kgen[x] == c->gen && c->kval[x] == v.k)
		return; /* it already holds that value on every path here */
	unalias(c, x);
	if (v.kind == E_SLOT && v.slot == T(c, c->h) && c->last != NONE &&
	    c->last_dst && !c->oom && c->cells[c->last_dstpos] == v.slot) {
		c->cells[c->last_dstpos] = x; /* retarget the producer */
	} else {
		move(c, &v, x);
	}
	c->kgen[x] = v.kind == E_CONST ? c->gen : 0;
	c->kval[x] = v.k;
}

static void call(struct comp *c, const struct vm_functype *t, bool indirect,
		 uint32_t idx)
{
	uint32_t is = 0, base;
	if (indirect)
		is = slot_of(c, --c->h);
	/*
	 * A wrapper forwarding its own leading locals in order, with only the
	 * function's end after the call: the callee's frame can start at our
	 * fp, so neither the arguments nor the result are copied (the result
	 * lands in slot 0, which is where ours goes).
	 */
	bool fwd = c->nbl == 1 && c->h == t->nparams && c->r.p < c->r.end &&
		   *c->r.p == 0x0b && c->r.p + 1 == c->r.end;
	for (uint32_t i = 0; fwd && i < c->h; i++)
		fwd = c->st[i].kind == E_SLOT && c->st[i].slot == i;
	if (!fwd)
		for (uint32_t i = c->h - t->nparams; i < c->h; i++)
			materialize(c, i);
	c->h -= t->nparams;
	base = fwd ? 0 : T(c, c->h);
	uint32_t at = op(c, indirect ? OP_call_indirect : OP_call);
	emit(c, idx);
	emit(c, base);
	if (indirect)
		emit(c, is);
	site(c, at);
	if (t->nresults)
		push_slot(c, t->results[0], base);
	else if (c->h + 1 > c->maxh)
		c->maxh = c->h + 1; /* host calls may write args[0] anyway */
}

static void set_unreachable(struct comp *c)
{
	struct block *b = &c->bl[c->nbl - 1];
	b->unreachable = true;
	c->h = b->height;
}

/* Branch to label depth l (unconditionally). */
static void br(struct comp *c, uint32_t l)
{
	struct block *b = label(c, l);
	if (label_arity_type(b))
		move_top(c, T(c, b->height));
	op(c, OP_br);
	emit(c, 0);
	branch_to(c, b, c->n - 1);
}

/*
 * Return with the top entry as result if has_value: retarget its producer
 * to slot 0 when possible, else copy and return in one instruction.
 */
static void emit_return(struct comp *c, bool has_value)
{
	if (has_value) {
		struct entry *e = &c->st[c->h - 1];
		bool producer = e->kind == E_SLOT && e->slot == T(c, c->h - 1) &&
				c->last != NONE && c->last_dst && !c->oom &&
				c->cells[c->last_dstpos] == e->slot;
		if (e->kind == E_SLOT && e->slot != 0 && !producer) {
			op(c, OP_ret_copy);
			emit(c, e->slot);
			return;
		}
		move_top(c, 0);
	}
	op(c, OP_ret);
}

static void end_block(struct comp *c)
{
	struct block *b = &c->bl[c->nbl - 1];
	/* the function's end, reached only by falling in: return directly */
	bool direct = c->nbl == 1 && !b->patches && !b->else_site;
	if (direct) {
		if (!b->unreachable)
			emit_return(c, b->rtype != 0);
		c->nbl--;
		return;
	}
	if (!b->unreachable && b->rtype)
		move_top(c, T(c, b->height));
	if (b->else_site)
		patch_here(c, b->else_site);
	patch_list(c, b->patches);
	c->h = b->height;
	c->nbl--;
	c->last = NONE;
	c->gen++;
	if (b->rtype)
		push_slot(c, b->rtype, T(c, c->h));
	if (!c->nbl)
		emit_return(c, b->rtype != 0);
}

static void push_block(struct comp *c, uint8_t o, uint8_t rtype)
{
	struct block *b = &c->bl[c->nbl++];
	b->op = o;
	b->rtype = rtype;
	b->unreachable = false;
	b->height = c->h;
	b->target = c->n;
	b->patches = 0;
	b->else_site = 0;
	c->last = NONE;
	if (o == 0x03)
		c->gen++;
}

static void instr(struct comp *c, uint8_t w)
{
	struct vm_reader *r = &c->r;
	const struct vm_module *m = c->m;
	uint32_t x, at;

	switch (w) {
	case 0x00:
		at = op(c, OP_unreachable);
		site(c, at);
		set_unreachable(c);
		break;
	case 0x01:
		break;
	case 0x02: case 0x03: {
		uint8_t bt = vm_rd_u8(r);
		materialize_all(c);
		push_block(c, w, bt == 0x40 ? 0 : bt);
		break;
	}
	case 0x04: {
		uint8_t bt = vm_rd_u8(r);
		/* materialize below the condition first, then branch */
		struct entry cond = c->st[c->h - 1];
		c->h--;
		materialize_all(c);
		c->st[c->h++] = cond;
		uint32_t s = cond_branch(c, true);
		push_block(c, w, bt == 0x40 ? 0 : bt);
		c->bl[c->nbl - 1].else_site = s;
		break;
	}
	case 0x05: {
		struct block *b = &c->bl[c->nbl - 1];
		if (!b->unreachable) {
			if (b->rtype)
				move_top(c, T(c, b->height));
			op(c, OP_br);
			emit(c, 0);
			branch_to(c, b, c->n - 1);
		}
		patch_here(c, b->else_site);
		b->else_site = 0;
		b->unreachable = false;
		c->h = b->height;
		c->last = NONE;
		c->gen++;
		break;
	}
	case 0x0b:
		end_block(c);
		break;
	case 0x0c:
		br(c, vm_rd_u32(r));
		set_unreachable(c);
		break;
	case 0x0d: {
		struct block *b = label(c, vm_rd_u32(r));
		uint8_t lt = label_arity_type(b);
		struct entry *v = lt ? &c->st[c->h - 2] : NULL;
		if (!lt || (v->kind == E_SLOT && v->slot == T(c, b->height))) {
			branch_to(c, b, cond_branch(c, false));
		} else {
			/* value must move to the label's slot only if taken */
			uint32_t skip = cond_branch(c, true);
			move(c, &c->st[c->h - 1], T(c, b->height));
			op(c, OP_br);
			emit(c, 0);
			branch_to(c, b, c->n - 1);
			patch_here(c, skip);
			c->last = NONE;
		}
		break;
	}
	case 0x0e: {
		uint32_t n = vm_rd_u32(r);
		uint32_t is = slot_of(c, c->h - 1);
		c->h--;
		at = op(c, OP_br_table);
		emit(c, is);
		emit(c, n);
		const uint8_t *tp = r->p;
		uint32_t first = c->n;
		for (uint32_t i = 0; i <= n; i++)
			emit(c, 0);
		/* labels: direct where no value must move, else via a stub */
		for (uint32_t i = 0; i <= n; i++) {
			struct block *b = label(c, vm_rd_u32(r));
			struct entry *v = label_arity_type(b) ? &c->st[c->h - 1] : NULL;
			if (!v || (v->kind == E_SLOT && v->slot == T(c, b->height)))
				branch_to(c, b, first + i);
		}
		r->p = tp;
		for (uint32_t i = 0; i <= n; i++) {
			struct block *b = label(c, vm_rd_u32(r));
			struct entry *v = label_arity_type(b) ? &c->st[c->h - 1] : NULL;
			if (!v || (v->kind == E_SLOT && v->slot == T(c, b->height)))
				continue;
			patch_here(c, first + i);
			move(c, v, T(c, b->height));
			op(c, OP_br);
			emit(c, 0);
			branch_to(c, b, c->n - 1);
		}
		set_unreachable(c);
		break;
	}
	case 0x0f: {
		emit_return(c, c->bl[0].rtype != 0);
		set_unreachable(c);
		break;
	}
	case 0x10:
		x = vm_rd_u32(r);
		call(c, &m->types[m->func_type[x]], false, x);
		break;
	case 0x11:
		x = vm_rd_u32(r);
		vm_rd_u8(r);
		call(c, &m->types[x], true, x);
		break;
	case 0x1a:
		c->h--;
		break;
	case 0x1b: {
		struct entry *ea = &c->st[c->h - 3], *eb = &c->st[c->h - 2];
		if (ea->type == VM_I32 && (ea->kind == E_CONST) != (eb->kind == E_CONST)) {
			/* one constant arm: select_ka / select_kb */
			bool ka = ea->kind == E_CONST;
			uint32_t sc = slot_of(c, c->h - 1);
			uint32_t k = (uint32_t)(ka ? ea->k : eb->k);
			uint32_t sv = ka ? eb->slot : ea->slot;
			c->h -= 3;
			at = op(c, ka ? OP_select_ka : OP_select_kb);
			emit(c, T(c, c->h));
			emit(c, ka ? k : sv);
			emit(c, ka ? sv : k);
			emit(c, sc);
			mark_dst(c, at, 0, false);
			push_slot(c, VM_I32, T(c, c->h));
			break;
		}
		uint32_t sc = slot_of(c, c->h - 1);
		uint32_t sb = slot_of(c, c->h - 2);
		uint32_t sa = slot_of(c, c->h - 3);
		uint8_t t = c->st[c->h - 3].type;
		c->h -= 3;
		at = op(c, OP_select);
		emit(c, T(c, c->h));
		emit(c, sa);
		emit(c, sb);
		emit(c, sc);
		mark_dst(c, at, 0, false);
		push_slot(c, t, T(c, c->h));
		break;
	}
	case 0x20:
		x = vm_rd_u32(r);
		push_slot(c, c->code->local_types[x], x);
		break;
	case 0x21:
		set_local(c, vm_rd_u32(r));
		break;
	case 0x22:
		x = vm_rd_u32(r);
		set_local(c, x);
		push_slot(c, c->code->local_types[x], x);
		break;
	case 0x23:
		x = vm_rd_u32(r);
		at = op(c, OP_global_get);
		emit(c, T(c, c->h));
		emit(c, x);
		mark_dst(c, at, 0, false);
		push_slot(c, m->globals[x].type, T(c, c->h));
		break;
	case 0x24: {
		x = vm_rd_u32(r);
		uint32_t s = slot_of(c, c->h - 1);
		c->h--;
		op(c, OP_global_set);
		emit(c, x);
		emit(c, s);
		break;
	}
	case 0x3f:
		vm_rd_u8(r);
		at = op(c, OP_memory_size);
		emit(c, T(c, c->h));
		mark_dst(c, at, 0, false);
		push_slot(c, VM_I32, T(c, c->h));
		break;
	case 0x40: {
		vm_rd_u8(r);
		uint32_t s = slot_of(c, c->h - 1);
		c->h--;
		at = op(c, OP_memory_grow);
		emit(c, T(c, c->h));
		emit(c, s);
		mark_dst(c, at, 0, false);
		push_slot(c, VM_I32, T(c, c->h));
		break;
	}
	case 0x41: push_const(c, VM_I32, (uint32_t)vm_rd_sleb(r, 32)); break;
	case 0x42: push_const(c, VM_I64, (uint64_t)vm_rd_sleb(r, 64)); break;
	case 0x43: push_const(c, VM_F32, vm_rd_fixed32(r)); break;
	case 0x44: push_const(c, VM_F64, vm_rd_fixed64(r)); break;
	default:
		if (w >= 0x28 && w <= 0x35) {
			vm_rd_u32(r);
			uint32_t off = vm_rd_u32(r);
			if (fuse_load(c, w, off) || abs_load(c, w, off))
				break;
			uint32_t s = slot_of(c, c->h - 1);
			c->h--;
			at = op(c, load_ops[w - 0x28]);
			emit(c, T(c, c->h));
			emit(c, s);
			emit(c, off);
			site(c, at);
			mark_dst(c, at, 0, false);
			push_slot(c, load_types[w - 0x28], T(c, c->h));
		} else if (w >= 0x36 && w <= 0x3e) {
			vm_rd_u32(r);
			uint32_t off = vm_rd_u32(r);
			if (fuse_store(c, w, off) || store_const(c, w, off) ||
			    abs_store(c, w, off))
				break;
			uint32_t sv = slot_of(c, c->h - 1);
			uint32_t sa = slot_of(c, c->h - 2);
			c->h -= 2;
			at = op(c, load_ops[w - 0x28]);
			emit(c, sa);
			emit(c, sv);
			emit(c, off);
			site(c, at);
		} else {
			numeric(c, w);
		}
		break;
	}
}

/* Skip code after an unconditional branch up to its block's else/end. */
static bool skip_dead(struct comp *c, uint8_t w, uint32_t *depth)
{
	if (w == 0x02 || w == 0x03 || w == 0x04) {
		vm_rd_u8(&c->r);
		(*depth)++;
		return true;
	}
	if (w == 0x0b && *depth) {
		(*depth)--;
		return true;
	}
	if (w == 0x05 && *depth)
		return true;
	if (w == 0x0b || w == 0x05)
		return false; /* ours: compile it */
	vm_skip_imm(&c->r, w);
	return true;
}

uint32_t vm_code_offset(const struct vm_code *code, uint32_t cell)
{
	uint32_t lo = 0, hi = code->nsites;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (code->sites[mid].cell < cell)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < code->nsites && code->sites[lo].cell == cell)
		return code->sites[lo].offset;
	return 0;
}

bool vm_compile_func(struct vm_module *m, uint32_t idx, struct vm_error *err)
{
	struct vm_code *code = &m->codes[idx - m->nfunc_imports];
	const struct vm_functype *ft = &m->types[m->func_type[idx]];
	size_t len = (size_t)(code->end - code->body);
	struct comp c = {0};
	uint32_t dead = 0;

	c.m = m;
	c.ops = &m->ops;
	c.code = code;
	c.optab = vm_exec_optable();
	c.r.p = code->body;
	c.r.end = code->end;
	c.r.start = m->bytes;
	c.nlocals = code->nlocals;
	code->nparams = ft->nparams;
	c.last = NONE;
	/* validated: stack and block depth are within the body length and limits */
	size_t nv = len < VM_MAX_OPERANDS ? len : VM_MAX_OPERANDS;
	size_t nc = len < VM_MAX_BLOCK_DEPTH ? len : VM_MAX_BLOCK_DEPTH;
	c.st = m->ops.alloc(m->ops.ctx, (nv + 2) * sizeof(struct entry));
	c.kgen = vm_alloc(&m->ops, (size_t)code->nlocals * sizeof(uint32_t));
	c.kval = vm_alloc(&m->ops, (size_t)code->nlocals * sizeof(uint64_t));
	c.gen = 1;
	for (uint32_t i = ft->nparams; c.kgen && i < code->nlocals; i++)
		c.kgen[i] = 1;
	c.bl = m->ops.alloc(m->ops.ctx, (nc + 2) * sizeof(struct block));
	if (!c.st || !c.bl || !c.kgen || !c.kval)
		c.oom = true;
	if (!c.oom)
		push_block(&c, 0, ft->nresults ? ft->results[0] : 0);
	while (!c.oom && c.nbl) {
		c.at = vm_rd_off(&c.r);
		uint8_t w = vm_rd_u8(&c.r);
		if (c.bl[c.nbl - 1].unreachable && skip_dead(&c, w, &dead))
			continue;
		instr(&c, w);
	}
	m->ops.free(m->ops.ctx, c.st);
	m->ops.free(m->ops.ctx, c.bl);
	m->ops.free(m->ops.ctx, c.kgen);
	m->ops.free(m->ops.ctx, c.kval);
	if (c.oom) {
		m->ops.free(m->ops.ctx, c.cells);
		m->ops.free(m->ops.ctx, c.sites);
		return vm_fail(err, VM_ERR_NOMEM, "out of memory",
			       "code section", c.at);
	}
	code->cells = c.cells;
	code->ncells = c.n;
	code->sites = c.sites;
	code->nsites = c.nsites;
	code->frame_slots = c.nlocals + c.maxh + 1;
	return true;
}
