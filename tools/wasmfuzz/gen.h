/*
 * tools/wasmfuzz/gen.h: hostile WASI commands from a recipe.
 *
 * gen_module turns any byte string (the recipe) into a valid module that
 * imports every WASI function vm/wasi.c knows, a few it does not (ENOSYS
 * stubs), `wasi`.`thread-spawn` and (mostly) a shared memory
 * `env`.`memory`, and whose `_start` and `wasi_thread_start` call them in
 * loops with hostile arguments: pointers in bounds, unaligned, at the end
 * of memory, past it and near 2^32; lengths and iovec/subscription counts
 * whose products wrap 32 bits; bad fds, whences and clocks; iovecs and
 * poll subscriptions built in memory first. Random bytes rarely get past
 * the decoder; a recipe always does, so the fuzzer spends its time in the
 * WASI layer's argument checks.
 *
 * The recipe is read a byte at a time (each choice is the next byte
 * modulo the number of options; 0 once it runs out), so libFuzzer's byte
 * mutations become structural ones. The same recipe gives the same
 * module.
 */
#ifndef TOOLS_WASMFUZZ_GEN_H
#define TOOLS_WASMFUZZ_GEN_H

#include <stddef.h>
#include <stdint.h>

/*
 * GEN_HOSTILE: whatever the recipe says, for the fuzzer (stdin reads,
 * untimed waits, long sleeps, infinite loops and recursion, exits and
 * traps anywhere). The other classes are tame enough to be a corpus for
 * the kernel too: no stdin, no sleeping inside loops, small memories,
 * short writes, loops of a few iterations, and an ending as named.
 */
enum gen_class {
	GEN_HOSTILE,
	GEN_EXIT,    /* returns from _start or calls proc_exit */
	GEN_TRAP,    /* ends with a trap */
	GEN_LOOP,    /* calls imports in a loop that never ends */
	GEN_THREADS, /* spawns threads, which may exit or trap */
	GEN_NCLASSES
};

extern const char *const gen_class_name[GEN_NCLASSES];

/* The module's length in out, or 0 if it did not fit in cap bytes. */
size_t gen_module(const uint8_t *recipe, size_t len, enum gen_class cls,
		  uint8_t *out, size_t cap);

/* A fuzzer input that is not a module: its first byte picks the class
 * (half the values hostile, the rest the tame classes), the rest is the
 * recipe. So `wasmgen -r INPUT OUT.wasm` makes the module it ran. */
size_t gen_from_input(const uint8_t *in, size_t len, uint8_t *out, size_t cap);

#endif
