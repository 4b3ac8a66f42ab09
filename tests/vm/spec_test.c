/*
 * tests/vm/spec_test.c: the `wasm_spec` suite, a representative part of the
 * official spec tests run by the same runner core as the host tool
 * wasmspec (tests/vm/spec_runner.c), here and in the kernel. The files
 * (SPEC_WAST in tests/rules.mk, chosen in docs/vm.md) are compiled into C
 * by scripts/gen-spec-tests: one case per file, which logs the file's
 * passed/failed counts and fails on any failed assertion.
 *
 * Memory comes from a private sbrk heap on the mm test machine
 * (mm_testenv), so everything a file allocated is given back with it.
 */
#include <ktest.h>
#include <ktest_code.h>
#include <mm/malloc.h>
#include <mm/pmm.h>
#include <mm/sbrk.h>
#include <mm_testenv.h>
#include <string.h>

#include "spec_runner.h"

/* Fewer slots and frames than a program gets: enough for every file
 * here, and assert_exhaustion is reached sooner. */
#define SPEC_STACK_SLOTS (64u * 1024)
#define SPEC_MAX_DEPTH	 2000

/*
 * The features each file's modules load with (gen-spec-tests writes them):
 * the 1.0 core suite's files (converted in MVP mode) expect a 1.0 VM,
 * e.g. "invalid result arity" for two results; the 2.0 suite's (cases
 * core2_FILE) the 2.0 features, without threads (its memory limits flag 2
 * is malformed), as on the host.
 */

/*
 * call.wast grows a memory by 0x132 pages (19.1 MiB) and expects it to
 * work; a machine with less free RAM (x86 with 32 MiB) returns -1, as the
 * spec allows, so that file is skipped there rather than failed.
 */
#define CALL_WAST_NEEDS (24u << 20)

static struct mm_testenv env;
static struct sbrk_heap heap;
static struct heap_malloc hm;

static void *h_alloc(void *ctx, size_t n)
{
	return heap_malloc(ctx, n);
}

static void *h_realloc(void *ctx, void *p, size_t n)
{
	return heap_realloc(ctx, p, n);
}

static void h_free(void *ctx, void *p)
{
	if (p)
		heap_free(ctx, p);
}

static void *h_mem_alloc(void *ctx, size_t n)
{
	void *p = heap_malloc(ctx, n ? n : 1);
	if (p)
		memset(p, 0, n);
	return p;
}

static void *h_mem_grow(void *ctx, void *p, size_t old, size_t n)
{
	unsigned char *q = heap_realloc(ctx, p, n);
	if (q)
		memset(q + old, 0, n - old);
	return q;
}

static void h_mem_free(void *ctx, void *p, size_t n)
{
	(void)n;
	h_free(ctx, p);
}

/* code_alloc/code_free: ktest_code_hooks(), at each file (the kernel
 * compiles functions into the code region unless `interp` is given). */
static struct vm_host_ops spec_ops = {
	&hm,	    h_alloc,	h_realloc, h_free, h_mem_alloc,
	h_mem_grow, h_mem_free, NULL,	   NULL,
};

struct report_ctx {
	struct ktest *t;
	const char *file;
	int left; /* failures still to show */
};

/* The first few failures of a file, as KTAP diagnostics. */
static void report(void *ctx, int line, bool failed, const char *msg)
{
	struct report_ctx *rc = ctx;
	if (failed && rc->left-- > 0)
		ktest_log(rc->t, "%s.wast:%d: FAIL: %s", rc->file, line, msg);
}

/*
 * Run ncmds commands on a fresh heap, showing the first failures if
 * `show`; their counts, or failed = -1 when the test machine could not
 * be set up, -2 when it has less than `need` bytes of free RAM.
 */
static struct spec_counts run_cmds(struct ktest *t, const char *file,
				   const struct spec_cmd *cmds, unsigned ncmds,
				   bool show, size_t need, uint32_t features)
{
	struct spec_counts n = {0, -1, 0};
	struct report_ctx rc = {t, file, show ? 10 : 0};
	if (!mm_testenv_enter(&env))
		return n;
	if (pmm_free_pages() < need / 4096) {
		mm_testenv_exit();
		n.failed = -2;
		return n;
	}
	sbrk_heap_init(&heap, env.va_start, env.va_start + env.va_size, NULL);
	ktest_code_hooks(&spec_ops);
	if (heap_malloc_init(&hm, &heap) == 0) {
		struct vm_thread *th = vm_thread_new(
			&spec_ops, SPEC_STACK_SLOTS, SPEC_MAX_DEPTH);
		ktest_code_thread(th);
		struct spec_runner *r =
			th ? spec_runner_new(&spec_ops, th, report, &rc, false)
			   : NULL;
		if (r)
			spec_runner_set_features(r, features);
		if (r && spec_begin_file(r)) {
			for (unsigned i = 0; i < ncmds; i++)
				spec_command(r, &cmds[i]);
			n = spec_end_file(r);
		}
		spec_runner_free(r);
		if (th)
			vm_thread_free(th);
		ktest_code_release();
	}
	int err;
	sbrk_heap_move(&heap, -(intptr_t)(heap.brk - heap.start), &err);
	mm_testenv_exit();
	return n;
}

static void spec_file_case(struct ktest *t, const char *file,
			   const struct spec_cmd *cmds, unsigned ncmds,
			   uint32_t features)
{
	/* "call" or "core-2.0/call" */
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	size_t need = strcmp(base, "call") ? 0 : CALL_WAST_NEEDS;
	struct vm_jit_stats js0, js1;
	vm_jit_stats(&js0);
	struct spec_counts n =
		run_cmds(t, file, cmds, ncmds, true, need, features);
	vm_jit_stats(&js1);
	if (n.failed == -2)
		KT_SKIP(t,
			"needs 24 MiB of free RAM (a memory.grow of 19 MiB)");
	if (n.failed < 0)
		KT_SKIP(t, "no mm test machine on this architecture");
	ktest_log(t, "%s.wast: %d passed, %d failed, %d skipped (text format)",
		  file, n.passed, n.failed, n.skipped);
	if (js1.compiled != js0.compiled || js1.fallback != js0.fallback)
		ktest_log(t, "%s.wast: functions compiled %lu, interpreted %lu",
			  file, (unsigned long)(js1.compiled - js0.compiled),
			  (unsigned long)(js1.fallback - js0.fallback));
	KT_EXPECT_MSG(t, n.failed == 0 && n.passed > 0,
		      "%s.wast: %d assertions failed", file, n.failed);
}

#include <generated/wasm_spec2_cases.h>
#include <generated/wasm_spec_cases.h>

#ifdef SPEC_NO_WAST2JSON
KTEST(wasm_spec, converted)
{
	KT_SKIP(t, "wast2json (wabt) was missing at build time");
}
#endif

/* ---- the check itself can fail ---- */

/* (module (func (export "one") (result i32) i32.const 1)) */
static const uint8_t mod_one[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60,
	0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 0x6f,
	0x6e, 0x65, 0x00, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x0b,
};
static const struct spec_value want_one = {.type = VM_I32, .bits = 1};
static const struct spec_value want_two = {.type = VM_I32, .bits = 2};
static const struct spec_value want_nan = {.type = VM_F32,
					   .nan = SPEC_NAN_CANONICAL};

KTEST(wasm_spec, wrong_expectations_are_caught)
{
	const struct spec_cmd cmds[] = {
		{SPEC_MODULE, .line = 1, .wasm = mod_one,
		 .wasm_len = sizeof(mod_one)},
		{SPEC_RETURN, .line = 2, .nexpected = 1, .field = "one",
		 .field_len = 3, .args = &want_one},
		/* each of these must count as a failure */
		{SPEC_RETURN, .line = 3, .nexpected = 1, .field = "one",
		 .field_len = 3, .args = &want_two},
		{SPEC_RETURN, .line = 4, .nexpected = 1, .field = "one",
		 .field_len = 3, .args = &want_nan},
		{SPEC_TRAP, .line = 5, .field = "one", .field_len = 3,
		 .text = "unreachable"},
		{SPEC_INVALID, .line = 6, .wasm = mod_one,
		 .wasm_len = sizeof(mod_one)},
		{SPEC_RETURN, .line = 7, .field = "two", .field_len = 3},
		{SPEC_SKIP, .line = 8},
	};
	struct spec_counts n =
		run_cmds(t, "(built-in)", cmds, sizeof(cmds) / sizeof(cmds[0]),
			 false, 0, VM_FEATURES_1_0);
	if (n.failed < 0)
		KT_SKIP(t, "no mm test machine on this architecture");
	KT_EXPECT_EQ(t, n.passed, 1);
	KT_EXPECT_EQ(t, n.failed, 5);
	KT_EXPECT_EQ(t, n.skipped, 1);
}
