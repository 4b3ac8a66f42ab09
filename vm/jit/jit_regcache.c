/*
 * vm/jit/jit_regcache.c: the register cache's ISA-neutral bookkeeping
 * (jit_regcache.h): which register holds which slot, which slots are
 * known constants, which cells are joins. No code is emitted here.
 */
#include "jit_regcache.h"
#include "jit_ops.h"
#include "jit_ops_num.h"

void jit_rc_init(struct jit_regcache *rc, unsigned nregs, const uint8_t *joins,
		 uint32_t ncells)
{
	*rc = (struct jit_regcache){0};
	rc->nregs =
		(uint8_t)(nregs > JIT_RC_MAX_REGS ? JIT_RC_MAX_REGS : nregs);
	rc->joins = joins;
	rc->ncells = ncells;
}

void jit_rc_reset(struct jit_regcache *rc)
{
	for (unsigned i = 0; i < JIT_RC_MAX_ENTRIES; i++)
		rc->e[i].kind = JIT_RC_NONE;
	rc->pinned = 0;
}

void jit_rc_begin_op(struct jit_regcache *rc)
{
	rc->pinned = 0;
}

static struct jit_rc_entry *entry_of(struct jit_regcache *rc, vm_cell s)
{
	for (unsigned i = 0; i < JIT_RC_MAX_ENTRIES; i++)
		if (rc->e[i].kind != JIT_RC_NONE && rc->e[i].slot == s)
			return &rc->e[i];
	return NULL;
}

void jit_rc_pin(struct jit_regcache *rc, unsigned r)
{
	rc->pinned |= (uint8_t)(1u << r);
}

void jit_rc_unpin(struct jit_regcache *rc, unsigned r)
{
	rc->pinned &= (uint8_t) ~(1u << r);
}

int jit_rc_find(struct jit_regcache *rc, vm_cell s)
{
	struct jit_rc_entry *e = entry_of(rc, s);
	if (!e || e->kind != JIT_RC_REG)
		return -1;
	rc->used[e->value] = ++rc->clock;
	return (int)e->value;
}

bool jit_rc_const(struct jit_regcache *rc, vm_cell s, uint32_t *k)
{
	struct jit_rc_entry *e = entry_of(rc, s);
	if (!e || e->kind != JIT_RC_CONST)
		return false;
	*k = e->value;
	return true;
}

static bool holds_any(const struct jit_regcache *rc, unsigned r)
{
	for (unsigned i = 0; i < JIT_RC_MAX_ENTRIES; i++)
		if (rc->e[i].kind == JIT_RC_REG && rc->e[i].value == r)
			return true;
	return false;
}

int jit_rc_take(struct jit_regcache *rc)
{
	int best = -1;
	bool best_empty = false;
	for (unsigned r = 0; r < rc->nregs; r++) {
		if (rc->pinned >> r & 1)
			continue;
		bool empty = !holds_any(rc, r);
		if (best < 0 || (empty && !best_empty) ||
		    (empty == best_empty && rc->used[r] < rc->used[best])) {
			best = (int)r;
			best_empty = empty;
		}
	}
	if (best < 0)
		return -1;
	jit_rc_clobber(rc, (unsigned)best);
	rc->used[best] = ++rc->clock;
	jit_rc_pin(rc, (unsigned)best);
	return best;
}

void jit_rc_forget(struct jit_regcache *rc, vm_cell s)
{
	struct jit_rc_entry *e = entry_of(rc, s);
	if (e)
		e->kind = JIT_RC_NONE;
}

void jit_rc_clobber(struct jit_regcache *rc, unsigned r)
{
	for (unsigned i = 0; i < JIT_RC_MAX_ENTRIES; i++)
		if (rc->e[i].kind == JIT_RC_REG && rc->e[i].value == r)
			rc->e[i].kind = JIT_RC_NONE;
}

/* A free entry for slot s (its old one dropped); when the table is full
 * the oldest register entry is dropped (forgetting is always safe). */
static struct jit_rc_entry *new_entry(struct jit_regcache *rc, vm_cell s)
{
	jit_rc_forget(rc, s);
	struct jit_rc_entry *victim = NULL;
	for (unsigned i = 0; i < JIT_RC_MAX_ENTRIES; i++) {
		struct jit_rc_entry *e = &rc->e[i];
		if (e->kind == JIT_RC_NONE)
			return e;
		if (!victim || (e->kind == JIT_RC_REG &&
				(victim->kind != JIT_RC_REG ||
				 rc->used[e->value] < rc->used[victim->value])))
			victim = e;
	}
	return victim;
}

void jit_rc_bind(struct jit_regcache *rc, unsigned r, vm_cell s)
{
	if (r >= rc->nregs)
		return;
	struct jit_rc_entry *e = new_entry(rc, s);
	*e = (struct jit_rc_entry){s, r, JIT_RC_REG};
	rc->used[r] = ++rc->clock;
}

void jit_rc_set_const(struct jit_regcache *rc, vm_cell s, uint32_t k)
{
	struct jit_rc_entry *e = new_entry(rc, s);
	*e = (struct jit_rc_entry){s, k, JIT_RC_CONST};
}

/* Mark the target of the branch offset at pc[i] (cell at + i). */
static bool mark(uint8_t *bits, uint32_t ncells, const vm_cell *pc, uint32_t at,
		 uint32_t i)
{
	intptr_t target = (intptr_t)(at + i) + (intptr_t)pc[i];
	if (target < 0 || (uintptr_t)target >= ncells)
		return false;
	bits[(uintptr_t)target / 8] |= (uint8_t)(1u << ((uintptr_t)target % 8));
	return true;
}

bool jit_rc_mark_joins(uint8_t *bits, uint32_t ncells, enum vm_op op,
		       const vm_cell *pc, uint32_t at)
{
	int form;
	bool imm;
	if (jit_cmp_of(op, &form, &imm) != OP_COUNT) {
		if (form == 0)
			return true;
		return mark(bits, ncells, pc, at, form == 1 ? 3 : 5);
	}
	if (jit_cmp64_of(op, &form, &imm) != OP_COUNT)
		return form == 0 || mark(bits, ncells, pc, at, 3);
	switch (op) {
	case OP_br: return mark(bits, ncells, pc, at, 1);
	case OP_br_if:
	case OP_br_unless:
	case OP_brz_i32:
	case OP_brz_i64: return mark(bits, ncells, pc, at, 2);
	case OP_br_and:
	case OP_br_and_i:
	case OP_brz_and:
	case OP_brz_and_i: return mark(bits, ncells, pc, at, 3);
	case OP_br_table:
		for (uint32_t k = 0; k <= (uint32_t)pc[2]; k++)
			if (!mark(bits, ncells, pc, at, 3 + k))
				return false;
		return true;
	default: return true;
	}
}
