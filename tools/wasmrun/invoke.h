/* tools/wasmrun/invoke.h: wasmrun's --invoke mode (invoke.c). */
#ifndef WASMRUN_INVOKE_H
#define WASMRUN_INVOKE_H

#include <vm/vm.h>

/*
 * Call export `name` of inst on th with argv[0..argc) read as its
 * parameters; print its results. Returns the exit status: 0, the
 * program's exit code, 134 after a trap, 1 on another error, 2 when the
 * export or the arguments do not fit.
 */
int wasmrun_invoke(struct vm_instance *inst, struct vm_thread *th,
		   const char *name, int argc, char **argv);

#endif
