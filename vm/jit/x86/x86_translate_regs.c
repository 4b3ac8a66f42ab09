/*
 * vm/jit/x86/x86_translate_regs.c: the IA-32 backend's use of the register
 * cache
 * (../jit_regcache.h, docs/vm-compiler.md *Register cache (IA-32)*).
 * The cache's registers 0..3 are EAX, ECX, EDX, EBX (ESI, EDI and EBP
 * hold the frame, the memory base and the run). Every register an op
 * translated through the cache writes comes from x86_temp (or
 * x86_value), so the cache always knows what each register holds.
 */
#include "x86_translate.h"

/* cache register i is x86 register number i */
_Static_assert(X86_EAX == 0 && X86_ECX == 1 && X86_EDX == 2 && X86_EBX == 3,
	       "the cache's registers are EAX, ECX, EDX, EBX");
#define regs(i) ((enum x86_reg)(i))

enum x86_reg x86_temp(struct jit_fn *j)
{
	int r = jit_rc_take(&j->rc);
	if (r < 0) { /* every register pinned: an op asked too much */
		j->bad = true;
		return X86_EAX;
	}
	return regs(r);
}

enum x86_reg x86_use(struct jit_fn *j, vm_cell s)
{
	int r = jit_rc_find(&j->rc, s);
	if (r >= 0) {
		jit_rc_pin(&j->rc, (unsigned)r);
		return regs(r);
	}
	uint32_t k;
	enum x86_reg t = x86_temp(j);
	if (jit_rc_const(&j->rc, s, &k)) {
		x86_mov_ri(&j->buf, t, k);
		return t;
	}
	load32(&j->buf, t, s);
	jit_rc_bind(&j->rc, (unsigned)t, s);
	return t;
}

enum x86_reg x86_value(struct jit_fn *j, vm_cell s)
{
	int r = jit_rc_find(&j->rc, s);
	if (r >= 0)
		jit_rc_pin(&j->rc, (unsigned)r);
	uint32_t k;
	enum x86_reg t = x86_temp(j);
	if (r >= 0)
		x86_mov_rr(&j->buf, t, regs(r));
	else if (jit_rc_const(&j->rc, s, &k))
		x86_mov_ri(&j->buf, t, k);
	else
		load32(&j->buf, t, s);
	return t;
}

void x86_alu_slot(struct jit_fn *j, enum x86_alu op, enum x86_reg r, vm_cell s)
{
	int c = jit_rc_find(&j->rc, s);
	uint32_t k;
	if (c >= 0)
		x86_alu_rr(&j->buf, op, r, regs(c));
	else if (jit_rc_const(&j->rc, s, &k))
		x86_alu_ri(&j->buf, op, r, (int32_t)k);
	else
		x86_alu_rm(&j->buf, op, r, slot(s));
}

void x86_imul_slot(struct jit_fn *j, enum x86_reg r, vm_cell s)
{
	int c = jit_rc_find(&j->rc, s);
	uint32_t k;
	if (c >= 0)
		x86_imul_rr(&j->buf, r, regs(c));
	else if (jit_rc_const(&j->rc, s, &k))
		x86_imul_rri(&j->buf, r, r, (int32_t)k);
	else
		x86_imul_rm(&j->buf, r, slot(s));
}

void x86_result32(struct jit_fn *j, vm_cell dst, enum x86_reg r)
{
	store32(&j->buf, dst, r);
	jit_rc_bind(&j->rc, (unsigned)r, dst);
}

void x86_release(struct jit_fn *j, enum x86_reg r)
{
	jit_rc_unpin(&j->rc, (unsigned)r);
}

void x86_clobbered(struct jit_fn *j, enum x86_reg r)
{
	jit_rc_clobber(&j->rc, (unsigned)r);
}
