/*
 * vm/jit/x86/x86_encode_x87.c: the x87 memory forms of the IA-32 encoder,
 * for the i64 conversions SSE2 lacks on IA-32 (contract in x86_encode.h).
 */
#include "x86_modrm.h"

static bool x87_ok(enum x86_x87 op)
{
	switch (op) {
	case X86_FLD32:
	case X86_FLD64:
	case X86_FSTP32:
	case X86_FSTP64:
	case X86_FILD32:
	case X86_FILD64:
	case X86_FISTP32:
	case X86_FISTP64:
	case X86_FNSTCW:
	case X86_FLDCW: return true;
	}
	return false;
}

/* fnstcw is the no-wait form (D9 /7 without the 9B of fstcw): no x87
 * exception is pending in compiled code, which leaves them masked. */
void x86_x87_m(struct jit_buf *b, enum x86_x87 op, struct x86_mem m)
{
	if (x86_ok(b, x87_ok(op)))
		x86_op_mem(b, (uint8_t)(op >> 8), op & 7, m);
}
