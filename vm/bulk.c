/*
 * vm/bulk.c: the bulk memory instructions on memories (prefix 0xfc 8..11),
 * out of the interpreter loop so that vm_exec's frame stays small; the
 * call costs little next to the bytes each one moves.
 *
 * Bounds follow WebAssembly 2.0: the whole range is checked before
 * anything is written (so a trapping instruction changes nothing), sums are
 * taken in 64 bits (an offset plus a length past 2^32 traps instead of
 * wrapping, on 32-bit hosts too), and a zero length is in bounds up to and
 * including the end. Sizes are read from the memory itself, not from
 * vm_exec's cached copy, so a shared memory grown by another thread is seen
 * at its current size.
 */
#include "internal.h"

static bool in_bounds(uint64_t size, uint32_t at, uint32_t n)
{
	return (uint64_t)at + n <= size;
}

/* The i32 operand in the slot named by cell i. */
#define ARG(i) fp[pc[i]].u32

int vm_memory_fill(struct vm_memory *mem, const vm_cell *pc, const vm_value *fp)
{
	uint32_t d = ARG(1), val = ARG(2), n = ARG(3);
	if (!in_bounds(mem->size, d, n))
		return VM_TRAP_MEM_OOB;
	if (n) /* a memory of 0 pages may have no data at all */
		memset(mem->data + d, (uint8_t)val, n);
	return VM_TRAP_NONE;
}

int vm_memory_copy(struct vm_memory *mem, const vm_cell *pc, const vm_value *fp)
{
	uint32_t d = ARG(1), s = ARG(2), n = ARG(3);
	uint64_t size = mem->size;
	if (!in_bounds(size, d, n) || !in_bounds(size, s, n))
		return VM_TRAP_MEM_OOB;
	if (n)
		memmove(mem->data + d, mem->data + s, n);
	return VM_TRAP_NONE;
}

int vm_memory_init(struct vm_instance *inst, const vm_cell *pc,
		   const vm_value *fp)
{
	uint32_t x = (uint32_t)pc[1], d = ARG(2), s = ARG(3), n = ARG(4);
	const struct vm_data_def *seg = &inst->m->datas[x];
	uint32_t len = inst->data_dropped[x] ? 0 : seg->len;
	struct vm_memory *mem = inst->mem;
	if (!in_bounds(len, s, n) || !in_bounds(mem->size, d, n))
		return VM_TRAP_MEM_OOB;
	if (n)
		memcpy(mem->data + d, seg->bytes + s, n);
	return VM_TRAP_NONE;
}
