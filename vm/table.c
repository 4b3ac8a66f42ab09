/*
 * vm/table.c: tables (reference types): the objects, their embedder API,
 * and the table instructions, out of the interpreter loop like bulk.c.
 *
 * A table's elements are references as slots hold them (vm.h): 64 bits,
 * 0 for null, a funcref the address of a struct vm_func. Every instruction
 * checks its whole range first, with sums in 64 bits, so one that traps
 * ("out of bounds table access") has written nothing; a zero length is in
 * bounds up to and including the end.
 */
#include "internal.h"

struct vm_table *vm_table_new_type(const struct vm_host_ops *ops, uint8_t type,
				   uint32_t size, uint32_t max, bool has_max)
{
	if (!vm_ops_ok(ops) || !vm_is_ref(type) || size > VM_MAX_TABLE_ELEMS ||
	    (has_max && size > max))
		return NULL;
	struct vm_table *t = vm_alloc(ops, sizeof(*t));
	if (!t)
		return NULL;
	t->elems = vm_alloc(ops, (size_t)size * sizeof(*t->elems));
	if (!t->elems) {
		ops->free(ops->ctx, t);
		return NULL;
	}
	t->tag = VM_TAG_TABLE;
	t->type = type;
	t->ops = ops;
	t->size = size;
	t->max = max;
	t->has_max = has_max;
	return t;
}

struct vm_table *vm_table_new(const struct vm_host_ops *ops, uint32_t size,
			      uint32_t max, bool has_max)
{
	return vm_table_new_type(ops, VM_FUNCREF, size, max, has_max);
}

void vm_table_free(const struct vm_host_ops *ops, struct vm_table *t)
{
	(void)ops;
	if (!VM_IS(t, VM_TAG_TABLE) || t->owned)
		return;
	t->tag = 0;
	t->ops->free(t->ops->ctx, t->elems);
	t->ops->free(t->ops->ctx, t);
}

uint8_t vm_table_type(const struct vm_table *t)
{
	return VM_IS(t, VM_TAG_TABLE) ? t->type : 0;
}

uint32_t vm_table_size(const struct vm_table *t)
{
	return VM_IS(t, VM_TAG_TABLE) ? t->size : 0;
}

bool vm_table_get(const struct vm_table *t, uint32_t i, vm_value *v)
{
	if (!VM_IS(t, VM_TAG_TABLE) || i >= t->size || !v)
		return false;
	v->u64 = t->elems[i];
	return true;
}

/* A funcref from the embedder: null or a function (vm.h). */
static bool funcref_ok(uint64_t v)
{
	return !v || (v <= UINTPTR_MAX &&
		      VM_IS((const void *)(uintptr_t)v, VM_TAG_FUNC));
}

bool vm_table_set(struct vm_table *t, uint32_t i, vm_value v)
{
	if (!VM_IS(t, VM_TAG_TABLE) || i >= t->size ||
	    (t->type == VM_FUNCREF && !funcref_ok(v.u64)))
		return false;
	t->elems[i] = v.u64;
	return true;
}

vm_value vm_ref_func(struct vm_func *f)
{
	vm_value v = {.u64 = VM_IS(f, VM_TAG_FUNC) ? (uintptr_t)f : 0};
	return v;
}

struct vm_func *vm_ref_to_func(vm_value v)
{
	return v.u64 && funcref_ok(v.u64) ? (struct vm_func *)(uintptr_t)v.u64
					  : NULL;
}

bool vm_ref_arg_ok(uint8_t type, vm_value v)
{
	return type != VM_FUNCREF || funcref_ok(v.u64);
}

/* table.grow: the old size, or -1 (table unchanged) past the maximum,
 * VM_MAX_TABLE_ELEMS or the allocator. New elements are `init`. */
static int64_t table_grow(struct vm_table *t, uint64_t init, uint32_t n)
{
	uint32_t old = t->size;
	uint64_t max = t->has_max ? t->max : UINT32_MAX;
	if (max > VM_MAX_TABLE_ELEMS)
		max = VM_MAX_TABLE_ELEMS;
	if ((uint64_t)old + n > max)
		return -1;
	if (!n)
		return old;
	uint64_t *p = t->ops->realloc(t->ops->ctx, t->elems,
				      ((size_t)old + n) * sizeof(*p));
	if (!p)
		return -1;
	for (uint32_t k = 0; k < n; k++)
		p[old + k] = init;
	t->elems = p;
	t->size = old + n;
	return old;
}

static bool in_bounds(uint32_t size, uint32_t at, uint32_t n)
{
	return (uint64_t)at + n <= size;
}

/* table.init x y: d s n from element segment x into table y. */
static int table_init(struct vm_instance *inst, uint32_t x, uint32_t y,
		      uint32_t d, uint32_t s, uint32_t n)
{
	const struct vm_elem_def *seg = &inst->m->elems[x];
	struct vm_table *t = inst->tables[y];
	uint32_t len = inst->elem_dropped[x] ? 0 : seg->n;
	if (!in_bounds(len, s, n) || !in_bounds(t->size, d, n))
		return VM_TRAP_TABLE_ACCESS;
	for (uint32_t k = 0; k < n; k++)
		t->elems[d + k] = vm_elem_item(inst, seg, s + k);
	return VM_TRAP_NONE;
}

int vm_table_exec(struct vm_instance *inst, const vm_cell *pc, vm_value *fp)
{
	uint32_t sub = (uint32_t)pc[1], x = (uint32_t)pc[6];
	uint32_t y = (uint32_t)pc[7];
	vm_value a = fp[pc[3]], b = fp[pc[4]], c = fp[pc[5]];
	vm_value *dst = &fp[pc[2]];
	struct vm_table *t = x < inst->m->ntables ? inst->tables[x] : NULL;

	switch (sub) {
	case 0x25: /* table.get x: i */
		if (a.u32 >= t->size)
			return VM_TRAP_TABLE_ACCESS;
		dst->u64 = t->elems[a.u32];
		break;
	case 0x26: /* table.set x: i val */
		if (a.u32 >= t->size)
			return VM_TRAP_TABLE_ACCESS;
		t->elems[a.u32] = b.u64;
		break;
	case 0xd2: dst->u64 = (uintptr_t)inst->funcs[x]; break;
	case 12: return table_init(inst, x, y, a.u32, b.u32, c.u32);
	case 13: inst->elem_dropped[x] = true; break;
	case 14: { /* table.copy x y: d s n, overlap as memmove */
		struct vm_table *src = inst->tables[y];
		if (!in_bounds(t->size, a.u32, c.u32) ||
		    !in_bounds(src->size, b.u32, c.u32))
			return VM_TRAP_TABLE_ACCESS;
		if (c.u32)
			memmove(t->elems + a.u32, src->elems + b.u32,
				(size_t)c.u32 * sizeof(*t->elems));
		break;
	}
	case 15: /* table.grow x: val n */
		dst->u64 = (uint32_t)table_grow(t, a.u64, b.u32);
		break;
	case 16: dst->u64 = t->size; break;
	case 17: /* table.fill x: i val n */
		if (!in_bounds(t->size, a.u32, c.u32))
			return VM_TRAP_TABLE_ACCESS;
		for (uint32_t k = 0; k < c.u32; k++)
			t->elems[a.u32 + k] = b.u64;
		break;
	}
	return VM_TRAP_NONE;
}
