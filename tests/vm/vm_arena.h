/* tests/vm/vm_arena.h: the `wasm` suite's VM hooks (see vm_arena.c). */
#ifndef TESTS_VM_ARENA_H
#define TESTS_VM_ARENA_H

#include <vm/vm.h>

extern const struct vm_host_ops vm_arena_ops;

/* Forget everything allocated so far: call before each case's first load. */
void vm_arena_reset(void);

#endif
