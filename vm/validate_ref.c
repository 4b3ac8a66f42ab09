/*
 * vm/validate_ref.c: validation of reference types (2.0): the reference
 * and table instructions in function bodies, constant expressions of
 * every type, tables, element segments, and the declared functions that
 * ref.func may name (the spec's C.refs: every function named by an element
 * segment, an export or a global's initialiser, outside function bodies).
 */
#include "validate.h"

bool vm_declare_refs(struct vm_module *m)
{
	m->declared = vm_arena_alloc(&m->arena, m->nfuncs);
	if (!m->declared)
		return false;
	for (uint32_t i = 0; i < m->nexports; i++)
		if (m->exports[i].kind == VM_EXTERN_FUNC &&
		    m->exports[i].index < m->nfuncs)
			m->declared[m->exports[i].index] = true;
	for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
		const struct vm_init_expr *e = &m->globals[i].init;
		if (e->op == 0xd2 && e->val < m->nfuncs)
			m->declared[e->val] = true;
	}
	for (uint32_t i = 0; i < m->nelems; i++) {
		const struct vm_elem_def *s = &m->elems[i];
		for (uint32_t k = 0; k < s->n; k++) {
			uint64_t f = s->funcs		      ? s->funcs[k]
				     : s->exprs[k].op == 0xd2 ? s->exprs[k].val
							      : UINT64_MAX;
			if (f < m->nfuncs)
				m->declared[f] = true;
		}
	}
	return true;
}

uint8_t vm_init_type(const struct vm_module *m, const struct vm_init_expr *e,
		     const char **why)
{
	*why = e->invalid;
	if (e->invalid)
		return 0;
	switch (e->op) {
	case 0x41: return VM_I32;
	case 0x42: return VM_I64;
	case 0x43: return VM_F32;
	case 0x44: return VM_F64;
	case 0xfd: return VM_V128;
	case 0xd0: return (uint8_t)e->val;
	case 0xd2:
		if (e->val >= m->nfuncs)
			*why = "unknown function";
		return VM_FUNCREF;
	case 0x23:
		/* only imported globals, which must be immutable */
		if (e->val >= m->nglobal_imports)
			*why = "unknown global";
		else if (m->globals[e->val].mut)
			*why = "constant expression required";
		else
			return m->globals[e->val].type;
		return 0;
	default: *why = "constant expression required"; return 0;
	}
}

static bool table_lim_ok(const struct vm_limits *l)
{
	return !l->has_max || l->min <= l->max;
}

static bool elem_ok(const struct vm_module *m, const struct vm_elem_def *e,
		    const char **why)
{
	uint8_t t;
	if (e->mode == VM_ELEM_ACTIVE) {
		if (e->table >= m->ntables) {
			*why = "unknown table";
			return false;
		}
		t = vm_init_type(m, &e->offset, why);
		if (*why)
			return false;
		if (t != VM_I32 || m->tables[e->table].type != e->type) {
			*why = "type mismatch";
			return false;
		}
	}
	for (uint32_t k = 0; k < e->n; k++) {
		if (e->funcs) {
			if (e->funcs[k] >= m->nfuncs) {
				*why = "unknown function";
				return false;
			}
			continue;
		}
		t = vm_init_type(m, &e->exprs[k], why);
		if (*why)
			return false;
		if (t != e->type) {
			*why = "type mismatch";
			return false;
		}
	}
	return true;
}

bool vm_validate_refs(const struct vm_module *m, struct vm_error *err)
{
	const char *why = NULL;
	for (uint32_t i = 0; i < m->ntables; i++)
		if (!table_lim_ok(&m->tables[i].lim))
			return vm_fail(err, VM_ERR_INVALID,
				       "size minimum must not be greater than "
				       "maximum",
				       "table section", i);
	for (uint32_t i = 0; i < m->nelems; i++)
		if (!elem_ok(m, &m->elems[i], &why))
			return vm_fail(err, VM_ERR_INVALID, why,
				       "element section", i);
	return true;
}

/* A table index immediate; its element type, or 0 if there is no such
 * table. */
static uint8_t table_at(struct val *v, uint32_t x)
{
	if (x >= v->m->ntables) {
		vmv_fail(v, "unknown table");
		return 0;
	}
	return v->m->tables[x].type;
}

/* The reference type byte of ref.null and typed select. */
static uint8_t rd_reftype(struct val *v)
{
	uint8_t t = vm_rd_u8(&v->r);
	if (vm_rd_ok(&v->r) && !vm_is_ref(t))
		vm_rd_fail(&v->r, "malformed reference type");
	return t;
}

static void typed_select(struct val *v)
{
	struct vm_reader *r = &v->r;
	uint32_t n = vm_rd_u32(r);
	if (!vm_rd_ok(r))
		return;
	if (n != 1) {
		/* skip them: the body reads on */
		for (uint64_t i = 0; i < n && vm_rd_ok(r); i++)
			vm_rd_u8(r);
		vmv_fail(v, "invalid result arity");
		return;
	}
	uint8_t t = vm_rd_u8(r);
	if (vm_rd_ok(r) && (t < VM_F64 || t > VM_I32) && !vm_is_ref(t)) {
		vm_rd_fail(r, "malformed value type");
		return;
	}
	vmv_pop(v, VM_I32);
	vmv_pop(v, t);
	vmv_pop(v, t);
	vmv_push(v, t);
}

void vm_validate_ref_instr(struct val *v, uint8_t op)
{
	const struct vm_module *m = v->m;
	struct vm_reader *r = &v->r;
	uint32_t x;
	uint8_t t;

	if (!vm_has(m, VM_FEATURE_REFERENCE_TYPES)) {
		vm_rd_fail(r, "illegal opcode");
		return;
	}
	switch (op) {
	case 0x1c: typed_select(v); break;
	case 0x25:
	case 0x26:
		t = table_at(v, vm_rd_u32(r));
		if (op == 0x26)
			vmv_pop(v, t ? t : ANY);
		vmv_pop(v, VM_I32);
		if (op == 0x25)
			vmv_push(v, t ? t : ANY);
		break;
	case 0xd0:
		t = rd_reftype(v);
		vmv_push(v, t);
		break;
	case 0xd1:
		t = vmv_pop(v, ANY);
		if (t != ANY && !vm_is_ref(t))
			vmv_fail(v, "type mismatch");
		vmv_push(v, VM_I32);
		break;
	case 0xd2:
		x = vm_rd_u32(r);
		if (x >= m->nfuncs)
			vmv_fail(v, "unknown function");
		else if (!m->declared[x])
			vmv_fail(v, "undeclared function reference");
		vmv_push(v, VM_FUNCREF);
		break;
	}
}

/* Prefix 0xfc 12..17: table.init e t, elem.drop e, table.copy d s,
 * table.grow t, table.size t, table.fill t. */
void vm_validate_table_instr(struct val *v, uint32_t sub)
{
	const struct vm_module *m = v->m;
	struct vm_reader *r = &v->r;
	uint32_t x = vm_rd_u32(r), y = 0;
	uint8_t t, u;

	if (sub == 12 || sub == 14)
		y = vm_rd_u32(r);
	if (!vm_rd_ok(r))
		return;
	if (sub == 12 || sub == 13) { /* elem x (table y) */
		if (x >= m->nelems) {
			vmv_fail(v, "unknown elem segment");
			return;
		}
		if (sub == 13)
			return;
	}
	t = table_at(v, sub == 12 ? y : x);
	switch (sub) {
	case 12:
	case 14: /* d s n, of matching types */
		u = sub == 12 ? m->elems[x].type : table_at(v, y);
		if (t && u && t != u)
			vmv_fail(v, "type mismatch");
		vmv_pop(v, VM_I32);
		vmv_pop(v, VM_I32);
		vmv_pop(v, VM_I32);
		break;
	case 15: /* val n -> old size */
		vmv_pop(v, VM_I32);
		vmv_pop(v, t ? t : ANY);
		vmv_push(v, VM_I32);
		break;
	case 16: vmv_push(v, VM_I32); break;
	case 17: /* i val n */
		vmv_pop(v, VM_I32);
		vmv_pop(v, t ? t : ANY);
		vmv_pop(v, VM_I32);
		break;
	}
}
