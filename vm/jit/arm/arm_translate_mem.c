/*
 * vm/jit/arm/arm_translate_mem.c: the ARMv7-A backend's loads and
 * stores (i32 and i64, every address form of ops.h), each behind the
 * exact bounds check of docs/vm-compiler.md. Accesses may be unaligned,
 * as wasm's: only LDR/STR and the byte and halfword forms are used
 * (ARMv7 does those unaligned; LDRD/STRD and LDM would fault).
 */
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

/* Address forms: R0 = slot a, a + slot b, a + imm, or a constant. */
enum addr { A_SLOT, A_ADD, A_ADDI, A_ABS };
static void address(struct jit_buf *b, enum addr form, vm_cell a, vm_cell x)
{
	if (form == A_ABS) {
		arm_mov32(b, ARM_AL, ARM_R0, (uint32_t)a);
		return;
	}
	load32(b, ARM_R0, a);
	if (form == A_ADD) {
		load32(b, ARM_R1, x);
		arm_dp_rr(b, ARM_AL, ARM_ADD, false, ARM_R0, ARM_R0, ARM_R1);
	} else if (form == A_ADDI) {
		arm_op_imm(b, ARM_ADD, ARM_R0, ARM_R0, (uint32_t)x);
	}
}

/* Transfer r at R3 - back by an access of `size` (1, 2, 4; signed for
 * the sign-extending loads). */
enum width { W_WORD, W_BYTE, W_SBYTE, W_HALF, W_SHALF };
static void access(struct jit_buf *b, bool is_load, enum width w,
		   enum arm_reg r, int32_t back)
{
	switch (w) {
	case W_WORD:
		arm_ldst_imm(b, ARM_AL, is_load ? ARM_LDR : ARM_STR, r, ARM_R3,
			     -back, ARM_OFFSET);
		return;
	case W_BYTE:
		arm_ldst_imm(b, ARM_AL, is_load ? ARM_LDRB : ARM_STRB, r,
			     ARM_R3, -back, ARM_OFFSET);
		return;
	case W_SBYTE:
		arm_ldst_misc_imm(b, ARM_AL, ARM_LDRSB, r, ARM_R3, -back,
				  ARM_OFFSET);
		return;
	case W_HALF:
		arm_ldst_misc_imm(b, ARM_AL, is_load ? ARM_LDRH : ARM_STRH, r,
				  ARM_R3, -back, ARM_OFFSET);
		return;
	case W_SHALF:
		arm_ldst_misc_imm(b, ARM_AL, ARM_LDRSH, r, ARM_R3, -back,
				  ARM_OFFSET);
		return;
	}
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

static void load(struct jit_fn *j, const struct load *l, enum addr form,
		 vm_cell dst, vm_cell a, vm_cell x, vm_cell off, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	address(b, form, a, x);
	if (!check(j, off, l->n, cell))
		return;
	if (l->n == 8) {
		access(b, true, W_WORD, ARM_R0, 8);
		access(b, true, W_WORD, ARM_R1, 4);
	} else {
		access(b, true, (enum width)l->w, ARM_R0, l->n);
		if (!l->sign64) {
			store32(b, dst, ARM_R0);
			return;
		}
		arm_dp_rsi(b, ARM_AL, ARM_MOV, false, ARM_R1, ARM_R0, ARM_R0,
			   ARM_ASR, 32);
	}
	arm_slot(b, ARM_AL, ARM_STR, ARM_R0, dst, 0);
	arm_slot(b, ARM_AL, ARM_STR, ARM_R1, dst, 1);
}

/* A store of n bytes of slot v (or of the constant k if !from_slot,
 * sign-extended to 64 bits). */
static void store(struct jit_fn *j, uint32_t n, enum addr form, vm_cell a,
		  vm_cell x, bool from_slot, vm_cell v, vm_cell off,
		  uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	address(b, form, a, x);
	if (!check(j, off, n, cell))
		return;
	if (from_slot) {
		load32(b, ARM_R0, v);
		if (n == 8)
			arm_slot(b, ARM_AL, ARM_LDR, ARM_R1, v, 1);
	} else {
		arm_mov32(b, ARM_AL, ARM_R0, (uint32_t)v);
		arm_mov32(b, ARM_AL, ARM_R1, (int32_t)v < 0 ? UINT32_MAX : 0);
	}
	switch (n) {
	case 1: access(b, false, W_BYTE, ARM_R0, 1); break;
	case 2: access(b, false, W_HALF, ARM_R0, 2); break;
	case 4: access(b, false, W_WORD, ARM_R0, 4); break;
	default:
		access(b, false, W_WORD, ARM_R0, 8);
		access(b, false, W_WORD, ARM_R1, 4);
		break;
	}
}

static const uint8_t store_bytes[] = {4, 8, 1, 2, 1, 2, 4};

bool arm_memory(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
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
		if (check(j, pc[5], 4, cell)) {
			access(&j->buf, true, W_WORD, ARM_R1, 4);
			load32(&j->buf, ARM_R0, pc[2]);
			arm_dp_rr(&j->buf, ARM_AL, ARM_ADD, false, ARM_R0,
				  ARM_R0, ARM_R1);
			store32(&j->buf, pc[1], ARM_R0);
		}
	} else {
		return false;
	}
	return true;
}
