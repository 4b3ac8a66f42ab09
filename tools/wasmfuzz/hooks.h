/*
 * tools/wasmfuzz/hooks.h: WASI hooks for fuzzing the run path. They do
 * what vm/wasi.c needs of an embedder without touching the host: output
 * is counted and dropped (after touching the bytes, so that ASan sees a
 * bad pointer), stdin is at its end, sleeps are cut short, the preopened
 * "/" holds a few files in memory, random bytes are a fixed sequence.
 */
#ifndef TOOLS_WASMFUZZ_HOOKS_H
#define TOOLS_WASMFUZZ_HOOKS_H

#include <stdint.h>

#include <vm/wasi.h>

extern const struct vm_wasi_ops fuzz_wasi_ops;

/* What the program asked of the hooks since fuzz_hooks_reset. */
struct fuzz_hook_stats {
	uint64_t written;     /* bytes to fds 1 and 2 */
	uint64_t stdin_reads; /* reads and polls of stdin */
	uint64_t sleep_ns;    /* asked for, before capping */
	uint64_t lookups;     /* path_open reaching the file lookup */
};

void fuzz_hooks_reset(void);
struct fuzz_hook_stats fuzz_hooks_stats(void);

#endif
