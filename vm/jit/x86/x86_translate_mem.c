/*
 * vm/jit/x86/x86_translate_mem.c: the IA-32 backend's loads and stores
 * (i32 and i64, every address form of ops.h), each behind the exact
 * bounds check of docs/vm-compiler.md. Through the register cache
 * (x86_translate_regs.c): the address, the stored value and the loaded result
 * stay in registers for the next ops; linear memory holds no slot, so a
 * store leaves the cache as it is.
 */
#include "../jit_ops.h"
#include "x86_translate.h"

/* ---- memory ---- */

/*
 * The exact bounds check (docs/vm-compiler.md) of an access of n bytes
 * at address register a + off: traps unless a + off + n <= size without
 * wrapping, which is exec.c's EA on 32-bit hosts. Uses a temporary
 * register, free again afterwards. A failing check reports the op's
 * cell; the interpreter retries it if a shared memory has grown since.
 */
static void check(struct jit_fn *j, enum x86_reg a, vm_cell off, uint32_t n,
		  uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	uint64_t k = (uint64_t)(uint32_t)off + n;
	if (k > UINT32_MAX) { /* beyond any 32-bit memory */
		x86_trap_if(j, ALWAYS, cell, VM_TRAP_MEM_OOB);
		return;
	}
	enum x86_reg t = x86_temp(j);
	x86_mov_rr(b, t, a);
	x86_alu_ri(b, X86_ADD, t, (int32_t)(uint32_t)k);
	x86_trap_if(j, X86_B, cell, VM_TRAP_MEM_OOB); /* carry: it wrapped */
	x86_alu_rm(b, X86_CMP, t, run_field(offsetof(struct vm_jit_run, ms)));
	x86_trap_if(j, X86_A, cell, VM_TRAP_MEM_OOB);
	x86_release(j, t);
}

static struct x86_mem at(enum x86_reg a, vm_cell off, int32_t plus)
{
	return x86_mem_index(MB, a, 1, (int32_t)((uint32_t)off + plus));
}

/* A register holding the address of form `form` (jit_ops.h's enum
 * jit_addr), pinned for the op. */
static enum x86_reg address(struct jit_fn *j, uint8_t form, vm_cell a,
			    vm_cell x)
{
	if (form == JIT_A_ABS) {
		enum x86_reg r = x86_temp(j);
		x86_mov_ri(&j->buf, r, (uint32_t)a);
		return r;
	}
	if (form == JIT_A_SLOT)
		return x86_use(j, a);
	enum x86_reg r = x86_value(j, a);
	if (form == JIT_A_ADD)
		x86_alu_slot(j, X86_ADD, r, x);
	else
		x86_alu_ri(&j->buf, X86_ADD, r, (int32_t)x);
	return r;
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
	enum x86_reg a = address(j, m->addr, m->a, m->x);
	check(j, a, off, l->n, cell);
	enum x86_reg d = x86_temp(j);
	if (l->ext)
		x86_movx_rm(b, (enum x86_ext)l->ext, d, at(a, off, 0));
	else
		x86_mov_rm(b, d, at(a, off, 0));
	if (l->n != 8 && !l->sign) {
		x86_result32(j, dst, d);
		return;
	}
	enum x86_reg hi = x86_temp(j);
	if (l->n == 8) {
		x86_mov_rm(b, hi, at(a, off, 4));
	} else {
		x86_mov_rr(b, hi, d);
		x86_shift_ri(b, X86_SAR, hi, 31);
	}
	x86_mov_mr(b, slot(dst), d);
	x86_mov_mr(b, slot_hi(dst), hi);
	jit_rc_bind(&j->rc, (unsigned)d, dst);
}

/* The value's low half to store: its register, or *k if it is a
 * constant (then returns -1). */
static int store_value(struct jit_fn *j, const struct jit_mem *m, uint32_t *k)
{
	if (!m->from_slot) {
		*k = (uint32_t)m->v;
		return -1;
	}
	if (jit_rc_const(&j->rc, m->v, k))
		return -1;
	return (int)x86_use(j, m->v);
}

/* A store of m->n bytes of slot v (or of the constant v if !from_slot,
 * sign-extended to 64 bits). */
static void store(struct jit_fn *j, const struct jit_mem *m, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	uint32_t n = m->n, k = 0;
	vm_cell off = m->off;
	enum x86_reg a = address(j, m->addr, m->a, m->x);
	check(j, a, off, n, cell);
	int v = store_value(j, m, &k);
	struct x86_mem to = at(a, off, 0);
	switch (n) {
	case 1:
		if (v < 0)
			x86_movb_mi(b, to, (uint8_t)k);
		else
			x86_movb_mr(b, to, (enum x86_reg)v);
		return;
	case 2:
		if (v < 0)
			x86_movw_mi(b, to, (uint16_t)k);
		else
			x86_movw_mr(b, to, (enum x86_reg)v);
		return;
	default:
		if (v < 0)
			x86_mov_mi(b, to, k);
		else
			x86_mov_mr(b, to, (enum x86_reg)v);
		break;
	}
	if (n != 8)
		return;
	/* the high half: the constant's sign (a known slot constant's is
	 * 0), or the slot's */
	if (!m->from_slot) {
		x86_mov_mi(b, at(a, off, 4), (int32_t)k < 0 ? UINT32_MAX : 0);
	} else if (v < 0) {
		x86_mov_mi(b, at(a, off, 4), 0);
	} else {
		enum x86_reg hi = x86_temp(j);
		x86_mov_rm(b, hi, slot_hi(m->v));
		x86_mov_mr(b, at(a, off, 4), hi);
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
		enum x86_reg a = address(j, m.addr, m.a, m.x);
		check(j, a, m.off, 4, cell);
		enum x86_reg d = x86_value(j, m.v);
		x86_alu_rm(&j->buf, X86_ADD, d, at(a, m.off, 0));
		x86_result32(j, m.dst, d);
	} else if (o == OP_f64_add_mem || o == OP_f64_mul_mem) {
		/* the same with the double there: dst = x op it (SSE2) */
		enum x86_reg a = address(j, JIT_A_ADDI, pc[3], pc[4]);
		check(j, a, pc[5], 8, cell);
		x86_sse_xm(&j->buf, X86_MOVSD, X86_XMM0, slot(pc[2]));
		x86_sse_xm(&j->buf, o == OP_f64_add_mem ? X86_ADDSD : X86_MULSD,
			   X86_XMM0, at(a, pc[5], 0));
		x86_sse_mx(&j->buf, X86_MOVSD, slot(pc[1]), X86_XMM0);
		jit_rc_forget(&j->rc, pc[1]);
	} else {
		return false;
	}
	return true;
}
