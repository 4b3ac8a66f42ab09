/*
 * tests/jit/arm_forms_vfp.c: the ARM encoder's VFP forms, for
 * arm_forms.c (conventions there). Register numbers are picked to set
 * each half of the split register fields: an S register's low bit and a
 * D register's high bit go in a bit of their own (D, N, M).
 */
#include "arm_encode.h"
#include "arm_forms.h"
#include "forms.h"

static const char *const suffix[] = {"f32", "f64"};
static const unsigned sregs[] = {0, 1, 2, 15, 16, 30, 31};
static const unsigned dregs[] = {0, 1, 15, 16, 17, 31, 8};

static const char *vreg(enum arm_fsize size, unsigned r)
{
	return fmt("%c%u", size == ARM_F64 ? 'd' : 's', r);
}

/* The k-th register of a size, from the lists above. */
static unsigned pick(enum arm_fsize size, int k)
{
	return size == ARM_F64 ? dregs[k % 7] : sregs[k % 7];
}

static void vfp_loads_stores(void)
{
	static const int32_t off[] = {4, -4, 1020, -1020, 0x100, -0x1fc, 0};
	struct jit_buf *b;

	for (int size = 0; size < 2; size++)
		for (int i = 0; i < 7; i++) {
			int k = size * 7 + i, c = k % 15, n = k % 14;
			unsigned v = pick(size, i);
			const char *addr =
				off[i] ? fmt("[%s, #%d]", reg[n], off[i])
				       : fmt("[%s]", reg[n]);

			b = form_begin();
			ok(arm_vldr(b, c, size, v, n, off[i]), "vldr");
			form_end(b, fmt("vldr%s %s, %s", cond[c], vreg(size, v),
					addr));
			b = form_begin();
			ok(arm_vstr(b, 14 - c, size, v, n, off[i]), "vstr");
			form_end(b, fmt("vstr%s %s, %s", cond[14 - c],
					vreg(size, v), addr));
		}
	static const int32_t bad[] = {1024, -1024, 2, -6, 1021};
	for (int i = 0; i < 5; i++) {
		b = form_begin();
		refused(arm_vldr(b, ARM_AL, i & 1, 0, 0, bad[i]), b,
			fmt("vldr offset %d", bad[i]));
		b = form_begin();
		refused(arm_vstr(b, ARM_AL, i & 1, 0, 0, bad[i]), b,
			fmt("vstr offset %d", bad[i]));
	}
}

/* "{d8-d15}", "{s3}". */
static const char *vlist(enum arm_fsize size, unsigned first, unsigned count)
{
	if (count == 1)
		return fmt("{%s}", vreg(size, first));
	return fmt("{%s-%s}", vreg(size, first), vreg(size, first + count - 1));
}

static void vfp_blocks(void)
{
	static const struct {
		unsigned first, count;
	} range[] = {{0, 1}, {8, 8}, {16, 16}, {31, 1}, {1, 3}, {0, 16}};
	struct jit_buf *b;

	for (int size = 0; size < 2; size++)
		for (int i = 0; i < 6; i++) {
			unsigned first = range[i].first, count = range[i].count;
			int k = size * 6 + i, c = k == 4 ? ARM_CS : ARM_AL;
			int n = k % 13, wb = i & 1;
			const char *list = vlist(size, first, count);

			b = form_begin();
			ok(arm_vldm(b, c, size, ARM_IA, n, wb, first, count),
			   "vldm");
			form_end(b, fmt("vldmia%s %s%s, %s", cond[c], reg[n],
					wb ? "!" : "", list));
			b = form_begin();
			ok(arm_vstm(b, c, size, ARM_DB, n, true, first, count),
			   "vstmdb");
			form_end(b, fmt("vstmdb%s %s!, %s", cond[c], reg[n],
					list));
			b = form_begin();
			ok(arm_vpush(b, c, size, first, count), "vpush");
			form_end(b, fmt("vpush%s %s", cond[c], list));
			b = form_begin();
			ok(arm_vpop(b, c, size, first, count), "vpop");
			form_end(b, fmt("vpop%s %s", cond[c], list));
		}
	static const struct {
		enum arm_fsize size;
		enum arm_block mode;
		bool wb;
		unsigned first, count;
	} bad[] = {{ARM_F64, ARM_IA, false, 0, 0},
		   {ARM_F64, ARM_IA, false, 0, 17},
		   {ARM_F64, ARM_IA, false, 17, 16},
		   {ARM_F32, ARM_IA, true, 31, 2},
		   {ARM_F32, ARM_IA, true, 32, 1},
		   {ARM_F64, ARM_DB, false, 0, 1},
		   {ARM_F64, ARM_DA, true, 0, 1},
		   {ARM_F32, ARM_IB, true, 0, 1}};
	for (int i = 0; i < 8; i++) {
		b = form_begin();
		refused(arm_vldm(b, ARM_AL, bad[i].size, bad[i].mode, ARM_R0,
				 bad[i].wb, bad[i].first, bad[i].count),
			b, fmt("vldm case %d", i));
	}
	b = form_begin();
	refused(arm_vpush(b, ARM_AL, ARM_F64, 8, 0), b, "vpush {}");
}

static void vfp_moves(void)
{
	struct jit_buf *b;

	for (int i = 0; i < 7; i++) {
		int c = i == 3 ? ARM_EQ : ARM_AL, t = i * 2, u = 14 - i;
		unsigned s = sregs[i], d = dregs[i];

		b = form_begin();
		arm_vmov_s_core(b, c, s, t);
		form_end(b, fmt("vmov%s s%u, %s", cond[c], s, reg[t]));
		b = form_begin();
		arm_vmov_core_s(b, c, u, s);
		form_end(b, fmt("vmov%s %s, s%u", cond[c], reg[u], s));
		b = form_begin();
		arm_vmov_d_core(b, c, d, t, u);
		form_end(b,
			 fmt("vmov%s d%u, %s, %s", cond[c], d, reg[t], reg[u]));
		b = form_begin();
		arm_vmov_core_d(b, c, u, t, d);
		form_end(b,
			 fmt("vmov%s %s, %s, d%u", cond[c], reg[u], reg[t], d));
		for (int size = 0; size < 2; size++) {
			unsigned vd = pick(size, i), vm = pick(size, 6 - i);

			b = form_begin();
			arm_vmov(b, c, size, vd, vm);
			form_end(b,
				 fmt("vmov%s.%s %s, %s", cond[c], suffix[size],
				     vreg(size, vd), vreg(size, vm)));
		}
	}
}

/*
 * VMOV of an immediate: binutils prints the imm8 field (in decimal, the
 * value in a comment), so each value's imm8 is worked out here from the
 * manual's VFPExpandImm: sign a, then b (the exponent's bit 1 ... set
 * when bit 30 / bit 62 is clear), then the exponent's low two bits and
 * the mantissa's top four as cdefgh.
 */
static void vfp_immediates(void)
{
	static const struct {
		enum arm_fsize size;
		uint64_t bits;
		unsigned imm8;
	} imm[] = {
		{ARM_F32, 0x3f800000, 112},	     /* 1.0: a0 b1 110000 */
		{ARM_F32, 0x40000000, 0},	     /* 2.0: a0 b0 000000 */
		{ARM_F32, 0xc0000000, 128},	     /* -2.0: a1 b0 */
		{ARM_F32, 0x41f80000, 63},	     /* 31.0: the largest */
		{ARM_F32, 0xbff80000, 255},	     /* -1.9375 */
		{ARM_F32, 0x3e000000, 64},	     /* 0.125: the smallest */
		{ARM_F64, 0x3ff0000000000000, 112},  /* 1.0 */
		{ARM_F64, 0xc000000000000000, 128},  /* -2.0 */
		{ARM_F64, 0x3fe0000000000000, 96},   /* 0.5: b1 100000 */
		{ARM_F64, 0x4031000000000000, 49},   /* 17.0: b0 110001 */
		{ARM_F64, 0xbfc0000000000000, 0xc0}, /* -0.125 */
	};
	struct jit_buf *b;

	for (unsigned i = 0; i < sizeof(imm) / sizeof(imm[0]); i++) {
		int c = i == 2 ? ARM_HI : ARM_AL;
		unsigned vd = pick(imm[i].size, (int)i);

		b = form_begin();
		ok(arm_vmov_imm(b, c, imm[i].size, vd, imm[i].bits), "vmov #");
		form_end(b,
			 fmt("vmov%s.%s %s, #%u", cond[c], suffix[imm[i].size],
			     vreg(imm[i].size, vd), imm[i].imm8));
	}
	static const struct {
		enum arm_fsize size;
		uint64_t bits;
	} bad[] = {
		{ARM_F32, 0},		       /* 0.0 */
		{ARM_F32, 0x80000000},	       /* -0.0 */
		{ARM_F32, 0x3dcccccd},	       /* 0.1 */
		{ARM_F32, 0x3f800001},	       /* 1.0 + an ulp */
		{ARM_F32, 0x43800000},	       /* 256.0 */
		{ARM_F32, 0x7fc00000},	       /* NaN */
		{ARM_F32, 0x3ff0000000000000}, /* an F64's bits */
		{ARM_F64, 0},		       /* 0.0 */
		{ARM_F64, 0x3ff0800000000000}, /* 1.0 + 2^-5 */
		{ARM_F64, 0x3ff0000000000001}, /* 1.0 + an ulp */
		{ARM_F64, 0x4070000000000000}, /* 256.0 */
		{ARM_F64, 0x3fb0000000000000}, /* 0.0625 */
		{ARM_F64, 0x3f800000},	       /* an F32's bits */
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = form_begin();
		refused(arm_vmov_imm(b, ARM_AL, bad[i].size, 0, bad[i].bits), b,
			fmt("vmov #%#llx", (unsigned long long)bad[i].bits));
	}
}

static void vfp_arithmetic(void)
{
	static const char *const op_name[] = {"vmul", "vadd", "vsub", "vdiv"};
	static const char *const op1_name[] = {"vabs", "vneg", "vsqrt"};
	struct jit_buf *b;

	for (int op = 0; op < 4; op++)
		for (int size = 0; size < 2; size++)
			for (int j = 0; j < 3; j++) {
				int k = op * 6 + size * 3 + j, c = k % 15;
				unsigned vd = pick(size, k),
					 vn = pick(size, k + 2);
				unsigned vm = pick(size, k + 5);

				b = form_begin();
				arm_vop(b, c, op, size, vd, vn, vm);
				form_end(b,
					 fmt("%s%s.%s %s, %s, %s", op_name[op],
					     cond[c], suffix[size],
					     vreg(size, vd), vreg(size, vn),
					     vreg(size, vm)));
			}
	for (int op = 0; op < 3; op++)
		for (int size = 0; size < 2; size++)
			for (int j = 0; j < 2; j++) {
				int k = op * 4 + size * 2 + j, c = (k * 2) % 15;
				unsigned vd = pick(size, k),
					 vm = pick(size, k + 3);

				b = form_begin();
				arm_vop1(b, c, op, size, vd, vm);
				form_end(b,
					 fmt("%s%s.%s %s, %s", op1_name[op],
					     cond[c], suffix[size],
					     vreg(size, vd), vreg(size, vm)));
			}
}

static void vfp_compares(void)
{
	struct jit_buf *b;

	for (int size = 0; size < 2; size++)
		for (int e = 0; e < 2; e++) {
			int k = size * 2 + e, c = k == 3 ? ARM_AL : k + 10;
			unsigned vd = pick(size, k + 2), vm = pick(size, 6 - k);
			const char *name = e ? "vcmpe" : "vcmp";

			b = form_begin();
			arm_vcmp(b, c, size, e, vd, vm);
			form_end(b, fmt("%s%s.%s %s, %s", name, cond[c],
					suffix[size], vreg(size, vd),
					vreg(size, vm)));
			b = form_begin();
			arm_vcmp_zero(b, c, size, e, vm);
			form_end(b, fmt("%s%s.%s %s, #0.0", name, cond[c],
					suffix[size], vreg(size, vm)));
		}
	/* VMRS of PC is the flags' transfer, APSR_nzcv. */
	static const struct {
		bool to_core;
		enum arm_cond c;
		enum arm_reg rt;
		const char *text;
	} fpscr[] = {{true, ARM_AL, ARM_PC, "vmrs APSR_nzcv, fpscr"},
		     {true, ARM_NE, ARM_R3, "vmrsne r3, fpscr"},
		     {false, ARM_AL, ARM_R0, "vmsr fpscr, r0"},
		     {false, ARM_GT, ARM_LR, "vmsrgt fpscr, lr"}};
	for (int i = 0; i < 4; i++) {
		b = form_begin();
		if (fpscr[i].to_core)
			arm_vmrs(b, fpscr[i].c, fpscr[i].rt);
		else
			arm_vmsr(b, fpscr[i].c, fpscr[i].rt);
		form_end(b, fpscr[i].text);
	}
}

static void vfp_conversions(void)
{
	struct jit_buf *b;

	for (int from = 0; from < 2; from++)
		for (int sgn = 0; sgn < 2; sgn++)
			for (int r = 0; r < 2; r++) {
				int k = from * 4 + sgn * 2 + r;
				int c = k == 5 ? ARM_VS : ARM_AL;
				unsigned sd = sregs[k % 7];
				unsigned vm = pick(from, 6 - k % 7);

				b = form_begin();
				arm_vcvt_to_int(b, c, sgn, r, from, sd, vm);
				form_end(b, fmt("vcvt%s%s.%c32.%s s%u, %s",
						r ? "r" : "", cond[c],
						sgn ? 's' : 'u', suffix[from],
						sd, vreg(from, vm)));
			}
	for (int to = 0; to < 2; to++)
		for (int sgn = 0; sgn < 2; sgn++)
			for (int j = 0; j < 2; j++) {
				int k = to * 4 + sgn * 2 + j;
				int c = k == 2 ? ARM_LE : ARM_AL;
				unsigned vd = pick(to, k),
					 sm = sregs[6 - k % 7];

				b = form_begin();
				arm_vcvt_from_int(b, c, sgn, to, vd, sm);
				form_end(b,
					 fmt("vcvt%s.%s.%c32 %s, s%u", cond[c],
					     suffix[to], sgn ? 's' : 'u',
					     vreg(to, vd), sm));
			}
	for (int to = 0; to < 2; to++)
		for (int j = 0; j < 3; j++) {
			int c = j == 1 ? ARM_MI : ARM_AL, from = !to;
			unsigned vd = pick(to, j * 2), vm = pick(from, 5 - j);

			b = form_begin();
			arm_vcvt_float(b, c, to, vd, vm);
			form_end(b, fmt("vcvt%s.%s.%s %s, %s", cond[c],
					suffix[to], suffix[from], vreg(to, vd),
					vreg(from, vm)));
		}
}

void arm_forms_vfp(void)
{
	vfp_loads_stores();
	vfp_blocks();
	vfp_moves();
	vfp_immediates();
	vfp_arithmetic();
	vfp_compares();
	vfp_conversions();
}
