/*
 * tools/wasmfuzz/gen_internal.h: what the parts of the module generator
 * share: the module's layout (gen.c), the hostile arguments (gen_args.c)
 * and the statements (gen_stmt.c). See gen.c for the layout.
 */
#ifndef TOOLS_WASMFUZZ_GEN_INTERNAL_H
#define TOOLS_WASMFUZZ_GEN_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "gen.h"
#include "wbuf.h"

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

struct gen_functype {
	uint8_t np, nr;
	uint8_t p[9];
};
extern const struct gen_functype gen_types[NTYPES];

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
	NIMPORTS = 25,
	F_SPAWN = NIMPORTS - 1,
	F_START = NIMPORTS,
	F_THREAD = NIMPORTS + 1,
};
extern const struct import gen_imports[]; /* NIMPORTS of them */

/* Path names of the data segment, each NUL-terminated. */
#define NPATHS 14
extern const char *const gen_paths[];

#define N(a) (sizeof(a) / sizeof((a)[0]))

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
static inline uint32_t take(struct gen *g, uint32_t n)
{
	if (g->p == g->end || n == 0)
		return 0;
	return *g->p++ % n;
}

static inline uint32_t take32(struct gen *g)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 8 | take(g, 256);
	return v;
}

static inline bool more(const struct gen *g)
{
	return g->p != g->end && g->budget > 0;
}

static inline void op(struct gen *g, uint8_t code)
{
	wb_byte(g->b, code);
}

static inline void i32c(struct gen *g, uint32_t v)
{
	op(g, 0x41);
	wb_s32(g->b, (int32_t)v);
}

static inline void i64c(struct gen *g, int64_t v)
{
	op(g, 0x42);
	wb_s64(g->b, v);
}

/* An instruction with one index (local, function, label depth). */
static inline void op_idx(struct gen *g, uint8_t code, uint32_t idx)
{
	op(g, code);
	wb_u32(g->b, idx);
}

static inline void local_get(struct gen *g, uint32_t i)
{
	op_idx(g, 0x20, i);
}

static inline void local_set(struct gen *g, uint32_t i)
{
	op_idx(g, 0x21, i);
}

/* R, the last call's result: a local of ours, after the thread
 * function's parameters and the loop counters. */
static inline void get_r(struct gen *g)
{
	local_get(g, g->local0 + L_R);
}

static inline void set_r(struct gen *g)
{
	local_set(g, g->local0 + L_R);
}

static inline void memarg(struct gen *g, uint32_t align, uint32_t offset)
{
	wb_u32(g->b, align);
	wb_u32(g->b, offset);
}

static inline void call(struct gen *g, uint32_t f)
{
	op_idx(g, 0x10, f);
}

/* Stores of constants-or-expressions at a fixed address. */
static inline void store32_at(struct gen *g, uint32_t addr)
{
	op(g, 0x36);
	memarg(g, 2, addr);
}

/* A valid, aligned address the statements may store to: in the first
 * page (tame), anywhere in the initial memory (hostile). */
static inline uint32_t safe_addr(struct gen *g, uint32_t align)
{
	uint32_t span = g->tame && g->mem_bytes > 65536 ? 65536 : g->mem_bytes;
	if (span < 64)
		return 0;
	return (take32(g) % (span - 16)) & ~(align - 1);
}

static inline bool have(struct gen *g, uint32_t addr, uint32_t n)
{
	return g->has_mem && (uint64_t)addr + n <= g->mem_bytes;
}

/* The loop counter of the innermost loop (counts down to 1), or none. */
static inline bool loop_value(struct gen *g)
{
	if (!g->depth)
		return false;
	local_get(g, g->local0 + (uint32_t)g->depth - 1);
	return true;
}

/* gen_args.c */
void gen_ptr(struct gen *g);
void gen_len(struct gen *g);
void gen_slot_fd(struct gen *g, bool reads);
void gen_fd(struct gen *g, bool reads);
void gen_i64(struct gen *g);
void gen_small(struct gen *g);
void gen_arg(struct gen *g, enum arg kind, uint8_t type);
void gen_call_import(struct gen *g, uint32_t f);
uint32_t gen_pick_fd(struct gen *g);
uint32_t gen_pick_small(struct gen *g);
int64_t gen_pick_i64(struct gen *g);

/* gen_stmt.c */
void gen_stmts(struct gen *g, int n);
uint32_t gen_any_import(struct gen *g);
void gen_atomic_op(struct gen *g, uint32_t sub, uint32_t align);

#endif
