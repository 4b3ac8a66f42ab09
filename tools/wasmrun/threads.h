/*
 * tools/wasmrun/threads.h: shared memories, wait/notify and wasi-threads'
 * thread-spawn for wasmrun (threads.c).
 */
#ifndef TOOLS_WASMRUN_THREADS_H
#define TOOLS_WASMRUN_THREADS_H

#include "../../vm/vm.h"
#include "../../vm/wasi.h"

/* One instance's imports: its WASI context and its thread-spawn. */
struct wasmrun_ctx {
	struct vm_wasi wasi;
	struct vm_func *spawn;
};

/* Remember what every instance of the run needs; the main instance's
 * context (NULL if out of memory). */
struct wasmrun_ctx *wasmrun_threads_init(const struct vm_module *m,
					 const struct vm_wasi_ops *ops,
					 int argc, const char *const *argv,
					 int envc, const char *const *envp);

/* The vm_resolve_fn for every instance (ctx: its struct wasmrun_ctx). */
bool wasmrun_resolve(void *ctx, const char *module, const char *field,
		     enum vm_extern_kind kind, const struct vm_functype *type,
		     struct vm_extern *out);

/* wait/notify for the run's shared memories (also one the module defines). */
extern const struct vm_sync_ops wasmrun_sync_ops;

#endif
