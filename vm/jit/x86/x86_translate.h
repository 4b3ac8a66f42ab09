/*
 * vm/jit/x86/x86_translate.h: what the IA-32 backend's translation files
 * share (x86_translate.c: the ops and the seam; x86_translate_mem.c:
 * loads, stores and their bounds checks). Register use and the slot
 * layout: x86_translate.c's header.
 */
#ifndef VM_JIT_X86_TRANSLATE_H
#define VM_JIT_X86_TRANSLATE_H

#include <stddef.h>

#include "../jit.h"
#include "x86_encode.h"

/* ESI the frame (fp), EDI linear memory's base, EBP the vm_jit_run */
#define FP  X86_ESI
#define MB  X86_EDI
#define RUN X86_EBP
/* no condition: an unconditional branch */
#define ALWAYS (-1)

static inline struct x86_mem slot(vm_cell i)
{
	return x86_mem(FP, (int32_t)(i * 8));
}
static inline struct x86_mem slot_hi(vm_cell i)
{
	return x86_mem(FP, (int32_t)(i * 8 + 4));
}
static inline struct x86_mem run_field(size_t off)
{
	return x86_mem(RUN, (int32_t)off);
}

static inline void load32(struct jit_buf *b, enum x86_reg r, vm_cell i)
{
	x86_mov_rm(b, r, slot(i));
}
/* An i32 result: the value and a zero high half. */
static inline void store32(struct jit_buf *b, vm_cell i, enum x86_reg r)
{
	x86_mov_mr(b, slot(i), r);
	x86_mov_mi(b, slot_hi(i), 0);
}
/*
 * The register cache (x86_translate_regs.c): EAX, ECX, EDX and EBX hold slots'
 * low halves between the ops of a basic block. Ops translated through it
 * take every register they write from x86_temp (or x86_value); any other
 * op's translation is followed by jit_rc_reset (jit_arch_op).
 */
#define X86_CACHE_REGS 4
/* A register, holding nothing, pinned for this op. */
enum x86_reg x86_temp(struct jit_fn *j);
/* A register holding slot s's low half (loaded if none does), pinned for
 * this op; not to be written. */
enum x86_reg x86_use(struct jit_fn *j, vm_cell s);
/* A fresh register (x86_temp) holding a copy of slot s's low half, to
 * compute in. */
enum x86_reg x86_value(struct jit_fn *j, vm_cell s);
/* r op= slot s's low half: from its register, as an immediate when it
 * is a known constant, else from the slot. */
void x86_alu_slot(struct jit_fn *j, enum x86_alu op, enum x86_reg r, vm_cell s);
/* r *= slot s's low half, the same way. */
void x86_imul_slot(struct jit_fn *j, enum x86_reg r, vm_cell s);
/* Store the i32 result in r to slot dst (store32) and note r holds it. */
void x86_result32(struct jit_fn *j, vm_cell dst, enum x86_reg r);
/* r may be chosen by x86_temp again in this op. */
void x86_release(struct jit_fn *j, enum x86_reg r);
/* r was written outside the cache's knowledge: it holds no slot now. */
void x86_clobbered(struct jit_fn *j, enum x86_reg r);

/* Restore the registers the prologue saved and return (status in EAX). */
void x86_epilogue(struct jit_buf *b);
/* call or call_indirect at pc (x86_translate_call.c). */
void x86_call(struct jit_fn *j, enum vm_op o, const vm_cell *pc);
/* helper(run, fp, pc) as a call's slow path makes it: the status tested
 * (returned unless JIT_DONE), the memory's base reloaded. */
void x86_call_c_helper(struct jit_fn *j, const vm_cell *pc, void *helper);
/* jit_bulk.c's ops (x86_translate_bulk.c). */
bool x86_bulk_supports(enum vm_op o);
bool x86_bulk(struct jit_fn *j, enum vm_op o, const vm_cell *pc);
/* Leave for the exit path of trap `kind` reported at op `cell` when cc
 * holds (ALWAYS: unconditionally). */
void x86_trap_if(struct jit_fn *j, int cc, uint32_t cell, enum vm_trap kind);
/* Take the branch whose offset is in cells[site_cell] (at site) when cc
 * holds (ALWAYS: always); a back-edge polls the interrupt flag first. */
void x86_branch(struct jit_fn *j, int cc, const vm_cell *site,
		uint32_t site_cell);
/* The i64 ops and i32.popcnt (x86_translate_i64.c). */
bool x86_i64_supports(enum vm_op o);
bool x86_i64(struct jit_fn *j, enum vm_op o, const vm_cell *pc, uint32_t cell);
/* The f32/f64 ops (x86_translate_float.c). */
bool x86_float_supports(enum vm_op o);
bool x86_float(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
	       uint32_t cell);
/* Translate memory op o at pc (x86_translate_mem.c); false if it is not
 * one. */
bool x86_memory(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
		uint32_t cell);

#endif
