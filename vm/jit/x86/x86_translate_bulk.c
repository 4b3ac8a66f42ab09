/*
 * vm/jit/x86/x86_translate_bulk.c: the IA-32 backend's trunc_sat, bulk
 * memory, table and reference ops, atomics and fence: a call of the
 * interpreter's own handler through jit.h's jit_bulk_helper, made as a
 * call's slow path makes vm_jit_call (x86_call_c_helper: cdecl, the
 * stack 16-byte aligned, the status returned at once unless JIT_DONE,
 * the memory's base reloaded after it). The slots hold what the
 * interpreter's would before the call (every op writes its result
 * back), so the handler reads and writes the frame as in vm_exec.
 * The atomics thus run exactly the interpreter's instructions (gcc's
 * lock-prefixed forms and cmpxchg8b, in atomic.c).
 */
#include "x86_translate.h"

bool x86_bulk_supports(enum vm_op o)
{
	return jit_bulk_helper(o) != NULL;
}

bool x86_bulk(struct jit_fn *j, enum vm_op o, const vm_cell *pc)
{
	vm_jit_helper helper = jit_bulk_helper(o);
	if (!helper)
		return false;
	x86_call_c_helper(j, pc, (void *)helper);
	return true;
}
