/*
 * vm/jit/arm/arm_translate_bulk.c: the ARMv7-A backend's trunc_sat,
 * bulk memory, table and reference ops, atomics and fence: a call of
 * the interpreter's own handler through jit.h's jit_bulk_helper, made
 * as calls are (arm_call_helper: AAPCS, the status returned at once
 * unless JIT_DONE, the memory's base and size reloaded after it). The
 * slots hold what the interpreter's would before the call (every op
 * writes its result back), so the handler reads and writes the frame as
 * in vm_exec. The atomics thus run exactly the interpreter's
 * instructions (gcc's ldrex/strex loops and dmb barriers, in atomic.c).
 */
#include "arm_translate.h"

bool arm_bulk_supports(enum vm_op o)
{
	return jit_bulk_helper(o) != NULL;
}

bool arm_bulk(struct jit_fn *j, enum vm_op o, const vm_cell *pc)
{
	vm_jit_helper helper = jit_bulk_helper(o);
	if (!helper)
		return false;
	arm_call_helper(j, pc, (uintptr_t)helper);
	return true;
}
