/*
 * vm/jit/x86/x86_encode.h: the IA-32 (i686 + SSE2) encoder of the
 * WebAssembly compiler. One function per instruction form; each appends
 * the form's bytes to a jit_buf and nothing else: no register choice, no
 * peephole (`mov eax,0` stays a mov). tests/jit/x86_forms.c checks every
 * form against objdump.
 *
 * Names: x86_<insn>_<operands>, the destination first, one letter per
 * operand: r a 32-bit register, i an immediate, m memory (struct x86_mem),
 * x an xmm register. Operand order in the call is the Intel order.
 *
 * An operand the ISA cannot encode (ESP as an index, a byte register
 * other than AL/CL/DL/BL, a scale not 1/2/4/8) or outside its enum (a
 * register above 7, a group digit or condition not listed) sets
 * `b->full`: the compiler checks `full` once per function and falls back
 * to the interpreter, so a register-allocator bug costs speed, never
 * wrong code. What was already written of that instruction is garbage,
 * as after any overflow.
 */
#ifndef VM_JIT_X86_ENCODE_H
#define VM_JIT_X86_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../jit_buf.h"

/* General registers, in the hardware's numbering (ModRM reg/rm fields).
 * As byte registers only EAX..EBX are usable (AL, CL, DL, BL): numbers
 * 4..7 mean AH..BH in a byte operation, never SPL..DIL. */
enum x86_reg {
	X86_EAX,
	X86_ECX,
	X86_EDX,
	X86_EBX,
	X86_ESP,
	X86_EBP,
	X86_ESI,
	X86_EDI
};

enum x86_xmm {
	X86_XMM0,
	X86_XMM1,
	X86_XMM2,
	X86_XMM3,
	X86_XMM4,
	X86_XMM5,
	X86_XMM6,
	X86_XMM7
};

/* Condition codes, in the hardware's numbering (the low nibble of
 * Jcc/SETcc/CMOVcc). Unsigned compares: B, AE, BE, A; signed: L, GE,
 * LE, G. x86_cond_invert(c) is c ^ 1. */
enum x86_cond {
	X86_O,
	X86_NO,
	X86_B,
	X86_AE,
	X86_E,
	X86_NE,
	X86_BE,
	X86_A,
	X86_S,
	X86_NS,
	X86_P,
	X86_NP,
	X86_L,
	X86_GE,
	X86_LE,
	X86_G
};

static inline enum x86_cond x86_cond_invert(enum x86_cond c)
{
	return (enum x86_cond)(c ^ 1);
}

/*
 * A memory operand, [base + index*scale + disp]. Build it with the
 * constructors below. Without a base the address is absolute (disp32),
 * optionally plus index*scale. The encoder picks the shortest form: no
 * displacement when disp is 0 (except with EBP as base, which needs a
 * disp8 of 0), disp8 when it fits, else disp32; a SIB byte with an index
 * or with ESP as base.
 */
struct x86_mem {
	enum x86_reg base, index;
	bool has_base, has_index;
	uint8_t scale; /* 1, 2, 4 or 8, with has_index */
	int32_t disp;
};

static inline struct x86_mem x86_mem(enum x86_reg base, int32_t disp)
{
	struct x86_mem m = {base, X86_EAX, true, false, 1, disp};
	return m;
}

/* [base + index*scale + disp]; index must not be ESP. */
static inline struct x86_mem x86_mem_index(enum x86_reg base,
					   enum x86_reg index, unsigned scale,
					   int32_t disp)
{
	/* a scale that does not fit is rejected when encoded, not wrapped */
	uint8_t s = scale <= 8 ? (uint8_t)scale : 0;
	struct x86_mem m = {base, index, true, true, s, disp};
	return m;
}

/* [index*scale + disp32] (a table indexed by a register). */
static inline struct x86_mem x86_mem_noreg(enum x86_reg index, unsigned scale,
					   int32_t disp)
{
	uint8_t s = scale <= 8 ? (uint8_t)scale : 0;
	struct x86_mem m = {X86_EAX, index, false, true, s, disp};
	return m;
}

/* [addr]. */
static inline struct x86_mem x86_mem_abs(uint32_t addr)
{
	struct x86_mem m = {X86_EAX, X86_EAX, false, false, 1, (int32_t)addr};
	return m;
}

/* ---- moves (x86_encode.c) ---- */

/* mov dst, src (89 /r). */
void x86_mov_rr(struct jit_buf *b, enum x86_reg dst, enum x86_reg src);
/* mov dst, imm32 (B8+r). */
void x86_mov_ri(struct jit_buf *b, enum x86_reg dst, uint32_t imm);
/* mov dst, dword [m]. */
void x86_mov_rm(struct jit_buf *b, enum x86_reg dst, struct x86_mem m);
/* mov dword [m], src. */
void x86_mov_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg src);
/* mov dword [m], imm32. */
void x86_mov_mi(struct jit_buf *b, struct x86_mem m, uint32_t imm);
/* mov byte [m], src8: src is AL, CL, DL or BL (else rejected). */
void x86_movb_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg src);
/* mov word [m], src16. */
void x86_movw_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg src);
/* mov byte [m], imm8. */
void x86_movb_mi(struct jit_buf *b, struct x86_mem m, uint8_t imm);
/* mov word [m], imm16. */
void x86_movw_mi(struct jit_buf *b, struct x86_mem m, uint16_t imm);

/* The widening loads: the value is the second opcode byte (0F xx). */
enum x86_ext {
	X86_MOVZX8 = 0xB6,
	X86_MOVZX16 = 0xB7,
	X86_MOVSX8 = 0xBE,
	X86_MOVSX16 = 0xBF,
};
/* movzx/movsx dst, src8/src16; a byte src is AL..BL (else rejected). */
void x86_movx_rr(struct jit_buf *b, enum x86_ext op, enum x86_reg dst,
		 enum x86_reg src);
/* movzx/movsx dst, byte/word [m]. */
void x86_movx_rm(struct jit_buf *b, enum x86_ext op, enum x86_reg dst,
		 struct x86_mem m);
/* lea dst, [m]. */
void x86_lea_rm(struct jit_buf *b, enum x86_reg dst, struct x86_mem m);
/* xchg dword/byte/word [m], r (always locked by the CPU); a byte r is
 * AL..BL (else rejected). */
void x86_xchg_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r);
void x86_xchgb_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r);
void x86_xchgw_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r);

/* ---- integer arithmetic (x86_encode.c) ---- */

/* The ALU group, in its /digit numbering. */
enum x86_alu {
	X86_ADD,
	X86_OR,
	X86_ADC,
	X86_SBB,
	X86_AND,
	X86_SUB,
	X86_XOR,
	X86_CMP
};
/* op dst, src. */
void x86_alu_rr(struct jit_buf *b, enum x86_alu op, enum x86_reg dst,
		enum x86_reg src);
/* op dst, imm: imm8 sign-extended when it fits, else the EAX short form
 * or imm32. */
void x86_alu_ri(struct jit_buf *b, enum x86_alu op, enum x86_reg dst,
		int32_t imm);
/* op dst, dword [m]. */
void x86_alu_rm(struct jit_buf *b, enum x86_alu op, enum x86_reg dst,
		struct x86_mem m);
/* op dword [m], src. */
void x86_alu_mr(struct jit_buf *b, enum x86_alu op, struct x86_mem m,
		enum x86_reg src);
/* op dword [m], imm (imm8 sign-extended when it fits). */
void x86_alu_mi(struct jit_buf *b, enum x86_alu op, struct x86_mem m,
		int32_t imm);
/* lock op dword [m], src: any op but CMP (rejected: lock cmp is #UD). */
void x86_lock_alu_mr(struct jit_buf *b, enum x86_alu op, struct x86_mem m,
		     enum x86_reg src);

/* test a, c (85 /r). */
void x86_test_rr(struct jit_buf *b, enum x86_reg a, enum x86_reg c);
/* test r, imm32 (the EAX short form for EAX). */
void x86_test_ri(struct jit_buf *b, enum x86_reg r, uint32_t imm);
/* imul dst, src (dst *= src, low 32 bits). */
void x86_imul_rr(struct jit_buf *b, enum x86_reg dst, enum x86_reg src);
/* imul dst, dword [m]. */
void x86_imul_rm(struct jit_buf *b, enum x86_reg dst, struct x86_mem m);
/* imul dst, src, imm (imm8 sign-extended when it fits, else imm32). */
void x86_imul_rri(struct jit_buf *b, enum x86_reg dst, enum x86_reg src,
		  int32_t imm);

/* The one-operand group (F7 /digit). MUL/IMUL: EDX:EAX = EAX * operand;
 * DIV/IDIV: EAX, EDX = EDX:EAX / operand, remainder (#DE on zero or,
 * for IDIV, INT_MIN / -1: the compiler checks both first). */
enum x86_unary { X86_NOT = 2, X86_NEG, X86_MUL, X86_IMUL, X86_DIV, X86_IDIV };
/* op r. */
void x86_unary_r(struct jit_buf *b, enum x86_unary op, enum x86_reg r);
/* op dword [m]. */
void x86_unary_m(struct jit_buf *b, enum x86_unary op, struct x86_mem m);
/* cdq: EDX = the sign of EAX. */
void x86_cdq(struct jit_buf *b);

/* The shift/rotate group, in its /digit numbering. */
enum x86_shift {
	X86_ROL = 0,
	X86_ROR = 1,
	X86_SHL = 4,
	X86_SHR = 5,
	X86_SAR = 7
};
/* op r, cl. */
void x86_shift_rcl(struct jit_buf *b, enum x86_shift op, enum x86_reg r);
/* op r, count (count & 31; the by-1 form for 1, as the CPU masks). */
void x86_shift_ri(struct jit_buf *b, enum x86_shift op, enum x86_reg r,
		  unsigned count);
/* shld/shrd dst, src, cl: dst shifted, its vacated bits filled from src. */
void x86_shld_rrcl(struct jit_buf *b, enum x86_reg dst, enum x86_reg src);
void x86_shrd_rrcl(struct jit_buf *b, enum x86_reg dst, enum x86_reg src);
/* shld/shrd dst, src, count (count & 31). */
void x86_shld_rri(struct jit_buf *b, enum x86_reg dst, enum x86_reg src,
		  unsigned count);
void x86_shrd_rri(struct jit_buf *b, enum x86_reg dst, enum x86_reg src,
		  unsigned count);

/* setcc r8 (r is AL..BL, else rejected): the low byte only, so the
 * compiler zero-extends (movzx) or clears r first. */
void x86_setcc_r(struct jit_buf *b, enum x86_cond c, enum x86_reg r);
/* cmovcc dst, src (i686). */
void x86_cmov_rr(struct jit_buf *b, enum x86_cond c, enum x86_reg dst,
		 enum x86_reg src);
/* bsr/bsf dst, src: the index of the highest/lowest set bit. For src 0
 * they set ZF and leave dst undefined (Intel; AMD: unchanged), so the
 * compiler tests ZF or cmovs a default. */
void x86_bsr_rr(struct jit_buf *b, enum x86_reg dst, enum x86_reg src);
void x86_bsf_rr(struct jit_buf *b, enum x86_reg dst, enum x86_reg src);

/* ---- control flow and the rest (x86_encode_flow.c) ---- */

/*
 * Branches take their displacement, relative to the end of the
 * instruction, and return the buffer offset of that displacement field,
 * so a forward branch is emitted with 0 and patched by
 * x86_patch_rel32/rel8 once its target is known. A rejected condition
 * still returns an offset: patching it is harmless, the buffer is
 * discarded.
 */
size_t x86_jcc_rel8(struct jit_buf *b, enum x86_cond c, int8_t rel);
size_t x86_jcc_rel32(struct jit_buf *b, enum x86_cond c, int32_t rel);
size_t x86_jmp_rel8(struct jit_buf *b, int8_t rel);
size_t x86_jmp_rel32(struct jit_buf *b, int32_t rel);
size_t x86_call_rel32(struct jit_buf *b, int32_t rel);
/* Point the rel32 field at `field` (returned above) to buffer offset
 * `target`. */
void x86_patch_rel32(struct jit_buf *b, size_t field, size_t target);
/* Same for a rel8 field; false (nothing written) if `target` is out of
 * its reach or the field lies outside what was written. */
bool x86_patch_rel8(struct jit_buf *b, size_t field, size_t target);

/* jmp r / jmp dword [m] / call r / call dword [m]. */
void x86_jmp_r(struct jit_buf *b, enum x86_reg r);
void x86_jmp_m(struct jit_buf *b, struct x86_mem m);
void x86_call_r(struct jit_buf *b, enum x86_reg r);
void x86_call_m(struct jit_buf *b, struct x86_mem m);
/* ret / ret imm16 (pops imm16 bytes of arguments). */
void x86_ret(struct jit_buf *b);
void x86_ret_i(struct jit_buf *b, uint16_t imm);
/* push r / push imm (push imm8 sign-extended when it fits) / push dword
 * [m] / pop r. */
void x86_push_r(struct jit_buf *b, enum x86_reg r);
void x86_push_i(struct jit_buf *b, int32_t imm);
void x86_push_m(struct jit_buf *b, struct x86_mem m);
void x86_pop_r(struct jit_buf *b, enum x86_reg r);
void x86_nop(struct jit_buf *b);
/* ud2: the trap the compiler plants for `unreachable` (#UD). */
void x86_ud2(struct jit_buf *b);
void x86_int3(struct jit_buf *b);

/* Atomics: lock xadd dword [m], r (r = old value; [m] += r) and
 * lock cmpxchg dword [m], r (compares EAX; ZF on success, EAX = old). */
void x86_lock_xadd_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r);
void x86_lock_cmpxchg_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r);
/* lock cmpxchg8b qword [m]: EDX:EAX against [m], ECX:EBX stored. */
void x86_lock_cmpxchg8b_m(struct jit_buf *b, struct x86_mem m);
/* The byte and word forms of xadd and cmpxchg, for wasm's 8- and 16-bit
 * read-modify-writes: a byte r is AL..BL (else rejected). */
void x86_lock_xaddb_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r);
void x86_lock_xaddw_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r);
void x86_lock_cmpxchgb_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r);
void x86_lock_cmpxchgw_mr(struct jit_buf *b, struct x86_mem m, enum x86_reg r);
/* mfence (SSE2). */
void x86_mfence(struct jit_buf *b);

/* ---- SSE / SSE2 (x86_encode_sse.c) ---- */

/*
 * The two-operand xmm forms `op dst, src` where src may be an xmm register
 * or memory: the value is the mandatory prefix (0 for none) and the
 * opcode byte after 0F. The memory size is the instruction's (4 for the
 * ss forms, 8 for sd and movq, 16 for the packed ones, which need 16-byte
 * alignment except movdqu).
 */
enum x86_sse {
	X86_MOVSS = 0xF310,
	X86_MOVSD = 0xF210,
	X86_MOVQ = 0xF37E,
	X86_MOVDQU = 0xF36F,
	X86_MOVAPS = 0x0028,
	X86_ADDSS = 0xF358,
	X86_ADDSD = 0xF258,
	X86_SUBSS = 0xF35C,
	X86_SUBSD = 0xF25C,
	X86_MULSS = 0xF359,
	X86_MULSD = 0xF259,
	X86_DIVSS = 0xF35E,
	X86_DIVSD = 0xF25E,
	X86_SQRTSS = 0xF351,
	X86_SQRTSD = 0xF251,
	X86_MINSS = 0xF35D,
	X86_MINSD = 0xF25D,
	X86_MAXSS = 0xF35F,
	X86_MAXSD = 0xF25F,
	X86_UCOMISS = 0x002E,
	X86_UCOMISD = 0x662E,
	X86_COMISS = 0x002F,
	X86_COMISD = 0x662F,
	X86_CVTSS2SD = 0xF35A,
	X86_CVTSD2SS = 0xF25A,
	X86_ANDPS = 0x0054,
	X86_ANDPD = 0x6654,
	X86_ANDNPS = 0x0055,
	X86_ANDNPD = 0x6655,
	X86_ORPS = 0x0056,
	X86_ORPD = 0x6656,
	X86_XORPS = 0x0057,
	X86_XORPD = 0x6657,
	X86_PXOR = 0x66EF,
};
/* op dst, src. */
void x86_sse_xx(struct jit_buf *b, enum x86_sse op, enum x86_xmm dst,
		enum x86_xmm src);
/* op dst, [m]. */
void x86_sse_xm(struct jit_buf *b, enum x86_sse op, enum x86_xmm dst,
		struct x86_mem m);
/* The stores movss/movsd/movq/movdqu [m], src (op names the load). */
void x86_sse_mx(struct jit_buf *b, enum x86_sse op, struct x86_mem m,
		enum x86_xmm src);
/* movd dst, r32 (zeroing the upper lanes) / movd r32, src. */
void x86_movd_xr(struct jit_buf *b, enum x86_xmm dst, enum x86_reg src);
void x86_movd_rx(struct jit_buf *b, enum x86_reg dst, enum x86_xmm src);
/* cvtsi2ss/cvtsi2sd dst, r32 or dword [m] (signed). */
void x86_cvtsi2ss_xr(struct jit_buf *b, enum x86_xmm dst, enum x86_reg src);
void x86_cvtsi2sd_xr(struct jit_buf *b, enum x86_xmm dst, enum x86_reg src);
void x86_cvtsi2ss_xm(struct jit_buf *b, enum x86_xmm dst, struct x86_mem m);
void x86_cvtsi2sd_xm(struct jit_buf *b, enum x86_xmm dst, struct x86_mem m);
/* cvttss2si/cvttsd2si dst, src: truncating; 0x80000000 when out of
 * range or NaN (the compiler checks the range first for wasm's traps). */
void x86_cvttss2si_rx(struct jit_buf *b, enum x86_reg dst, enum x86_xmm src);
void x86_cvttsd2si_rx(struct jit_buf *b, enum x86_reg dst, enum x86_xmm src);

/* ---- x87 memory forms (x86_encode_x87.c) ---- */

/*
 * For wasm's i64 <-> float conversions, which SSE2 has only for 32-bit
 * integers on IA-32: fild qword converts an i64, fistp qword stores one
 * (rounding by the control word: the compiler sets truncation with
 * fnstcw/fldcw around it, as fisttp is SSE3), fld/fstp move the value
 * between the x87 stack and memory, where SSE2 picks it up. The value is
 * the opcode byte << 8 | the ModRM /digit.
 */
enum x86_x87 {
	X86_FLD32 = 0xD900,
	X86_FLD64 = 0xDD00,
	X86_FSTP32 = 0xD903,
	X86_FSTP64 = 0xDD03,
	X86_FILD32 = 0xDB00,
	X86_FILD64 = 0xDF05,
	X86_FISTP32 = 0xDB03,
	X86_FISTP64 = 0xDF07,
	X86_FNSTCW = 0xD907,
	X86_FLDCW = 0xD905,
};
/* op [m]: dword/qword as named, a word for fnstcw/fldcw. */
void x86_x87_m(struct jit_buf *b, enum x86_x87 op, struct x86_mem m);

#endif
