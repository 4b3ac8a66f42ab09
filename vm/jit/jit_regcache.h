/*
 * vm/jit/jit_regcache.h: the compiler tier's register cache, the
 * ISA-neutral half (docs/vm-compiler.md *Register cache (IA-32)*).
 *
 * Within a basic block a backend keeps what it has computed or loaded:
 * which host registers hold which frame slot's low 32 bits, and which
 * slots hold a known constant (k with a zero high half, as const32
 * leaves them). A later op reads the register (or folds the constant
 * into its instruction) instead of loading the slot again. The cache
 * knows nothing of an ISA: registers are numbered 0..nregs-1, the
 * backend maps them to its own and emits every load and store itself.
 *
 * Write-through: every result is still stored to its slot when it is
 * computed, so the slots always hold what the interpreter would hold
 * and nothing has to be spilled where compiled code can stop (a trap,
 * an interrupt poll, a call, a helper). What must be dropped:
 *   - everything at a join (a cell some branch targets: jit_rc_joins
 *     marks them before translation, the backend calls jit_rc_reset
 *     there), at the function's entry, and after any op the backend does
 *     not translate through the cache (a call, a helper, an i64 or float
 *     op: they may write slots and registers behind its back);
 *   - a register's slots when the backend writes the register
 *     (jit_rc_clobber, or jit_rc_take, which also pins it);
 *   - a slot's entries when the slot is written (jit_rc_bind,
 *     jit_rc_set_const, jit_rc_forget).
 * One slot is in at most one register or is one constant; one register
 * may hold several slots (a copy). Pinned registers (an op's operands
 * and temporaries) are never chosen by jit_rc_take until
 * jit_rc_begin_op unpins them all at the next op. The table is small
 * (JIT_RC_MAX_ENTRIES): when full, an entry is forgotten (the least
 * recently used register's, else the first constant), which is always
 * safe.
 */
#ifndef VM_JIT_REGCACHE_H
#define VM_JIT_REGCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "../internal.h"
#include "../ops.h"

#define JIT_RC_MAX_REGS	   8
#define JIT_RC_MAX_ENTRIES 16

enum jit_rc_kind { JIT_RC_NONE, JIT_RC_REG, JIT_RC_CONST };

struct jit_rc_entry {
	vm_cell slot;
	uint32_t value; /* JIT_RC_REG: the register; JIT_RC_CONST: k */
	uint8_t kind;	/* enum jit_rc_kind */
};

struct jit_regcache {
	uint8_t nregs;
	uint8_t pinned;			/* bit per register */
	uint32_t used[JIT_RC_MAX_REGS]; /* clock of the last use */
	uint32_t clock;
	struct jit_rc_entry e[JIT_RC_MAX_ENTRIES];
	/* bitmap of join cells (jit_rc_joins), or NULL: none known, and
	 * jit_rc_is_join then says every cell is one */
	const uint8_t *joins;
	uint32_t ncells;
};

/* nregs registers (at most JIT_RC_MAX_REGS), nothing cached; joins:
 * the function's join bitmap (struct jit_fn's), ncells bits. */
void jit_rc_init(struct jit_regcache *rc, unsigned nregs, const uint8_t *joins,
		 uint32_t ncells);
/* Forget every register and constant (a join, after a call). */
void jit_rc_reset(struct jit_regcache *rc);
/* A new op: no register pinned. */
void jit_rc_begin_op(struct jit_regcache *rc);
/* The register holding slot s (marked used), or -1. */
int jit_rc_find(struct jit_regcache *rc, vm_cell s);
/* Keep register r until the next op (jit_rc_take will not choose it),
 * or let it go again. */
void jit_rc_pin(struct jit_regcache *rc, unsigned r);
void jit_rc_unpin(struct jit_regcache *rc, unsigned r);
/* Whether slot s is a known constant (*k, high half 0). */
bool jit_rc_const(struct jit_regcache *rc, vm_cell s, uint32_t *k);
/* A register to write: none pinned if possible the least recently used
 * of those holding nothing, else of all; its slots are dropped and it is
 * pinned. -1 if all are pinned (the backend's bug: it refuses the op). */
int jit_rc_take(struct jit_regcache *rc);
/* Register r now holds slot s (as well as whatever else it held); s's
 * other entries are dropped. */
void jit_rc_bind(struct jit_regcache *rc, unsigned r, vm_cell s);
/* Slot s now holds the constant k (high half 0). */
void jit_rc_set_const(struct jit_regcache *rc, vm_cell s, uint32_t k);
/* Slot s was written by other means: nothing holds it. */
void jit_rc_forget(struct jit_regcache *rc, vm_cell s);
/* Register r was written: it holds no slot. */
void jit_rc_clobber(struct jit_regcache *rc, unsigned r);

/*
 * The joins of a function: set bit `cell` of `bits` (ncells bits, zeroed
 * by the caller) for every cell a branch of op (at pc, cell `at`)
 * targets. Called by the driver for every op before translation.
 * Returns false for a branch whose target is outside the code (the
 * function is then not compiled).
 */
bool jit_rc_mark_joins(uint8_t *bits, uint32_t ncells, enum vm_op op,
		       const vm_cell *pc, uint32_t at);
/* Whether cell is a join (true for every cell when none are known). */
static inline bool jit_rc_is_join(const struct jit_regcache *rc, uint32_t cell)
{
	return !rc->joins || cell >= rc->ncells ||
	       (rc->joins[cell / 8] >> (cell % 8) & 1);
}

#endif
