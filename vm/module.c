/*
 * vm/module.c: vm_module_load runs the load-time stages in order:
 * decode (malformed?), validate (invalid?), compile (internal code).
 */
#include "internal.h"

struct vm_module *vm_module_load(const struct vm_host_ops *ops,
				 const uint8_t *bytes, size_t len,
				 struct vm_error *err)
{
	return vm_module_load_features(ops, bytes, len, VM_FEATURES_DEFAULT,
				       err);
}

struct vm_module *vm_module_load_features(const struct vm_host_ops *ops,
					  const uint8_t *bytes, size_t len,
					  uint32_t features,
					  struct vm_error *err)
{
	struct vm_error scratch;
	err = vm_err_or(err, &scratch);
	memset(err, 0, sizeof(*err));
	if (features & ~(uint32_t)VM_FEATURES_DEFAULT) {
		vm_misuse(err, "load: unknown feature bits", 0, 0);
		return NULL;
	}
	if (!ops || !ops->alloc || !ops->realloc || !ops->free ||
	    !ops->mem_alloc || !ops->mem_grow || !ops->mem_free) {
		vm_misuse(err, "load: a host hook is missing", 0, 0);
		return NULL;
	}
	if (!bytes && len) {
		vm_misuse(err, "load: no bytes", 0, 0);
		return NULL;
	}
	struct vm_module *m = vm_alloc(ops, sizeof(*m));
	if (!m) {
		vm_fail(err, VM_ERR_NOMEM, "out of memory", NULL, 0);
		return NULL;
	}
	m->ops = *ops;
	m->features = features;
	m->arena.ops = &m->ops;
	m->bytes = ops->alloc(ops->ctx, len ? len : 1);
	if (!m->bytes) {
		vm_fail(err, VM_ERR_NOMEM, "out of memory", NULL, 0);
		goto fail;
	}
	if (len)
		memcpy(m->bytes, bytes, len);
	m->len = len;
	if (!vm_decode(m, err) || !vm_validate_module(m, err))
		goto fail;
	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
		if (!vm_compile_func(m, i, err))
			goto fail;
	return m;
fail:
	vm_module_free(m);
	return NULL;
}

void vm_module_free(struct vm_module *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; m->codes && i < m->nfuncs - m->nfunc_imports;
	     i++) {
		m->ops.free(m->ops.ctx, m->codes[i].cells);
		m->ops.free(m->ops.ctx, m->codes[i].sites);
	}
	vm_arena_free(&m->arena);
	m->ops.free(m->ops.ctx, m->bytes);
	m->ops.free(m->ops.ctx, m);
}

/* Output pointers may be NULL. */
#define SET(p, v)                                                              \
	do {                                                                   \
		if (p)                                                         \
			*(p) = (v);                                            \
	} while (0)

uint32_t vm_module_import_count(const struct vm_module *m)
{
	return m ? m->nimports : 0;
}

bool vm_module_import(const struct vm_module *m, uint32_t i,
		      const char **module, const char **field,
		      enum vm_extern_kind *kind)
{
	if (!m || i >= m->nimports)
		return false;
	SET(module, m->imports[i].module);
	SET(field, m->imports[i].field);
	SET(kind, (enum vm_extern_kind)m->imports[i].kind);
	return true;
}

bool vm_module_memory_limits(const struct vm_module *m, uint32_t *min,
			     uint32_t *max, bool *has_max, bool *shared)
{
	if (!m || !m->has_memory)
		return false;
	SET(min, m->mem_lim.min);
	SET(max, m->mem_lim.max);
	SET(has_max, m->mem_lim.has_max);
	SET(shared, m->mem_lim.shared);
	return true;
}

bool vm_module_table(const struct vm_module *m, uint32_t i, uint8_t *type,
		     uint32_t *min, uint32_t *max, bool *has_max)
{
	if (!m || i >= m->ntables)
		return false;
	SET(type, m->tables[i].type);
	SET(min, m->tables[i].lim.min);
	SET(max, m->tables[i].lim.max);
	SET(has_max, m->tables[i].lim.has_max);
	return true;
}

uint32_t vm_module_export_count(const struct vm_module *m)
{
	return m ? m->nexports : 0;
}

const char *vm_module_export_name(const struct vm_module *m, uint32_t i)
{
	return m && i < m->nexports ? m->exports[i].name : NULL;
}
