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
#include "simd.h"
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

/* Put 16 immediate bytes into four 32-bit cells, low first. */
static void emit16(struct comp *c, const uint8_t *b)
{
	for (unsigned i = 0; i < 16; i += 4)
		vmc_emit(c, (uint32_t)b[i] | (uint32_t)b[i + 1] << 8 |
				    (uint32_t)b[i + 2] << 16 |
				    (uint32_t)b[i + 3] << 24);
}

/*
 * Prefix 0xfd (validated): v128.const; v128.load, v128.store,
 * i32x4.add and i32x4.mul, which exec.c runs inline (the commonest in
 * vectorised loops); or the generic `simd len fn dst a b c off lane..`
 * (simd_exec.c). Unused operand cells repeat the first operand's slot (or dst),
 * so every cell names a slot of the frame.
 */
void vmc_simd(struct comp *c)
{
	struct vm_simd_insn in;
	uint32_t s[3], n = 0, at, dstpos = 1; /* dstpos: the cell of dst */
	vm_simd_read(&c->r, &in);
	while (n < 3 && in.in[n])
		n++;
	for (uint32_t i = 0; i < n; i++)
		s[i] = vmc_slot_of(c, c->h - n + i);
	c->h -= n;
	uint32_t dst = T(c, c->h);
	for (uint32_t i = n; i < 3; i++)
		s[i] = n ? s[0] : dst;
	if (in.form == SIMD_F_CONST) {
		at = vmc_op(c, OP_v128_const);
		vmc_emit(c, dst);
		emit16(c, in.imm);
	} else if (in.sub == SIMD_OP_v128_load ||
		   in.sub == SIMD_OP_v128_store) {
		bool ld = in.sub == SIMD_OP_v128_load;
		at = vmc_op(c, ld ? OP_v128_load : OP_v128_store);
		vmc_emit(c, ld ? dst : s[0]);
		vmc_emit(c, ld ? s[0] : s[1]);
		vmc_emit(c, in.offset);
		vmc_site(c, at);
	} else if (in.sub == SIMD_OP_i32x4_add || in.sub == SIMD_OP_i32x4_mul) {
		at = vmc_op(c, in.sub == SIMD_OP_i32x4_add ? OP_i32x4_add
							   : OP_i32x4_mul);
		vmc_emit(c, dst);
		vmc_emit(c, s[0]);
		vmc_emit(c, s[1]);
	} else {
		bool shuffle = in.form == SIMD_F_SHUFFLE;
		at = vmc_op(c, OP_simd);
		dstpos = 3;
		vmc_emit(c, shuffle ? 12 : 9);
		vmc_emit(c, shuffle ? vm_simd_shuffle_handler(in.imm)
				    : vm_simd_handler(in.sub));
		vmc_emit(c, dst);
		for (uint32_t i = 0; i < 3; i++)
			vmc_emit(c, s[i]);
		vmc_emit(c, in.offset);
		if (shuffle)
			emit16(c, in.imm);
		else
			vmc_emit(c, in.lane);
		if (in.bytes)
			vmc_site(c, at);
	}
	if (in.out) {
		vmc_mark_dst(c, at, 0, false);
		/* the destination cell, for retargeting (emit.c) */
		c->last_dstpos = at + dstpos;
		vmc_push_slot(c, in.out, dst);
	}
}
