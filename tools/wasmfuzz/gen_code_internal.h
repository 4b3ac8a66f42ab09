/*
 * tools/wasmfuzz/gen_code_internal.h: what gen_code.c (the module, the
 * statements) and gen_expr.c (the expressions) share. The recipe reading
 * and byte writing helpers are gen_internal.h's, on the `struct gen`
 * inside `struct cg`.
 *
 * The module's fixed layout (gen_code.c writes it):
 *   types    T_* below; with SIMD or reference types off, the types that
 *            would mention v128 or references have i32 and i64 instead
 *   funcs    NFUNCS defined functions, 0 of type T_V_V exported as "run",
 *            1 of type T_I_I as "f1", the others of types from the recipe
 *   tables   0: funcref 8..32 (all functions at 0); with reference types
 *            also 1: externref 4.., 2: funcref 2..8
 *   memory   1 page, max 4; data segment 0 active at 16, 1 passive
 *   globals  one mutable global per value type (G_* = the type's index)
 *   elems    0: active, table 0, every function; with reference types
 *            1: passive funcref expressions, 2: declarative, 3: active
 *            into table 2 by expressions
 *   locals   after the parameters: NPER locals of each value type, then
 *            MAX_LOOPS loop counters (i32)
 */
#ifndef TOOLS_WASMFUZZ_GEN_CODE_INTERNAL_H
#define TOOLS_WASMFUZZ_GEN_CODE_INTERNAL_H

#include "gen_code.h"
#include "gen_internal.h"

#define F32	  0x7d
#define F64	  0x7c
#define V128	  0x7b
#define FUNCREF	  0x70
#define EXTERNREF 0x6f

/* Value types by index (the locals' and globals' order). */
enum { VI32, VI64, VF32, VF64, VV128, VFUNC, VEXTERN, NVT };
extern const uint8_t cg_vt[NVT];

enum { T_VV, T_II, T_PAIR, T_MIX, T_FF, T_SIMD, T_REFS, NCT };

#define NFUNCS	     5
#define NPER	     2
#define MAX_LOOPS    3
#define CG_MAX_DEPTH 6
#define NDATA	     2
#define NELEMS	     4

struct ctype {
	uint8_t np, nr;
	uint8_t p[3], r[3];
};

struct cg {
	struct gen g; /* recipe and output */
	bool simd, refs;
	bool scalar;  /* no bulk memory, table statements or trunc_sat */
	bool i32only; /* scalar, and every value an i32 (gen_code.h) */
	struct ctype types[NCT];
	uint8_t ftype[NFUNCS];
	uint32_t fn;	  /* the function being written */
	uint32_t locals0; /* its first local after the parameters */
	int depth;	  /* expression nesting */
	int loops;	  /* counted loops around here */
	int budget;	  /* instructions left in this body */
};

static inline bool vt_ok(const struct cg *c, uint8_t t)
{
	if (c->i32only)
		return t == I32;
	return t == V128			? c->simd
	       : t == FUNCREF || t == EXTERNREF ? c->refs
						: true;
}

static inline int vt_index(uint8_t t)
{
	for (int i = 0; i < NVT; i++)
		if (cg_vt[i] == t)
			return i;
	return 0;
}

/* A local of type t (one of NPER). */
static inline uint32_t local_of(struct cg *c, uint8_t t)
{
	return c->locals0 + (uint32_t)vt_index(t) * NPER + take(&c->g, NPER);
}

static inline uint32_t counter_local(struct cg *c, int i)
{
	return c->locals0 + NVT * NPER + (uint32_t)i;
}

/* gen_expr.c */
void cg_expr(struct cg *c, uint8_t t);
void cg_addr(struct cg *c);
void cg_memarg(struct cg *c, uint32_t natural);
void cg_const(struct cg *c, uint8_t t);
void cg_args(struct cg *c, const struct ctype *ty);
void cg_multi(struct cg *c, uint32_t ti, bool loop);
uint8_t cg_any_type(struct cg *c);

/* gen_code.c */
void cg_stmts(struct cg *c, int n);

#endif
