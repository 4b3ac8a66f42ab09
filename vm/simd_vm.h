/*
 * vm/simd_vm.h: the 0xfd prefix as the VM's stages see it (decode,
 * validate, compile, execute). vm/simd.h holds the instructions'
 * semantics; this header says how one is encoded and what it takes.
 * Not for embedders.
 *
 * Frame layout (docs/vm.md, "128-bit SIMD in the interpreter"): a v128
 * takes two consecutive 64-bit slots, low half first. Parameters, results
 * and locals are packed (a v128 local takes two slots, every other one
 * slot), so a call passes its arguments as (param slots) consecutive
 * values whatever the callee. A function whose locals or operand stack can
 * hold a v128 (the validator says: struct vm_code.wide) gives every
 * operand-stack entry two slots; others keep one, so scalar code is
 * compiled exactly as before.
 */
#ifndef VM_SIMD_VM_H
#define VM_SIMD_VM_H

#include "internal.h"

/* The forms of vm/simd.h's SIMD_OPS list, plus 0 for an unknown opcode. */
enum simd_form {
	SIMD_F_NONE,
	SIMD_F_LOAD,
	SIMD_F_LOAD_LANE,
	SIMD_F_STORE,
	SIMD_F_STORE_LANE,
	SIMD_F_CONST,
	SIMD_F_SHUFFLE,
	SIMD_F_SPLAT32,
	SIMD_F_SPLAT64,
	SIMD_F_EXTRACT32,
	SIMD_F_EXTRACT64,
	SIMD_F_REPLACE32,
	SIMD_F_REPLACE64,
	SIMD_F_UN,
	SIMD_F_BIN,
	SIMD_F_TERN,
	SIMD_F_SHIFT,
	SIMD_F_TEST,
};

/* One decoded 0xfd instruction: its sub-opcode and immediates. */
struct vm_simd_insn {
	uint32_t sub;
	uint8_t form;  /* enum simd_form; SIMD_F_NONE: unknown sub-opcode */
	uint8_t bytes; /* memory access size (0: none) */
	uint8_t lanes; /* bound of the lane immediate(s) (0: none) */
	uint8_t lane;  /* lane immediate (lane forms) */
	uint32_t align, offset; /* memarg (memory forms) */
	uint8_t imm[16];	/* v128.const's value, shuffle's lanes */
	/* operand types in push order (0: unused) and result type (0: none) */
	uint8_t in[3], out;
};

/*
 * Read the sub-opcode and immediates after a 0xfd byte. An unknown
 * sub-opcode fails the reader ("illegal opcode"); every read is bounded.
 */
void vm_simd_read(struct vm_reader *r, struct vm_simd_insn *in);

/*
 * Validation beyond the types: natural alignment, lane indices, a memory.
 * Returns the reason the instruction is invalid, or NULL.
 */
const char *vm_simd_check(const struct vm_module *m,
			  const struct vm_simd_insn *in);

/* Frame slots a value of type t takes (a v128 two, others one). */
static inline uint32_t vm_slots(uint8_t t)
{
	return t == VM_V128 ? 2 : 1;
}

/* Slots the n values of types[] take, packed. */
static inline uint32_t vm_slots_n(uint32_t n, const uint8_t *types)
{
	uint32_t s = 0;
	for (uint32_t i = 0; i < n; i++)
		s += vm_slots(types[i]);
	return s;
}

/*
 * A module loaded without VM_FEATURE_SIMD may not name v128 anywhere
 * (types, imports, globals, locals): malformed, as in 1.0.
 */
bool vm_simd_types_ok(const struct vm_module *m, struct vm_error *err);

/*
 * The function running the instruction `simd len fn dst a b c off
 * lane/imm...` at pc on frame fp (simd_exec.c; exec.c calls the one in
 * cell fn). Memory forms are bounds-checked first (VM_TRAP_MEM_OOB,
 * nothing accessed). Returns a trap kind or 0.
 */
typedef int vm_simd_fn(struct vm_memory *mem, const vm_cell *pc, vm_value *fp);
/* The function of sub-opcode sub (validated), as a cell. */
vm_cell vm_simd_handler(uint32_t sub);
/* i8x16.shuffle's function for these (validated) lanes: the generic one,
 * or one for a pattern it runs faster. */
vm_cell vm_simd_shuffle_handler(const uint8_t lanes[16]);

#endif
