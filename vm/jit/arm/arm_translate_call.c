/*
 * vm/jit/arm/arm_translate_call.c: the ARMv7-A backend's calls. A call
 * to a compiled wasm function of the same instance is made inline:
 * exec.c's ENTER (and jit.c's enter) in machine code, then a BLX to the
 * callee's code; anything else, and any check that fails, goes through
 * jit.c's vm_jit_call (or vm_jit_call_indirect), which makes the same
 * checks in C and also compiles, nests, calls host functions and raises
 * the traps. So the frame records, the depth, the trap (`call stack
 * exhausted` at the call op) and the interrupt poll are exactly the
 * interpreter's either way, as on IA-32 (vm/jit/x86/x86_translate_call.c).
 * The inline path also compares SP with the thread's native stack limit
 * (vm/jit_stack.c), as jit.c's enter does for the C path: without it,
 * recursion through inline calls would run off a kernel thread's stack.
 */
#include <stddef.h>

#include "arm_translate.h"

/* Return the status in R0 from our code unless it is JIT_DONE (the
 * innermost frame's state is in the run already). */
static void return_unless_done(struct jit_buf *b)
{
	arm_dp_ri(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R0, JIT_DONE);
	arm_pop(b, ARM_NE, ARM_SAVED | 1u << ARM_PC);
}

/*
 * The slow path: helper(run, fp, pc) (vm_jit_call or _indirect). On
 * JIT_DONE the callee may have grown the memory: its base and size are
 * read again.
 */
static void call_helper(struct jit_buf *b, const vm_cell *pc, uintptr_t helper)
{
	arm_dp_rr(b, ARM_AL, ARM_MOV, false, ARM_R0, ARM_R0, RUN);
	arm_dp_rr(b, ARM_AL, ARM_MOV, false, ARM_R1, ARM_R0, FP);
	arm_mov32(b, ARM_AL, ARM_R2, (uint32_t)(uintptr_t)pc);
	arm_call_c(b, helper);
	return_unless_done(b);
	arm_reload_memory(b);
}

/* A C helper with the call's convention (jit_bulk.c's ops). */
void arm_call_helper(struct jit_fn *j, const vm_cell *pc, uintptr_t helper)
{
	call_helper(&j->buf, pc, helper);
}

/* Beyond this many declared locals the zeroing is a loop. */
#define UNROLLED_LOCALS 3

/* Zero the callee's declared locals, slots from..from+n of our frame
 * (n > 0), from ZERO; clobbers R1, R2 (and TMP). */
static void zero_locals(struct jit_fn *j, uint32_t from, uint32_t n)
{
	struct jit_buf *b = &j->buf;
	if (n <= UNROLLED_LOCALS) {
		for (uint32_t i = 0; i < n; i++) {
			arm_slot(b, ARM_AL, ARM_STR, ZERO, from + i, 0);
			arm_slot(b, ARM_AL, ARM_STR, ZERO, from + i, 1);
		}
		return;
	}
	arm_op_imm(b, ARM_ADD, ARM_R1, FP, from * 8);
	arm_mov32(b, ARM_AL, ARM_R2, n);
	size_t top = jit_buf_offset(b);
	arm_ldst_imm(b, ARM_AL, ARM_STR, ZERO, ARM_R1, 4, ARM_POST_INDEX);
	arm_ldst_imm(b, ARM_AL, ARM_STR, ZERO, ARM_R1, 4, ARM_POST_INDEX);
	arm_dp_ri(b, ARM_AL, ARM_SUB, true, ARM_R2, ARM_R2, 1);
	if (arm_b(b, ARM_NE, (int32_t)top - (int32_t)jit_buf_offset(b)) ==
	    ARM_NO_BRANCH)
		j->bad = true;
}

/*
 * call f base, where f is one of our instance's wasm functions. Whether
 * it is compiled is known only at run time: f->jit_code, published once
 * its code is in place (the compiling CPU's cache maintenance in
 * code_alloc ends with a DSB before the store; we branch through the
 * pointer we loaded) and kept while the instance lives. R3 holds that
 * pointer from its test to the BLX, R0 the depth from its check to the
 * record. A failed check goes to vm_jit_call, which makes it again and
 * traps, compiles or nests exactly as jit.c's enter.
 */
static void call_direct(struct jit_fn *j, const vm_cell *pc, struct vm_func *f)
{
	uint32_t base = (uint32_t)pc[2]; /* the callee's frame: fp + base */
	struct vm_func *caller = j->func;
	size_t to_slow[4]; /* the checks' branches to the slow path */
	struct jit_buf *b = &j->buf;

	arm_mov32(b, ARM_AL, ARM_R3, (uint32_t)(uintptr_t)&f->jit_code);
	arm_ldst_imm(b, ARM_AL, ARM_LDR, ARM_R3, ARM_R3, 0, ARM_OFFSET);
	arm_dp_ri(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R3, 0);
	to_slow[0] = arm_b(b, ARM_EQ, 0);
	/* the native stack (jit_stack.c): below the thread's limit the slow
	 * path runs the callee nested and interpreted, so recursion through
	 * inline calls (24 bytes each) cannot run off a kernel stack */
	arm_ldst_imm(b, ARM_AL, ARM_LDR, TMP, RUN, RUN_FIELD(th), ARM_OFFSET);
	arm_ldst_imm(b, ARM_AL, ARM_LDR, TMP, TMP,
		     (int32_t)offsetof(struct vm_thread, native_limit),
		     ARM_OFFSET);
	arm_dp_rr(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_SP, TMP);
	to_slow[1] = arm_b(b, ARM_CC, 0);
	/* ENTER's checks: the frame array and the slot stack */
	arm_ldst_imm(b, ARM_AL, ARM_LDR, ARM_R0, RUN, RUN_FIELD(depth),
		     ARM_OFFSET);
	arm_ldst_imm(b, ARM_AL, ARM_LDR, ARM_R1, RUN, RUN_FIELD(max_depth),
		     ARM_OFFSET);
	arm_dp_rr(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R0, ARM_R1);
	to_slow[2] = arm_b(b, ARM_CS, 0);
	arm_op_imm(b, ARM_ADD, ARM_R2, FP, (base + f->frame_slots) * 8);
	arm_ldst_imm(b, ARM_AL, ARM_LDR, ARM_R1, RUN, RUN_FIELD(stack_end),
		     ARM_OFFSET);
	arm_dp_rr(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R2, ARM_R1);
	to_slow[3] = arm_b(b, ARM_HI, 0);
	/* the caller's frame record at frames[depth], as the interpreter
	 * pushes it, and the depth raised */
	arm_ldst_imm(b, ARM_AL, ARM_LDR, ARM_R1, RUN, RUN_FIELD(frames),
		     ARM_OFFSET);
	arm_mov32(b, ARM_AL, ARM_R2, (uint32_t)sizeof(struct vm_frame));
	arm_mla(b, ARM_AL, false, ARM_R1, ARM_R0, ARM_R2, ARM_R1);
	arm_mov32(b, ARM_AL, ARM_R2, (uint32_t)(uintptr_t)(pc + 3));
	arm_ldst_imm(b, ARM_AL, ARM_STR, ARM_R2, ARM_R1,
		     (int32_t)offsetof(struct vm_frame, pc), ARM_OFFSET);
	arm_ldst_imm(b, ARM_AL, ARM_STR, FP, ARM_R1,
		     (int32_t)offsetof(struct vm_frame, fp), ARM_OFFSET);
	arm_mov32(b, ARM_AL, ARM_R2, (uint32_t)(uintptr_t)caller);
	arm_ldst_imm(b, ARM_AL, ARM_STR, ARM_R2, ARM_R1,
		     (int32_t)offsetof(struct vm_frame, func), ARM_OFFSET);
	arm_dp_ri(b, ARM_AL, ARM_ADD, false, ARM_R0, ARM_R0, 1);
	arm_ldst_imm(b, ARM_AL, ARM_STR, ARM_R0, RUN, RUN_FIELD(depth),
		     ARM_OFFSET);
	if (f->nlocals > f->nparams)
		zero_locals(j, base + f->nparams, f->nlocals - f->nparams);
	arm_mov32(b, ARM_AL, ARM_R2, (uint32_t)(uintptr_t)f);
	arm_ldst_imm(b, ARM_AL, ARM_STR, ARM_R2, RUN, RUN_FIELD(func),
		     ARM_OFFSET);
	/* ENTER's poll: set, the interpreter starts the callee (cell 0 of
	 * its frame at R0) */
	arm_op_imm(b, ARM_ADD, ARM_R0, FP, base * 8);
	arm_ldst_imm(b, ARM_AL, ARM_LDR, TMP, RUN, RUN_FIELD(intr), ARM_OFFSET);
	arm_ldst_imm(b, ARM_AL, ARM_LDR, TMP, TMP, 0, ARM_OFFSET);
	arm_dp_ri(b, ARM_AL, ARM_CMP, false, ARM_R0, TMP, 0);
	arm_ldst_imm(b, ARM_NE, ARM_STR, ARM_R0, RUN, RUN_FIELD(fp),
		     ARM_OFFSET);
	arm_ldst_imm(b, ARM_NE, ARM_STR, ZERO, RUN, RUN_FIELD(cell),
		     ARM_OFFSET);
	arm_dp_ri(b, ARM_NE, ARM_MOV, false, ARM_R0, ARM_R0, JIT_INTERRUPT);
	arm_pop(b, ARM_NE, ARM_SAVED | 1u << ARM_PC);
	/* code(nfp, run): SP is 8-byte aligned here, as AAPCS wants, since
	 * the prologue pushed six words */
	arm_dp_rr(b, ARM_AL, ARM_MOV, false, ARM_R1, ARM_R0, RUN);
	arm_blx(b, ARM_AL, ARM_R3);
	return_unless_done(b);
	/* returned: jit.c's enter pops the record the same way */
	arm_ldst_imm(b, ARM_AL, ARM_LDR, ARM_R0, RUN, RUN_FIELD(depth),
		     ARM_OFFSET);
	arm_dp_ri(b, ARM_AL, ARM_SUB, false, ARM_R0, ARM_R0, 1);
	arm_ldst_imm(b, ARM_AL, ARM_STR, ARM_R0, RUN, RUN_FIELD(depth),
		     ARM_OFFSET);
	arm_mov32(b, ARM_AL, ARM_R1, (uint32_t)(uintptr_t)caller);
	arm_ldst_imm(b, ARM_AL, ARM_STR, ARM_R1, RUN, RUN_FIELD(func),
		     ARM_OFFSET);
	arm_reload_memory(b);
	size_t out = arm_b(b, ARM_AL, 0);
	for (int i = 0; i < 4; i++)
		if (!arm_branch_patch(b, to_slow[i], jit_buf_offset(b)))
			j->bad = true;
	call_helper(b, pc, (uintptr_t)&vm_jit_call);
	if (!arm_branch_patch(b, out, jit_buf_offset(b)))
		j->bad = true;
}

void arm_call(struct jit_fn *j, enum vm_op o, const vm_cell *pc)
{
	struct vm_func *f = o == OP_call ? jit_direct_callee(j, pc) : NULL;
	if (f)
		call_direct(j, pc, f);
	else
		call_helper(&j->buf, pc,
			    o == OP_call ? (uintptr_t)&vm_jit_call
					 : (uintptr_t)&vm_jit_call_indirect);
}
