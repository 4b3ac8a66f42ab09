/*
 * vm/jit/x86/x86_translate_mem.c: the IA-32 backend's loads and stores
 * (i32 and i64, every address form of ops.h), each behind the exact
 * bounds check of docs/vm-compiler.md.
 */
#include "../jit_ops.h"
#include "x86_translate.h"

/* ---- memory ---- */

/*
 * The exact bounds check (docs/vm-compiler.md) of an access of n bytes
 * at EAX + off: traps unless EAX + off + n <= size without wrapping,
 * which is exec.c's EA on 32-bit hosts. Clobbers ECX. A failing check
 * reports the op's cell; the interpreter retries it if a shared memory
 * has grown since.
 */
static void check(struct jit_fn *j, vm_cell off, uint32_t n, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	uint64_t k = (uint64_t)(uint32_t)off + n;
	if (k > UINT32_MAX) { /* beyond any 32-bit memory */
		x86_trap_if(j, ALWAYS, cell, VM_TRAP_MEM_OOB);
		return;
	}
	x86_mov_rr(b, X86_ECX, X86_EAX);
	x86_alu_ri(b, X86_ADD, X86_ECX, (int32_t)(uint32_t)k);
	x86_trap_if(j, X86_B, cell, VM_TRAP_MEM_OOB); /* carry: it wrapped */
	x86_alu_rm(b, X86_CMP, X86_ECX,
		   run_field(offsetof(struct vm_jit_run, ms)));
	x86_trap_if(j, X86_A, cell, VM_TRAP_MEM_OOB);
}

static struct x86_mem at(vm_cell off, int32_t plus)
{
	return x86_mem_index(MB, X86_EAX, 1, (int32_t)((uint32_t)off + plus));
}

/* EAX = the address of form `form` (jit_ops.h's enum jit_addr). */
static void address(struct jit_buf *b, uint8_t form, vm_cell a, vm_cell x)
{
	if (form == JIT_A_ABS) {
		x86_mov_ri(b, X86_EAX, (uint32_t)a);
		return;
	}
	load32(b, X86_EAX, a);
	if (form == JIT_A_ADD)
		x86_alu_rm(b, X86_ADD, X86_EAX, slot(x));
	else if (form == JIT_A_ADDI)
		x86_alu_ri(b, X86_ADD, X86_EAX, (int32_t)x);
}

/* Loads in the order of ops.h's OP_i32_load..OP_i64_load32_u: bytes,
 * widening (0: a plain 32-bit move), sign of an i64 result's high half. */
static const struct load {
	uint8_t n, ext;
	bool i64, sign;
} loads[] = {
	{4, 0, false, false},
	{8, 0, true, false},
	{1, X86_MOVSX8, false, false},
	{1, X86_MOVZX8, false, false},
	{2, X86_MOVSX16, false, false},
	{2, X86_MOVZX16, false, false},
	{1, X86_MOVSX8, true, true},
	{1, X86_MOVZX8, true, false},
	{2, X86_MOVSX16, true, true},
	{2, X86_MOVZX16, true, false},
	{4, 0, true, true},
	{4, 0, true, false},
};

static void load(struct jit_fn *j, const struct jit_mem *m, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	const struct load *l = &loads[m->load];
	vm_cell dst = m->dst, off = m->off;
	address(b, m->addr, m->a, m->x);
	check(j, off, l->n, cell);
	if (l->n == 8) {
		x86_mov_rm(b, X86_EDX, at(off, 0));
		x86_mov_rm(b, X86_EBX, at(off, 4));
		x86_mov_mr(b, slot(dst), X86_EDX);
		x86_mov_mr(b, slot_hi(dst), X86_EBX);
		return;
	}
	if (l->ext)
		x86_movx_rm(b, (enum x86_ext)l->ext, X86_EDX, at(off, 0));
	else
		x86_mov_rm(b, X86_EDX, at(off, 0));
	if (!l->sign) {
		store32(b, dst, X86_EDX);
		return;
	}
	x86_mov_rr(b, X86_EBX, X86_EDX);
	x86_shift_ri(b, X86_SAR, X86_EBX, 31);
	x86_mov_mr(b, slot(dst), X86_EDX);
	x86_mov_mr(b, slot_hi(dst), X86_EBX);
}

/* A store of m->n bytes of slot v (or of the constant v if !from_slot,
 * sign-extended to 64 bits). */
static void store(struct jit_fn *j, const struct jit_mem *m, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	uint32_t n = m->n;
	vm_cell v = m->v, off = m->off;
	address(b, m->addr, m->a, m->x);
	check(j, off, n, cell);
	if (m->from_slot) {
		x86_mov_rm(b, X86_EDX, slot(v));
		if (n == 8)
			x86_mov_rm(b, X86_EBX, slot_hi(v));
	} else {
		x86_mov_ri(b, X86_EDX, (uint32_t)v);
		x86_mov_ri(b, X86_EBX, (int32_t)v < 0 ? UINT32_MAX : 0);
	}
	switch (n) {
	case 1: x86_movb_mr(b, at(off, 0), X86_EDX); break;
	case 2: x86_movw_mr(b, at(off, 0), X86_EDX); break;
	case 4: x86_mov_mr(b, at(off, 0), X86_EDX); break;
	default:
		x86_mov_mr(b, at(off, 0), X86_EDX);
		x86_mov_mr(b, at(off, 4), X86_EBX);
		break;
	}
}

bool x86_memory(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
		uint32_t cell)
{
	struct jit_mem m;
	if (jit_mem_decode(o, pc, &m)) {
		if (!m.add_mem) {
			if (m.load == JIT_MEM_STORE)
				store(j, &m, cell);
			else
				load(j, &m, cell);
			return true;
		}
		/* dst = slot v + the word at a + imm + off */
		address(&j->buf, m.addr, m.a, m.x);
		check(j, m.off, 4, cell);
		load32(&j->buf, X86_EDX, m.v);
		x86_alu_rm(&j->buf, X86_ADD, X86_EDX, at(m.off, 0));
		store32(&j->buf, m.dst, X86_EDX);
	} else if (o == OP_f64_add_mem || o == OP_f64_mul_mem) {
		/* the same with the double there: dst = x op it (SSE2) */
		address(&j->buf, JIT_A_ADDI, pc[3], pc[4]);
		check(j, pc[5], 8, cell);
		x86_sse_xm(&j->buf, X86_MOVSD, X86_XMM0, slot(pc[2]));
		x86_sse_xm(&j->buf, o == OP_f64_add_mem ? X86_ADDSD : X86_MULSD,
			   X86_XMM0, at(pc[5], 0));
		x86_sse_mx(&j->buf, X86_MOVSD, slot(pc[1]), X86_XMM0);
	} else {
		return false;
	}
	return true;
}
