/*
 * vm/jit/jit_ops.h: reading the internal ops (vm/ops.h) the way every
 * backend needs them, with nothing of an ISA: which i32 compare a fused
 * op carries, which plain op an immediate form mirrors, and the fields
 * of a load or store in each of its address forms. A backend maps the
 * results to its own instructions.
 */
#ifndef VM_JIT_OPS_H
#define VM_JIT_OPS_H

#include "../internal.h"
#include "../ops.h"

/* Which i32 compare op o carries, or OP_COUNT. *form: 0 dst a b|imm,
 * 1 branch a b|imm rel, 2 add-branch d a k b|imm rel; *imm: b is an
 * immediate. */
static inline enum vm_op jit_cmp_of(enum vm_op o, int *form, bool *imm)
{
	switch (o) {
#define F_CMP(n, w)                                                            \
	case OP_##n: *form = 0, *imm = false; return OP_##n;                   \
	case OPI_##n: *form = 0, *imm = true; return OP_##n;                   \
	case OPB_##n: *form = 1, *imm = false; return OP_##n;                  \
	case OPBI_##n: *form = 1, *imm = true; return OP_##n;                  \
	case OPAB_##n: *form = 2, *imm = false; return OP_##n;                 \
	case OPABI_##n: *form = 2, *imm = true; return OP_##n;
		VM_I32_CMP_OPS(F_CMP)
#undef F_CMP
	default: return OP_COUNT;
	}
}

/* The plain op an immediate form (OPI_*) mirrors, or OP_COUNT. */
static inline enum vm_op jit_plain_of_imm(enum vm_op o)
{
	switch (o) {
#define P_IMM(n, w)                                                            \
	case OPI_##n: return OP_##n;
		VM_IMM_OPS(P_IMM)
#undef P_IMM
	default: return OP_COUNT;
	}
}

/* A load's or store's address: slot a, a + slot x, a + immediate x, or
 * the constant a. */
enum jit_addr { JIT_A_SLOT, JIT_A_ADD, JIT_A_ADDI, JIT_A_ABS };

/* JIT_MEM_STORE, or the load's place in ops.h's OP_i32_load ..
 * OP_i64_load32_u (its width and extension). */
#define JIT_MEM_STORE 0xffu

struct jit_mem {
	uint8_t load;	/* as above */
	uint8_t n;	/* a store's bytes (1, 2, 4, 8); add_mem: 4 */
	uint8_t addr;	/* enum jit_addr */
	bool from_slot; /* a store's value: slot v, else the constant v
			   (sign-extended to 64 bits) */
	bool add_mem;	/* OP_i32_add_mem: dst = slot v + the i32 at addr */
	vm_cell dst, a, x, v, off;
};

/*
 * The fields of memory op o at pc (the cells after pc are read only
 * when pc is not NULL): false if o is not one of the loads and stores
 * below (the i32 and i64 ones in every address form, and i32_add_mem).
 */
static inline bool jit_mem_decode(enum vm_op o, const vm_cell *pc,
				  struct jit_mem *m)
{
	static const vm_cell none[6];
	static const uint8_t store_n[] = {4, 8, 1, 2, 1, 2, 4};
	static const uint8_t store_k_n[] = {4, 1, 2, 8};
	/* a b|imm val|k off: i32, i64, i32 8-bit; then the k forms */
	static const uint8_t store_a_n[] = {4, 4, 8, 8, 1, 1, 4, 4, 1, 1};
	const vm_cell *p = pc ? pc : none;
	*m = (struct jit_mem){
		JIT_MEM_STORE, 0, JIT_A_SLOT, true, false, 0, 0, 0, 0, 0};
	if (o >= OP_i32_load && o <= OP_i64_load32_u) {
		m->load = (uint8_t)(o - OP_i32_load);
		m->dst = p[1], m->a = p[2], m->off = p[3];
	} else if (o >= OPLA_i32_load && o <= OPLAI_i32_load16_u) {
		m->load = (uint8_t)((o - OPLA_i32_load) / 2);
		m->addr = (o - OPLA_i32_load) & 1 ? JIT_A_ADDI : JIT_A_ADD;
		m->dst = p[1], m->a = p[2], m->x = p[3], m->off = p[4];
	} else if (o == OP_i32_load_abs || o == OP_i64_load_abs ||
		   o == OP_i32_load8_u_abs) {
		m->load = (uint8_t)(o == OP_i32_load_abs   ? 0
				    : o == OP_i64_load_abs ? 1
							   : 3);
		m->addr = JIT_A_ABS;
		m->dst = p[1], m->a = p[2];
	} else if (o >= OP_i32_store && o <= OP_i64_store32) {
		m->n = store_n[o - OP_i32_store];
		m->a = p[1], m->v = p[2], m->off = p[3];
	} else if (o >= OP_i32_store_k && o <= OP_i64_store_k) {
		m->n = store_k_n[o - OP_i32_store_k];
		m->from_slot = false;
		m->a = p[1], m->v = p[2], m->off = p[3];
	} else if (o == OP_i32_store_abs || o == OP_i64_store_abs) {
		m->n = o == OP_i32_store_abs ? 4 : 8;
		m->addr = JIT_A_ABS;
		m->a = p[1], m->v = p[2];
	} else if (o >= OP_i32_store_a && o <= OP_i32_store8_kai) {
		uint32_t i = o - OP_i32_store_a;
		m->n = store_a_n[i];
		m->addr = i & 1 ? JIT_A_ADDI : JIT_A_ADD;
		m->from_slot = i < 6;
		m->a = p[1], m->x = p[2], m->v = p[3], m->off = p[4];
	} else if (o == OP_i32_add_mem) {
		/* dst x a imm off */
		m->load = 0, m->n = 4, m->add_mem = true;
		m->addr = JIT_A_ADDI;
		m->dst = p[1], m->v = p[2], m->a = p[3], m->x = p[4],
		m->off = p[5];
	} else {
		return false;
	}
	return true;
}

#endif
