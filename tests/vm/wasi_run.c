/*
 * tests/vm/wasi_run.c: a module with a WASI context for the WASI cases
 * (wasi_run.h).
 */
#include <string.h>

#include "vm_arena.h"
#include "wasi_run.h"

bool wasi_run_open(struct ktest *t, struct run *r, const uint8_t *b, size_t n,
		   const struct vm_wasi_ops *ops)
{
	struct vm_error e;
	memset(r, 0, sizeof(*r));
	vm_arena_reset();
	r->m = vm_module_load(&vm_arena_ops, b, n, &e);
	if (!KT_EXPECT(t, r->m != NULL))
		return false;
	vm_wasi_init(&r->w, &vm_arena_ops, ops, 0, NULL, 0, NULL);
	r->i = vm_instantiate(r->m, vm_wasi_resolve, &r->w, &e);
	r->th = vm_thread_new(&vm_arena_ops, 4096, 64);
	if (!KT_EXPECT(t, r->i && r->th))
		return false;
	struct vm_memory *mem = vm_instance_memory(r->i);
	r->mem = mem ? vm_memory_data(mem) : NULL;
	return true;
}

void wasi_run_close(struct run *r)
{
	if (r->th)
		vm_thread_free(r->th);
	if (r->i)
		vm_instance_free(r->i);
	vm_wasi_free(&r->w);
	if (r->m)
		vm_module_free(r->m);
}

uint32_t wasi_run_call(struct ktest *t, struct run *r, const char *name,
		       const vm_value *args, uint32_t nargs)
{
	struct vm_error e;
	struct vm_extern ex;
	vm_value res = {0};
	if (!KT_EXPECT(t, vm_instance_export(r->i, name, &ex)) ||
	    !KT_EXPECT_EQ(t,
			  vm_call(r->th, ex.u.func, args, nargs, &res, 1, &e),
			  VM_OK))
		return ~0u;
	return res.u32;
}
