/*
 * vm/jit/x86/x86_translate_i64.c: the IA-32 backend's i64 ops, each
 * value a register pair (EAX low, EDX high) loaded from its slot and
 * stored back: add/sub/mul and the bit ops (plain and immediate forms,
 * the immediate sign-extended as ops.h says), shifts and rotates by a
 * count mod 64, the ten compares (plain, immediate, fused with a branch),
 * clz/ctz/popcnt, the sign extensions; and i32.popcnt. Division and
 * remainder call jit.c's vm_jit_i64_divide (exec.c's IDIV, the same
 * traps). No POPCNT or LZCNT: QEMU's default CPU lacks them.
 */
#include "../jit_ops_num.h"
#include "x86_translate.h"

/* A second operand: a slot, or an immediate sign-extended to 64 bits. */
struct opnd {
	bool imm;
	vm_cell s;
	uint32_t lo, hi;
};

static struct opnd of_slot(vm_cell s)
{
	return (struct opnd){false, s, 0, 0};
}

static struct opnd of_imm(vm_cell k)
{
	int32_t v = (int32_t)k;
	return (struct opnd){true, 0, (uint32_t)v, v < 0 ? UINT32_MAX : 0};
}

static void ld(struct jit_buf *b, enum x86_reg r, struct opnd x, bool hi)
{
	if (x.imm)
		x86_mov_ri(b, r, hi ? x.hi : x.lo);
	else
		x86_mov_rm(b, r, hi ? slot_hi(x.s) : slot(x.s));
}

static void alu(struct jit_buf *b, enum x86_alu op, enum x86_reg r,
		struct opnd x, bool hi)
{
	if (x.imm)
		x86_alu_ri(b, op, r, (int32_t)(hi ? x.hi : x.lo));
	else
		x86_alu_rm(b, op, r, hi ? slot_hi(x.s) : slot(x.s));
}

static void load64(struct jit_buf *b, vm_cell a)
{
	x86_mov_rm(b, X86_EAX, slot(a));
	x86_mov_rm(b, X86_EDX, slot_hi(a));
}

static void store64(struct jit_buf *b, vm_cell dst)
{
	x86_mov_mr(b, slot(dst), X86_EAX);
	x86_mov_mr(b, slot_hi(dst), X86_EDX);
}

/* A short forward branch, patched by `land` at its target. */
static void land(struct jit_fn *j, size_t field)
{
	if (!x86_patch_rel8(&j->buf, field, jit_buf_offset(&j->buf)))
		j->bad = true;
}

/* EAX:EDX <-> via EBX. */
static void swap_halves(struct jit_buf *b)
{
	x86_mov_rr(b, X86_EBX, X86_EAX);
	x86_mov_rr(b, X86_EAX, X86_EDX);
	x86_mov_rr(b, X86_EDX, X86_EBX);
}

/*
 * EAX:EDX shifted or rotated by ECX mod 64. The 32-bit instructions take
 * the count mod 32; bit 5 of the count then moves a whole half.
 */
static void shift64(struct jit_fn *j, enum vm_op o)
{
	struct jit_buf *b = &j->buf;
	size_t skip;
	switch (o) {
	case OP_i64_shl:
		x86_shld_rrcl(b, X86_EDX, X86_EAX);
		x86_shift_rcl(b, X86_SHL, X86_EAX);
		x86_test_ri(b, X86_ECX, 32);
		skip = x86_jcc_rel8(b, X86_E, 0);
		x86_mov_rr(b, X86_EDX, X86_EAX);
		x86_alu_rr(b, X86_XOR, X86_EAX, X86_EAX);
		land(j, skip);
		return;
	case OP_i64_shr_u:
	case OP_i64_shr_s:
		x86_shrd_rrcl(b, X86_EAX, X86_EDX);
		x86_shift_rcl(b, o == OP_i64_shr_s ? X86_SAR : X86_SHR,
			      X86_EDX);
		x86_test_ri(b, X86_ECX, 32);
		skip = x86_jcc_rel8(b, X86_E, 0);
		x86_mov_rr(b, X86_EAX, X86_EDX);
		if (o == OP_i64_shr_s)
			x86_shift_ri(b, X86_SAR, X86_EDX, 31);
		else
			x86_alu_rr(b, X86_XOR, X86_EDX, X86_EDX);
		land(j, skip);
		return;
	default: /* rotl, rotr: halves swapped for bit 5, then double shifts
		    of the two old halves */
		x86_test_ri(b, X86_ECX, 32);
		skip = x86_jcc_rel8(b, X86_E, 0);
		swap_halves(b);
		land(j, skip);
		if (o == OP_i64_rotl) {
			x86_mov_rr(b, X86_EBX, X86_EDX);
			x86_shld_rrcl(b, X86_EDX, X86_EAX);
			x86_shld_rrcl(b, X86_EAX, X86_EBX);
		} else {
			x86_mov_rr(b, X86_EBX, X86_EAX);
			x86_shrd_rrcl(b, X86_EAX, X86_EDX);
			x86_shrd_rrcl(b, X86_EDX, X86_EBX);
		}
		return;
	}
}

/* a * y mod 2^64 = lo*lo + ((a.hi*y.lo + a.lo*y.hi) << 32). */
static void mul64(struct jit_buf *b, vm_cell a, struct opnd y)
{
	x86_mov_rm(b, X86_ECX, slot_hi(a));
	if (y.imm)
		x86_imul_rri(b, X86_ECX, X86_ECX, (int32_t)y.lo);
	else
		x86_imul_rm(b, X86_ECX, slot(y.s));
	ld(b, X86_EBX, y, true);
	x86_imul_rm(b, X86_EBX, slot(a));
	x86_alu_rr(b, X86_ADD, X86_ECX, X86_EBX);
	x86_mov_rm(b, X86_EAX, slot(a));
	if (y.imm) {
		x86_mov_ri(b, X86_EBX, y.lo);
		x86_unary_r(b, X86_MUL, X86_EBX);
	} else {
		x86_unary_m(b, X86_MUL, slot(y.s));
	}
	x86_alu_rr(b, X86_ADD, X86_EDX, X86_ECX);
}

/* div/rem dst a b: jit.c's vm_jit_i64_divide(fp, pc, how), its trap. The
 * three arguments keep the stack 16-byte aligned at the call. */
static void divide64(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
		     uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	x86_push_i(b, (int32_t)(o - OP_i64_div_s));
	x86_push_i(b, (int32_t)(uintptr_t)pc);
	x86_push_r(b, FP);
	x86_mov_ri(b, X86_EAX, (uint32_t)(uintptr_t)&vm_jit_i64_divide);
	x86_call_r(b, X86_EAX);
	x86_alu_ri(b, X86_ADD, X86_ESP, 12);
	x86_alu_ri(b, X86_CMP, X86_EAX, VM_TRAP_DIV_ZERO);
	x86_trap_if(j, X86_E, cell, VM_TRAP_DIV_ZERO);
	x86_test_rr(b, X86_EAX, X86_EAX);
	x86_trap_if(j, X86_NE, cell, VM_TRAP_INT_OVERFLOW);
}

/* dst = a op y, for op in i64_add..i64_rotr. */
static void binop64(struct jit_fn *j, enum vm_op o, const vm_cell *pc,
		    struct opnd y, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	vm_cell dst = pc[1], a = pc[2];
	switch (o) {
	case OP_i64_div_s ... OP_i64_rem_u: divide64(j, o, pc, cell); return;
	case OP_i64_mul: mul64(b, a, y); break;
	case OP_i64_shl ... OP_i64_rotr:
		load64(b, a);
		ld(b, X86_ECX, y, false);
		shift64(j, o);
		break;
	default: {
		static const uint8_t lo[] = {
			[OP_i64_add - OP_i64_add] = X86_ADD,
			[OP_i64_sub - OP_i64_add] = X86_SUB,
			[OP_i64_and - OP_i64_add] = X86_AND,
			[OP_i64_or - OP_i64_add] = X86_OR,
			[OP_i64_xor - OP_i64_add] = X86_XOR,
		};
		enum x86_alu l = (enum x86_alu)lo[o - OP_i64_add];
		enum x86_alu h = l == X86_ADD	? X86_ADC
				 : l == X86_SUB ? X86_SBB
						: l;
		load64(b, a);
		alu(b, l, X86_EAX, y, false);
		alu(b, h, X86_EDX, y, true);
		break;
	}
	}
	store64(b, dst);
}

/*
 * Flags for i64 compare `plain` of a and y; returns the condition that
 * holds when it is true. eq/ne: the halves' differences or'ed; the
 * orders: a - y with a borrow through the high half (cmp, sbb), y - a
 * for gt and le. Clobbers EAX, EDX.
 */
static enum x86_cond cmp64(struct jit_buf *b, enum vm_op plain, vm_cell a,
			   struct opnd y)
{
	switch (plain) {
	case OP_i64_eq:
	case OP_i64_ne:
		load64(b, a);
		alu(b, X86_XOR, X86_EAX, y, false);
		alu(b, X86_XOR, X86_EDX, y, true);
		x86_alu_rr(b, X86_OR, X86_EAX, X86_EDX);
		return plain == OP_i64_eq ? X86_E : X86_NE;
	case OP_i64_lt_s:
	case OP_i64_lt_u:
	case OP_i64_ge_s:
	case OP_i64_ge_u:
		load64(b, a);
		alu(b, X86_CMP, X86_EAX, y, false);
		alu(b, X86_SBB, X86_EDX, y, true);
		return plain == OP_i64_lt_s   ? X86_L
		       : plain == OP_i64_lt_u ? X86_B
		       : plain == OP_i64_ge_s ? X86_GE
					      : X86_AE;
	default: /* gt, le: y - a */
		ld(b, X86_EAX, y, false);
		ld(b, X86_EDX, y, true);
		x86_alu_rm(b, X86_CMP, X86_EAX, slot(a));
		x86_alu_rm(b, X86_SBB, X86_EDX, slot_hi(a));
		return plain == OP_i64_gt_s   ? X86_L
		       : plain == OP_i64_gt_u ? X86_B
		       : plain == OP_i64_le_s ? X86_GE
					      : X86_AE;
	}
}

/* EAX = popcount(EAX), by halves, nibbles, bytes (ECX scratch). */
static void popcnt32(struct jit_buf *b)
{
	x86_mov_rr(b, X86_ECX, X86_EAX);
	x86_shift_ri(b, X86_SHR, X86_ECX, 1);
	x86_alu_ri(b, X86_AND, X86_ECX, 0x55555555);
	x86_alu_rr(b, X86_SUB, X86_EAX, X86_ECX);
	x86_mov_rr(b, X86_ECX, X86_EAX);
	x86_shift_ri(b, X86_SHR, X86_ECX, 2);
	x86_alu_ri(b, X86_AND, X86_ECX, 0x33333333);
	x86_alu_ri(b, X86_AND, X86_EAX, 0x33333333);
	x86_alu_rr(b, X86_ADD, X86_EAX, X86_ECX);
	x86_mov_rr(b, X86_ECX, X86_EAX);
	x86_shift_ri(b, X86_SHR, X86_ECX, 4);
	x86_alu_rr(b, X86_ADD, X86_EAX, X86_ECX);
	x86_alu_ri(b, X86_AND, X86_EAX, 0x0f0f0f0f);
	x86_imul_rri(b, X86_EAX, X86_EAX, 0x01010101);
	x86_shift_ri(b, X86_SHR, X86_EAX, 24);
}

/*
 * clz/ctz: the count in the half scanned first (the high one for clz) if
 * it is not 0, else 32 + the other's. bsr gives 31 - clz (xor 31 turns
 * it round); an all-zero other half takes 63 (32 after the xor) or 32.
 */
static void count_zeros(struct jit_fn *j, bool leading, vm_cell dst, vm_cell a)
{
	struct jit_buf *b = &j->buf;
	void (*scan)(struct jit_buf *, enum x86_reg, enum x86_reg) =
		leading ? x86_bsr_rr : x86_bsf_rr;
	x86_mov_rm(b, X86_EAX, leading ? slot_hi(a) : slot(a));
	x86_test_rr(b, X86_EAX, X86_EAX);
	size_t other = x86_jcc_rel8(b, X86_E, 0);
	scan(b, X86_EAX, X86_EAX);
	if (leading)
		x86_alu_ri(b, X86_XOR, X86_EAX, 31);
	size_t done = x86_jmp_rel8(b, 0);
	land(j, other);
	x86_mov_rm(b, X86_EAX, leading ? slot(a) : slot_hi(a));
	x86_mov_ri(b, X86_EDX, leading ? 63 : 32);
	scan(b, X86_EAX, X86_EAX);
	x86_cmov_rr(b, X86_E, X86_EAX, X86_EDX);
	if (leading)
		x86_alu_ri(b, X86_XOR, X86_EAX, 31);
	x86_alu_ri(b, X86_ADD, X86_EAX, 32);
	land(j, done);
	store32(b, dst, X86_EAX);
}

/* Unary ops dst a with an i64 result (and i32.popcnt). */
static void unary64(struct jit_fn *j, enum vm_op o, const vm_cell *pc)
{
	struct jit_buf *b = &j->buf;
	vm_cell dst = pc[1], a = pc[2];
	switch (o) {
	case OP_i32_popcnt:
		x86_mov_rm(b, X86_EAX, slot(a));
		popcnt32(b);
		store32(b, dst, X86_EAX);
		return;
	case OP_i64_popcnt:
		x86_mov_rm(b, X86_EAX, slot(a));
		popcnt32(b);
		x86_mov_rr(b, X86_EBX, X86_EAX);
		x86_mov_rm(b, X86_EAX, slot_hi(a));
		popcnt32(b);
		x86_alu_rr(b, X86_ADD, X86_EAX, X86_EBX);
		store32(b, dst, X86_EAX);
		return;
	case OP_i64_clz:
	case OP_i64_ctz: count_zeros(j, o == OP_i64_clz, dst, a); return;
	default: /* extend8_s, extend16_s, extend32_s */
		x86_mov_rm(b, X86_EAX, slot(a));
		if (o != OP_i64_extend32_s)
			x86_movx_rr(b,
				    o == OP_i64_extend8_s ? X86_MOVSX8
							  : X86_MOVSX16,
				    X86_EAX, X86_EAX);
		x86_cdq(b);
		store64(b, dst);
		return;
	}
}

static bool is_unary64(enum vm_op o)
{
	return o == OP_i32_popcnt || o == OP_i64_clz || o == OP_i64_ctz ||
	       o == OP_i64_popcnt || o == OP_i64_extend8_s ||
	       o == OP_i64_extend16_s || o == OP_i64_extend32_s;
}

bool x86_i64_supports(enum vm_op o)
{
	int form;
	bool imm;
	return jit_cmp64_of(o, &form, &imm) != OP_COUNT ||
	       jit_bin64_of(o, &imm) != OP_COUNT || is_unary64(o);
}

bool x86_i64(struct jit_fn *j, enum vm_op o, const vm_cell *pc, uint32_t cell)
{
	struct jit_buf *b = &j->buf;
	int form;
	bool imm;
	enum vm_op plain = jit_cmp64_of(o, &form, &imm);
	if (plain != OP_COUNT) {
		vm_cell a = form ? pc[1] : pc[2], y = form ? pc[2] : pc[3];
		struct opnd yo = imm ? of_imm(y) : of_slot(y);
		if (form) {
			enum x86_cond cc = cmp64(b, plain, a, yo);
			x86_branch(j, cc, pc + 3, cell + 3);
			return true;
		}
		x86_alu_rr(b, X86_XOR, X86_ECX, X86_ECX);
		enum x86_cond cc = cmp64(b, plain, a, yo);
		x86_setcc_r(b, cc, X86_ECX);
		store32(b, pc[1], X86_ECX);
		return true;
	}
	plain = jit_bin64_of(o, &imm);
	if (plain != OP_COUNT) {
		binop64(j, plain, pc, imm ? of_imm(pc[3]) : of_slot(pc[3]),
			cell);
		return true;
	}
	if (is_unary64(o)) {
		unary64(j, o, pc);
		return true;
	}
	return false;
}
