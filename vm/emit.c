/*
 * vm/emit.c: the compiler's code buffer, trap-site table, compile-time
 * operand stack (aliases, constants, materialization) and branch linking.
 */
#include "compile.h"

void vmc_emit(struct comp *c, vm_cell v)
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
uint32_t vmc_op(struct comp *c, enum vm_op o)
{
	uint32_t at = c->n;
	vmc_emit(c, c->optab[o]);
	c->prev = c->last;
	c->prev_w = c->last_w;
	c->prev_imm = c->last_imm;
	c->last = NONE;
	c->last_w = 0;
	c->last_imm = false;
	c->last_dst = false;
	c->last_dstpos = NONE;
	c->last_copies = 0;
	c->last_ld = 0;
	return at;
}

void vmc_site(struct comp *c, uint32_t cell)
{
	if (c->nsites == c->capsites) {
		uint32_t cap = c->capsites ? c->capsites * 2 : 16;
		struct vm_site *p = c->ops->realloc(c->ops->ctx, c->sites,
						    (size_t)cap * sizeof(*p));
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

void vmc_mark_dst(struct comp *c, uint32_t at, uint8_t w, bool imm)
{
	c->last = at;
	c->last_w = w;
	c->last_imm = imm;
	c->last_dst = true;
	c->last_dstpos = at + 1;
}

/*
 * The validator's highest stack bounds every push here; should that ever
 * not hold, the push lands in the spare entry and fails the compilation
 * instead of writing past the array.
 */
static struct entry *push(struct comp *c, uint8_t type, uint8_t kind)
{
	if (c->h >= c->capst) {
		c->oom = true;
		return &c->st[c->capst];
	}
	struct entry *e = &c->st[c->h++];
	e->type = type;
	e->kind = kind;
	if (c->h > c->maxh)
		c->maxh = c->h;
	return e;
}

void vmc_push_slot(struct comp *c, uint8_t type, uint32_t slot)
{
	push(c, type, E_SLOT)->slot = slot;
}

void vmc_push_const(struct comp *c, uint8_t type, uint64_t k)
{
	push(c, type, E_CONST)->k = k;
}

/* Emit code that writes entry e's value into slot dst. */
void vmc_move(struct comp *c, const struct entry *e, uint32_t dst)
{
	uint32_t at;
	if (e->kind == E_CONST) {
		if (e->k <= UINT32_MAX) {
			at = vmc_op(c, OP_const32);
			vmc_emit(c, dst);
			vmc_emit(c, (uint32_t)e->k);
		} else {
			at = vmc_op(c, OP_const64);
			vmc_emit(c, dst);
			vmc_emit(c, (uint32_t)e->k);
			vmc_emit(c, (uint32_t)(e->k >> 32));
		}
		vmc_mark_dst(c, at, 0, false);
	} else if (e->slot != dst && e->type == VM_V128) {
		at = vmc_op(c, OP_copy128);
		vmc_emit(c, dst);
		vmc_emit(c, e->slot);
		vmc_mark_dst(c, at, 0, false);
	} else if (e->slot != dst) {
		if (c->last != NONE && c->last_copies && c->last_copies < 4 &&
		    !c->oom) {
			/* extend the copy run just emitted: copy -> copy2 ...
			 */
			static const enum vm_op runs[] = {OP_copy2, OP_copy3,
							  OP_copy4};
			c->cells[c->last] = c->optab[runs[c->last_copies - 1]];
			c->last_copies++;
			vmc_emit(c, dst);
			vmc_emit(c, e->slot);
			c->last_dstpos = c->n - 2;
			return;
		}
		at = vmc_op(c, OP_copy);
		vmc_emit(c, dst);
		vmc_emit(c, e->slot);
		vmc_mark_dst(c, at, 0, false);
		c->last_copies = 1;
	}
}

/*
 * Move the top entry, which the caller consumes, into dst. If the
 * instruction just emitted produced it, write dst directly instead.
 */
void vmc_move_top(struct comp *c, uint32_t dst)
{
	struct entry *e = &c->st[c->h - 1];
	if (e->kind == E_SLOT && e->slot == T(c, c->h - 1) && c->last != NONE &&
	    c->last_dst && !c->oom && c->cells[c->last_dstpos] == e->slot) {
		c->cells[c->last_dstpos] = dst;
		e->slot = dst;
		return;
	}
	vmc_move(c, e, dst);
}

/* Put entry i into its own slot T(i); returns that slot. */
uint32_t vmc_materialize(struct comp *c, uint32_t i)
{
	struct entry *e = &c->st[i];
	if (e->kind == E_CONST || e->slot != T(c, i)) {
		vmc_move(c, e, T(c, i));
		e->kind = E_SLOT;
		e->slot = T(c, i);
	}
	return e->slot;
}

void vmc_materialize_all(struct comp *c)
{
	for (uint32_t i = 0; i < c->h; i++)
		vmc_materialize(c, i);
}

/* Slot holding entry i, materializing only constants (aliases are fine). */
uint32_t vmc_slot_of(struct comp *c, uint32_t i)
{
	if (c->st[i].kind == E_CONST)
		return vmc_materialize(c, i);
	return c->st[i].slot;
}

/* A branch offset from cell s to cell target, as a signed cell. */
vm_cell vmc_rel(uint32_t target, uint32_t s)
{
	return (vm_cell)((intptr_t)target - (intptr_t)s);
}

/* Link branch site `s` to block b's label. */
void vmc_branch_to(struct comp *c, struct block *b, uint32_t s)
{
	if (c->oom)
		return;
	if (b->op == 0x03) {
		c->cells[s] = vmc_rel(b->target, s);
	} else {
		c->cells[s] = b->patches;
		b->patches = s;
	}
}

void vmc_patch_here(struct comp *c, uint32_t s)
{
	if (!c->oom)
		c->cells[s] = vmc_rel(c->n, s);
}

void vmc_patch_list(struct comp *c, uint32_t head)
{
	while (head && !c->oom) {
		uint32_t next = (uint32_t)c->cells[head];
		c->cells[head] = vmc_rel(c->n, head);
		head = next;
	}
}

struct block *vmc_label(struct comp *c, uint32_t depth)
{
	return &c->bl[c->nbl - 1 - depth];
}
