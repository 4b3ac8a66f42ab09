/*
 * tests/vm/multivalue_test.c: the `wasm_mv` suite: the 2.0 features sign
 * extension, non-trapping float-to-int and multi-value (blocks, loops and
 * ifs with parameters and several results, every branch carrying several
 * values, calls, call_indirect, a host function with two results, vm_call
 * returning several), and the feature flags that turn 2.0 off. Modules from
 * mv_modules.h (gen_mv_modules.py) or bytes here; memory from the static
 * arena, so the suite runs on the host and in both kernels.
 */
#include "mv_modules.h"
#include "wasm_test.h"

/* One instance of a module with no imports (or env's), and a thread. */
struct run {
	struct vm_module *m;
	struct vm_instance *inst;
	struct vm_thread *th;
};

static bool start(struct ktest *t, struct run *r, const uint8_t *b, size_t n,
		  vm_resolve_fn resolve)
{
	struct vm_error e;
	r->m = load(b, n, &e);
	KT_EXPECT_MSG(t, r->m != NULL, "load: %s", e.msg);
	if (!r->m)
		return false;
	r->inst = vm_instantiate(r->m, resolve, NULL, &e);
	r->th = thread();
	KT_EXPECT_MSG(t, r->inst && r->th, "instantiate: %s", e.msg);
	return r->inst && r->th;
}

#define START(t, r, arr, resolve) start(t, r, arr, sizeof(arr), resolve)

static void stop(struct run *r)
{
	vm_instance_free(r->inst);
	vm_module_free(r->m);
}

/*
 * Call export fn with up to three i32 arguments (as many as it takes);
 * its results in res[0..n), n its result count. False (after failing the
 * case) if it did not return.
 */
static bool call(struct ktest *t, struct run *r, const char *fn, uint32_t a,
		 uint32_t b, uint32_t c, vm_value *res, uint32_t room)
{
	struct vm_error e;
	vm_value args[3] = {{.u64 = a}, {.u64 = b}, {.u64 = c}};
	struct vm_func *f = export_func(r->inst, fn);
	if (!KT_EXPECT_MSG(t, f != NULL, "no export %s", fn))
		return false;
	enum vm_err_kind k = vm_call(r->th, f, args, arity(f), res, room, &e);
	return KT_EXPECT_MSG(t, k == VM_OK, "%s: %s", fn, e.msg);
}

/* fn(a, b, c) returns the two i32 values x, y. */
static void expect2(struct ktest *t, struct run *r, const char *fn, uint32_t a,
		    uint32_t b, uint32_t c, uint32_t x, uint32_t y)
{
	vm_value res[2] = {{0}, {0}};
	if (!call(t, r, fn, a, b, c, res, 2))
		return;
	KT_EXPECT_MSG(t, res[0].u64 == x && res[1].u64 == y,
		      "%s(%u, %u, %u) = (%u, %u), want (%u, %u)", fn,
		      (unsigned)a, (unsigned)b, (unsigned)c,
		      (unsigned)res[0].u64, (unsigned)res[1].u64, (unsigned)x,
		      (unsigned)y);
}

/* fn(a, b, c) returns the one i32 value x. */
static void expect1(struct ktest *t, struct run *r, const char *fn, uint32_t a,
		    uint32_t b, uint32_t c, uint32_t x)
{
	vm_value res = {0};
	if (!call(t, r, fn, a, b, c, &res, 1))
		return;
	KT_EXPECT_MSG(t, res.u64 == x, "%s(%u, %u, %u) = %u, want %u", fn,
		      (unsigned)a, (unsigned)b, (unsigned)c, (unsigned)res.u64,
		      (unsigned)x);
}

/* ---- sign extension, saturating conversions ---- */

KTEST(wasm_mv, sign_extension)
{
	struct run r;
	vm_value v;
	if (!START(t, &r, mod_signext, NULL))
		return;
	expect1(t, &r, "i32.extend8_s", 0x7f, 0, 0, 0x7f);
	expect1(t, &r, "i32.extend8_s", 0x1280, 0, 0, 0xffffff80);
	expect1(t, &r, "i32.extend16_s", 0x8000, 0, 0, 0xffff8000);
	expect1(t, &r, "i32.extend16_s", 0xffff7fff, 0, 0, 0x7fff);
	expect1(t, &r, "k", 0, 0, 0, 0xffffffff);
	expect1(t, &r, "neg8", 0x80, 0, 0, 1);
	expect1(t, &r, "neg8", 0x17f, 0, 0, 0);
	static const struct {
		const char *fn;
		uint64_t in, out;
	} w[] = {
		{"i64.extend8_s", 0x80, 0xffffffffffffff80ull},
		{"i64.extend16_s", 0x12347fff, 0x7fff},
		{"i64.extend16_s", 0x8000, 0xffffffffffff8000ull},
		{"i64.extend32_s", 0x80000000, 0xffffffff80000000ull},
		{"i64.extend32_s", 0xabcd7fffffffull, 0x7fffffff},
	};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		vm_value a = {.u64 = w[i].in};
		struct vm_error e;
		KT_EXPECT_EQ(t,
			     vm_call(r.th, export_func(r.inst, w[i].fn), &a, 1,
				     &v, 1, &e),
			     VM_OK);
		KT_EXPECT_MSG(t, v.u64 == w[i].out, "%s", w[i].fn);
	}
	/* saturating: NaN is 0, out of range clamps, no trap */
	vm_value a = {.f64 = 1e300};
	struct vm_error e;
	KT_EXPECT_EQ(
		t, vm_call(r.th, export_func(r.inst, "sat"), &a, 1, &v, 1, &e),
		VM_OK);
	KT_EXPECT_EQ(t, v.u64, 0x7fffffffu);
	stop(&r);
}

/* ---- feature flags ---- */

/* Loading b[0..n) with `features` fails with kind, saying text. */
static void expect_refused_with(struct ktest *t, const uint8_t *b, size_t n,
				uint32_t features, enum vm_err_kind kind,
				const char *text)
{
	struct vm_error e;
	vm_arena_reset();
	struct vm_module *m =
		vm_module_load_features(&vm_arena_ops, b, n, features, &e);
	KT_EXPECT(t, m == NULL);
	vm_module_free(m);
	KT_EXPECT_EQ(t, e.kind, kind);
	KT_EXPECT_MSG(t, contains(e.msg, text), "message \"%s\" lacks \"%s\"",
		      e.msg, text);
}

#define REFUSED(t, arr, f, kind, text)                                         \
	expect_refused_with(t, arr, sizeof(arr), f, kind, text)

/* (func (param i32) (result i32) local.get 0 block (type 0) end): a block
 * type naming a function type (0 here), which 1.0 cannot decode */
static const uint8_t mod_bt_index[] = {
	0, 'a', 's', 'm', 1,  0, 0, 0, 1, 6,	1, 0x60, 1, 0x7f, 1,	0x7f,
	3, 2,	1,   0,	  10, 9, 1, 7, 0, 0x20, 0, 2,	 0, 0x0b, 0x0b,
};
/* (memory 1 2 shared): limits flag 3, the threads proposal's */
static const uint8_t mod_shared[] = {
	0, 'a', 's', 'm', 1, 0, 0, 0, 5, 4, 1, 3, 1, 2,
};
/* a data count section (id 12) of 0 */
static const uint8_t mod_datacount[] = {
	0, 'a', 's', 'm', 1, 0, 0, 0, 12, 1, 0,
};

KTEST(wasm_mv, features_turn_2_0_off)
{
	const uint32_t v1 = VM_FEATURES_1_0;
	REFUSED(t, mod_signext, v1, VM_ERR_MALFORMED, "illegal opcode");
	REFUSED(t, mod_signext, VM_FEATURES_2_0 & ~VM_FEATURE_SIGN_EXT,
		VM_ERR_MALFORMED, "illegal opcode");
	REFUSED(t, mod_mv, v1, VM_ERR_INVALID, "invalid result arity");
	REFUSED(t, mod_bt_index, v1, VM_ERR_MALFORMED,
		"integer representation");
	REFUSED(t, mod_shared, VM_FEATURES_2_0, VM_ERR_MALFORMED,
		"integer too large");
	REFUSED(t, mod_datacount, v1, VM_ERR_MALFORMED, "malformed section id");
	REFUSED(t, mod_signext, 0x80000000u, VM_ERR_MISUSE, "feature");
	/* the same modules load by default */
	struct vm_error e;
	KT_EXPECT(t, LOAD(mod_bt_index, &e) != NULL);
	KT_EXPECT(t, LOAD(mod_shared, &e) != NULL);
	KT_EXPECT(t, LOAD(mod_datacount, &e) != NULL);
	vm_arena_reset();
	KT_EXPECT(t, vm_module_load_features(
			     &vm_arena_ops, mod_signext, sizeof(mod_signext),
			     VM_FEATURE_SIGN_EXT | VM_FEATURE_SAT_FLOAT_INT,
			     &e) != NULL);
}

/* ---- multi-value ---- */

KTEST(wasm_mv, several_results_through_vm_call)
{
	struct run r;
	struct vm_error e;
	vm_value res[5];
	if (!START(t, &r, mod_mv, NULL))
		return;
	struct vm_func *f = export_func(r.inst, "types");
	const struct vm_functype *ty = vm_func_type(f);
	KT_EXPECT_EQ(t, ty->nresults, 4);
	/* too little room is refused, more is left alone */
	KT_EXPECT_EQ(t, vm_call(r.th, f, NULL, 0, res, 3, &e), VM_ERR_MISUSE);
	KT_EXPECT_MSG(t, contains(e.msg, "returns 4 results, room for 3"), "%s",
		      e.msg);
	res[4].u64 = 0x5555;
	KT_EXPECT_EQ(t, vm_call(r.th, f, NULL, 0, res, 5, &e), VM_OK);
	KT_EXPECT_EQ(t, res[0].u64, 0xffffffffu); /* i32 zero-extended */
	KT_EXPECT_EQ(t, res[1].i64, -2);
	KT_EXPECT_EQ(t, res[2].u64, 0x3fc00000u); /* f32 zero-extended */
	KT_EXPECT(t, res[3].f64 == -0.25);
	KT_EXPECT_EQ(t, res[4].u64, 0x5555);
	stop(&r);
}

KTEST(wasm_mv, blocks_loops_and_ifs_with_parameters)
{
	struct run r;
	if (!START(t, &r, mod_mv, NULL))
		return;
	expect2(t, &r, "block", 3, 4, 0, 3, 5);
	expect1(t, &r, "loop", 4, 0, 0, 10);
	expect1(t, &r, "loop", 100, 0, 0, 5050);
	expect1(t, &r, "if", 7, 1, 0, 107);
	expect1(t, &r, "if", 7, 0, 0, (uint32_t)-193);
	expect1(t, &r, "if_noelse", 7, 1, 0, 35);
	expect1(t, &r, "if_noelse", 7, 0, 0, 7);
	stop(&r);
}

KTEST(wasm_mv, branches_carry_several_values)
{
	struct run r;
	if (!START(t, &r, mod_mv, NULL))
		return;
	expect2(t, &r, "br", 0, 0, 0, 7, 8);
	vm_value res[2];
	if (call(t, &r, "br_if", 1, 0, 0, res, 2))
		KT_EXPECT(t, res[0].u64 == 1 && res[1].u64 == 2);
	if (call(t, &r, "br_if", 0, 0, 0, res, 2))
		KT_EXPECT(t, res[0].u64 == 3 && res[1].u64 == 4);
	expect2(t, &r, "br_table", 0, 0, 0, 30, 0);
	expect2(t, &r, "br_table", 1, 0, 0, (uint32_t)-10, 1);
	expect2(t, &r, "br_table", 2, 0, 0, 10, 20);
	expect2(t, &r, "br_table", 9, 0, 0, 10, 20);
	/* return from inside blocks, the locals swapped: a naive copy in
	 * order would return (b, b) */
	expect2(t, &r, "return", 1, 2, 0, 2, 1);
	vm_value d[3];
	if (call(t, &r, "dup", 6, 0, 0, d, 3))
		KT_EXPECT(t, d[0].u64 == 6 && d[1].u64 == 9 && d[2].u64 == 6);
	stop(&r);
}

KTEST(wasm_mv, calls_and_call_indirect_return_several)
{
	struct run r;
	if (!START(t, &r, mod_mv, NULL))
		return;
	expect2(t, &r, "swap", 1, 2, 0, 2, 1);
	expect1(t, &r, "call_swap", 1, 2, 0, 12);
	expect2(t, &r, "call_indirect", 5, 6, 0, 6, 5);
	expect2(t, &r, "call_indirect", 5, 6, 1, 8, 18);
	/* 300 results from a three-byte body, and summed by the caller */
	vm_value many[300];
	if (call(t, &r, "many", 0, 0, 0, many, 300)) {
		uint32_t i = 0;
		while (i < 300 && many[i].u64 == i)
			i++;
		KT_EXPECT_MSG(t, i == 300, "result %u is %u", (unsigned)i,
			      i < 300 ? (unsigned)many[i].u64 : 0);
	}
	expect1(t, &r, "many_sum", 0, 0, 0, 300 * 299 / 2);
	stop(&r);
}

/* env.divmod: (a, b) -> (a / b, a % b); traps on b == 0. */
static int host_divmod(struct vm_hostcall *c, vm_value *a)
{
	(void)c;
	uint32_t x = a[0].u32, y = a[1].u32;
	if (!y)
		return VM_TRAP_DIV_ZERO;
	a[0].u64 = x / y;
	a[1].u64 = x % y;
	return VM_TRAP_NONE;
}

static const uint8_t ii[] = {VM_I32, VM_I32};
static const struct vm_functype divmod_type = {2, 2, ii, ii};
static struct vm_func *env_divmod;

static bool resolve_divmod(void *ctx, const char *module, const char *field,
			   enum vm_extern_kind kind,
			   const struct vm_functype *type,
			   struct vm_extern *out)
{
	(void)ctx;
	(void)module;
	(void)field;
	(void)kind;
	(void)type;
	out->kind = VM_EXTERN_FUNC;
	out->u.func = env_divmod;
	return true;
}

KTEST(wasm_mv, host_function_with_two_results)
{
	static const uint8_t bad[] = {VM_I32, 0x55};
	static const struct vm_functype bad_type = {2, 2, ii, bad};
	struct run r;
	vm_arena_reset();
	KT_EXPECT(t, vm_func_new_host(&vm_arena_ops, &bad_type, host_divmod,
				      NULL) == NULL);
	/* load resets the arena: make the host function after it */
	struct vm_error e;
	r.m = LOAD(mod_host_mv, &e);
	KT_ASSERT(t, r.m != NULL);
	env_divmod = vm_func_new_host(&vm_arena_ops, &divmod_type, host_divmod,
				      NULL);
	KT_ASSERT(t, env_divmod != NULL);
	r.inst = vm_instantiate(r.m, resolve_divmod, NULL, &e);
	r.th = thread();
	KT_ASSERT(t, r.inst && r.th);
	expect2(t, &r, "divmod", 47, 10, 0, 4, 7);
	expect1(t, &r, "use", 47, 10, 0, 7004);
	/* a thread too small for the call's values traps, nothing overflows */
	struct vm_thread *small = vm_thread_new(&vm_arena_ops, 1, 4);
	vm_value args[2] = {{.u64 = 9}, {.u64 = 2}}, res[2];
	KT_ASSERT(t, small != NULL);
	KT_EXPECT_EQ(t,
		     vm_call(small, export_func(r.inst, "divmod"), args, 2, res,
			     2, &e),
		     VM_ERR_TRAP);
	KT_EXPECT_EQ(t, e.trap, VM_TRAP_STACK_EXHAUSTED);
	env_divmod = NULL;
	stop(&r);
}
