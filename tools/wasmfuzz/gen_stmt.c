/*
 * tools/wasmfuzz/gen_stmt.c: the statements of the generated bodies:
 * iovecs, poll subscriptions, files, loops, atomics, memory.grow and (in
 * hostile modules) endings and traps anywhere. Each leaves the operand
 * stack empty.
 */
#include "gen_internal.h"

#include <string.h>

/* Any import but proc_exit and thread-spawn; in tame classes not
 * poll_oneoff either (it might sleep: see stmt_poll). */
uint32_t gen_any_import(struct gen *g)
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
		gen_ptr(g);
		store32_at(g, 8 * i);
		i32c(g, at);
		gen_len(g);
		store32_at(g, 8 * i + 4);
	}
	uint32_t f = take(g, 2) ? F_FD_WRITE : F_FD_READ;
	if (take(g, 4) == 0)
		return;
	if (f == F_FD_WRITE && take(g, 4))
		i32c(g, 1 + take(g, 2));
	else
		gen_fd(g, f == F_FD_READ);
	i32c(g, at);
	if (take(g, 2))
		i32c(g, n);
	else
		gen_len(g);
	gen_ptr(g);
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
			gen_small(g);
			store32_at(g, s + 16);
			i32c(g, at);
			if (g->tame)
				i64c(g, 0);
			else
				gen_i64(g);
			op(g, 0x37);
			memarg(g, 3, s + 24);
			i32c(g, at);
			gen_i64(g);
			op(g, 0x37);
			memarg(g, 3, s + 32);
			i32c(g, at);
			i32c(g, take(g, 3) ? take(g, 2) : take(g, 256));
			op(g, 0x3b); /* i32.store16: flags */
			memarg(g, 1, s + 40);
		} else {
			gen_fd(g, tag == 1);
			store32_at(g, s + 16);
		}
	}
	if (g->tame || take(g, 2))
		i32c(g, at);
	else
		gen_ptr(g);
	if (take(g, 2))
		i32c(g, g->region + EVENTS);
	else
		gen_ptr(g);
	if (g->tame || take(g, 2))
		i32c(g, n);
	else
		gen_len(g);
	gen_ptr(g);
	call(g, F_POLL);
	set_r(g);
}

/* path_open of a name from the data segment (or anything), fd to
 * FD_SLOT, then reads, seeks, stats and a close of what it returned. */
static void stmt_files(struct gen *g)
{
	uint32_t p = take(g, NPATHS), off = 0;
	for (uint32_t i = 0; i < p; i++)
		off += (uint32_t)strlen(gen_paths[i]) + 1;
	i32c(g, take(g, 4) ? 3 : gen_pick_fd(g));
	gen_small(g);
	if (take(g, 4)) {
		i32c(g, STR + off);
		i32c(g, (uint32_t)strlen(gen_paths[p]));
	} else {
		gen_ptr(g);
		gen_len(g);
	}
	i32c(g, take(g, 2) ? 0 : gen_pick_small(g));
	gen_i64(g);
	gen_i64(g);
	gen_small(g);
	if (take(g, 4))
		i32c(g, g->region + FD_SLOT);
	else
		gen_ptr(g);
	call(g, F_PATH_OPEN);
	set_r(g);
	static const uint8_t then[] = {F_FD_READ, F_FD_SEEK, F_FILESTAT,
				       F_FD_CLOSE};
	for (uint32_t n = take(g, 4); n > 0; n--) {
		const struct import *im = &gen_imports[then[take(g, N(then))]];
		gen_slot_fd(g, im->args[0] == A_RFD);
		for (int i = 1; i < gen_types[im->type].np; i++)
			gen_arg(g, (enum arg)im->args[i],
				gen_types[im->type].p[i]);
		call(g, (uint32_t)(im - gen_imports));
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
	gen_stmts(g, 1 + (int)take(g, 4));
	g->depth--;
	local_get(g, g->local0 + c);
	i32c(g, 1);
	op(g, 0x6b);			/* i32.sub */
	op_idx(g, 0x22, g->local0 + c); /* local.tee */
	op_idx(g, 0x0d, 0);		/* br_if 0 */
	op(g, 0x0b);
}

void gen_atomic_op(struct gen *g, uint32_t sub, uint32_t align)
{
	op_idx(g, 0xfe, sub);
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
		gen_i64(g);
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
		gen_atomic_op(g, 0x1e + 7 * family + k, widths[k].align);
		atomic_result(g, type);
		return;
	case 5:
		gen_atomic_op(g, 0x10 + k, widths[k].align); /* loads */
		atomic_result(g, type);
		return;
	case 6:
		atomic_value(g, type);
		gen_atomic_op(g, 0x17 + k, widths[k].align); /* stores */
		return;
	default:
		if (take(g, 2)) {
			gen_i64(g); /* expected */
			i64c(g, take(g, 2) ? -1 : gen_pick_i64(g));
			gen_atomic_op(g, 0x02, 3); /* memory.atomic.wait64 */
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
		gen_ptr(g);
	if (kind == 2 && g->tame && !g->shared)
		kind = 1;
	switch (kind) {
	case 0:
		i32c(g, take32(g));
		gen_atomic_op(g, 0x1e, 2); /* i32.atomic.rmw.add */
		break;
	case 1:
		gen_small(g);		   /* count */
		gen_atomic_op(g, 0x00, 2); /* memory.atomic.notify */
		break;
	case 2:
		i32c(g, take(g, 2) ? 0 : take32(g)); /* expected */
		if (g->tame)
			i64c(g, 0);
		else
			i64c(g, take(g, 2) ? -1 : gen_pick_i64(g));
		gen_atomic_op(g, 0x01, 2); /* memory.atomic.wait32 */
		break;
	case 3:
		i32c(g, take32(g));
		gen_atomic_op(g, 0x17, 2); /* i32.atomic.store */
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
	case 0: gen_call_import(g, F_PROC_EXIT); break;
	case 1: op(g, 0x00); break; /* unreachable */
	case 2:			    /* a store anywhere */
		if (!g->has_mem)
			break;
		gen_ptr(g);
		gen_len(g);
		store32_at(g, take(g, 2) ? 0 : take32(g));
		break;
	case 3: /* loop for ever */
		op(g, 0x03);
		op(g, 0x40);
		gen_stmts(g, 1 + (int)take(g, 3));
		op_idx(g, 0x0c, 0); /* br 0 */
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
	default: gen_call_import(g, F_SPAWN); break;
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
			gen_call_import(g, F_SPAWN);
			return;
		}
		break;
	default: break;
	}
	gen_call_import(g, gen_any_import(g));
}

void gen_stmts(struct gen *g, int n)
{
	while (n-- > 0 && more(g))
		stmt(g);
}
