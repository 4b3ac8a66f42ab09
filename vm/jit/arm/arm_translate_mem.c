/*
 * vm/jit/arm/arm_translate_mem.c: the ARMv7-A backend's loads and
 * stores (i32 and i64, every address form of ops.h), each behind the
 * exact bounds check of docs/vm-compiler.md. Accesses may be unaligned,
 * as wasm's: only LDR/STR and the byte and halfword forms are used
 * (ARMv7 does those unaligned; LDRD/STRD and LDM would fault).
 */
#include "../jit_ops.h"
#include "arm_translate.h"

/*
 * The exact bounds check of an access of n bytes at R0 + off: traps
 * unless R0 + off + n <= size without wrapping, which is exec.c's EA on
 * 32-bit hosts:
 *   adds r2, r0, #(off + n); bcs trap; cmp r2, MS; bhi trap
 * then R3 = base + r2, the access's end, so the access is at R3 - n.
 * False (with an unconditional trap written) when off + n does not fit
 * in 32 bits: no 32-bit memory holds that address. A failing check
 * reports the op's cell; the interpreter retries it if a shared memory
 * has grown since.
 */
static bool check(struct jit_fn *j, vm_cell off, uint32_t n, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	uint64_t k = (uint64_t)(uint32_t)off + n;
	if (k > UINT32_MAX) {
		arm_trap_if(j, ARM_AL, cell, VM_TRAP_MEM_OOB);
		return false;
	}
	if (!arm_dp_ri(b, ARM_AL, ARM_ADD, true, ARM_R2, ARM_R0, (uint32_t)k)) {
		arm_mov32(b, ARM_AL, ARM_R2, (uint32_t)k);
		arm_dp_rr(b, ARM_AL, ARM_ADD, true, ARM_R2, ARM_R0, ARM_R2);
	}
	arm_trap_if(j, ARM_CS, cell, VM_TRAP_MEM_OOB); /* carry: it wrapped */
	arm_dp_rr(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R2, MS);
	arm_trap_if(j, ARM_HI, cell, VM_TRAP_MEM_OOB);
	arm_dp_rr(b, ARM_AL, ARM_ADD, false, ARM_R3, MB, ARM_R2);
	return true;
}

/* R0 = the address before the offset: slot a, a + slot x, a + imm x,
 * or the constant a. */
static void address(struct jit_buf *b, const struct jit_mem *m)
{
	if (m->addr == JIT_A_ABS) {
		arm_mov32(b, ARM_AL, ARM_R0, (uint32_t)m->a);
		return;
	}
	load32(b, ARM_R0, m->a);
	if (m->addr == JIT_A_ADD) {
		load32(b, ARM_R1, m->x);
		arm_dp_rr(b, ARM_AL, ARM_ADD, false, ARM_R0, ARM_R0, ARM_R1);
	} else if (m->addr == JIT_A_ADDI) {
		arm_op_imm(b, ARM_ADD, ARM_R0, ARM_R0, (uint32_t)m->x);
	}
}

/* The transfers by width: LDR/STR and LDRB/STRB take a 12-bit offset,
 * the halfword and signed forms an 8-bit one (both ample for -8..-1). */
enum width { W_WORD, W_BYTE, W_SBYTE, W_HALF, W_SHALF };
static const struct {
	bool misc; /* arm_ldst_misc_imm, else arm_ldst_imm */
	uint8_t load, store;
} widths[] = {
	[W_WORD] = {false, ARM_LDR, ARM_STR},
	[W_BYTE] = {false, ARM_LDRB, ARM_STRB},
	[W_SBYTE] = {true, ARM_LDRSB, ARM_STRH /* no store */},
	[W_HALF] = {true, ARM_LDRH, ARM_STRH},
	[W_SHALF] = {true, ARM_LDRSH, ARM_STRH /* no store */},
};

/* Load or store r at R3 - back (the check left the access's end in R3). */
static void access(struct jit_buf *b, bool is_load, enum width w,
		   enum arm_reg r, int32_t back)
{
	uint8_t op = is_load ? widths[w].load : widths[w].store;
	if (widths[w].misc)
		arm_ldst_misc_imm(b, ARM_AL, (enum arm_ldst_misc)op, r, ARM_R3,
				  -back, ARM_OFFSET);
	else
		arm_ldst_imm(b, ARM_AL, (enum arm_ldst)op, r, ARM_R3, -back,
			     ARM_OFFSET);
}

/* Loads in the order of ops.h's OP_i32_load..OP_i64_load32_u: bytes,
 * width, whether the result is an i64 whose high half is the sign. */
static const struct load {
	uint8_t n, w;
	bool sign64;
} loads[] = {
	{4, W_WORD, false}, {8, W_WORD, false},	 {1, W_SBYTE, false},
	{1, W_BYTE, false}, {2, W_SHALF, false}, {2, W_HALF, false},
	{1, W_SBYTE, true}, {1, W_BYTE, false},	 {2, W_SHALF, true},
	{2, W_HALF, false}, {4, W_WORD, true},	 {4, W_WORD, false},
};

static void load(struct jit_buf *b, const struct jit_mem *m)
{
	const struct load *l = &loads[m->load];
	if (m->add_mem) { /* dst = v + the word */
		access(b, true, W_WORD, ARM_R1, 4);
		load32(b, ARM_R0, m->v);
		arm_dp_rr(b, ARM_AL, ARM_ADD, false, ARM_R0, ARM_R0, ARM_R1);
		store32(b, m->dst, ARM_R0);
		return;
	}
	if (l->n == 8) {
		access(b, true, W_WORD, ARM_R0, 8);
		access(b, true, W_WORD, ARM_R1, 4);
	} else {
		access(b, true, (enum width)l->w, ARM_R0, l->n);
		if (!l->sign64) {
			store32(b, m->dst, ARM_R0);
			return;
		}
		arm_dp_rsi(b, ARM_AL, ARM_MOV, false, ARM_R1, ARM_R0, ARM_R0,
			   ARM_ASR, 32);
	}
	arm_slot(b, ARM_AL, ARM_STR, ARM_R0, m->dst, 0);
	arm_slot(b, ARM_AL, ARM_STR, ARM_R1, m->dst, 1);
}

/* A store of n bytes of slot v, or of the constant v sign-extended. */
static void store(struct jit_buf *b, const struct jit_mem *m)
{
	if (m->from_slot) {
		load32(b, ARM_R0, m->v);
		if (m->n == 8)
			arm_slot(b, ARM_AL, ARM_LDR, ARM_R1, m->v, 1);
	} else {
		arm_mov32(b, ARM_AL, ARM_R0, (uint32_t)m->v);
		arm_mov32(b, ARM_AL, ARM_R1,
			  (int32_t)m->v < 0 ? UINT32_MAX : 0);
	}
	switch (m->n) {
	case 1: access(b, false, W_BYTE, ARM_R0, 1); break;
	case 2: access(b, false, W_HALF, ARM_R0, 2); break;
	case 4: access(b, false, W_WORD, ARM_R0, 4); break;
	default:
		access(b, false, W_WORD, ARM_R0, 8);
		access(b, false, W_WORD, ARM_R1, 4);
		break;
	}
}

bool arm_memory(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
		uint32_t cell)
{
	struct jit_mem m;
	if (o == OP_f64_add_mem || o == OP_f64_mul_mem) {
		/* dst x a imm off: dst = x op the double at a + imm + off,
		 * loaded by words (VLDR would fault unaligned) */
		m = (struct jit_mem){0,	    8,	   JIT_A_ADDI, true,  false,
				     pc[1], pc[3], pc[4],      pc[2], pc[5]};
		address(&j->buf, &m);
		if (!check(j, m.off, 8, cell))
			return true;
		access(&j->buf, true, W_WORD, ARM_R0, 8);
		access(&j->buf, true, W_WORD, ARM_R1, 4);
		arm_f64_op_loaded(&j->buf, o, pc);
		return true;
	}
	if (!jit_mem_decode(o, pc, &m))
		return false;
	bool is_load = m.load != JIT_MEM_STORE;
	address(&j->buf, &m);
	if (!check(j, m.off, is_load ? loads[m.load].n : m.n, cell))
		return true; /* always out of bounds: the trap is all */
	if (is_load)
		load(&j->buf, &m);
	else
		store(&j->buf, &m);
	return true;
}
