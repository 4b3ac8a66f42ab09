/*
 * vm/compile.h: state shared by the compiler's files: compile.c (the
 * translation of each instruction), control.c (blocks, branches, calls and
 * returns), emit.c (the code buffer, the compile-time operand stack and
 * branch linking) and fuse.c (peepholes that fuse the instruction just
 * emitted with the next one).
 */
#ifndef VM_COMPILE_H
#define VM_COMPILE_H

#include "internal.h"
#include "ops.h"

#define NONE UINT32_MAX

enum { E_SLOT, E_CONST };

struct entry {
	uint8_t type;
	uint8_t kind;
	uint32_t slot;
	uint64_t k;
};

struct block {
	uint8_t op; /* 0 func, 2 block, 3 loop, 4 if */
	bool unreachable;
	struct vm_blocktype t;
	uint32_t height;    /* below the block's parameters */
	uint32_t target;    /* loop: first cell of the body */
	uint32_t patches;   /* forward branch sites, linked through the cells */
	uint32_t else_site; /* if: the branch over the then-arm, 0 if none */
};

struct comp {
	struct vm_module *m;
	const struct vm_host_ops *ops;
	struct vm_code *code;
	const vm_cell *optab;
	struct vm_reader r;
	uint32_t at; /* wasm offset of the instruction being compiled */
	vm_cell *cells;
	uint32_t n, cap;
	struct vm_site *sites;
	uint32_t nsites, capsites;
	bool oom;
	struct entry *st;
	uint32_t h, maxh, capst; /* st has capst + 1 entries */
	struct block *bl;
	uint32_t nbl;
	uint32_t nlocals;
	/*
	 * Locals known to hold a constant: kgen[x] == gen means kval[x] is
	 * the value. Every label bumps gen, forgetting everything, since
	 * another path may arrive there. Declared locals start known zero.
	 */
	uint32_t *kgen;
	uint64_t *kval;
	uint32_t gen;
	/* the instruction just emitted, for the peepholes */
	uint32_t last;	      /* its first cell, or NONE */
	uint8_t last_w;	      /* wasm opcode it implements (0 if none) */
	bool last_imm;	      /* it is the immediate form */
	bool last_dst;	      /* cell last+1 is a destination slot */
	uint32_t last_dstpos; /* cell holding the last destination written */
	uint8_t last_ld; /* last is a load: 1 [ld d addr off], 2 [ld d a imm
			    off] */
	/* the instruction before it (NONE across labels), for loop closers */
	uint32_t prev;
	uint8_t prev_w;
	bool prev_imm;
	uint8_t last_copies; /* last is a copy run of this many pairs */
	/*
	 * SIMD (simd_vm.h): a wide function gives every operand-stack entry
	 * two slots, from `base` (the locals' slots) up, and its locals sit
	 * at lslot[x] (packed: a v128 takes two). Otherwise wide is 0, lslot
	 * NULL and base nlocals: entry i in slot nlocals + i, local x in x.
	 */
	uint32_t base;
	uint8_t wide;
	uint32_t *lslot;
};

#define T(c, i) ((c)->base + ((i) << (c)->wide))
/* The slot of local x. */
#define LSLOT(c, x) ((c)->lslot ? (c)->lslot[x] : (x))

/* ---- emit.c ---- */

/* Append a cell; on allocation failure set c->oom and keep going. */
void vmc_emit(struct comp *c, vm_cell v);
/* Start instruction o; returns its first cell. Forgets the last-emitted one. */
uint32_t vmc_op(struct comp *c, enum vm_op o);
/* Record that the instruction at `cell` may trap at the current wasm offset. */
void vmc_site(struct comp *c, uint32_t cell);
/* Note the instruction at `at` (wasm opcode w) writes its dst at cell at+1. */
void vmc_mark_dst(struct comp *c, uint32_t at, uint8_t w, bool imm);
void vmc_push_slot(struct comp *c, uint8_t type, uint32_t slot);
void vmc_push_const(struct comp *c, uint8_t type, uint64_t k);
/* Emit code writing entry e's value to slot dst (nothing if already there). */
void vmc_move(struct comp *c, const struct entry *e, uint32_t dst);
/* Same for the consumed top entry, retargeting its producer when possible. */
void vmc_move_top(struct comp *c, uint32_t dst);
/* Put entry i into its own slot T(i); returns that slot. */
uint32_t vmc_materialize(struct comp *c, uint32_t i);
void vmc_materialize_all(struct comp *c);
/* Slot holding entry i: constants are materialized, aliases returned. */
uint32_t vmc_slot_of(struct comp *c, uint32_t i);
/* Branch offset cell value from cell s to cell target. */
vm_cell vmc_rel(uint32_t target, uint32_t s);
/* Link the branch offset in cell s to block b's label. */
void vmc_branch_to(struct comp *c, struct block *b, uint32_t s);
/* Resolve branch offset cell s (or a whole patch list) to the next cell. */
void vmc_patch_here(struct comp *c, uint32_t s);
void vmc_patch_list(struct comp *c, uint32_t head);
struct block *vmc_label(struct comp *c, uint32_t depth);

/* ---- compile_simd.c ---- */

/* Prefix 0xfd (validated): one SIMD instruction. */
void vmc_simd(struct comp *c);
/* Set up a wide function's local slot map; false when out of memory. */
bool vmc_wide_setup(struct comp *c);
/* Pack the top n entries (materialized, two slots apart) into
 * consecutive slots from T(h - n), as a call passes them; and unpack n
 * values of types[] returned there into their own entries' slots. */
void vmc_pack_args(struct comp *c, uint32_t n);
void vmc_unpack_results(struct comp *c, uint32_t n, const uint8_t *types);

/* ---- control.c ---- */

/* Open a block of type t (its parameters are the top entries). */
void vmc_push_block(struct comp *c, uint8_t o, const struct vm_blocktype *t);
/* Control instruction w (0x00..0x11), validated. */
void vmc_control(struct comp *c, uint8_t w);

/* ---- compile_ref.c ---- */

/* Reference and table instructions (validated): typed select (0x1c),
 * table.get/set (0x25, 0x26), ref.null/is_null/func (0xd0..0xd2). */
void vmc_ref(struct comp *c, uint8_t w);
/* Prefix 0xfc 12..17 (the sub-opcode already read). */
void vmc_table_fc(struct comp *c, uint32_t sub);
/* select's translation (compile.c), for the typed select. */
void vmc_select(struct comp *c);

/* ---- fuse.c ---- */

/*
 * Pop the i32 condition and emit a branch taken when it is non-zero (zero
 * if negate), fused with the compare that produced it when possible.
 * Returns the cell holding the branch offset, for linking.
 */
uint32_t vmc_cond_branch(struct comp *c, bool negate);
/* Immediate forms of integer binary ops (ops.h VM_IMM_OPS). */
bool vmc_has_imm(uint8_t w);
/* The opcode with operands swapped (same for commutative), or 0. */
uint8_t vmc_swapped(uint8_t w);
enum vm_op vmc_imm_op(uint8_t w);
/* Whether constant entry e fits a 32-bit immediate of its type. */
bool vmc_imm_fits(const struct entry *e);
/* Whether numeric opcode w can trap (division, float-to-int). */
bool vmc_traps(uint8_t w);
/*
 * Each fuse/abs/store_const helper either emits the fused instruction for
 * the current wasm instruction (updating the operand stack) and returns
 * true, or changes nothing and returns false.
 */
bool vmc_fuse_muladd(struct comp *c);
bool vmc_fuse_shop(struct comp *c, uint8_t w);
bool vmc_fuse_andz(struct comp *c);
bool vmc_fuse_load(struct comp *c, uint8_t w, uint32_t off);
bool vmc_abs_load(struct comp *c, uint8_t w, uint32_t off);
bool vmc_abs_store(struct comp *c, uint8_t w, uint32_t off);
bool vmc_fuse_store(struct comp *c, uint8_t w, uint32_t off);
bool vmc_store_const(struct comp *c, uint8_t w, uint32_t off);
bool vmc_fuse_memop(struct comp *c, uint8_t w);

#endif
