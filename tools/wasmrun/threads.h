/*
 * tools/wasmrun/threads.h: shared memories, wait/notify and wasi-threads'
 * thread-spawn for wasmrun and the run-path fuzzer (threads.c).
 *
 * One run at a time per process: init, instantiate the main instance with
 * wasmrun_resolve, run it on wasmrun_thread_new(), then (contained runs)
 * wasmrun_threads_end, free the main instance, wasmrun_threads_free; the
 * next run may start.
 */
#ifndef TOOLS_WASMRUN_THREADS_H
#define TOOLS_WASMRUN_THREADS_H

#include <vm/vm.h>
#include <vm/wasi.h>

/* One instance's imports: its WASI context and its thread-spawn. */
struct wasmrun_ctx {
	struct vm_wasi wasi;
	struct vm_func *spawn;
};

/* How a run is set up. */
struct wasmrun_config {
	/* Each thread's value stack slots and call depth (0: the VM's). */
	uint32_t stack_slots, max_depth;
	/* Spawned threads alive at once; thread-spawn past it: -EAGAIN. */
	int max_threads;
	/*
	 * false (wasmrun): proc_exit or a trap in a spawned thread ends the
	 * process, with a message. true (the fuzzer): it stops the run as
	 * the kernel does: every thread's interrupt flag is set, waits end,
	 * the first status is kept for wasmrun_threads_end; nothing printed.
	 */
	bool contained;
};

/* Start a run of m: remember what every instance needs; the main
 * instance's context (NULL if out of memory). */
struct wasmrun_ctx *wasmrun_threads_init(const struct vm_module *m,
					 const struct vm_wasi_ops *ops,
					 const struct wasmrun_config *cfg,
					 int argc, const char *const *argv,
					 int envc, const char *const *envp);

/* A thread for the main instance, with the run's limits and interrupt
 * flag (set by wasmrun_threads_stop). NULL if out of memory. */
struct vm_thread *wasmrun_thread_new(void);

/* The vm_resolve_fn for every instance (ctx: its struct wasmrun_ctx). */
bool wasmrun_resolve(void *ctx, const char *module, const char *field,
		     enum vm_extern_kind kind, const struct vm_functype *type,
		     struct vm_extern *out);

/* wait/notify for the run's shared memories (also one the module defines). */
extern const struct vm_sync_ops wasmrun_sync_ops;

/*
 * End the run with `status` unless it already has one (the first thread
 * to end it wins, as in the kernel): set every thread's interrupt flag and
 * wake every wait. Any thread may call it, and so may a timer thread.
 */
void wasmrun_threads_stop(int status);
/* Has the run been told to stop? (For hooks that might block.) */
bool wasmrun_threads_stopping(void);

/*
 * Contained runs, after the main thread's call returned: stop the run with
 * `status` (unless it has one already) and join every spawned thread.
 * Returns the run's status.
 */
int wasmrun_threads_end(int status);
/* Then, after the main instance is freed: free `main` and the shared
 * memories; the next run may start. */
void wasmrun_threads_free(struct wasmrun_ctx *main);
/* Threads thread-spawn started in this run. */
int wasmrun_threads_spawned(void);

/* Free an instance's context (after its instance). */
void wasmrun_ctx_free(struct wasmrun_ctx *c);

#endif
