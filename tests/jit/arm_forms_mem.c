/*
 * tests/jit/arm_forms_mem.c: the ARM encoder's loads and stores, branches,
 * exclusives, barriers and traps, for arm_forms.c (conventions there).
 */
#include <stdio.h>
#include <string.h>

#include "arm_encode.h"
#include "arm_forms.h"
#include "forms.h"

/* ---- Loads and stores ---- */

static const char *const ldst_name[] = {"str", "ldr", "strb", "ldrb"};
static const char *const misc_name[] = {"strh",	 "ldrh", "ldrsb",
					"ldrsh", "ldrd", "strd"};

/* The address text for an offset `off` ("#-4", "r2, lsl #2"). */
static const char *address(int rn, const char *off, enum arm_index index)
{
	if (!off)
		return fmt("[%s]", reg[rn]);
	if (index == ARM_POST_INDEX)
		return fmt("[%s], %s", reg[rn], off);
	return fmt("[%s, %s]%s", reg[rn], off,
		   index == ARM_PRE_INDEX ? "!" : "");
}

static void loads_stores(void)
{
	static const int32_t off12[] = {1, -1, 4095, -4095, 0x800, -0x7ff};
	static const struct {
		enum arm_shift sh;
		unsigned amount;
	} shifts[] = {{ARM_LSL, 0}, {ARM_LSL, 2},  {ARM_LSL, 31},
		      {ARM_LSR, 1}, {ARM_LSR, 32}, {ARM_ASR, 32},
		      {ARM_ROR, 8}, {ARM_RRX, 0}};
	struct jit_buf *b;

	for (int op = 0; op < 4; op++)
		for (int ix = 0; ix < 3; ix++)
			for (int i = 0; i < 6; i++) {
				int k = op * 18 + ix * 6 + i, c = k % 15;
				int t = k % 13, n = (k * 5 + 3) % 15;

				if (n == t)
					n = 14 - t;
				b = form_begin();
				ok(arm_ldst_imm(b, c, op, t, n, off12[i], ix),
				   "ldst imm");
				form_end(b, fmt("%s%s %s, %s", ldst_name[op],
						cond[c], reg[t],
						address(n, fmt("#%d", off12[i]),
							ix)));
			}
	for (int op = 0; op < 4; op++) {
		b = form_begin();
		ok(arm_ldst_imm(b, ARM_AL, op, op, op + 1, 0, ARM_OFFSET), "0");
		form_end(b, fmt("%s %s, %s", ldst_name[op], reg[op],
				address(op + 1, NULL, ARM_OFFSET)));
	}
	b = form_begin();
	ok(arm_ldst_imm(b, ARM_AL, ARM_LDR, ARM_R0, ARM_PC, 4, ARM_OFFSET),
	   "pc");
	form_end(b, "ldr r0, [pc, #4]");
	for (int op = 0; op < 4; op++)
		for (int ix = 0; ix < 3; ix++)
			for (int j = 0; j < 8; j++) {
				int k = op * 24 + ix * 8 + j, sub = k / 3 & 1;
				int c = (k + 7) % 15, t = k % 15;
				int n = (t + 3) % 15, m = (t + 7) % 15;
				const char *off =
					fmt("%s%s", sub ? "-" : "",
					    shifted(m, shifts[j].sh,
						    shifts[j].amount));

				b = form_begin();
				ok(arm_ldst_reg(b, c, op, t, n, sub, m,
						shifts[j].sh, shifts[j].amount,
						ix),
				   "ldst reg");
				form_end(b, fmt("%s%s %s, %s", ldst_name[op],
						cond[c], reg[t],
						address(n, off, ix)));
			}
}

static void loads_stores_misc(void)
{
	static const int32_t off8[] = {8, -8, 255, -255, 0x12, -0xf1};
	struct jit_buf *b;

	for (int op = 0; op < 6; op++)
		for (int ix = 0; ix < 3; ix++)
			for (int i = 0; i < 6; i += 1 + (ix != ARM_OFFSET)) {
				int k = op * 18 + ix * 6 + i, c = k % 15;
				int t = op >= ARM_LDRD ? k % 6 * 2 : k % 13;
				int n = (t + 5) % 15;

				b = form_begin();
				ok(arm_ldst_misc_imm(b, c, op, t, n, off8[i],
						     ix),
				   "misc imm");
				form_end(b, fmt("%s%s %s, %s", misc_name[op],
						cond[c], reg[t],
						address(n, fmt("#%d", off8[i]),
							ix)));
			}
	for (int op = 0; op < 6; op++) {
		b = form_begin();
		ok(arm_ldst_misc_imm(b, ARM_AL, op, 2 * op, 13, 0, ARM_OFFSET),
		   "misc 0");
		form_end(b, fmt("%s %s, [sp]", misc_name[op], reg[2 * op]));
		for (int ix = 0; ix < 3; ix++) {
			int k = op * 3 + ix, sub = k & 1, c = (k + 4) % 15;
			int t = op >= ARM_LDRD ? ix * 2 + 4 : k % 13;
			int n = (t + 2) % 15, m = (t + 9) % 15;

			b = form_begin();
			arm_ldst_misc_reg(b, c, op, t, n, sub, m, ix);
			form_end(b, fmt("%s%s %s, %s", misc_name[op], cond[c],
					reg[t],
					address(n,
						fmt("%s%s", sub ? "-" : "",
						    reg[m]),
						ix)));
		}
	}
}

static void loads_stores_refused(void)
{
	static const int32_t bad12[] = {4096, -4096, 0x7fffffff, INT32_MIN};
	static const int32_t bad8[] = {256, -256, 4095, INT32_MIN};
	struct jit_buf *b;

	for (int i = 0; i < 4; i++) {
		b = form_begin();
		refused(arm_ldst_imm(b, ARM_AL, ARM_LDR, 0, 1, bad12[i],
				     ARM_OFFSET),
			b, fmt("ldr offset %d", bad12[i]));
		b = form_begin();
		refused(arm_ldst_misc_imm(b, ARM_AL, ARM_LDRH, 0, 1, bad8[i],
					  ARM_PRE_INDEX),
			b, fmt("ldrh offset %d", bad8[i]));
	}
	b = form_begin();
	refused(arm_ldst_reg(b, ARM_AL, ARM_STR, 0, 1, false, 2, ARM_LSL, 32,
			     ARM_OFFSET),
		b, "str lsl #32");
	b = form_begin();
	refused(arm_ldm(b, ARM_AL, ARM_IA, ARM_R0, false, 0), b, "ldm {}");
	b = form_begin();
	refused(arm_stm(b, ARM_AL, ARM_DB, ARM_R0, true, 0), b, "stm {}");
	b = form_begin();
	refused(arm_push(b, ARM_AL, 0), b, "push {}");
	b = form_begin();
	refused(arm_pop(b, ARM_AL, 0), b, "pop {}");
}

/* "{r1, r4, lr}": binutils lists every register (no ranges). */
static const char *reglist(uint16_t regs)
{
	char *s = (char *)fmt("{");

	for (int r = 0; r < 16; r++)
		if (regs & 1u << r)
			sprintf(s + strlen(s), "%s%s", s[1] ? ", " : "",
				reg[r]);
	strcat(s, "}");
	return s;
}

static void blocks(void)
{
	static const char *const mode[] = {"da", "", "db", "ib"};
	static const uint16_t lists[] = {0x0006, 0x8ff0, 0x0001, 0x7fff,
					 0x4010, 0x1248, 0xffff, 0x0c00};
	struct jit_buf *b;

	for (int m = 0; m < 4; m++)
		for (int wb = 0; wb < 2; wb++) {
			int k = m * 2 + wb, n = k + 2 + (k > 5), c = k + 6;
			uint16_t ld = lists[k] & ~(1u << n);
			uint16_t st = (lists[7 - k] & ~(1u << n)) & 0x7fff;

			b = form_begin();
			ok(arm_ldm(b, c, m, n, wb, ld), "ldm");
			form_end(b, fmt("ldm%s%s %s%s, %s", mode[m], cond[c],
					reg[n], wb ? "!" : "", reglist(ld)));
			b = form_begin();
			ok(arm_stm(b, c, m, n, wb, st), "stm");
			form_end(b, fmt("stm%s%s %s%s, %s",
					m == ARM_IA && wb ? "ia" : mode[m],
					cond[c], reg[n], wb ? "!" : "",
					reglist(st)));
		}
	static const uint16_t pushed[] = {0x4010, 0x4ff0, 0x0010, 0x4000,
					  0x000f, 0x0001, 0x1000};
	for (int i = 0; i < 7; i++) {
		uint16_t popped = pushed[i] & 0x4000
					  ? (pushed[i] & ~0x4000u) | 0x8000
					  : pushed[i];
		int c = i == 3 ? ARM_LT : ARM_AL;

		b = form_begin();
		ok(arm_push(b, c, pushed[i]), "push");
		form_end(b, fmt("push%s %s", cond[c], reglist(pushed[i])));
		b = form_begin();
		ok(arm_pop(b, c, popped), "pop");
		form_end(b, fmt("pop%s %s", cond[c], reglist(popped)));
	}
	b = form_begin();
	ok(arm_stm(b, ARM_AL, ARM_DB, ARM_SP, true, 0x0030), "stmdb sp!");
	form_end(b, "push {r4, r5}");
	b = form_begin();
	ok(arm_ldm(b, ARM_AL, ARM_IA, ARM_SP, false, 0x0030), "ldm sp");
	form_end(b, "ldm sp, {r4, r5}");
}

void arm_forms_loads_stores(void)
{
	loads_stores();
	loads_stores_misc();
	loads_stores_refused();
	blocks();
}

/* ---- Branches, exclusives, barriers, traps ---- */

static void branches(void)
{
	static const int32_t rel[] = {0,      4,      8,	-8,
				      -0x3fc, 0x1000, 0x7ffff8, 0x2000004};
	struct jit_buf *b;

	for (int i = 0; i < 8; i++) {
		int c = i == 7 ? ARM_AL : i * 2;

		b = form_begin();
		if (arm_b(b, c, rel[i]) != 0)
			ok(false, "b's offset");
		form_end(b, fmt("b%s {+%d}", cond[c], rel[i]));
		b = form_begin();
		arm_bl(b, 14 - i, rel[i]);
		form_end(b, fmt("bl%s {+%d}", cond[14 - i], rel[i]));
	}
	/* Patched forward and backward, at an offset other than 0. */
	size_t at;
	b = form_begin();
	at = arm_b(b, ARM_NE, 0);
	arm_nop(b, ARM_AL);
	arm_nop(b, ARM_AL);
	ok(arm_branch_patch(b, at, 12), "patch forward");
	form_end(b, "bne {+12}; nop {0}; nop {0}");
	b = form_begin();
	arm_nop(b, ARM_AL);
	at = arm_bl(b, ARM_AL, 0x100);
	if (at != 4)
		ok(false, "bl's offset");
	ok(arm_branch_patch(b, at, 0), "patch backward");
	form_end(b, "nop {0}; bl {+0}");
	/* Patches that cannot be made change nothing. */
	b = form_begin();
	at = arm_b(b, ARM_AL, 8);
	arm_nop(b, ARM_AL);
	refused_call(arm_branch_patch(b, at, at + (1u << 25) + 8),
		     "patch beyond 32 MiB");
	refused_call(arm_branch_patch(b, at, at + 6), "patch to a halfword");
	refused_call(arm_branch_patch(b, 4, 0), "patch of a nop");
	refused_call(arm_branch_patch(b, 8, 0), "patch past the end");
	form_end(b, "b {+8}; nop {0}");
	static const int32_t far[] = {0x2000008, -0x1fffffc, 2, -6, INT32_MIN};
	for (int i = 0; i < 5; i++) {
		struct jit_buf *other = form_begin();

		refused(arm_b(other, ARM_AL, far[i]) != ARM_NO_BRANCH ||
				arm_bl(other, ARM_AL, far[i]) != ARM_NO_BRANCH,
			other, fmt("branch by %d", far[i]));
	}
	/* The farthest back: its address is below the blob's start, so
	 * checked by its word, imm24 = 0x800000 (-2^23 words from PC). */
	b = form_begin();
	arm_b(b, ARM_AL, -0x1fffff8);
	if (b->start[0] != 0 || b->start[1] != 0 || b->start[2] != 0x80 ||
	    b->start[3] != 0xea)
		ok(false, "b by -32 MiB + 8");
	for (int r = 0; r < 15; r += 7) {
		b = form_begin();
		arm_bx(b, r ? ARM_AL : ARM_EQ, 14 - r);
		form_end(b, fmt("bx%s %s", r ? "" : "eq", reg[14 - r]));
		b = form_begin();
		arm_blx(b, r ? ARM_AL : ARM_NE, r / 2 + 1);
		form_end(b, fmt("blx%s %s", r ? "" : "ne", reg[r / 2 + 1]));
	}
}

static void exclusives(void)
{
	static const char *const size[] = {"", "d", "b", "h"};
	struct jit_buf *b;

	for (int sz = 0; sz < 4; sz++)
		for (int j = 0; j < 2; j++) {
			int c = j ? ARM_AL : sz + 1, t = sz * 2 + j * 4;
			int n = 13 - sz - j, d = 12 - sz * 3 + j;

			if (d == t)
				d = 11;
			b = form_begin();
			arm_ldrex(b, c, sz, t, n);
			form_end(b, fmt("ldrex%s%s %s, [%s]", size[sz], cond[c],
					reg[t], reg[n]));
			b = form_begin();
			arm_strex(b, c, sz, d, t, n);
			form_end(b, fmt("strex%s%s %s, %s, [%s]", size[sz],
					cond[c], reg[d], reg[t], reg[n]));
		}
	static const enum arm_barrier option[] = {
		ARM_BARRIER_ISH, ARM_BARRIER_SY, ARM_BARRIER_ISHST,
		ARM_BARRIER_ST};
	static const char *const option_name[] = {"ish", "sy", "ishst", "st"};
	for (int i = 0; i < 4; i++) {
		b = form_begin();
		arm_dmb(b, option[i]);
		form_end(b, fmt("dmb %s", option_name[i]));
		b = form_begin();
		arm_dsb(b, option[i]);
		form_end(b, fmt("dsb %s", option_name[i]));
	}
	b = form_begin();
	arm_isb(b);
	form_end(b, "isb sy");
	b = form_begin();
	arm_clrex(b);
	form_end(b, "clrex");
}

static void traps(void)
{
	static const uint16_t imm[] = {0, 1, 0x10, 0x1234, 0xffff};
	struct jit_buf *b;

	for (int i = 0; i < 5; i++) {
		b = form_begin();
		arm_udf(b, imm[i]);
		form_end(b, fmt("udf #%u", imm[i]));
		b = form_begin();
		arm_bkpt(b, imm[i]);
		form_end(b, fmt("bkpt 0x%04x", imm[i]));
	}
	for (int c = 0; c < 15; c += 7) {
		b = form_begin();
		arm_nop(b, c);
		form_end(b, fmt("nop%s {0}", cond[c]));
	}
}

void arm_forms_control(void)
{
	branches();
	exclusives();
	traps();
}
