/*
 * tools/wasmfuzz/gen_args.c: hostile arguments of each kind (enum arg):
 * pointers, lengths, descriptors, 64-bit values and small numbers.
 */
#include "gen_internal.h"

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

/* One of the tables' values, for statements that pick one directly. */
uint32_t gen_pick_fd(struct gen *g)
{
	return fds[take(g, N(fds))];
}

uint32_t gen_pick_small(struct gen *g)
{
	return smalls[take(g, N(smalls))];
}

int64_t gen_pick_i64(struct gen *g)
{
	return i64s[take(g, N(i64s))];
}

void gen_ptr(struct gen *g)
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

void gen_len(struct gen *g)
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
void gen_slot_fd(struct gen *g, bool reads)
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

void gen_fd(struct gen *g, bool reads)
{
	/* tame classes never read stdin: the kernel would wait for a
	 * key */
	bool no_stdin = reads && g->tame;
	switch (take(g, 5)) {
	case 0: gen_slot_fd(g, reads); return;
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

void gen_i64(struct gen *g)
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

void gen_small(struct gen *g)
{
	if (take(g, 4) == 0 && loop_value(g))
		return;
	i32c(g, smalls[take(g, N(smalls))]);
}

void gen_arg(struct gen *g, enum arg kind, uint8_t type)
{
	if (type == I64) {
		gen_i64(g);
		return;
	}
	switch (kind) {
	case A_PTR: gen_ptr(g); break;
	case A_LEN:
	case A_CNT: gen_len(g); break;
	case A_FD: gen_fd(g, false); break;
	case A_RFD: gen_fd(g, true); break;
	case A_SMALL: gen_small(g); break;
	case A_CODE: i32c(g, take(g, 4) ? take(g, 256) : take32(g)); break;
	case A_I64: gen_i64(g); break;
	}
}

/* Call import f with hostile arguments; its result goes to R. */
void gen_call_import(struct gen *g, uint32_t f)
{
	const struct import *im = &gen_imports[f];
	for (int i = 0; i < gen_types[im->type].np; i++)
		gen_arg(g, (enum arg)im->args[i], gen_types[im->type].p[i]);
	call(g, f);
	if (gen_types[im->type].nr)
		set_r(g);
}
