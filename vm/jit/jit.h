/*
 * vm/jit/jit.h: the compiler tier's neutral driver (jit.c) and the seam
 * to its backend (one of vm/jit/<isa>/, chosen by the build). Design:
 * docs/vm-compiler.md.
 *
 * A compiled function keeps the interpreter's frame: its slots at fp,
 * 8 bytes each, an i32 in the low half with the high half written 0, as
 * exec.c's SET_u32 does. It is entered as
 *   int code(vm_value *fp, struct vm_jit_run *run)   (the C ABI)
 * and returns a status: JIT_DONE (the function returned, its results in
 * the slots from fp[0] as the interpreter leaves them), or one that
 * hands the thread to the interpreter at the innermost frame run->func,
 * run->fp, op cell run->cell, frame depth run->depth: JIT_TRAP (trap
 * kind run->trap at that op: the interpreter reports it, or retries it
 * after a shared memory grew), JIT_INTERRUPT (*run->intr was set at a
 * back-edge or a call: the interpreter suspends there, at an op it has
 * not run yet); or JIT_EXIT and JIT_NESTED below.
 *
 * Calls (OP_call) go through vm_jit_call, which makes the checks of
 * exec.c's ENTER, pushes the caller's struct vm_frame (return cell after
 * the call) as the interpreter does, and calls the callee's code
 * natively when it has some (compiling it at its first call), so the
 * frame array always describes the chain and any frame can be finished
 * by the interpreter. (A backend may make a call to a compiled function
 * of its own instance inline, with exactly enter's checks, record and
 * poll, and fall back to vm_jit_call for the rest: the IA-32 one does.)
 * A callee left to the interpreter (or another
 * instance's function) runs in a nested vm_exec that returns when the
 * callee's frame returns (vm_thread.jit_base); a host function is
 * called as exec.c's HOSTCALL does. Either way the compiled caller then
 * continues, with the memory's base and size reloaded. A nested run
 * that ends otherwise (trap, interrupt, exit) has already done what the
 * interpreter does there (the message, the suspended state for
 * vm_resume): JIT_NESTED carries its result up the chain of returns, and
 * the outermost vm_exec returns it. Native stack use is a small fixed
 * amount per wasm call (and a vm_exec frame per nested run), bounded by
 * max_depth.
 *
 * An op the backend does not translate leaves the whole function to the
 * interpreter, the op counted as the reason (jit_stats.c).
 */
#ifndef VM_JIT_JIT_H
#define VM_JIT_JIT_H

#include "../internal.h"
#include "../ops.h"
#include "jit_buf.h"
#include "jit_regcache.h"

/* JIT_EXIT: a host function ended the program (exec.c's L_exit);
 * JIT_NESTED: a nested vm_exec returned run->trap (an enum vm_err_kind),
 * its error and the thread's state already set. */
enum { JIT_DONE, JIT_TRAP, JIT_INTERRUPT, JIT_EXIT, JIT_NESTED };

/* One entry from the interpreter into compiled code, and what the code
 * reports back; the backends use the fields through offsetof. */
struct vm_jit_run {
	uint8_t *mb; /* linear memory's base */
	uint32_t ms; /* its size in bytes, as the bounds checks use it */
	struct vm_memory *mem; /* the instance's memory (memory.size) */
	volatile int *intr;    /* the thread's interrupt flag */
	/* the innermost frame: kept by vm_jit_call, fp written by the exits */
	struct vm_func *func;
	vm_value *fp;
	uint32_t cell, trap; /* out, with a status other than JIT_DONE */
	/* for vm_jit_call: the entry's instance's functions, the frame
	 * array, depth (frames in use), its limit, the slot stack's end */
	struct vm_func **funcs;
	struct vm_global **globals; /* the instance's (global_get/set) */
	struct vm_frame *frames;
	uint32_t depth, max_depth;
	const vm_value *stack_end;
	/* for nested runs and host calls */
	struct vm_thread *th;
	struct vm_error *err;
};

typedef int (*vm_jit_code)(vm_value *fp, struct vm_jit_run *run);

/*
 * Compile f (state VM_JIT_UNTRIED) if its code allows and the embedder
 * gives code memory; sets f->jit_state to VM_JIT_READY or VM_JIT_OFF.
 * Threads may race here: one compiles, the others interpret meanwhile.
 */
void vm_jit_compile(struct vm_func *f);
/* Run run->func's compiled code on frame run->fp: the status above. */
int vm_jit_enter(struct vm_jit_run *run);
/*
 * The call op at pc in the function run->func, whose frame is fp, from
 * compiled code: the status of the call (JIT_DONE: returned, results in
 * the callee's frame as the interpreter leaves them).
 */
int vm_jit_call(struct vm_jit_run *run, vm_value *fp, const vm_cell *pc);
/* The same for call_indirect (its table and type checks trap there). */
int vm_jit_call_indirect(struct vm_jit_run *run, vm_value *fp,
			 const vm_cell *pc);
/* Helpers compiled code calls (jit.c): memory.grow by delta pages (the old
 * size or -1; run->mb and run->ms reloaded), and i64 division and
 * remainder of the op at pc (how: div_s, div_u, rem_s, rem_u; returns 0 or
 * the trap). */
int32_t vm_jit_memory_grow(struct vm_jit_run *run, uint32_t delta);
uint32_t vm_jit_i64_divide(vm_value *fp, const vm_cell *pc, uint32_t how);
/* The float op `op` at pc, dst a [b], as exec.c does it: min/max, the
 * roundings, the unsigned and i64 conversions to float, the trapping
 * conversions to integers (returns 0 or the trap). */
uint32_t vm_jit_float(vm_value *fp, const vm_cell *pc, uint32_t op);

/* The call op's innermost state as jit.c's helpers report it: fp, the
 * cell of pc, the trap; returns status. */
int jit_stop_at(struct vm_jit_run *run, vm_value *fp, const vm_cell *pc,
		int status, uint32_t trap);
/* run->mb and run->ms again, from the memory of run->func's instance. */
void jit_reload_memory(struct vm_jit_run *run);

/*
 * The ops compiled code leaves to exec.c's own handlers (jit_bulk.c):
 * trunc_sat, memory_copy/fill/init, data_drop, table_exec (table and
 * reference ops), atomic and fence. jit_bulk_helper(op) is the helper
 * for op, or NULL: called as helper(run, fp, pc) with pc the op's
 * cells, like vm_jit_call, it runs the interpreter's code for the op
 * and returns JIT_DONE, or JIT_TRAP with the trap reported at the op.
 * The backend returns any other status than JIT_DONE at once and then
 * reloads the memory's base and size from run (after an atomic they
 * may have changed: a wait lets other threads grow a shared memory).
 */
typedef int (*vm_jit_helper)(struct vm_jit_run *run, vm_value *fp,
			     const vm_cell *pc);
vm_jit_helper jit_bulk_helper(enum vm_op op);

/* ---- the seam between the driver and a backend ---- */

/* A place in the code still to be pointed somewhere: a branch to a
 * cell's code, or a jump to the exit path of a trap or interrupt. */
enum jit_fix_kind { JIT_FIX_CELL, JIT_FIX_TRAP, JIT_FIX_INTERRUPT };
struct jit_fix {
	uint32_t field; /* buffer offset of the rel32 field */
	uint32_t cell;	/* target cell, or the cell reported */
	uint8_t kind;	/* enum jit_fix_kind */
	uint8_t trap;	/* JIT_FIX_TRAP: enum vm_trap */
};

struct jit_fn {
	/* the function compiled: its code, and its instance, whose
	 * functions a backend may call directly (their code is published
	 * on them; calls into other instances go through vm_jit_call) */
	struct vm_func *func;
	const struct vm_code *code;
	struct jit_buf buf;
	uint32_t *native; /* [ncells + 1]: code offset of each op's first
			     cell, UINT32_MAX elsewhere */
	struct jit_fix *fix;
	uint32_t nfix, capfix;
	bool bad; /* a fixup did not fit, or pointed at no op */
	/* bit per cell: a branch targets it (jit_rc_mark_joins, before
	 * translation); and the backend's register cache, if it keeps one */
	uint8_t *joins;
	struct jit_regcache rc;
};

/* Record a rel32 field to patch later; the driver resolves JIT_FIX_CELL
 * ones, the backend's jit_arch_finish the others. */
void jit_fix_add(struct jit_fn *j, size_t field, uint32_t cell, uint8_t kind,
		 uint8_t trap);

/* The callee of the call op at pc when a backend may call it inline: a
 * wasm function of j's instance (its code, once published, stays while
 * the instance lives) whose frame ends within JIT_DIRECT_MAX_SLOTS of the
 * caller's fp, so every slot address of the inline path (8 bytes a slot)
 * stays far from 32-bit overflow and fits a displacement; else NULL (the
 * call goes through vm_jit_call). */
#define JIT_DIRECT_MAX_SLOTS ((uint32_t)INT32_MAX / 16)
struct vm_func *jit_direct_callee(const struct jit_fn *j, const vm_cell *pc);

/* Cells op at pc takes, or 0 when the driver does not know it (not
 * compiled). */
uint32_t jit_op_cells(enum vm_op op, const vm_cell *pc);

/* The backend (vm/jit/<isa>/). */
bool jit_arch_supports(enum vm_op op);
void jit_arch_prologue(struct jit_fn *j);
/* Translate op at cells[cell] (pc); false: refused after all. */
bool jit_arch_op(struct jit_fn *j, enum vm_op op, const vm_cell *pc,
		 uint32_t cell);
/* After the last op: the exit paths that JIT_FIX_TRAP and
 * JIT_FIX_INTERRUPT fixups lead to, patched there. */
void jit_arch_finish(struct jit_fn *j);
/* Point the rel32 field at `field` to code offset `target`. */
void jit_arch_patch(struct jit_fn *j, size_t field, size_t target);
/* Bytes of code one cell may need at most (the buffer's estimate). */
#define JIT_BYTES_PER_CELL 48u
#define JIT_BYTES_FIXED	   64u
#define JIT_BYTES_PER_FIX  32u

#endif
