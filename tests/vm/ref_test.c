/*
 * tests/vm/ref_test.c: the `wasm_ref` suite: reference types and tables,
 * hostile paths first: table.grow past its maximum, table.fill/copy/init
 * out of bounds (nothing written), call_indirect through a null, a
 * mistyped or a missing entry, table.init after elem.drop, an undeclared
 * ref.func, references through the embedder API, the 2.0 instantiation
 * order and 1.0 refusing reference types. Modules from ref_modules.h
 * (gen_ref_modules.py); memory from the static arena, so the suite runs on
 * the host and in both kernels.
 */
#include "ref_modules.h"
#include "wasm_test.h"

static vm_value vm_value_of(uint64_t u)
{
	vm_value v = {.u64 = u};
	return v;
}

struct run {
	struct vm_module *m;
	struct vm_instance *inst;
	struct vm_thread *th;
};

static bool start(struct ktest *t, struct run *r)
{
	struct vm_error e;
	r->m = LOAD(mod_tables, &e);
	KT_EXPECT_MSG(t, r->m != NULL, "load: %s", e.msg);
	if (!r->m)
		return false;
	r->inst = vm_instantiate(r->m, NULL, NULL, &e);
	r->th = thread();
	KT_EXPECT_MSG(t, r->inst && r->th, "instantiate: %s", e.msg);
	return r->inst && r->th;
}

static void stop(struct run *r)
{
	vm_instance_free(r->inst);
	vm_module_free(r->m);
}

/* fn(args) with one result or none; the error kind, e filled. */
static enum vm_err_kind call(struct run *r, const char *fn, uint64_t a0,
			     uint64_t a1, uint64_t a2, vm_value *res,
			     struct vm_error *e)
{
	vm_value args[3] = {{.u64 = a0}, {.u64 = a1}, {.u64 = a2}};
	vm_value scratch;
	struct vm_func *f = export_func(r->inst, fn);
	if (!f)
		return VM_ERR_LIMIT;
	return vm_call(r->th, f, args, arity(f), res ? res : &scratch, 1, e);
}

/* fn(args) returns x. */
static void expect(struct ktest *t, struct run *r, const char *fn, uint64_t a0,
		   uint64_t a1, uint64_t a2, uint64_t x)
{
	struct vm_error e;
	vm_value res = {.u64 = 0x5555};
	enum vm_err_kind k = call(r, fn, a0, a1, a2, &res, &e);
	KT_EXPECT_MSG(t, k == VM_OK && res.u64 == x,
		      "%s: kind %d (%s), result 0x%llx, want 0x%llx", fn,
		      (int)k, e.msg, (unsigned long long)res.u64,
		      (unsigned long long)x);
}

/* fn(args) traps with trap kind `trap`. */
static void expect_trap(struct ktest *t, struct run *r, const char *fn,
			uint64_t a0, uint64_t a1, uint64_t a2,
			enum vm_trap trap)
{
	struct vm_error e;
	enum vm_err_kind k = call(r, fn, a0, a1, a2, NULL, &e);
	KT_EXPECT_MSG(t, k == VM_ERR_TRAP && e.trap == trap,
		      "%s: kind %d trap %d (%s), want trap %d", fn, (int)k,
		      (int)e.trap, e.msg, (int)trap);
}

static struct vm_table *table(struct run *r, const char *name)
{
	struct vm_extern ex;
	if (!vm_instance_export(r->inst, name, &ex) ||
	    ex.kind != VM_EXTERN_TABLE)
		return NULL;
	return ex.u.table;
}

static uint64_t elem(struct vm_table *tb, uint32_t i)
{
	vm_value v = {.u64 = 0x5555};
	vm_table_get(tb, i, &v);
	return v.u64;
}

KTEST(wasm_ref, table_grow_past_maximum)
{
	struct run r;
	if (!start(t, &r))
		return;
	expect(t, &r, "grow_t", 2, 0, 0, 2);	      /* 2 -> 4 = max */
	expect(t, &r, "grow_t", 1, 0, 0, UINT32_MAX); /* past max: -1 */
	expect(t, &r, "grow_t", 0, 0, 0, 4);	      /* 0: the size */
	expect(t, &r, "size_t", 0, 0, 0, 4);
	/* no maximum: VM_MAX_TABLE_ELEMS, and 2^32 - 1 never wraps */
	expect(t, &r, "grow_u", 9, UINT32_MAX, 0, UINT32_MAX);
	expect(t, &r, "grow_u", 9, 2, 0, 3);
	KT_EXPECT_EQ(t, vm_table_size(table(&r, "u")), 5);
	KT_EXPECT_EQ(t, elem(table(&r, "u"), 4), 9);
	stop(&r);
}

KTEST(wasm_ref, out_of_bounds_writes_nothing)
{
	struct run r;
	if (!start(t, &r))
		return;
	struct vm_table *u = table(&r, "u"), *tt = table(&r, "t");
	/* fill: [2, 4) of a table of 3 */
	expect_trap(t, &r, "fill_u", 2, 77, 2, VM_TRAP_TABLE_ACCESS);
	KT_EXPECT_EQ(t, elem(u, 2), 0);
	expect_trap(t, &r, "fill_u", UINT32_MAX, 77, 2, VM_TRAP_TABLE_ACCESS);
	expect(t, &r, "fill_u", 3, 77, 0, 0x5555); /* n 0 at the end: ok */
	expect_trap(t, &r, "fill_u", 4, 77, 0, VM_TRAP_TABLE_ACCESS);
	expect_trap(t, &r, "get_u", 3, 0, 0, VM_TRAP_TABLE_ACCESS);
	expect_trap(t, &r, "set_u", 3, 5, 0, VM_TRAP_TABLE_ACCESS);
	/* init from a 3-element segment: source and destination ranges */
	expect_trap(t, &r, "init_t", 0, 2, 2, VM_TRAP_TABLE_ACCESS);
	expect_trap(t, &r, "init_t", 1, 0, 2, VM_TRAP_TABLE_ACCESS);
	KT_EXPECT(t, elem(tt, 0) == 0 && elem(tt, 1) == 0);
	/* copy from $f (4) into $t (2) */
	expect_trap(t, &r, "copy_tf", 1, 0, 2, VM_TRAP_TABLE_ACCESS);
	expect_trap(t, &r, "copy_tf", 0, 3, 2, VM_TRAP_TABLE_ACCESS);
	KT_EXPECT(t, elem(tt, 0) == 0 && elem(tt, 1) == 0);
	/* and in bounds they do write */
	expect(t, &r, "copy_tf", 0, 0, 2, 0x5555);
	KT_EXPECT(t, vm_ref_to_func(vm_value_of(elem(tt, 1))) != NULL);
	stop(&r);
}

KTEST(wasm_ref, call_indirect_null_mistyped_missing)
{
	struct run r;
	if (!start(t, &r))
		return;
	expect_trap(t, &r, "call_t", 0, 0, 0, VM_TRAP_UNINIT_ELEM); /* null */
	expect_trap(t, &r, "call_t", 2, 0, 0, VM_TRAP_TABLE_OOB);
	expect_trap(t, &r, "call_t", UINT32_MAX, 0, 0, VM_TRAP_TABLE_OOB);
	expect(t, &r, "call_f", 1, 0, 0, 42); /* $inc via table 2 */
	expect_trap(t, &r, "call_f", 0, 0, 0, VM_TRAP_SIG_MISMATCH);
	expect_trap(t, &r, "call_f", 2, 0, 0, VM_TRAP_UNINIT_ELEM);
	expect_trap(t, &r, "call_f", 4, 0, 0, VM_TRAP_TABLE_OOB);
	/* the segment's (ref.func $two) (ref.null) (ref.func $one) */
	expect(t, &r, "init_t", 0, 0, 2, 0x5555);
	expect(t, &r, "call_t", 0, 0, 0, 2);
	expect_trap(t, &r, "call_t", 1, 0, 0, VM_TRAP_UNINIT_ELEM);
	stop(&r);
}

KTEST(wasm_ref, elem_drop_then_init)
{
	struct run r;
	if (!start(t, &r))
		return;
	expect(t, &r, "drop_p", 0, 0, 0, 0x5555);
	expect(t, &r, "drop_p", 0, 0, 0, 0x5555); /* twice is fine */
	expect_trap(t, &r, "init_t", 0, 0, 1, VM_TRAP_TABLE_ACCESS);
	expect(t, &r, "init_t", 0, 0, 0, 0x5555); /* empty: n 0 at 0 */
	expect_trap(t, &r, "init_t", 0, 1, 0, VM_TRAP_TABLE_ACCESS);
	KT_EXPECT_EQ(t, elem(table(&r, "t"), 0), 0);
	stop(&r);
}

KTEST(wasm_ref, undeclared_ref_func_is_invalid)
{
	expect_refused(t, mod_undeclared, sizeof(mod_undeclared),
		       VM_ERR_INVALID, "undeclared function reference");
	/* 1.0 has no reference types: funcref as a value type is malformed */
	struct vm_error e;
	vm_arena_reset();
	KT_EXPECT(t, vm_module_load_features(&vm_arena_ops, mod_tables,
					     sizeof(mod_tables),
					     VM_FEATURES_1_0, &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_MALFORMED);
}

KTEST(wasm_ref, references_through_the_api)
{
	struct run r;
	struct vm_error e;
	vm_value res = {0};
	if (!start(t, &r))
		return;
	const uint64_t x = 0xdeadbeef12345678ull;
	expect(t, &r, "id", x, 0, 0, x);
	expect(t, &r, "is_null", 0, 0, 0, 1);
	expect(t, &r, "is_null", x, 0, 0, 0);
	expect(t, &r, "pick", 5, 6, 0, 6);
	expect(t, &r, "pick", 5, 6, 1, 5);
	expect(t, &r, "swap_g", x, 0, 0, 0);
	expect(t, &r, "swap_g", 3, 0, 0, x);
	expect(t, &r, "set_u", 1, x, 0, 0x5555);
	expect(t, &r, "get_u", 1, 0, 0, x);
	/* ref.func is the function the embedder sees as the export */
	KT_EXPECT_EQ(t, call(&r, "inc_ref", 0, 0, 0, &res, &e), VM_OK);
	struct vm_func *inc = vm_ref_to_func(res);
	KT_ASSERT(t, inc != NULL);
	vm_value arg = {.u64 = 9};
	KT_EXPECT_EQ(t, vm_call(r.th, inc, &arg, 1, &res, 1, &e), VM_OK);
	KT_EXPECT_EQ(t, res.u64, 10);
	/* tables from the API: a funcref must be null or a function */
	struct vm_table *tt = table(&r, "t");
	KT_EXPECT(t, vm_table_set(tt, 0, vm_ref_func(inc)));
	/* (a pointer to another kind of object is caught by its tag) */
	KT_EXPECT(t, !vm_table_set(tt, 0, vm_value_of((uintptr_t)tt)));
	KT_EXPECT(t, !vm_table_set(tt, 2, vm_ref_func(inc)));
	KT_EXPECT(t, vm_table_set(table(&r, "u"), 0, vm_value_of(x)));
	KT_EXPECT_EQ(t, vm_table_type(tt), VM_FUNCREF);
	uint8_t ty = 0;
	uint32_t min = 0, max = 0;
	bool has_max = false;
	KT_EXPECT(t, vm_module_table(r.m, 1, &ty, &min, &max, &has_max));
	KT_EXPECT(t, ty == VM_EXTERNREF && min == 3 && !has_max);
	KT_EXPECT(t, vm_module_table(r.m, 0, &ty, &min, &max, &has_max));
	KT_EXPECT(t, ty == VM_FUNCREF && min == 2 && max == 4 && has_max);
	KT_EXPECT(t, !vm_module_table(r.m, 3, NULL, NULL, NULL, NULL));
	KT_EXPECT(t, !vm_module_table(NULL, 0, NULL, NULL, NULL, NULL));
	KT_EXPECT_EQ(t, vm_table_type(table(&r, "u")), VM_EXTERNREF);
	KT_EXPECT(t, vm_ref_to_func(vm_value_of((uintptr_t)tt)) == NULL);
	KT_EXPECT(t, vm_global_new(&vm_arena_ops, VM_FUNCREF, false,
				   vm_value_of((uintptr_t)tt)) == NULL);
	KT_EXPECT(t, vm_table_set(tt, 1, vm_ref_func(NULL)));
	/* vm_call: a funcref argument too */
	expect(t, &r, "is_null_f", 0, 0, 0, 1);
	expect(t, &r, "is_null_f", vm_ref_func(inc).u64, 0, 0, 0);
	KT_EXPECT_EQ(t, call(&r, "is_null_f", (uintptr_t)tt, 0, 0, &res, &e),
		     VM_ERR_MISUSE);
	KT_EXPECT_MSG(t, contains(e.msg, "neither null nor a function"), "%s",
		      e.msg);
	stop(&r);
}

static struct vm_table *env_tab;

static bool resolve_tab(void *ctx, const char *module, const char *field,
			enum vm_extern_kind kind,
			const struct vm_functype *type, struct vm_extern *out)
{
	(void)ctx;
	(void)module;
	(void)field;
	(void)type;
	out->kind = kind;
	out->u.table = env_tab;
	return kind == VM_EXTERN_TABLE;
}

KTEST(wasm_ref, instantiation_order_2_0)
{
	struct vm_error e;
	struct vm_module *m = LOAD(mod_partial, &e);
	KT_ASSERT(t, m != NULL);
	env_tab = vm_table_new(&vm_arena_ops, 4, 0, false);
	KT_ASSERT(t, env_tab != NULL);
	/* kept: the element stays written, the instance is returned */
	struct vm_instance *i = vm_instantiate_flags(m, resolve_tab, NULL,
						     VM_INST_KEEP_ON_TRAP, &e);
	KT_ASSERT(t, i != NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_TRAP);
	KT_EXPECT_EQ(t, e.trap, VM_TRAP_MEM_OOB);
	struct vm_func *f = vm_ref_to_func(vm_value_of(elem(env_tab, 1)));
	KT_ASSERT(t, f != NULL);
	vm_value res = {0};
	struct vm_thread *th = thread();
	KT_EXPECT_EQ(t, vm_call(th, f, NULL, 0, &res, 1, &e), VM_OK);
	KT_EXPECT_EQ(t, res.u64, 7);
	vm_instance_free(i);
	/* not kept: freed, and the table no longer points into it */
	KT_EXPECT(t, vm_instantiate(m, resolve_tab, NULL, &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_TRAP);
	KT_EXPECT_EQ(t, elem(env_tab, 1), 0);
	/* 1.0: checked first, unlinkable, nothing written */
	vm_module_free(m);
	m = vm_module_load_features(&vm_arena_ops, mod_elem_oob,
				    sizeof(mod_elem_oob), VM_FEATURES_1_0, &e);
	KT_ASSERT(t, m != NULL);
	KT_EXPECT(t, vm_instantiate(m, NULL, NULL, &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_UNLINKABLE);
	vm_module_free(m);
	m = LOAD(mod_elem_oob, &e);
	KT_ASSERT(t, m != NULL);
	KT_EXPECT(t, vm_instantiate(m, NULL, NULL, &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_TRAP);
	KT_EXPECT_EQ(t, e.trap, VM_TRAP_TABLE_ACCESS);
	vm_module_free(m);
}
