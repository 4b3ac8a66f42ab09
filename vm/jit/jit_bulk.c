/*
 * vm/jit/jit_bulk.c: the rare ops compiled code hands to the
 * interpreter's own C (jit.h's jit_bulk_helper): trunc_sat, bulk memory
 * (memory.copy/fill/init, data.drop), the table and reference ops (one
 * table_exec: table.get/set/size/grow/fill/copy/init, elem.drop,
 * ref.func), the atomics (loads, stores, read-modify-writes, cmpxchg,
 * wait, notify) and atomic.fence.
 *
 * Each helper is exec.c's handler of its op, calling the very function
 * the interpreter calls (bulk.c, table.c, atomic.c, exec.c's
 * vm_trunc_sat, internal.h's vm_data_drop and vm_atomic_fence) on the
 * same operands (the op's cells at pc, the frame fp). So the results,
 * the order of the checks, the traps and their messages, and the
 * atomics' instructions (the same compiled C, not a second encoding in
 * each backend) are the interpreter's. A trap is reported at the op, as
 * jit_stop_at does for calls; the interpreter then raises it (or, for
 * an out-of-bounds access on a shared memory that grew meanwhile, runs
 * the op again, as its own L_trap does: the handlers write nothing
 * before their bounds checks).
 */
#include "jit.h"

/* A handler's result as the status compiled code tests. */
static int status(struct vm_jit_run *run, vm_value *fp, const vm_cell *pc,
		  int trap)
{
	return trap ? jit_stop_at(run, fp, pc, JIT_TRAP, (uint32_t)trap)
		    : JIT_DONE;
}

static struct vm_instance *instance(const struct vm_jit_run *run)
{
	return run->func->inst;
}

static int trunc_sat(struct vm_jit_run *run, vm_value *fp, const vm_cell *pc)
{
	(void)run;
	vm_trunc_sat(pc, fp);
	return JIT_DONE;
}

static int memory_fill(struct vm_jit_run *run, vm_value *fp, const vm_cell *pc)
{
	return status(run, fp, pc, vm_memory_fill(instance(run)->mem, pc, fp));
}

static int memory_copy(struct vm_jit_run *run, vm_value *fp, const vm_cell *pc)
{
	return status(run, fp, pc, vm_memory_copy(instance(run)->mem, pc, fp));
}

static int memory_init(struct vm_jit_run *run, vm_value *fp, const vm_cell *pc)
{
	return status(run, fp, pc, vm_memory_init(instance(run), pc, fp));
}

static int data_drop(struct vm_jit_run *run, vm_value *fp, const vm_cell *pc)
{
	(void)fp;
	vm_data_drop(instance(run), pc);
	return JIT_DONE;
}

static int table_exec(struct vm_jit_run *run, vm_value *fp, const vm_cell *pc)
{
	return status(run, fp, pc, vm_table_exec(instance(run), pc, fp));
}

/* exec.c's L_atomic: a wait may have let another thread grow a shared
 * memory, so the base and size are read again, trap or not. */
static int atomic(struct vm_jit_run *run, vm_value *fp, const vm_cell *pc)
{
	int trap = vm_atomic_exec(instance(run)->mem, pc, fp);
	jit_reload_memory(run);
	return status(run, fp, pc, trap);
}

static int fence(struct vm_jit_run *run, vm_value *fp, const vm_cell *pc)
{
	(void)run, (void)fp, (void)pc;
	vm_atomic_fence();
	return JIT_DONE;
}

vm_jit_helper jit_bulk_helper(enum vm_op op)
{
	switch (op) {
	case OP_trunc_sat: return trunc_sat;
	case OP_memory_fill: return memory_fill;
	case OP_memory_copy: return memory_copy;
	case OP_memory_init: return memory_init;
	case OP_data_drop: return data_drop;
	case OP_table_exec: return table_exec;
	case OP_atomic: return atomic;
	case OP_fence: return fence;
	default: return NULL;
	}
}
