/*
 * tools/wasmfuzz/gen_code.h: valid WebAssembly 2.0 modules from a recipe,
 * for the loader fuzzer (fuzz.c): random, type-correct function bodies
 * over every instruction family of 2.0 (numeric incl. sign extension and
 * the saturating conversions, multi-value blocks, loops, ifs and calls,
 * typed select, bulk memory, reference types and table instructions, and
 * the 0xfd SIMD set with its immediates: memargs, lanes, shuffles,
 * constants), so that the fuzzer's time goes to the compiler and the
 * interpreter, not to the decoder's first byte. Byte mutations of a
 * recipe are structural mutations of the module (gen.h explains recipes).
 *
 * The recipe's first byte turns SIMD (bit 0) and reference types (bit 1)
 * on; a module without them mentions no v128 or reference type at all, so
 * it also runs on a VM configured without those features. Bit 2 leaves out
 * bulk memory, the table statements and the saturating conversions, which
 * the compiler tier does not translate yet (tools/jitfuzz wants bodies it
 * compiles); bit 3 makes every value an i32 (locals, globals, function
 * and block types, stores, compares) and leaves out memory.size/grow and
 * call_indirect too: the ARMv7 backend's first subset.
 */
#ifndef TOOLS_WASMFUZZ_GEN_CODE_H
#define TOOLS_WASMFUZZ_GEN_CODE_H

#include <stddef.h>
#include <stdint.h>

/* The module's length in out, or 0 if it did not fit in cap bytes. */
size_t gen_code_module(const uint8_t *recipe, size_t len, uint8_t *out,
		       size_t cap);

/* The SIMD instructions (gen_simd_ops.c), by operand form. */
enum simd_form {
	S_LOAD,	      /* i32 -> v128, memarg */
	S_LOAD_LANE,  /* i32 v128 -> v128, memarg, lane */
	S_STORE,      /* i32 v128 -> , memarg */
	S_STORE_LANE, /* i32 v128 -> , memarg, lane */
	S_CONST,      /* -> v128, 16 bytes */
	S_SHUFFLE,    /* v128 v128 -> v128, 16 lane bytes */
	S_SPLAT32,    /* i32 or f32 -> v128 */
	S_SPLAT64,    /* i64 or f64 -> v128 */
	S_EXTRACT32,  /* v128 -> i32 or f32, lane */
	S_EXTRACT64,  /* v128 -> i64 or f64, lane */
	S_REPLACE32,  /* v128 i32/f32 -> v128, lane */
	S_REPLACE64,  /* v128 i64/f64 -> v128, lane */
	S_UN,	      /* v128 -> v128 */
	S_BIN,	      /* v128 v128 -> v128 */
	S_TERN,	      /* v128 v128 v128 -> v128 */
	S_SHIFT,      /* v128 i32 -> v128 */
	S_TEST,	      /* v128 -> i32 */
};

struct simd_op {
	uint8_t code, form, scalar, align, lanes;
};

extern const struct simd_op gen_simd_ops[];
extern const unsigned gen_nsimd_ops;

#endif
