/*
 * vm/jit/x86/x86_encode_sse.c: the SSE and SSE2 forms of the IA-32
 * encoder (scalar float arithmetic, conversions, the bitwise masks, moves
 * between xmm, general registers and memory). Contracts in x86_encode.h.
 */
#include "x86_modrm.h"

/* The mandatory prefix (66, F2, F3) comes before 0F; an enum x86_sse
 * value holds it in its high byte. */
static void sse_prefix(struct jit_buf *b, unsigned op)
{
	unsigned prefix = op >> 8;

	if (!x86_ok(b, prefix == 0 || prefix == 0x66 || prefix == 0xF2 ||
			       prefix == 0xF3))
		return;
	if (prefix)
		jit_put8(b, (uint8_t)(op >> 8));
}

static void sse_rr(struct jit_buf *b, unsigned op, unsigned reg, unsigned rm)
{
	sse_prefix(b, op);
	x86_op0f_rr(b, (uint8_t)op, reg, rm);
}

static void sse_mem(struct jit_buf *b, unsigned op, unsigned reg,
		    struct x86_mem m)
{
	sse_prefix(b, op);
	x86_op0f_mem(b, (uint8_t)op, reg, m);
}

void x86_sse_xx(struct jit_buf *b, enum x86_sse op, enum x86_xmm dst,
		enum x86_xmm src)
{
	sse_rr(b, op, dst, src);
}

void x86_sse_xm(struct jit_buf *b, enum x86_sse op, enum x86_xmm dst,
		struct x86_mem m)
{
	sse_mem(b, op, dst, m);
}

/* The stores are other opcodes: movss/movsd 11 (their loads are 10),
 * movdqu 7F (6F), and movq 66 0F D6 (the load is F3 0F 7E). */
void x86_sse_mx(struct jit_buf *b, enum x86_sse op, struct x86_mem m,
		enum x86_xmm src)
{
	unsigned store;

	switch (op) {
	case X86_MOVSS: store = 0xF311; break;
	case X86_MOVSD: store = 0xF211; break;
	case X86_MOVDQU: store = 0xF37F; break;
	case X86_MOVQ: store = 0x66D6; break;
	default: x86_reject(b); return;
	}
	sse_mem(b, store, src, m);
}

void x86_movd_xr(struct jit_buf *b, enum x86_xmm dst, enum x86_reg src)
{
	sse_rr(b, 0x666E, dst, src);
}

void x86_movd_rx(struct jit_buf *b, enum x86_reg dst, enum x86_xmm src)
{
	sse_rr(b, 0x667E, src, dst);
}

void x86_cvtsi2ss_xr(struct jit_buf *b, enum x86_xmm dst, enum x86_reg src)
{
	sse_rr(b, 0xF32A, dst, src);
}

void x86_cvtsi2sd_xr(struct jit_buf *b, enum x86_xmm dst, enum x86_reg src)
{
	sse_rr(b, 0xF22A, dst, src);
}

void x86_cvtsi2ss_xm(struct jit_buf *b, enum x86_xmm dst, struct x86_mem m)
{
	sse_mem(b, 0xF32A, dst, m);
}

void x86_cvtsi2sd_xm(struct jit_buf *b, enum x86_xmm dst, struct x86_mem m)
{
	sse_mem(b, 0xF22A, dst, m);
}

void x86_cvttss2si_rx(struct jit_buf *b, enum x86_reg dst, enum x86_xmm src)
{
	sse_rr(b, 0xF32C, dst, src);
}

void x86_cvttsd2si_rx(struct jit_buf *b, enum x86_reg dst, enum x86_xmm src)
{
	sse_rr(b, 0xF22C, dst, src);
}
