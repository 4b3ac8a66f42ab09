/*
 * tests/vm/bulk_test.c: the `wasm_bulk` suite: bulk memory (memory.fill,
 * memory.copy, memory.init, data.drop, passive segments, the data count
 * section) and the saturating float-to-int conversions. Every bounds case
 * checks both that it traps and that nothing was written; every bad module
 * checks the error kind and message. Modules come from bulk_modules.h
 * (wat2wasm) or, where wat2wasm cannot write them, bytes below; memory from
 * a static heap, so the suite runs on the host and in both kernels.
 */
#include <ktest.h>
#include <string.h>

#include "bulk_modules.h"
#include <vm/vm.h>

/*
 * The VM's allocation hooks over one static heap that each case starts
 * afresh. Blocks are never freed; each carries its size so that realloc and
 * mem_grow can copy, and every block comes back zeroed (mem_alloc's and
 * mem_grow's contract).
 */
struct blk {
	size_t n;
	size_t pad; /* keeps the payload 16-byte aligned */
};
static uint8_t heap[256 * 1024] __attribute__((aligned(16)));
static size_t heap_top;

static void *take(size_t n, const void *old)
{
	struct blk *b = (struct blk *)(heap + heap_top);
	size_t need = sizeof(*b) + ((n + 15) & ~(size_t)15);
	if (need > sizeof(heap) - heap_top)
		return NULL;
	heap_top += need;
	b->n = n;
	memset(b + 1, 0, n);
	if (old) {
		size_t was = ((const struct blk *)old - 1)->n;
		memcpy(b + 1, old, was < n ? was : n);
	}
	return b + 1;
}

static void *h_alloc(void *ctx, size_t n)
{
	return take(n, NULL);
}

static void *h_realloc(void *ctx, void *p, size_t n)
{
	return take(n, p);
}

static void *h_grow(void *ctx, void *p, size_t old, size_t n)
{
	return take(n, p);
}

static void h_free(void *ctx, void *p)
{
}

static void h_mem_free(void *ctx, void *p, size_t n)
{
}

static const struct vm_host_ops hops = {
	NULL,	h_alloc,    h_realloc, h_free, h_alloc,
	h_grow, h_mem_free, NULL,      NULL,
};

/* Whether the reason in error message msg ("kind: reason (where)") starts
 * with why. */
static bool reason_is(const char *msg, const char *why)
{
	const char *p = strchr(msg, ':');
	return p && !strncmp(p + 2, why, strlen(why));
}

/* Load bytes b[0..n) into a fresh heap; expect failure of kind `kind` whose
 * message contains `why`, or success when kind is VM_OK. */
static void expect_load(struct ktest *t, const uint8_t *b, size_t n,
			enum vm_err_kind kind, const char *why)
{
	struct vm_error e;
	heap_top = 0;
	struct vm_module *m = vm_module_load(&hops, b, n, &e);
	if (kind == VM_OK) {
		KT_EXPECT_MSG(t, m != NULL, "load failed: %s", e.msg);
		vm_module_free(m);
		return;
	}
	KT_EXPECT(t, m == NULL);
	vm_module_free(m);
	KT_EXPECT_EQ(t, e.kind, kind);
	KT_EXPECT_MSG(t, reason_is(e.msg, why), "message \"%s\" lacks \"%s\"",
		      e.msg, why);
}

#define EXPECT_LOAD(t, arr, kind, why)                                         \
	expect_load(t, arr, sizeof(arr), kind, why)

/* One instance of mod_bulk (or another module) and a thread to call it. */
struct run {
	struct vm_module *m;
	struct vm_instance *inst;
	struct vm_thread *th;
	uint8_t *mem;
};

static bool start(struct ktest *t, struct run *r, const uint8_t *b, size_t n)
{
	struct vm_error e;
	heap_top = 0;
	r->m = vm_module_load(&hops, b, n, &e);
	KT_EXPECT_MSG(t, r->m != NULL, "load: %s", e.msg);
	if (!r->m)
		return false;
	r->inst = vm_instantiate(r->m, NULL, NULL, &e);
	r->th = vm_thread_new(&hops, 1024, 16);
	KT_EXPECT(t, r->inst && r->th);
	if (!r->inst || !r->th)
		return false;
	struct vm_memory *mem = vm_instance_memory(r->inst);
	r->mem = mem ? vm_memory_data(mem) : NULL;
	return true;
}

static void stop(struct run *r)
{
	vm_thread_free(r->th);
	vm_instance_free(r->inst);
	vm_module_free(r->m);
}

/* Call export fn with up to three i32 arguments; true if it trapped with
 * "out of bounds memory access", false if it returned. */
static bool call_oob(struct ktest *t, struct run *r, const char *fn, uint32_t a,
		     uint32_t b, uint32_t c)
{
	struct vm_extern ex;
	struct vm_error e;
	vm_value args[3] = {{.u64 = a}, {.u64 = b}, {.u64 = c}}, res;
	if (!KT_EXPECT_MSG(t, vm_instance_export(r->inst, fn, &ex), "no %s",
			   fn))
		return false;
	enum vm_err_kind k =
		vm_call(r->th, ex.u.func, args,
			vm_func_type(ex.u.func)->nparams, &res, 1, &e);
	if (k == VM_OK)
		return false;
	KT_EXPECT_MSG(t,
		      k == VM_ERR_TRAP && e.trap == VM_TRAP_MEM_OOB &&
			      reason_is(e.msg, "out of bounds memory access"),
		      "%s(%u, %u, %u): kind %d: %s", fn, (unsigned)a,
		      (unsigned)b, (unsigned)c, (int)k, e.msg);
	return true;
}

#define OK(t, r, fn, a, b, c)                                                  \
	KT_EXPECT_MSG(t, !call_oob(t, r, fn, a, b, c),                         \
		      "%s(%u, %u, %u) trapped", fn, (unsigned)(a),             \
		      (unsigned)(b), (unsigned)(c))
#define OOB(t, r, fn, a, b, c)                                                 \
	KT_EXPECT_MSG(t, call_oob(t, r, fn, a, b, c),                          \
		      "%s(%u, %u, %u) did not trap", fn, (unsigned)(a),        \
		      (unsigned)(b), (unsigned)(c))

#define PAGE 65536u

/* The bytes at mem[at..at+n) all equal v. */
static bool all(const uint8_t *mem, uint32_t at, uint32_t n, uint8_t v)
{
	for (uint32_t i = 0; i < n; i++)
		if (mem[at + i] != v)
			return false;
	return true;
}

/* ---- instantiation ---- */

KTEST(wasm_bulk, passive_segment_not_written_at_instantiation)
{
	struct run r;
	if (!start(t, &r, mod_bulk, sizeof(mod_bulk)))
		return;
	/* the active segment is there, the passive ones nowhere */
	KT_EXPECT(t, !memcmp(r.mem + 100, "AB", 2));
	KT_EXPECT(t, all(r.mem, 0, 100, 0));
	KT_EXPECT(t, all(r.mem, 102, PAGE - 102, 0));
	stop(&r);
}

KTEST(wasm_bulk, passive_segment_not_checked_at_instantiation)
{
	/* memory 0 pages, passive "a": it does not have to fit anywhere */
	static const uint8_t b[] = {
		0, 'a', 's', 'm', 1, 0, 0, 0, 5,   3,
		1, 0,	0,   11,  4, 1, 1, 1, 'a',
	};
	struct run r;
	if (start(t, &r, b, sizeof(b)))
		stop(&r);
}

KTEST(wasm_bulk, active_segment_with_memory_index)
{
	/* data flag 2, memory 0, offset 5, "a": an active segment */
	static const uint8_t b[] = {
		0, 'a', 's', 'm', 1, 0, 0,    0, 5,    3, 1,   0,
		1, 11,	8,   1,	  2, 0, 0x41, 5, 0x0b, 1, 'a',
	};
	struct run r;
	if (!start(t, &r, b, sizeof(b)))
		return;
	KT_EXPECT_EQ(t, r.mem[5], 'a');
	KT_EXPECT(t, all(r.mem, 0, 5, 0));
	stop(&r);
}

/* ---- memory.fill ---- */

KTEST(wasm_bulk, fill)
{
	struct run r;
	if (!start(t, &r, mod_bulk, sizeof(mod_bulk)))
		return;
	OK(t, &r, "fill", 10, 0x1ab, 5); /* the value is taken mod 256 */
	KT_EXPECT(t, all(r.mem, 10, 5, 0xab));
	KT_EXPECT(t, r.mem[9] == 0 && r.mem[15] == 0);
	OK(t, &r, "fill_k", 0, 0, 0); /* constant operands: 300.., 0xc3, 4 */
	KT_EXPECT(t, all(r.mem, 300, 4, 0xc3));
	KT_EXPECT(t, r.mem[299] == 0 && r.mem[304] == 0);
	OK(t, &r, "fill", 0, 7, PAGE); /* the whole memory */
	KT_EXPECT(t, all(r.mem, 0, PAGE, 7));
	stop(&r);
}

KTEST(wasm_bulk, fill_bounds)
{
	struct run r;
	if (!start(t, &r, mod_bulk, sizeof(mod_bulk)))
		return;
	OK(t, &r, "fill", PAGE, 1, 0);	    /* length 0 at the end */
	OOB(t, &r, "fill", PAGE + 1, 1, 0); /* length 0 past it */
	OOB(t, &r, "fill", 0xffffffffu, 1, 0);
	OOB(t, &r, "fill", PAGE - 1, 1, 2);    /* one byte over */
	OOB(t, &r, "fill", 1, 1, 0xffffffffu); /* d + n wraps in 32 bits */
	OOB(t, &r, "fill", 0xffffffffu, 1, 1);
	OOB(t, &r, "fill", 0, 1, PAGE + 1);
	/* a trapping fill wrote nothing, not even the part in bounds */
	KT_EXPECT(t, all(r.mem, 0, 100, 0));
	KT_EXPECT(t, all(r.mem, 102, PAGE - 102, 0));
	stop(&r);
}

/* ---- memory.copy ---- */

static void set_1_to_8(uint8_t *mem)
{
	for (int i = 0; i < 8; i++)
		mem[i] = (uint8_t)(i + 1);
}

KTEST(wasm_bulk, copy_overlap_both_directions)
{
	static const uint8_t up[8] = {1, 2, 1, 2, 3, 4, 5, 6};
	static const uint8_t down[8] = {3, 4, 5, 6, 7, 8, 7, 8};
	struct run r;
	if (!start(t, &r, mod_bulk, sizeof(mod_bulk)))
		return;
	set_1_to_8(r.mem);
	OK(t, &r, "copy", 2, 0, 6); /* destination above the source */
	KT_EXPECT(t, !memcmp(r.mem, up, 8));
	set_1_to_8(r.mem);
	OK(t, &r, "copy", 0, 2, 6); /* destination below */
	KT_EXPECT(t, !memcmp(r.mem, down, 8));
	OK(t, &r, "copy", 1000, 100, 2); /* disjoint */
	KT_EXPECT(t, !memcmp(r.mem + 1000, "AB", 2));
	OK(t, &r, "copy", 0, 0, PAGE); /* onto itself, the whole memory */
	KT_EXPECT(t, !memcmp(r.mem, down, 8));
	stop(&r);
}

KTEST(wasm_bulk, copy_bounds)
{
	struct run r;
	if (!start(t, &r, mod_bulk, sizeof(mod_bulk)))
		return;
	r.mem[PAGE - 1] = 0x55;
	OK(t, &r, "copy", PAGE, 0, 0);
	OK(t, &r, "copy", 0, PAGE, 0);
	OOB(t, &r, "copy", PAGE + 1, 0, 0);
	OOB(t, &r, "copy", 0, PAGE + 1, 0);
	OOB(t, &r, "copy", PAGE - 1, 100, 2); /* destination one over */
	OOB(t, &r, "copy", 0, PAGE - 1, 2);   /* source one over */
	OOB(t, &r, "copy", 1, 0, 0xffffffffu);
	OOB(t, &r, "copy", 0, 1, 0xffffffffu);
	OOB(t, &r, "copy", 0xffffffffu, 0, 1);
	OOB(t, &r, "copy", 0, 0xffffffffu, 1);
	KT_EXPECT_EQ(t, r.mem[PAGE - 1], 0x55);
	KT_EXPECT(t, all(r.mem, 0, 100, 0));
	stop(&r);
}

/* ---- memory.init, data.drop ---- */

KTEST(wasm_bulk, init_and_bounds)
{
	struct run r;
	if (!start(t, &r, mod_bulk, sizeof(mod_bulk)))
		return;
	OK(t, &r, "init", 200, 1, 3); /* "ell" of "hello" */
	KT_EXPECT(t, !memcmp(r.mem + 199, "\0ell\0", 5));
	OK(t, &r, "init", PAGE - 5, 0, 5); /* up to the end */
	KT_EXPECT(t, !memcmp(r.mem + PAGE - 5, "hello", 5));
	OK(t, &r, "init", 0, 5, 0);	    /* length 0 at the segment's end */
	OK(t, &r, "init", PAGE, 0, 0);	    /* and at memory's end */
	OOB(t, &r, "init", 0, 6, 0);	    /* past the segment */
	OOB(t, &r, "init", PAGE + 1, 0, 0); /* past memory */
	OOB(t, &r, "init", 0, 3, 3);	    /* segment one over */
	OOB(t, &r, "init", PAGE - 1, 0, 2); /* memory one over */
	OOB(t, &r, "init", 0, 1, 0xffffffffu);
	OOB(t, &r, "init", 1, 0, 0xffffffffu);
	OOB(t, &r, "init", 0xffffffffu, 0, 1);
	OOB(t, &r, "init", 0, 0xffffffffu, 1);
	KT_EXPECT(t, all(r.mem, 0, 100, 0));
	KT_EXPECT_EQ(t, r.mem[PAGE - 6], 0);
	stop(&r);
}

KTEST(wasm_bulk, init_after_drop)
{
	struct run r, r2;
	if (!start(t, &r, mod_bulk, sizeof(mod_bulk)))
		return;
	OK(t, &r, "drop", 0, 0, 0);
	OK(t, &r, "init", 0, 0, 0); /* a dropped segment is empty */
	OOB(t, &r, "init", 0, 0, 1);
	OK(t, &r, "drop", 0, 0, 0); /* dropping again is allowed */
	KT_EXPECT_EQ(t, r.mem[0], 0);
	/* the dropped state is per instance */
	struct vm_error e;
	r2 = r;
	r2.inst = vm_instantiate(r.m, NULL, NULL, &e);
	KT_ASSERT(t, r2.inst != NULL);
	r2.mem = vm_memory_data(vm_instance_memory(r2.inst));
	OK(t, &r2, "init", 0, 0, 5);
	KT_EXPECT(t, !memcmp(r2.mem, "hello", 5));
	vm_instance_free(r2.inst);
	stop(&r);
}

KTEST(wasm_bulk, active_segment_dropped_after_instantiation)
{
	struct run r;
	if (!start(t, &r, mod_bulk, sizeof(mod_bulk)))
		return;
	OK(t, &r, "init_active", 0, 0, 0);
	OOB(t, &r, "init_active", 0, 0, 1);
	OK(t, &r, "drop_active", 0, 0, 0);
	KT_EXPECT_EQ(t, r.mem[0], 0);
	stop(&r);
}

KTEST(wasm_bulk, dead_code_immediates_skipped)
{
	struct run r;
	struct vm_extern ex;
	struct vm_error e;
	vm_value v;
	if (!start(t, &r, mod_bulk, sizeof(mod_bulk)))
		return;
	KT_ASSERT(t, vm_instance_export(r.inst, "dead", &ex));
	KT_EXPECT_EQ(t, vm_call(r.th, ex.u.func, NULL, 0, &v, 1, &e), VM_OK);
	KT_EXPECT_EQ(t, v.u32, 7);
	stop(&r);
}

/* ---- the data count section and bad modules ---- */

#define HDR    0, 'a', 's', 'm', 1, 0, 0, 0
#define TYPE_V 1, 4, 1, 0x60, 0, 0 /* one type: [] -> [] */
#define FUNC1  3, 2, 1, 0	   /* one function of type 0 */
#define MEM1   5, 3, 1, 0, 1	   /* memory 1 */
#define COUNT1 12, 1, 1		   /* data count 1 */
#define DATA_P 11, 4, 1, 1, 1, 'a' /* one passive segment "a" */
/* memory.init 0 of (0, 0, 0) */
#define CODE_INIT                                                              \
	10, 14, 1, 12, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 8, 0, 0, 0x0b
#define CODE_DROP 10, 7, 1, 5, 0, 0xfc, 9, 0, 0x0b /* data.drop 0 */

KTEST(wasm_bulk, data_count_required)
{
	static const uint8_t init[] = {HDR,  TYPE_V,	FUNC1,
				       MEM1, CODE_INIT, DATA_P};
	static const uint8_t drop[] = {HDR,  TYPE_V,	FUNC1,
				       MEM1, CODE_DROP, DATA_P};
	static const uint8_t init_ok[] = {HDR,	  TYPE_V,    FUNC1, MEM1,
					  COUNT1, CODE_INIT, DATA_P};
	static const uint8_t drop_ok[] = {HDR,	  TYPE_V,    FUNC1, MEM1,
					  COUNT1, CODE_DROP, DATA_P};
	EXPECT_LOAD(t, init, VM_ERR_MALFORMED, "data count section required");
	EXPECT_LOAD(t, drop, VM_ERR_MALFORMED, "data count section required");
	EXPECT_LOAD(t, init_ok, VM_OK, "");
	EXPECT_LOAD(t, drop_ok, VM_OK, "");
}

KTEST(wasm_bulk, data_count_mismatch)
{
	static const uint8_t two[] = {HDR, MEM1, 12, 1, 2, DATA_P};
	static const uint8_t zero[] = {HDR, MEM1, 12, 1, 0, DATA_P};
	static const uint8_t no_data[] = {HDR, MEM1, COUNT1};
	static const uint8_t empty_ok[] = {HDR, MEM1, 12, 1, 0};
	static const uint8_t match_ok[] = {HDR, MEM1, COUNT1, DATA_P};
	const char *why =
		"data count and data section have inconsistent lengths";
	EXPECT_LOAD(t, two, VM_ERR_MALFORMED, why);
	EXPECT_LOAD(t, zero, VM_ERR_MALFORMED, why);
	EXPECT_LOAD(t, no_data, VM_ERR_MALFORMED, why);
	EXPECT_LOAD(t, empty_ok, VM_OK, "");
	EXPECT_LOAD(t, match_ok, VM_OK, "");
}

KTEST(wasm_bulk, data_count_section_order)
{
	/* it belongs between the element and the code sections */
	static const uint8_t after_code[] = {HDR,	TYPE_V, FUNC1, MEM1,
					     CODE_INIT, COUNT1, DATA_P};
	static const uint8_t before_mem[] = {HDR, COUNT1, MEM1, DATA_P};
	static const uint8_t twice[] = {HDR, MEM1, COUNT1, COUNT1, DATA_P};
	const char *why = "unexpected content after last section";
	EXPECT_LOAD(t, after_code, VM_ERR_MALFORMED, why);
	EXPECT_LOAD(t, before_mem, VM_ERR_MALFORMED, why);
	EXPECT_LOAD(t, twice, VM_ERR_MALFORMED, why);
}

KTEST(wasm_bulk, bad_data_segments)
{
	static const uint8_t kind3[] = {HDR, MEM1, 11, 4, 1, 3, 1, 'a'};
	static const uint8_t mem1[] = {HDR, MEM1, 11, 8,    1, 2,
				       1,   0x41, 0,  0x0b, 1, 'a'};
	static const uint8_t passive_nomem_ok[] = {HDR, DATA_P};
	static const uint8_t passive_short[] = {HDR, MEM1, 11, 4, 1, 1, 2, 'a'};
	EXPECT_LOAD(t, kind3, VM_ERR_MALFORMED, "malformed data segment kind");
	EXPECT_LOAD(t, mem1, VM_ERR_INVALID, "unknown memory");
	/* a passive segment needs no memory until memory.init uses it */
	EXPECT_LOAD(t, passive_nomem_ok, VM_OK, "");
	EXPECT_LOAD(t, passive_short, VM_ERR_MALFORMED, "unexpected end");
}

KTEST(wasm_bulk, invalid_instructions)
{
	EXPECT_LOAD(t, mod_fill_nomem, VM_ERR_INVALID, "unknown memory");
	EXPECT_LOAD(t, mod_copy_i64, VM_ERR_INVALID, "type mismatch");
	EXPECT_LOAD(t, mod_init_unknown, VM_ERR_INVALID,
		    "unknown data segment");
	EXPECT_LOAD(t, mod_drop_unknown, VM_ERR_INVALID,
		    "unknown data segment");
}

/* A function body (locals count 0, bytes, end) in a module with a memory. */
#define BODY(n, ...)                                                           \
	HDR, TYPE_V, FUNC1, MEM1, 10, (n) + 4, 1, (n) + 2, 0, __VA_ARGS__, 0x0b

KTEST(wasm_bulk, bad_prefix_fc_rejected)
{
	static const uint8_t table_init[] = {BODY(4, 0xfc, 12, 0, 0)};
	static const uint8_t table_fill[] = {BODY(3, 0xfc, 17, 0)};
	static const uint8_t unknown[] = {BODY(2, 0xfc, 18)};
	static const uint8_t huge[] = {
		BODY(6, 0xfc, 0x80, 0x80, 0x80, 0x80, 0x10)};
	static const uint8_t nonzero[] = {BODY(3, 0xfc, 11, 1)}; /* fill 1 */
	static const uint8_t cut[] = {HDR, TYPE_V, FUNC1, MEM1, 10,
				      4,   1,	   2,	  0,	0xfc};
	/* the table instructions (ref_test.c) name what is not there */
	EXPECT_LOAD(t, table_init, VM_ERR_INVALID, "unknown elem segment");
	EXPECT_LOAD(t, table_fill, VM_ERR_INVALID, "unknown table");
	EXPECT_LOAD(t, unknown, VM_ERR_MALFORMED, "illegal opcode");
	EXPECT_LOAD(t, huge, VM_ERR_MALFORMED, "integer");
	EXPECT_LOAD(t, nonzero, VM_ERR_MALFORMED, "zero flag expected");
	EXPECT_LOAD(t, cut, VM_ERR_MALFORMED, "unexpected end");
}

/* ---- saturating float-to-int ---- */

KTEST(wasm_bulk, saturating_truncation)
{
	static const float nan = __builtin_nanf(""), inf = __builtin_inff();
	static const struct {
		const char *fn;
		bool f64;
		double x;
		uint64_t want;
	} cases[] = {
		{"i32_f32_s", false, 0, 0},
		{"i32_f32_s", false, -1.9, 0xffffffffu},
		{"i32_f32_s", false, 3e9, 0x7fffffff},
		{"i32_f32_s", false, -3e9, 0x80000000u},
		{"i32_f32_u", false, -5, 0},
		{"i32_f32_u", false, -0.9, 0},
		{"i32_f32_u", false, 5e9, 0xffffffffu},
		{"i32_f32_u", false, 4294967040.0, 4294967040u},
		{"i32_f64_s", true, -2147483648.9, 0x80000000u},
		{"i32_f64_s", true, 2147483647.9, 0x7fffffff},
		{"i32_f64_s", true, 1e300, 0x7fffffff},
		{"i32_f64_u", true, 4294967295.9, 0xffffffffu},
		{"i32_f64_u", true, 4294967296.0, 0xffffffffu},
		{"i32_f64_u", true, -1.0, 0}, /* the exact lower bounds */
		{"i32_f32_u", false, -1.0, 0},
		{"i64_f32_s", false, -1e19, 0x8000000000000000ull},
		{"i64_f32_s", false, 1e19, 0x7fffffffffffffffull},
		{"i64_f32_s", false, -7.5, (uint64_t)-7},
		{"i64_f32_u", false, 2e19, 0xffffffffffffffffull},
		{"i64_f32_u", false, -2, 0},
		{"i64_f64_s", true, 9223372036854775807.0,
		 0x7fffffffffffffffull},
		{"i64_f64_s", true, -9223372036854775808.0,
		 0x8000000000000000ull},
		{"i64_f64_u", true, 18446744073709551616.0,
		 0xffffffffffffffffull},
		{"i64_f64_u", true, 1e15, 1000000000000000ull},
	};
	static const char *const names[] = {
		"i32_f32_s", "i32_f32_u", "i32_f64_s", "i32_f64_u",
		"i64_f32_s", "i64_f32_u", "i64_f64_s", "i64_f64_u"};
	struct run r;
	struct vm_extern ex;
	struct vm_error e;
	if (!start(t, &r, mod_sat, sizeof(mod_sat)))
		return;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		vm_value v = {.u64 = 0};
		if (cases[k].f64)
			v.f64 = cases[k].x;
		else
			v.f32 = (float)cases[k].x;
		KT_ASSERT(t, vm_instance_export(r.inst, cases[k].fn, &ex));
		KT_EXPECT_EQ(t, vm_call(r.th, ex.u.func, &v, 1, &v, 1, &e),
			     VM_OK);
		uint64_t got = cases[k].fn[1] == '3' ? v.u32 : v.u64;
		KT_EXPECT_MSG(t, got == cases[k].want, "%s(case %u): %llx",
			      cases[k].fn, (unsigned)k,
			      (unsigned long long)got);
	}
	/* NaN is 0 and infinities clamp, in every form */
	for (size_t k = 0; k < 8; k++) {
		for (int s = 0; s < 3; s++) {
			vm_value v = {.u64 = 0};
			float x = s == 0 ? nan : s == 1 ? inf : -inf;
			if (names[k][5] == '6')
				v.f64 = x;
			else
				v.f32 = x;
			KT_ASSERT(t, vm_instance_export(r.inst, names[k], &ex));
			KT_EXPECT_EQ(t,
				     vm_call(r.th, ex.u.func, &v, 1, &v, 1, &e),
				     VM_OK);
			bool i32 = names[k][1] == '3', u = names[k][8] == 'u';
			uint64_t got = i32 ? v.u32 : v.u64;
			uint64_t max = i32 ? (u ? 0xffffffffu : 0x7fffffffu)
				       : u ? ~0ull
					   : 0x7fffffffffffffffull;
			uint64_t min = u ? 0 : i32 ? 0x80000000u : 1ull << 63;
			uint64_t want = s == 0 ? 0 : s == 1 ? max : min;
			KT_EXPECT_MSG(t, got == want, "%s(%s): %llx", names[k],
				      s == 0   ? "nan"
				      : s == 1 ? "inf"
					       : "-inf",
				      (unsigned long long)got);
		}
	}
	stop(&r);
}
