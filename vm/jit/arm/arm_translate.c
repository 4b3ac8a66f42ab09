/*
 * vm/jit/arm/arm_translate.c: the ARMv7-A backend's translation of the
 * internal ops (jit.h's jit_arch_*), the same ops as the IA-32
 * backend's (docs/vm-compiler.md): here the seam, the prologue and the
 * exit paths, branches (br_table as a jump table), memory.size/grow,
 * copies, constants, select and globals; arm_translate_alu.c the i32
 * arithmetic, arm_translate_i64.c the i64 ops, arm_translate_float.c the
 * f32/f64 ones, arm_translate_mem.c the loads and stores,
 * arm_translate_call.c the calls.
 *
 * Baseline code, no register cache yet: every op reads its operands
 * from the frame slots and writes its result back, so the slots always
 * hold what the interpreter would hold, wherever the code stops.
 * A32 only (no Thumb); registers in arm_translate.h.
 */
#include <stddef.h>

#include "../jit_ops.h"
#include "arm_translate.h"

void arm_slot(struct jit_buf *b, enum arm_cond cond, enum arm_ldst op,
	      enum arm_reg r, vm_cell i, unsigned half)
{
	/* the driver keeps 8 * frame_slots below 2^31 */
	uint32_t off = (uint32_t)i * 8 + half * 4;
	if (off <= 4095) {
		arm_ldst_imm(b, cond, op, r, FP, (int32_t)off, ARM_OFFSET);
		return;
	}
	arm_mov32(b, cond, TMP, off);
	arm_ldst_reg(b, cond, op, r, FP, false, TMP, ARM_LSL, 0, ARM_OFFSET);
}

void arm_op_imm(struct jit_buf *b, enum arm_dp_op op, enum arm_reg rd,
		enum arm_reg rn, uint32_t imm)
{
	/* the same result from the other op of a pair, when its operand
	 * encodes: add/sub and cmp/cmn by -imm, and/bic by ~imm */
	enum arm_dp_op alt = op;
	uint32_t alt_imm = 0u - imm;
	switch (op) {
	case ARM_ADD: alt = ARM_SUB; break;
	case ARM_SUB: alt = ARM_ADD; break;
	case ARM_CMP: alt = ARM_CMN; break;
	case ARM_AND:
		alt = ARM_BIC;
		alt_imm = ~imm;
		break;
	default: break;
	}
	if (arm_dp_ri(b, ARM_AL, op, false, rd, rn, imm))
		return;
	if (alt != op && arm_dp_ri(b, ARM_AL, alt, false, rd, rn, alt_imm))
		return;
	arm_mov32(b, ARM_AL, TMP, imm);
	arm_dp_rr(b, ARM_AL, op, false, rd, rn, TMP);
}

void arm_reload_memory(struct jit_buf *b)
{
	arm_ldst_imm(b, ARM_AL, ARM_LDR, MB, RUN, RUN_FIELD(mb), ARM_OFFSET);
	arm_ldst_imm(b, ARM_AL, ARM_LDR, MS, RUN, RUN_FIELD(ms), ARM_OFFSET);
}

static void epilogue(struct jit_buf *b)
{
	arm_pop(b, ARM_AL, ARM_SAVED | 1u << ARM_PC);
}

void jit_arch_prologue(struct jit_fn *j)
{
	struct jit_buf *b = &j->buf;
	arm_push(b, ARM_AL, ARM_SAVED | 1u << ARM_LR);
	/* AAPCS: fp in r0, run in r1 */
	arm_dp_rr(b, ARM_AL, ARM_MOV, false, FP, ARM_R0, ARM_R0);
	arm_dp_rr(b, ARM_AL, ARM_MOV, false, RUN, ARM_R0, ARM_R1);
	arm_reload_memory(b);
	arm_dp_ri(b, ARM_AL, ARM_MOV, false, ZERO, ARM_R0, 0);
}

void arm_trap_if(struct jit_fn *j, enum arm_cond cond, uint32_t cell,
		 enum vm_trap kind)
{
	size_t f = arm_b(&j->buf, cond, 0);
	jit_fix_add(j, f, cell, JIT_FIX_TRAP, (uint8_t)kind);
}

/* A jump to `target`'s code polling the interrupt flag first, as
 * exec.c's JUMP on a back-edge: set, the interpreter continues there. */
static void poll_jump(struct jit_fn *j, uint32_t target)
{
	struct jit_buf *b = &j->buf;
	arm_ldst_imm(b, ARM_AL, ARM_LDR, TMP, RUN, RUN_FIELD(intr), ARM_OFFSET);
	arm_ldst_imm(b, ARM_AL, ARM_LDR, TMP, TMP, 0, ARM_OFFSET);
	arm_dp_ri(b, ARM_AL, ARM_CMP, false, ARM_R0, TMP, 0);
	jit_fix_add(j, arm_b(b, ARM_NE, 0), target, JIT_FIX_INTERRUPT, 0);
	jit_fix_add(j, arm_b(b, ARM_AL, 0), target, JIT_FIX_CELL, 0);
}

static uint32_t target_of(const vm_cell *site, uint32_t site_cell)
{
	return (uint32_t)((intptr_t)site_cell + (intptr_t)*site);
}

void arm_branch(struct jit_fn *j, enum arm_cond cond, const vm_cell *site,
		uint32_t site_cell)
{
	struct jit_buf *b = &j->buf;
	uint32_t target = target_of(site, site_cell);
	if ((intptr_t)*site >= 0) {
		jit_fix_add(j, arm_b(b, cond, 0), target, JIT_FIX_CELL, 0);
		return;
	}
	size_t skip = 0;
	if (cond != ARM_AL) /* the conditions pair up: cond ^ 1 is "not" */
		skip = arm_b(b, (enum arm_cond)(cond ^ 1), 0);
	poll_jump(j, target);
	if (cond != ARM_AL && !arm_branch_patch(b, skip, jit_buf_offset(b)))
		j->bad = true;
}

/*
 * br_table a n rel0..rel_n: entry min(a, n) (unsigned), each entry's
 * offset relative to its own cell, as exec.c. A jump table: ADD PC
 * reads PC as its own address + 8, where the table of B instructions
 * starts after one filler word. A back-edge entry jumps to a stub after
 * the table that polls the interrupt flag.
 */
static void br_table(struct jit_fn *j, const vm_cell *pc, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	uint32_t n = (uint32_t)pc[2];
	load32(b, ARM_R0, pc[1]);
	arm_mov32(b, ARM_AL, ARM_R1, n);
	arm_dp_rr(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R0, ARM_R1);
	arm_dp_rr(b, ARM_HI, ARM_MOV, false, ARM_R0, ARM_R0, ARM_R1);
	arm_dp_rsi(b, ARM_AL, ARM_ADD, false, ARM_PC, ARM_PC, ARM_R0, ARM_LSL,
		   2);
	arm_udf(b, 0); /* never reached: PC + 8 skips it */
	size_t table = jit_buf_offset(b);
	for (uint32_t k = 0; k <= n; k++) {
		size_t f = arm_b(b, ARM_AL, 0);
		if ((intptr_t)pc[3 + k] >= 0)
			jit_fix_add(j, f, target_of(pc + 3 + k, cell + 3 + k),
				    JIT_FIX_CELL, 0);
	}
	for (uint32_t k = 0; k <= n && !b->full; k++) {
		if ((intptr_t)pc[3 + k] >= 0)
			continue;
		if (!arm_branch_patch(b, table + 4 * (size_t)k,
				      jit_buf_offset(b)))
			j->bad = true;
		poll_jump(j, target_of(pc + 3 + k, cell + 3 + k));
	}
}

void arm_call_c(struct jit_buf *b, uintptr_t fn)
{
	arm_mov32(b, ARM_AL, TMP, (uint32_t)fn);
	arm_blx(b, ARM_AL, TMP);
}

/* memory.size dst: the page count; memory.grow dst delta: jit.c's
 * vm_jit_memory_grow(run, delta) (the old size or -1), then the base and
 * size again. */
static void memory_op(struct jit_buf *b, enum vm_op o, const vm_cell *pc)
{
	if (o == OP_memory_size) {
		arm_ldst_imm(b, ARM_AL, ARM_LDR, ARM_R3, RUN, RUN_FIELD(mem),
			     ARM_OFFSET);
		arm_ldst_imm(b, ARM_AL, ARM_LDR, ARM_R0, ARM_R3,
			     (int32_t)offsetof(struct vm_memory, pages),
			     ARM_OFFSET);
		store32(b, pc[1], ARM_R0);
		return;
	}
	arm_dp_rr(b, ARM_AL, ARM_MOV, false, ARM_R0, ARM_R0, RUN);
	load32(b, ARM_R1, pc[2]);
	arm_call_c(b, (uintptr_t)&vm_jit_memory_grow);
	arm_reload_memory(b);
	store32(b, pc[1], ARM_R0);
}

/* global_get dst x: dst = globals[x]->v; global_set x a: the reverse.
 * All 64 bits, as exec.c copies the vm_value. */
static void global(struct jit_buf *b, enum vm_op o, const vm_cell *pc)
{
	vm_cell x = o == OP_global_get ? pc[2] : pc[1];
	vm_cell s = o == OP_global_get ? pc[1] : pc[2];
	uint32_t at = (uint32_t)x * (uint32_t)sizeof(struct vm_global *);
	int32_t v = (int32_t)offsetof(struct vm_global, v);
	arm_ldst_imm(b, ARM_AL, ARM_LDR, ARM_R3, RUN, RUN_FIELD(globals),
		     ARM_OFFSET);
	if (at <= 4095) {
		arm_ldst_imm(b, ARM_AL, ARM_LDR, ARM_R3, ARM_R3, (int32_t)at,
			     ARM_OFFSET);
	} else {
		arm_mov32(b, ARM_AL, TMP, at);
		arm_ldst_reg(b, ARM_AL, ARM_LDR, ARM_R3, ARM_R3, false, TMP,
			     ARM_LSL, 0, ARM_OFFSET);
	}
	enum arm_ldst to_slot = o == OP_global_get ? ARM_STR : ARM_LDR;
	enum arm_ldst to_global = o == OP_global_get ? ARM_LDR : ARM_STR;
	if (o == OP_global_set) {
		arm_slot(b, ARM_AL, to_slot, ARM_R0, s, 0);
		arm_slot(b, ARM_AL, to_slot, ARM_R1, s, 1);
	}
	arm_ldst_imm(b, ARM_AL, to_global, ARM_R0, ARM_R3, v, ARM_OFFSET);
	arm_ldst_imm(b, ARM_AL, to_global, ARM_R1, ARM_R3, v + 4, ARM_OFFSET);
	if (o == OP_global_get) {
		arm_slot(b, ARM_AL, to_slot, ARM_R0, s, 0);
		arm_slot(b, ARM_AL, to_slot, ARM_R1, s, 1);
	}
}

static void copy64(struct jit_buf *b, vm_cell dst, vm_cell src)
{
	arm_slot(b, ARM_AL, ARM_LDR, ARM_R0, src, 0);
	arm_slot(b, ARM_AL, ARM_LDR, ARM_R1, src, 1);
	arm_slot(b, ARM_AL, ARM_STR, ARM_R0, dst, 0);
	arm_slot(b, ARM_AL, ARM_STR, ARM_R1, dst, 1);
}

/* R0:R1 = a constant (high half 0) or a slot's 64 bits, when cond. */
static void value64(struct jit_buf *b, enum arm_cond cond, bool constant,
		    vm_cell x)
{
	if (constant) {
		arm_mov32(b, cond, ARM_R0, (uint32_t)x);
		arm_mov32(b, cond, ARM_R1, 0);
	} else {
		arm_slot(b, cond, ARM_LDR, ARM_R0, x, 0);
		arm_slot(b, cond, ARM_LDR, ARM_R1, x, 1);
	}
}

/* select dst a b c (and a or b a constant): dst = c ? a : b, 64 bits;
 * b is loaded, then a over it when c is not 0. */
static void select_op(struct jit_buf *b, const vm_cell *pc, enum vm_op o)
{
	load32(b, ARM_R2, pc[4]);
	value64(b, ARM_AL, o == OP_select_kb, pc[3]);
	arm_dp_ri(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R2, 0);
	value64(b, ARM_NE, o == OP_select_ka, pc[2]);
	arm_slot(b, ARM_AL, ARM_STR, ARM_R0, pc[1], 0);
	arm_slot(b, ARM_AL, ARM_STR, ARM_R1, pc[1], 1);
}

/* Flags of R0 & (slot x, or the immediate x). */
static void test_and(struct jit_buf *b, bool imm, vm_cell x)
{
	if (imm) {
		arm_op_imm(b, ARM_TST, ARM_R0, ARM_R0, (uint32_t)x);
		return;
	}
	load32(b, ARM_R1, x);
	arm_dp_rr(b, ARM_AL, ARM_TST, false, ARM_R0, ARM_R0, ARM_R1);
}

static void ret(struct jit_buf *b)
{
	arm_dp_ri(b, ARM_AL, ARM_MOV, false, ARM_R0, ARM_R0, JIT_DONE);
	epilogue(b);
}

static bool misc(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
		 uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	switch (o) {
	case OP_call:
	case OP_call_indirect: arm_call(j, o, pc); return true;
	case OP_memory_size:
	case OP_memory_grow: memory_op(b, o, pc); return true;
	case OP_br_table: br_table(j, pc, cell); return true;
	case OP_global_get:
	case OP_global_set: global(b, o, pc); return true;
	case OP_unreachable:
		arm_trap_if(j, ARM_AL, cell, VM_TRAP_UNREACHABLE);
		return true;
	case OP_br: arm_branch(j, ARM_AL, pc + 1, cell + 1); return true;
	case OP_br_if:
	case OP_br_unless:
	case OP_brz_i32:
		load32(b, ARM_R0, pc[1]);
		arm_dp_ri(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_R0, 0);
		arm_branch(j, o == OP_br_if ? ARM_NE : ARM_EQ, pc + 2,
			   cell + 2);
		return true;
	case OP_brz_i64:
		load32(b, ARM_R0, pc[1]);
		arm_slot(b, ARM_AL, ARM_LDR, ARM_R1, pc[1], 1);
		arm_dp_rr(b, ARM_AL, ARM_ORR, true, ARM_R0, ARM_R0, ARM_R1);
		arm_branch(j, ARM_EQ, pc + 2, cell + 2);
		return true;
	case OP_br_and:
	case OP_brz_and:
	case OP_br_and_i:
	case OP_brz_and_i:
		load32(b, ARM_R0, pc[1]);
		test_and(b, o == OP_br_and_i || o == OP_brz_and_i, pc[2]);
		arm_branch(j,
			   o == OP_br_and || o == OP_br_and_i ? ARM_NE : ARM_EQ,
			   pc + 3, cell + 3);
		return true;
	case OP_i32_andz:
	case OP_i32_andz_i:
		load32(b, ARM_R0, pc[2]);
		test_and(b, o == OP_i32_andz_i, pc[3]);
		arm_set_flag(b, ARM_EQ, pc[1]);
		return true;
	case OP_ret_copy:
		copy64(b, 0, pc[1]);
		ret(b);
		return true;
	case OP_ret:
	case OP_end: ret(b); return true;
	case OP_copy4:
		copy64(b, pc[1], pc[2]);
		pc += 2;
		/* fall through */
	case OP_copy3:
		copy64(b, pc[1], pc[2]);
		pc += 2;
		/* fall through */
	case OP_copy2:
		copy64(b, pc[1], pc[2]);
		pc += 2;
		/* fall through */
	case OP_copy: copy64(b, pc[1], pc[2]); return true;
	case OP_const32:
	case OP_const64:
		arm_mov32(b, ARM_AL, ARM_R0, (uint32_t)pc[2]);
		arm_mov32(b, ARM_AL, ARM_R1,
			  o == OP_const64 ? (uint32_t)pc[3] : 0);
		arm_slot(b, ARM_AL, ARM_STR, ARM_R0, pc[1], 0);
		arm_slot(b, ARM_AL, ARM_STR, ARM_R1, pc[1], 1);
		return true;
	case OP_select:
	case OP_select_ka:
	case OP_select_kb: select_op(b, pc, o); return true;
	case OP_i32_muladd:
	case OP_i32_muladd_i:
		load32(b, ARM_R0, pc[2]);
		if (o == OP_i32_muladd_i)
			arm_mov32(b, ARM_AL, ARM_R1, (uint32_t)pc[3]);
		else
			load32(b, ARM_R1, pc[3]);
		load32(b, ARM_R2, pc[4]);
		arm_mla(b, ARM_AL, false, ARM_R0, ARM_R0, ARM_R1, ARM_R2);
		store32(b, pc[1], ARM_R0);
		return true;
	case OP_i32_shl_kl:
	case OP_i32_rotl_kl: /* dst b k: dst = k op b, the count masked */
		load32(b, ARM_R1, pc[2]);
		if (o == OP_i32_rotl_kl) /* rotl n is ror -n */
			arm_dp_ri(b, ARM_AL, ARM_RSB, false, ARM_R1, ARM_R1, 0);
		arm_dp_ri(b, ARM_AL, ARM_AND, false, ARM_R1, ARM_R1, 31);
		arm_mov32(b, ARM_AL, ARM_R0, (uint32_t)pc[3]);
		arm_dp_rsr(b, ARM_AL, ARM_MOV, false, ARM_R0, ARM_R0, ARM_R0,
			   o == OP_i32_shl_kl ? ARM_LSL : ARM_ROR, ARM_R1);
		store32(b, pc[1], ARM_R0);
		return true;
	default: return arm_memory(j, o, pc, cell);
	}
}

/* ---- the seam (jit.h) ---- */

bool jit_arch_supports(enum vm_op o)
{
	struct jit_mem m;
	if (arm_alu_supports(o) || arm_i64_supports(o) ||
	    arm_float_supports(o) || arm_bulk_supports(o) ||
	    jit_mem_decode(o, NULL, &m))
		return true;
	switch (o) {
	case OP_unreachable ... OP_br_unless:
	case OP_brz_i32:
	case OP_brz_i64:
	case OP_ret:
	case OP_end:
	case OP_ret_copy:
	case OP_copy ... OP_select:
	case OP_br_and ... OP_select_kb:
	case OP_i32_muladd:
	case OP_i32_muladd_i:
	case OP_call:
	case OP_call_indirect:
	case OP_memory_size:
	case OP_memory_grow:
	case OP_f64_add_mem:
	case OP_f64_mul_mem:
	case OP_global_get:
	case OP_global_set:
	case OP_br_table: return true;
	default: return false;
	}
}

bool jit_arch_op(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
		 uint32_t cell)
{
	if (arm_alu(j, o, pc, cell))
		return true;
	if (arm_i64_supports(o))
		return arm_i64(j, o, pc, cell);
	if (arm_float_supports(o))
		return arm_float(j, o, pc, cell);
	if (arm_bulk_supports(o))
		return arm_bulk(j, o, pc);
	return jit_arch_supports(o) && misc(j, o, pc, cell);
}

/*
 * The exit paths: R1 = the cell reported, R2 = the trap, R0 = the
 * status, then one shared tail stores them (and fp) in the run and
 * returns. Fixups of one op with the same exit share one path (they
 * come in order).
 */
void jit_arch_finish(struct jit_fn *j)
{
	struct jit_buf *b = &j->buf;
	const struct jit_fix *last = NULL;
	size_t last_at = 0, tail = ARM_NO_BRANCH;
	for (uint32_t i = 0; i < j->nfix; i++) {
		const struct jit_fix *x = &j->fix[i];
		if (x->kind == JIT_FIX_CELL)
			continue;
		if (!last || last->kind != x->kind || last->cell != x->cell ||
		    last->trap != x->trap) {
			last = x;
			last_at = jit_buf_offset(b);
			arm_mov32(b, ARM_AL, ARM_R1, x->cell);
			arm_dp_ri(b, ARM_AL, ARM_MOV, false, ARM_R2, ARM_R0,
				  x->trap);
			arm_dp_ri(b, ARM_AL, ARM_MOV, false, ARM_R0, ARM_R0,
				  x->kind == JIT_FIX_TRAP ? JIT_TRAP
							  : JIT_INTERRUPT);
			if (tail == ARM_NO_BRANCH) {
				tail = jit_buf_offset(b);
				arm_ldst_imm(b, ARM_AL, ARM_STR, FP, RUN,
					     RUN_FIELD(fp), ARM_OFFSET);
				arm_ldst_imm(b, ARM_AL, ARM_STR, ARM_R1, RUN,
					     RUN_FIELD(cell), ARM_OFFSET);
				arm_ldst_imm(b, ARM_AL, ARM_STR, ARM_R2, RUN,
					     RUN_FIELD(trap), ARM_OFFSET);
				epilogue(b);
			} else {
				arm_b(b, ARM_AL,
				      (int32_t)tail -
					      (int32_t)jit_buf_offset(b));
			}
		}
		jit_arch_patch(j, x->field, last_at);
	}
}

void jit_arch_patch(struct jit_fn *j, size_t field, size_t target)
{
	if (!arm_branch_patch(&j->buf, field, target))
		j->bad = true;
}
