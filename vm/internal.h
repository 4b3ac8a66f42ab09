/*
 * vm/internal.h: structures shared by the VM's stages. Not for embedders.
 */
#ifndef VM_INTERNAL_H
#define VM_INTERNAL_H

#include <string.h>

#include "read.h"
#include <vm/vm.h>

/*
 * Internal code is a stream of pointer-sized cells (see compile.c): the
 * first cell of an instruction is its handler's address, so dispatch is a
 * single indirect jump through memory.
 */
typedef uintptr_t vm_cell;

/* ---- module-lifetime arena (arena.c) ----------------------------------- */

struct vm_arena_chunk;
struct vm_arena {
	const struct vm_host_ops *ops;
	struct vm_arena_chunk *head;
};

/* Zeroed, 8-byte aligned memory freed with the arena; NULL on failure. */
void *vm_arena_alloc(struct vm_arena *a, size_t size);
void vm_arena_free(struct vm_arena *a);

/* Every hook but ctx set (vm.h). */
static inline bool vm_ops_ok(const struct vm_host_ops *ops)
{
	return ops && ops->alloc && ops->realloc && ops->free &&
	       ops->mem_alloc && ops->mem_grow && ops->mem_free;
}

static inline void *vm_alloc(const struct vm_host_ops *ops, size_t n)
{
	void *p = ops->alloc(ops->ctx, n ? n : 1);
	if (p)
		memset(p, 0, n);
	return p;
}

/* ---- errors (error.c) -------------------------------------------------- */

/*
 * Fill `err` with kind and "kind: reason (where, offset 0x..)". `where` may
 * be NULL. Returns false so callers can `return vm_fail(...)`.
 */
bool vm_fail(struct vm_error *err, enum vm_err_kind kind, const char *why,
	     const char *where, uint32_t offset);
/* Same, with a detail string (an import name) after the reason. */
bool vm_fail2(struct vm_error *err, enum vm_err_kind kind, const char *why,
	      const char *detail1, const char *detail2);
/* A trap: "trap: <kind> (function N, code offset 0x..)". */
void vm_trap_msg(struct vm_error *err, enum vm_trap trap, uint32_t func,
		 uint32_t offset);
/*
 * The embedder passed something the API or the module does not allow:
 * "misuse: <what>", where in `what` each "%u" is the next of n1, n2 in
 * decimal and "%s" is "s" unless that number was 1 ("takes %u
 * argument%s"). Returns VM_ERR_MISUSE.
 */
enum vm_err_kind vm_misuse(struct vm_error *err, const char *what, uint32_t n1,
			   uint32_t n2);
/* Where an entry point reports, when its caller passed no error. */
static inline struct vm_error *vm_err_or(struct vm_error *err,
					 struct vm_error *scratch)
{
	return err ? err : scratch;
}

/*
 * The first member of every object an embedder may hold through a struct
 * vm_extern: entry points check it, so a union read as the wrong kind (a
 * memory passed as a function) is refused instead of run. Cleared when the
 * object is freed.
 */
enum vm_tag {
	VM_TAG_FUNC = 0x464e5546u, /* "FUNF" */
	VM_TAG_MEMORY = 0x4d454d46u,
	VM_TAG_TABLE = 0x54424c46u,
	VM_TAG_GLOBAL = 0x474c4246u,
};
/* A pointer to a structure points to its first member (C11 6.7.2.1), so
 * this reads the tag whatever kind the object really is. */
static inline uint32_t vm_tag_of(const void *p)
{
	return p ? *(const uint32_t *)p : 0;
}
#define VM_IS(p, t) (vm_tag_of(p) == (t))

/* ---- decoded module ---------------------------------------------------- */

struct vm_limits {
	uint32_t min, max;
	bool has_max;
	bool shared; /* memories only (threads proposal) */
};

/* A constant expression: one of i32/i64/f32/f64.const, global.get,
 * ref.null or ref.func. */
struct vm_init_expr {
	/* 0x41..0x44, 0x23, 0xd0, 0xd2 or 0xfd (v128.const); 0 if not
	 * constant */
	uint8_t op;
	uint64_t val;	     /* constant bits (v128: the low 64), global index
			      * (0x23), reference type (0xd0) or function index (0xd2)
			      */
	uint64_t hi;	     /* v128.const: the high 64 bits */
	const char *invalid; /* why a well-formed expression is not constant */
	uint32_t offset;
};

struct vm_import_def {
	const char *module, *field;
	uint8_t kind;  /* enum vm_extern_kind */
	uint32_t type; /* function: type index */
	uint8_t gtype; /* global; table: element type */
	bool gmut;
	struct vm_limits lim; /* table/memory */
};

struct vm_global_def {
	uint8_t type;
	bool mut;
	struct vm_init_expr init;
};

struct vm_export_def {
	const char *name;
	uint32_t name_len;
	uint8_t kind;
	uint32_t index;
};

/* A table, imported (first) or the module's own. */
struct vm_table_def {
	struct vm_limits lim;
	uint8_t type; /* VM_FUNCREF or VM_EXTERNREF */
};

/*
 * An element segment: active (written into `table` at `offset` when
 * instantiated), passive (only table.init writes it) or declarative (it
 * only declares functions for ref.func). Its items are function indices
 * (`funcs`) or, in the expression forms, constant expressions (`exprs`).
 */
enum { VM_ELEM_ACTIVE, VM_ELEM_PASSIVE, VM_ELEM_DECLARATIVE };
struct vm_elem_def {
	uint8_t mode;
	uint8_t type; /* VM_FUNCREF or VM_EXTERNREF */
	uint32_t table;
	struct vm_init_expr offset;
	uint32_t n;
	uint32_t *funcs;
	struct vm_init_expr *exprs;
};

struct vm_data_def {
	bool passive; /* bulk memory: only memory.init writes it */
	struct vm_init_expr offset; /* active segments only */
	const uint8_t *bytes;
	uint32_t len;
};

/* Maps a code cell to the wasm byte offset of the instruction, for traps. */
struct vm_site {
	uint32_t cell, offset;
};

struct vm_code {
	const uint8_t *body, *end; /* instruction bytes (after locals) */
	uint32_t nparams;
	uint32_t nlocals; /* params + declared locals */
	uint8_t *local_types;
	uint32_t max_height; /* of the operand stack (validate.c) */
	/* a v128 can be in a local or on the operand stack (validate.c):
	 * compiled with two slots per stack entry (simd_vm.h) */
	bool wide;
	/* filled by compile.c */
	vm_cell *cells;
	uint32_t ncells;
	uint32_t frame_slots; /* locals + max operand height + 1 */
	/* frame slots of the parameters and of all locals (a v128 takes
	 * two; equal to nparams and nlocals without v128) */
	uint32_t param_slots, local_slots;
	struct vm_site *sites;
	uint32_t nsites;
};

struct vm_module {
	struct vm_host_ops ops;
	uint32_t features; /* VM_FEATURE_* bits the module may use */
	struct vm_arena arena;
	uint8_t *bytes;
	size_t len;

	uint32_t ntypes;
	struct vm_functype *types;
	const struct vm_functype **canon; /* first structurally equal type */

	uint32_t nimports;
	struct vm_import_def *imports;

	uint32_t nfuncs, nfunc_imports; /* nfuncs counts imports too */
	uint32_t *func_type;		/* type index per function */
	struct vm_code *codes;		/* [nfuncs - nfunc_imports] */

	bool has_table, has_memory, table_imported, memory_imported;
	struct vm_limits table_lim, mem_lim;
	uint32_t ntables, nmems; /* more than one is invalid in 1.0 */
	uint32_t ntable_imports;
	struct vm_table_def *tables; /* [ntables] (reference types) */
	/* functions ref.func may name (C.refs): [nfuncs] */
	bool *declared;

	uint32_t nglobals, nglobal_imports;
	struct vm_global_def *globals;

	uint32_t nexports;
	struct vm_export_def *exports;

	bool has_start;
	uint32_t start;

	uint32_t nelems, ndatas;
	struct vm_elem_def *elems;
	struct vm_data_def *datas;

	/* bulk memory: the data count section (decode checks it == ndatas) */
	bool has_datacount;
	uint32_t datacount;
};

bool vm_functype_eq(const struct vm_functype *a, const struct vm_functype *b);

bool vm_decode(struct vm_module *m, struct vm_error *err);
bool vm_validate_module(const struct vm_module *m, struct vm_error *err);
/* Skip the immediates of instruction `op` (already read). */
void vm_skip_imm(struct vm_reader *r, uint8_t op);
/* Whether `op` is a one-byte instruction with these features. */
bool vm_op_known(uint8_t op, uint32_t features);
static inline bool vm_has(const struct vm_module *m, uint32_t feature)
{
	return (m->features & feature) != 0;
}
/*
 * A block type: no value (0x40), one value type, or (multi-value) the
 * index of a function type, whose parameters the block takes from the
 * stack. Read at r; malformed encodings fail the reader, an index past the
 * types returns false (invalid: "unknown type").
 */
struct vm_blocktype {
	uint32_t nparams, nresults;
	const uint8_t *params, *results;
};
bool vm_rd_blocktype(struct vm_reader *r, const struct vm_module *m,
		     struct vm_blocktype *bt);
bool vm_numeric_sig(uint8_t op, uint8_t *a, uint8_t *b, uint8_t *r);
static inline bool vm_is_ref(uint8_t t)
{
	return t == VM_FUNCREF || t == VM_EXTERNREF;
}
/*
 * Reference types (validate_ref.c): the module-level rules (tables, element
 * segments, reference-typed globals, the declared functions of C.refs) and
 * the reference types' constant expressions. vm_init_type: the type of a
 * constant expression, or 0 with *why set.
 */
bool vm_validate_refs(const struct vm_module *m, struct vm_error *err);
/* Mark the functions of C.refs in m->declared (decode.c, at the end). */
bool vm_declare_refs(struct vm_module *m);
uint8_t vm_init_type(const struct vm_module *m, const struct vm_init_expr *e,
		     const char **why);
uint8_t vm_sat_trunc_op(uint32_t sub);
struct vm_atomic_sig {
	uint8_t align, a, b, r;
};
bool vm_atomic_sig(uint32_t sub, struct vm_atomic_sig *s);
/* Execute the `atomic dst addr b c off sub` instruction at pc on frame fp
 * (exec.c's handler; atomic.c). Returns a trap kind or 0. */
int vm_atomic_exec(struct vm_memory *mem, const vm_cell *pc, vm_value *fp);
/* atomic.fence (exec.c's handler, and compiled code's through jit_bulk.c:
 * one definition, so both run the same barrier instruction). */
static inline void vm_atomic_fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}
/* `trunc_sat dst a sub` at pc on frame fp (exec.c). */
void vm_trunc_sat(const vm_cell *pc, vm_value *fp);
/*
 * Bulk memory (bulk.c): exec.c's handlers of `memory_fill d val n`,
 * `memory_copy d s n` (overlap as memmove) and `memory_init x d s n` at pc
 * on frame fp (operands as in ops.h; three arguments, like
 * vm_atomic_exec, keep vm_exec's frame from growing). Each checks its whole
 * range first and returns VM_TRAP_MEM_OOB without writing anything, else 0.
 */
int vm_memory_fill(struct vm_memory *mem, const vm_cell *pc,
		   const vm_value *fp);
int vm_memory_copy(struct vm_memory *mem, const vm_cell *pc,
		   const vm_value *fp);
int vm_memory_init(struct vm_instance *inst, const vm_cell *pc,
		   const vm_value *fp);
/*
 * Table instructions (table.c): exec.c's handler of `table sub dst a b c x
 * y` (ops.h) at pc on frame fp, for instance inst. Each checks its whole
 * range first and returns VM_TRAP_TABLE_ACCESS without writing anything,
 * else 0.
 */
int vm_table_exec(struct vm_instance *inst, const vm_cell *pc, vm_value *fp);
/* Whether v may be passed in as a value of `type`: a funcref must be null
 * or a function (table.c). */
bool vm_ref_arg_ok(uint8_t type, vm_value v);
/* Element i of segment seg, as instance inst evaluates it (elem.c). */
uint64_t vm_elem_item(const struct vm_instance *inst,
		      const struct vm_elem_def *seg, uint32_t i);
/* The value of a validated constant expression in inst (instance.c). */
uint64_t vm_eval_init(const struct vm_instance *inst,
		      const struct vm_init_expr *e);
/* 2.0 instantiation (elem.c): write the active element and data segments
 * in order, trapping at the first out of bounds one (what was written
 * before stays); drop the active and declarative ones. */
bool vm_init_segments(struct vm_instance *inst, unsigned flags,
		      struct vm_error *err);
/* Null the imported tables' references to inst's own functions (elem.c). */
void vm_unlink_funcs(struct vm_instance *inst);
bool vm_validate_func(const struct vm_module *m, uint32_t idx,
		      struct vm_error *err);
bool vm_compile_func(struct vm_module *m, uint32_t idx, struct vm_error *err);
/* Wasm byte offset of the instruction at code cell `cell` (for traps). */
uint32_t vm_code_offset(const struct vm_code *c, uint32_t cell);

/* ---- runtime objects --------------------------------------------------- */

struct vm_func {
	uint32_t tag; /* VM_TAG_FUNC */
	/* copies of code's fields, one load away for the call path
	 * (nparams, nlocals: code's param_slots, local_slots) */
	const vm_cell *cells;
	uint32_t frame_slots, nparams, nlocals;
	const struct vm_functype *type;
	struct vm_instance *inst; /* NULL for host functions */
	const struct vm_code *code;
	vm_host_fn host;
	void *data;
	uint32_t index; /* in its module's function index space */
	/*
	 * The compiler tier (vm/jit/jit.h, VM_CONFIG_JIT builds only):
	 * jit_state is VM_JIT_UNTRIED until the first call compiles the
	 * function, then VM_JIT_READY with its machine code at jit_code
	 * (jit_size bytes, from the embedder's code_alloc), or VM_JIT_OFF.
	 */
	uint8_t jit_state;
	void *jit_code;
	size_t jit_size;
};
enum { VM_JIT_UNTRIED, VM_JIT_READY, VM_JIT_OFF, VM_JIT_BUSY };

struct vm_memory {
	uint32_t tag; /* VM_TAG_MEMORY */
	bool owned;   /* an instance's own: freed with it */
	const struct vm_host_ops *ops;
	uint8_t *data;
	/* bytes; 8-aligned so a shared memory's grows can update it with one
	 * lock-free atomic on i686 too */
	uint64_t size __attribute__((aligned(8)));
	uint32_t pages, max;
	bool has_max;
	bool shared; /* threads proposal: wait/notify allowed */
	const struct vm_sync_ops *sync; /* NULL: single-threaded */
};

/* elems[0..size): references as in slots (vm.h), 0 null; a funcref
 * table holds (uintptr_t) struct vm_func pointers. */
struct vm_table {
	uint32_t tag; /* VM_TAG_TABLE */
	bool owned;   /* an instance's own: freed with it */
	uint8_t type; /* VM_FUNCREF or VM_EXTERNREF */
	const struct vm_host_ops *ops;
	uint64_t *elems;
	uint32_t size, max;
	bool has_max;
};

struct vm_global {
	uint32_t tag; /* VM_TAG_GLOBAL */
	bool owned;   /* an instance's own (in its array): freed with it */
	vm_value v;
	vm_value hi; /* a v128's high half (v is the low one) */
	uint8_t type;
	bool mut;
};

struct vm_instance {
	const struct vm_module *m;
	const struct vm_host_ops *ops;
	struct vm_func **funcs; /* whole index space */
	struct vm_func *own_funcs;
	struct vm_memory *mem; /* never NULL: a zero-size memory if none */
	struct vm_memory *own_mem;
	struct vm_table *table;	  /* tables[0] (call_indirect's fast path) */
	struct vm_table **tables; /* [ntables] */
	/*
	 * (The fields above keep their 1.0 offsets: moving globals by 8 bytes
	 * made gcc keep vm_exec's frame pointer on the stack instead of in a
	 * register, 1% more instructions on calls.)
	 */
	struct vm_global **globals;
	struct vm_global *own_globals;
	/* [ndatas]: segment dropped (data.drop, or active and instantiated);
	 * memory.init sees a dropped segment as empty */
	bool *data_dropped;
	struct vm_table **own_tables; /* [ntables - ntable_imports] */
	/* [nelems]: element segment dropped (elem.drop, or active or
	 * declarative and instantiated): table.init sees it as empty */
	bool *elem_dropped;
	void *user;
};

/* `data_drop x` at pc (exec.c's handler; compiled code's through
 * jit_bulk.c). */
static inline void vm_data_drop(struct vm_instance *inst, const vm_cell *pc)
{
	inst->data_dropped[pc[1]] = true;
}

/* One activation on the call stack: where to resume the caller. */
struct vm_frame {
	const vm_cell *pc;
	vm_value *fp;
	struct vm_func *func;
};

struct vm_thread {
	const struct vm_host_ops *ops;
	vm_value *stack;
	uint32_t nslots;
	struct vm_frame *frames;
	uint32_t max_depth;
	volatile int *interrupt;
	bool running; /* inside vm_call/vm_resume: no re-entry on this thread */
	/* saved state while interrupted (resumable) */
	bool suspended;
	uint32_t depth;
	const vm_cell *pc;
	vm_value *fp;
	struct vm_func *func;
	struct vm_func *entry;
	int32_t exit_code;
	bool exiting;
	/* frames below this depth belong to compiled code waiting in
	 * vm_jit_call for a callee vm_exec runs nested: that vm_exec returns
	 * when the callee's frame does (vm/jit/jit.c; 0: run to the entry) */
	uint32_t jit_base;
	/* lowest native stack address compiled code is entered at: below
	 * it calls are interpreted (jit_stack.c; 0: no limit) */
	uintptr_t native_limit;
};

/*
 * jit_stats.c: count one function compiled (bytes of code) or left to the
 * interpreter because of internal op `reason` (OP_COUNT: another cause).
 */
void vm_jit_count_compiled(size_t bytes);
void vm_jit_count_fallback(uint32_t reason);
/* jit_stack.c: is the native stack below th's limit (then compiled code
 * is not entered: vm_jit_call and exec.c's L_jit interpret the callee)? */
bool vm_native_stack_low(const struct vm_thread *th);
/* vm/jit/jit.c (VM_CONFIG_JIT builds): free f's machine code, when its
 * instance goes. */
void vm_jit_release(struct vm_func *f);

/* simd_info.c: the high half of a v128 global's initial value. */
uint64_t vm_init_hi(const struct vm_instance *inst,
		    const struct vm_init_expr *e);

/* call.c: vm_call with the calling instance host functions see (NULL
 * from the embedder; the instance for its start function). */
enum vm_err_kind vm_call_from(struct vm_thread *th, struct vm_func *f,
			      struct vm_instance *caller, const vm_value *args,
			      uint32_t nargs, vm_value *results,
			      uint32_t nresults, struct vm_error *err);

/* exec.c: the internal opcode table (handler address of each op). */
const vm_cell *vm_exec_optable(void);
/* exec.c: run from th->pc/fp/func until the entry frame returns. */
enum vm_err_kind vm_exec(struct vm_thread *th, struct vm_error *err);

#endif
