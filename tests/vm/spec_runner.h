/*
 * tests/vm/spec_runner.h: the spec-test runner core, shared by the host
 * tool `wasmspec` (which reads wast2json's .json and .wasm files) and the
 * kernel's `wasm_spec` suite (which gets the same commands compiled into
 * C by scripts/gen-spec-tests). Arch-neutral: it uses only the VM's API,
 * allocates through the embedder's vm_host_ops and prints nothing itself.
 *
 * Every assert_* command is one assertion. A module or action command that
 * fails also counts as a failure (it would break the assertions after it).
 * Text-format assert_malformed/assert_invalid (.wat) test only a text
 * parser, which this binary-only VM does not have: SPEC_SKIP, counted as
 * skipped, neither passed nor failed.
 */
#ifndef WASMSPEC_RUNNER_H
#define WASMSPEC_RUNNER_H

#include <stdbool.h>
#include <stdint.h>

#include <vm/vm.h>

enum spec_kind {
	SPEC_MODULE,
	SPEC_REGISTER,
	SPEC_ACTION,
	SPEC_RETURN,
	SPEC_TRAP,
	SPEC_EXHAUSTION,
	SPEC_MALFORMED,
	SPEC_INVALID,
	SPEC_UNLINKABLE,
	SPEC_UNINSTANTIABLE,
	SPEC_SKIP,
};

/* An expected float result may be any canonical or arithmetic NaN, an
 * expected reference any non-null one (the spec's `(ref.func)`,
 * `(ref.extern)` without an index). */
enum spec_nan {
	SPEC_EXACT,
	SPEC_NAN_CANONICAL,
	SPEC_NAN_ARITHMETIC,
	SPEC_REF_NONNULL,
};

/*
 * References as the VM's API carries them (vm.h): null is 0, the spec's
 * `ref.extern N` is the externref N + 1, a funcref is compared only as
 * null or not.
 *
 * A v128 takes two entries of an args/expected array: this one (type
 * VM_V128, bits the low half) and the next (bits the high half); nargs and
 * nexpected count values. An expected v128 with f32 or f64 lanes (lane =
 * VM_F32/VM_F64) may want a NaN in lane i: bits 2i..2i+1 of lane_nan are
 * its enum spec_nan.
 */
struct spec_value {
	uint8_t type; /* VM_I32 .. VM_F64, VM_V128, VM_FUNCREF, VM_EXTERNREF */
	uint8_t nan;  /* enum spec_nan, for expected values */
	uint8_t lane, lane_nan;
	uint64_t bits;
};

/*
 * One wast2json command. Strings and arrays belong to the caller and must
 * stay valid until spec_end_file(). The kernel carries thousands of these
 * (tests/rules.mk), so the struct is kept small: an action names an
 * export (field) and a module command carries a module (wasm), never both,
 * so the two share their storage; the expected values follow the
 * arguments' entries in one array (spec_expected).
 */
struct spec_cmd {
	uint8_t kind; /* enum spec_kind */
	bool get;     /* the action reads a global instead of calling */
	uint8_t nargs, nexpected;
	int line;
	/* SPEC_MODULE: its $name (or NULL); SPEC_REGISTER: the registered
	 * module's $name (NULL: the current one); actions: the module
	 * acted on (NULL: the current one). */
	const char *name;
	const char *as;	  /* SPEC_REGISTER: the import module name */
	const char *text; /* assertions: the message the spec expects */
	union {
		const char *field;   /* actions */
		const uint8_t *wasm; /* module commands; NULL: unreadable */
	};
	union {
		uint32_t field_len;
		uint32_t wasm_len;
	};
	/* nargs values (a v128 two entries), then nexpected values */
	const struct spec_value *args;
};

/* The first expected value of c: after the entries of its arguments. */
const struct spec_value *spec_expected(const struct spec_cmd *c);

struct spec_runner;

/*
 * Called for each failure (failed = true) and, when verbose, for each
 * trap that came as expected.
 */
typedef void (*spec_report_fn)(void *ctx, int line, bool failed,
			       const char *msg);

struct spec_counts {
	int passed, failed, skipped;
};

/* A runner calling on `th`; NULL when out of memory. */
struct spec_runner *spec_runner_new(const struct vm_host_ops *ops,
				    struct vm_thread *th, spec_report_fn report,
				    void *ctx, bool verbose);
void spec_runner_free(struct spec_runner *r);
/* The features modules load with (vm_module_load_features; default
 * VM_FEATURES_DEFAULT): the 1.0 files expect VM_FEATURES_1_0, under which
 * 2.0's instructions are malformed and several results invalid. */
void spec_runner_set_features(struct spec_runner *r, uint32_t features);

/* Start a file: a fresh spectest module and no instances, as in the
 * reference interpreter, so no state leaks across files. */
bool spec_begin_file(struct spec_runner *r);
void spec_command(struct spec_runner *r, const struct spec_cmd *c);
/* Free the file's modules and instances; its counts so far. */
struct spec_counts spec_end_file(struct spec_runner *r);

#endif
