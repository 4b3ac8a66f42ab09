/*
 * vm/compile_simd.c: the compiler's side of 128-bit SIMD: the 0xfd
 * instructions, and the frame layout of a wide function (one whose locals
 * or operand stack can hold a v128; see simd_vm.h and docs/vm.md).
 *
 * A wide function's locals are packed from slot 0 (lslot[x]: a v128 takes
 * two slots), so its parameters sit where any caller puts its arguments;
 * every operand-stack entry gets two slots from `base` up (T(i) = base +
 * 2i), so an entry of any type fits its own slot pair and the compile-time
 * stack (aliases, constants, block values) works as for scalar code. Calls
 * are the only place where the two layouts meet: the arguments are packed
 * down to consecutive slots before the call and the results unpacked to
 * their entries' pairs after it.
 */
#include "compile.h"
#include "simd_vm.h"

bool vmc_wide_setup(struct comp *c)
{
	const struct vm_code *code = c->code;
	uint32_t s = 0;
	c->lslot = vm_alloc(c->ops, (size_t)code->nlocals * sizeof(uint32_t));
	if (!c->lslot)
		return false;
	for (uint32_t x = 0; x < code->nlocals; x++) {
		c->lslot[x] = s;
		s += vm_slots(code->local_types[x]);
	}
	c->base = s;
	c->wide = 1;
	return true;
}

/*
 * Ascending: value j moves from T(h - n + j) = b + 2j down to b + off_j,
 * off_j <= 2j, and its slots end below b + 2(j + 1), where the next value
 * still is, so no move overwrites a value not yet moved.
 */
void vmc_pack_args(struct comp *c, uint32_t n)
{
	uint32_t first = c->h - n, off = 0;
	for (uint32_t j = 0; j < n; j++) {
		const struct entry *e = &c->st[first + j];
		vmc_move(c, e, T(c, first) + off);
		off += vm_slots(e->type);
	}
}

/* Descending: the reverse of vmc_pack_args, each value moving up. */
void vmc_unpack_results(struct comp *c, uint32_t n, const uint8_t *types)
{
	uint32_t base = T(c, c->h), off = vm_slots_n(n, types);
	for (uint32_t j = n; j-- > 0;) {
		off -= vm_slots(types[j]);
		struct entry e = {types[j], E_SLOT, base + off, 0};
		vmc_move(c, &e, base + 2 * j);
	}
}

/* The generic `simd len sub dst a b off lane..` (simd_exec.c). */
static uint32_t generic(struct comp *c, const struct vm_simd_insn *in,
			uint32_t dst, const uint32_t *s)
{
	bool shuffle = in->form == SIMD_F_SHUFFLE;
	uint32_t at = vmc_op(c, OP_simd);
	vmc_emit(c, shuffle ? 11 : 8);
	vmc_emit(c, in->sub);
	vmc_emit(c, dst);
	vmc_emit(c, s[0]);
	vmc_emit(c, s[1]);
	vmc_emit(c, in->offset);
	if (!shuffle) {
		vmc_emit(c, in->lane);
	} else {
		for (unsigned i = 0; i < 16; i += 4)
			vmc_emit(c, (uint32_t)in->imm[i] |
					    (uint32_t)in->imm[i + 1] << 8 |
					    (uint32_t)in->imm[i + 2] << 16 |
					    (uint32_t)in->imm[i + 3] << 24);
	}
	if (in->bytes)
		vmc_site(c, at);
	return at;
}

void vmc_simd(struct comp *c)
{
	struct vm_simd_insn in;
	uint32_t s[3] = {0, 0, 0}, n = 0, at, dstpos = 1;
	vm_simd_read(&c->r, &in);
	while (n < 3 && in.in[n])
		n++;
	for (uint32_t i = 0; i < n; i++)
		s[i] = vmc_slot_of(c, c->h - n + i);
	if (n == 1)
		s[1] = s[0]; /* the generic form reads a slot anyway */
	c->h -= n;
	uint32_t dst = T(c, c->h);
	switch (in.form) {
	case SIMD_F_CONST:
		at = vmc_op(c, OP_v128_const);
		vmc_emit(c, dst);
		for (unsigned i = 0; i < 16; i += 4)
			vmc_emit(c, (uint32_t)in.imm[i] |
					    (uint32_t)in.imm[i + 1] << 8 |
					    (uint32_t)in.imm[i + 2] << 16 |
					    (uint32_t)in.imm[i + 3] << 24);
		break;
	case SIMD_F_UN:
	case SIMD_F_TEST:
	case SIMD_F_BIN:
	case SIMD_F_SHIFT:
	case SIMD_F_TERN:
		at = vmc_op(c, in.form == SIMD_F_UN	? OP_simd_un
			       : in.form == SIMD_F_TEST ? OP_simd_test
			       : in.form == SIMD_F_TERN ? OP_simd_tern
			       : in.form == SIMD_F_BIN	? OP_simd_bin
							: OP_simd_shift);
		vmc_emit(c, dst);
		for (uint32_t i = 0; i < n; i++)
			vmc_emit(c, s[i]);
		vmc_emit(c, vm_simd_fn(in.sub));
		break;
	default:
		at = generic(c, &in, dst, s);
		dstpos = 3;
		break;
	}
	if (in.out) {
		vmc_mark_dst(c, at, 0, false);
		c->last_dstpos = at + dstpos;
		vmc_push_slot(c, in.out, dst);
	}
}
