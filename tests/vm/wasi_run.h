/*
 * tests/vm/wasi_run.h: one module instantiated with a WASI context over
 * the arena (vm_arena.h), a thread to call it on, and a call helper: what
 * wasi_args_test.c and wasi_fs_test.c share.
 */
#ifndef TESTS_VM_WASI_RUN_H
#define TESTS_VM_WASI_RUN_H

#include <ktest.h>

#include <vm/vm.h>
#include <vm/wasi.h>

struct run {
	struct vm_module *m;
	struct vm_wasi w;
	struct vm_instance *i;
	struct vm_thread *th;
	uint8_t *mem; /* the instance's memory, or NULL */
};

/* Reset the arena, load and instantiate module b with WASI hooks `ops`. */
bool wasi_run_open(struct ktest *t, struct run *r, const uint8_t *b, size_t n,
		   const struct vm_wasi_ops *ops);
/* Free what open_run made (also after it failed half way). */
void wasi_run_close(struct run *r);
/* Call export `name` (i32 result) with nargs arguments; ~0u if the call
 * itself failed. */
uint32_t wasi_run_call(struct ktest *t, struct run *r, const char *name,
		       const vm_value *args, uint32_t nargs);

#endif
