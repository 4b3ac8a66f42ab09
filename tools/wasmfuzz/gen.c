/*
 * tools/wasmfuzz/gen.c: hostile WASI commands from a recipe (see gen.h):
 * the module's layout, bodies and sections. The arguments are gen_args.c's,
 * the statements gen_stmt.c's; gen_internal.h has what they share.
 *
 * Layout of every module: the types below; imports: the WASI functions of
 * `gen_imports[]` (function indices 0..NIMPORTS-1, thread-spawn last), then
 * the memory import if any; two functions, `_start` and
 * `wasi_thread_start`; exports of both and of the memory; a data segment
 * holding path names at STR. Bodies are statements that leave the operand
 * stack empty, so any sequence of them validates.
 *
 * Memory regions (gen_internal.h) the statements build structures in
 * (tame classes keep to the first page; the thread's copies are
 * THREAD_REGIONS higher so that main and threads do not build in the same
 * place):
 *
 *   0x0000 SCRATCH  results (nwritten, fd_out at FD_SLOT, sizes)
 *   0x0100 IOV      iovec arrays
 *   0x0200 STR      path names (data segment)
 *   0x0400 SUBS     poll_oneoff subscriptions (48 bytes each)
 *   0x0600 EVENTS   poll_oneoff events (32 bytes each)
 *   0x1000 BUF      buffers
 */
#include <string.h>

#include "gen_internal.h"

const char *const gen_class_name[GEN_NCLASSES] = {"hostile", "exit", "trap",
						  "loop", "thrd"};

/* ---- types and imports ------------------------------------------------- */

const struct gen_functype gen_types[NTYPES] = {
	[T_V_V] = {0, 0, {0}},
	[T_I_V] = {1, 0, {I32}},
	[T_II_V] = {2, 0, {I32, I32}},
	[T_V_I] = {0, 1, {0}},
	[T_I_I] = {1, 1, {I32}},
	[T_II_I] = {2, 1, {I32, I32}},
	[T_III_I] = {3, 1, {I32, I32, I32}},
	[T_IIII_I] = {4, 1, {I32, I32, I32, I32}},
	[T_ILII_I] = {4, 1, {I32, I64, I32, I32}},
	[T_ILI_I] = {3, 1, {I32, I64, I32}},
	[T_OPEN] = {9, 1, {I32, I32, I32, I32, I32, I64, I64, I32, I32}},
	[T_PREAD] = {5, 1, {I32, I32, I32, I64, I32}},
};

#define W "wasi_snapshot_preview1"
const struct import gen_imports[] = {
	{W, "args_get", T_II_I, {A_PTR, A_PTR}},
	{W, "args_sizes_get", T_II_I, {A_PTR, A_PTR}},
	{W, "environ_get", T_II_I, {A_PTR, A_PTR}},
	{W, "environ_sizes_get", T_II_I, {A_PTR, A_PTR}},
	{W, "fd_write", T_IIII_I, {A_FD, A_PTR, A_CNT, A_PTR}},
	{W, "fd_read", T_IIII_I, {A_RFD, A_PTR, A_CNT, A_PTR}},
	{W, "fd_close", T_I_I, {A_FD}},
	{W, "fd_seek", T_ILII_I, {A_FD, A_I64, A_SMALL, A_PTR}},
	{W, "fd_fdstat_get", T_II_I, {A_FD, A_PTR}},
	{W, "fd_prestat_get", T_II_I, {A_FD, A_PTR}},
	{W, "fd_prestat_dir_name", T_III_I, {A_FD, A_PTR, A_LEN}},
	{W,
	 "path_open",
	 T_OPEN,
	 {A_FD, A_SMALL, A_PTR, A_LEN, A_SMALL, A_I64, A_I64, A_SMALL, A_PTR}},
	{W, "fd_filestat_get", T_II_I, {A_FD, A_PTR}},
	{W, "clock_time_get", T_ILI_I, {A_SMALL, A_I64, A_PTR}},
	{W, "clock_res_get", T_II_I, {A_SMALL, A_PTR}},
	{W, "random_get", T_II_I, {A_PTR, A_LEN}},
	{W, "poll_oneoff", T_IIII_I, {A_PTR, A_PTR, A_CNT, A_PTR}},
	{W, "sched_yield", T_V_I, {0}},
	{W, "proc_exit", T_I_V, {A_CODE}},
	/* not implemented: linked to the ENOSYS stub */
	{W, "fd_pread", T_PREAD, {A_RFD, A_PTR, A_CNT, A_I64, A_PTR}},
	{W, "fd_renumber", T_II_I, {A_FD, A_FD}},
	{W, "path_unlink_file", T_III_I, {A_FD, A_PTR, A_LEN}},
	{W, "sock_accept", T_III_I, {A_FD, A_SMALL, A_PTR}},
	{W, "proc_raise", T_I_I, {A_SMALL}},
	{"wasi", "thread-spawn", T_I_I, {A_PTR}},
};
#undef W
_Static_assert(N(gen_imports) == NIMPORTS, "gen_internal.h's NIMPORTS");

/* Path names of the data segment, each NUL-terminated. */
const char *const gen_paths[] = {
	"hello.txt", "./hello.txt", "//hello.txt", "hello.wasm", "big",
	"empty",     "nope",	    "a/b/c",	   "./",	 "..",
	"/",	     "hello.txt/",  "././big",	   "",
};
_Static_assert(N(gen_paths) == NPATHS, "gen_internal.h's NPATHS");

/* How a tame body ends. */
static void ending(struct gen *g, bool may_exit, bool may_trap)
{
	uint32_t e = take(g, 4);
	if (may_trap && (!may_exit || e == 0)) {
		switch (take(g, 4)) {
		case 0: op(g, 0x00); return; /* unreachable */
		case 1:
			if (g->has_mem) { /* out of bounds */
				i32c(g, 0xfffffffc);
				op(g, 0x28);
				memarg(g, 2, take(g, 2) ? 0 : 0xffffffff);
				op(g, 0x1a);
				return;
			}
			break;
		case 2:
			if (g->has_mem) { /* unaligned atomic */
				i32c(g, 1 + 2 * take(g, 100));
				gen_atomic_op(g, 0x10, 2); /* i32.atomic.load */
				op(g, 0x1a);
				return;
			}
			break;
		default: break;
		}
		i32c(g, 1); /* divide by zero */
		i32c(g, 0);
		op(g, 0x6e);
		op(g, 0x1a);
		return;
	}
	if (may_exit && e == 1) {
		i32c(g, take(g, 256));
		call(g, F_PROC_EXIT);
	}
}

static void body_begin(struct gen *g, size_t *at)
{
	*at = wb_open(g->b);
	wb_u32(g->b, 1); /* one run of locals */
	wb_u32(g->b, NLOCALS);
	op(g, I32);
	g->depth = 0;
}

static void body_end(struct gen *g, size_t at)
{
	op(g, 0x0b);
	wb_close(g->b, at);
}

static void main_body(struct gen *g)
{
	size_t at;
	g->local0 = 0;
	g->region = 0;
	g->thread_fn = false;
	g->may_spawn = g->cls == GEN_HOSTILE;
	g->budget = g->tame ? 24 : 48;
	body_begin(g, &at);
	switch (g->cls) {
	case GEN_HOSTILE: gen_stmts(g, g->budget); break;
	case GEN_EXIT:
		gen_stmts(g, g->budget);
		ending(g, true, false);
		break;
	case GEN_TRAP:
		gen_stmts(g, g->budget);
		ending(g, false, true);
		break;
	case GEN_LOOP:
		op(g, 0x03);
		op(g, 0x40);
		gen_stmts(g, g->budget);
		gen_call_import(g, gen_any_import(g));
		op_idx(g, 0x0c, 0); /* br 0 */
		op(g, 0x0b);
		break;
	case GEN_THREADS:
		for (uint32_t n = 1 + take(g, 4); n > 0; n--) {
			i32c(g, take(g, 2) ? take(g, 16) : safe_addr(g, 8));
			call(g, F_SPAWN);
			set_r(g);
		}
		gen_stmts(g, g->budget / 2);
		/* give the threads a few milliseconds, outside any loop */
		for (uint32_t n = take(g, 4); n > 0 && g->shared; n--) {
			i32c(g, WAIT_SLOT);
			i32c(g, 0);
			i64c(g, 1000000);
			gen_atomic_op(g, 0x01, 2); /* memory.atomic.wait32 */
			op(g, 0x1a);
		}
		ending(g, true, false);
		break;
	case GEN_NCLASSES: break;
	}
	body_end(g, at);
}

static void thread_body(struct gen *g)
{
	size_t at;
	g->local0 = 2;
	g->region = g->mem_bytes > 2 * THREAD_REGIONS ? THREAD_REGIONS : 0;
	g->thread_fn = true;
	g->may_spawn = g->cls == GEN_HOSTILE;
	g->budget = g->tame ? 12 : 48;
	body_begin(g, &at);
	if (g->cls == GEN_HOSTILE || g->cls == GEN_THREADS)
		gen_stmts(g, g->budget);
	if (g->cls == GEN_THREADS) {
		bool may_exit = take(g, 2);
		ending(g, may_exit, take(g, 3) == 0);
	}
	body_end(g, at);
}

/* ---- sections ---------------------------------------------------------- */

enum mem_kind { MEM_ENV, MEM_SHM, MEM_OWN, MEM_OWN_SHARED, MEM_NONE };

static void limits(struct wbuf *b, uint32_t min, uint32_t max, bool has_max,
		   bool shared)
{
	wb_byte(b, shared ? 3 : has_max ? 1 : 0);
	wb_u32(b, min);
	if (has_max || shared)
		wb_u32(b, max);
}

static void type_section(struct wbuf *b)
{
	size_t at;
	wb_byte(b, 1);
	at = wb_open(b);
	wb_u32(b, NTYPES);
	for (int t = 0; t < NTYPES; t++) {
		wb_byte(b, 0x60);
		wb_u32(b, gen_types[t].np);
		wb_bytes(b, gen_types[t].p, gen_types[t].np);
		wb_u32(b, gen_types[t].nr);
		if (gen_types[t].nr)
			wb_byte(b, I32);
	}
	wb_close(b, at);
}

size_t gen_module(const uint8_t *recipe, size_t len, enum gen_class cls,
		  uint8_t *out, size_t cap)
{
	static const uint8_t head[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
	struct wbuf b;
	struct gen g = {0};
	size_t at;

	wb_init(&b, out, cap);
	g.p = recipe;
	g.end = recipe + len;
	g.b = &b;
	g.cls = cls;
	g.tame = cls != GEN_HOSTILE;

	/* the memory: mostly what threads need, a shared env.memory */
	static const uint8_t kinds[16] = {
		MEM_ENV, MEM_ENV, MEM_ENV,	  MEM_ENV, MEM_ENV, MEM_ENV,
		MEM_ENV, MEM_ENV, MEM_ENV,	  MEM_SHM, MEM_SHM, MEM_OWN,
		MEM_OWN, MEM_OWN, MEM_OWN_SHARED, MEM_NONE};
	enum mem_kind mk = kinds[take(&g, 16)];
	if (cls == GEN_THREADS || (g.tame && mk == MEM_NONE))
		mk = MEM_ENV;
	uint32_t min = g.tame ? 1 + take(&g, 2) : take(&g, 5);
	uint32_t max = min + (g.tame	    ? take(&g, 4)
			      : take(&g, 3) ? take(&g, 8)
					    : 65536 - min);
	bool has_max = mk != MEM_OWN || take(&g, 2);
	g.has_mem = mk != MEM_NONE;
	g.shared = mk == MEM_ENV || mk == MEM_SHM || mk == MEM_OWN_SHARED;
	g.mem_bytes = g.has_mem ? min * 65536 : 0;

	wb_bytes(&b, head, sizeof(head));
	type_section(&b);

	wb_byte(&b, 2);
	at = wb_open(&b);
	wb_u32(&b, NIMPORTS + (mk == MEM_ENV || mk == MEM_SHM));
	for (uint32_t i = 0; i < NIMPORTS; i++) {
		wb_name(&b, gen_imports[i].module);
		wb_name(&b, gen_imports[i].field);
		wb_byte(&b, 0);
		wb_u32(&b, gen_imports[i].type);
	}
	if (mk == MEM_ENV || mk == MEM_SHM) {
		wb_name(&b, mk == MEM_ENV ? "env" : "shm");
		wb_name(&b, mk == MEM_ENV ? "memory" : "fuzz");
		wb_byte(&b, 2);
		limits(&b, min, max, true, true);
	}
	wb_close(&b, at);

	wb_byte(&b, 3); /* functions: _start, wasi_thread_start */
	at = wb_open(&b);
	wb_u32(&b, 2);
	wb_u32(&b, T_V_V);
	wb_u32(&b, T_II_V);
	wb_close(&b, at);

	if (mk == MEM_OWN || mk == MEM_OWN_SHARED) {
		wb_byte(&b, 5);
		at = wb_open(&b);
		wb_u32(&b, 1);
		limits(&b, min, max, has_max, mk == MEM_OWN_SHARED);
		wb_close(&b, at);
	}

	wb_byte(&b, 7);
	at = wb_open(&b);
	wb_u32(&b, g.has_mem ? 3 : 2);
	wb_name(&b, "_start");
	wb_byte(&b, 0);
	wb_u32(&b, F_START);
	wb_name(&b, "wasi_thread_start");
	wb_byte(&b, 0);
	wb_u32(&b, F_THREAD);
	if (g.has_mem) {
		wb_name(&b, "memory");
		wb_byte(&b, 2);
		wb_u32(&b, 0);
	}
	wb_close(&b, at);

	wb_byte(&b, 10);
	at = wb_open(&b);
	wb_u32(&b, 2);
	main_body(&g);
	thread_body(&g);
	wb_close(&b, at);

	if (g.mem_bytes) { /* the path names at STR */
		wb_byte(&b, 11);
		at = wb_open(&b);
		wb_u32(&b, 1);
		wb_byte(&b, 0);
		wb_byte(&b, 0x41);
		wb_s32(&b, STR);
		wb_byte(&b, 0x0b);
		size_t n = 0;
		for (size_t i = 0; i < NPATHS; i++)
			n += strlen(gen_paths[i]) + 1;
		wb_u32(&b, (uint32_t)n);
		for (size_t i = 0; i < NPATHS; i++)
			wb_bytes(&b, gen_paths[i], strlen(gen_paths[i]) + 1);
		wb_close(&b, at);
	}
	return b.full ? 0 : b.len;
}

size_t gen_from_input(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	unsigned c = len ? in[0] % 8 : 0;
	enum gen_class cls = c < 4 ? GEN_HOSTILE : (enum gen_class)(c - 3);
	return gen_module(len ? in + 1 : in, len ? len - 1 : 0, cls, out, cap);
}
