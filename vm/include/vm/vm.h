/*
 * vm/include/vm/vm.h: public interface of the WebAssembly virtual machine
 * (1.0, and the parts of 2.0 listed under VM_FEATURE_* below).
 *
 * Stages (one file each): decode.c reads the binary, validate.c type-checks
 * every function body, compile.c translates each body once into the internal
 * register form run by exec.c, instance.c links imports and builds an
 * instance, wasi.c provides wasi_snapshot_preview1 on top of embedder hooks.
 *
 * The VM never allocates except through struct vm_host_ops and never prints:
 * every failure comes back as a struct vm_error the embedder may print.
 *
 * Checked arguments: the embedder is trusted no more than the module. Every
 * entry point checks what it is given against what the API and the module
 * declare and refuses instead of crashing: functions that fill a struct
 * vm_error return VM_ERR_MISUSE with a message ("misuse: call: function
 * takes 1 argument, 0 given"), constructors return NULL, lookups false or
 * NULL, and frees and setters do nothing. Refused: NULL where an object is
 * needed; an object of another kind (a memory passed as a function, from a
 * struct vm_extern read as the wrong kind: every object carries a tag);
 * indices past a module's imports or exports; argument and result counts
 * that do not fit the function's type; a minimum above a maximum; freeing
 * an object an instance owns. `err` may be NULL anywhere (the kind is still
 * returned). Not checkable: dangling pointers, and the types of values: a
 * vm_value is raw bits, every pattern is a value of its type, and the VM
 * reads only the low 32 bits of an i32 or f32 argument.
 */
#ifndef VM_VM_H
#define VM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vm/config.h>

enum vm_valtype {
	VM_I32 = 0x7f,
	VM_I64 = 0x7e,
	VM_F32 = 0x7d,
	VM_F64 = 0x7c,
	/* 128-bit SIMD: two consecutive vm_values, low half first (see
	 * vm_call) */
	VM_V128 = 0x7b,
	/* reference types (2.0): see "References" below */
	VM_FUNCREF = 0x70,
	VM_EXTERNREF = 0x6f,
};

enum vm_extern_kind {
	VM_EXTERN_FUNC = 0,
	VM_EXTERN_TABLE = 1,
	VM_EXTERN_MEMORY = 2,
	VM_EXTERN_GLOBAL = 3,
};

/* What went wrong, at the level a test harness distinguishes. */
enum vm_err_kind {
	VM_OK = 0,
	VM_ERR_MALFORMED,   /* the bytes are not a wasm binary */
	VM_ERR_INVALID,	    /* decodes, but fails validation */
	VM_ERR_UNLINKABLE,  /* imports or segment bounds do not fit */
	VM_ERR_TRAP,	    /* execution trapped (start function or call) */
	VM_ERR_NOMEM,	    /* an allocation hook failed */
	VM_ERR_EXIT,	    /* the program called proc_exit; see exit_code */
	VM_ERR_INTERRUPTED, /* the embedder's interrupt flag stopped it */
	VM_ERR_LIMIT,	    /* a limit of config.h was exceeded at load */
	VM_ERR_MISUSE,	    /* the embedder's call does not fit the API or
			     * the module (see "Checked arguments" above);
			     * nothing ran */
};

enum vm_trap {
	VM_TRAP_NONE = 0,
	VM_TRAP_UNREACHABLE,
	VM_TRAP_MEM_OOB,
	VM_TRAP_DIV_ZERO,
	VM_TRAP_INT_OVERFLOW,
	VM_TRAP_BAD_CONVERSION,
	VM_TRAP_TABLE_OOB,    /* call_indirect index past the table */
	VM_TRAP_UNINIT_ELEM,  /* call_indirect of an empty slot */
	VM_TRAP_SIG_MISMATCH, /* call_indirect type mismatch */
	VM_TRAP_STACK_EXHAUSTED,
	VM_TRAP_HOST,		  /* a host function reported failure */
	VM_TRAP_UNALIGNED_ATOMIC, /* atomic access not naturally aligned */
	VM_TRAP_UNSHARED_WAIT,	  /* memory.atomic.wait on unshared memory */
	VM_TRAP_WAIT_FOREVER,	  /* untimed wait that nothing could end */
	VM_TRAP_NO_CALLER,	  /* a host function that needs the calling
				   * instance's memory was called by the embedder */
	VM_TRAP_TABLE_ACCESS,	  /* table.get/set/fill/copy/init, or an element
				   * segment, out of the table's bounds */
};

/*
 * A structured error. `msg` is complete and printable ("invalid: type
 * mismatch (code section, offset 0x2a)"); the other fields let a caller act
 * on it without parsing text.
 */
struct vm_error {
	enum vm_err_kind kind;
	enum vm_trap trap; /* for VM_ERR_TRAP */
	uint32_t offset; /* byte offset in the module, or code offset of a trap
			  */
	uint32_t func;	 /* function index of a trap */
	int32_t exit_code; /* for VM_ERR_EXIT */
	char msg[160];
};

/* Name of a trap kind, worded like the spec interpreter ("integer divide by
 * zero"). */
const char *vm_trap_name(enum vm_trap trap);

/*
 * Allocation hooks, all taking the embedder's `ctx`. alloc/realloc/free serve
 * the VM's own structures. mem_alloc/mem_grow/mem_free serve linear memories
 * (the kernel backs them with its sbrk heap): mem_grow returns the possibly
 * moved block of new_size bytes with the old contents kept and the rest
 * zeroed, or NULL leaving the old block intact. mem_alloc returns zeroed bytes.
 */
struct vm_host_ops {
	void *ctx;
	void *(*alloc)(void *ctx, size_t size);
	void *(*realloc)(void *ctx, void *p, size_t size);
	void (*free)(void *ctx, void *p);
	void *(*mem_alloc)(void *ctx, size_t size);
	void *(*mem_grow)(void *ctx, void *p, size_t old_size, size_t new_size);
	void (*mem_free)(void *ctx, void *p, size_t size);
	/*
	 * Optional, for the compiler tier (docs/vm-compiler.md; only in
	 * builds with VM_CONFIG_JIT): code_alloc returns executable memory
	 * holding a copy of the `size` bytes of machine code at `code` (made
	 * executable, and the instruction cache made coherent, by the
	 * embedder), or NULL; code_free releases it. Left NULL, every
	 * function runs in the interpreter.
	 */
	void *(*code_alloc)(void *ctx, const void *code, size_t size);
	void (*code_free)(void *ctx, void *p, size_t size);
};

/*
 * One value as the embedder sees it: raw bits, interpreted per type.
 *
 * References: a funcref is the address of a struct vm_func (the u64 holds
 * (uintptr_t)f), null is 0; vm_ref_func() and vm_ref_to_func() convert.
 * An externref is any 64-bit value the embedder chooses, 0 being null
 * (the VM never looks inside one; the spec harness maps the spec's
 * `ref.extern N` to N + 1). Wherever the embedder hands the VM a funcref
 * (vm_call arguments, vm_global_new, vm_table_set) it must be null or a
 * live function: the address of another VM object (a table, a memory) is
 * refused by its tag as misuse; like a dangling pointer, a value that is
 * no object's address at all cannot be checked. A host function returning
 * a funcref is trusted to return one.
 */
typedef union vm_value {
	uint64_t u64;
	int64_t i64;
	uint32_t u32;
	int32_t i32;
	float f32;
	double f64;
} vm_value;

struct vm_functype {
	uint32_t nparams;
	uint32_t nresults;     /* 0 or 1 in wasm 1.0; any with multi-value */
	const uint8_t *params; /* enum vm_valtype each */
	const uint8_t *results;
};

struct vm_module;
struct vm_instance;
struct vm_thread;
struct vm_func;
struct vm_memory;
struct vm_table;
struct vm_global;

/*
 * WebAssembly features beyond 1.0 (the MVP), as bits of a feature set.
 * vm_module_load accepts VM_FEATURES_DEFAULT: all of WebAssembly 2.0 this
 * VM implements, and the threads proposal. To hold a module to 1.0 (a
 * toolchain that must not emit anything newer, or the 1.0 spec tests,
 * which expect 2.0's instructions to be malformed and several results to
 * be invalid), load it with vm_module_load_features(..., VM_FEATURES_1_0,
 * ...); any other subset turns single features off, each check as the
 * spec's binary format and validation state it for a VM without it.
 */
/* i32.extend8_s, i32.extend16_s, i64.extend8_s/16_s/32_s */
#define VM_FEATURE_SIGN_EXT 0x01u
/* prefix 0xfc 0..7: the saturating (non-trapping) float-to-int */
#define VM_FEATURE_SAT_FLOAT_INT 0x02u
/* several results; block types naming a function type (parameters) */
#define VM_FEATURE_MULTI_VALUE 0x04u
/* memory.init/copy/fill, data.drop, passive data, data count section */
#define VM_FEATURE_BULK_MEMORY 0x08u
/* funcref/externref, ref.*, typed select, several tables, table.*,
 * element segments of every form; with it (or bulk memory) instantiation
 * follows 2.0: segments written in order, the first out of bounds traps */
#define VM_FEATURE_REFERENCE_TYPES 0x10u
/* v128 and the 0xfd prefix: all 236 instructions of 128-bit SIMD */
#define VM_FEATURE_SIMD 0x20u
/* the threads proposal (not part of 2.0): shared memories, prefix 0xfe */
#define VM_FEATURE_THREADS 0x40u
#define VM_FEATURES_1_0	   0u
#define VM_FEATURES_2_0                                                        \
	(VM_FEATURE_SIGN_EXT | VM_FEATURE_SAT_FLOAT_INT |                      \
	 VM_FEATURE_MULTI_VALUE | VM_FEATURE_BULK_MEMORY |                     \
	 VM_FEATURE_REFERENCE_TYPES | VM_FEATURE_SIMD)
#define VM_FEATURES_DEFAULT (VM_FEATURES_2_0 | VM_FEATURE_THREADS)

/*
 * Decode, validate and compile a module. `bytes` is copied; the caller may
 * free it afterwards. Returns NULL with `err` filled on any failure. Every
 * hook of `ops` but ctx must be set (VM_ERR_MISUSE otherwise).
 */
struct vm_module *vm_module_load(const struct vm_host_ops *ops,
				 const uint8_t *bytes, size_t len,
				 struct vm_error *err);
/* The same with the features the module may use (VM_FEATURE_* bits;
 * unknown bits are VM_ERR_MISUSE). vm_module_load is this with
 * VM_FEATURES_DEFAULT. */
struct vm_module *vm_module_load_features(const struct vm_host_ops *ops,
					  const uint8_t *bytes, size_t len,
					  uint32_t features,
					  struct vm_error *err);
void vm_module_free(struct vm_module *m);

/* Exports of a loaded module by position (names may hold NUL bytes); NULL
 * past the last. */
uint32_t vm_module_export_count(const struct vm_module *m);
const char *vm_module_export_name(const struct vm_module *m, uint32_t i);

/* Imports of a loaded module, for an embedder that wants to list them:
 * false past the last. Any output pointer may be NULL. */
uint32_t vm_module_import_count(const struct vm_module *m);
bool vm_module_import(const struct vm_module *m, uint32_t i,
		      const char **module, const char **field,
		      enum vm_extern_kind *kind);
/* The limits of the module's memory (declared or imported): false if it has
 * none. For a resolver that creates the memory an import asks for. Any
 * output pointer may be NULL. */
bool vm_module_memory_limits(const struct vm_module *m, uint32_t *min,
			     uint32_t *max, bool *has_max, bool *shared);
/* Table i of the module (imported ones first, in import order, then its
 * own): element type (VM_FUNCREF, VM_EXTERNREF) and limits; false past
 * the last. For a resolver that creates the tables imports ask for. Any
 * output pointer may be NULL. */
bool vm_module_table(const struct vm_module *m, uint32_t i, uint8_t *type,
		     uint32_t *min, uint32_t *max, bool *has_max);

/* ---- host functions ---------------------------------------------------- */

/*
 * Context passed to a host function: the calling instance (whose memory the
 * function may access), the thread, and the data given at creation. The
 * caller is NULL when the embedder calls a host function itself with
 * vm_call (an import re-exported, e.g. a WASI function exported as
 * `_start`): there is no instance to take a memory from. A host function
 * that needs one then returns VM_TRAP_NO_CALLER ("host function needs the
 * calling instance's memory"); the WASI functions do. (The start function,
 * run by vm_instance_start, is called by its instance.)
 */
struct vm_hostcall {
	struct vm_thread *thread;
	struct vm_instance *caller;
	void *data;
};

/*
 * A host function reads its arguments from args[0..nparams) and writes its
 * results to args[0..nresults) (the array holds max(nparams, nresults)
 * values; results overwrite arguments; a v128 takes two values, low half
 * first, and counts two). It returns VM_TRAP_NONE, a trap
 * kind (ends the program with that trap), or -1 after vm_thread_exit() to
 * end it with an exit code.
 */
typedef int (*vm_host_fn)(struct vm_hostcall *call, vm_value *args);

/* NULL if out of memory or `type` is not a function type this VM runs (at
 * most VM_MAX_PARAMS parameters and as many results, of the four scalar
 * value types and VM_V128; several results are multi-value's), or ops, type or
 * fn is NULL. `type` must outlive the function. */
struct vm_func *vm_func_new_host(const struct vm_host_ops *ops,
				 const struct vm_functype *type, vm_host_fn fn,
				 void *data);
/* Only functions from vm_func_new_host; others are left alone. */
void vm_func_free_host(const struct vm_host_ops *ops, struct vm_func *f);
const struct vm_functype *vm_func_type(const struct vm_func *f);

/*
 * Host-created memories, tables and globals (e.g. the spec's `spectest`):
 * NULL if out of memory or past a limit (pages > max_pages with has_max,
 * more than VM_MAX_PAGES pages, a global type that is not a value type).
 * The frees release only objects made here, with the hooks they were made
 * with; an instance's own memory or table (vm_instance_memory,
 * vm_instance_export) is freed with the instance.
 */
struct vm_memory *vm_memory_new(const struct vm_host_ops *ops, uint32_t pages,
				uint32_t max_pages, bool has_max);
/* A shared memory (threads proposal: `(memory min max shared)`). */
struct vm_memory *vm_memory_new_shared(const struct vm_host_ops *ops,
				       uint32_t pages, uint32_t max_pages);
bool vm_memory_shared(const struct vm_memory *mem);

/*
 * Threads-proposal hooks of a shared memory, for an embedder that runs
 * several threads on it (the kernel's wait queues). Without them (the
 * default) the VM behaves as the only thread: see wait/notify below.
 * wait: atomically with respect to notify (under the wait queue's lock),
 * read the `size`-byte (4 or 8) value at vm_memory_data(mem) + addr; if it
 * differs from `expected` return 1 ("not-equal"); else block until a
 * notify at (mem, addr) wakes the caller (return 0, "ok") or timeout_ns
 * elapses (return 2, "timed-out"; timeout_ns < 0 waits forever). May
 * sleep. A negative return makes the VM trap "wait would block forever":
 * the rule of docs/vm.md is to return it for an untimed wait that nothing
 * could ever end (no other live thread, nobody else holding the memory),
 * once the value compared equal. Without the hook, a
 * wait that would block returns 2 at once (no other thread could wake it) or,
 * untimed, traps "wait would block forever". notify: wake up to `count` waiters
 * at (mem, addr), oldest first; return how many woke. Must not sleep. Without
 * the hook it returns 0. Both are called only for shared memories, with addr in
 * bounds and naturally aligned. While threads share a memory its data must not
 * move: mem_grow of a shared memory must grow in place (reserve the maximum)
 * or fail; only a single-threaded embedder may let it move. Concurrent
 * memory.grow calls on one shared memory are safe (pages are claimed with a
 * compare-and-swap), and a thread that meets an access beyond the size it
 * last saw rereads the size before trapping.
 */
struct vm_sync_ops {
	void *ctx;
	int (*wait)(void *ctx, struct vm_memory *mem, uint32_t addr,
		    uint64_t expected, unsigned size, int64_t timeout_ns);
	uint32_t (*notify)(void *ctx, struct vm_memory *mem, uint32_t addr,
			   uint32_t count);
};
/* A sequentially consistent load of the size-byte (1, 2, 4, 8) value at
 * addr, which must be in bounds and aligned: for a wait hook's compare.
 * 0 if it is not (or size is another number). */
uint64_t vm_memory_atomic_load(const struct vm_memory *mem, uint32_t addr,
			       unsigned size);
/* Install (or, with NULL, remove) mem's hooks; `ops` must outlive it. */
void vm_memory_set_sync(struct vm_memory *mem, const struct vm_sync_ops *ops);
void vm_memory_free(const struct vm_host_ops *ops, struct vm_memory *mem);
/* A funcref table (as 1.0's), or with vm_table_new_type a table of
 * `type` VM_FUNCREF or VM_EXTERNREF; every element starts null. */
struct vm_table *vm_table_new(const struct vm_host_ops *ops, uint32_t size,
			      uint32_t max, bool has_max);
struct vm_table *vm_table_new_type(const struct vm_host_ops *ops, uint8_t type,
				   uint32_t size, uint32_t max, bool has_max);
void vm_table_free(const struct vm_host_ops *ops, struct vm_table *t);
/* Element type (0 if t is no table), size; get and set element i (false
 * if i is out of bounds, t no table, or v a funcref that is not null or
 * a function). */
uint8_t vm_table_type(const struct vm_table *t);
uint32_t vm_table_size(const struct vm_table *t);
bool vm_table_get(const struct vm_table *t, uint32_t i, vm_value *v);
bool vm_table_set(struct vm_table *t, uint32_t i, vm_value v);
/* A funcref value for f (NULL: the null reference), and back (NULL for
 * null, or for the address of an object that is not a function; v must be
 * a funcref). */
vm_value vm_ref_func(struct vm_func *f);
struct vm_func *vm_ref_to_func(vm_value v);
struct vm_global *vm_global_new(const struct vm_host_ops *ops, uint8_t type,
				bool mut, vm_value v);
void vm_global_free(const struct vm_host_ops *ops, struct vm_global *g);
/* A v128 global's low half (the high one is reached from wasm only). */
vm_value vm_global_get(const struct vm_global *g);
uint8_t vm_global_type(const struct vm_global *g);

/* Linear memory of an instance (NULL if it has none) and its size in bytes. */
uint8_t *vm_memory_data(const struct vm_memory *mem);
uint64_t vm_memory_size(const struct vm_memory *mem);
struct vm_memory *vm_instance_memory(const struct vm_instance *inst);

/* ---- linking ----------------------------------------------------------- */

struct vm_extern {
	enum vm_extern_kind kind;
	union {
		struct vm_func *func;
		struct vm_table *table;
		struct vm_memory *memory;
		struct vm_global *global;
	} u;
};

/*
 * The embedder's import resolver: find `module`.`field` of the given kind
 * (`type` is the function type the module expects, NULL for other kinds,
 * so a resolver may synthesize a matching stub). Return false if there is none;
 * the VM then fails instantiation as unlinkable. The VM checks types and limits
 * itself, and that `out` holds an object of the kind it names (else
 * VM_ERR_MISUSE).
 */
typedef bool (*vm_resolve_fn)(void *ctx, const char *module, const char *field,
			      enum vm_extern_kind kind,
			      const struct vm_functype *type,
			      struct vm_extern *out);

/*
 * Link and instantiate a module: resolve imports, create memories, tables
 * and globals, write the active segments. A module loaded with reference
 * types or bulk memory (2.0) writes its element segments, then its data
 * segments, in order, and traps (VM_ERR_TRAP) at the first that does not
 * fit, keeping what was written before (see VM_INST_KEEP_ON_TRAP); with
 * 1.0's features every segment is checked first, then all are written, and
 * one that does not fit is VM_ERR_UNLINKABLE with nothing written.
 * Imported objects must outlive the instance. Does not run the start
 * function: call vm_instance_start next.
 */
struct vm_instance *vm_instantiate(const struct vm_module *m,
				   vm_resolve_fn resolve, void *resolve_ctx,
				   struct vm_error *err);

/*
 * vm_instantiate with flags. VM_INST_NO_DATA: do not check or write the
 * active data segments, for another instance of a module over a shared
 * memory that its first instance already initialised (a thread: see
 * docs/vm.md; modules linked without passive segments would otherwise
 * overwrite live data with the initial image). Unknown flags are
 * VM_ERR_MISUSE.
 */
#define VM_INST_NO_DATA 0x1u
/*
 * VM_INST_KEEP_ON_TRAP (2.0 instantiation): when a segment does not fit,
 * the segments before it stay written, as the spec says, and the trap is
 * reported in err (VM_ERR_TRAP) with the instance returned anyway: keep it
 * as after a trapping start function (do not start it), since an imported
 * table may now hold its functions. Without the flag the instance is freed
 * and NULL returned, after the imported tables' references to its
 * functions were set to null (so nothing can call freed code).
 */
#define VM_INST_KEEP_ON_TRAP 0x2u
struct vm_instance *vm_instantiate_flags(const struct vm_module *m,
					 vm_resolve_fn resolve,
					 void *resolve_ctx, unsigned flags,
					 struct vm_error *err);

/*
 * Run the module's start function, if any, on thread th, with the instance
 * as the caller of a host start function. If it traps, the instance must
 * still be kept until everything it may have been linked into (an imported
 * table now holding its functions) is gone; the spec requires those effects
 * to stay.
 */
enum vm_err_kind vm_instance_start(struct vm_instance *inst,
				   struct vm_thread *th, struct vm_error *err);
void vm_instance_free(struct vm_instance *inst);

/* An export by name, or false. The _len form allows NUL bytes in names.
 * Check out->kind before reading out->u (a function used as another kind
 * is refused by the entry points, not run). */
bool vm_instance_export(const struct vm_instance *inst, const char *name,
			struct vm_extern *out);
bool vm_instance_export_len(const struct vm_instance *inst, const char *name,
			    size_t len, struct vm_extern *out);

/* Embedder data attached to an instance (e.g. the WASI context). */
void vm_instance_set_user(struct vm_instance *inst, void *user);
void *vm_instance_user(const struct vm_instance *inst);

/* ---- execution --------------------------------------------------------- */

/*
 * A thread owns the value stack and call stack wasm code runs on. The
 * embedder may set *interrupt (from an interrupt handler or another thread)
 * to make the running code stop at the next call or loop back-edge with
 * VM_ERR_INTERRUPTED; vm_resume() then continues where it stopped.
 */
/* stack_slots, max_depth: 0 for the defaults of config.h; NULL if out of
 * memory or the stacks' sizes do not fit in a size_t. */
struct vm_thread *vm_thread_new(const struct vm_host_ops *ops,
				uint32_t stack_slots, uint32_t max_depth);
void vm_thread_free(struct vm_thread *th);
void vm_thread_set_interrupt(struct vm_thread *th, volatile int *flag);
/* The lowest native stack address at which this thread enters compiled
 * code: deeper calls run in the interpreter, whose calls take no native
 * stack (vm/jit_stack.c), so deep recursion ends in the interpreter's
 * "call stack exhausted", never off the native stack. The embedder sets
 * it from the stack it runs the thread on, leaving room below for a
 * nested vm_exec frame and a host call; 0 (the default): no limit. */
void vm_thread_set_stack_limit(struct vm_thread *th, uintptr_t lowest);

/* From a host function: end the program with an exit code (proc_exit). */
void vm_thread_exit(struct vm_thread *th, int32_t code);

/*
 * Call `f` with args[0..nargs); on success its results are in
 * results[0..n), in order, n the function's result count (several with
 * multi-value; an i32 or f32 result is zero-extended to 64 bits), and
 * results[n..nresults) are left alone. Counts are of values, a v128
 * (VM_V128) taking two consecutive ones, low half first: a
 * (v128, i32) -> v128 function takes nargs 3 and returns n 2. Returns VM_OK or
 * the error kind (details in err).
 *
 * Checked first, each refused with VM_ERR_MISUSE and nothing run: th and
 * f are a thread and a function; nargs equals the function's parameter
 * count ("call: function takes 1 argument, 0 given"); nresults is at least
 * its result count (a result cannot be dropped by accident); args (results)
 * may be NULL only with nargs (nresults) 0; the thread is neither running
 * nor suspended. A thread runs one call at a time: a host function must
 * not call back into wasm on the thread it was called on. Check the type
 * first (vm_func_type) to call an export whose type is not known, e.g. a
 * WASI command's `_start`, which must be () -> ().
 */
enum vm_err_kind vm_call(struct vm_thread *th, struct vm_func *f,
			 const vm_value *args, uint32_t nargs,
			 vm_value *results, uint32_t nresults,
			 struct vm_error *err);
/* Continue a call that returned VM_ERR_INTERRUPTED; results as vm_call's
 * (checked against the interrupted function's type). VM_ERR_MISUSE if th
 * is not suspended. */
enum vm_err_kind vm_resume(struct vm_thread *th, vm_value *results,
			   uint32_t nresults, struct vm_error *err);

/*
 * The compiler tier's statistics, over the whole process (all zero in a
 * build without it): functions compiled, functions left to the
 * interpreter, and bytes of machine code made. vm_jit_reason(op, &n)
 * names internal op `op` (vm/ops.h order) and sets n to how many
 * functions fell back because the compiler does not translate it; NULL
 * past the last op. Reason "other" (op = the op count) counts the rest:
 * code memory refused, an encoder limit.
 */
struct vm_jit_stats {
	uint32_t compiled, fallback;
	uint64_t code_bytes;
};
void vm_jit_stats(struct vm_jit_stats *out);
const char *vm_jit_reason(uint32_t op, uint32_t *count);

#endif
