/*
 * tools/wasmfuzz/gen.c: hostile WASI commands from a recipe (see gen.h).
 *
 * Layout of every module: the types below; imports: the WASI functions of
 * `imports[]` (function indices 0..NIMPORTS-1, thread-spawn last), then
 * the memory import if any; two functions, `_start` and
 * `wasi_thread_start`; exports of both and of the memory; a data segment
 * holding path names at STR. Bodies are statements that leave the operand
 * stack empty, so any sequence of them validates.
 *
 * Memory regions the statements build structures in (tame classes keep
 * to the first page; the thread's copies are THREAD_REGIONS higher so
 * that main and threads do not build in the same place):
 *
 *   0x0000 SCRATCH  results (nwritten, fd_out at FD_SLOT, sizes)
 *   0x0100 IOV      iovec arrays
 *   0x0200 STR      path names (data segment)
 *   0x0400 SUBS     poll_oneoff subscriptions (48 bytes each)
 *   0x0600 EVENTS   poll_oneoff events (32 bytes each)
 *   0x1000 BUF      buffers
 */
#include "gen.h"

#include <stdbool.h>
#include <string.h>

#include "wbuf.h"

const char *const gen_class_name[GEN_NCLASSES] = {"hostile", "exit", "trap",
						  "loop", "thrd"};

enum {
	SCRATCH = 0x0,
	FD_SLOT = 0x10,
	WAIT_SLOT = 0x20,
	IOV = 0x100,
	STR = 0x200,
	SUBS = 0x400,
	EVENTS = 0x600,
	BUF = 0x1000,
	THREAD_REGIONS = 0x8000,
};

/* ---- types and imports ------------------------------------------------- */

#define I32 0x7f
#define I64 0x7e

enum {
	T_V_V,	  /* () -> () */
	T_I_V,	  /* (i32) -> () */
	T_II_V,	  /* (i32 i32) -> () */
	T_V_I,	  /* () -> i32 */
	T_I_I,	  /* (i32) -> i32 */
	T_II_I,	  /* (i32 i32) -> i32 */
	T_III_I,  /* (i32 i32 i32) -> i32 */
	T_IIII_I, /* (i32 i32 i32 i32) -> i32 */
	T_ILII_I, /* fd_seek */
	T_ILI_I,  /* clock_time_get */
	T_OPEN,	  /* path_open */
	T_PREAD,  /* fd_pread */
	NTYPES
};

static const struct {
	uint8_t np, nr;
	uint8_t p[9];
} types[NTYPES] = {
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

/* What an argument is, so that it gets the hostile values of its kind. */
enum arg {
	A_PTR,	 /* a pointer into linear memory */
	A_LEN,	 /* a byte count */
	A_CNT,	 /* an element count (iovecs, subscriptions) */
	A_FD,	 /* a descriptor */
	A_RFD,	 /* a descriptor read from: never stdin in tame classes */
	A_I64,	 /* offsets, rights, precision */
	A_SMALL, /* whence, clock ids, flags: small numbers, or not */
	A_CODE,	 /* an exit status */
};

struct import {
	const char *module, *field;
	uint8_t type;
	uint8_t args[9];
};

#define W "wasi_snapshot_preview1"
static const struct import imports[] = {
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

enum {
	F_FD_WRITE = 4,
	F_FD_READ = 5,
	F_FD_CLOSE = 6,
	F_FD_SEEK = 7,
	F_PATH_OPEN = 11,
	F_FILESTAT = 12,
	F_RANDOM = 15,
	F_POLL = 16,
	F_PROC_EXIT = 18,
	NIMPORTS = sizeof(imports) / sizeof(imports[0]),
	F_SPAWN = NIMPORTS - 1,
	F_START = NIMPORTS,
	F_THREAD = NIMPORTS + 1,
};

/* Path names of the data segment, each NUL-terminated. */
static const char *const paths[] = {
	"hello.txt", "./hello.txt", "//hello.txt", "hello.wasm", "big",
	"empty",     "nope",	    "a/b/c",	   "./",	 "..",
	"/",	     "hello.txt/",  "././big",	   "",
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

/* ---- hostile values ---------------------------------------------------- */

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Counts and lengths whose products with 8, 32 and 48 wrap 32 bits. */
static const uint32_t lens[] = {
	0,
	1,
	2,
	3,
	4,
	7,
	8,
	15,
	16,
	24,
	32,
	47,
	48,
	63,
	64,
	0x7fffffff,
	0x80000000,
	0xffffffff,
	0xfffffff8,
	0x10000000,
	0x1fffffff,
	0x20000000,
	0x05555556,
	0x08000001,
	/* the big in-bounds ones last: tame classes stop before them */
	255,
	256,
	4095,
	4096,
	65535,
	65536,
	65537,
};
#define TAME_LENS 24

static const uint32_t high_ptrs[] = {
	0xffffffff, 0xfffffffe, 0xfffffffd, 0xfffffffc, 0xfffffff8,
	0xfffffff0, 0xffffffe0, 0xffffffd0, 0xffffff00, 0xffff0000,
	0x80000000, 0x7fffffff, 0x7ffffffc, 0x80000004, 0x00010000,
};

/* Distances back from the end of memory: structures that straddle it. */
static const uint32_t from_end[] = {0,	1,  2,	3,  4,	7,  8,	16,
				    23, 24, 31, 32, 47, 48, 63, 4096};

static const uint32_t fds[] = {
	0,  1,	2,  3,	4,	5,	    6,		7,	    8,
	31, 32, 33, 64, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff};

static const int64_t i64s[] = {
	0,
	1,
	-1,
	2,
	7,
	4096,
	65536,
	1000,
	1000000,
	0xffffffffll,
	0x100000000ll,
	0x7fffffffffffffffll,
	-0x7fffffffffffffffll - 1,
	0x7ffffffffffffffell,
	-0x7fffffffffffffffll,
	0x4000000000000000ll,
	-4096,
};

static const uint32_t smalls[] = {0,  1,  2,   3,      4,	   5,	      8,
				  15, 16, 255, 0xffff, 0x7fffffff, 0xffffffff};

/* ---- the generator ----------------------------------------------------- */

struct gen {
	const uint8_t *p, *end; /* the recipe left */
	struct wbuf *b;
	enum gen_class cls;
	bool tame;
	bool has_mem, shared;
	uint32_t mem_bytes; /* initial size: addresses below stay valid */
	uint32_t region;    /* 0 in _start, THREAD_REGIONS in the thread */
	uint32_t local0;    /* first local of ours: counters, then R */
	bool thread_fn;	    /* generating wasi_thread_start */
	bool may_spawn;	    /* thread-spawn allowed in this body */
	int depth;	    /* loops around the statement */
	int budget;	    /* statements left in this body */
};

#define MAX_DEPTH 3
#define L_R	  MAX_DEPTH /* the last call's result, after the counters */
#define NLOCALS	  (MAX_DEPTH + 1)

/* The next choice among n, 0 once the recipe is used up. */
static uint32_t take(struct gen *g, uint32_t n)
{
	if (g->p == g->end || n == 0)
		return 0;
	return *g->p++ % n;
}

static uint32_t take32(struct gen *g)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 8 | take(g, 256);
	return v;
}

static bool more(const struct gen *g)
{
	return g->p != g->end && g->budget > 0;
}

static void op(struct gen *g, uint8_t code)
{
	wb_byte(g->b, code);
}

static void i32c(struct gen *g, uint32_t v)
{
	op(g, 0x41);
	wb_s32(g->b, (int32_t)v);
}

static void i64c(struct gen *g, int64_t v)
{
	op(g, 0x42);
	wb_s64(g->b, v);
}

static void local_get(struct gen *g, uint32_t i)
{
	op(g, 0x20);
	wb_u32(g->b, i);
}

static void local_set(struct gen *g, uint32_t i)
{
	op(g, 0x21);
	wb_u32(g->b, i);
}

/* R, the last call's result: a local of ours, after the thread
 * function's parameters and the loop counters. */
static void get_r(struct gen *g)
{
	local_get(g, g->local0 + L_R);
}

static void set_r(struct gen *g)
{
	local_set(g, g->local0 + L_R);
}

static void memarg(struct gen *g, uint32_t align, uint32_t offset)
{
	wb_u32(g->b, align);
	wb_u32(g->b, offset);
}

static void call(struct gen *g, uint32_t f)
{
	op(g, 0x10);
	wb_u32(g->b, f);
}

/* Stores of constants-or-expressions at a fixed address. */
static void store32_at(struct gen *g, uint32_t addr)
{
	op(g, 0x36);
	memarg(g, 2, addr);
}

/* A valid, aligned address the statements may store to: in the first
 * page (tame), anywhere in the initial memory (hostile). */
static uint32_t safe_addr(struct gen *g, uint32_t align)
{
	uint32_t span = g->tame && g->mem_bytes > 65536 ? 65536 : g->mem_bytes;
	if (span < 64)
		return 0;
	return (take32(g) % (span - 16)) & ~(align - 1);
}

static bool have(struct gen *g, uint32_t addr, uint32_t n)
{
	return g->has_mem && (uint64_t)addr + n <= g->mem_bytes;
}

/* The loop counter of the innermost loop (counts down to 1), or none. */
static bool loop_value(struct gen *g)
{
	if (!g->depth)
		return false;
	local_get(g, g->local0 + (uint32_t)g->depth - 1);
	return true;
}

static void emit_ptr(struct gen *g)
{
	switch (take(g, 12)) {
	case 0: i32c(g, safe_addr(g, 8)); return;
	case 1: {
		/* one choice per statement: C leaves the order within an
		 * expression open, and a recipe must make one module */
		uint32_t a = safe_addr(g, 1);
		i32c(g, a + 1 + take(g, 7));
		return;
	}
	case 2: i32c(g, g->mem_bytes - from_end[take(g, N(from_end))]); return;
	case 3:
		if (g->has_mem) { /* near the end of memory as it is now */
			op(g, 0x3f);
			op(g, 0x00);
			i32c(g, 16);
			op(g, 0x74); /* i32.shl */
			i32c(g, from_end[take(g, N(from_end))]);
			op(g, 0x6b); /* i32.sub */
			return;
		}
		break;
	case 4: i32c(g, high_ptrs[take(g, N(high_ptrs))]); return;
	case 5:
		if (!g->tame) {
			i32c(g, take32(g));
			return;
		}
		break;
	case 6:
		if (loop_value(g)) { /* a walk: base + counter * stride */
			i32c(g, 1u << take(g, 8));
			op(g, 0x6c); /* i32.mul */
			i32c(g, g->region + take(g, 4) * 0x100);
			op(g, 0x6a); /* i32.add */
			return;
		}
		break;
	case 7:
		if (!g->tame) {
			get_r(g);
			return;
		}
		break;
	case 8: {
		static const uint32_t regions[] = {SCRATCH, IOV,    STR,
						   SUBS,    EVENTS, BUF};
		uint32_t r = regions[take(g, N(regions))];
		i32c(g, g->region + r + take(g, 4) * 4);
		return;
	}
	case 9:
		if (g->has_mem && !g->tame) { /* whatever memory holds */
			i32c(g, safe_addr(g, 4));
			op(g, 0x28);
			memarg(g, 2, 0);
			return;
		}
		break;
	case 10:
		if (g->thread_fn && !g->tame) {
			local_get(g, 1); /* start_arg */
			return;
		}
		break;
	default: break;
	}
	i32c(g, g->region + SCRATCH + 4 * take(g, 8));
}

static void emit_len(struct gen *g)
{
	switch (take(g, 6)) {
	case 0:
		if (loop_value(g))
			return;
		break;
	case 1:
		if (!g->tame) {
			get_r(g);
			return;
		}
		break;
	case 2:
		if (!g->tame) {
			i32c(g, take32(g));
			return;
		}
		break;
	default: break;
	}
	i32c(g, lens[take(g, g->tame ? TAME_LENS : N(lens))]);
}

/* The descriptor path_open wrote to FD_SLOT (or what else is there). */
static void slot_fd(struct gen *g, bool reads)
{
	if (!have(g, g->region + FD_SLOT, 4)) {
		i32c(g, 4);
		return;
	}
	i32c(g, g->region + FD_SLOT);
	op(g, 0x28);
	memarg(g, 2, 0);
	if (reads && g->tame) { /* after a failed open it may be 0 */
		i32c(g, 4);
		op(g, 0x72); /* i32.or */
	}
}

static void emit_fd(struct gen *g, bool reads)
{
	/* tame classes never read stdin: the kernel would wait for a
	 * key */
	bool no_stdin = reads && g->tame;
	switch (take(g, 5)) {
	case 0: slot_fd(g, reads); return;
	case 1:
		if (!no_stdin) {
			get_r(g);
			return;
		}
		break;
	case 2:
		if (!no_stdin && loop_value(g))
			return;
		break;
	default: break;
	}
	uint32_t fd = fds[take(g, N(fds))];
	i32c(g, no_stdin && fd == 0 ? 4 : fd);
}

static void emit_i64(struct gen *g)
{
	switch (take(g, 5)) {
	case 0:
		if (!g->tame) {
			get_r(g);
			op(g, 0xad); /* i64.extend_i32_u */
			return;
		}
		break;
	case 1: {
		uint64_t hi = take32(g);
		i64c(g, (int64_t)(hi << 32 | take32(g)));
		return;
	}
	default: break;
	}
	i64c(g, i64s[take(g, N(i64s))]);
}

static void emit_small(struct gen *g)
{
	if (take(g, 4) == 0 && loop_value(g))
		return;
	i32c(g, smalls[take(g, N(smalls))]);
}

static void emit_arg(struct gen *g, enum arg kind, uint8_t type)
{
	if (type == I64) {
		emit_i64(g);
		return;
	}
	switch (kind) {
	case A_PTR: emit_ptr(g); break;
	case A_LEN:
	case A_CNT: emit_len(g); break;
	case A_FD: emit_fd(g, false); break;
	case A_RFD: emit_fd(g, true); break;
	case A_SMALL: emit_small(g); break;
	case A_CODE: i32c(g, take(g, 4) ? take(g, 256) : take32(g)); break;
	case A_I64: emit_i64(g); break;
	}
}

/* Call import f with hostile arguments; its result goes to R. */
static void call_import(struct gen *g, uint32_t f)
{
	const struct import *im = &imports[f];
	for (int i = 0; i < types[im->type].np; i++)
		emit_arg(g, (enum arg)im->args[i], types[im->type].p[i]);
	call(g, f);
	if (types[im->type].nr)
		set_r(g);
}

static void stmts(struct gen *g, int n);

/* Any import but proc_exit and thread-spawn; in tame classes not
 * poll_oneoff either (it might sleep: see stmt_poll). */
static uint32_t any_import(struct gen *g)
{
	uint32_t f = take(g, NIMPORTS - 2);
	if (f >= F_PROC_EXIT)
		f++;
	return g->tame && f == F_POLL ? F_RANDOM : f;
}

/* Iovecs (pointer, length) at IOV, maybe handed to fd_write or fd_read. */
static void stmt_iovecs(struct gen *g)
{
	uint32_t at = g->region + IOV, n = 1 + take(g, 4);
	if (!have(g, at, 64))
		return;
	for (uint32_t i = 0; i < n; i++) {
		i32c(g, at);
		emit_ptr(g);
		store32_at(g, 8 * i);
		i32c(g, at);
		emit_len(g);
		store32_at(g, 8 * i + 4);
	}
	uint32_t f = take(g, 2) ? F_FD_WRITE : F_FD_READ;
	if (take(g, 4) == 0)
		return;
	if (f == F_FD_WRITE && take(g, 4))
		i32c(g, 1 + take(g, 2));
	else
		emit_fd(g, f == F_FD_READ);
	i32c(g, at);
	if (take(g, 2))
		i32c(g, n);
	else
		emit_len(g);
	emit_ptr(g);
	call(g, f);
	set_r(g);
}

/* Subscriptions at SUBS, then poll_oneoff on them. Tame ones never wait:
 * clocks already due and no stdin reads (the kernel rounds every sleep up
 * to its tick, and a loop of them would take long). */
static void stmt_poll(struct gen *g)
{
	uint32_t at = g->region + SUBS, n = 1 + take(g, 4);
	if (!have(g, at, 0x300))
		return;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t s = 48 * i, tag = take(g, 8);
		if (tag > 2)
			tag = g->tame ? 3 + take(g, 250) : take(g, 256);
		i32c(g, at);
		i64c(g, (int64_t)take32(g));
		op(g, 0x37); /* i64.store: userdata */
		memarg(g, 3, s);
		i32c(g, at);
		i32c(g, tag);
		op(g, 0x3a); /* i32.store8: tag */
		memarg(g, 0, s + 8);
		i32c(g, at);
		if (tag == 0) { /* clock: id, timeout, precision, flags */
			emit_small(g);
			store32_at(g, s + 16);
			i32c(g, at);
			if (g->tame)
				i64c(g, 0);
			else
				emit_i64(g);
			op(g, 0x37);
			memarg(g, 3, s + 24);
			i32c(g, at);
			emit_i64(g);
			op(g, 0x37);
			memarg(g, 3, s + 32);
			i32c(g, at);
			i32c(g, take(g, 3) ? take(g, 2) : take(g, 256));
			op(g, 0x3b); /* i32.store16: flags */
			memarg(g, 1, s + 40);
		} else {
			emit_fd(g, tag == 1);
			store32_at(g, s + 16);
		}
	}
	if (g->tame || take(g, 2))
		i32c(g, at);
	else
		emit_ptr(g);
	if (take(g, 2))
		i32c(g, g->region + EVENTS);
	else
		emit_ptr(g);
	if (g->tame || take(g, 2))
		i32c(g, n);
	else
		emit_len(g);
	emit_ptr(g);
	call(g, F_POLL);
	set_r(g);
}

/* path_open of a name from the data segment (or anything), fd to
 * FD_SLOT, then reads, seeks, stats and a close of what it returned. */
static void stmt_files(struct gen *g)
{
	uint32_t p = take(g, NPATHS), off = 0;
	for (uint32_t i = 0; i < p; i++)
		off += (uint32_t)strlen(paths[i]) + 1;
	i32c(g, take(g, 4) ? 3 : fds[take(g, N(fds))]);
	emit_small(g);
	if (take(g, 4)) {
		i32c(g, STR + off);
		i32c(g, (uint32_t)strlen(paths[p]));
	} else {
		emit_ptr(g);
		emit_len(g);
	}
	i32c(g, take(g, 2) ? 0 : smalls[take(g, N(smalls))]);
	emit_i64(g);
	emit_i64(g);
	emit_small(g);
	if (take(g, 4))
		i32c(g, g->region + FD_SLOT);
	else
		emit_ptr(g);
	call(g, F_PATH_OPEN);
	set_r(g);
	static const uint8_t then[] = {F_FD_READ, F_FD_SEEK, F_FILESTAT,
				       F_FD_CLOSE};
	for (uint32_t n = take(g, 4); n > 0; n--) {
		const struct import *im = &imports[then[take(g, N(then))]];
		slot_fd(g, im->args[0] == A_RFD);
		for (int i = 1; i < types[im->type].np; i++)
			emit_arg(g, (enum arg)im->args[i],
				 types[im->type].p[i]);
		call(g, (uint32_t)(im - imports));
		set_r(g);
	}
}

/* A counted loop around more statements. */
static void stmt_loop(struct gen *g)
{
	static const uint32_t counts[] = {1,  2,  3,   4,   5,	  7,   8,
					  16, 33, 100, 256, 1000, 5000};
	uint32_t c = (uint32_t)g->depth;
	i32c(g, counts[take(g, g->tame ? 6 : N(counts))]);
	local_set(g, g->local0 + c);
	op(g, 0x03); /* loop */
	op(g, 0x40);
	g->depth++;
	stmts(g, 1 + (int)take(g, 4));
	g->depth--;
	local_get(g, g->local0 + c);
	i32c(g, 1);
	op(g, 0x6b); /* i32.sub */
	op(g, 0x22); /* local.tee */
	wb_u32(g->b, g->local0 + c);
	op(g, 0x0d); /* br_if 0 */
	wb_u32(g->b, 0);
	op(g, 0x0b);
}

static void atomic_op(struct gen *g, uint32_t sub, uint32_t align)
{
	op(g, 0xfe);
	wb_u32(g->b, sub);
	memarg(g, align, 0);
}

/*
 * The threads proposal numbers each load, store and rmw family in one
 * order of widths: i32, i64, i32 8/16-bit, i64 8/16/32-bit. The type of
 * the value and the alignment (log2 of the width) of each.
 */
static const struct {
	uint8_t type, align;
} widths[7] = {{I32, 2}, {I64, 3}, {I32, 0}, {I32, 1},
	       {I64, 0}, {I64, 1}, {I64, 2}};

static void atomic_value(struct gen *g, uint8_t type)
{
	if (type == I64)
		emit_i64(g);
	else
		i32c(g, take32(g));
}

static void atomic_result(struct gen *g, uint8_t type)
{
	if (type == I64)
		op(g, 0xa7); /* i32.wrap_i64 */
	set_r(g);
}

/* Hostile only: every other atomic (the address is pushed). */
static void atomic_any(struct gen *g, uint32_t kind)
{
	uint32_t k = take(g, 7), family = take(g, 7);
	uint8_t type = widths[k].type;
	switch (kind) {
	case 4: /* add, sub, and, or, xor, xchg, cmpxchg */
		atomic_value(g, type);
		if (family == 6)
			atomic_value(g, type);
		atomic_op(g, 0x1e + 7 * family + k, widths[k].align);
		atomic_result(g, type);
		return;
	case 5:
		atomic_op(g, 0x10 + k, widths[k].align); /* loads */
		atomic_result(g, type);
		return;
	case 6:
		atomic_value(g, type);
		atomic_op(g, 0x17 + k, widths[k].align); /* stores */
		return;
	default:
		if (take(g, 2)) {
			emit_i64(g); /* expected */
			i64c(g, take(g, 2) ? -1 : i64s[take(g, N(i64s))]);
			atomic_op(g, 0x02, 3); /* memory.atomic.wait64 */
			set_r(g);
		} else {
			op(g, 0x1a); /* the address is not needed */
			op(g, 0xfe);
			op(g, 0x03); /* atomic.fence */
			op(g, 0x00);
		}
		return;
	}
}

/* Atomics on memory: rmw, notify, wait (tame: aligned, in bounds, never
 * sleeping, waits only on shared memory; hostile: anything, so traps
 * too, and every other atomic instruction). */
static void stmt_atomic(struct gen *g)
{
	uint32_t kind = take(g, g->tame ? 4 : 8);
	if (!g->has_mem)
		return;
	if (g->tame || take(g, 4))
		i32c(g, g->region + safe_addr(g, kind >= 4 ? 8 : 4));
	else
		emit_ptr(g);
	if (kind == 2 && g->tame && !g->shared)
		kind = 1;
	switch (kind) {
	case 0:
		i32c(g, take32(g));
		atomic_op(g, 0x1e, 2); /* i32.atomic.rmw.add */
		break;
	case 1:
		emit_small(g);	       /* count */
		atomic_op(g, 0x00, 2); /* memory.atomic.notify */
		break;
	case 2:
		i32c(g, take(g, 2) ? 0 : take32(g)); /* expected */
		if (g->tame)
			i64c(g, 0);
		else
			i64c(g, take(g, 2) ? -1 : i64s[take(g, N(i64s))]);
		atomic_op(g, 0x01, 2); /* memory.atomic.wait32 */
		break;
	case 3:
		i32c(g, take32(g));
		atomic_op(g, 0x17, 2); /* i32.atomic.store */
		return;
	default: atomic_any(g, kind); return;
	}
	set_r(g);
}

static void stmt_grow(struct gen *g)
{
	static const uint32_t deltas[] = {
		0, 1, 2, 3, 16, 255, 256, 0x10000, 0x7fff, 0xffffffff, 0x8000};
	if (!g->has_mem || (g->tame && g->depth))
		return;
	i32c(g, deltas[take(g, g->tame ? 2 : N(deltas))]);
	op(g, 0x40);
	op(g, 0x00);
	set_r(g);
}

/* Hostile only: endings and traps in the middle of things. */
static void stmt_special(struct gen *g)
{
	switch (take(g, 8)) {
	case 0: call_import(g, F_PROC_EXIT); break;
	case 1: op(g, 0x00); break; /* unreachable */
	case 2:			    /* a store anywhere */
		if (!g->has_mem)
			break;
		emit_ptr(g);
		emit_len(g);
		store32_at(g, take(g, 2) ? 0 : take32(g));
		break;
	case 3: /* loop for ever */
		op(g, 0x03);
		op(g, 0x40);
		stmts(g, 1 + (int)take(g, 3));
		op(g, 0x0c); /* br 0 */
		wb_u32(g->b, 0);
		op(g, 0x0b);
		break;
	case 4: /* recursion until the call stack is exhausted */
		if (g->thread_fn) {
			local_get(g, 0);
			local_get(g, 1);
			call(g, F_THREAD);
		} else {
			call(g, F_START);
		}
		break;
	case 5: /* divide by the last result */
		i32c(g, take32(g));
		get_r(g);
		op(g, 0x6e); /* i32.div_u */
		set_r(g);
		break;
	default: call_import(g, F_SPAWN); break;
	}
}

static void stmt(struct gen *g)
{
	g->budget--;
	switch (take(g, 16)) {
	case 0: stmt_iovecs(g); return;
	case 1:
		if (!g->tame || !g->thread_fn) {
			stmt_poll(g);
			return;
		}
		break;
	case 2: stmt_files(g); return;
	case 3:
		if (g->depth < MAX_DEPTH) {
			stmt_loop(g);
			return;
		}
		break;
	case 4: stmt_grow(g); return;
	case 5: stmt_atomic(g); return;
	case 6:
		if (!g->tame) {
			stmt_special(g);
			return;
		}
		break;
	case 7:
		if (g->may_spawn) {
			call_import(g, F_SPAWN);
			return;
		}
		break;
	default: break;
	}
	call_import(g, any_import(g));
}

static void stmts(struct gen *g, int n)
{
	while (n-- > 0 && more(g))
		stmt(g);
}

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
				atomic_op(g, 0x10, 2); /* i32.atomic.load */
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
	case GEN_HOSTILE: stmts(g, g->budget); break;
	case GEN_EXIT:
		stmts(g, g->budget);
		ending(g, true, false);
		break;
	case GEN_TRAP:
		stmts(g, g->budget);
		ending(g, false, true);
		break;
	case GEN_LOOP:
		op(g, 0x03);
		op(g, 0x40);
		stmts(g, g->budget);
		call_import(g, any_import(g));
		op(g, 0x0c);
		wb_u32(g->b, 0);
		op(g, 0x0b);
		break;
	case GEN_THREADS:
		for (uint32_t n = 1 + take(g, 4); n > 0; n--) {
			i32c(g, take(g, 2) ? take(g, 16) : safe_addr(g, 8));
			call(g, F_SPAWN);
			set_r(g);
		}
		stmts(g, g->budget / 2);
		/* give the threads a few milliseconds, outside any loop */
		for (uint32_t n = take(g, 4); n > 0 && g->shared; n--) {
			i32c(g, WAIT_SLOT);
			i32c(g, 0);
			i64c(g, 1000000);
			atomic_op(g, 0x01, 2); /* memory.atomic.wait32 */
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
		stmts(g, g->budget);
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
		wb_u32(b, types[t].np);
		wb_bytes(b, types[t].p, types[t].np);
		wb_u32(b, types[t].nr);
		if (types[t].nr)
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
		wb_name(&b, imports[i].module);
		wb_name(&b, imports[i].field);
		wb_byte(&b, 0);
		wb_u32(&b, imports[i].type);
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
			n += strlen(paths[i]) + 1;
		wb_u32(&b, (uint32_t)n);
		for (size_t i = 0; i < NPATHS; i++)
			wb_bytes(&b, paths[i], strlen(paths[i]) + 1);
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
