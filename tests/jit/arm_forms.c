/*
 * tests/jit/arm_forms.c: every form of the ARM encoder (vm/jit/arm/),
 * each with the text the ARM ARM (ARMv7-A/R) gives it in UAL, for
 * scripts/check-jit-encoders (tests/jit/README.md). Host code.
 *
 * The texts are built from the operands of each call, with binutils'
 * spelling where it has a choice the manual leaves open:
 *  - r10, r11, r12 are sl, fp, ip (the procedure-call standard's names);
 *  - a modified immediate is a signed decimal (#-1 for 0xffffffff);
 *  - the doubleword forms (LDRD, STRD, LDREXD, STREXD) omit the implied
 *    second register Rt2 = Rt + 1;
 *  - the NOP hint prints its number ("nop {0}"), BKPT its immediate in
 *    hex without '#';
 *  - STM with writeback keeps the IA suffix the manual makes optional
 *    ("stmia r5!, {r4, lr}", but "stm r5, ..." and "ldm r5!, ..."), as
 *    VLDM/VSTM always do ("vldmia r0, {d0-d3}");
 *  - a VFP immediate is its imm8 field in decimal ("vmov.f32 s0, #112"
 *    for 1.0; arm_forms_vfp.c works each out from the value).
 * MOV of a shifted register is written as the shift instruction (LSL,
 * LSR, ASR, ROR, RRX), the manual's preferred disassembly, and STMDB
 * sp! / LDMIA sp! as PUSH / POP.
 *
 * Besides the forms, the program checks that every operand the encoder
 * must refuse is refused with nothing written, and arm_imm_encodable
 * against the list of every encodable value; a wrong answer makes it
 * exit 1, which the check reports as a failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm_encode.h"
#include "arm_forms.h"
#include "forms.h"

const char *const reg[16] = {
	"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
	"r8", "r9", "sl", "fp", "ip", "sp", "lr", "pc",
};
const char *const cond[15] = {
	"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
	"hi", "ls", "ge", "lt", "gt", "le", "",
};
static const char *const dp[16] = {
	"and", "eor", "sub", "rsb", "add", "adc", "sbc", "rsc",
	"tst", "teq", "cmp", "cmn", "orr", "mov", "bic", "mvn",
};
static const char *const shift[5] = {"lsl", "lsr", "asr", "ror", "rrx"};

static int wrong;

/* printf into one of a few rotating buffers (texts are built from
 * pieces that are themselves built). */
const char *fmt(const char *format, ...)
{
	static char bufs[8][160];
	static int next;
	char *s = bufs[next++ % 8];
	va_list ap;

	va_start(ap, format);
	vsnprintf(s, sizeof(bufs[0]), format, ap);
	va_end(ap);
	return s;
}

/* A call that must succeed: a false return is reported and, as nothing
 * was written, form_end fails the program too. */
void ok(bool accepted, const char *what)
{
	if (!accepted) {
		fprintf(stderr, "arm_forms: %s refused\n", what);
		wrong = 1;
	}
}

/* A call that must be refused. */
void refused_call(bool accepted, const char *what)
{
	if (accepted) {
		fprintf(stderr, "arm_forms: %s accepted\n", what);
		wrong = 1;
	}
}

/* A call that must be refused with nothing written. */
void refused(bool accepted, struct jit_buf *b, const char *what)
{
	refused_call(accepted || jit_buf_offset(b) != 0, what);
}

/* ---- Data processing ---- */

static uint32_t ror(uint32_t v, unsigned n)
{
	return n % 32 ? v >> n % 32 | v << (32 - n % 32) : v;
}

/* "op{s}{c} rd, rn, " and the operand: compares have no S and no Rd,
 * MOV/MVN no Rn; MOV of a shifted register is the shift's own name. */
static const char *dp_text(enum arm_dp_op op, bool s, int c, int rd, int rn,
			   const char *operand)
{
	const char *suffix = fmt("%s%s",
				 op >= ARM_TST && op <= ARM_CMN ? ""
				 : s				? "s"
								: "",
				 cond[c]);

	if (op >= ARM_TST && op <= ARM_CMN)
		return fmt("%s%s %s, %s", dp[op], suffix, reg[rn], operand);
	if (op == ARM_MOV || op == ARM_MVN)
		return fmt("%s%s %s, %s", dp[op], suffix, reg[rd], operand);
	return fmt("%s%s %s, %s, %s", dp[op], suffix, reg[rd], reg[rn],
		   operand);
}

/* The shifted-register operand "rm, lsl #n" ("rm" for LSL #0). */
const char *shifted(int rm, enum arm_shift sh, unsigned amount)
{
	if (sh == ARM_RRX)
		return fmt("%s, rrx", reg[rm]);
	if (sh == ARM_LSL && amount == 0)
		return reg[rm];
	return fmt("%s, %s #%u", reg[rm], shift[sh], amount);
}

static void dp_imm(enum arm_dp_op op, bool s, int c, int rd, int rn,
		   uint32_t imm)
{
	struct jit_buf *b = form_begin();

	ok(arm_dp_ri(b, c, op, s, rd, rn, imm), "dp immediate");
	form_end(b, dp_text(op, s, c, rd, rn, fmt("#%d", (int32_t)imm)));
}

static void dp_shift_imm(enum arm_dp_op op, bool s, int c, int rd, int rn,
			 int rm, enum arm_shift sh, unsigned amount)
{
	struct jit_buf *b = form_begin();
	const char *text;

	ok(arm_dp_rsi(b, c, op, s, rd, rn, rm, sh, amount), "dp shift");
	if (op == ARM_MOV && sh == ARM_RRX)
		text = fmt("rrx%s%s %s, %s", s ? "s" : "", cond[c], reg[rd],
			   reg[rm]);
	else if (op == ARM_MOV && !(sh == ARM_LSL && amount == 0))
		text = fmt("%s%s%s %s, %s, #%u", shift[sh], s ? "s" : "",
			   cond[c], reg[rd], reg[rm], amount);
	else
		text = dp_text(op, s, c, rd, rn, shifted(rm, sh, amount));
	form_end(b, text);
}

static void dp_shift_reg(enum arm_dp_op op, bool s, int c, int rd, int rn,
			 int rm, enum arm_shift sh, int rs)
{
	struct jit_buf *b = form_begin();
	const char *text;

	ok(arm_dp_rsr(b, c, op, s, rd, rn, rm, sh, rs), "dp shift reg");
	if (op == ARM_MOV)
		text = fmt("%s%s%s %s, %s, %s", shift[sh], s ? "s" : "",
			   cond[c], reg[rd], reg[rm], reg[rs]);
	else
		text = dp_text(op, s, c, rd, rn,
			       fmt("%s, %s %s", reg[rm], shift[sh], reg[rs]));
	form_end(b, text);
}

/* An amount the shift takes near `a`: LSR/ASR #0 are #32, ROR 32 is 1,
 * RRX has none. */
static unsigned in_range(enum arm_shift sh, unsigned a)
{
	if (sh == ARM_RRX)
		return 0;
	if (sh == ARM_LSL)
		return a % 32;
	if (sh == ARM_ROR)
		return a % 32 ? a % 32 : 1;
	return a ? a : 32;
}

/* Each of the 16 rotations once, with imm8 patterns that use both ends
 * of the byte (so a rotation off by one shows). */
static uint32_t rotated(int k)
{
	static const uint8_t imm8[] = {0xab, 0x81, 0x7f, 0xc3, 0x35, 0xff};

	return ror(imm8[k % 6], 2 * (k % 16));
}

static void data_processing(void)
{
	/* Every opcode with and without S, each operand form once. */
	for (int op = 0; op < 16; op++) {
		for (int s = 0; s < 2; s++) {
			int k = op * 2 + s, c = k % 15;
			int rd = k % 15, rn = (k * 5 + 1) % 15;
			int rm = (k * 7 + 2) % 15, rs = (k * 11 + 3) % 15;
			static const unsigned amount[] = {1, 32, 32, 31,
							  0, 17, 5,  9};
			enum arm_shift sh = (enum arm_shift)(k % 5);

			dp_imm(op, s, c, rd, rn, rotated(k));
			dp_shift_imm(op, s, ARM_AL, rd, rn, rm, sh,
				     in_range(sh, amount[k % 8]));
			dp_shift_reg(op, s, c, rd, rn, rm,
				     (enum arm_shift)(k % 4), rs);

			struct jit_buf *b = form_begin();
			arm_dp_rr(b, c, op, s, rd, rn, rm);
			form_end(b, dp_text(op, s, c, rd, rn, reg[rm]));
		}
	}
	/* Every condition, every register in every field. */
	for (int c = 0; c < 15; c++)
		dp_imm(ARM_ADD, c & 1, c, c, 14 - c, 1u << (2 * c));
	for (int r = 0; r < 16; r++)
		dp_shift_imm(ARM_EOR, false, ARM_AL, r, 15 - r, (r + 5) % 16,
			     ARM_LSL, 0);
	/* Every rotation and the edges of the immediate. */
	for (int k = 0; k < 16; k++)
		dp_imm(ARM_MOV, false, ARM_AL, ARM_R0, ARM_R0,
		       ror(0xff, 2 * k));
	static const uint32_t edge[] = {0,	    1,		0xff,
					0x100,	    0x3fc,	0x104,
					0xff000000, 0xf000000f, 0x80000001,
					0xc0000000, 0x00ab0000, 0x02000000};
	for (unsigned i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		dp_imm(i % 2 ? ARM_SUB : ARM_CMP, false, ARM_AL, ARM_R1, ARM_R2,
		       edge[i]);
	/* Every shift at the ends of its range, as an operand and as MOV. */
	static const struct {
		enum arm_shift sh;
		unsigned amount;
	} shifts[] = {{ARM_LSL, 1},  {ARM_LSL, 31}, {ARM_LSR, 1},
		      {ARM_LSR, 32}, {ARM_ASR, 1},  {ARM_ASR, 32},
		      {ARM_ROR, 1},  {ARM_ROR, 31}, {ARM_RRX, 0}};
	for (unsigned i = 0; i < 9; i++) {
		dp_shift_imm(ARM_ADD, false, ARM_AL, ARM_R3, ARM_R4, ARM_R5,
			     shifts[i].sh, shifts[i].amount);
		dp_shift_imm(ARM_MOV, i & 1, ARM_NE, ARM_R6, ARM_R0, ARM_R7,
			     shifts[i].sh, shifts[i].amount);
		dp_shift_imm(ARM_CMP, false, ARM_AL, ARM_R0, ARM_R8, ARM_R9,
			     shifts[i].sh, shifts[i].amount);
	}
	for (int sh = 0; sh < 4; sh++)
		dp_shift_reg(ARM_MVN, true, ARM_AL, ARM_R1, ARM_R0, ARM_R2, sh,
			     ARM_R3);
}

static void data_processing_refused(void)
{
	static const uint32_t bad_imm[] = {0x101,      0x1fe,	   0x102,
					   0xff1,      0x12345678, 0x1fe00000,
					   0xffffffff, 0x80000101, 0x00ff00ff};
	static const struct {
		enum arm_shift sh;
		unsigned amount;
	} bad_shift[] = {{ARM_LSL, 32}, {ARM_LSR, 0},  {ARM_LSR, 33},
			 {ARM_ASR, 0},	{ARM_ASR, 33}, {ARM_ROR, 0},
			 {ARM_ROR, 32}, {ARM_RRX, 1},  {5, 1}};
	struct jit_buf *b;

	for (unsigned i = 0; i < sizeof(bad_imm) / sizeof(bad_imm[0]); i++) {
		b = form_begin();
		refused(arm_dp_ri(b, ARM_AL, ARM_ADD, false, 0, 1, bad_imm[i]),
			b, fmt("immediate %#x", bad_imm[i]));
	}
	for (unsigned i = 0; i < 9; i++) {
		b = form_begin();
		refused(arm_dp_rsi(b, ARM_AL, ARM_ADD, false, 0, 1, 2,
				   bad_shift[i].sh, bad_shift[i].amount),
			b,
			fmt("shift %d #%u", bad_shift[i].sh,
			    bad_shift[i].amount));
	}
	b = form_begin();
	refused(arm_dp_rsr(b, ARM_AL, ARM_ADD, false, 0, 1, 2, ARM_RRX, 3), b,
		"rrx by a register");
}

/*
 * arm_imm_encodable against the list of every encodable value, made by
 * expanding each of the 4096 fields as the manual's ARMExpandImm does:
 * each value must be found with the field of its smallest rotation, and
 * a value outside the list (every neighbour of a listed value, and a
 * sweep of others) must be refused.
 */
static uint32_t encodable_values[4096];
static uint16_t encodable_fields[4096];
static int n_encodable;

static int find_encodable(uint32_t v)
{
	for (int i = 0; i < n_encodable; i++)
		if (encodable_values[i] == v)
			return i;
	return -1;
}

static void check_encodable(uint32_t v)
{
	uint32_t field = 0xffffffff;
	int i = find_encodable(v);
	bool got = arm_imm_encodable(v, &field);

	if (got != (i >= 0) || (got && field != encodable_fields[i])) {
		fprintf(stderr, "arm_forms: arm_imm_encodable(%#x) = %d, %#x\n",
			v, got, field);
		wrong = 1;
	}
}

static void imm_encodable(void)
{
	for (uint32_t rot = 0; rot < 16; rot++)
		for (uint32_t imm8 = 0; imm8 < 256; imm8++) {
			uint32_t v = ror(imm8, 2 * rot);

			if (find_encodable(v) < 0) {
				encodable_values[n_encodable] = v;
				encodable_fields[n_encodable++] =
					(uint16_t)(rot << 8 | imm8);
			}
		}
	for (int i = 0; i < n_encodable; i++)
		for (int d = -1; d <= 1; d++)
			check_encodable(encodable_values[i] + (uint32_t)d);
	for (uint32_t v = 1; v < 0xfff00000; v += 0x000fedcb)
		check_encodable(v);
	if (arm_imm_encodable(0x104, NULL) != true) {
		fprintf(stderr, "arm_forms: arm_imm_encodable without field\n");
		wrong = 1;
	}
}

/* ---- Moves, multiplies, bit operations ---- */

static void mov32(int c, int rd, uint32_t v, const char *text)
{
	struct jit_buf *b = form_begin();

	arm_mov32(b, c, rd, v);
	form_end(b, text);
}

static void moves(void)
{
	static const uint16_t imm16[] = {0, 1, 0xfff, 0x1000, 0x1234, 0xffff};
	struct jit_buf *b;

	for (int i = 0; i < 6; i++) {
		b = form_begin();
		arm_movw(b, i * 2, i * 2 + 1, imm16[i]);
		form_end(b, fmt("movw%s %s, #%u", cond[i * 2], reg[i * 2 + 1],
				imm16[i]));
		b = form_begin();
		arm_movt(b, 14 - i, 14 - i, imm16[i]);
		form_end(b, fmt("movt%s %s, #%u", cond[14 - i], reg[14 - i],
				imm16[i]));
	}
	mov32(ARM_AL, ARM_R0, 0, "mov r0, #0");
	mov32(ARM_AL, ARM_R1, 0xff000000, "mov r1, #-16777216");
	mov32(ARM_EQ, ARM_R2, 0xffffffff, "mvneq r2, #0");
	mov32(ARM_AL, ARM_R3, 0xfffffeff, "mvn r3, #256");
	mov32(ARM_AL, ARM_R4, 0x1234, "movw r4, #4660");
	mov32(ARM_AL, ARM_R5, 0xffff, "movw r5, #65535");
	mov32(ARM_NE, ARM_R6, 0x12345678,
	      "movwne r6, #22136; movtne r6, #4660");
	mov32(ARM_AL, ARM_LR, 0xffff0000, "movw lr, #0; movt lr, #65535");
	mov32(ARM_AL, ARM_R12, 0x00010001, "movw ip, #1; movt ip, #1");
	mov32(ARM_AL, ARM_R7, 0xedcba987, "movw r7, #43399; movt r7, #60875");
}

static void multiplies(void)
{
	struct jit_buf *b;

	for (int i = 0; i < 4; i++) {
		int c = i * 3, s = i & 1, d = i, n = 4 + i, m = 8 + i;
		int a = 12 - i;
		const char *sc = fmt("%s%s", s ? "s" : "", cond[c]);

		b = form_begin();
		arm_mul(b, c, s, d, n, m);
		form_end(b,
			 fmt("mul%s %s, %s, %s", sc, reg[d], reg[n], reg[m]));
		b = form_begin();
		arm_mla(b, c, s, d, n, m, a);
		form_end(b, fmt("mla%s %s, %s, %s, %s", sc, reg[d], reg[n],
				reg[m], reg[a]));
		b = form_begin();
		arm_mls(b, c, m, d, a, n);
		form_end(b, fmt("mls%s %s, %s, %s, %s", cond[c], reg[m], reg[d],
				reg[a], reg[n]));
		static const char *const long_name[] = {"umull", "umlal",
							"smull", "smlal"};
		for (int l = 0; l < 4; l++) {
			b = form_begin();
			arm_mull(b, c, ARM_UMULL + l, s, d, a, m, n);
			form_end(b, fmt("%s%s %s, %s, %s, %s", long_name[l], sc,
					reg[d], reg[a], reg[m], reg[n]));
		}
		b = form_begin();
		arm_sdiv(b, c, d, n, m);
		form_end(b, fmt("sdiv%s %s, %s, %s", cond[c], reg[d], reg[n],
				reg[m]));
		b = form_begin();
		arm_udiv(b, c, a, m, d);
		form_end(b, fmt("udiv%s %s, %s, %s", cond[c], reg[a], reg[m],
				reg[d]));
	}
}

static void bit_operations(void)
{
	static const char *const unary_name[] = {"clz", "rbit", "rev", "rev16"};
	static const enum arm_extend ext[] = {ARM_SXTB, ARM_SXTH, ARM_UXTB,
					      ARM_UXTH};
	static const char *const ext_name[] = {"sxtb", "sxth", "uxtb", "uxth"};
	struct jit_buf *b;

	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 2; j++) {
			int c = j ? ARM_AL : i + 8, d = i * 3 + j, m = 14 - i;

			b = form_begin();
			arm_bitop(b, c, i, d, m);
			form_end(b, fmt("%s%s %s, %s", unary_name[i], cond[c],
					reg[d], reg[m]));
		}
	for (int i = 0; i < 4; i++)
		for (unsigned rot = 0; rot <= 24; rot += 8) {
			int c = rot == 8 ? ARM_GT : ARM_AL;
			int d = (int)(i + rot / 2) % 15, m = (int)(rot / 8 + 9);

			b = form_begin();
			ok(arm_extend(b, c, ext[i], d, m, rot), "extend");
			form_end(b,
				 rot ? fmt("%s%s %s, %s, ror #%u", ext_name[i],
					   cond[c], reg[d], reg[m], rot)
				     : fmt("%s%s %s, %s", ext_name[i], cond[c],
					   reg[d], reg[m]));
		}
	static const unsigned bad_rot[] = {4, 32, 7, 25};
	for (int i = 0; i < 4; i++) {
		b = form_begin();
		refused(arm_extend(b, ARM_AL, ARM_UXTB, 0, 1, bad_rot[i]), b,
			fmt("extend ror #%u", bad_rot[i]));
	}
}

/* A form that does not fit writes nothing more and sets `full`; a
 * branch that was not written cannot be patched. */
static void overflow(void)
{
	uint8_t mem[6];
	struct jit_buf small;
	size_t at;

	jit_buf_init(&small, mem, sizeof(mem));
	arm_mov32(&small, ARM_AL, ARM_R0, 0x12345678);
	at = arm_b(&small, ARM_AL, 0);
	if (!small.full || jit_buf_offset(&small) != 4 || at != 4)
		ok(false, "an overflowing mov32 and b");
	refused_call(arm_branch_patch(&small, at, 0), "patch of a lost b");
}

/* Forms the translation (vm/jit/arm/arm_translate*.c) emits with
 * operands the cases above leave out: br_table's jump (ADD to PC), the
 * prologue's push, the return on a call's failed status, a halfword
 * load below the end of an access. */
static void translation(void)
{
	struct jit_buf *b = form_begin();

	ok(arm_dp_rsi(b, ARM_AL, ARM_ADD, false, ARM_PC, ARM_PC, ARM_R0,
		      ARM_LSL, 2),
	   "add pc");
	form_end(b, "add pc, pc, r0, lsl #2");
	b = form_begin();
	ok(arm_push(b, ARM_AL, 0x41f0), "push");
	form_end(b, "push {r4, r5, r6, r7, r8, lr}");
	b = form_begin();
	ok(arm_pop(b, ARM_NE, 0x81f0), "pop");
	form_end(b, "popne {r4, r5, r6, r7, r8, pc}");
	b = form_begin();
	ok(arm_ldst_misc_imm(b, ARM_AL, ARM_LDRSH, ARM_R0, ARM_R3, -2,
			     ARM_OFFSET),
	   "ldrsh");
	form_end(b, "ldrsh r0, [r3, #-2]");
}

static void cases(void)
{
	data_processing();
	data_processing_refused();
	imm_encodable();
	moves();
	multiplies();
	bit_operations();
	arm_forms_loads_stores();
	arm_forms_control();
	arm_forms_vfp();
	translation();
	arm_forms_translation_num();
	overflow();
}

int main(int argc, char **argv)
{
	int status = forms_main(argc, argv, cases);

	return status ? status : wrong;
}
