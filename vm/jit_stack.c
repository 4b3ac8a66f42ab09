/*
 * vm/jit_stack.c: the native-stack limit of a VM thread (vm.h
 * vm_thread_set_stack_limit). Interpreted wasm calls cost no native
 * stack, but compiled code calls through vm_jit_call, and a callee left
 * to the interpreter runs in a nested vm_exec (about 0.5 KiB per level
 * on i686): without a limit, deep recursion through compiled frames would
 * run off a kernel thread's small stack into its guard page. Below the
 * limit compiled code is not entered: vm_jit_call runs the callee in a
 * nested vm_exec, and vm_exec interprets a compiled function it calls
 * there (exec.c L_jit), so the rest of the recursion is interpreted and
 * takes no more native stack, and its depth limit is the interpreter's
 * (max_depth: "call stack exhausted"), never a fault and never an early
 * trap. In every build (the embedder sets the limit whether or not a
 * compiler is linked); 0 means no limit.
 */
#include "internal.h"

void vm_thread_set_stack_limit(struct vm_thread *th, uintptr_t lowest)
{
	if (th)
		th->native_limit = lowest;
}

/* The stack grows down on every target the VM has (i686, ARMv7, the
 * hosts): this frame below the limit means no more compiled levels. */
bool vm_native_stack_low(const struct vm_thread *th)
{
	return (uintptr_t)__builtin_frame_address(0) < th->native_limit;
}
