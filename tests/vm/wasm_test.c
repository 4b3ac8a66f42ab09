/*
 * tests/vm/wasm_test.c: the `wasm` suite. Each bad input gets a case that
 * feeds it and expects a clear, structured error; a few good modules check
 * execution, traps, host imports, interruption and WASI. All modules are
 * embedded (wasm_modules.h) and all memory comes from a static arena
 * (vm_arena.c), so the cases run unchanged on the host and in the kernel.
 */
#include <ktest.h>
#include <string.h>

#include "../../vm/fp.h"
#include "vm_arena.h"
#include "wasm_modules.h"
#include "wasm_test.h"
#include <vm/vm.h>
#include <vm/wasi.h>

/* ---- malformed ---- */

KTEST(wasm, empty_module_loads)
{
	static const uint8_t b[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
	struct vm_error e;
	struct vm_module *m = load(b, sizeof(b), &e);
	KT_EXPECT(t, m != NULL);
	vm_module_free(m);
}

KTEST(wasm, bad_magic)
{
	static const uint8_t b[] = {0, 'a', 's', 'x', 1, 0, 0, 0};
	expect_refused(t, b, sizeof(b), VM_ERR_MALFORMED, "magic header");
}

KTEST(wasm, bad_version)
{
	static const uint8_t b[] = {0, 'a', 's', 'm', 2, 0, 0, 0};
	expect_refused(t, b, sizeof(b), VM_ERR_MALFORMED,
		       "unknown binary version");
}

KTEST(wasm, truncated_header)
{
	static const uint8_t b[] = {0, 'a', 's', 'm', 1, 0};
	expect_refused(t, b, sizeof(b), VM_ERR_MALFORMED, NULL);
}

KTEST(wasm, every_truncation_fails_cleanly)
{
	/*
	 * Each prefix of a valid module either ends on a section boundary
	 * (and is itself a valid module) or is rejected as malformed.
	 */
	struct vm_error e;
	int rejected = 0;
	for (size_t n = 0; n < sizeof(mod_indirect); n++) {
		struct vm_module *m = load(mod_indirect, n, &e);
		if (m) {
			vm_module_free(m);
			continue;
		}
		rejected++;
		KT_EXPECT_MSG(t, e.kind == VM_ERR_MALFORMED,
			      "prefix of %u bytes: kind %d", (unsigned)n,
			      (int)e.kind);
	}
	KT_EXPECT(t, rejected > (int)sizeof(mod_indirect) / 2);
}

KTEST(wasm, section_past_end)
{
	/* type section claiming 16 bytes with 2 present */
	static const uint8_t b[] = {0, 'a', 's', 'm', 1, 0,
				    0, 0,   1,	 16,  1, 0x60};
	expect_refused(t, b, sizeof(b), VM_ERR_MALFORMED, "type section");
}

KTEST(wasm, leb_too_long)
{
	/* type section size encoded in 6 bytes */
	static const uint8_t b[] = {0, 'a',  's',  'm',	 1,    0,    0,	  0,
				    1, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00};
	expect_refused(t, b, sizeof(b), VM_ERR_MALFORMED,
		       "integer representation too long");
}

KTEST(wasm, leb_unused_bits)
{
	/* 5-byte u32 whose last byte sets bits above bit 31 */
	static const uint8_t b[] = {0, 'a', 's',  'm',	1,    0,    0,
				    0, 1,   0x81, 0x80, 0x80, 0x80, 0x70};
	expect_refused(t, b, sizeof(b), VM_ERR_MALFORMED, "integer too large");
}

KTEST(wasm, section_out_of_order)
{
	/* function section (3) before type section (1), both empty */
	static const uint8_t b[] = {0, 'a', 's', 'm', 1, 0, 0,
				    0, 3,   1,	 0,   1, 1, 0};
	expect_refused(t, b, sizeof(b), VM_ERR_MALFORMED, NULL);
}

KTEST(wasm, unknown_section_id)
{
	static const uint8_t b[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 12, 0};
	expect_refused(t, b, sizeof(b), VM_ERR_MALFORMED, NULL);
}

KTEST(wasm, function_without_code)
{
	/* one type, one function, no code section */
	static const uint8_t b[] = {0, 'a', 's',  'm', 1, 0, 0, 0, 1,
				    4, 1,   0x60, 0,   0, 3, 2, 1, 0};
	expect_refused(t, b, sizeof(b), VM_ERR_MALFORMED,
		       "inconsistent lengths");
}

KTEST(wasm, too_many_locals)
{
	/* a body declaring 2 x 0xffffffff i32 locals */
	static const uint8_t b[] = {
		0,    'a',  's',  'm',	1,    0,    0,	  0,	1,
		4,    1,    0x60, 0,	0,    3,    2,	  1,	0,
		10,   16,   1,	  14,	2,    0xff, 0xff, 0xff, 0xff,
		0x0f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b};
	expect_refused(t, b, sizeof(b), VM_ERR_MALFORMED, "too many locals");
}

KTEST(wasm, bad_utf8_name)
{
	/* custom section named "\xff" */
	static const uint8_t b[] = {0, 'a', 's', 'm', 1, 0,
				    0, 0,   0,	 2,   1, 0xff};
	expect_refused(t, b, sizeof(b), VM_ERR_MALFORMED, "UTF-8");
}

/* ---- invalid ---- */

KTEST(wasm, invalid_type_stack)
{
	expect_refused(t, mod_badtype, sizeof(mod_badtype), VM_ERR_INVALID,
		       "type mismatch");
}

KTEST(wasm, invalid_unknown_local)
{
	expect_refused(t, mod_badlocal, sizeof(mod_badlocal), VM_ERR_INVALID,
		       "unknown local");
}

KTEST(wasm, invalid_alignment)
{
	expect_refused(t, mod_badalign, sizeof(mod_badalign), VM_ERR_INVALID,
		       "alignment");
}

/* ---- linking ---- */

static struct vm_memory *env_mem;
static struct vm_func *env_add1;

static bool env_resolve(void *ctx, const char *module, const char *field,
			enum vm_extern_kind kind,
			const struct vm_functype *type, struct vm_extern *out)
{
	(void)ctx;
	(void)type;
	if (strcmp(module, "env"))
		return false;
	if (!strcmp(field, "mem") && env_mem) {
		out->kind = VM_EXTERN_MEMORY;
		out->u.memory = env_mem;
		return true;
	}
	if (!strcmp(field, "add1") && env_add1) {
		out->kind = VM_EXTERN_FUNC;
		out->u.func = env_add1;
		return true;
	}
	(void)kind;
	return false;
}

KTEST(wasm, unknown_import)
{
	struct vm_error e;
	struct vm_module *m = LOAD(mod_unknownimp, &e);
	KT_ASSERT(t, m != NULL);
	KT_EXPECT(t, vm_instantiate(m, env_resolve, NULL, &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_UNLINKABLE);
	KT_EXPECT(t, contains(e.msg, "unknown import"));
	KT_EXPECT(t, contains(e.msg, "nope"));
	vm_module_free(m);
}

static int host_add1(struct vm_hostcall *c, vm_value *a)
{
	(void)c;
	a[0].u64 = a[0].u32 + 1;
	return 0;
}

KTEST(wasm, incompatible_import)
{
	/* add1 offered as () -> () where (i32) -> i32 is wanted */
	static const struct vm_functype wrong = {0, 0, NULL, NULL};
	struct vm_error e;
	struct vm_module *m = LOAD(mod_hostimp, &e);
	KT_ASSERT(t, m != NULL);
	env_add1 = vm_func_new_host(&vm_arena_ops, &wrong, host_add1, NULL);
	KT_EXPECT(t, vm_instantiate(m, env_resolve, NULL, &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_UNLINKABLE);
	KT_EXPECT(t, contains(e.msg, "incompatible import type"));
	env_add1 = NULL;
	vm_module_free(m);
}

KTEST(wasm, data_segment_out_of_bounds)
{
	/* the second segment overruns: 1.0 writes neither (unlinkable) */
	struct vm_error e;
	struct vm_module *m = LOAD(mod_dataoob, &e);
	KT_ASSERT(t, m != NULL);
	vm_module_free(m);
	m = vm_module_load_features(&vm_arena_ops, mod_dataoob,
				    sizeof(mod_dataoob), VM_FEATURES_1_0, &e);
	KT_ASSERT(t, m != NULL);
	env_mem = vm_memory_new(&vm_arena_ops, 1, 0, false);
	KT_ASSERT(t, env_mem != NULL);
	KT_EXPECT(t, vm_instantiate(m, env_resolve, NULL, &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_UNLINKABLE);
	KT_EXPECT(t, contains(e.msg, "data segment does not fit"));
	KT_EXPECT_EQ(t, vm_memory_data(env_mem)[0], 0);
	vm_module_free(m);
	/* 2.0 (the default): the first is written, the second traps */
	m = vm_module_load(&vm_arena_ops, mod_dataoob, sizeof(mod_dataoob), &e);
	KT_ASSERT(t, m != NULL);
	KT_EXPECT(t, vm_instantiate(m, env_resolve, NULL, &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_TRAP);
	KT_EXPECT_EQ(t, e.trap, VM_TRAP_MEM_OOB);
	KT_EXPECT(t, contains(e.msg, "out of bounds memory access"));
	KT_EXPECT_EQ(t, vm_memory_data(env_mem)[0], 'a');
	env_mem = NULL;
	vm_module_free(m);
}

/* ---- execution ---- */

KTEST(wasm, add_runs)
{
	struct vm_error e;
	struct vm_module *m = LOAD(mod_add, &e);
	KT_ASSERT(t, m != NULL);
	struct vm_instance *i = vm_instantiate(m, NULL, NULL, &e);
	struct vm_thread *th = thread();
	KT_ASSERT(t, i && th);
	vm_value args[2] = {{.u64 = 2}, {.u64 = 3}}, r;
	KT_EXPECT_EQ(t, vm_call(th, export_func(i, "add"), args, 2, &r, 1, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r.u32, 5);
	args[0].u64 = 0xffffffffu;
	KT_EXPECT_EQ(t, vm_call(th, export_func(i, "add"), args, 2, &r, 1, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r.u32, 2);
	vm_instance_free(i);
	vm_module_free(m);
}

static void expect_trap(struct ktest *t, const uint8_t *b, size_t n,
			const char *fn, vm_value arg, enum vm_trap want,
			const char *text)
{
	struct vm_error e;
	struct vm_module *m = load(b, n, &e);
	KT_ASSERT(t, m != NULL);
	struct vm_instance *i = vm_instantiate(m, NULL, NULL, &e);
	struct vm_thread *th = thread();
	KT_ASSERT(t, i && th);
	struct vm_func *f = export_func(i, fn);
	vm_value args[2] = {arg, arg}, r;
	KT_EXPECT_EQ(t, vm_call(th, f, args, arity(f), &r, 1, &e), VM_ERR_TRAP);
	KT_EXPECT_EQ(t, e.trap, want);
	KT_EXPECT(t, contains(e.msg, text));
	KT_EXPECT(t, contains(e.msg, "function"));
	KT_EXPECT(t, contains(e.msg, "code offset"));
	vm_instance_free(i);
	vm_module_free(m);
}

KTEST(wasm, trap_divide_by_zero)
{
	vm_value z = {.u64 = 0};
	expect_trap(t, mod_div, sizeof(mod_div), "div", z, VM_TRAP_DIV_ZERO,
		    "integer divide by zero");
}

KTEST(wasm, trap_unreachable)
{
	vm_value z = {.u64 = 0};
	expect_trap(t, mod_unreach, sizeof(mod_unreach), "f", z,
		    VM_TRAP_UNREACHABLE, "unreachable");
}

KTEST(wasm, trap_call_stack_exhausted)
{
	vm_value z = {.u64 = 0};
	expect_trap(t, mod_recurse, sizeof(mod_recurse), "f", z,
		    VM_TRAP_STACK_EXHAUSTED, "call stack exhausted");
}

KTEST(wasm, trap_memory_out_of_bounds)
{
	vm_value a = {.u64 = 65533};
	expect_trap(t, mod_memoob, sizeof(mod_memoob), "f", a, VM_TRAP_MEM_OOB,
		    "out of bounds memory access");
}

KTEST(wasm, memory_bounds)
{
	/* edges of the bounds check, incl. address+offset carrying past 2^32 */
	static const struct {
		const char *fn;
		uint32_t addr;
		bool trap;
	} cases[] = {
		{"ld", 0, false},	   {"ld", 65532, false},
		{"ld", 65533, true},	   {"ld", 0xffffffffu, true},
		{"ld", 0xfffffffcu, true}, {"ldhi", 0, true},
		{"ldhi", 1, true},	   {"ld8", 0, false},
		{"ld8", 1, true},	   {"ldadd", 16, false},
		{"ldadd", 17, true},	   {"ldadd", 0xfffffff0u, false},
	};
	struct vm_error e;
	struct vm_module *m = LOAD(mod_membounds, &e);
	KT_ASSERT(t, m != NULL);
	struct vm_instance *i = vm_instantiate(m, NULL, NULL, &e);
	struct vm_thread *th = thread();
	KT_ASSERT(t, i && th);
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		vm_value a = {.u64 = cases[k].addr}, r;
		enum vm_err_kind got = vm_call(th, export_func(i, cases[k].fn),
					       &a, 1, &r, 1, &e);
		KT_EXPECT_MSG(t, got == (cases[k].trap ? VM_ERR_TRAP : VM_OK),
			      "%s(%u): kind %d", cases[k].fn,
			      (unsigned)cases[k].addr, (int)got);
	}
	vm_instance_free(i);
	vm_module_free(m);
}

KTEST(wasm, call_indirect_checks)
{
	struct vm_error e;
	struct vm_module *m = LOAD(mod_indirect, &e);
	KT_ASSERT(t, m != NULL);
	struct vm_instance *i = vm_instantiate(m, NULL, NULL, &e);
	struct vm_thread *th = thread();
	KT_ASSERT(t, i && th);
	vm_value a = {.u64 = 0}, r;
	KT_EXPECT_EQ(t, vm_call(th, export_func(i, "call"), &a, 1, &r, 1, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r.u32, 7);
	KT_EXPECT_EQ(t, vm_call(th, export_func(i, "callv"), &a, 1, &r, 1, &e),
		     VM_ERR_TRAP);
	KT_EXPECT_EQ(t, e.trap, VM_TRAP_SIG_MISMATCH);
	a.u64 = 1;
	KT_EXPECT_EQ(t, vm_call(th, export_func(i, "call"), &a, 1, &r, 1, &e),
		     VM_ERR_TRAP);
	KT_EXPECT_EQ(t, e.trap, VM_TRAP_UNINIT_ELEM);
	a.u64 = 2;
	KT_EXPECT_EQ(t, vm_call(th, export_func(i, "call"), &a, 1, &r, 1, &e),
		     VM_ERR_TRAP);
	KT_EXPECT_EQ(t, e.trap, VM_TRAP_TABLE_OOB);
	vm_instance_free(i);
	vm_module_free(m);
}

KTEST(wasm, br_table_targets)
{
	struct vm_error e;
	struct vm_module *m = LOAD(mod_brtable, &e);
	KT_ASSERT(t, m != NULL);
	struct vm_instance *i = vm_instantiate(m, NULL, NULL, &e);
	struct vm_thread *th = thread();
	KT_ASSERT(t, i && th);
	static const uint32_t want[] = {10, 20, 30, 30, 30};
	for (uint32_t k = 0; k < 5; k++) {
		vm_value a = {.u64 = k == 4 ? 0xffffffffu : k}, r;
		KT_EXPECT_EQ(t,
			     vm_call(th, export_func(i, "f"), &a, 1, &r, 1, &e),
			     VM_OK);
		KT_EXPECT_EQ(t, r.u32, want[k]);
	}
	vm_instance_free(i);
	vm_module_free(m);
}

KTEST(wasm, interrupt_and_resume)
{
	struct vm_error e;
	struct vm_module *m = LOAD(mod_loop, &e);
	KT_ASSERT(t, m != NULL);
	struct vm_instance *i = vm_instantiate(m, NULL, NULL, &e);
	struct vm_thread *th = thread();
	KT_ASSERT(t, i && th);
	volatile int flag = 1;
	vm_thread_set_interrupt(th, &flag);
	vm_value a = {.u64 = 1000}, r;
	KT_EXPECT_EQ(t, vm_call(th, export_func(i, "count"), &a, 1, &r, 1, &e),
		     VM_ERR_INTERRUPTED);
	flag = 0;
	KT_EXPECT_EQ(t, vm_resume(th, &r, 1, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, 3000);
	vm_instance_free(i);
	vm_module_free(m);
}

KTEST(wasm, host_function_import)
{
	static const uint8_t p[] = {VM_I32}, res[] = {VM_I32};
	static const struct vm_functype ty = {1, 1, p, res};
	struct vm_error e;
	struct vm_module *m = LOAD(mod_hostimp, &e);
	KT_ASSERT(t, m != NULL);
	env_add1 = vm_func_new_host(&vm_arena_ops, &ty, host_add1, NULL);
	struct vm_instance *i = vm_instantiate(m, env_resolve, NULL, &e);
	struct vm_thread *th = thread();
	KT_ASSERT(t, i && th);
	vm_value a = {.u64 = 20}, r;
	KT_EXPECT_EQ(t, vm_call(th, export_func(i, "f"), &a, 1, &r, 1, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r.u32, 42);
	env_add1 = NULL;
	vm_instance_free(i);
	vm_module_free(m);
}

static struct vm_func *reenter_target;
static enum vm_err_kind reenter_result;

static int host_reenter(struct vm_hostcall *c, vm_value *a)
{
	struct vm_error e;
	vm_value r;
	reenter_result = vm_call(c->thread, reenter_target, a, 1, &r, 1, &e);
	a[0].u64 = 1;
	return 0;
}

KTEST(wasm, reentrant_call_refused)
{
	static const uint8_t p[] = {VM_I32}, res[] = {VM_I32};
	static const struct vm_functype ty = {1, 1, p, res};
	struct vm_error e;
	struct vm_module *m = LOAD(mod_hostimp, &e);
	KT_ASSERT(t, m != NULL);
	env_add1 = vm_func_new_host(&vm_arena_ops, &ty, host_reenter, NULL);
	struct vm_instance *i = vm_instantiate(m, env_resolve, NULL, &e);
	struct vm_thread *th = thread();
	KT_ASSERT(t, i && th);
	reenter_target = export_func(i, "f");
	vm_value a = {.u64 = 5}, r;
	KT_EXPECT_EQ(t, vm_call(th, reenter_target, &a, 1, &r, 1, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, 2);
	KT_EXPECT_EQ(t, reenter_result, VM_ERR_MISUSE);
	env_add1 = NULL;
	vm_instance_free(i);
	vm_module_free(m);
}

KTEST(wasm, float_rules)
{
	KT_EXPECT_EQ(t, f64_bits(f64_nearest(2.5)), f64_bits(2.0));
	KT_EXPECT_EQ(t, f64_bits(f64_nearest(-0.5)), f64_bits(-0.0));
	KT_EXPECT_EQ(t, f64_bits(f64_trunc(-0.7)), f64_bits(-0.0));
	KT_EXPECT_EQ(t, f64_bits(f64_ceil(-0.5)), f64_bits(-0.0));
	KT_EXPECT_EQ(t, f64_bits(f64_floor(-0.5)), f64_bits(-1.0));
	KT_EXPECT_EQ(t, f32_bits(f32_sqrt(2.0f)), 0x3fb504f3u);
	KT_EXPECT_EQ(t, f64_bits(f64_sqrt(2.0)), 0x3ff6a09e667f3bcdull);
	KT_EXPECT_EQ(t, f32_bits(f32_min(0.0f, -0.0f)), 0x80000000u);
	KT_EXPECT_EQ(t, f32_bits(f32_max(-0.0f, 0.0f)), 0u);
	/* the trap rules of trunc go through the interpreter */
	vm_value big = {.f64 = 3e9};
	expect_trap(t, mod_float, sizeof(mod_float), "trunc", big,
		    VM_TRAP_INT_OVERFLOW, "integer overflow");
	vm_value nan = {.u64 = 0x7ff8000000000000ull};
	expect_trap(t, mod_float, sizeof(mod_float), "trunc", nan,
		    VM_TRAP_BAD_CONVERSION, "invalid conversion");
}

/* ---- WASI ---- */

static char out_buf[64];
static size_t out_len;

static long w_write(void *ctx, int fd, const void *buf, size_t len)
{
	(void)ctx;
	(void)fd;
	if (len > sizeof(out_buf) - out_len)
		len = sizeof(out_buf) - out_len;
	memcpy(out_buf + out_len, buf, len);
	out_len += len;
	return (long)len;
}

static const struct vm_wasi_ops wasi_ops = {NULL, w_write, NULL, NULL, NULL,
					    NULL, NULL,	   NULL, NULL, NULL};

static bool w_lookup(void *ctx, const char *path, size_t len,
		     const uint8_t **data, uint64_t *size)
{
	static const char hello[] = "hello world";
	(void)ctx;
	if (len != 9 || memcmp(path, "hello.txt", 9))
		return false;
	*data = (const uint8_t *)hello;
	*size = sizeof(hello) - 1;
	return true;
}

static const struct vm_wasi_ops file_ops = {NULL, w_write,  NULL, NULL, NULL,
					    NULL, w_lookup, NULL, NULL, NULL};

KTEST(wasm, wasi_read_only_root)
{
	struct vm_error e;
	struct vm_wasi w;
	struct vm_module *m = LOAD(mod_wasifile, &e);
	KT_ASSERT(t, m != NULL);
	vm_wasi_init(&w, &vm_arena_ops, &file_ops, 0, NULL, 0, NULL);
	struct vm_instance *i = vm_instantiate(m, vm_wasi_resolve, &w, &e);
	struct vm_thread *th = thread();
	KT_ASSERT(t, i && th);
	vm_value r;
	KT_EXPECT_EQ(t, vm_call(th, export_func(i, "cat"), NULL, 0, &r, 1, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r.u32, 11);
	struct vm_memory *mem = vm_instance_memory(i);
	KT_ASSERT(t, mem != NULL);
	KT_EXPECT(t, !memcmp(vm_memory_data(mem) + 200, "hello world", 11));
	KT_EXPECT_EQ(t,
		     vm_call(th, export_func(i, "missing"), NULL, 0, &r, 1, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r.u32, 44); /* ENOENT */
	vm_instance_free(i);
	vm_wasi_free(&w);
	vm_module_free(m);
}

KTEST(wasm, wasi_write_exit_enosys)
{
	struct vm_error e;
	struct vm_wasi w;
	struct vm_module *m = LOAD(mod_wasi, &e);
	KT_ASSERT(t, m != NULL);
	vm_wasi_init(&w, &vm_arena_ops, &wasi_ops, 0, NULL, 0, NULL);
	struct vm_instance *i = vm_instantiate(m, vm_wasi_resolve, &w, &e);
	struct vm_thread *th = thread();
	KT_ASSERT(t, i && th);
	vm_value r;
	out_len = 0;
	KT_EXPECT_EQ(t,
		     vm_call(th, export_func(i, "write"), NULL, 0, &r, 1, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r.u32, 0);
	KT_EXPECT_EQ(t, out_len, 3);
	KT_EXPECT(t, !memcmp(out_buf, "hi\n", 3));
	/* an iovec past the end of memory: EFAULT (21), nothing written */
	KT_EXPECT_EQ(t,
		     vm_call(th, export_func(i, "badptr"), NULL, 0, &r, 1, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r.u32, 21);
	KT_EXPECT_EQ(t, out_len, 3);
	KT_EXPECT_EQ(t,
		     vm_call(th, export_func(i, "nosys"), NULL, 0, &r, 1, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r.u32, 52);
	KT_EXPECT_EQ(t, vm_call(th, export_func(i, "exit"), NULL, 0, &r, 1, &e),
		     VM_ERR_EXIT);
	KT_EXPECT_EQ(t, e.exit_code, 7);
	vm_instance_free(i);
	vm_wasi_free(&w);
	vm_module_free(m);
}
