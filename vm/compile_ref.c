/*
 * vm/compile_ref.c: the compiler's reference and table instructions.
 *
 * A reference lives in a slot as 64 bits (vm.h): a function's address or
 * an embedder's externref, 0 for null. So ref.null is the constant 0,
 * ref.is_null is i64.eqz, and a typed select is select. Everything that
 * reads or writes a table, and ref.func (which needs the instance), is one
 * generic `table_exec sub dst a b c x y` whose handler (table.c) switches on
 * the wasm opcode or 0xfc sub-opcode `sub`: these instructions are rare in
 * hot loops, and one handler keeps the interpreter loop small.
 */
#include "compile.h"

/*
 * Emit `table_exec sub dst a b c x y` taking the top n entries (n <= 3) as a,
 * b, c in order and pushing a result of type rt (0: none).
 */
static void table_op(struct comp *c, uint32_t sub, uint32_t n, uint8_t rt,
		     uint32_t x, uint32_t y)
{
	uint32_t s[3] = {0, 0, 0};
	for (uint32_t i = 0; i < n; i++)
		s[i] = vmc_slot_of(c, c->h - n + i);
	c->h -= n;
	uint32_t at = vmc_op(c, OP_table_exec);
	vmc_emit(c, sub);
	vmc_emit(c, T(c, c->h));
	for (uint32_t i = 0; i < 3; i++)
		vmc_emit(c, s[i]);
	vmc_emit(c, x);
	vmc_emit(c, y);
	vmc_site(c, at);
	if (rt)
		vmc_push_slot(c, rt, T(c, c->h));
}

void vmc_ref(struct comp *c, uint8_t w)
{
	struct vm_reader *r = &c->r;
	uint32_t x, at;

	switch (w) {
	case 0x1c:
		/* validated: one value type */
		vm_rd_u32(r);
		vm_rd_u8(r);
		vmc_select(c);
		break;
	case 0x25:
		x = vm_rd_u32(r);
		table_op(c, w, 1, c->m->tables[x].type, x, 0);
		break;
	case 0x26: table_op(c, w, 2, 0, vm_rd_u32(r), 0); break;
	case 0xd0: vmc_push_const(c, vm_rd_u8(r), 0); break;
	case 0xd1: {
		uint32_t s = vmc_slot_of(c, c->h - 1);
		c->h--;
		at = vmc_op(c, OP_i64_eqz);
		vmc_emit(c, T(c, c->h));
		vmc_emit(c, s);
		vmc_mark_dst(c, at, 0, false);
		vmc_push_slot(c, VM_I32, T(c, c->h));
		break;
	}
	case 0xd2: table_op(c, w, 0, VM_FUNCREF, vm_rd_u32(r), 0); break;
	}
}

void vmc_table_fc(struct comp *c, uint32_t sub)
{
	struct vm_reader *r = &c->r;
	uint32_t x = vm_rd_u32(r), y = 0;
	if (sub == 12 || sub == 14)
		y = vm_rd_u32(r);
	switch (sub) {
	case 12: /* table.init elem x, table y: d s n */
	case 14: /* table.copy dst x, src y: d s n */
	case 17: /* table.fill x: i val n */
		table_op(c, sub, 3, 0, x, y);
		break;
	case 13: table_op(c, sub, 0, 0, x, 0); break;
	case 15: table_op(c, sub, 2, VM_I32, x, 0); break; /* val n */
	case 16: table_op(c, sub, 0, VM_I32, x, 0); break;
	}
}
