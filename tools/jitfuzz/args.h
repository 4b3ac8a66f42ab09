/*
 * tools/jitfuzz/args.h: arguments for a call, by parameter type, from a
 * pseudo-random stream: mostly the edge values where the compiler's code
 * paths differ (zero, one, minus one, the sign bit, shift counts at and
 * past the width, the memory's last bytes, NaNs with payloads, signed
 * zeros, infinities, subnormals, the integer bounds of each float to
 * integer conversion), sometimes any bits. The same seed gives the same
 * arguments, so a saved module replays exactly.
 */
#ifndef TOOLS_JITFUZZ_ARGS_H
#define TOOLS_JITFUZZ_ARGS_H

#include <stdint.h>
#include <stdio.h>

#include <vm/vm.h>

uint64_t args_next(uint64_t *state); /* splitmix64 */

/* Values for type t's parameters into out (a v128 takes two); their
 * number, or 0 if they would pass cap. A funcref argument is a function
 * index below nfuncs or UINT64_MAX (null), as pair_call takes them. */
uint32_t args_make(uint64_t *state, const struct vm_functype *t,
		   uint32_t nfuncs, uint64_t *out, uint32_t cap);

/* Print them as `wasmrun --invoke` would take them (one per value). */
void args_print(FILE *f, const struct vm_functype *t, const uint64_t *v,
		uint32_t n);

#endif
