/*
 * vm/jit/x86/x86_translate.c: the IA-32 backend's translation of the
 * internal ops (jit.h's jit_arch_*), first subset: i32 arithmetic,
 * compares and bit ops, copies and constants, branches, returns, and
 * i32 (and plain i64) loads and stores.
 *
 * Every op writes its result to its frame slot (write-through), so the
 * slots always hold what the interpreter would hold, wherever the code
 * stops. Within a basic block the i32 ops, branches, copies, constants
 * and loads and stores read their operands through the register cache
 * (x86_translate_regs.c): a slot already in a register is not loaded again, a
 * known constant becomes an immediate. The other ops (calls, helpers,
 * i64 and float, division, select, ...) read the slots and use fixed
 * registers; the cache is emptied after them and at every join.
 * Registers: ESI the frame (fp), EDI linear memory's base, EBP the
 * struct vm_jit_run; EAX, ECX, EDX, EBX scratch and cache. An i32 result
 * stores its 32 bits and a 0 high half, as exec.c's SET_u32.
 */
#include <stddef.h>

#include "../jit_ops.h"
#include "x86_translate.h"

static void copy64(struct jit_buf *b, vm_cell dst, vm_cell src)
{
	x86_mov_rm(b, X86_EAX, slot(src));
	x86_mov_rm(b, X86_EDX, slot_hi(src));
	x86_mov_mr(b, slot(dst), X86_EAX);
	x86_mov_mr(b, slot_hi(dst), X86_EDX);
}

void x86_epilogue(struct jit_buf *b)
{
	x86_pop_r(b, X86_EDI);
	x86_pop_r(b, X86_ESI);
	x86_pop_r(b, X86_EBX);
	x86_pop_r(b, X86_EBP);
	x86_ret(b);
}

void jit_arch_prologue(struct jit_fn *j)
{
	struct jit_buf *b = &j->buf;
	x86_push_r(b, X86_EBP);
	x86_push_r(b, X86_EBX);
	x86_push_r(b, X86_ESI);
	x86_push_r(b, X86_EDI);
	/* cdecl: fp and run above the return address and four saves */
	x86_mov_rm(b, FP, x86_mem(X86_ESP, 20));
	x86_mov_rm(b, RUN, x86_mem(X86_ESP, 24));
	x86_mov_rm(b, MB, run_field(offsetof(struct vm_jit_run, mb)));
	jit_rc_init(&j->rc, X86_CACHE_REGS, j->joins, j->code->ncells);
}

void x86_trap_if(struct jit_fn *j, int cc, uint32_t cell, enum vm_trap kind)
{
	size_t f = cc == ALWAYS ? x86_jmp_rel32(&j->buf, 0)
				: x86_jcc_rel32(&j->buf, (enum x86_cond)cc, 0);
	jit_fix_add(j, f, cell, JIT_FIX_TRAP, (uint8_t)kind);
}

/*
 * Take the branch whose offset is in cells[site] when cc holds (flags
 * already set). A back-edge polls the interrupt flag first, as exec.c's
 * JUMP: set, the interpreter continues at the target.
 */
void x86_branch(struct jit_fn *j, int cc, const vm_cell *site,
		uint32_t site_cell)
{
	struct jit_buf *b = &j->buf;
	intptr_t rel = (intptr_t)*site;
	uint32_t target = (uint32_t)((intptr_t)site_cell + rel);
	/* the target starts with an empty cache only if it is a known join
	 * (jit_rc_mark_joins missed a branch op: do not compile) */
	if (!jit_rc_is_join(&j->rc, target))
		j->bad = true;
	if (rel >= 0) {
		size_t f = cc == ALWAYS
				   ? x86_jmp_rel32(b, 0)
				   : x86_jcc_rel32(b, (enum x86_cond)cc, 0);
		jit_fix_add(j, f, target, JIT_FIX_CELL, 0);
		return;
	}
	size_t skip = 0;
	if (cc != ALWAYS)
		skip = x86_jcc_rel8(b, x86_cond_invert((enum x86_cond)cc), 0);
	x86_mov_rm(b, X86_ECX, run_field(offsetof(struct vm_jit_run, intr)));
	x86_clobbered(j, X86_ECX);
	x86_alu_mi(b, X86_CMP, x86_mem(X86_ECX, 0), 0);
	jit_fix_add(j, x86_jcc_rel32(b, X86_NE, 0), target, JIT_FIX_INTERRUPT,
		    0);
	jit_fix_add(j, x86_jmp_rel32(b, 0), target, JIT_FIX_CELL, 0);
	if (cc != ALWAYS && !x86_patch_rel8(b, skip, jit_buf_offset(b)))
		j->bad = true;
}

/* ---- i32 arithmetic ---- */

enum kind { K_ALU, K_MUL, K_SHIFT, K_DIV };
struct binop {
	uint8_t kind, op; /* op: enum x86_alu or x86_shift; K_DIV: below */
};
enum { D_DIV_S, D_DIV_U, D_REM_S, D_REM_U };

static bool binop_of(enum vm_op o, struct binop *r)
{
	static const struct binop tab[] = {
		[OP_i32_add - OP_i32_add] = {K_ALU, X86_ADD},
		[OP_i32_sub - OP_i32_add] = {K_ALU, X86_SUB},
		[OP_i32_mul - OP_i32_add] = {K_MUL, 0},
		[OP_i32_div_s - OP_i32_add] = {K_DIV, D_DIV_S},
		[OP_i32_div_u - OP_i32_add] = {K_DIV, D_DIV_U},
		[OP_i32_rem_s - OP_i32_add] = {K_DIV, D_REM_S},
		[OP_i32_rem_u - OP_i32_add] = {K_DIV, D_REM_U},
		[OP_i32_and - OP_i32_add] = {K_ALU, X86_AND},
		[OP_i32_or - OP_i32_add] = {K_ALU, X86_OR},
		[OP_i32_xor - OP_i32_add] = {K_ALU, X86_XOR},
		[OP_i32_shl - OP_i32_add] = {K_SHIFT, X86_SHL},
		[OP_i32_shr_s - OP_i32_add] = {K_SHIFT, X86_SAR},
		[OP_i32_shr_u - OP_i32_add] = {K_SHIFT, X86_SHR},
		[OP_i32_rotl - OP_i32_add] = {K_SHIFT, X86_ROL},
		[OP_i32_rotr - OP_i32_add] = {K_SHIFT, X86_ROR},
	};
	if (o < OP_i32_add || o > OP_i32_rotr)
		return false;
	*r = tab[o - OP_i32_add];
	return true;
}

/* Division and remainder: EAX = a, ECX = b; result stored to dst. */
static void divide(struct jit_fn *j, uint8_t how, vm_cell dst, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	x86_test_rr(b, X86_ECX, X86_ECX);
	x86_trap_if(j, X86_E, cell, VM_TRAP_DIV_ZERO);
	size_t over = 0, done = 0;
	bool sign = how == D_DIV_S || how == D_REM_S;
	if (sign) {
		/* b == -1: INT_MIN / -1 overflows (a trap); x % -1 is 0 */
		x86_alu_ri(b, X86_CMP, X86_ECX, -1);
		over = x86_jcc_rel8(b, X86_NE, 0);
		if (how == D_DIV_S) {
			x86_alu_ri(b, X86_CMP, X86_EAX, INT32_MIN);
			x86_trap_if(j, X86_E, cell, VM_TRAP_INT_OVERFLOW);
		} else {
			x86_alu_rr(b, X86_XOR, X86_EDX, X86_EDX);
			done = x86_jmp_rel8(b, 0);
		}
		if (!x86_patch_rel8(b, over, jit_buf_offset(b)))
			j->bad = true;
		x86_cdq(b);
		x86_unary_r(b, X86_IDIV, X86_ECX);
	} else {
		x86_alu_rr(b, X86_XOR, X86_EDX, X86_EDX);
		x86_unary_r(b, X86_DIV, X86_ECX);
	}
	if (done && !x86_patch_rel8(b, done, jit_buf_offset(b)))
		j->bad = true;
	bool rem = how == D_REM_S || how == D_REM_U;
	store32(b, dst, rem ? X86_EDX : X86_EAX);
}

/* Whether binary op bo (imm: its immediate form) goes through the
 * cache: not a division, nor a shift by a slot (they need EAX, EDX, CL). */
static bool arith_cached(struct binop bo, bool imm)
{
	return bo.kind == K_ALU || bo.kind == K_MUL ||
	       (bo.kind == K_SHIFT && imm);
}

/* dst = a op (slot b, or imm). */
static void arith(struct jit_fn *j, struct binop bo, const vm_cell *pc,
		  bool imm, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	vm_cell dst = pc[1];
	if (!arith_cached(bo, imm)) { /* fixed registers, from the slots */
		load32(b, X86_EAX, pc[2]);
		load32(b, X86_ECX, pc[3]);
		if (bo.kind == K_DIV) {
			divide(j, bo.op, dst, cell);
			return;
		}
		/* the CPU masks the count to 5 bits, as wasm */
		x86_shift_rcl(b, (enum x86_shift)bo.op, X86_EAX);
		store32(b, dst, X86_EAX);
		return;
	}
	enum x86_reg r = x86_value(j, pc[2]);
	switch (bo.kind) {
	case K_ALU:
		if (imm)
			x86_alu_ri(b, (enum x86_alu)bo.op, r, (int32_t)pc[3]);
		else
			x86_alu_slot(j, (enum x86_alu)bo.op, r, pc[3]);
		break;
	case K_MUL:
		if (imm)
			x86_imul_rri(b, r, r, (int32_t)pc[3]);
		else
			x86_imul_slot(j, r, pc[3]);
		break;
	default:
		x86_shift_ri(b, (enum x86_shift)bo.op, r, (unsigned)pc[3] & 31);
		break;
	}
	x86_result32(j, dst, r);
}

/* ---- compares ---- */

static enum x86_cond cond_of(enum vm_op plain)
{
	static const enum x86_cond tab[] = {
		[OP_i32_eq - OP_i32_eq] = X86_E,
		[OP_i32_ne - OP_i32_eq] = X86_NE,
		[OP_i32_lt_s - OP_i32_eq] = X86_L,
		[OP_i32_lt_u - OP_i32_eq] = X86_B,
		[OP_i32_gt_s - OP_i32_eq] = X86_G,
		[OP_i32_gt_u - OP_i32_eq] = X86_A,
		[OP_i32_le_s - OP_i32_eq] = X86_LE,
		[OP_i32_le_u - OP_i32_eq] = X86_BE,
		[OP_i32_ge_s - OP_i32_eq] = X86_GE,
		[OP_i32_ge_u - OP_i32_eq] = X86_AE,
	};
	return tab[plain - OP_i32_eq];
}

/* A register zeroed before the flags are set (xor would clobber them
 * after), to take the setcc. */
static enum x86_reg flag_reg(struct jit_fn *j)
{
	enum x86_reg d = x86_temp(j);
	x86_alu_rr(&j->buf, X86_XOR, d, d);
	return d;
}

static void set_flag(struct jit_fn *j, enum x86_cond cc, enum x86_reg d,
		     vm_cell dst)
{
	x86_setcc_r(&j->buf, cc, d);
	x86_result32(j, dst, d);
}

/* cmp r, (slot s or imm) */
static void cmp_with(struct jit_fn *j, enum x86_reg r, bool imm, vm_cell s)
{
	if (imm)
		x86_alu_ri(&j->buf, X86_CMP, r, (int32_t)s);
	else
		x86_alu_slot(j, X86_CMP, r, s);
}

static void compare(struct jit_fn *j, enum vm_op plain, int form, bool imm,
		    const vm_cell *pc, uint32_t cell)
{
	enum x86_cond cc = cond_of(plain);
	enum x86_reg r;
	switch (form) {
	case 0: { /* dst a b */
		r = x86_use(j, pc[2]);
		enum x86_reg d = flag_reg(j);
		cmp_with(j, r, imm, pc[3]);
		set_flag(j, cc, d, pc[1]);
		return;
	}
	case 1: /* a b rel */
		cmp_with(j, x86_use(j, pc[1]), imm, pc[2]);
		x86_branch(j, cc, pc + 3, cell + 3);
		return;
	default: /* d a k b rel: d = a + k, written before b is read */
		r = x86_value(j, pc[2]);
		x86_alu_ri(&j->buf, X86_ADD, r, (int32_t)pc[3]);
		x86_result32(j, pc[1], r);
		cmp_with(j, r, imm, pc[4]);
		x86_branch(j, cc, pc + 5, cell + 5);
		return;
	}
}

/* ---- the rest ---- */

/* dst = c ? (true value) : (false value), 64 bits: EAX:EDX the true one,
 * EBX:ECX the false one, loaded after the test (moves keep the flags). */
static void select_op(struct jit_buf *b, const vm_cell *pc, enum vm_op o)
{
	load32(b, X86_ECX, pc[4]);
	x86_test_rr(b, X86_ECX, X86_ECX);
	if (o == OP_select_ka) {
		x86_mov_ri(b, X86_EAX, (uint32_t)pc[2]);
		x86_mov_ri(b, X86_EDX, 0);
	} else {
		x86_mov_rm(b, X86_EAX, slot(pc[2]));
		x86_mov_rm(b, X86_EDX, slot_hi(pc[2]));
	}
	if (o == OP_select_kb) {
		x86_mov_ri(b, X86_EBX, (uint32_t)pc[3]);
		x86_mov_ri(b, X86_ECX, 0);
	} else {
		x86_mov_rm(b, X86_EBX, slot(pc[3]));
		x86_mov_rm(b, X86_ECX, slot_hi(pc[3]));
	}
	x86_cmov_rr(b, X86_E, X86_EAX, X86_EBX);
	x86_cmov_rr(b, X86_E, X86_EDX, X86_ECX);
	x86_mov_mr(b, slot(pc[1]), X86_EAX);
	x86_mov_mr(b, slot_hi(pc[1]), X86_EDX);
}

/* The unary ops translated (dst a). */
static bool is_unary(enum vm_op o)
{
	switch (o) {
	case OP_i32_eqz:
	case OP_i64_eqz:
	case OP_i32_clz:
	case OP_i32_ctz:
	case OP_i32_extend8_s:
	case OP_i32_extend16_s:
	case OP_i32_wrap_i64:
	case OP_i64_extend_i32_s:
	case OP_i64_extend_i32_u: return true;
	default: return false;
	}
}

/* Unary i32 ops, dst a. */
static void unary(struct jit_fn *j, enum vm_op o, const vm_cell *pc)
{
	struct jit_buf *b = &j->buf;
	vm_cell dst = pc[1], a = pc[2];
	enum x86_reg r, d, t;
	switch (o) {
	case OP_i32_eqz:
		r = x86_use(j, a);
		d = flag_reg(j);
		x86_test_rr(b, r, r);
		set_flag(j, X86_E, d, dst);
		return;
	case OP_i64_eqz:
		d = flag_reg(j);
		r = x86_value(j, a);
		x86_alu_rm(b, X86_OR, r, slot_hi(a));
		set_flag(j, X86_E, d, dst);
		return;
	case OP_i32_clz: /* 31 - bsr, and 32 for 0 (63 ^ 31) */
	case OP_i32_ctz:
		r = x86_value(j, a);
		t = x86_temp(j);
		x86_mov_ri(b, t, o == OP_i32_clz ? 63 : 32);
		if (o == OP_i32_clz)
			x86_bsr_rr(b, r, r);
		else
			x86_bsf_rr(b, r, r);
		x86_cmov_rr(b, X86_E, r, t);
		if (o == OP_i32_clz)
			x86_alu_ri(b, X86_XOR, r, 31);
		break;
	case OP_i32_extend8_s:
	case OP_i32_extend16_s:
		t = x86_use(j, a);
		r = x86_temp(j);
		x86_movx_rr(b, o == OP_i32_extend8_s ? X86_MOVSX8 : X86_MOVSX16,
			    r, t);
		break;
	case OP_i64_extend_i32_s:
		r = x86_use(j, a);
		t = x86_temp(j);
		x86_mov_rr(b, t, r);
		x86_shift_ri(b, X86_SAR, t, 31);
		x86_mov_mr(b, slot(dst), r);
		x86_mov_mr(b, slot_hi(dst), t);
		jit_rc_bind(&j->rc, (unsigned)r, dst);
		return;
	default: /* wrap_i64, extend_i32_u: the low half, high 0 */
		r = x86_use(j, a);
		store32(b, dst, r);
		jit_rc_bind(&j->rc, (unsigned)r, dst);
		return;
	}
	x86_result32(j, dst, r);
}

/* op2 of an immediate shift: add/xor/or of (b op1 k), ops.h SHOP. */
static void shop(struct jit_fn *j, enum vm_op o, const vm_cell *pc)
{
	static const uint8_t alu[] = {X86_ADD, X86_XOR, X86_OR};
	static const uint8_t sh[] = {X86_SHL, X86_SHR, X86_ROL};
	uint32_t i = o - OPS_add_shl;
	enum x86_reg t = x86_value(j, pc[3]);
	x86_shift_ri(&j->buf, (enum x86_shift)sh[i % 3], t,
		     (unsigned)pc[4] & 31);
	enum x86_reg r = x86_value(j, pc[2]);
	x86_alu_rr(&j->buf, (enum x86_alu)alu[i / 3], r, t);
	x86_result32(j, pc[1], r);
}

static void ret(struct jit_buf *b)
{
	x86_alu_rr(b, X86_XOR, X86_EAX, X86_EAX); /* JIT_DONE */
	x86_epilogue(b);
}

/* memory.size dst: the page count; memory.grow dst delta: jit.c's
 * vm_jit_memory_grow(run, delta) (stack aligned for its two arguments),
 * then the base again. */
static void memory_op(struct jit_buf *b, enum vm_op o, const vm_cell *pc)
{
	if (o == OP_memory_size) {
		x86_mov_rm(b, X86_ECX,
			   run_field(offsetof(struct vm_jit_run, mem)));
		x86_mov_rm(b, X86_EAX,
			   x86_mem(X86_ECX,
				   (int32_t)offsetof(struct vm_memory, pages)));
		store32(b, pc[1], X86_EAX);
		return;
	}
	x86_alu_ri(b, X86_SUB, X86_ESP, 4);
	x86_push_m(b, slot(pc[2]));
	x86_push_r(b, RUN);
	x86_mov_ri(b, X86_EAX, (uint32_t)(uintptr_t)&vm_jit_memory_grow);
	x86_call_r(b, X86_EAX);
	x86_alu_ri(b, X86_ADD, X86_ESP, 12);
	x86_mov_rm(b, MB, run_field(offsetof(struct vm_jit_run, mb)));
	store32(b, pc[1], X86_EAX);
}

/*
 * br_table a n rel0..rel_n: entry min(a, n) (unsigned), each entry's
 * offset relative to its own cell, as exec.c. A jump table of 5-byte
 * jmp rel32 instructions, entered at its address (found with call/pop:
 * the code moves after it is written) plus 5 * entry; a back-edge's
 * entry jumps to a stub after the table that polls the interrupt flag
 * first, as any branch.
 */
static void br_table(struct jit_fn *j, const vm_cell *pc, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	uint32_t n = (uint32_t)pc[2];
	load32(b, X86_EAX, pc[1]);
	x86_mov_ri(b, X86_ECX, n);
	x86_alu_rr(b, X86_CMP, X86_EAX, X86_ECX);
	x86_cmov_rr(b, X86_AE, X86_EAX, X86_ECX);
	x86_lea_rm(b, X86_EAX, x86_mem_index(X86_EAX, X86_EAX, 4, 0));
	x86_call_rel32(b, 0); /* pushes the address of the pop */
	size_t here = jit_buf_offset(b);
	x86_pop_r(b, X86_ECX);
	/* the table starts after pop, lea and jmp: 1 + 4 + 2 bytes */
	x86_lea_rm(b, X86_ECX, x86_mem_index(X86_ECX, X86_EAX, 1, 7));
	x86_jmp_r(b, X86_ECX);
	if (jit_buf_offset(b) != here + 7) {
		j->bad = true;
		return;
	}
	size_t first = jit_buf_offset(b);
	for (uint32_t k = 0; k <= n; k++) {
		if ((intptr_t)pc[3 + k] >= 0) {
			x86_branch(j, ALWAYS, pc + 3 + k, cell + 3 + k);
		} else {
			x86_jmp_rel32(b, 0); /* to its stub, below */
		}
	}
	for (uint32_t k = 0; k <= n; k++) {
		if ((intptr_t)pc[3 + k] >= 0)
			continue;
		x86_patch_rel32(b, first + 5 * k + 1, jit_buf_offset(b));
		x86_branch(j, ALWAYS, pc + 3 + k, cell + 3 + k);
	}
}

/* Half of the value of the struct vm_global at ECX. */
static struct x86_mem global_v(int32_t half)
{
	return x86_mem(X86_ECX, (int32_t)offsetof(struct vm_global, v) + half);
}

/* global_get dst x: dst = globals[x]->v; global_set x a: the reverse.
 * All 64 bits, as exec.c copies the vm_value. */
static void global(struct jit_buf *b, enum vm_op o, const vm_cell *pc)
{
	vm_cell x = o == OP_global_get ? pc[2] : pc[1];
	vm_cell s = o == OP_global_get ? pc[1] : pc[2];
	x86_mov_rm(b, X86_ECX, run_field(offsetof(struct vm_jit_run, globals)));
	x86_mov_rm(b, X86_ECX,
		   x86_mem(X86_ECX, (int32_t)(x * sizeof(struct vm_global *))));
	if (o == OP_global_get) {
		x86_mov_rm(b, X86_EAX, global_v(0));
		x86_mov_rm(b, X86_EDX, global_v(4));
		x86_mov_mr(b, slot(s), X86_EAX);
		x86_mov_mr(b, slot_hi(s), X86_EDX);
	} else {
		x86_mov_rm(b, X86_EAX, slot(s));
		x86_mov_rm(b, X86_EDX, slot_hi(s));
		x86_mov_mr(b, global_v(0), X86_EAX);
		x86_mov_mr(b, global_v(4), X86_EDX);
	}
}

/* Flags of a & (slot b or imm b): test when nothing is written. */
static void and_test(struct jit_fn *j, bool imm, vm_cell a, vm_cell b)
{
	if (imm) {
		enum x86_reg r = x86_use(j, a);
		x86_test_ri(&j->buf, r, (uint32_t)b);
		return;
	}
	enum x86_reg r = x86_value(j, a);
	x86_alu_slot(j, X86_AND, r, b);
}

/* Copy the 64-bit slot src to dst through the cache. */
static void copy_cached(struct jit_fn *j, vm_cell dst, vm_cell src)
{
	struct jit_buf *b = &j->buf;
	uint32_t k;
	if (jit_rc_const(&j->rc, src, &k)) { /* high half 0 */
		x86_mov_mi(b, slot(dst), k);
		x86_mov_mi(b, slot_hi(dst), 0);
		jit_rc_set_const(&j->rc, dst, k);
		return;
	}
	enum x86_reg lo = x86_use(j, src);
	enum x86_reg hi = x86_temp(j);
	x86_mov_rm(b, hi, slot_hi(src));
	x86_mov_mr(b, slot(dst), lo);
	x86_mov_mr(b, slot_hi(dst), hi);
	jit_rc_bind(&j->rc, (unsigned)lo, dst);
}

static bool misc(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
		 uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	enum x86_reg r;
	switch (o) {
	case OP_call:
	case OP_call_indirect: x86_call(j, o, pc); return true;
	case OP_memory_size:
	case OP_memory_grow: memory_op(b, o, pc); return true;
	case OP_br_table: br_table(j, pc, cell); return true;
	case OP_global_get:
	case OP_global_set: global(b, o, pc); return true;
	case OP_unreachable:
		x86_trap_if(j, ALWAYS, cell, VM_TRAP_UNREACHABLE);
		return true;
	case OP_br: x86_branch(j, ALWAYS, pc + 1, cell + 1); return true;
	case OP_br_if:
	case OP_br_unless:
	case OP_brz_i32:
		r = x86_use(j, pc[1]);
		x86_test_rr(b, r, r);
		x86_branch(j, o == OP_br_if ? X86_NE : X86_E, pc + 2, cell + 2);
		return true;
	case OP_brz_i64:
		r = x86_value(j, pc[1]);
		x86_alu_rm(b, X86_OR, r, slot_hi(pc[1]));
		x86_branch(j, X86_E, pc + 2, cell + 2);
		return true;
	case OP_br_and:
	case OP_brz_and:
	case OP_br_and_i:
	case OP_brz_and_i:
		and_test(j, o == OP_br_and_i || o == OP_brz_and_i, pc[1],
			 pc[2]);
		x86_branch(j,
			   o == OP_br_and || o == OP_br_and_i ? X86_NE : X86_E,
			   pc + 3, cell + 3);
		return true;
	case OP_i32_andz:
	case OP_i32_andz_i: {
		enum x86_reg d = flag_reg(j);
		and_test(j, o == OP_i32_andz_i, pc[2], pc[3]);
		set_flag(j, X86_E, d, pc[1]);
		return true;
	}
	case OP_ret_copy:
		copy64(b, 0, pc[1]);
		ret(b);
		return true;
	case OP_ret:
	case OP_end: ret(b); return true;
	case OP_copy4:
	case OP_copy3:
	case OP_copy2:
	case OP_copy:
		/* one after the other, as exec.c: a later pair may read an
		 * earlier one's destination */
		for (uint32_t k = 0; k <= (uint32_t)(o - OP_copy); k++) {
			jit_rc_begin_op(&j->rc);
			copy_cached(j, pc[1 + 2 * k], pc[2 + 2 * k]);
		}
		return true;
	case OP_const32:
	case OP_const64:
		x86_mov_mi(b, slot(pc[1]), (uint32_t)pc[2]);
		x86_mov_mi(b, slot_hi(pc[1]),
			   o == OP_const64 ? (uint32_t)pc[3] : 0);
		if (o == OP_const32)
			jit_rc_set_const(&j->rc, pc[1], (uint32_t)pc[2]);
		else
			jit_rc_forget(&j->rc, pc[1]);
		return true;
	case OP_select:
	case OP_select_ka:
	case OP_select_kb: select_op(b, pc, o); return true;
	case OP_i32_muladd:
	case OP_i32_muladd_i:
		r = x86_value(j, pc[2]);
		if (o == OP_i32_muladd_i)
			x86_imul_rri(b, r, r, (int32_t)pc[3]);
		else
			x86_imul_slot(j, r, pc[3]);
		x86_alu_slot(j, X86_ADD, r, pc[4]);
		x86_result32(j, pc[1], r);
		return true;
	case OP_i32_shl_kl:
	case OP_i32_rotl_kl: /* dst b k: dst = k op b */
		load32(b, X86_ECX, pc[2]);
		x86_mov_ri(b, X86_EAX, (uint32_t)pc[3]);
		x86_shift_rcl(b, o == OP_i32_shl_kl ? X86_SHL : X86_ROL,
			      X86_EAX);
		store32(b, pc[1], X86_EAX);
		return true;
	default: return x86_memory(j, o, pc, cell);
	}
}

/* ---- the seam (jit.h) ---- */

bool jit_arch_supports(enum vm_op o)
{
	struct binop bo;
	int form;
	bool imm;
	if (x86_i64_supports(o) || x86_float_supports(o) ||
	    x86_bulk_supports(o))
		return true;
	if (binop_of(o, &bo) || jit_cmp_of(o, &form, &imm) != OP_COUNT)
		return true;
	if (jit_plain_of_imm(o) != OP_COUNT)
		return binop_of(jit_plain_of_imm(o), &bo);
	if (is_unary(o))
		return true;
	switch (o) {
	case OPS_add_shl ... OPS_or_rotl:
	case OP_unreachable ... OP_br_unless:
	case OP_ret:
	case OP_ret_copy:
	case OP_copy ... OP_select:
	case OP_i32_load ... OP_end:
	case OP_i32_store_k ... OP_i32_store8_kai:
	case OP_br_and ... OP_select_kb:
	case OP_i32_add_mem:
	case OP_f64_add_mem:
	case OP_f64_mul_mem:
	case OP_call:
	case OP_call_indirect:
	case OP_memory_size:
	case OP_memory_grow:
	case OP_global_get:
	case OP_global_set:
	case OP_br_table:
	case OPLA_i32_load ... OPLAI_i32_load16_u: return true;
	default: return false;
	}
}

/*
 * Whether op o is translated through the register cache (every register
 * it writes taken from it, every slot it writes bound or forgotten).
 * After any other op the cache is emptied: it may have written registers
 * and slots behind the cache's back. Mirrors translate_op's order.
 */
static bool through_cache(enum vm_op o)
{
	struct binop bo;
	struct jit_mem m;
	int form;
	bool imm;
	if (x86_i64_supports(o) || x86_float_supports(o))
		return false;
	if (jit_cmp_of(o, &form, &imm) != OP_COUNT)
		return true;
	if (binop_of(o, &bo))
		return arith_cached(bo, false);
	if (jit_plain_of_imm(o) != OP_COUNT)
		return binop_of(jit_plain_of_imm(o), &bo) &&
		       arith_cached(bo, true);
	if (is_unary(o) || jit_mem_decode(o, NULL, &m))
		return true;
	switch (o) {
	case OPS_add_shl ... OPS_or_rotl:
	case OP_br:
	case OP_br_if:
	case OP_br_unless:
	case OP_brz_i32:
	case OP_brz_i64:
	case OP_br_and ... OP_i32_andz_i:
	case OP_copy ... OP_const64:
	case OP_i32_muladd:
	case OP_i32_muladd_i:
	case OP_f64_add_mem:
	case OP_f64_mul_mem: return true;
	default: return false;
	}
}

static bool translate_op(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
			 uint32_t cell)
{
	struct binop bo;
	int form;
	bool imm;
	if (x86_i64_supports(o))
		return x86_i64(j, o, pc, cell);
	if (x86_float_supports(o))
		return x86_float(j, o, pc, cell);
	if (x86_bulk_supports(o))
		return x86_bulk(j, o, pc);
	enum vm_op cmp = jit_cmp_of(o, &form, &imm);
	if (cmp != OP_COUNT) {
		compare(j, cmp, form, imm, pc, cell);
		return true;
	}
	if (binop_of(o, &bo)) {
		arith(j, bo, pc, false, cell);
		return true;
	}
	if (jit_plain_of_imm(o) != OP_COUNT) {
		if (!binop_of(jit_plain_of_imm(o), &bo))
			return false;
		arith(j, bo, pc, true, cell);
		return true;
	}
	if (is_unary(o)) {
		unary(j, o, pc);
		return true;
	}
	if (o >= OPS_add_shl && o <= OPS_or_rotl) {
		shop(j, o, pc);
		return true;
	}
	return jit_arch_supports(o) && misc(j, o, pc, cell);
}

bool jit_arch_op(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
		 uint32_t cell)
{
	if (jit_rc_is_join(&j->rc, cell))
		jit_rc_reset(&j->rc);
	jit_rc_begin_op(&j->rc);
	bool ok = translate_op(j, o, pc, cell);
	if (!through_cache(o))
		jit_rc_reset(&j->rc);
	return ok;
}

/* The exit paths: report the cell (and trap), return the status. Fixups
 * of one op share one path (they come in order). */
void jit_arch_finish(struct jit_fn *j)
{
	struct jit_buf *b = &j->buf;
	const struct jit_fix *last = NULL;
	size_t last_at = 0;
	for (uint32_t i = 0; i < j->nfix; i++) {
		const struct jit_fix *x = &j->fix[i];
		if (x->kind == JIT_FIX_CELL)
			continue;
		if (!last || last->kind != x->kind || last->cell != x->cell ||
		    last->trap != x->trap) {
			last = x;
			last_at = jit_buf_offset(b);
			x86_mov_mr(b,
				   run_field(offsetof(struct vm_jit_run, fp)),
				   FP);
			x86_mov_mi(b,
				   run_field(offsetof(struct vm_jit_run, cell)),
				   x->cell);
			x86_mov_mi(b,
				   run_field(offsetof(struct vm_jit_run, trap)),
				   x->trap);
			x86_mov_ri(b, X86_EAX,
				   x->kind == JIT_FIX_TRAP ? JIT_TRAP
							   : JIT_INTERRUPT);
			x86_epilogue(b);
		}
		jit_arch_patch(j, x->field, last_at);
	}
}

void jit_arch_patch(struct jit_fn *j, size_t field, size_t target)
{
	x86_patch_rel32(&j->buf, field, target);
}
