/*
 * tools/wasmfuzz/fuzz_run.c: libFuzzer target over the kernel's `run`
 * path (run.c): WASI, shared memory and threads, under an interrupt timer.
 *
 * An input that starts with the wasm magic is run as it is (the seed
 * corpus, tools/wasmfuzz/corpus-run, holds such modules). Any other input
 * is a recipe for gen.c: its first byte picks the class (half hostile,
 * half the tame classes of the corpus), the rest the module, which is
 * then always valid, so mutations exercise the WASI layer rather than
 * the decoder.
 *
 *   make -f vm/host.mk O=build build/host/wasmfuzz-run
 *   build/host/wasmfuzz-run -max_total_time=60 tools/wasmfuzz/corpus-run
 *
 * FUZZ_RUN_MS (default 5): how long each input may run before the timer
 * stops all its threads.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "run.h"

static uint64_t limit_ns = 5000000;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *ms = getenv("FUZZ_RUN_MS");
	if (ms && atoi(ms) > 0)
		limit_ns = (uint64_t)atoi(ms) * 1000000u;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t module[1 << 16];
	struct fuzz_outcome out;

	if (size >= 4 && memcmp(data, "\0asm", 4) == 0) {
		fuzz_run(data, size, limit_ns, &out);
		return 0;
	}
	size_t n = gen_from_input(data, size, module, sizeof(module));
	if (n)
		fuzz_run(module, n, limit_ns, &out);
	return 0;
}
