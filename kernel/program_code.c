/*
 * Programs' compiled code (docs/vm-compiler.md, Where code lives): the
 * VM's code_alloc/code_free hooks on a code heap per program account
 * (<mm/code_region.h>), its chunks charged to the account, freed when the
 * module's instance goes (the VM frees each function's code) or, after a
 * kill, with the account (program_mem_release). And the switches: the
 * `interp` command-line word keeps every program interpreted; `run -i`
 * (PROGRAM_INTERP) one run.
 */
#include <kernel/cmdline.h>
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <mm/code_region.h>

#include "program_internal.h"
#include "program_mem.h"

CMDLINE_OPTION(interp);

/* Native stack a VM thread keeps below its limit: a nested vm_exec
 * frame and the compiled frames above it, a host call from there (WASI
 * through the VFS and a block driver) and an interrupt frame. Compiled
 * calls nest native frames (vm_jit_call; a nested vm_exec for an
 * interpreted callee, about 0.5 KiB a level) where the interpreter nests
 * none: on a program's 16 KiB stack, some 8 KiB above the limit are for
 * them, and deeper calls are interpreted. */
#define NATIVE_STACK_RESERVE (6u * 1024)

/* Native stack compiled calls may take below program_run's caller when
 * the process's stack bounds are unknown (init). */
#define UNKNOWN_STACK_BUDGET (4u * 1024)

bool program_compiler_on(void)
{
	static int on = -1; /* the command line does not change */

	if (on < 0)
		on = CODE_REGION_SIZE &&
		     !cmdline_get(kernel_boot_info, "interp", NULL, 0);
	return on;
}

void program_set_stack_limit(struct vm_thread *th)
{
	struct proc *p = proc_current();
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);

	if (p->stack_lo && p->stack_size > NATIVE_STACK_RESERVE)
		vm_thread_set_stack_limit(th, (uintptr_t)p->stack_lo +
						      NATIVE_STACK_RESERVE);
	else /* init, on the boot stack (16 KiB on both ports) whose
		bounds it does not record: a budget below the caller */
		vm_thread_set_stack_limit(th, here - UNKNOWN_STACK_BUDGET);
}

/* A chunk: the account's limit and the machine's reserve allow it. */
static bool charge(void *ctx, size_t bytes)
{
	struct program_mem *m = ctx;

	if (!program_mem_charge(m, bytes))
		return false;
	if (!program_mem_reserve_ok(bytes)) {
		program_mem_uncharge(m, bytes);
		return false;
	}
	return true;
}

static void uncharge(void *ctx, size_t bytes)
{
	program_mem_uncharge(ctx, bytes);
}

/* Preemption off around each call, as for the account's blocks: a kill
 * never lands between taking a chunk and listing it. */
static void *code_alloc(void *ctx, const void *code, size_t size)
{
	struct program_mem *m = ctx;

	sched_preempt_disable();
	void *p = code_heap_alloc(&m->code, code, size);
	sched_preempt_enable();
	return p;
}

static void code_free(void *ctx, void *p, size_t size)
{
	struct program_mem *m = ctx;

	sched_preempt_disable();
	code_heap_free(&m->code, p, size);
	sched_preempt_enable();
}

void program_code_init(struct program_mem *m)
{
	code_heap_init(&m->code, charge, uncharge, m);
}

void program_code_enable(struct program_mem *m)
{
	if (program_compiler_on()) {
		m->ops.code_alloc = code_alloc;
		m->ops.code_free = code_free;
	}
}
