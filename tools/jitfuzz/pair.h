/*
 * tools/jitfuzz/pair.h: one module instantiated twice in one process,
 * once on the interpreter alone (host_ops_interp: no code memory, so
 * nothing compiles, as `wasmrun --interp`) and once with the compiler
 * tier (host_ops), and each call made on both and compared: results (bit
 * for bit, NaNs included), error kind, trap kind, function index, code
 * offset and message, and the instance's whole state after the call:
 * linear memory byte for byte (memcmp: both live in this process), and a
 * hash of every global and every table entry (references as function
 * indices, since the two instances' functions are different objects).
 */
#ifndef TOOLS_JITFUZZ_PAIR_H
#define TOOLS_JITFUZZ_PAIR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <vm/vm.h>

#define PAIR_MAX_VALUES 64 /* argument or result values of a call (v128: 2) */

/* How one side's call (or start function) ended. */
struct outcome {
	struct vm_error err;
	uint32_t nresults; /* values, each mapped (pair.c: refs as indices) */
	uint64_t results[PAIR_MAX_VALUES];
	uint64_t state;	   /* pair_state_hash after the call */
	uint64_t mem_size; /* bytes */
	uint64_t us;	   /* CPU time of the call, microseconds */
};

/* One side: the interpreter's or the compiler's. */
#define PAIR_MAX_STUBS 64

struct side {
	const struct vm_host_ops *ops;
	struct vm_module *m;
	struct vm_instance *inst;
	struct vm_thread *th;
	/* imported functions, each returning zeros; a module importing more
	 * (or anything but functions) is not instantiated, on either side */
	struct vm_func *stubs[PAIR_MAX_STUBS];
	int nstubs;
};

struct pair {
	struct side s[2];  /* [0] interpreter, [1] compiler */
	uint32_t limit_ms; /* CPU time per call and side before interrupting */
	bool one_sided;	   /* pair_open: only one side loaded: a finding */
	int64_t mem_diff;  /* after a call: first differing byte, or -1 */
};

enum pair_verdict {
	PAIR_SAME,	  /* both ended the same way */
	PAIR_DIFFERENT,	  /* a mismatch: the finding */
	PAIR_INTERRUPTED, /* the time limit stopped a side: not comparable */
	PAIR_HANG,	  /* compiled code ran past the limit where the
			   * interpreter took under a quarter of it */
};

/* Load and instantiate both sides; false (with why in err) if the module
 * does not load or instantiate on either (then nothing is left open). */
bool pair_open(struct pair *p, const uint8_t *bytes, size_t len,
	       uint32_t limit_ms, struct vm_error *err);
void pair_close(struct pair *p);

/* Both sides' start functions (none: PAIR_SAME). */
enum pair_verdict pair_start(struct pair *p, struct outcome out[2]);

/* Export `name` (a function) on both sides with args[0..nargs) (values as
 * vm_call takes them, references as function indices or externref
 * values, see pair.c). */
enum pair_verdict pair_call(struct pair *p, const char *name,
			    const uint64_t *args, uint32_t nargs,
			    struct outcome out[2]);

/* Fill both memories with the same pseudo-random bytes from seed (so
 * that loads see sign bits and odd patterns, not the zeros a fresh memory
 * holds). */
void pair_fill_memory(struct pair *p, uint64_t seed);

/* Functions in the module's index space (imports included). */
uint32_t pair_func_count(const struct pair *p);

/* The instance's globals and tables (memory is compared directly). */
uint64_t pair_state_hash(const struct vm_instance *inst);

/* One line describing an outcome, for reports. */
void pair_print_outcome(FILE *f, const char *label, const struct outcome *o);

#endif
