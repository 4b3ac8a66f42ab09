/*
 * tests/vm/wasm_test.h: helpers of the VM's suites on the static arena
 * (the `wasm` suite in wasm_test.c and wasm_atomic_test.c, `wasm_api` in
 * api_test.c).
 */
#ifndef TESTS_VM_WASM_TEST_H
#define TESTS_VM_WASM_TEST_H

#include <ktest.h>
#include <string.h>

#include "vm_arena.h"
#include <vm/vm.h>

static inline struct vm_module *load(const uint8_t *b, size_t n,
				     struct vm_error *e)
{
	vm_arena_reset();
	return vm_module_load(&vm_arena_ops, b, n, e);
}

#define LOAD(arr, e) load(arr, sizeof(arr), e)

static inline struct vm_thread *thread(void)
{
	return vm_thread_new(&vm_arena_ops, 4096, 64);
}

/* Instantiate a module with no imports and return export `name`. */
static inline struct vm_func *export_func(struct vm_instance *inst,
					  const char *name)
{
	struct vm_extern ex;
	if (!vm_instance_export(inst, name, &ex) || ex.kind != VM_EXTERN_FUNC)
		return NULL;
	return ex.u.func;
}

/* The parameter count of f, for helpers calling functions of any arity
 * (the count vm_call checks). */
static inline uint32_t arity(const struct vm_func *f)
{
	const struct vm_functype *ty = vm_func_type(f);
	return ty ? ty->nparams : 0;
}

static inline bool contains(const char *s, const char *sub)
{
	size_t n = strlen(sub);
	for (; *s; s++)
		if (!strncmp(s, sub, n))
			return true;
	return false;
}

/* Loading b[0..n) must fail with kind and, if text, say text. */
static inline void expect_refused(struct ktest *t, const uint8_t *b, size_t n,
				  enum vm_err_kind kind, const char *text)
{
	struct vm_error e;
	KT_EXPECT(t, load(b, n, &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, kind);
	if (text)
		KT_EXPECT_MSG(t, contains(e.msg, text),
			      "message \"%s\" lacks \"%s\"", e.msg, text);
}

#endif
