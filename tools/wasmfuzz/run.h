/*
 * tools/wasmfuzz/run.h: one module through the kernel's `run` path on the
 * host (kernel/program.c program_run, kernel/program_thread.c): load,
 * instantiate against the real imports (WASI through fuzz_wasi_ops, a
 * shared `env`.`memory` or `shm`.NAME, `wasi`.`thread-spawn` with POSIX
 * threads: tools/wasmrun/threads.c), the start function, then `_start`;
 * a thread's exit or trap ends the program; every thread is stopped by a
 * timer after a time limit, joined, and everything freed before it
 * returns.
 */
#ifndef TOOLS_WASMFUZZ_RUN_H
#define TOOLS_WASMFUZZ_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "hooks.h"

enum fuzz_end {
	FUZZ_REFUSED,  /* did not load or link, or is not a WASI command */
	FUZZ_RETURNED, /* _start returned */
	FUZZ_EXITED,   /* proc_exit, in any thread */
	FUZZ_TRAPPED,  /* a trap (or a thread that could not start) */
	FUZZ_STOPPED,  /* still running at the time limit */
};

struct fuzz_outcome {
	enum fuzz_end end;
	int status;  /* the exit status, as the kernel's run gives it */
	int threads; /* thread-spawn calls that started a thread */
	uint64_t ns; /* from instantiation until every thread ended */
	struct fuzz_hook_stats hooks;
	char msg[160]; /* the VM's message when refused or trapped */
};

void fuzz_run(const uint8_t *bytes, size_t len, uint64_t limit_ns,
	      struct fuzz_outcome *out);

#endif
