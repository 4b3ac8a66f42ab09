/*
 * vm/jit/arm/arm_encode.h: the ARMv7-A encoder of the compiler's ARM
 * backend: one function per A32 instruction form (no Thumb), each
 * writing one 32-bit little-endian word (arm_mov32, arm_push/arm_pop of
 * one register excepted) into a jit_buf. The target is a Cortex-A15:
 * ARMv7-A with the integer divide instructions, VFPv4 with 32 D
 * registers.
 *
 * Operands whose range the caller's values decide (immediates, offsets,
 * shift amounts, register lists) are checked: a function that cannot
 * encode them writes nothing and returns false. Register choices the
 * architecture calls UNPREDICTABLE (PC as most operands, Rd == Rn in a
 * writeback, an odd first register of a doubleword pair) are the
 * caller's to avoid: the compiler picks registers from a fixed set.
 *
 * S registers are numbered 0..31 (s0..s31), D registers 0..31 (d0..d31).
 */
#ifndef VM_JIT_ARM_ENCODE_H
#define VM_JIT_ARM_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../jit_buf.h"

enum arm_reg {
	ARM_R0,
	ARM_R1,
	ARM_R2,
	ARM_R3,
	ARM_R4,
	ARM_R5,
	ARM_R6,
	ARM_R7,
	ARM_R8,
	ARM_R9,
	ARM_R10,
	ARM_R11,
	ARM_R12,
	ARM_SP,
	ARM_LR,
	ARM_PC,
};

/* Condition codes in their hardware numbering (bits 31..28). */
enum arm_cond {
	ARM_EQ,
	ARM_NE,
	ARM_CS, /* HS: unsigned >= */
	ARM_CC, /* LO: unsigned < */
	ARM_MI,
	ARM_PL,
	ARM_VS,
	ARM_VC,
	ARM_HI,
	ARM_LS,
	ARM_GE,
	ARM_LT,
	ARM_GT,
	ARM_LE,
	ARM_AL,
};

/* Data-processing opcodes in their hardware numbering (bits 24..21). */
enum arm_dp_op {
	ARM_AND,
	ARM_EOR,
	ARM_SUB,
	ARM_RSB,
	ARM_ADD,
	ARM_ADC,
	ARM_SBC,
	ARM_RSC,
	ARM_TST, /* the four compares: no Rd, always set the flags */
	ARM_TEQ,
	ARM_CMP,
	ARM_CMN,
	ARM_ORR,
	ARM_MOV, /* MOV and MVN: no Rn */
	ARM_BIC,
	ARM_MVN,
};

/* Shift types (bits 6..5); RRX is ROR with an amount of 0. */
enum arm_shift {
	ARM_LSL,
	ARM_LSR,
	ARM_ASR,
	ARM_ROR,
	ARM_RRX,
};

/* ---- Data processing (arm_encode.c) ---- */

/* Whether v is an A32 modified immediate (an 8-bit value rotated right
 * by an even amount); if so *field gets the 12-bit rotate:imm8 field. */
bool arm_imm_encodable(uint32_t v, uint32_t *field);

/* op{S} rd, rn, #imm. Compares ignore rd and set flags whatever
 * set_flags says; MOV/MVN ignore rn. False if imm is not encodable. */
bool arm_dp_ri(struct jit_buf *b, enum arm_cond cond, enum arm_dp_op op,
	       bool set_flags, enum arm_reg rd, enum arm_reg rn, uint32_t imm);

/* op{S} rd, rn, rm. */
void arm_dp_rr(struct jit_buf *b, enum arm_cond cond, enum arm_dp_op op,
	       bool set_flags, enum arm_reg rd, enum arm_reg rn,
	       enum arm_reg rm);

/* op{S} rd, rn, rm, shift #amount: LSL 0..31, LSR/ASR 1..32, ROR 1..31,
 * RRX 0 only. False for any other amount. */
bool arm_dp_rsi(struct jit_buf *b, enum arm_cond cond, enum arm_dp_op op,
		bool set_flags, enum arm_reg rd, enum arm_reg rn,
		enum arm_reg rm, enum arm_shift shift, unsigned amount);

/* op{S} rd, rn, rm, shift rs (LSL..ROR; the bottom byte of rs counts).
 * False for RRX. No operand may be PC. */
bool arm_dp_rsr(struct jit_buf *b, enum arm_cond cond, enum arm_dp_op op,
		bool set_flags, enum arm_reg rd, enum arm_reg rn,
		enum arm_reg rm, enum arm_shift shift, enum arm_reg rs);

/* MOVW rd, #imm16: rd = imm16, the top half cleared. */
void arm_movw(struct jit_buf *b, enum arm_cond cond, enum arm_reg rd,
	      uint16_t imm);
/* MOVT rd, #imm16: the top half of rd = imm16, the bottom half kept. */
void arm_movt(struct jit_buf *b, enum arm_cond cond, enum arm_reg rd,
	      uint16_t imm);
/* rd = value in the fewest words: MOV or MVN of a modified immediate,
 * else MOVW, then MOVT if the top half is not zero. Flags untouched. */
void arm_mov32(struct jit_buf *b, enum arm_cond cond, enum arm_reg rd,
	       uint32_t value);

/* ---- Multiply, divide, bit operations (arm_encode_mul.c) ---- */

/* MUL{S} rd, rn, rm: rd = rn * rm (low 32 bits). */
void arm_mul(struct jit_buf *b, enum arm_cond cond, bool set_flags,
	     enum arm_reg rd, enum arm_reg rn, enum arm_reg rm);
/* MLA{S} rd, rn, rm, ra: rd = rn * rm + ra. */
void arm_mla(struct jit_buf *b, enum arm_cond cond, bool set_flags,
	     enum arm_reg rd, enum arm_reg rn, enum arm_reg rm,
	     enum arm_reg ra);
/* MLS rd, rn, rm, ra: rd = ra - rn * rm. */
void arm_mls(struct jit_buf *b, enum arm_cond cond, enum arm_reg rd,
	     enum arm_reg rn, enum arm_reg rm, enum arm_reg ra);
/* The long multiplies: UMULL/SMULL{S} lo, hi, rn, rm set hi:lo to the
 * 64-bit product rn * rm, UMLAL/SMLAL add it to hi:lo. lo != hi. */
enum arm_mull {
	ARM_UMULL = 4,
	ARM_UMLAL,
	ARM_SMULL,
	ARM_SMLAL,
};
void arm_mull(struct jit_buf *b, enum arm_cond cond, enum arm_mull op,
	      bool set_flags, enum arm_reg lo, enum arm_reg hi, enum arm_reg rn,
	      enum arm_reg rm);
/* SDIV/UDIV rd, rn, rm: rd = rn / rm rounded toward zero; a divisor of
 * 0 gives 0 (no trap on ARMv7-A: the compiler tests for it). */
void arm_sdiv(struct jit_buf *b, enum arm_cond cond, enum arm_reg rd,
	      enum arm_reg rn, enum arm_reg rm);
void arm_udiv(struct jit_buf *b, enum arm_cond cond, enum arm_reg rd,
	      enum arm_reg rn, enum arm_reg rm);
/* One-register bit operations, rd = op(rm): CLZ counts leading zero
 * bits (32 for 0), RBIT reverses the bits (CTZ is RBIT then CLZ), REV
 * the bytes, REV16 the bytes of each halfword. */
enum arm_bitop {
	ARM_CLZ,
	ARM_RBIT,
	ARM_REV,
	ARM_REV16,
};
void arm_bitop(struct jit_buf *b, enum arm_cond cond, enum arm_bitop op,
	       enum arm_reg rd, enum arm_reg rm);

/* Extends: rd = the low byte/halfword of (rm ROR rotation), zero- or
 * sign-extended. rotation is 0, 8, 16 or 24, else false. The values are
 * the opcode's bits 27..20. */
enum arm_extend {
	ARM_SXTB = 0x6a,
	ARM_SXTH = 0x6b,
	ARM_UXTB = 0x6e,
	ARM_UXTH = 0x6f,
};
bool arm_extend(struct jit_buf *b, enum arm_cond cond, enum arm_extend op,
		enum arm_reg rd, enum arm_reg rm, unsigned rotation);

/* ---- Loads and stores (arm_encode_mem.c) ---- */

/* Addressing: [rn, off], [rn, off]! (rn updated first), [rn], off
 * (rn updated after). With writeback rn != rt and rn != PC. */
enum arm_index {
	ARM_OFFSET,
	ARM_PRE_INDEX,
	ARM_POST_INDEX,
};

/* Word and unsigned byte transfers. */
enum arm_ldst {
	ARM_STR,
	ARM_LDR,
	ARM_STRB,
	ARM_LDRB,
};

/* op rt, [rn, #off]: off in -4095..4095, else false. */
bool arm_ldst_imm(struct jit_buf *b, enum arm_cond cond, enum arm_ldst op,
		  enum arm_reg rt, enum arm_reg rn, int32_t off,
		  enum arm_index index);
/* op rt, [rn, +/-rm, shift #amount] (amounts as arm_dp_rsi; rm != PC).
 * False for a bad amount. */
bool arm_ldst_reg(struct jit_buf *b, enum arm_cond cond, enum arm_ldst op,
		  enum arm_reg rt, enum arm_reg rn, bool subtract,
		  enum arm_reg rm, enum arm_shift shift, unsigned amount,
		  enum arm_index index);

/* Halfword, signed byte and doubleword transfers. The doubleword forms
 * move rt and rt + 1: rt even and not LR. */
enum arm_ldst_misc {
	ARM_STRH,
	ARM_LDRH,
	ARM_LDRSB,
	ARM_LDRSH,
	ARM_LDRD,
	ARM_STRD,
};

/* op rt, [rn, #off]: off in -255..255, else false. */
bool arm_ldst_misc_imm(struct jit_buf *b, enum arm_cond cond,
		       enum arm_ldst_misc op, enum arm_reg rt, enum arm_reg rn,
		       int32_t off, enum arm_index index);
/* op rt, [rn, +/-rm] (no shift in these forms). */
void arm_ldst_misc_reg(struct jit_buf *b, enum arm_cond cond,
		       enum arm_ldst_misc op, enum arm_reg rt, enum arm_reg rn,
		       bool subtract, enum arm_reg rm, enum arm_index index);

/* Block transfers: IA from rn upward, DB downward ending below rn. */
enum arm_block {
	ARM_DA,
	ARM_IA,
	ARM_DB,
	ARM_IB,
};
/* LDM/STM rn{!}, {regs}: bit n of regs is register n. False for an
 * empty list. */
bool arm_ldm(struct jit_buf *b, enum arm_cond cond, enum arm_block mode,
	     enum arm_reg rn, bool writeback, uint16_t regs);
bool arm_stm(struct jit_buf *b, enum arm_cond cond, enum arm_block mode,
	     enum arm_reg rn, bool writeback, uint16_t regs);
/* PUSH/POP {regs}: STMDB/LDMIA sp!, or for one register the STR/LDR
 * form the manual prescribes for it. False for an empty list. */
bool arm_push(struct jit_buf *b, enum arm_cond cond, uint16_t regs);
bool arm_pop(struct jit_buf *b, enum arm_cond cond, uint16_t regs);

/* ---- Branches, exclusives, barriers, traps (arm_encode_ctl.c) ---- */

/* B/BL to the address `rel` bytes from this instruction: a multiple of
 * 4 in -32 MiB + 8 .. 32 MiB + 4. Return the branch's offset in b, for
 * arm_branch_patch once the target is known (emit with rel 0
 * meanwhile), or ARM_NO_BRANCH with nothing written if rel is out of
 * reach. */
#define ARM_NO_BRANCH ((size_t)-1)
size_t arm_b(struct jit_buf *b, enum arm_cond cond, int32_t rel);
size_t arm_bl(struct jit_buf *b, enum arm_cond cond, int32_t rel);
/* Point the B/BL at offset `at` to offset `target` of b. False if the
 * distance does not fit or no branch was written there (b overflowed). */
bool arm_branch_patch(struct jit_buf *b, size_t at, size_t target);
/* BX rm / BLX rm: branch (and link) to the address in rm; bit 0 of rm
 * selects Thumb, which compiled code never does. */
void arm_bx(struct jit_buf *b, enum arm_cond cond, enum arm_reg rm);
void arm_blx(struct jit_buf *b, enum arm_cond cond, enum arm_reg rm);

/* Exclusive access sizes; the doubleword forms move rt and rt + 1 (rt
 * even, not LR). */
enum arm_excl {
	ARM_EXCL_WORD,
	ARM_EXCL_DOUBLE,
	ARM_EXCL_BYTE,
	ARM_EXCL_HALF,
};
/* LDREX{B,H,D} rt, [rn]: load and open the exclusive monitor. */
void arm_ldrex(struct jit_buf *b, enum arm_cond cond, enum arm_excl size,
	       enum arm_reg rt, enum arm_reg rn);
/* STREX{B,H,D} rd, rt, [rn]: store if the monitor still holds; rd = 0
 * if it did, 1 if not. rd differs from rt (and rt + 1) and rn. */
void arm_strex(struct jit_buf *b, enum arm_cond cond, enum arm_excl size,
	       enum arm_reg rd, enum arm_reg rt, enum arm_reg rn);
/* CLREX: drop the local monitor's reservation. Unconditional. */
void arm_clrex(struct jit_buf *b);

/* Barrier domains and types (the option field of DMB/DSB). */
enum arm_barrier {
	ARM_BARRIER_ISHST = 0xa,
	ARM_BARRIER_ISH = 0xb,
	ARM_BARRIER_ST = 0xe,
	ARM_BARRIER_SY = 0xf,
};
/* DMB/DSB option; ISB SY. Unconditional. */
void arm_dmb(struct jit_buf *b, enum arm_barrier option);
void arm_dsb(struct jit_buf *b, enum arm_barrier option);
void arm_isb(struct jit_buf *b);

/* UDF #imm16: always undefined, the compiled code's trap. */
void arm_udf(struct jit_buf *b, uint16_t imm);
/* BKPT #imm16: a debug breakpoint. */
void arm_bkpt(struct jit_buf *b, uint16_t imm);
/* NOP: the architected no-op hint (padding). */
void arm_nop(struct jit_buf *b, enum arm_cond cond);

/* ---- VFP (arm_encode_vfp.c) ---- */

/* Precision of a VFP operation: F32 on S registers, F64 on D. */
enum arm_fsize {
	ARM_F32,
	ARM_F64,
};

/* VLDR/VSTR sd or dd, [rn, #off]: off a multiple of 4 in -1020..1020,
 * else false. */
bool arm_vldr(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	      unsigned vd, enum arm_reg rn, int32_t off);
bool arm_vstr(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	      unsigned vd, enum arm_reg rn, int32_t off);

/* VLDM/VSTM rn{!}, {v(first)..v(first + count - 1)}: IA (writeback
 * optional) or DB (writeback required); at most 16 D registers, none
 * past s31/d31. False otherwise. */
bool arm_vldm(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	      enum arm_block mode, enum arm_reg rn, bool writeback,
	      unsigned first, unsigned count);
bool arm_vstm(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	      enum arm_block mode, enum arm_reg rn, bool writeback,
	      unsigned first, unsigned count);
/* VPUSH/VPOP {first..first + count - 1}: VSTMDB/VLDMIA sp! (saving the
 * callee-saved d8..d15 in a prologue). Limits as arm_vldm. */
bool arm_vpush(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	       unsigned first, unsigned count);
bool arm_vpop(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	      unsigned first, unsigned count);

/* VMOV sn, rt / VMOV rt, sn. */
void arm_vmov_s_core(struct jit_buf *b, enum arm_cond cond, unsigned sn,
		     enum arm_reg rt);
void arm_vmov_core_s(struct jit_buf *b, enum arm_cond cond, enum arm_reg rt,
		     unsigned sn);
/* VMOV dm, lo, hi / VMOV lo, hi, dm: dm's low word is lo. */
void arm_vmov_d_core(struct jit_buf *b, enum arm_cond cond, unsigned dm,
		     enum arm_reg lo, enum arm_reg hi);
void arm_vmov_core_d(struct jit_buf *b, enum arm_cond cond, enum arm_reg lo,
		     enum arm_reg hi, unsigned dm);
/* VMOV.F32 sd, sm / VMOV.F64 dd, dm. */
void arm_vmov(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	      unsigned vd, unsigned vm);

/* VMOV.F32 sd, #imm / VMOV.F64 dd, #imm: the float whose bit pattern
 * is `bits` (an F32's in the low 32 bits), if it is +/-(1 + m/16) * 2^e
 * with m in 0..15 and e in -3..4 (0.0 is not). False otherwise. */
bool arm_vmov_imm(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
		  unsigned vd, uint64_t bits);

/* Two-operand arithmetic, vd = vn op vm; VDIV is correctly rounded. */
enum arm_vop {
	ARM_VMUL,
	ARM_VADD,
	ARM_VSUB,
	ARM_VDIV,
};
void arm_vop(struct jit_buf *b, enum arm_cond cond, enum arm_vop op,
	     enum arm_fsize size, unsigned vd, unsigned vn, unsigned vm);

/* One-operand operations, vd = op(vm). */
enum arm_vop1 {
	ARM_VABS,
	ARM_VNEG,
	ARM_VSQRT,
};
void arm_vop1(struct jit_buf *b, enum arm_cond cond, enum arm_vop1 op,
	      enum arm_fsize size, unsigned vd, unsigned vm);

/* VCMP{E} vd, vm and with #0.0: FPSCR's flags from the comparison
 * (unordered: C and V set). VCMPE also raises Invalid on a quiet NaN. */
void arm_vcmp(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	      bool signal_nan, unsigned vd, unsigned vm);
void arm_vcmp_zero(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
		   bool signal_nan, unsigned vd);

/* VMRS rt, FPSCR; with rt == PC, VMRS APSR_nzcv, FPSCR (the flags of
 * the last VCMP into the APSR for a conditional instruction). */
void arm_vmrs(struct jit_buf *b, enum arm_cond cond, enum arm_reg rt);
/* VMSR FPSCR, rt. */
void arm_vmsr(struct jit_buf *b, enum arm_cond cond, enum arm_reg rt);

/* VCVT{R}.S32/U32.F32/F64 sd, vm: a float to an integer in an S
 * register, rounded toward zero, or with FPSCR's mode (VCVTR) when
 * fpscr_rounding. NaN gives 0; out of range saturates. */
void arm_vcvt_to_int(struct jit_buf *b, enum arm_cond cond, bool is_signed,
		     bool fpscr_rounding, enum arm_fsize from, unsigned sd,
		     unsigned vm);
/* VCVT.F32/F64.S32/U32 vd, sm: an integer in an S register to a float
 * (F32 rounded with FPSCR's mode; F64 exact). */
void arm_vcvt_from_int(struct jit_buf *b, enum arm_cond cond, bool is_signed,
		       enum arm_fsize to, unsigned vd, unsigned sm);
/* VCVT.F64.F32 dd, sm (to F64) or VCVT.F32.F64 sd, dm (to F32). */
void arm_vcvt_float(struct jit_buf *b, enum arm_cond cond, enum arm_fsize to,
		    unsigned vd, unsigned vm);

#endif
