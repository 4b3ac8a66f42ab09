/*
 * tests/vm/api_test.c: the `wasm_api` suite. The embedder is trusted no
 * more than the module (vm.h, "Checked arguments"): each case makes one
 * mistake an embedder could make, calling, resuming, loading, linking,
 * building or freeing, and expects a clear refusal where it used to crash
 * (issue 12, finding 1: the kernel called a `_start` that takes a
 * parameter with no argument array). Modules in api_modules.h; memory from
 * the static arena, so the cases run in the kernel too.
 */
#include <ktest.h>
#include <string.h>

#include "api_modules.h"
#include "vm_arena.h"
#include "wasm_test.h"
#include <vm/vm.h>
#include <vm/wasi.h>

static struct vm_func *host_f, *host_two;
static struct vm_instance *seen_caller;
static struct vm_memory *seen_memory;

static int record_caller(struct vm_hostcall *c, vm_value *a)
{
	(void)a;
	seen_caller = c->caller;
	seen_memory = c->caller ? vm_instance_memory(c->caller) : NULL;
	return 0;
}

static int add_two(struct vm_hostcall *c, vm_value *a)
{
	(void)c;
	a[0].u64 = a[0].u32 + a[1].u32;
	return 0;
}

static bool env_resolve(void *ctx, const char *module, const char *field,
			enum vm_extern_kind kind,
			const struct vm_functype *type, struct vm_extern *out)
{
	(void)ctx;
	(void)type;
	if (strcmp(module, "env") || kind != VM_EXTERN_FUNC)
		return false;
	out->kind = VM_EXTERN_FUNC;
	out->u.func = !strcmp(field, "f") ? host_f : host_two;
	return out->u.func != NULL;
}

static const struct vm_wasi_ops no_io = {NULL, NULL, NULL, NULL, NULL,
					 NULL, NULL, NULL, NULL, NULL};

/* One instance of `api` (WASI imports from a context without hooks). */
struct api {
	struct vm_module *m;
	struct vm_instance *inst;
	struct vm_thread *th;
	struct vm_wasi wasi;
};

static bool api_start(struct ktest *t, struct api *a)
{
	struct vm_error e;
	vm_arena_reset();
	vm_wasi_init(&a->wasi, &vm_arena_ops, &no_io, 0, NULL, 0, NULL);
	a->m = vm_module_load(&vm_arena_ops, mod_api, sizeof(mod_api), &e);
	a->inst = a->m ? vm_instantiate(a->m, vm_wasi_resolve, &a->wasi, &e)
		       : NULL;
	a->th = vm_thread_new(&vm_arena_ops, 4096, 64);
	return KT_EXPECT_MSG(t, a->inst && a->th, "api module: %s", e.msg);
}

static void api_stop(struct api *a)
{
	vm_thread_free(a->th);
	vm_instance_free(a->inst);
	vm_wasi_free(&a->wasi);
	vm_module_free(a->m);
}

static struct vm_func *func(const struct api *a, const char *name)
{
	struct vm_extern ex;
	if (!vm_instance_export(a->inst, name, &ex) ||
	    ex.kind != VM_EXTERN_FUNC)
		return NULL;
	return ex.u.func;
}

/* Expect VM_ERR_MISUSE with `text` in the message. */
#define EXPECT_MISUSE(t, call, e, text)                                        \
	do {                                                                   \
		KT_EXPECT_EQ(t, call, VM_ERR_MISUSE);                          \
		KT_EXPECT_EQ(t, (e).kind, VM_ERR_MISUSE);                      \
		KT_EXPECT_MSG(t, contains((e).msg, text), "message: %s",       \
			      (e).msg);                                        \
	} while (0)

KTEST(wasm_api, start_with_a_parameter_is_refused_not_run)
{
	/* the kernel's old call: no arguments for (param i32) (result i32) */
	struct vm_error e;
	vm_arena_reset();
	struct vm_module *m = vm_module_load(&vm_arena_ops, mod_start_params,
					     sizeof(mod_start_params), &e);
	KT_ASSERT(t, m != NULL);
	struct vm_instance *i = vm_instantiate(m, NULL, NULL, &e);
	struct vm_thread *th = vm_thread_new(&vm_arena_ops, 4096, 64);
	struct vm_extern ex;
	KT_ASSERT(t, i && th && vm_instance_export(i, "_start", &ex));
	EXPECT_MISUSE(t, vm_call(th, ex.u.func, NULL, 0, NULL, 0, &e), e,
		      "misuse: call: function takes 1 argument, 0 given");
	/* the argument alone is not enough: the result needs room too */
	vm_value v = {.u64 = 9};
	EXPECT_MISUSE(t, vm_call(th, ex.u.func, &v, 1, NULL, 0, &e), e,
		      "function returns 1 result, room for 0 given");
	KT_EXPECT_EQ(t, vm_call(th, ex.u.func, &v, 1, &v, 1, &e), VM_OK);
	KT_EXPECT_EQ(t, v.u32, 9);
	vm_instance_free(i);
	vm_module_free(m);
}

KTEST(wasm_api, argument_counts_and_arrays_are_checked)
{
	struct api a;
	struct vm_error e;
	vm_value args[3] = {{.u64 = 2}, {.u64 = 3}, {.u64 = 4}}, r;
	if (!api_start(t, &a))
		return;
	struct vm_func *add = func(&a, "add");
	EXPECT_MISUSE(t, vm_call(a.th, add, args, 0, &r, 1, &e), e,
		      "call: function takes 2 arguments, 0 given");
	EXPECT_MISUSE(t, vm_call(a.th, add, args, 3, &r, 1, &e), e,
		      "call: function takes 2 arguments, 3 given");
	EXPECT_MISUSE(t, vm_call(a.th, add, NULL, 2, &r, 1, &e), e,
		      "arguments array is NULL");
	EXPECT_MISUSE(t, vm_call(a.th, func(&a, "inc"), args, 2, &r, 1, &e), e,
		      "takes 1 argument, 2 given");
	KT_EXPECT_EQ(t, vm_call(a.th, add, args, 2, &r, 1, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, 5);
	api_stop(&a);
}

KTEST(wasm_api, result_room_is_checked_and_extra_room_untouched)
{
	struct api a;
	struct vm_error e;
	vm_value args[2] = {{.u64 = 2}, {.u64 = 3}}, r[3];
	if (!api_start(t, &a))
		return;
	struct vm_func *add = func(&a, "add");
	EXPECT_MISUSE(t, vm_call(a.th, add, args, 2, NULL, 0, &e), e,
		      "call: function returns 1 result, room for 0 given");
	EXPECT_MISUSE(t, vm_call(a.th, add, args, 2, NULL, 1, &e), e,
		      "results array is NULL");
	r[1].u64 = r[2].u64 = 0x5555;
	KT_EXPECT_EQ(t, vm_call(a.th, add, args, 2, r, 3, &e), VM_OK);
	KT_EXPECT_EQ(t, r[0].u64, 5);
	KT_EXPECT_EQ(t, r[1].u64, 0x5555);
	KT_EXPECT_EQ(t, r[2].u64, 0x5555);
	/* a 32-bit result arrives zero-extended (wrap only retypes the slot) */
	vm_value big = {.u64 = 0x1234567800000005ull};
	KT_EXPECT_EQ(t, vm_call(a.th, func(&a, "wrap"), &big, 1, r, 1, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r[0].u64, 5);
	/* no result: no room needed, NULL is fine */
	KT_EXPECT_EQ(t, vm_call(a.th, func(&a, "exit"), args, 1, NULL, 0, &e),
		     VM_ERR_EXIT);
	KT_EXPECT_EQ(t, e.exit_code, 2);
	api_stop(&a);
}

KTEST(wasm_api, null_thread_function_and_error_are_handled)
{
	struct api a;
	struct vm_error e;
	vm_value args[2] = {{.u64 = 2}, {.u64 = 3}}, r;
	if (!api_start(t, &a))
		return;
	struct vm_func *add = func(&a, "add");
	EXPECT_MISUSE(t, vm_call(NULL, add, args, 2, &r, 1, &e), e,
		      "call: no thread");
	EXPECT_MISUSE(t, vm_call(a.th, NULL, args, 2, &r, 1, &e), e,
		      "call: not a function");
	/* no error to fill: the kind still comes back */
	KT_EXPECT_EQ(t, vm_call(a.th, add, args, 1, &r, 1, NULL),
		     VM_ERR_MISUSE);
	KT_EXPECT_EQ(t, vm_call(a.th, add, args, 2, &r, 1, NULL), VM_OK);
	KT_EXPECT_EQ(t, vm_resume(NULL, &r, 1, NULL), VM_ERR_MISUSE);
	KT_EXPECT_EQ(t, vm_instance_start(NULL, a.th, NULL), VM_ERR_MISUSE);
	api_stop(&a);
}

KTEST(wasm_api, an_export_of_another_kind_is_not_called)
{
	/* a struct vm_extern read as the wrong kind: the tag tells */
	struct api a;
	struct vm_error e;
	struct vm_extern ex;
	vm_value r;
	if (!api_start(t, &a))
		return;
	static const char *const others[] = {"memory", "g", "table"};
	for (int k = 0; k < 3; k++) {
		KT_ASSERT(t, vm_instance_export(a.inst, others[k], &ex));
		KT_EXPECT(t, ex.kind != VM_EXTERN_FUNC);
		EXPECT_MISUSE(t, vm_call(a.th, ex.u.func, NULL, 0, &r, 1, &e),
			      e, "call: not a function");
		KT_EXPECT(t, vm_func_type(ex.u.func) == NULL);
	}
	KT_ASSERT(t, vm_instance_export(a.inst, "add", &ex));
	KT_EXPECT(t, vm_memory_data(ex.u.memory) == NULL);
	KT_EXPECT_EQ(t, vm_memory_size(ex.u.memory), 0);
	KT_EXPECT(t, !vm_memory_shared(ex.u.memory));
	KT_EXPECT_EQ(t, vm_global_type(ex.u.global), 0);
	KT_EXPECT_EQ(t, vm_global_get(ex.u.global).u64, 0);
	api_stop(&a);
}

KTEST(wasm_api, reexported_wasi_imports_trap_without_a_caller)
{
	/* finding 1's other half: WASI functions called by the embedder
	 * directly have no instance, so no memory for their pointers */
	struct api a;
	struct vm_error e;
	vm_value args[4] = {{.u64 = 1}, {.u64 = 0}, {.u64 = 1}, {.u64 = 8}};
	vm_value r;
	if (!api_start(t, &a))
		return;
	KT_EXPECT_EQ(t, vm_call(a.th, func(&a, "write"), args, 4, &r, 1, &e),
		     VM_ERR_TRAP);
	KT_EXPECT_EQ(t, e.trap, VM_TRAP_NO_CALLER);
	KT_EXPECT_MSG(t,
		      contains(e.msg, "trap: host function needs the calling "
				      "instance's memory"),
		      "message: %s", e.msg);
	/* the ones that need no memory still work */
	KT_EXPECT_EQ(t, vm_call(a.th, func(&a, "yield"), NULL, 0, &r, 1, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r.u32, 0);
	KT_EXPECT_EQ(t, vm_call(a.th, func(&a, "close"), args, 1, &r, 1, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r.u32, 0);
	args[0].u64 = 3;
	KT_EXPECT_EQ(t, vm_call(a.th, func(&a, "exit"), args, 1, NULL, 0, &e),
		     VM_ERR_EXIT);
	KT_EXPECT_EQ(t, e.exit_code, 3);
	/* and proc_exit as a command's _start would be called: refused */
	EXPECT_MISUSE(t, vm_call(a.th, func(&a, "exit"), NULL, 0, NULL, 0, &e),
		      e, "takes 1 argument, 0 given");
	api_stop(&a);
}

KTEST(wasm_api, a_host_start_function_runs_with_its_instance)
{
	static const struct vm_functype none = {0, 0, NULL, NULL};
	struct vm_error e;
	vm_arena_reset();
	host_f = vm_func_new_host(&vm_arena_ops, &none, record_caller, NULL);
	struct vm_module *m = vm_module_load(&vm_arena_ops, mod_host_start,
					     sizeof(mod_host_start), &e);
	KT_ASSERT(t, host_f && m);
	struct vm_instance *i = vm_instantiate(m, env_resolve, NULL, &e);
	struct vm_thread *th = vm_thread_new(&vm_arena_ops, 4096, 64);
	KT_ASSERT(t, i && th);
	seen_caller = NULL;
	KT_EXPECT_EQ(t, vm_instance_start(i, th, &e), VM_OK);
	KT_EXPECT(t, seen_caller == i);
	KT_EXPECT(t,
		  seen_memory != NULL && seen_memory == vm_instance_memory(i));
	/* called by the embedder, the same function has no caller */
	KT_EXPECT_EQ(t, vm_call(th, host_f, NULL, 0, NULL, 0, &e), VM_OK);
	KT_EXPECT(t, seen_caller == NULL);
	host_f = NULL;
	vm_instance_free(i);
	vm_module_free(m);
}

KTEST(wasm_api, resume_and_suspended_threads_are_checked)
{
	struct api a;
	struct vm_error e;
	vm_value n = {.u64 = 1000}, r;
	if (!api_start(t, &a))
		return;
	EXPECT_MISUSE(t, vm_resume(a.th, &r, 1, &e), e,
		      "resume: thread is not suspended");
	volatile int flag = 1;
	vm_thread_set_interrupt(a.th, &flag);
	KT_EXPECT_EQ(t, vm_call(a.th, func(&a, "count"), &n, 1, &r, 1, &e),
		     VM_ERR_INTERRUPTED);
	EXPECT_MISUSE(t, vm_call(a.th, func(&a, "inc"), &n, 1, &r, 1, &e), e,
		      "thread is suspended");
	/* refused before resuming: the call is still there afterwards */
	EXPECT_MISUSE(t, vm_resume(a.th, NULL, 0, &e), e,
		      "function returns 1 result, room for 0 given");
	flag = 0;
	KT_EXPECT_EQ(t, vm_resume(a.th, &r, 1, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, 3000);
	vm_thread_set_interrupt(NULL, &flag); /* nothing to set */
	api_stop(&a);
}

KTEST(wasm_api, a_thread_too_small_for_the_call_traps)
{
	static const uint8_t ii[] = {VM_I32, VM_I32}, i[] = {VM_I32};
	static const struct vm_functype two = {2, 1, ii, i};
	struct vm_error e;
	vm_arena_reset();
	host_two = vm_func_new_host(&vm_arena_ops, &two, add_two, NULL);
	struct vm_module *m = vm_module_load(&vm_arena_ops, mod_host_two,
					     sizeof(mod_host_two), &e);
	KT_ASSERT(t, host_two && m);
	struct vm_instance *inst = vm_instantiate(m, env_resolve, NULL, &e);
	struct vm_thread *th = vm_thread_new(&vm_arena_ops, 1, 4);
	struct vm_extern ex;
	KT_ASSERT(t, inst && th && vm_instance_export(inst, "two", &ex));
	vm_value args[2] = {{.u64 = 20}, {.u64 = 22}}, r;
	/* two arguments on a one-slot stack: refused, not written past it */
	KT_EXPECT_EQ(t, vm_call(th, ex.u.func, args, 2, &r, 1, &e),
		     VM_ERR_TRAP);
	KT_EXPECT_EQ(t, e.trap, VM_TRAP_STACK_EXHAUSTED);
	vm_thread_free(th);
	th = vm_thread_new(&vm_arena_ops, 2, 4);
	KT_ASSERT(t, th != NULL);
	KT_EXPECT_EQ(t, vm_call(th, ex.u.func, args, 2, &r, 1, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, 42);
	host_two = NULL;
	vm_instance_free(inst);
	vm_module_free(m);
}

static bool bad_resolve(void *ctx, const char *module, const char *field,
			enum vm_extern_kind kind,
			const struct vm_functype *type, struct vm_extern *out)
{
	(void)module;
	(void)field;
	(void)kind;
	(void)type;
	out->kind = VM_EXTERN_FUNC;
	out->u.memory = ctx; /* NULL, or a memory claimed to be a function */
	return true;
}

KTEST(wasm_api, load_and_instantiate_check_their_inputs)
{
	struct vm_error e;
	struct vm_host_ops no_free = vm_arena_ops;
	no_free.free = NULL;
	vm_arena_reset();
	KT_EXPECT(t,
		  vm_module_load(NULL, mod_api, sizeof(mod_api), &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_MISUSE);
	KT_EXPECT(t, vm_module_load(&no_free, mod_api, sizeof(mod_api), &e) ==
			     NULL);
	KT_EXPECT(t, contains(e.msg, "misuse: load: a host hook is missing"));
	KT_EXPECT(t, vm_module_load(&vm_arena_ops, NULL, 8, &e) == NULL);
	KT_EXPECT(t, contains(e.msg, "misuse: load: no bytes"));
	KT_EXPECT(t, vm_module_load(&vm_arena_ops, NULL, 0, NULL) == NULL);

	KT_EXPECT(t, vm_instantiate(NULL, NULL, NULL, &e) == NULL);
	KT_EXPECT(t, contains(e.msg, "misuse: instantiate: no module"));
	struct vm_module *m = vm_module_load(&vm_arena_ops, mod_host_two,
					     sizeof(mod_host_two), &e);
	KT_ASSERT(t, m != NULL);
	KT_EXPECT(t, vm_instantiate_flags(m, NULL, NULL, 0x6, &e) == NULL);
	KT_EXPECT(t, contains(e.msg, "misuse: instantiate: unknown flags 6"));
	/* a resolver that says yes but gives nothing, or the wrong thing */
	KT_EXPECT(t, vm_instantiate(m, bad_resolve, NULL, &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_MISUSE);
	KT_EXPECT_MSG(t, contains(e.msg, "resolver gave no object"),
		      "message: %s", e.msg);
	KT_EXPECT(t, contains(e.msg, "\"env\".\"two\""));
	struct vm_memory *mem = vm_memory_new(&vm_arena_ops, 0, 0, false);
	KT_ASSERT(t, mem != NULL);
	KT_EXPECT(t, vm_instantiate(m, bad_resolve, mem, NULL) == NULL);
	vm_memory_free(&vm_arena_ops, mem);
	vm_module_free(m);
}

KTEST(wasm_api, module_and_instance_lookups_check_indices_and_nulls)
{
	struct api a;
	struct vm_extern ex;
	const char *mod = NULL, *field = NULL;
	enum vm_extern_kind kind;
	uint32_t min;
	if (!api_start(t, &a))
		return;
	uint32_t n = vm_module_export_count(a.m);
	KT_EXPECT(t, vm_module_export_name(a.m, n - 1) != NULL);
	KT_EXPECT(t, vm_module_export_name(a.m, n) == NULL);
	KT_EXPECT(t, vm_module_export_name(NULL, 0) == NULL);
	KT_EXPECT_EQ(t, vm_module_export_count(NULL), 0);
	n = vm_module_import_count(a.m);
	KT_EXPECT_EQ(t, n, 4);
	KT_EXPECT(t, vm_module_import(a.m, n - 1, &mod, &field, &kind));
	KT_EXPECT(t, !strcmp(field, "fd_close") && kind == VM_EXTERN_FUNC);
	KT_EXPECT(t, vm_module_import(a.m, 0, NULL, NULL, NULL));
	KT_EXPECT(t, !vm_module_import(a.m, n, &mod, &field, &kind));
	KT_EXPECT(t, !vm_module_import(NULL, 0, &mod, &field, &kind));
	KT_EXPECT(t, vm_module_memory_limits(a.m, &min, NULL, NULL, NULL));
	KT_EXPECT_EQ(t, min, 1);
	KT_EXPECT(t, !vm_module_memory_limits(NULL, &min, NULL, NULL, NULL));
	KT_EXPECT(t, !vm_instance_export(NULL, "add", &ex));
	KT_EXPECT(t, !vm_instance_export(a.inst, NULL, &ex));
	KT_EXPECT(t, !vm_instance_export(a.inst, "add", NULL));
	KT_EXPECT(t, vm_instance_memory(NULL) == NULL);
	KT_EXPECT(t, vm_wasi_thread_start(NULL) == NULL);
	KT_EXPECT(t, !vm_wasi_resolve(NULL, "wasi_snapshot_preview1",
				      "fd_close", VM_EXTERN_FUNC, NULL, &ex));
	/* an unknown WASI function with no type to stub it by */
	KT_EXPECT(t, !vm_wasi_resolve(&a.wasi, "wasi_snapshot_preview1", "nope",
				      VM_EXTERN_FUNC, NULL, &ex));
	vm_wasi_free(NULL);
	KT_EXPECT(t, vm_instance_user(NULL) == NULL);
	vm_instance_set_user(NULL, &ex);
	/* a wait hook's load outside the memory or misaligned reads 0 */
	struct vm_memory *mem = vm_instance_memory(a.inst);
	KT_EXPECT_EQ(t, vm_memory_atomic_load(mem, 0, 1), 0x2a);
	KT_EXPECT_EQ(t, vm_memory_atomic_load(mem, 65535, 4), 0);
	KT_EXPECT_EQ(t, vm_memory_atomic_load(mem, 2, 4), 0);
	KT_EXPECT_EQ(t, vm_memory_atomic_load(mem, 0, 3), 0);
	KT_EXPECT_EQ(t, vm_memory_atomic_load(NULL, 0, 4), 0);
	api_stop(&a);
}

KTEST(wasm_api, constructors_refuse_what_no_module_could_declare)
{
	static const uint8_t ii[] = {VM_I32, VM_I32}, bad[] = {0x40};
	/* multi-value: several results are fine, a missing array is not */
	static const struct vm_functype two_results = {0, 2, NULL, ii};
	static const struct vm_functype no_results = {0, 2, NULL, NULL};
	static const struct vm_functype too_many = {0, VM_MAX_PARAMS + 1, NULL,
						    ii};
	static const struct vm_functype bad_param = {1, 0, bad, NULL};
	static const struct vm_functype no_params = {2, 0, NULL, NULL};
	static const struct vm_functype ok = {2, 0, ii, NULL};
	vm_value v = {.u64 = 0};
	vm_arena_reset();
	KT_EXPECT(t, !vm_func_new_host(&vm_arena_ops, NULL, add_two, NULL));
	KT_EXPECT(t, !vm_func_new_host(&vm_arena_ops, &ok, NULL, NULL));
	KT_EXPECT(t, !vm_func_new_host(NULL, &ok, add_two, NULL));
	KT_EXPECT(t,
		  vm_func_new_host(&vm_arena_ops, &two_results, add_two, NULL));
	KT_EXPECT(t,
		  !vm_func_new_host(&vm_arena_ops, &no_results, add_two, NULL));
	KT_EXPECT(t,
		  !vm_func_new_host(&vm_arena_ops, &too_many, add_two, NULL));
	KT_EXPECT(t,
		  !vm_func_new_host(&vm_arena_ops, &bad_param, add_two, NULL));
	KT_EXPECT(t,
		  !vm_func_new_host(&vm_arena_ops, &no_params, add_two, NULL));
	KT_EXPECT(t, vm_func_new_host(&vm_arena_ops, &ok, add_two, NULL));
	KT_EXPECT(t, !vm_memory_new(&vm_arena_ops, 2, 1, true));
	KT_EXPECT(t, !vm_memory_new(&vm_arena_ops, 1, 65537, true));
	KT_EXPECT(t, !vm_memory_new(NULL, 1, 1, true));
	KT_EXPECT(t, !vm_memory_new_shared(&vm_arena_ops, 2, 1));
	KT_EXPECT(t, !vm_table_new(&vm_arena_ops, 2, 1, true));
	KT_EXPECT(t, !vm_global_new(&vm_arena_ops, 0x40, false, v));
	KT_EXPECT(t, !vm_global_new(NULL, VM_I32, false, v));
	KT_EXPECT(t, !vm_thread_new(NULL, 16, 4));
	/* sizes that wrap a 32-bit size_t, or exceed the arena */
	KT_EXPECT(t, !vm_thread_new(&vm_arena_ops, 0xffffffffu, 4));
	KT_EXPECT(t, !vm_thread_new(&vm_arena_ops, 16, 0xffffffffu));
}

KTEST(wasm_api, what_an_instance_owns_is_not_freed_by_the_embedder)
{
	struct api a;
	struct vm_error e;
	struct vm_extern ex;
	vm_value r;
	if (!api_start(t, &a))
		return;
	/* each would free part of the instance (or free it twice later) */
	vm_memory_free(&vm_arena_ops, vm_instance_memory(a.inst));
	KT_ASSERT(t, vm_instance_export(a.inst, "g", &ex));
	vm_global_free(&vm_arena_ops, ex.u.global);
	KT_EXPECT_EQ(t, vm_global_get(ex.u.global).u32, 5);
	KT_ASSERT(t, vm_instance_export(a.inst, "table", &ex));
	vm_table_free(&vm_arena_ops, ex.u.table);
	vm_func_free_host(&vm_arena_ops, func(&a, "add"));
	/* the wrong kind is not freed either */
	vm_memory_free(&vm_arena_ops, (struct vm_memory *)func(&a, "add"));
	vm_func_free_host(&vm_arena_ops,
			  (struct vm_func *)vm_instance_memory(a.inst));
	KT_EXPECT_EQ(t, vm_call(a.th, func(&a, "peek"), NULL, 0, &r, 1, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r.u32, 0x2a);
	vm_value args[2] = {{.u64 = 2}, {.u64 = 3}};
	KT_EXPECT_EQ(t, vm_call(a.th, func(&a, "add"), args, 2, &r, 1, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r.u32, 5);
	vm_memory_set_sync(NULL, NULL);
	vm_thread_exit(NULL, 1);
	api_stop(&a);
}

static int reenter(struct vm_hostcall *c, vm_value *a)
{
	struct vm_error e;
	vm_value r;
	/* the embedder called this directly: its arguments are on the very
	 * stack a nested call would overwrite */
	a[0].u64 = vm_call(c->thread, host_two, a, 2, &r, 1, &e);
	return 0;
}

KTEST(wasm_api, a_directly_called_host_function_cannot_reenter)
{
	static const uint8_t ii[] = {VM_I32, VM_I32}, i[] = {VM_I32};
	static const struct vm_functype two = {2, 1, ii, i};
	struct vm_error e;
	vm_arena_reset();
	host_two = vm_func_new_host(&vm_arena_ops, &two, reenter, NULL);
	struct vm_thread *th = vm_thread_new(&vm_arena_ops, 64, 4);
	KT_ASSERT(t, host_two && th);
	vm_value args[2] = {{.u64 = 1}, {.u64 = 2}}, r;
	KT_EXPECT_EQ(t, vm_call(th, host_two, args, 2, &r, 1, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, VM_ERR_MISUSE);
	host_two = NULL;
}
