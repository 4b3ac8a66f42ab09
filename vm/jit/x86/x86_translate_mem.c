/*
 * vm/jit/x86/x86_translate_mem.c: the IA-32 backend's loads and stores
 * (i32 and i64, every address form of ops.h), each behind the exact
 * bounds check of docs/vm-compiler.md.
 */
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

/* Address forms: EAX = slot a, a + slot b, a + imm, or a constant. */
enum addr { A_SLOT, A_ADD, A_ADDI, A_ABS };
static void address(struct jit_buf *b, enum addr form, vm_cell a, vm_cell x)
{
	if (form == A_ABS) {
		x86_mov_ri(b, X86_EAX, (uint32_t)a);
		return;
	}
	load32(b, X86_EAX, a);
	if (form == A_ADD)
		x86_alu_rm(b, X86_ADD, X86_EAX, slot(x));
	else if (form == A_ADDI)
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

static void load(struct jit_fn *j, const struct load *l, enum addr form,
		 vm_cell dst, vm_cell a, vm_cell x, vm_cell off, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	address(b, form, a, x);
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

/* A store of n bytes of slot v (or of the constant k if !from_slot,
 * sign-extended to 64 bits). */
static void store(struct jit_fn *j, uint32_t n, enum addr form, vm_cell a,
		  vm_cell x, bool from_slot, vm_cell v, vm_cell off,
		  uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	address(b, form, a, x);
	check(j, off, n, cell);
	if (from_slot) {
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

static const uint8_t store_bytes[] = {4, 8, 1, 2, 1, 2, 4};

bool x86_memory(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
		uint32_t cell)
{
	if (o >= OP_i32_load && o <= OP_i64_load32_u) {
		load(j, &loads[o - OP_i32_load], A_SLOT, pc[1], pc[2], 0, pc[3],
		     cell);
	} else if (o >= OPLA_i32_load && o <= OPLAI_i32_load16_u) {
		bool imm = (o - OPLA_i32_load) & 1;
		load(j, &loads[(o - OPLA_i32_load) / 2], imm ? A_ADDI : A_ADD,
		     pc[1], pc[2], pc[3], pc[4], cell);
	} else if (o == OP_i32_load_abs || o == OP_i64_load_abs ||
		   o == OP_i32_load8_u_abs) {
		const struct load *l = o == OP_i32_load_abs   ? &loads[0]
				       : o == OP_i64_load_abs ? &loads[1]
							      : &loads[3];
		load(j, l, A_ABS, pc[1], pc[2], 0, 0, cell);
	} else if (o >= OP_i32_store && o <= OP_i64_store32) {
		store(j, store_bytes[o - OP_i32_store], A_SLOT, pc[1], 0, true,
		      pc[2], pc[3], cell);
	} else if (o >= OP_i32_store_k && o <= OP_i64_store_k) {
		static const uint8_t n[] = {4, 1, 2, 8};
		store(j, n[o - OP_i32_store_k], A_SLOT, pc[1], 0, false, pc[2],
		      pc[3], cell);
	} else if (o == OP_i32_store_abs || o == OP_i64_store_abs) {
		store(j, o == OP_i32_store_abs ? 4 : 8, A_ABS, pc[1], 0, true,
		      pc[2], 0, cell);
	} else if (o >= OP_i32_store_a && o <= OP_i32_store8_kai) {
		/* a b|imm val|k off: i32, i64, i32 8-bit; then the k forms */
		static const uint8_t n[] = {4, 4, 8, 8, 1, 1, 4, 4, 1, 1};
		uint32_t i = o - OP_i32_store_a;
		store(j, n[i], (i & 1) ? A_ADDI : A_ADD, pc[1], pc[2], i < 6,
		      pc[3], pc[4], cell);
	} else if (o == OP_i32_add_mem) {
		/* dst x a imm off: dst = x + the word at a + imm + off */
		address(&j->buf, A_ADDI, pc[3], pc[4]);
		check(j, pc[5], 4, cell);
		load32(&j->buf, X86_EDX, pc[2]);
		x86_alu_rm(&j->buf, X86_ADD, X86_EDX, at(pc[5], 0));
		store32(&j->buf, pc[1], X86_EDX);
	} else if (o == OP_f64_add_mem || o == OP_f64_mul_mem) {
		/* the same with the double there: dst = x op it (SSE2) */
		address(&j->buf, A_ADDI, pc[3], pc[4]);
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
