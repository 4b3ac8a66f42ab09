/*
 * vm/control.c: the compiler's control instructions (0x00..0x11): blocks,
 * branches, calls and returns, and the moves of the values they carry.
 *
 * A block's values live in fixed slots: its parameters are the top entries
 * at entry (all materialized, so in T(height)..), and its results must be
 * in T(height)..T(height + n - 1) at its end, where height is the stack
 * height below the parameters. Every branch to the block moves its values
 * there first: a block's or if's results, a loop's parameters. A function
 * returns its results in slots 0..n - 1 of its frame, which are the
 * caller's T(h).. for the call's height h: the callee's frame starts at
 * its first argument.
 *
 * One value moves with vmc_move_top (retargeting its producer) as in 1.0;
 * several move in ascending slot order, which is safe whenever no value
 * sits in a slot an earlier move of the same branch writes (see
 * move_values).
 *
 * In a wide function (simd_vm.h, compile_simd.c) entries are two slots
 * apart and returned values packed: dst_of says where value j goes, and
 * calls pack their arguments and unpack their results.
 */
#include "compile.h"
#include "simd_vm.h"

/* Values a branch to b carries: a loop's parameters, else its results. */
static uint32_t label_n(const struct block *b)
{
	return b->op == 0x03 ? b->t.nparams : b->t.nresults;
}

/*
 * Where the j-th of the values from entry `first` up goes when they move
 * to dst: consecutive slots, except in a wide function (simd_vm.h), where
 * they are two slots apart (a label's, like the entries) or packed (a
 * return's).
 */
static uint32_t dst_of(struct comp *c, uint32_t first, uint32_t dst, uint32_t j,
		       bool packed)
{
	if (!c->wide)
		return dst + j;
	if (!packed)
		return dst + 2 * j;
	for (uint32_t k = 0; k < j; k++)
		dst += vm_slots(c->st[first + k].type);
	return dst;
}

/*
 * Whether one of the top n entries is in a slot among dst..dst + n - 1
 * that an earlier move (in ascending order) would overwrite before it is
 * read (in a wide function: whose slots meet those an earlier move
 * writes).
 */
static bool clobbers(struct comp *c, uint32_t n, uint32_t dst, bool packed)
{
	uint32_t first = c->h - n;
	for (uint32_t j = 0; j < n; j++) {
		const struct entry *e = &c->st[first + j];
		if (e->kind != E_SLOT)
			continue;
		if (!c->wide && e->slot >= dst && e->slot < dst + j)
			return true;
		for (uint32_t k = 0; c->wide && k < j; k++) {
			uint32_t d = dst_of(c, first, dst, k, packed);
			uint32_t w = vm_slots(c->st[first + k].type);
			if (e->slot < d + w && d < e->slot + vm_slots(e->type))
				return true;
		}
	}
	return false;
}

/*
 * Copy the top n entries to slots dst.. without changing the entries (the
 * code may be on one path only: a br_if's or br_table's taken branch).
 * When ascending copies would overwrite a value before reading it (a
 * function returning local 1 then local 0), the values go through the
 * free slots above the stack first.
 */
static void move_values(struct comp *c, uint32_t n, uint32_t dst, bool packed)
{
	uint32_t first = c->h - n;
	if (clobbers(c, n, dst, packed)) {
		uint32_t tmp = T(c, c->h);
		if (c->h + n > c->maxh)
			c->maxh = c->h + n;
		for (uint32_t j = 0; j < n; j++)
			vmc_move(c, &c->st[first + j],
				 dst_of(c, first, tmp, j, false));
		for (uint32_t j = 0; j < n; j++) {
			struct entry e = {c->st[first + j].type, E_SLOT,
					  dst_of(c, first, tmp, j, false), 0};
			vmc_move(c, &e, dst_of(c, first, dst, j, packed));
		}
		return;
	}
	for (uint32_t j = 0; j < n; j++)
		vmc_move(c, &c->st[first + j],
			 dst_of(c, first, dst, j, packed));
}

/*
 * Move the top n entries to slots dst..; `consumed`: they are dropped
 * right after, so one value may retarget its producer.
 */
static void move_top(struct comp *c, uint32_t n, uint32_t dst, bool consumed)
{
	if (n == 1 && consumed)
		vmc_move_top(c, dst);
	else if (n == 1)
		vmc_move(c, &c->st[c->h - 1], dst);
	else if (n)
		move_values(c, n, dst, false);
}

/* Whether entries top - n .. top - 1 already sit in slots dst.. (packed:
 * as a return leaves them). */
static bool in_place(struct comp *c, uint32_t top, uint32_t n, uint32_t dst,
		     bool packed)
{
	for (uint32_t j = 0; j < n; j++) {
		const struct entry *e = &c->st[top - n + j];
		if (e->kind != E_SLOT ||
		    e->slot != dst_of(c, top - n, dst, j, packed))
			return false;
	}
	return true;
}

/* Whether a branch to b, its values the entries below `top`, moves
 * nothing. */
static bool in_label_slot(struct comp *c, struct block *b, uint32_t top)
{
	return in_place(c, top, label_n(b), T(c, b->height), false);
}

static void set_unreachable(struct comp *c)
{
	struct block *b = &c->bl[c->nbl - 1];
	b->unreachable = true;
	c->h = b->height;
}

/* An unconditional branch to block b (patched when b's label is known). */
static void jump_to(struct comp *c, struct block *b)
{
	vmc_op(c, OP_br);
	vmc_emit(c, 0);
	vmc_branch_to(c, b, c->n - 1);
}

/* Branch to label depth l (unconditionally). */
static void br(struct comp *c, uint32_t l)
{
	struct block *b = vmc_label(c, l);
	move_top(c, label_n(b), T(c, b->height), true);
	jump_to(c, b);
}

/*
 * Return with the top n entries as results. One: retarget its producer to
 * slot 0 when possible, else copy and return in one instruction.
 */
static void emit_return(struct comp *c, uint32_t n)
{
	if (n == 1) {
		struct entry *e = &c->st[c->h - 1];
		bool producer = e->kind == E_SLOT &&
				e->slot == T(c, c->h - 1) && c->last != NONE &&
				c->last_dst && !c->oom &&
				c->cells[c->last_dstpos] == e->slot;
		if (e->kind == E_SLOT && e->slot != 0 && !producer &&
		    e->type != VM_V128) {
			vmc_op(c, OP_ret_copy);
			vmc_emit(c, e->slot);
			return;
		}
		vmc_move_top(c, 0);
	} else if (n && !in_place(c, c->h, n, 0, true)) {
		move_values(c, n, 0, true);
	}
	vmc_op(c, OP_ret);
}

/* Push the block's n values of the given types, in slots T(h).. */
static void push_values(struct comp *c, uint32_t n, const uint8_t *types)
{
	for (uint32_t j = 0; j < n; j++)
		vmc_push_slot(c, types[j], T(c, c->h));
}

static void end_block(struct comp *c)
{
	struct block *b = &c->bl[c->nbl - 1];
	uint32_t n = b->t.nresults;
	/* the function's end, reached only by falling in: return directly */
	bool direct = c->nbl == 1 && !b->patches && !b->else_site;
	if (direct) {
		if (!b->unreachable)
			emit_return(c, n);
		c->nbl--;
		return;
	}
	if (!b->unreachable)
		move_top(c, n, T(c, b->height), true);
	if (b->else_site)
		vmc_patch_here(c, b->else_site);
	vmc_patch_list(c, b->patches);
	c->h = b->height;
	c->nbl--;
	c->last = NONE;
	c->gen++;
	push_values(c, n, b->t.results);
	if (!c->nbl)
		emit_return(c, n);
}

void vmc_push_block(struct comp *c, uint8_t o, const struct vm_blocktype *t)
{
	struct block *b = &c->bl[c->nbl++];
	b->op = o;
	b->t = *t;
	b->unreachable = false;
	b->height = c->h - t->nparams;
	b->target = c->n;
	b->patches = 0;
	b->else_site = 0;
	c->last = NONE;
	if (o == 0x03)
		c->gen++;
}

static void trap_unreachable(struct comp *c)
{
	uint32_t at = vmc_op(c, OP_unreachable);
	vmc_site(c, at);
	set_unreachable(c);
}

/*
 * if: materialize below the condition first (the parameters too: the else
 * arm finds them in their slots), then branch over the arm.
 */
static void if_block(struct comp *c, const struct vm_blocktype *t)
{
	struct entry cond = c->st[c->h - 1];
	c->h--;
	vmc_materialize_all(c);
	c->st[c->h++] = cond;
	uint32_t s = vmc_cond_branch(c, true);
	vmc_push_block(c, 0x04, t);
	c->bl[c->nbl - 1].else_site = s;
}

static void else_block(struct comp *c)
{
	struct block *b = &c->bl[c->nbl - 1];
	if (!b->unreachable) {
		move_top(c, b->t.nresults, T(c, b->height), true);
		jump_to(c, b);
	}
	vmc_patch_here(c, b->else_site);
	b->else_site = 0;
	b->unreachable = false;
	c->h = b->height;
	push_values(c, b->t.nparams, b->t.params);
	c->last = NONE;
	c->gen++;
}

static void br_if(struct comp *c, uint32_t l)
{
	struct block *b = vmc_label(c, l);
	if (in_label_slot(c, b, c->h - 1)) {
		vmc_branch_to(c, b, vmc_cond_branch(c, false));
		return;
	}
	/* the values must move to the label's slots only if taken */
	uint32_t skip = vmc_cond_branch(c, true);
	move_top(c, label_n(b), T(c, b->height), false);
	jump_to(c, b);
	vmc_patch_here(c, skip);
	c->last = NONE;
}

/*
 * br_table n: a table of n + 1 branch cells. Labels whose values are
 * already in place are patched directly, the others go through a stub that
 * moves the values, placed after the table (a second pass over the label
 * list).
 */
static void br_table(struct comp *c)
{
	struct vm_reader *r = &c->r;
	uint32_t n = vm_rd_u32(r);
	uint32_t is = vmc_slot_of(c, c->h - 1);
	c->h--;
	vmc_op(c, OP_br_table);
	vmc_emit(c, is);
	vmc_emit(c, n);
	const uint8_t *tp = r->p;
	uint32_t first = c->n;
	for (uint32_t i = 0; i <= n; i++)
		vmc_emit(c, 0);
	for (uint32_t i = 0; i <= n; i++) {
		struct block *b = vmc_label(c, vm_rd_u32(r));
		if (in_label_slot(c, b, c->h))
			vmc_branch_to(c, b, first + i);
	}
	r->p = tp;
	for (uint32_t i = 0; i <= n; i++) {
		struct block *b = vmc_label(c, vm_rd_u32(r));
		if (in_label_slot(c, b, c->h))
			continue;
		vmc_patch_here(c, first + i);
		move_top(c, label_n(b), T(c, b->height), false);
		jump_to(c, b);
	}
	set_unreachable(c);
}

static void call(struct comp *c, const struct vm_functype *t, bool indirect,
		 uint32_t idx, uint32_t table)
{
	uint32_t is = 0, base;
	if (indirect)
		is = vmc_slot_of(c, --c->h);
	/*
	 * A wrapper forwarding its own leading locals in order, with only the
	 * function's end after the call: the callee's frame can start at our
	 * fp, so neither the arguments nor the results are copied (they land
	 * in slots 0.., which is where ours go).
	 */
	bool fwd = !c->wide && c->nbl == 1 && c->h == t->nparams &&
		   c->r.p < c->r.end && *c->r.p == 0x0b &&
		   c->r.p + 1 == c->r.end;
	for (uint32_t i = 0; fwd && i < c->h; i++)
		fwd = c->st[i].kind == E_SLOT && c->st[i].slot == i;
	if (!fwd)
		for (uint32_t i = c->h - t->nparams; i < c->h; i++)
			vmc_materialize(c, i);
	if (c->wide)
		vmc_pack_args(c, t->nparams);
	c->h -= t->nparams;
	base = fwd ? 0 : T(c, c->h);
	uint32_t at = vmc_op(c, indirect ? OP_call_indirect : OP_call);
	/* call_indirect: the canonical type itself (module-lifetime), so
	 * the handler compares without loading the module */
	vmc_emit(c, indirect ? (vm_cell)c->m->canon[idx] : idx);
	vmc_emit(c, base);
	if (indirect) {
		vmc_emit(c, is);
		vmc_emit(c, table);
	}
	vmc_site(c, at);
	if (c->wide)
		vmc_unpack_results(c, t->nresults, t->results);
	for (uint32_t j = 0; j < t->nresults; j++)
		vmc_push_slot(c, t->results[j],
			      c->wide ? T(c, c->h) : base + j);
	if (!t->nresults && c->h + 1 > c->maxh)
		c->maxh = c->h + 1; /* host calls may write args[0] anyway */
}

void vmc_control(struct comp *c, uint8_t w)
{
	struct vm_reader *r = &c->r;
	const struct vm_module *m = c->m;
	struct vm_blocktype bt;
	uint32_t x;

	switch (w) {
	case 0x00: trap_unreachable(c); break;
	case 0x01: break;
	case 0x02:
	case 0x03:
		vm_rd_blocktype(r, m, &bt);
		vmc_materialize_all(c);
		vmc_push_block(c, w, &bt);
		break;
	case 0x04:
		vm_rd_blocktype(r, m, &bt);
		if_block(c, &bt);
		break;
	case 0x05: else_block(c); break;
	case 0x0b: end_block(c); break;
	case 0x0c:
		br(c, vm_rd_u32(r));
		set_unreachable(c);
		break;
	case 0x0d: br_if(c, vm_rd_u32(r)); break;
	case 0x0e: br_table(c); break;
	case 0x0f:
		emit_return(c, c->bl[0].t.nresults);
		set_unreachable(c);
		break;
	case 0x10:
		x = vm_rd_u32(r);
		call(c, &m->types[m->func_type[x]], false, x, 0);
		break;
	case 0x11:
		x = vm_rd_u32(r);
		/* the table: 1.0's zero byte reads as index 0 */
		call(c, &m->types[x], true, x, vm_rd_u32(r));
		break;
	}
}
