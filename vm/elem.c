/*
 * vm/elem.c: element segments at run time, and the 2.0 instantiation of
 * segments.
 *
 * An element segment's items are evaluated when they are written (by
 * instantiation or table.init), not kept: a function index names the same
 * function for the instance's whole life, ref.null is null, and global.get
 * reads an imported immutable global, so the value is the one
 * instantiation would have computed. Nothing is stored per segment but
 * whether it was dropped.
 */
#include "internal.h"

uint64_t vm_elem_item(const struct vm_instance *inst,
		      const struct vm_elem_def *seg, uint32_t i)
{
	if (seg->funcs)
		return (uintptr_t)inst->funcs[seg->funcs[i]];
	return vm_eval_init(inst, &seg->exprs[i]);
}

/*
 * WebAssembly 2.0: the active element segments in order, then the active
 * data segments in order, each as table.init/memory.init followed by a
 * drop; the first one out of bounds traps, and the segments written
 * before it stay written (an imported table or memory keeps them).
 * Declarative segments are dropped. VM_INST_NO_DATA leaves the data
 * segments alone (but still drops the active ones).
 */
bool vm_init_segments(struct vm_instance *inst, unsigned flags,
		      struct vm_error *err)
{
	const struct vm_module *m = inst->m;
	for (uint32_t i = 0; i < m->nelems; i++) {
		const struct vm_elem_def *e = &m->elems[i];
		if (e->mode == VM_ELEM_PASSIVE)
			continue;
		inst->elem_dropped[i] = true;
		if (e->mode == VM_ELEM_DECLARATIVE)
			continue;
		struct vm_table *t = inst->tables[e->table];
		uint32_t off = (uint32_t)vm_eval_init(inst, &e->offset);
		if ((uint64_t)off + e->n > t->size) {
			vm_fail(err, VM_ERR_TRAP, "out of bounds table access",
				"element segment", i);
			err->trap = VM_TRAP_TABLE_ACCESS;
			return false;
		}
		for (uint32_t k = 0; k < e->n; k++)
			t->elems[off + k] = vm_elem_item(inst, e, k);
	}
	for (uint32_t i = 0; i < m->ndatas; i++) {
		const struct vm_data_def *d = &m->datas[i];
		if (d->passive)
			continue;
		inst->data_dropped[i] = true;
		if (flags & VM_INST_NO_DATA)
			continue;
		uint32_t off = (uint32_t)vm_eval_init(inst, &d->offset);
		if ((uint64_t)off + d->len > inst->mem->size) {
			vm_fail(err, VM_ERR_TRAP, "out of bounds memory access",
				"data segment", i);
			err->trap = VM_TRAP_MEM_OOB;
			return false;
		}
		if (d->len)
			memcpy(inst->mem->data + off, d->bytes, d->len);
	}
	return true;
}

/*
 * After a segment trapped without VM_INST_KEEP_ON_TRAP the instance is
 * freed: null every element of an imported table that points to one of
 * its functions, so that nothing can call into freed memory.
 */
void vm_unlink_funcs(struct vm_instance *inst)
{
	const struct vm_module *m = inst->m;
	uintptr_t lo = (uintptr_t)inst->own_funcs;
	uintptr_t hi =
		lo + (m->nfuncs - m->nfunc_imports) * sizeof(*inst->own_funcs);
	for (uint32_t i = 0; i < m->ntable_imports; i++) {
		struct vm_table *t = inst->tables[i];
		for (uint32_t k = 0; k < t->size; k++)
			if (t->elems[k] >= lo && t->elems[k] < hi)
				t->elems[k] = 0;
	}
}
