/*
 * tests/jit/x86_forms.c: every form of the IA-32 encoder
 * (vm/jit/x86/x86_encode.h) with the text objdump -M intel must print for
 * it (tests/jit/README.md). The texts are built from the operands as the
 * Intel SDM spells each instruction, in objdump's Intel notation: sizes
 * as "DWORD PTR", hex immediates (a sign-extended imm8 prints as its
 * 32-bit value), signed displacements, and a displacement that is
 * encoded (EBP's disp8 of 0, a no-base disp32) always shown.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../vm/jit/x86/x86_encode.h"
#include "forms.h"

static const char *const r32[8] = {"eax", "ecx", "edx", "ebx",
				   "esp", "ebp", "esi", "edi"};
static const char *const r16[8] = {"ax", "cx", "dx", "bx",
				   "sp", "bp", "si", "di"};
static const char *const r8[4] = {"al", "cl", "dl", "bl"};
static const char *const cc[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
				   "s", "ns", "p", "np", "l", "ge", "le", "g"};
static const char *const alu[8] = {"add", "or",	 "adc", "sbb",
				   "and", "sub", "xor", "cmp"};

/* printf into one of a few rotating buffers: a form's text and the
 * memory operands inside it are alive at once. */
static const char *tx(const char *fmt, ...)
{
	static char bufs[8][160];
	static unsigned next;
	char *out = bufs[next++ % 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, sizeof(bufs[0]), fmt, ap);
	va_end(ap);
	return out;
}

static const char *hex(int32_t v)
{
	return v < 0 ? tx("-0x%x", -(uint32_t)v) : tx("+0x%x", (uint32_t)v);
}

/* A memory operand as objdump writes it, `size` "DWORD" etc. or NULL
 * (lea). With a base, disp 0 is not encoded unless the base is EBP (mod
 * 00 with rm 101 means no base, so [ebp] is [ebp+disp8 0]); without a
 * base the disp32 is always there. */
static const char *mt(const char *size, struct x86_mem m)
{
	const char *sz = size ? tx("%s PTR ", size) : "";
	const char *idx = m.has_index ? tx("%s%s*%u", m.has_base ? "+" : "",
					   r32[m.index], m.scale)
				      : "";
	const char *disp = m.disp != 0 || !m.has_base || m.base == X86_EBP
				   ? hex(m.disp)
				   : "";

	if (!m.has_base && !m.has_index)
		return tx("%sds:0x%x", sz, (uint32_t)m.disp);
	return tx("%s[%s%s%s]", sz, m.has_base ? r32[m.base] : "", idx, disp);
}

/* Every addressing path: each base with no, disp8 and disp32
 * displacements either side of the disp8 limits; index and scale; no
 * base. */
static struct x86_mem all_mems[160];
static unsigned n_all;
/* One of each path, for the forms whose ModRM is the shared code. */
static struct x86_mem some_mems[16];
static unsigned n_some;

static void build_mems(void)
{
	static const int32_t disps[] = {0,     0x10,	   -0x10,
					0x7f,  -0x80,	   0x80,
					-0x81, 0x12345678, -0x12345678};

	for (unsigned base = 0; base < 8; base++)
		for (unsigned d = 0; d < sizeof(disps) / sizeof(disps[0]); d++)
			all_mems[n_all++] = x86_mem(base, disps[d]);
	for (unsigned index = 0; index < 8; index++)
		for (unsigned s = 1; s <= 8 && index != X86_ESP; s *= 2)
			all_mems[n_all++] = x86_mem_index(X86_EBX, index, s, 0);
	for (unsigned base = X86_ESP; base <= X86_EBP; base++) {
		all_mems[n_all++] = x86_mem_index(base, X86_ECX, 2, 0);
		all_mems[n_all++] = x86_mem_index(base, X86_ECX, 2, -0x10);
		all_mems[n_all++] = x86_mem_index(base, X86_ECX, 2, 0x1000);
	}
	all_mems[n_all++] = x86_mem_index(X86_EDI, X86_EBP, 8, -0x80);
	all_mems[n_all++] = x86_mem_index(X86_EAX, X86_EDI, 4, 0x7f);
	all_mems[n_all++] = x86_mem_noreg(X86_ECX, 4, 0x1000);
	all_mems[n_all++] = x86_mem_noreg(X86_EAX, 1, 0);
	all_mems[n_all++] = x86_mem_noreg(X86_EBP, 8, -0x20);
	all_mems[n_all++] = x86_mem_abs(0x12345678);
	all_mems[n_all++] = x86_mem_abs(0);
	all_mems[n_all++] = x86_mem_abs(0xfffffff0);

	static const struct x86_mem some[] = {
		{X86_EAX, X86_EAX, true, false, 1, 0},
		{X86_ESP, X86_EAX, true, false, 1, 0},
		{X86_EBP, X86_EAX, true, false, 1, 0},
		{X86_EBX, X86_EAX, true, false, 1, 0x10},
		{X86_ESI, X86_EAX, true, false, 1, -0x80},
		{X86_EDI, X86_EAX, true, false, 1, 0x80},
		{X86_ECX, X86_EAX, true, false, 1, -0x12345678},
		{X86_ESP, X86_EAX, true, false, 1, 0x7f},
		{X86_EBP, X86_EAX, true, false, 1, -0x1000},
		{X86_EBX, X86_ECX, true, true, 4, 8},
		{X86_ESP, X86_ESI, true, true, 8, 0},
		{X86_EBP, X86_EDX, true, true, 2, 0},
		{X86_EAX, X86_EAX, false, true, 4, 0x1000},
		{X86_EAX, X86_EAX, false, false, 1, 0x1234},
	};
	for (unsigned i = 0; i < sizeof(some) / sizeof(some[0]); i++)
		some_mems[n_some++] = some[i];
}

static struct jit_buf *b;

static bool fits8(int32_t v)
{
	return v >= -128 && v <= 127;
}

/* The bytes a memory operand takes after the opcode, the shortest the
 * SDM allows (vol. 2A, tables 2-2 and 2-3): ModRM; a SIB byte with an
 * index or an ESP base; no displacement for 0 except under EBP (mod 00
 * with base 101 means "no base, disp32"), disp8 when it fits, else
 * disp32; always disp32 without a base. */
static size_t mem_len(struct x86_mem m)
{
	size_t sib = m.has_index || (m.has_base && m.base == X86_ESP);

	if (!m.has_base)
		return 1 + sib + 4;
	if (m.disp == 0 && m.base != X86_EBP)
		return 1 + sib;
	return 1 + sib + (fits8(m.disp) ? 1 : 4);
}

/* form_end for a form whose encoding has a shorter and a longer choice:
 * objdump prints both alike, so the length is checked here; a wrong one
 * becomes part of the text and fails the comparison. */
static void form_len(size_t want, const char *text)
{
	size_t n = jit_buf_offset(b);

	if (n != want)
		text = tx("%s (want %zu bytes, encoded %zu)", text, want, n);
	form_end(b, text);
}

static void moves(void)
{
	static const uint32_t imms[] = {0, 1, 0xffffffff, 0x80000000,
					0x12345678};

	for (unsigned d = 0; d < 8; d++)
		for (unsigned s = 0; s < 8; s++) {
			b = form_begin();
			x86_mov_rr(b, d, s);
			form_end(b, tx("mov %s,%s", r32[d], r32[s]));
		}
	for (unsigned d = 0; d < 8; d++)
		for (unsigned i = 0; i < 5; i++) {
			b = form_begin();
			x86_mov_ri(b, d, imms[i]);
			form_end(b, tx("mov %s,0x%x", r32[d], imms[i]));
		}
	for (unsigned i = 0; i < n_all; i++) {
		struct x86_mem m = all_mems[i];
		unsigned r = i % 8, s = (i + 3) % 8;

		b = form_begin();
		x86_mov_rm(b, r, m);
		form_len(1 + mem_len(m),
			 tx("mov %s,%s", r32[r], mt("DWORD", m)));
		b = form_begin();
		x86_mov_mr(b, m, s);
		form_len(1 + mem_len(m),
			 tx("mov %s,%s", mt("DWORD", m), r32[s]));
		b = form_begin();
		x86_lea_rm(b, s, m);
		form_len(1 + mem_len(m), tx("lea %s,%s", r32[s], mt(NULL, m)));
	}
	for (unsigned i = 0; i < n_some; i++) {
		struct x86_mem m = some_mems[i];
		uint32_t imm = imms[i % 5];

		b = form_begin();
		x86_mov_mi(b, m, imm);
		form_len(5 + mem_len(m),
			 tx("mov %s,0x%x", mt("DWORD", m), imm));
		b = form_begin();
		x86_movb_mi(b, m, (uint8_t)imm);
		form_end(b, tx("mov %s,0x%x", mt("BYTE", m), imm & 0xff));
		b = form_begin();
		x86_movw_mi(b, m, (uint16_t)imm);
		form_end(b, tx("mov %s,0x%x", mt("WORD", m), imm & 0xffff));
	}
}

static void widening(void)
{
	static const struct {
		enum x86_ext op;
		const char *name, *size;
	} ext[] = {
		{X86_MOVZX8, "movzx", "BYTE"},
		{X86_MOVZX16, "movzx", "WORD"},
		{X86_MOVSX8, "movsx", "BYTE"},
		{X86_MOVSX16, "movsx", "WORD"},
	};

	for (unsigned e = 0; e < 4; e++) {
		bool byte = ext[e].size[0] == 'B';

		for (unsigned d = 0; d < 8; d++)
			for (unsigned s = 0; s < (byte ? 4u : 8u); s++) {
				b = form_begin();
				x86_movx_rr(b, ext[e].op, d, s);
				form_end(b, tx("%s %s,%s", ext[e].name, r32[d],
					       byte ? r8[s] : r16[s]));
			}
		for (unsigned i = 0; i < n_some; i++) {
			b = form_begin();
			x86_movx_rm(b, ext[e].op, i % 8, some_mems[i]);
			form_end(b, tx("%s %s,%s", ext[e].name, r32[i % 8],
				       mt(ext[e].size, some_mems[i])));
		}
	}
}

static void alu_forms(void)
{
	static const int32_t imms[] = {1,   -1,	  127,	      -128,
				       128, -129, 0x12345678, 0};

	for (unsigned op = 0; op < 8; op++) {
		for (unsigned d = 0; d < 8; d++)
			for (unsigned s = 0; s < 8; s++) {
				b = form_begin();
				x86_alu_rr(b, op, d, s);
				form_end(b, tx("%s %s,%s", alu[op], r32[d],
					       r32[s]));
			}
		for (unsigned d = 0; d < 8; d++)
			for (unsigned i = 0; i < 8; i++) {
				b = form_begin();
				x86_alu_ri(b, op, d, imms[i]);
				form_len(fits8(imms[i]) ? 3
					 : d == X86_EAX ? 5
							: 6,
					 tx("%s %s,0x%x", alu[op], r32[d],
					    (uint32_t)imms[i]));
			}
		for (unsigned i = 0; i < n_some; i++) {
			struct x86_mem m = some_mems[i];
			unsigned r = (i + op) % 8;
			int32_t imm = imms[(i + op) % 8];

			b = form_begin();
			x86_alu_rm(b, op, r, m);
			form_end(b, tx("%s %s,%s", alu[op], r32[r],
				       mt("DWORD", m)));
			b = form_begin();
			x86_alu_mr(b, op, m, r);
			form_end(b, tx("%s %s,%s", alu[op], mt("DWORD", m),
				       r32[r]));
			b = form_begin();
			x86_alu_mi(b, op, m, imm);
			form_len(1 + mem_len(m) + (fits8(imm) ? 1 : 4),
				 tx("%s %s,0x%x", alu[op], mt("DWORD", m),
				    (uint32_t)imm));
			if (op == X86_CMP)
				continue;
			b = form_begin();
			x86_lock_alu_mr(b, op, m, r);
			form_end(b, tx("lock %s %s,%s", alu[op], mt("DWORD", m),
				       r32[r]));
		}
	}
}

static void mul_forms(void)
{
	static const int32_t imms[] = {3, -1, 127, -128, 128, 0x10000};
	static const char *const unary[8] = {NULL,  NULL,   "not", "neg",
					     "mul", "imul", "div", "idiv"};

	for (unsigned d = 0; d < 8; d++) {
		for (unsigned s = 0; s < 8; s++) {
			b = form_begin();
			x86_test_rr(b, d, s);
			form_end(b, tx("test %s,%s", r32[d], r32[s]));
			b = form_begin();
			x86_imul_rr(b, d, s);
			form_end(b, tx("imul %s,%s", r32[d], r32[s]));
		}
		b = form_begin();
		x86_test_ri(b, d, 0x80000000u >> d);
		form_len(d == X86_EAX ? 5 : 6,
			 tx("test %s,0x%x", r32[d], 0x80000000u >> d));
		b = form_begin();
		x86_test_ri(b, d, 1);
		form_end(b, tx("test %s,0x1", r32[d]));
		for (unsigned i = 0; i < 6; i++) {
			unsigned s = (d + i) % 8;

			b = form_begin();
			x86_imul_rri(b, d, s, imms[i]);
			form_len(fits8(imms[i]) ? 3 : 6,
				 tx("imul %s,%s,0x%x", r32[d], r32[s],
				    (uint32_t)imms[i]));
		}
		for (unsigned op = X86_NOT; op <= X86_IDIV; op++) {
			b = form_begin();
			x86_unary_r(b, op, d);
			form_end(b, tx("%s %s", unary[op], r32[d]));
		}
	}
	for (unsigned i = 0; i < n_some; i++) {
		struct x86_mem m = some_mems[i];

		b = form_begin();
		x86_imul_rm(b, i % 8, m);
		form_end(b, tx("imul %s,%s", r32[i % 8], mt("DWORD", m)));
		for (unsigned op = X86_NOT; op <= X86_IDIV; op++) {
			b = form_begin();
			x86_unary_m(b, op, m);
			form_end(b, tx("%s %s", unary[op], mt("DWORD", m)));
		}
	}
	b = form_begin();
	x86_cdq(b);
	form_end(b, "cdq");
}

static void shift_forms(void)
{
	static const char *const shift[8] = {"rol", "ror", NULL, NULL,
					     "shl", "shr", NULL, "sar"};
	static const unsigned counts[] = {2, 31, 8, 16};

	for (unsigned op = 0; op < 8; op++) {
		if (!shift[op])
			continue;
		for (unsigned r = 0; r < 8; r++) {
			unsigned n = counts[(r + op) % 4];

			b = form_begin();
			x86_shift_rcl(b, op, r);
			form_end(b, tx("%s %s,cl", shift[op], r32[r]));
			b = form_begin();
			x86_shift_ri(b, op, r, n);
			form_len(3, tx("%s %s,0x%x", shift[op], r32[r], n));
			/* 1 takes the by-1 form D1, objdump's "1" without 0x;
			 * 33 is masked to 1 as the CPU would. */
			b = form_begin();
			x86_shift_ri(b, op, r, r == 0 ? 33 : 1);
			form_len(2, tx("%s %s,1", shift[op], r32[r]));
		}
	}
	for (unsigned d = 0; d < 8; d++)
		for (unsigned s = 0; s < 8; s++) {
			unsigned n = counts[(d + s) % 4];

			b = form_begin();
			x86_shld_rrcl(b, d, s);
			form_end(b, tx("shld %s,%s,cl", r32[d], r32[s]));
			b = form_begin();
			x86_shrd_rrcl(b, d, s);
			form_end(b, tx("shrd %s,%s,cl", r32[d], r32[s]));
			b = form_begin();
			x86_shld_rri(b, d, s, n);
			form_end(b, tx("shld %s,%s,0x%x", r32[d], r32[s], n));
			b = form_begin();
			x86_shrd_rri(b, d, s, n + 32);
			form_end(b, tx("shrd %s,%s,0x%x", r32[d], r32[s], n));
		}
}

static void flag_forms(void)
{
	for (unsigned c = 0; c < 16; c++) {
		for (unsigned r = 0; r < 4; r++) {
			b = form_begin();
			x86_setcc_r(b, c, r);
			form_end(b, tx("set%s %s", cc[c], r8[r]));
		}
		for (unsigned d = 0; d < 8; d++) {
			unsigned s = (d + c) % 8;

			b = form_begin();
			x86_cmov_rr(b, c, d, s);
			form_end(b, tx("cmov%s %s,%s", cc[c], r32[d], r32[s]));
		}
	}
	for (unsigned d = 0; d < 8; d++)
		for (unsigned s = 0; s < 8; s++) {
			b = form_begin();
			x86_bsr_rr(b, d, s);
			form_end(b, tx("bsr %s,%s", r32[d], r32[s]));
			b = form_begin();
			x86_bsf_rr(b, d, s);
			form_end(b, tx("bsf %s,%s", r32[d], r32[s]));
		}
}

/* A branch's target is its own address plus its length plus rel. */
static void branch_forms(void)
{
	static const int8_t rel8s[] = {0, 0x7f, -0x80, -2};
	static const int32_t rel32s[] = {0, 0x12345, -6, -0x1000};

	for (unsigned c = 0; c < 16; c++)
		for (unsigned i = 0; i < 4; i++) {
			b = form_begin();
			x86_jcc_rel8(b, c, rel8s[i]);
			form_end(b, tx("j%s {+%d}", cc[c], 2 + rel8s[i]));
			b = form_begin();
			x86_jcc_rel32(b, c, rel32s[i]);
			form_end(b, tx("j%s {+%d}", cc[c], 6 + rel32s[i]));
		}
	for (unsigned i = 0; i < 4; i++) {
		b = form_begin();
		x86_jmp_rel8(b, rel8s[i]);
		form_end(b, tx("jmp {+%d}", 2 + rel8s[i]));
		b = form_begin();
		x86_jmp_rel32(b, rel32s[i]);
		form_end(b, tx("jmp {+%d}", 5 + rel32s[i]));
		b = form_begin();
		x86_call_rel32(b, rel32s[i]);
		form_end(b, tx("call {+%d}", 5 + rel32s[i]));
	}

	/* Patching: a forward jump over three nops, a backward conditional
	 * jump to the form's start, and the same with rel8. */
	size_t field;
	b = form_begin();
	field = x86_jmp_rel32(b, 0);
	x86_nop(b);
	x86_nop(b);
	x86_nop(b);
	x86_patch_rel32(b, field, jit_buf_offset(b));
	form_end(b, "jmp {+8}; nop; nop; nop");
	b = form_begin();
	x86_nop(b);
	field = x86_jcc_rel32(b, X86_NE, 0);
	x86_patch_rel32(b, field, 0);
	form_end(b, "nop; jne {+0}");
	b = form_begin();
	x86_int3(b);
	field = x86_jcc_rel8(b, X86_L, 0);
	if (!x86_patch_rel8(b, field, 0) || x86_patch_rel8(b, field, 200) ||
	    x86_patch_rel8(b, field + 1, 0)) {
		fprintf(stderr, "x86_forms: x86_patch_rel8's range checks\n");
		exit(1);
	}
	form_end(b, "int3; jl {+0}");
}

static void call_forms(void)
{
	static const int32_t imms[] = {0, -1, 127, -128, 128, 0x12345678};

	for (unsigned r = 0; r < 8; r++) {
		b = form_begin();
		x86_jmp_r(b, r);
		form_end(b, tx("jmp %s", r32[r]));
		b = form_begin();
		x86_call_r(b, r);
		form_end(b, tx("call %s", r32[r]));
		b = form_begin();
		x86_push_r(b, r);
		form_end(b, tx("push %s", r32[r]));
		b = form_begin();
		x86_pop_r(b, r);
		form_end(b, tx("pop %s", r32[r]));
	}
	for (unsigned i = 0; i < n_some; i++) {
		struct x86_mem m = some_mems[i];

		b = form_begin();
		x86_jmp_m(b, m);
		form_end(b, tx("jmp %s", mt("DWORD", m)));
		b = form_begin();
		x86_call_m(b, m);
		form_end(b, tx("call %s", mt("DWORD", m)));
		b = form_begin();
		x86_push_m(b, m);
		form_end(b, tx("push %s", mt("DWORD", m)));
	}
	for (unsigned i = 0; i < 6; i++) {
		b = form_begin();
		x86_push_i(b, imms[i]);
		form_len(fits8(imms[i]) ? 2 : 5,
			 tx("push 0x%x", (uint32_t)imms[i]));
	}
	b = form_begin();
	x86_ret(b);
	form_end(b, "ret");
	b = form_begin();
	x86_ret_i(b, 8);
	form_end(b, "ret 0x8");
	b = form_begin();
	x86_ret_i(b, 0xffff);
	form_end(b, "ret 0xffff");
	b = form_begin();
	x86_nop(b);
	form_end(b, "nop");
	b = form_begin();
	x86_ud2(b);
	form_end(b, "ud2");
	b = form_begin();
	x86_int3(b);
	form_end(b, "int3");
}

/* The stores and exchanges of a register into memory at each width. */
static void store_forms(void)
{
	static const struct {
		void (*emit)(struct jit_buf *, struct x86_mem, enum x86_reg);
		const char *name;
		unsigned size;
	} forms[] = {
		{x86_movb_mr, "mov", 1},
		{x86_movw_mr, "mov", 2},
		{x86_xchg_mr, "xchg", 4},
		{x86_xchgb_mr, "xchg", 1},
		{x86_xchgw_mr, "xchg", 2},
		{x86_lock_xadd_mr, "lock xadd", 4},
		{x86_lock_xaddb_mr, "lock xadd", 1},
		{x86_lock_xaddw_mr, "lock xadd", 2},
		{x86_lock_cmpxchg_mr, "lock cmpxchg", 4},
		{x86_lock_cmpxchgb_mr, "lock cmpxchg", 1},
		{x86_lock_cmpxchgw_mr, "lock cmpxchg", 2},
	};

	for (unsigned f = 0; f < sizeof(forms) / sizeof(forms[0]); f++)
		for (unsigned i = 0; i < n_some; i++) {
			struct x86_mem m = some_mems[i];
			unsigned size = forms[f].size;
			unsigned r = (i + f) % (size == 1 ? 4 : 8);
			const char *reg = size == 1   ? r8[r]
					  : size == 2 ? r16[r]
						      : r32[r];
			const char *ptr = size == 1   ? "BYTE"
					  : size == 2 ? "WORD"
						      : "DWORD";

			b = form_begin();
			forms[f].emit(b, m, r);
			form_end(b, tx("%s %s,%s", forms[f].name, mt(ptr, m),
				       reg));
		}
	for (unsigned i = 0; i < n_some; i++) {
		b = form_begin();
		x86_lock_cmpxchg8b_m(b, some_mems[i]);
		form_end(b, tx("lock cmpxchg8b %s", mt("QWORD", some_mems[i])));
	}
	b = form_begin();
	x86_mfence(b);
	form_end(b, "mfence");
}

static void sse_forms(void)
{
	static const struct {
		enum x86_sse op;
		const char *name, *size;
	} sse[] = {
		{X86_MOVSS, "movss", "DWORD"},
		{X86_MOVSD, "movsd", "QWORD"},
		{X86_MOVQ, "movq", "QWORD"},
		{X86_MOVDQU, "movdqu", "XMMWORD"},
		{X86_MOVAPS, "movaps", "XMMWORD"},
		{X86_ADDSS, "addss", "DWORD"},
		{X86_ADDSD, "addsd", "QWORD"},
		{X86_SUBSS, "subss", "DWORD"},
		{X86_SUBSD, "subsd", "QWORD"},
		{X86_MULSS, "mulss", "DWORD"},
		{X86_MULSD, "mulsd", "QWORD"},
		{X86_DIVSS, "divss", "DWORD"},
		{X86_DIVSD, "divsd", "QWORD"},
		{X86_SQRTSS, "sqrtss", "DWORD"},
		{X86_SQRTSD, "sqrtsd", "QWORD"},
		{X86_MINSS, "minss", "DWORD"},
		{X86_MINSD, "minsd", "QWORD"},
		{X86_MAXSS, "maxss", "DWORD"},
		{X86_MAXSD, "maxsd", "QWORD"},
		{X86_UCOMISS, "ucomiss", "DWORD"},
		{X86_UCOMISD, "ucomisd", "QWORD"},
		{X86_COMISS, "comiss", "DWORD"},
		{X86_COMISD, "comisd", "QWORD"},
		{X86_CVTSS2SD, "cvtss2sd", "DWORD"},
		{X86_CVTSD2SS, "cvtsd2ss", "QWORD"},
		{X86_ANDPS, "andps", "XMMWORD"},
		{X86_ANDPD, "andpd", "XMMWORD"},
		{X86_ANDNPS, "andnps", "XMMWORD"},
		{X86_ANDNPD, "andnpd", "XMMWORD"},
		{X86_ORPS, "orps", "XMMWORD"},
		{X86_ORPD, "orpd", "XMMWORD"},
		{X86_XORPS, "xorps", "XMMWORD"},
		{X86_XORPD, "xorpd", "XMMWORD"},
		{X86_PXOR, "pxor", "XMMWORD"},
	};

	for (unsigned o = 0; o < sizeof(sse) / sizeof(sse[0]); o++) {
		const char *name = sse[o].name;
		bool store = o < 4; /* movss, movsd, movq, movdqu */

		for (unsigned d = 0; d < 8; d++)
			for (unsigned s = 0; s < 8; s++) {
				if (s != d && s != 7 - d && o != 4)
					continue; /* every pair for movaps */
				b = form_begin();
				x86_sse_xx(b, sse[o].op, d, s);
				form_end(b, tx("%s xmm%u,xmm%u", name, d, s));
			}
		for (unsigned i = 0; i < n_some; i++) {
			struct x86_mem m = some_mems[i];
			unsigned x = (i + o) % 8;

			b = form_begin();
			x86_sse_xm(b, sse[o].op, x, m);
			form_end(b, tx("%s xmm%u,%s", name, x,
				       mt(sse[o].size, m)));
			if (!store)
				continue;
			b = form_begin();
			x86_sse_mx(b, sse[o].op, m, x);
			form_end(b, tx("%s %s,xmm%u", name, mt(sse[o].size, m),
				       x));
		}
	}
	for (unsigned x = 0; x < 8; x++)
		for (unsigned r = 0; r < 8; r++) {
			b = form_begin();
			x86_movd_xr(b, x, r);
			form_end(b, tx("movd xmm%u,%s", x, r32[r]));
			b = form_begin();
			x86_movd_rx(b, r, x);
			form_end(b, tx("movd %s,xmm%u", r32[r], x));
			b = form_begin();
			x86_cvtsi2ss_xr(b, x, r);
			form_end(b, tx("cvtsi2ss xmm%u,%s", x, r32[r]));
			b = form_begin();
			x86_cvtsi2sd_xr(b, x, r);
			form_end(b, tx("cvtsi2sd xmm%u,%s", x, r32[r]));
			b = form_begin();
			x86_cvttss2si_rx(b, r, x);
			form_end(b, tx("cvttss2si %s,xmm%u", r32[r], x));
			b = form_begin();
			x86_cvttsd2si_rx(b, r, x);
			form_end(b, tx("cvttsd2si %s,xmm%u", r32[r], x));
		}
	for (unsigned i = 0; i < n_some; i++) {
		struct x86_mem m = some_mems[i];

		b = form_begin();
		x86_cvtsi2ss_xm(b, i % 8, m);
		form_end(b, tx("cvtsi2ss xmm%u,%s", i % 8, mt("DWORD", m)));
		b = form_begin();
		x86_cvtsi2sd_xm(b, i % 8, m);
		form_end(b, tx("cvtsi2sd xmm%u,%s", i % 8, mt("DWORD", m)));
	}
}

static void x87_forms(void)
{
	static const struct {
		enum x86_x87 op;
		const char *name, *size;
	} x87[] = {
		{X86_FLD32, "fld", "DWORD"},
		{X86_FLD64, "fld", "QWORD"},
		{X86_FSTP32, "fstp", "DWORD"},
		{X86_FSTP64, "fstp", "QWORD"},
		{X86_FILD32, "fild", "DWORD"},
		{X86_FILD64, "fild", "QWORD"},
		{X86_FISTP32, "fistp", "DWORD"},
		{X86_FISTP64, "fistp", "QWORD"},
		{X86_FNSTCW, "fnstcw", "WORD"},
		{X86_FLDCW, "fldcw", "WORD"},
	};

	for (unsigned o = 0; o < sizeof(x87) / sizeof(x87[0]); o++)
		for (unsigned i = 0; i < n_some; i++) {
			b = form_begin();
			x86_x87_m(b, x87[o].op, some_mems[i]);
			form_end(b, tx("%s %s", x87[o].name,
				       mt(x87[o].size, some_mems[i])));
		}
}

/* Operands the ISA cannot encode, or outside their enums, must mark the
 * buffer (x86_encode.h), never emit another instruction. Not forms:
 * checked here, and the program fails on the first one let through. */
static void expect_rejected(const char *what)
{
	if (!b->full) {
		fprintf(stderr, "x86_forms: %s was not rejected\n", what);
		exit(1);
	}
}

#define REJECTED(call)                                                         \
	do {                                                                   \
		b = form_begin();                                              \
		call;                                                          \
		expect_rejected(#call);                                        \
	} while (0)

static void rejects(void)
{
	struct x86_mem eax0 = x86_mem(X86_EAX, 0);

	/* 4..7 as byte registers are AH..BH */
	REJECTED(x86_movb_mr(b, eax0, X86_ESP));
	REJECTED(x86_xchgb_mr(b, eax0, X86_ESI));
	REJECTED(x86_lock_xaddb_mr(b, eax0, X86_EBP));
	REJECTED(x86_lock_cmpxchgb_mr(b, eax0, X86_EDI));
	REJECTED(x86_setcc_r(b, X86_E, X86_ESI));
	REJECTED(x86_movx_rr(b, X86_MOVSX8, X86_EAX, X86_EDI));
	/* index 100 means "no index"; scales are 1, 2, 4, 8 */
	REJECTED(x86_mov_rm(b, X86_EAX, x86_mem_index(X86_EBX, X86_ESP, 1, 0)));
	REJECTED(x86_lea_rm(b, X86_EAX, x86_mem_index(X86_EBX, X86_ECX, 3, 0)));
	REJECTED(x86_lea_rm(b, X86_EAX, x86_mem_noreg(X86_ECX, 257, 0)));
	REJECTED(x86_lea_rm(b, X86_EAX, x86_mem_index(X86_EBX, X86_ECX, 0, 0)));
	/* lock cmp is #UD; a load is no store */
	REJECTED(x86_lock_alu_mr(b, X86_CMP, eax0, X86_ECX));
	REJECTED(x86_sse_mx(b, X86_ADDSS, eax0, X86_XMM0));
	/* outside the enums */
	REJECTED(x86_mov_ri(b, (enum x86_reg)8, 1));
	REJECTED(x86_mov_rr(b, X86_EAX, (enum x86_reg)9));
	REJECTED(x86_mov_rm(b, X86_EAX, x86_mem((enum x86_reg)8, 0)));
	REJECTED(x86_push_r(b, (enum x86_reg)8));
	REJECTED(x86_pop_r(b, (enum x86_reg) - 1));
	REJECTED(x86_sse_xx(b, X86_ADDSD, (enum x86_xmm)8, X86_XMM0));
	REJECTED(x86_jcc_rel32(b, (enum x86_cond)16, 0));
	REJECTED(x86_jcc_rel8(b, (enum x86_cond)16, 0));
	REJECTED(x86_setcc_r(b, (enum x86_cond)16, X86_EAX));
	REJECTED(x86_cmov_rr(b, (enum x86_cond)16, X86_EAX, X86_ECX));
	REJECTED(x86_alu_rr(b, (enum x86_alu)8, X86_EAX, X86_ECX));
	REJECTED(x86_alu_ri(b, (enum x86_alu)8, X86_EAX, 1));
	REJECTED(x86_alu_mi(b, (enum x86_alu)8, eax0, 1));
	REJECTED(x86_unary_r(b, (enum x86_unary)0, X86_EAX));
	REJECTED(x86_unary_m(b, (enum x86_unary)8, eax0));
	REJECTED(x86_shift_rcl(b, (enum x86_shift)2, X86_EAX));
	REJECTED(x86_shift_ri(b, (enum x86_shift)6, X86_EAX, 3));
	REJECTED(x86_movx_rm(b, (enum x86_ext)0xB5, X86_EAX, eax0));
	REJECTED(x86_sse_xm(b, (enum x86_sse)0x1258, X86_XMM0, eax0));
	REJECTED(x86_x87_m(b, (enum x86_x87)0xDF06, eax0));
}

static void cases(void)
{
	build_mems();
	moves();
	widening();
	alu_forms();
	mul_forms();
	shift_forms();
	flag_forms();
	branch_forms();
	call_forms();
	store_forms();
	sse_forms();
	x87_forms();
	rejects();
}

int main(int argc, char **argv)
{
	return forms_main(argc, argv, cases);
}
