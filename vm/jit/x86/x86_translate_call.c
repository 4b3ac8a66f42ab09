/*
 * vm/jit/x86/x86_translate_call.c: the IA-32 backend's calls. A call to
 * a wasm function of the same instance that is compiled is made inline:
 * exec.c's ENTER (and jit.c's enter) in machine code, then a native call
 * of the callee's code; anything else, and any check that fails, goes
 * through jit.c's vm_jit_call, which does the same in C and also
 * compiles, nests, calls host functions and raises the traps. So the
 * frame records, the depth, the trap (`call stack exhausted` at the
 * call op) and the interrupt poll are exactly the interpreter's either
 * way. The inline path also compares ESP with the thread's native
 * stack limit (vm/jit_stack.c), as jit.c's enter does for the C path.
 */
#include <stddef.h>

#include "x86_translate.h"

#define RUN_AT(field) run_field(offsetof(struct vm_jit_run, field))

/* Call EAX with the three argument words pushed; return its status from
 * our code unless it is JIT_DONE. */
static void call_eax(struct jit_fn *j)
{
	struct jit_buf *b = &j->buf;
	x86_call_r(b, X86_EAX);
	x86_alu_ri(b, X86_ADD, X86_ESP, 12);
	x86_test_rr(b, X86_EAX, X86_EAX);
	size_t done = x86_jcc_rel8(b, X86_E, 0);
	x86_epilogue(b);
	if (!x86_patch_rel8(b, done, jit_buf_offset(b)))
		j->bad = true;
}

/*
 * The slow path: helper(run, fp, pc) (vm_jit_call or _indirect). A
 * status other than JIT_DONE goes straight back to our caller (the
 * innermost frame's state is in run). JIT_DONE: the memory's base again
 * (the callee may have grown it; the size is read from run at each
 * check). The stack is 16-byte aligned at the call, as the i386 ABI
 * wants: entered aligned, the return address and four saves leave it 12
 * below, the three arguments 0.
 */
static void call_helper(struct jit_fn *j, const vm_cell *pc, void *helper)
{
	struct jit_buf *b = &j->buf;
	x86_push_i(b, (int32_t)(uintptr_t)pc);
	x86_push_r(b, FP);
	x86_push_r(b, RUN);
	x86_mov_ri(b, X86_EAX, (uint32_t)(uintptr_t)helper);
	call_eax(j);
	x86_mov_rm(b, MB, RUN_AT(mb));
}

/* Beyond this many declared locals the zeroing is a loop. */
#define UNROLLED_LOCALS 3

/* Zero the callee's declared locals, slots from..from+n of our frame
 * (n > 0); clobbers ECX, EDX. */
static void zero_locals(struct jit_fn *j, uint32_t from, uint32_t n)
{
	struct jit_buf *b = &j->buf;
	x86_alu_rr(b, X86_XOR, X86_EDX, X86_EDX);
	if (n <= UNROLLED_LOCALS) {
		for (uint32_t i = 0; i < n; i++) {
			x86_mov_mr(b, slot(from + i), X86_EDX);
			x86_mov_mr(b, slot_hi(from + i), X86_EDX);
		}
		return;
	}
	x86_mov_ri(b, X86_ECX, n);
	size_t top = jit_buf_offset(b);
	struct x86_mem lo =
		x86_mem_index(FP, X86_ECX, 8, (int32_t)from * 8 - 8);
	struct x86_mem hi =
		x86_mem_index(FP, X86_ECX, 8, (int32_t)from * 8 - 4);
	x86_mov_mr(b, lo, X86_EDX);
	x86_mov_mr(b, hi, X86_EDX);
	x86_alu_ri(b, X86_SUB, X86_ECX, 1);
	size_t back = x86_jcc_rel8(b, X86_NE, 0);
	if (!x86_patch_rel8(b, back, top))
		j->bad = true;
}

/*
 * call f base, f a compiled wasm function of our instance (checked at
 * run time: its code is published once compiled, never withdrawn while
 * the instance lives). EAX holds the callee's code from the first check
 * to the call. Any check failing jumps to the slow path, which repeats
 * it and traps or nests as the interpreter would.
 */
static void call_direct(struct jit_fn *j, const vm_cell *pc, struct vm_func *f)
{
	struct jit_buf *b = &j->buf;
	struct vm_func *caller = j->func;
	uint32_t base = (uint32_t)pc[2];
	size_t slow[4];

	x86_mov_rm(b, X86_EAX, x86_mem_abs((uint32_t)(uintptr_t)&f->jit_code));
	x86_test_rr(b, X86_EAX, X86_EAX);
	slow[0] = x86_jcc_rel32(b, X86_E, 0);
	/* the native stack (jit_stack.c): below the thread's limit the slow
	 * path runs the callee nested and interpreted, so recursion through
	 * inline calls (32 bytes each) cannot run off a kernel stack */
	x86_mov_rm(b, X86_ECX, RUN_AT(th));
	x86_alu_rm(b, X86_CMP, X86_ESP,
		   x86_mem(X86_ECX, offsetof(struct vm_thread, native_limit)));
	slow[3] = x86_jcc_rel32(b, X86_B, 0);
	/* ENTER's checks: the frame array and the slot stack */
	x86_mov_rm(b, X86_ECX, RUN_AT(depth));
	x86_alu_rm(b, X86_CMP, X86_ECX, RUN_AT(max_depth));
	slow[1] = x86_jcc_rel32(b, X86_AE, 0);
	x86_lea_rm(b, X86_EDX, slot(base + f->frame_slots));
	x86_alu_rm(b, X86_CMP, X86_EDX, RUN_AT(stack_end));
	slow[2] = x86_jcc_rel32(b, X86_A, 0);
	/* the caller's frame record, as the interpreter pushes it */
	x86_imul_rri(b, X86_EDX, X86_ECX, (int32_t)sizeof(struct vm_frame));
	x86_alu_rm(b, X86_ADD, X86_EDX, RUN_AT(frames));
	x86_mov_mi(b, x86_mem(X86_EDX, offsetof(struct vm_frame, pc)),
		   (uint32_t)(uintptr_t)(pc + 3));
	x86_mov_mr(b, x86_mem(X86_EDX, offsetof(struct vm_frame, fp)), FP);
	x86_mov_mi(b, x86_mem(X86_EDX, offsetof(struct vm_frame, func)),
		   (uint32_t)(uintptr_t)caller);
	x86_alu_ri(b, X86_ADD, X86_ECX, 1);
	x86_mov_mr(b, RUN_AT(depth), X86_ECX);
	if (f->nlocals > f->nparams)
		zero_locals(j, base + f->nparams, f->nlocals - f->nparams);
	x86_mov_mi(b, RUN_AT(func), (uint32_t)(uintptr_t)f);
	/* ENTER's poll: set, the interpreter starts the callee (cell 0) */
	x86_lea_rm(b, X86_EDX, slot(base));
	x86_mov_rm(b, X86_ECX, RUN_AT(intr));
	x86_alu_mi(b, X86_CMP, x86_mem(X86_ECX, 0), 0);
	size_t go = x86_jcc_rel8(b, X86_E, 0);
	x86_mov_mr(b, RUN_AT(fp), X86_EDX);
	x86_mov_mi(b, RUN_AT(cell), 0);
	x86_mov_ri(b, X86_EAX, JIT_INTERRUPT);
	x86_epilogue(b);
	if (!x86_patch_rel8(b, go, jit_buf_offset(b)))
		j->bad = true;
	/* code(nfp, run), the stack aligned as in call_helper */
	x86_alu_ri(b, X86_SUB, X86_ESP, 4);
	x86_push_r(b, RUN);
	x86_push_r(b, X86_EDX);
	call_eax(j);
	/* returned: jit.c's enter pops the record the same way */
	x86_alu_mi(b, X86_SUB, RUN_AT(depth), 1);
	x86_mov_mi(b, RUN_AT(func), (uint32_t)(uintptr_t)caller);
	x86_mov_rm(b, MB, RUN_AT(mb));
	size_t out = x86_jmp_rel32(b, 0);
	for (int i = 0; i < 4; i++)
		x86_patch_rel32(b, slow[i], jit_buf_offset(b));
	call_helper(j, pc, (void *)&vm_jit_call);
	x86_patch_rel32(b, out, jit_buf_offset(b));
}

void x86_call(struct jit_fn *j, enum vm_op o, const vm_cell *pc)
{
	struct vm_func *f = o == OP_call ? jit_direct_callee(j, pc) : NULL;
	if (f)
		call_direct(j, pc, f);
	else
		call_helper(j, pc,
			    o == OP_call ? (void *)&vm_jit_call
					 : (void *)&vm_jit_call_indirect);
}

void x86_call_c_helper(struct jit_fn *j, const vm_cell *pc, void *helper)
{
	call_helper(j, pc, helper);
}
