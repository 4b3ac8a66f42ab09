/*
 * tests/jit/arm_forms_translate.c: forms the i64 and float translation
 * (vm/jit/arm/arm_translate_i64.c, arm_translate_float.c) emits with the
 * exact operands it uses, for arm_forms.c (conventions there): the
 * register-pair shifts (a conditional register-shifted ORR, RSB from
 * 64), the multiply whose RdLo is its Rn, the compare through the high
 * half, the helper call through IP, the VFP flags to the APSR, the
 * conversions between S2 and D0, a D register from two core registers.
 */
#include "arm_encode.h"
#include "arm_forms.h"
#include "forms.h"

/* The form just written into b (accepted: its encoder took the
 * operands); text is what objdump must print. */
static void form(struct jit_buf *b, bool accepted, const char *text)
{
	ok(accepted, text);
	form_end(b, text);
}

static void i64_forms(void)
{
	struct jit_buf *b;

	b = form_begin();
	form(b,
	     arm_dp_rsr(b, ARM_PL, ARM_ORR, false, ARM_R0, ARM_R0, ARM_R1,
			ARM_ASR, ARM_R3),
	     "orrpl r0, r0, r1, asr r3");
	b = form_begin();
	form(b,
	     arm_dp_rsr(b, ARM_AL, ARM_ORR, false, ARM_LR, ARM_LR, ARM_R0,
			ARM_LSR, ARM_R3),
	     "orr lr, lr, r0, lsr r3");
	b = form_begin();
	form(b,
	     arm_dp_rsr(b, ARM_AL, ARM_MOV, false, ARM_LR, ARM_R0, ARM_R1,
			ARM_LSL, ARM_R2),
	     "lsl lr, r1, r2");
	b = form_begin();
	form(b, arm_dp_ri(b, ARM_AL, ARM_RSB, false, ARM_R2, ARM_R2, 64),
	     "rsb r2, r2, #64");
	b = form_begin();
	form(b, arm_dp_ri(b, ARM_AL, ARM_SUB, true, ARM_R3, ARM_R2, 32),
	     "subs r3, r2, #32");
	b = form_begin();
	arm_dp_rr(b, ARM_NE, ARM_MOV, false, ARM_LR, ARM_R0, ARM_R0);
	form(b, true, "movne lr, r0");
	b = form_begin();
	arm_mull(b, ARM_AL, ARM_UMULL, false, ARM_R0, ARM_R3, ARM_R0, ARM_R2);
	form(b, true, "umull r0, r3, r0, r2");
	b = form_begin();
	arm_mla(b, ARM_AL, false, ARM_R1, ARM_R0, ARM_R3, ARM_R1);
	form(b, true, "mla r1, r0, r3, r1");
	b = form_begin();
	arm_dp_rr(b, ARM_AL, ARM_SBC, true, ARM_R3, ARM_R3, ARM_R1);
	form(b, true, "sbcs r3, r3, r1");
	b = form_begin();
	form(b, arm_dp_ri(b, ARM_EQ, ARM_ADD, false, ARM_R2, ARM_R3, 32),
	     "addeq r2, r3, #32");
	b = form_begin();
	form(b,
	     arm_dp_rsi(b, ARM_AL, ARM_AND, false, ARM_R2, ARM_R3, ARM_R1,
			ARM_LSR, 1),
	     "and r2, r3, r1, lsr #1");
	b = form_begin();
	form(b,
	     arm_dp_rsi(b, ARM_AL, ARM_ADD, false, ARM_R1, ARM_R1, ARM_R1,
			ARM_LSR, 4),
	     "add r1, r1, r1, lsr #4");
	b = form_begin();
	arm_blx(b, ARM_AL, ARM_R12);
	form(b, true, "blx ip");
}

static void float_forms(void)
{
	struct jit_buf *b;

	b = form_begin();
	arm_vmrs(b, ARM_AL, ARM_PC);
	form(b, true, "vmrs APSR_nzcv, fpscr");
	b = form_begin();
	arm_vcmp(b, ARM_AL, ARM_F64, false, 0, 1);
	form(b, true, "vcmp.f64 d0, d1");
	b = form_begin();
	arm_vcmp(b, ARM_AL, ARM_F32, false, 0, 2);
	form(b, true, "vcmp.f32 s0, s2");
	b = form_begin();
	arm_vcvt_from_int(b, ARM_AL, false, ARM_F64, 0, 2);
	form(b, true, "vcvt.f64.u32 d0, s2");
	b = form_begin();
	arm_vcvt_from_int(b, ARM_AL, true, ARM_F32, 0, 2);
	form(b, true, "vcvt.f32.s32 s0, s2");
	b = form_begin();
	arm_vcvt_float(b, ARM_AL, ARM_F32, 0, 1);
	form(b, true, "vcvt.f32.f64 s0, d1");
	b = form_begin();
	arm_vcvt_float(b, ARM_AL, ARM_F64, 0, 2);
	form(b, true, "vcvt.f64.f32 d0, s2");
	b = form_begin();
	arm_vmov_d_core(b, ARM_AL, 1, ARM_R0, ARM_R1);
	form(b, true, "vmov d1, r0, r1");
	b = form_begin();
	arm_vop1(b, ARM_AL, ARM_VSQRT, ARM_F32, 0, 0);
	form(b, true, "vsqrt.f32 s0, s0");
	b = form_begin();
	arm_vop(b, ARM_AL, ARM_VDIV, ARM_F64, 0, 0, 1);
	form(b, true, "vdiv.f64 d0, d0, d1");
	b = form_begin();
	form(b, arm_vldr(b, ARM_AL, ARM_F32, 2, ARM_R4, 1016),
	     "vldr s2, [r4, #1016]");
	b = form_begin();
	form(b, arm_vstr(b, ARM_AL, ARM_F64, 0, ARM_R12, 0), "vstr d0, [ip]");
	b = form_begin();
	form(b,
	     arm_dp_ri(b, ARM_AL, ARM_BIC, false, ARM_R0, ARM_R0, 0x80000000u),
	     "bic r0, r0, #-2147483648");
}

/* The inline call's (vm/jit/arm/arm_translate_call.c): the native
 * stack compare, the locals' zeroing loop, the record's address, the
 * interrupt exit's conditional stores and return, the BLX to the
 * callee's code. */
static void call_forms(void)
{
	struct jit_buf *b;

	b = form_begin();
	arm_dp_rr(b, ARM_AL, ARM_CMP, false, ARM_R0, ARM_SP, ARM_R12);
	form(b, true, "cmp sp, ip");
	b = form_begin();
	form(b,
	     arm_ldst_imm(b, ARM_AL, ARM_STR, ARM_R8, ARM_R1, 4,
			  ARM_POST_INDEX),
	     "str r8, [r1], #4");
	b = form_begin();
	form(b, arm_dp_ri(b, ARM_AL, ARM_SUB, true, ARM_R2, ARM_R2, 1),
	     "subs r2, r2, #1");
	b = form_begin();
	arm_mla(b, ARM_AL, false, ARM_R1, ARM_R0, ARM_R2, ARM_R1);
	form(b, true, "mla r1, r0, r2, r1");
	b = form_begin();
	form(b,
	     arm_ldst_imm(b, ARM_NE, ARM_STR, ARM_R8, ARM_R6, 24, ARM_OFFSET),
	     "strne r8, [r6, #24]");
	b = form_begin();
	form(b,
	     arm_pop(b, ARM_NE,
		     1u << ARM_R4 | 1u << ARM_R5 | 1u << ARM_R6 | 1u << ARM_R7 |
			     1u << ARM_R8 | 1u << ARM_PC),
	     "popne {r4, r5, r6, r7, r8, pc}");
	b = form_begin();
	arm_blx(b, ARM_AL, ARM_R3);
	form(b, true, "blx r3");
	b = form_begin();
	form(b, arm_dp_ri(b, ARM_NE, ARM_MOV, false, ARM_R0, ARM_R0, 2),
	     "movne r0, #2");
}

/* Immediate folding's (vm/jit/arm/arm_translate_imm.c): the carry
 * into the high word as #0, the reverse compare through both words, the
 * high word of a negative constant, a multiply as a shift and an add. */
static void fold_forms(void)
{
	struct jit_buf *b;

	b = form_begin();
	form(b, arm_dp_ri(b, ARM_AL, ARM_ADC, false, ARM_R1, ARM_R1, 0),
	     "adc r1, r1, #0");
	b = form_begin();
	form(b, arm_dp_ri(b, ARM_AL, ARM_SBC, false, ARM_R1, ARM_R1, 0),
	     "sbc r1, r1, #0");
	b = form_begin();
	form(b, arm_dp_ri(b, ARM_AL, ARM_SBC, true, ARM_R1, ARM_R1, 0),
	     "sbcs r1, r1, #0");
	b = form_begin();
	form(b,
	     arm_dp_ri(b, ARM_AL, ARM_RSB, true, ARM_R0, ARM_R0, 0xff000000u),
	     "rsbs r0, r0, #-16777216");
	b = form_begin();
	form(b, arm_dp_ri(b, ARM_AL, ARM_RSC, true, ARM_R1, ARM_R1, 0),
	     "rscs r1, r1, #0");
	b = form_begin();
	arm_dp_rr(b, ARM_AL, ARM_MVN, false, ARM_R1, ARM_R0, ARM_R1);
	form(b, true, "mvn r1, r1");
	b = form_begin();
	form(b, arm_dp_ri(b, ARM_AL, ARM_MVN, false, ARM_R1, ARM_R0, 0),
	     "mvn r1, #0");
	b = form_begin();
	form(b,
	     arm_dp_rsi(b, ARM_AL, ARM_ADD, false, ARM_R0, ARM_R0, ARM_R0,
			ARM_LSL, 31),
	     "add r0, r0, r0, lsl #31");
	b = form_begin();
	form(b,
	     arm_dp_rsi(b, ARM_AL, ARM_RSB, false, ARM_R0, ARM_R0, ARM_R0,
			ARM_LSL, 3),
	     "rsb r0, r0, r0, lsl #3");
	b = form_begin();
	form(b,
	     arm_dp_rsi(b, ARM_AL, ARM_MOV, false, ARM_R0, ARM_R0, ARM_R0,
			ARM_LSL, 3),
	     "lsl r0, r0, #3");
}

void arm_forms_translation_num(void)
{
	fold_forms();
	i64_forms();
	float_forms();
	call_forms();
}
