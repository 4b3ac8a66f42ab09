/*
 * tests/vm/simd_vm_test.c: the `wasm_simd` suite: v128 values through the
 * interpreter's frame layout (docs/vm.md, "128-bit SIMD in the
 * interpreter"): calls and call_indirect mixing v128 with scalars, blocks,
 * loops and ifs with v128 parameters and results, br_table, br_if and
 * select carrying them, v128 globals and locals, a host function, vm_call
 * (a v128 is two vm_values, low half first); the memory forms at the last
 * byte of memory and with an offset that overflows; invalid lane indices
 * and alignments; v128 refused without VM_FEATURE_SIMD. Modules from
 * simd_modules.h (gen_simd_modules.py) or bytes here.
 */
#include "simd_modules.h"
#include "wasm_test.h"

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

static void stop(struct run *r)
{
	vm_instance_free(r->inst);
	vm_module_free(r->m);
}

/* Call fn with args[0..na) (a v128 is two values); the VM's status. */
static enum vm_err_kind call(struct ktest *t, struct run *r, const char *fn,
			     const vm_value *args, uint32_t na, vm_value *res,
			     uint32_t nr, struct vm_error *e)
{
	struct vm_func *f = export_func(r->inst, fn);
	if (!KT_EXPECT_MSG(t, f != NULL, "no export %s", fn))
		return VM_ERR_MISUSE;
	return vm_call(r->th, f, args, na, res, nr, e);
}

/* Call fn, which must return; false (after failing the case) if not. */
static bool ok(struct ktest *t, struct run *r, const char *fn,
	       const vm_value *args, uint32_t na, vm_value *res, uint32_t nr)
{
	struct vm_error e;
	enum vm_err_kind k = call(t, r, fn, args, na, res, nr, &e);
	return KT_EXPECT_MSG(t, k == VM_OK, "%s: %s", fn, e.msg);
}

/* An i32x4 as two vm_values. */
static void i32x4(vm_value *v, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	v[0].u64 = a | (uint64_t)b << 32;
	v[1].u64 = c | (uint64_t)d << 32;
}

static bool is_i32x4(const vm_value *v, uint32_t a, uint32_t b, uint32_t c,
		     uint32_t d)
{
	vm_value w[2];
	i32x4(w, a, b, c, d);
	return v[0].u64 == w[0].u64 && v[1].u64 == w[1].u64;
}

#define EXPECT_V(t, v, a, b, c, d, fn)                                         \
	KT_EXPECT_MSG(t, is_i32x4(v, a, b, c, d),                              \
		      "%s: got %08x %08x %08x %08x", fn, (unsigned)v[0].u32,   \
		      (unsigned)(v[0].u64 >> 32), (unsigned)v[1].u32,          \
		      (unsigned)(v[1].u64 >> 32))

KTEST(wasm_simd, v128_through_calls)
{
	struct run r;
	vm_value a[6], res[6];
	if (!start(t, &r, mod_v128, sizeof(mod_v128), NULL))
		return;
	i32x4(a, 1, 2, 3, 4);
	i32x4(a + 2, 10, 20, 30, 0xffffffff);
	if (ok(t, &r, "add", a, 4, res, 2))
		EXPECT_V(t, res, 11, 22, 33, 3, "add");
	if (ok(t, &r, "indirect", a, 4, res, 2))
		EXPECT_V(t, res, 11, 22, 33, 3, "indirect");
	if (ok(t, &r, "swap", a, 4, res, 4)) {
		EXPECT_V(t, res, 10, 20, 30, 0xffffffff, "swap");
		EXPECT_V(t, (res + 2), 1, 2, 3, 4, "swap");
	}
	/* (i32, v128, i64) -> (i64, v128, i32): five values each way */
	a[0].u64 = 7;
	i32x4(a + 1, 5, 6, 7, 8);
	a[3].u64 = 0x123456789ull;
	if (ok(t, &r, "mix", a, 4, res, 4)) {
		KT_EXPECT_EQ(t, res[0].u64, 0x123456789ull);
		EXPECT_V(t, (res + 1), 5, 6, 7, 8, "mix");
		KT_EXPECT_EQ(t, res[3].u64, 7);
	}
	a[0].u64 = 3;
	a[1].u64 = 100;
	if (ok(t, &r, "call_mix", a, 2, res, 1))
		KT_EXPECT_EQ(t, res[0].u64, 3000 + 20 + 100);
	i32x4(a, 0, 0, 0, 1000);
	a[2].u64 = 4;
	if (ok(t, &r, "wide_calls_scalar", a, 3, res, 1))
		KT_EXPECT_EQ(t, res[0].u64, (4 + 7) + 10 + 1000);
	/* vm_call counts the values: a v128 is two */
	struct vm_error e;
	KT_EXPECT_EQ(t, call(t, &r, "add", a, 2, res, 2, &e), VM_ERR_MISUSE);
	KT_EXPECT_EQ(t, call(t, &r, "add", a, 4, res, 1, &e), VM_ERR_MISUSE);
	stop(&r);
}

KTEST(wasm_simd, v128_through_blocks_and_branches)
{
	struct run r;
	vm_value a[5], res[4];
	if (!start(t, &r, mod_v128, sizeof(mod_v128), NULL))
		return;
	i32x4(a, 1, 2, 3, 4);
	a[2].u64 = 41;
	if (ok(t, &r, "block", a, 3, res, 3)) {
		EXPECT_V(t, res, 1, 2, 3, 4, "block");
		KT_EXPECT_EQ(t, res[2].u64, 42);
	}
	a[0].u64 = 4;
	if (ok(t, &r, "loop", a, 1, res, 2))
		EXPECT_V(t, res, 10, 10, 10, 10, "loop");
	for (uint32_t i = 0; i < 3; i++) {
		a[0].u64 = i;
		if (!ok(t, &r, "br_table", a, 1, res, 2))
			continue;
		if (i == 0)
			EXPECT_V(t, res, 11, 12, 13, 14, "br_table 0");
		else
			EXPECT_V(t, res, 1, 2, 3, 4, "br_table");
	}
	i32x4(a, 1, 2, 3, 4);
	a[2].u64 = 1;
	if (ok(t, &r, "br_if", a, 3, res, 3)) {
		EXPECT_V(t, res, 1, 2, 3, 4, "br_if taken");
		KT_EXPECT_EQ(t, res[2].u64, 5);
	}
	a[2].u64 = 0;
	if (ok(t, &r, "br_if", a, 3, res, 3)) {
		EXPECT_V(t, res, -1u, -2u, -3u, -4u, "br_if not taken");
		KT_EXPECT_EQ(t, res[2].u64, 6);
	}
	a[2].u64 = 1;
	if (ok(t, &r, "if", a, 3, res, 2))
		EXPECT_V(t, res, -1u, -2u, -3u, -4u, "if");
	a[2].u64 = 0;
	if (ok(t, &r, "if", a, 3, res, 2))
		EXPECT_V(t, res, ~1u, ~2u, ~3u, ~4u, "else");
	i32x4(a + 2, 9, 8, 7, 6);
	a[4].u64 = 1;
	if (ok(t, &r, "select", a, 5, res, 2))
		EXPECT_V(t, res, 1, 2, 3, 4, "select 1");
	a[4].u64 = 0;
	if (ok(t, &r, "select", a, 5, res, 2))
		EXPECT_V(t, res, 9, 8, 7, 6, "select 0");
	stop(&r);
}

KTEST(wasm_simd, v128_globals_and_locals)
{
	struct run r;
	vm_value a[2], res[2];
	if (!start(t, &r, mod_v128, sizeof(mod_v128), NULL))
		return;
	if (ok(t, &r, "gget", NULL, 0, res, 2))
		EXPECT_V(t, res, 1, 2, 3, 4, "gget");
	i32x4(a, 10, 20, 30, 40);
	ok(t, &r, "gadd", a, 2, res, 0);
	if (ok(t, &r, "gget", NULL, 0, res, 2))
		EXPECT_V(t, res, 11, 22, 33, 44, "gget after gadd");
	if (ok(t, &r, "gk", NULL, 0, res, 2))
		KT_EXPECT(t, res[0].u64 == UINT64_MAX && res[1].u64 == 7);
	/* the exported global's type; vm_global_get reads the low half */
	struct vm_extern ex;
	KT_ASSERT(t, vm_instance_export(r.inst, "g", &ex));
	KT_EXPECT_EQ(t, vm_global_type(ex.u.global), VM_V128);
	KT_EXPECT_EQ(t, vm_global_get(ex.u.global).u64, 11 | 22ull << 32);
	a[0].u64 = 5;
	if (ok(t, &r, "local", a, 1, res, 2))
		EXPECT_V(t, res, 10, 10, 10, 10, "local");
	stop(&r);
}

/* env.twice(v, k) = (k, v + v) */
static int host_twice(struct vm_hostcall *call, vm_value *args)
{
	(void)call;
	uint32_t k = args[2].u32;
	uint64_t lo = args[0].u64, hi = args[1].u64;
	args[0].u64 = k;
	args[1].u64 = (uint32_t)(2 * (uint32_t)lo) |
		      (uint64_t)(uint32_t)(2 * (uint32_t)(lo >> 32)) << 32;
	args[2].u64 = (uint32_t)(2 * (uint32_t)hi) |
		      (uint64_t)(uint32_t)(2 * (uint32_t)(hi >> 32)) << 32;
	return 0;
}

static const uint8_t vi[] = {VM_V128, VM_I32}, iv[] = {VM_I32, VM_V128};
static const struct vm_functype twice_type = {2, 2, vi, iv};
static struct vm_func *env_twice;

static bool resolve_twice(void *ctx, const char *module, const char *field,
			  enum vm_extern_kind kind,
			  const struct vm_functype *type, struct vm_extern *out)
{
	(void)ctx;
	(void)module;
	(void)field;
	(void)kind;
	(void)type;
	out->kind = VM_EXTERN_FUNC;
	out->u.func = env_twice;
	return true;
}

KTEST(wasm_simd, host_function_with_v128)
{
	struct run r;
	struct vm_error e;
	vm_value a[2], res[2];
	r.m = LOAD(mod_host_v128, &e);
	KT_EXPECT_MSG(t, r.m != NULL, "%s", e.msg);
	if (!r.m)
		return;
	env_twice =
		vm_func_new_host(&vm_arena_ops, &twice_type, host_twice, NULL);
	KT_ASSERT(t, env_twice != NULL);
	r.inst = vm_instantiate(r.m, resolve_twice, NULL, &e);
	r.th = thread();
	KT_ASSERT(t, r.inst && r.th);
	i32x4(a, 1, 2, 3, 4);
	if (ok(t, &r, "use", a, 2, res, 2))
		EXPECT_V(t, res, 5, 7, 9, 11, "use");
	env_twice = NULL;
	stop(&r);
}

/* Call fn(addr[, v128]) and expect an out-of-bounds trap. */
static void expect_oob(struct ktest *t, struct run *r, const char *fn,
		       uint32_t addr, uint32_t na)
{
	struct vm_error e;
	vm_value a[3] = {{.u64 = addr}, {.u64 = ~0ull}, {.u64 = ~0ull}}, res[2];
	enum vm_err_kind k = call(t, r, fn, a, na, res, 2, &e);
	KT_EXPECT_MSG(t, k == VM_ERR_TRAP && e.trap == VM_TRAP_MEM_OOB,
		      "%s(%u): %s", fn, (unsigned)addr, e.msg);
	KT_EXPECT_MSG(t, contains(e.msg, "out of bounds memory access"), "%s",
		      e.msg);
}

KTEST(wasm_simd, memory_edges)
{
	struct run r;
	vm_value a[4], res[2];
	if (!start(t, &r, mod_v128, sizeof(mod_v128), NULL))
		return;
	/* v128.store at the last 16 bytes, then one past */
	a[0].u64 = 65520;
	i32x4(a + 1, 0x11111111, 0x22222222, 0x33333333, 0x44444444);
	ok(t, &r, "store", a, 3, res, 0);
	expect_oob(t, &r, "store", 65521, 3);
	/* nothing of the failed store was written */
	a[0].u64 = 65535;
	if (ok(t, &r, "byte", a, 1, res, 1))
		KT_EXPECT_EQ(t, res[0].u64, 0x44);
	a[0].u64 = 65520;
	if (ok(t, &r, "load", a, 1, res, 2))
		EXPECT_V(t, res, 0x11111111, 0x22222222, 0x33333333, 0x44444444,
			 "load");
	expect_oob(t, &r, "load", 65521, 1);
	expect_oob(t, &r, "load", 0xffffffff, 1);
	/* offset 0xfffffff0 + address: no 32-bit wrap-around */
	expect_oob(t, &r, "load_off", 0x20, 1);
	expect_oob(t, &r, "load_off", 0x10, 1);
	/* lane forms at the last byte */
	a[0].u64 = 65532;
	if (ok(t, &r, "load32_lane", a, 1, res, 2))
		EXPECT_V(t, res, 0, 0, 0x44444444, 0, "load32_lane");
	expect_oob(t, &r, "load32_lane", 65533, 1);
	a[0].u64 = 65528;
	i32x4(a + 1, 1, 2, 0x55555555, 0x66666666);
	ok(t, &r, "store64_lane", a, 3, res, 0);
	expect_oob(t, &r, "store64_lane", 65529, 3);
	a[0].u64 = 65535;
	if (ok(t, &r, "byte", a, 1, res, 1))
		KT_EXPECT_EQ(t, res[0].u64, 0x66);
	i32x4(a, 0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c);
	i32x4(a + 2, 0x13121110, 0x17161514, 0x1b1a1918, 0x1f1e1d1c);
	if (ok(t, &r, "shuffle", a, 4, res, 2))
		EXPECT_V(t, res, 0x011e001f, 0x031c021d, 0x051a041b, 0x07180619,
			 "shuffle");
	stop(&r);
}

/*
 * (func (result i32) v128.const 0 i32x4.extract_lane LANE): lane byte at
 * offset 41; ALIGN_AT and friends below patch a copy.
 */
static const uint8_t mod_lane[] = {
	0, 'a', 's', 'm', 1, 0,	 0, 0,	  1,	5,    1, 0x60, 0, 1, 0x7f, 3, 2,
	1, 0,	10,  25,  1, 23, 0, 0xfd, 0x0c, 0,    0, 0,    0, 0, 0,	   0, 0,
	0, 0,	0,   0,	  0, 0,	 0, 0,	  0xfd, 0x1b, 4, 0x0b,
};
/* (memory 1) (func v128.load align=2^A offset=0 of address 0, drop) */
static const uint8_t mod_align[] = {
	0,  'a', 's', 'm', 1,	 0, 0,	  0, 1, 4, 1,	 0x60,
	0,  0,	 3,   2,   1,	 0, 5,	  3, 1, 0, 1,	 10,
	11, 1,	 9,   0,   0x41, 0, 0xfd, 0, 5, 0, 0x1a, 0x0b,
};

KTEST(wasm_simd, invalid_and_malformed)
{
	uint8_t b[sizeof(mod_lane)];
	struct vm_error e;
	/* lane 3 is fine, 4 is not */
	memcpy(b, mod_lane, sizeof(b));
	b[sizeof(b) - 2] = 3;
	KT_EXPECT(t, load(b, sizeof(b), &e) != NULL);
	expect_refused(t, mod_lane, sizeof(mod_lane), VM_ERR_INVALID,
		       "invalid lane index");
	/* v128.load's natural alignment is 2^4 */
	uint8_t c[sizeof(mod_align)];
	memcpy(c, mod_align, sizeof(c));
	c[sizeof(c) - 4] = 4;
	KT_EXPECT_MSG(t, load(c, sizeof(c), &e) != NULL, "%s", e.msg);
	expect_refused(t, mod_align, sizeof(mod_align), VM_ERR_INVALID,
		       "alignment must not be larger than natural");
	/* a sub-opcode that does not exist */
	c[sizeof(c) - 5] = 0xff;
	expect_refused(t, c, sizeof(c), VM_ERR_MALFORMED, "illegal opcode");
	/* without SIMD, v128 and the prefix are malformed */
	vm_arena_reset();
	KT_EXPECT(t, vm_module_load_features(&vm_arena_ops, mod_v128,
					     sizeof(mod_v128), VM_FEATURES_1_0,
					     &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_MALFORMED);
	vm_arena_reset();
	KT_EXPECT(t, vm_module_load_features(&vm_arena_ops, mod_lane,
					     sizeof(mod_lane), VM_FEATURES_1_0,
					     &e) == NULL);
	KT_EXPECT(t, contains(e.msg, "illegal opcode"));
}
