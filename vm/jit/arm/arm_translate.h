/*
 * vm/jit/arm/arm_translate.h: what the ARMv7-A backend's translation
 * files share (arm_translate.c: the seam, branches, calls, copies,
 * globals and the exit paths; arm_translate_alu.c: i32 arithmetic,
 * compares and bit ops; arm_translate_mem.c: loads, stores and their
 * bounds checks; arm_translate_call.c: calls).
 *
 * Registers (AAPCS: r4..r8 are saved by the prologue, r0..r3 and r12
 * are free across the code and clobbered by calls):
 *   r4 the frame (fp), r5 linear memory's base, r6 the struct
 *   vm_jit_run, r7 linear memory's size (the bounds checks' limit),
 *   r8 always 0 (the high half of an i32 result);
 *   r0..r3 values; r12 the scratch of an operand the instruction cannot
 *   hold (a far slot's offset, a constant no immediate encodes), used
 *   only between its own two instructions.
 */
#ifndef VM_JIT_ARM_TRANSLATE_H
#define VM_JIT_ARM_TRANSLATE_H

#include <stddef.h>

#include "../jit.h"
#include "arm_encode.h"

#define FP   ARM_R4
#define MB   ARM_R5
#define RUN  ARM_R6
#define MS   ARM_R7
#define ZERO ARM_R8
#define TMP  ARM_R12

/* The registers the prologue saves and the epilogue restores, with LR
 * (the return, popped into PC): six words keep SP 8-byte aligned. */
#define ARM_SAVED                                                              \
	(1u << ARM_R4 | 1u << ARM_R5 | 1u << ARM_R6 | 1u << ARM_R7 |           \
	 1u << ARM_R8)

#define RUN_FIELD(f) ((int32_t)offsetof(struct vm_jit_run, f))

/* Transfer r to or from half `half` (0 the low word, 1 the high) of slot
 * i, when cond holds: an immediate offset, or through TMP when the slot
 * lies beyond 4 KiB of the frame. */
void arm_slot(struct jit_buf *b, enum arm_cond cond, enum arm_ldst op,
	      enum arm_reg r, vm_cell i, unsigned half);

static inline void load32(struct jit_buf *b, enum arm_reg r, vm_cell i)
{
	arm_slot(b, ARM_AL, ARM_LDR, r, i, 0);
}
/* An i32 result: the value and a zero high half (exec.c's SET_u32). */
static inline void store32(struct jit_buf *b, vm_cell i, enum arm_reg r)
{
	arm_slot(b, ARM_AL, ARM_STR, r, i, 0);
	arm_slot(b, ARM_AL, ARM_STR, ZERO, i, 1);
}
/* rd = rn op imm for the data-processing ops (and compares, rd
 * ignored): an immediate if it or its complement/negation encodes, else
 * through TMP. */
void arm_op_imm(struct jit_buf *b, enum arm_dp_op op, enum arm_reg rd,
		enum arm_reg rn, uint32_t imm);
/* dst = cond ? 1 : 0 (an i32) from the flags. */
void arm_set_flag(struct jit_buf *b, enum arm_cond cond, vm_cell dst);
/* Leave for the exit path of trap `kind` at op `cell` when cond holds. */
void arm_trap_if(struct jit_fn *j, enum arm_cond cond, uint32_t cell,
		 enum vm_trap kind);
/* Take the branch whose offset is in site (cell site_cell) when cond
 * holds, the flags already set; a back-edge polls the interrupt flag. */
void arm_branch(struct jit_fn *j, enum arm_cond cond, const vm_cell *site,
		uint32_t site_cell);

/* MB and MS from the run: after anything that may have grown the memory. */
void arm_reload_memory(struct jit_buf *b);
/* arm_translate_call.c: call or call_indirect at pc. */
void arm_call(struct jit_fn *j, enum vm_op o, const vm_cell *pc);

/* Call the C function at fn (AAPCS: arguments in R0..R3, the result in
 * R0; R0..R3, R12, LR and d0..d7 lost). */
void arm_call_c(struct jit_buf *b, uintptr_t fn);
/* helper(run, fp, pc) as a call is made: the status returned unless
 * JIT_DONE, the memory's base and size reloaded (arm_translate.c). */
void arm_call_helper(struct jit_fn *j, const vm_cell *pc, uintptr_t helper);
/* jit_bulk.c's ops (arm_translate_bulk.c). */
bool arm_bulk_supports(enum vm_op o);
bool arm_bulk(struct jit_fn *j, enum vm_op o, const vm_cell *pc);
/* R = popcount(R), with T and K clobbered (arm_translate_i64.c). */
void arm_popcnt32(struct jit_buf *b, enum arm_reg r, enum arm_reg t,
		  enum arm_reg k);

/* arm_translate_alu.c: whether o is one of its ops, and translating it. */
bool arm_alu_supports(enum vm_op o);
bool arm_alu(struct jit_fn *j, enum vm_op o, const vm_cell *pc, uint32_t cell);
/* arm_translate_mem.c: a memory op; false if o is not one. */
bool arm_memory(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
		uint32_t cell);

/* arm_translate_i64.c: the i64 ops (and i32.popcnt). */
bool arm_i64_supports(enum vm_op o);
bool arm_i64(struct jit_fn *j, enum vm_op o, const vm_cell *pc, uint32_t cell);
/* The condition true after an i64 compare's flags (arm_translate_i64.c). */
enum arm_cond arm_cond64(enum vm_op plain);
/* arm_translate_imm.c: an op whose second operand is the constant k,
 * with k in the instruction; false with nothing written when k does not
 * fit. r *= k (i32.mul); R0:R1 op= k sign-extended (i64 add, sub, and,
 * or, xor); the flags of i64 compare plain of R0:R1 with k. */
bool arm_fold_mul32(struct jit_buf *b, enum arm_reg r, uint32_t k);
bool arm_fold_bin64(struct jit_buf *b, enum vm_op o, uint32_t k);
bool arm_fold_cmp64(struct jit_buf *b, enum vm_op plain, uint32_t k);
/* arm_translate_float.c: the f32/f64 ops; and dst = x op the double in
 * R0:R1 for f64_add_mem/f64_mul_mem dst x a imm off. */
bool arm_float_supports(enum vm_op o);
bool arm_float(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
	       uint32_t cell);
void arm_f64_op_loaded(struct jit_buf *b, enum vm_op o, const vm_cell *pc);

#endif
