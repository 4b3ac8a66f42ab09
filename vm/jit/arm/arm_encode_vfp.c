/*
 * The ARM encoder's VFP forms (arm_encode.h; ARM ARM ARMv7-A/R A7.5
 * "Floating-point data-processing instructions", A7.6 "Extension
 * register load/store", A7.8 "8, 16, and 32-bit transfer between ARM
 * core and extension registers").
 *
 * A register number is split into a 4-bit field and one extra bit: an S
 * register's field is its number's top four bits and the extra bit its
 * lowest (Vd:D), a D register's field its low four bits and the extra bit
 * its highest (D:Vd).
 */
#include "arm_encode.h"
#include "arm_word.h"

/* Where each operand's field and extra bit go. */
enum vfp_operand {
	VFP_D, /* Vd: 15..12, D: 22 */
	VFP_N, /* Vn: 19..16, N: 7 */
	VFP_M, /* Vm: 3..0, M: 5 */
};

static uint32_t vreg(enum vfp_operand where, enum arm_fsize size, unsigned r)
{
	static const uint8_t field_at[] = {12, 16, 0}, bit_at[] = {22, 7, 5};
	uint32_t field = size == ARM_F64 ? r & 15 : r >> 1 & 15;
	uint32_t extra = size == ARM_F64 ? r >> 4 & 1 : r & 1;

	return field << field_at[where] | extra << bit_at[where];
}

/* sz (bit 8): the operation is on doubles. */
static uint32_t sz(enum arm_fsize size)
{
	return (uint32_t)(size == ARM_F64) << 8;
}

static bool vldst(struct jit_buf *b, enum arm_cond cond, uint32_t load,
		  enum arm_fsize size, unsigned vd, enum arm_reg rn,
		  int32_t off)
{
	uint32_t up = off < 0 ? 0 : 1u << 23;
	uint32_t magnitude = off < 0 ? 0u - (uint32_t)off : (uint32_t)off;

	if (magnitude > 1020 || magnitude % 4)
		return false;
	arm_put(b, cond,
		0x0d000a00u | up | load << 20 | (uint32_t)rn << 16 |
			vreg(VFP_D, size, vd) | sz(size) | magnitude / 4);
	return true;
}

bool arm_vldr(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	      unsigned vd, enum arm_reg rn, int32_t off)
{
	return vldst(b, cond, 1, size, vd, rn, off);
}

bool arm_vstr(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	      unsigned vd, enum arm_reg rn, int32_t off)
{
	return vldst(b, cond, 0, size, vd, rn, off);
}

/* The block transfers: P, U, W as LDM's; imm8 counts words (two per D
 * register). Only IA and DB exist, and DB only with writeback. */
static bool vblock(struct jit_buf *b, enum arm_cond cond, uint32_t load,
		   enum arm_fsize size, enum arm_block mode, enum arm_reg rn,
		   bool writeback, unsigned first, unsigned count)
{
	unsigned max = size == ARM_F64 ? 16 : 32;

	if (count < 1 || count > max || first >= 32 || first + count > 32)
		return false;
	if (mode != ARM_IA && !(mode == ARM_DB && writeback))
		return false;
	arm_put(b, cond,
		0x0c000a00u | (uint32_t)(mode >> 1) << 24 |
			(uint32_t)(mode & 1) << 23 | (uint32_t)writeback << 21 |
			load << 20 | (uint32_t)rn << 16 |
			vreg(VFP_D, size, first) | sz(size) |
			count * (size == ARM_F64 ? 2 : 1));
	return true;
}

bool arm_vldm(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	      enum arm_block mode, enum arm_reg rn, bool writeback,
	      unsigned first, unsigned count)
{
	return vblock(b, cond, 1, size, mode, rn, writeback, first, count);
}

bool arm_vstm(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	      enum arm_block mode, enum arm_reg rn, bool writeback,
	      unsigned first, unsigned count)
{
	return vblock(b, cond, 0, size, mode, rn, writeback, first, count);
}

bool arm_vpush(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	       unsigned first, unsigned count)
{
	return vblock(b, cond, 0, size, ARM_DB, ARM_SP, true, first, count);
}

bool arm_vpop(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	      unsigned first, unsigned count)
{
	return vblock(b, cond, 1, size, ARM_IA, ARM_SP, true, first, count);
}

/* op (bit 20): to the core register. */
static void vmov_core_s(struct jit_buf *b, enum arm_cond cond, uint32_t to_core,
			unsigned sn, enum arm_reg rt)
{
	arm_put(b, cond,
		0x0e000a10u | to_core << 20 | vreg(VFP_N, ARM_F32, sn) |
			(uint32_t)rt << 12);
}

void arm_vmov_s_core(struct jit_buf *b, enum arm_cond cond, unsigned sn,
		     enum arm_reg rt)
{
	vmov_core_s(b, cond, 0, sn, rt);
}

void arm_vmov_core_s(struct jit_buf *b, enum arm_cond cond, enum arm_reg rt,
		     unsigned sn)
{
	vmov_core_s(b, cond, 1, sn, rt);
}

static void vmov_core_d(struct jit_buf *b, enum arm_cond cond, uint32_t to_core,
			unsigned dm, enum arm_reg lo, enum arm_reg hi)
{
	arm_put(b, cond,
		0x0c400b10u | to_core << 20 | (uint32_t)hi << 16 |
			(uint32_t)lo << 12 | vreg(VFP_M, ARM_F64, dm));
}

void arm_vmov_d_core(struct jit_buf *b, enum arm_cond cond, unsigned dm,
		     enum arm_reg lo, enum arm_reg hi)
{
	vmov_core_d(b, cond, 0, dm, lo, hi);
}

void arm_vmov_core_d(struct jit_buf *b, enum arm_cond cond, enum arm_reg lo,
		     enum arm_reg hi, unsigned dm)
{
	vmov_core_d(b, cond, 1, dm, lo, hi);
}

/* The one-operand data-processing forms: Vd and Vm of one size. */
static void vunary(struct jit_buf *b, enum arm_cond cond, uint32_t opcode,
		   enum arm_fsize size, unsigned vd, unsigned vm)
{
	arm_put(b, cond,
		opcode | vreg(VFP_D, size, vd) | sz(size) |
			vreg(VFP_M, size, vm));
}

void arm_vmov(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	      unsigned vd, unsigned vm)
{
	vunary(b, cond, 0x0eb00a40u, size, vd, vm);
}

/*
 * The VFP modified immediate abcdefgh (ARM ARM VFPExpandImm) stands for
 * the float a : NOT(b) : b repeated (5 times for F32, 8 for F64) :
 * cdefgh : zeros (19 for F32, 48 for F64). Returns the 8 bits, or -1.
 */
static int vfp_imm8(enum arm_fsize size, uint64_t bits)
{
	unsigned top = size == ARM_F64 ? 63 : 31,
		 reps = size == ARM_F64 ? 8 : 5;
	unsigned zeros = top - 8 - reps + 1; /* below cdefgh */
	uint64_t b = bits >> (top - 2) & 1;
	uint64_t bs = bits >> (zeros + 6) & ((1u << reps) - 1);

	if (size == ARM_F32 && bits >> 32)
		return -1;
	if (bits & (((uint64_t)1 << zeros) - 1))
		return -1;
	if ((bits >> (top - 1) & 1) == b || bs != (b ? (1u << reps) - 1 : 0))
		return -1;
	return (int)((bits >> top) << 7 | b << 6 | (bits >> zeros & 0x3f));
}

bool arm_vmov_imm(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
		  unsigned vd, uint64_t bits)
{
	int imm8 = vfp_imm8(size, bits);

	if (imm8 < 0)
		return false;
	arm_put(b, cond,
		0x0eb00a00u | (uint32_t)(imm8 >> 4) << 16 |
			vreg(VFP_D, size, vd) | sz(size) |
			(uint32_t)(imm8 & 0xf));
	return true;
}

void arm_vop(struct jit_buf *b, enum arm_cond cond, enum arm_vop op,
	     enum arm_fsize size, unsigned vd, unsigned vn, unsigned vm)
{
	static const uint32_t opcode[] = {
		[ARM_VMUL] = 0x0e200a00u,
		[ARM_VADD] = 0x0e300a00u,
		[ARM_VSUB] = 0x0e300a40u,
		[ARM_VDIV] = 0x0e800a00u,
	};

	arm_put(b, cond,
		opcode[op] | vreg(VFP_N, size, vn) | vreg(VFP_D, size, vd) |
			sz(size) | vreg(VFP_M, size, vm));
}

void arm_vop1(struct jit_buf *b, enum arm_cond cond, enum arm_vop1 op,
	      enum arm_fsize size, unsigned vd, unsigned vm)
{
	static const uint32_t opcode[] = {
		[ARM_VABS] = 0x0eb00ac0u,
		[ARM_VNEG] = 0x0eb10a40u,
		[ARM_VSQRT] = 0x0eb10ac0u,
	};

	vunary(b, cond, opcode[op], size, vd, vm);
}

/* E (bit 7): VCMPE. */
void arm_vcmp(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
	      bool signal_nan, unsigned vd, unsigned vm)
{
	vunary(b, cond, 0x0eb40a40u | (uint32_t)signal_nan << 7, size, vd, vm);
}

void arm_vcmp_zero(struct jit_buf *b, enum arm_cond cond, enum arm_fsize size,
		   bool signal_nan, unsigned vd)
{
	vunary(b, cond, 0x0eb50a40u | (uint32_t)signal_nan << 7, size, vd, 0);
}

void arm_vmrs(struct jit_buf *b, enum arm_cond cond, enum arm_reg rt)
{
	arm_put(b, cond, 0x0ef10a10u | (uint32_t)rt << 12);
}

void arm_vmsr(struct jit_buf *b, enum arm_cond cond, enum arm_reg rt)
{
	arm_put(b, cond, 0x0ee10a10u | (uint32_t)rt << 12);
}

/*
 * VCVT between integers and floats: opc2 (bits 18..16) is 000 from an
 * integer, 100 to unsigned, 101 to signed; op (bit 7) is, from an
 * integer, "signed", and to one, "round toward zero" (clear: VCVTR).
 * The integer always sits in an S register; sz gives the float's size.
 */
void arm_vcvt_to_int(struct jit_buf *b, enum arm_cond cond, bool is_signed,
		     bool fpscr_rounding, enum arm_fsize from, unsigned sd,
		     unsigned vm)
{
	arm_put(b, cond,
		0x0ebc0a40u | (uint32_t)is_signed << 16 |
			(uint32_t)!fpscr_rounding << 7 |
			vreg(VFP_D, ARM_F32, sd) | sz(from) |
			vreg(VFP_M, from, vm));
}

void arm_vcvt_from_int(struct jit_buf *b, enum arm_cond cond, bool is_signed,
		       enum arm_fsize to, unsigned vd, unsigned sm)
{
	arm_put(b, cond,
		0x0eb80a40u | (uint32_t)is_signed << 7 | vreg(VFP_D, to, vd) |
			sz(to) | vreg(VFP_M, ARM_F32, sm));
}

/* sz is the source's size: set converts a double to a single. */
void arm_vcvt_float(struct jit_buf *b, enum arm_cond cond, enum arm_fsize to,
		    unsigned vd, unsigned vm)
{
	enum arm_fsize from = to == ARM_F64 ? ARM_F32 : ARM_F64;

	arm_put(b, cond,
		0x0eb70ac0u | vreg(VFP_D, to, vd) | sz(from) |
			vreg(VFP_M, from, vm));
}
