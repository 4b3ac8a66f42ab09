/*
 * vm/instance.c: linking and instantiation, and the runtime objects
 * (memories, tables, globals, host functions) an instance is built from.
 */
#include "internal.h"

/* Stand-ins for a module without memory or table: size 0, never grown. */
static struct vm_memory empty_mem = {.tag = VM_TAG_MEMORY, .owned = true};
static struct vm_table empty_table = {.tag = VM_TAG_TABLE, .owned = true};

static bool valtype_ok(uint8_t t)
{
	return t == VM_I32 || t == VM_I64 || t == VM_F32 || t == VM_F64 ||
	       t == VM_V128 || vm_is_ref(t);
}

#define PAGE 65536u

struct vm_memory *vm_memory_new(const struct vm_host_ops *ops, uint32_t pages,
				uint32_t max_pages, bool has_max)
{
	if (!vm_ops_ok(ops) || pages > VM_MAX_PAGES ||
	    (has_max && (pages > max_pages || max_pages > 65536)))
		return NULL;
	struct vm_memory *mem = vm_alloc(ops, sizeof(*mem));
	if (!mem)
		return NULL;
	mem->tag = VM_TAG_MEMORY;
	mem->ops = ops;
	mem->pages = pages;
	mem->max = max_pages;
	mem->has_max = has_max;
	mem->size = (uint64_t)pages * PAGE;
	if (pages) {
		mem->data = ops->mem_alloc(ops->ctx, (size_t)mem->size);
		if (!mem->data) {
			ops->free(ops->ctx, mem);
			return NULL;
		}
	}
	return mem;
}

/* Even at 0 pages a shared memory has its data block, so that growing it
 * never has to publish a new pointer to threads already running on it. */
struct vm_memory *vm_memory_new_shared(const struct vm_host_ops *ops,
				       uint32_t pages, uint32_t max_pages)
{
	struct vm_memory *mem = vm_memory_new(ops, pages, max_pages, true);
	if (!mem)
		return NULL;
	mem->shared = true;
	if (!mem->data) {
		mem->data = ops->mem_alloc(ops->ctx, 0);
		if (!mem->data) {
			ops->free(ops->ctx, mem);
			return NULL;
		}
	}
	return mem;
}

bool vm_memory_shared(const struct vm_memory *mem)
{
	return VM_IS(mem, VM_TAG_MEMORY) && mem->shared;
}

void vm_memory_set_sync(struct vm_memory *mem, const struct vm_sync_ops *ops)
{
	if (VM_IS(mem, VM_TAG_MEMORY) && mem != &empty_mem)
		mem->sync = ops;
}

/* With the hooks it was made with: `ops` is only the caller's belief. */
void vm_memory_free(const struct vm_host_ops *ops, struct vm_memory *mem)
{
	(void)ops;
	if (!VM_IS(mem, VM_TAG_MEMORY) || mem->owned)
		return;
	ops = mem->ops;
	mem->tag = 0;
	if (mem->data)
		ops->mem_free(ops->ctx, mem->data, (size_t)mem->size);
	ops->free(ops->ctx, mem);
}

static void own_memory_free(struct vm_memory *mem)
{
	if (mem) {
		mem->owned = false;
		vm_memory_free(mem->ops, mem);
	}
}

/*
 * memory.grow of a shared memory: other threads run on it meanwhile, so
 * it must not move (an embedder running threads grows it in place, or
 * fails) and two growers must not both claim the same pages. The page count is
 * claimed with a compare-and-swap; the byte size, which running threads
 * read for their bounds checks, only ever increases.
 */
static void raise_size(struct vm_memory *mem, uint64_t bytes)
{
	uint64_t cur = __atomic_load_n(&mem->size, __ATOMIC_SEQ_CST);
	while (cur < bytes &&
	       !__atomic_compare_exchange_n(&mem->size, &cur, bytes, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
}

static int64_t grow_shared(struct vm_memory *mem, uint32_t delta, uint64_t max)
{
	const struct vm_host_ops *ops = mem->ops;
	uint32_t old = __atomic_load_n(&mem->pages, __ATOMIC_SEQ_CST);
	for (;;) {
		uint64_t np = (uint64_t)old + delta;
		if (np > max)
			return -1;
		uint8_t *p =
			ops->mem_grow(ops->ctx, mem->data, (size_t)mem->size,
				      (size_t)(np * PAGE));
		if (!p)
			return -1;
		/* A single-threaded embedder may still move it (vm.h). */
		__atomic_store_n(&mem->data, p, __ATOMIC_SEQ_CST);
		if (__atomic_compare_exchange_n(&mem->pages, &old, (uint32_t)np,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			break;
	}
	raise_size(mem, ((uint64_t)old + delta) * PAGE);
	return old;
}

/* memory.grow: the old size in pages, or -1 leaving memory unchanged. */
int64_t vm_memory_grow(struct vm_memory *mem, uint32_t delta);
int64_t vm_memory_grow(struct vm_memory *mem, uint32_t delta)
{
	uint32_t old = mem->pages;
	if (!delta)
		return old;
	uint64_t max = mem->has_max ? mem->max : 65536;
	if (max > VM_MAX_PAGES)
		max = VM_MAX_PAGES;
	if (!mem->ops)
		return -1;
	if (mem->shared)
		return grow_shared(mem, delta, max);
	uint64_t np = (uint64_t)old + delta;
	if (np > max)
		return -1;
	const struct vm_host_ops *ops = mem->ops;
	size_t nsize = (size_t)(np * PAGE);
	uint8_t *p = mem->data ? ops->mem_grow(ops->ctx, mem->data,
					       (size_t)mem->size, nsize)
			       : ops->mem_alloc(ops->ctx, nsize);
	if (!p)
		return -1;
	mem->data = p;
	mem->size = np * PAGE;
	mem->pages = (uint32_t)np;
	return old;
}

uint8_t *vm_memory_data(const struct vm_memory *mem)
{
	return VM_IS(mem, VM_TAG_MEMORY) ? mem->data : NULL;
}
uint64_t vm_memory_size(const struct vm_memory *mem)
{
	return VM_IS(mem, VM_TAG_MEMORY) ? mem->size : 0;
}

struct vm_memory *vm_instance_memory(const struct vm_instance *inst)
{
	return !inst || inst->mem == &empty_mem ? NULL : inst->mem;
}

struct vm_global *vm_global_new(const struct vm_host_ops *ops, uint8_t type,
				bool mut, vm_value v)
{
	if (!vm_ops_ok(ops) || !valtype_ok(type) || !vm_ref_arg_ok(type, v))
		return NULL;
	struct vm_global *g = vm_alloc(ops, sizeof(*g));
	if (g) {
		g->tag = VM_TAG_GLOBAL;
		g->type = type;
		g->mut = mut;
		g->v = v;
	}
	return g;
}

void vm_global_free(const struct vm_host_ops *ops, struct vm_global *g)
{
	if (!vm_ops_ok(ops) || !VM_IS(g, VM_TAG_GLOBAL) || g->owned)
		return;
	g->tag = 0;
	ops->free(ops->ctx, g);
}

vm_value vm_global_get(const struct vm_global *g)
{
	vm_value zero = {.u64 = 0};
	return VM_IS(g, VM_TAG_GLOBAL) ? g->v : zero;
}
uint8_t vm_global_type(const struct vm_global *g)
{
	return VM_IS(g, VM_TAG_GLOBAL) ? g->type : 0;
}

/* A function type, whole (vm_call and link_import read it): at most
 * VM_MAX_PARAMS parameters and as many results (multi-value). */
static bool functype_ok(const struct vm_functype *t)
{
	if (!t || t->nparams > VM_MAX_PARAMS || t->nresults > VM_MAX_PARAMS ||
	    (t->nparams && !t->params) || (t->nresults && !t->results))
		return false;
	for (uint32_t i = 0; i < t->nparams; i++)
		if (!valtype_ok(t->params[i]))
			return false;
	for (uint32_t i = 0; i < t->nresults; i++)
		if (!valtype_ok(t->results[i]))
			return false;
	return true;
}

struct vm_func *vm_func_new_host(const struct vm_host_ops *ops,
				 const struct vm_functype *type, vm_host_fn fn,
				 void *data)
{
	if (!vm_ops_ok(ops) || !fn || !functype_ok(type))
		return NULL;
	struct vm_func *f = vm_alloc(ops, sizeof(*f));
	if (f) {
		f->tag = VM_TAG_FUNC;
		f->type = type;
		f->host = fn;
		f->data = data;
	}
	return f;
}

void vm_func_free_host(const struct vm_host_ops *ops, struct vm_func *f)
{
	if (!vm_ops_ok(ops) || !VM_IS(f, VM_TAG_FUNC) || !f->host)
		return;
	f->tag = 0;
	ops->free(ops->ctx, f);
}

const struct vm_functype *vm_func_type(const struct vm_func *f)
{
	return VM_IS(f, VM_TAG_FUNC) ? f->type : NULL;
}

/* Import limits must be within the declared ones (1.0 subtyping). */
static bool limits_match(uint32_t size, uint32_t max, bool has_max,
			 const struct vm_limits *want)
{
	if (size < want->min)
		return false;
	if (want->has_max && (!has_max || max > want->max))
		return false;
	return true;
}

uint64_t vm_eval_init(const struct vm_instance *inst,
		      const struct vm_init_expr *e)
{
	switch (e->op) {
	case 0x23: return inst->globals[e->val]->v.u64;
	case 0xd0: return 0;
	case 0xd2: return (uintptr_t)inst->funcs[e->val];
	default: return e->val;
	}
}

static bool link_import(struct vm_instance *inst, uint32_t i,
			vm_resolve_fn resolve, void *ctx, struct vm_error *err,
			uint32_t *nf, uint32_t *ng, uint32_t *nt)
{
	const struct vm_module *m = inst->m;
	const struct vm_import_def *im = &m->imports[i];
	struct vm_extern ex;
	const struct vm_functype *ft =
		im->kind == VM_EXTERN_FUNC ? m->canon[im->type] : NULL;
	static const uint32_t tags[] = {VM_TAG_FUNC, VM_TAG_TABLE,
					VM_TAG_MEMORY, VM_TAG_GLOBAL};
	memset(&ex, 0, sizeof(ex));
	if (!resolve || !resolve(ctx, im->module, im->field,
				 (enum vm_extern_kind)im->kind, ft, &ex))
		return vm_fail2(err, VM_ERR_UNLINKABLE, "unknown import",
				im->module, im->field);
	if ((unsigned)ex.kind > VM_EXTERN_GLOBAL ||
	    vm_tag_of(ex.u.func) != tags[ex.kind])
		return vm_fail2(err, VM_ERR_MISUSE,
				"resolver gave no object of the kind it "
				"named for",
				im->module, im->field);
	bool ok = ex.kind == im->kind;
	if (ok) {
		switch (im->kind) {
		case VM_EXTERN_FUNC:
			ok = vm_functype_eq(ex.u.func->type,
					    &m->types[im->type]);
			inst->funcs[(*nf)++] = ex.u.func;
			break;
		case VM_EXTERN_TABLE:
			ok = limits_match(ex.u.table->size, ex.u.table->max,
					  ex.u.table->has_max, &im->lim) &&
			     ex.u.table->type == im->gtype;
			inst->tables[(*nt)++] = ex.u.table;
			break;
		case VM_EXTERN_MEMORY:
			ok = limits_match(ex.u.memory->pages, ex.u.memory->max,
					  ex.u.memory->has_max, &im->lim) &&
			     ex.u.memory->shared == im->lim.shared;
			inst->mem = ex.u.memory;
			break;
		case VM_EXTERN_GLOBAL:
			ok = ex.u.global->type == im->gtype &&
			     ex.u.global->mut == im->gmut;
			inst->globals[(*ng)++] = ex.u.global;
			break;
		}
	}
	if (!ok)
		return vm_fail2(err, VM_ERR_UNLINKABLE,
				"incompatible import type", im->module,
				im->field);
	return true;
}

struct vm_instance *vm_instantiate(const struct vm_module *m,
				   vm_resolve_fn resolve, void *resolve_ctx,
				   struct vm_error *err)
{
	return vm_instantiate_flags(m, resolve, resolve_ctx, 0, err);
}

struct vm_instance *vm_instantiate_flags(const struct vm_module *m,
					 vm_resolve_fn resolve,
					 void *resolve_ctx, unsigned flags,
					 struct vm_error *err)
{
	struct vm_error scratch;
	uint32_t nf = 0, ng = 0, nt = 0;
	err = vm_err_or(err, &scratch);
	memset(err, 0, sizeof(*err));
	if (!m) {
		vm_misuse(err, "instantiate: no module", 0, 0);
		return NULL;
	}
	if (flags & ~(VM_INST_NO_DATA | VM_INST_KEEP_ON_TRAP)) {
		vm_misuse(err, "instantiate: unknown flags %u", flags, 0);
		return NULL;
	}
	const struct vm_host_ops *ops = &m->ops;
	struct vm_instance *inst = vm_alloc(ops, sizeof(*inst));
	if (!inst)
		goto nomem;
	inst->m = m;
	inst->ops = ops;
	inst->mem = &empty_mem;
	inst->table = &empty_table;
	inst->funcs = vm_alloc(ops, (size_t)m->nfuncs * sizeof(*inst->funcs));
	inst->own_funcs = vm_alloc(ops, (size_t)(m->nfuncs - m->nfunc_imports) *
						sizeof(*inst->own_funcs));
	inst->globals =
		vm_alloc(ops, (size_t)m->nglobals * sizeof(*inst->globals));
	inst->own_globals =
		vm_alloc(ops, (size_t)(m->nglobals - m->nglobal_imports) *
				      sizeof(*inst->own_globals));
	inst->data_dropped = vm_alloc(ops, m->ndatas * sizeof(bool));
	inst->elem_dropped = vm_alloc(ops, m->nelems * sizeof(bool));
	inst->tables = vm_alloc(ops, m->ntables * sizeof(*inst->tables));
	inst->own_tables = vm_alloc(ops, (m->ntables - m->ntable_imports) *
						 sizeof(*inst->own_tables));
	if (!inst->funcs || !inst->own_funcs || !inst->globals ||
	    !inst->own_globals || !inst->data_dropped || !inst->elem_dropped ||
	    !inst->tables || !inst->own_tables)
		goto nomem;

	for (uint32_t i = 0; i < m->nimports; i++)
		if (!link_import(inst, i, resolve, resolve_ctx, err, &nf, &ng,
				 &nt))
			goto fail;

	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
		struct vm_func *f = &inst->own_funcs[i - m->nfunc_imports];
		f->tag = VM_TAG_FUNC;
		f->type = m->canon[m->func_type[i]];
		f->inst = inst;
		f->code = &m->codes[i - m->nfunc_imports];
		f->cells = f->code->cells;
		f->frame_slots = f->code->frame_slots;
		f->nparams = f->code->param_slots;
		f->nlocals = f->code->local_slots;
		f->index = i;
		inst->funcs[i] = f;
	}
	if (m->has_memory && !m->memory_imported) {
		inst->own_mem =
			vm_memory_new(ops, m->mem_lim.min, m->mem_lim.max,
				      m->mem_lim.has_max);
		if (!inst->own_mem)
			goto nomem;
		inst->own_mem->owned = true;
		inst->own_mem->shared = m->mem_lim.shared;
		inst->mem = inst->own_mem;
	}
	for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
		const struct vm_table_def *td = &m->tables[i];
		struct vm_table *t =
			vm_table_new_type(ops, td->type, td->lim.min,
					  td->lim.max, td->lim.has_max);
		if (!t)
			goto nomem;
		t->owned = true;
		inst->own_tables[i - m->ntable_imports] = t;
		inst->tables[i] = t;
	}
	if (m->ntables)
		inst->table = inst->tables[0];
	for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
		struct vm_global *g =
			&inst->own_globals[i - m->nglobal_imports];
		g->tag = VM_TAG_GLOBAL;
		g->owned = true;
		g->type = m->globals[i].type;
		g->mut = m->globals[i].mut;
		g->v.u64 = vm_eval_init(inst, &m->globals[i].init);
		g->hi.u64 = vm_init_hi(inst, &m->globals[i].init);
		inst->globals[i] = g;
	}

	/*
	 * 2.0 (reference types or bulk memory): segments in order, the first
	 * that does not fit traps (elem.c). 1.0: every segment must fit
	 * before anything is written (unlinkable), as the 1.0 suite wants.
	 */
	if (vm_has(m, VM_FEATURE_REFERENCE_TYPES | VM_FEATURE_BULK_MEMORY)) {
		if (vm_init_segments(inst, flags, err) ||
		    flags & VM_INST_KEEP_ON_TRAP)
			return inst;
		vm_unlink_funcs(inst);
		goto fail;
	}
	for (uint32_t i = 0; i < m->nelems; i++) {
		uint64_t off =
			(uint32_t)vm_eval_init(inst, &m->elems[i].offset);
		if (off + m->elems[i].n > inst->table->size) {
			vm_fail(err, VM_ERR_UNLINKABLE,
				"elements segment does not fit",
				"element segment", i);
			goto fail;
		}
	}
	for (uint32_t i = 0; i < m->ndatas && !(flags & VM_INST_NO_DATA); i++) {
		if (m->datas[i].passive)
			continue;
		uint64_t off =
			(uint32_t)vm_eval_init(inst, &m->datas[i].offset);
		if (off + m->datas[i].len > inst->mem->size) {
			vm_fail(err, VM_ERR_UNLINKABLE,
				"data segment does not fit", "data segment", i);
			goto fail;
		}
	}
	for (uint32_t i = 0; i < m->nelems; i++) {
		uint32_t off =
			(uint32_t)vm_eval_init(inst, &m->elems[i].offset);
		for (uint32_t k = 0; k < m->elems[i].n; k++)
			inst->table->elems[off + k] =
				(uintptr_t)inst->funcs[m->elems[i].funcs[k]];
	}
	for (uint32_t i = 0; i < m->ndatas; i++) {
		const struct vm_data_def *d = &m->datas[i];
		if (d->passive)
			continue;
		/* as in 2.0, an active segment is dropped once instantiated */
		inst->data_dropped[i] = true;
		if (flags & VM_INST_NO_DATA || !d->len)
			continue;
		uint32_t off = (uint32_t)vm_eval_init(inst, &d->offset);
		memcpy(inst->mem->data + off, d->bytes, d->len);
	}
	return inst;
nomem:
	vm_fail(err, VM_ERR_NOMEM, "out of memory", "instantiation", 0);
fail:
	vm_instance_free(inst);
	return NULL;
}

enum vm_err_kind vm_instance_start(struct vm_instance *inst,
				   struct vm_thread *th, struct vm_error *err)
{
	struct vm_error scratch;
	err = vm_err_or(err, &scratch);
	memset(err, 0, sizeof(*err));
	if (!inst)
		return vm_misuse(err, "start: no instance", 0, 0);
	if (!inst->m->has_start)
		return VM_OK;
	/* validated () -> (); a host start function sees its instance */
	return vm_call_from(th, inst->funcs[inst->m->start], inst, NULL, 0,
			    NULL, 0, err);
}

void vm_instance_free(struct vm_instance *inst)
{
	if (!inst)
		return;
	const struct vm_host_ops *ops = inst->ops;
	own_memory_free(inst->own_mem);
	for (uint32_t i = 0;
	     inst->own_tables && i < inst->m->ntables - inst->m->ntable_imports;
	     i++) {
		if (inst->own_tables[i]) {
			inst->own_tables[i]->owned = false;
			vm_table_free(ops, inst->own_tables[i]);
		}
	}
#if VM_CONFIG_JIT
	for (uint32_t i = 0;
	     inst->own_funcs && i < inst->m->nfuncs - inst->m->nfunc_imports;
	     i++)
		vm_jit_release(&inst->own_funcs[i]);
#endif
	ops->free(ops->ctx, inst->funcs);
	ops->free(ops->ctx, inst->own_funcs);
	ops->free(ops->ctx, inst->globals);
	ops->free(ops->ctx, inst->own_globals);
	ops->free(ops->ctx, inst->data_dropped);
	ops->free(ops->ctx, inst->elem_dropped);
	ops->free(ops->ctx, inst->tables);
	ops->free(ops->ctx, inst->own_tables);
	ops->free(ops->ctx, inst);
}

bool vm_instance_export(const struct vm_instance *inst, const char *name,
			struct vm_extern *out)
{
	return name && vm_instance_export_len(inst, name, strlen(name), out);
}

bool vm_instance_export_len(const struct vm_instance *inst, const char *name,
			    size_t len, struct vm_extern *out)
{
	if (!inst || (!name && len) || !out)
		return false;
	const struct vm_module *m = inst->m;
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct vm_export_def *e = &m->exports[i];
		if (e->name_len != len || memcmp(e->name, name, len))
			continue;
		out->kind = (enum vm_extern_kind)e->kind;
		switch (e->kind) {
		case VM_EXTERN_FUNC: out->u.func = inst->funcs[e->index]; break;
		case VM_EXTERN_TABLE:
			out->u.table = inst->tables[e->index];
			break;
		case VM_EXTERN_MEMORY: out->u.memory = inst->mem; break;
		default: out->u.global = inst->globals[e->index]; break;
		}
		return true;
	}
	return false;
}

void vm_instance_set_user(struct vm_instance *inst, void *user)
{
	if (inst)
		inst->user = user;
}

void *vm_instance_user(const struct vm_instance *inst)
{
	return inst ? inst->user : NULL;
}
