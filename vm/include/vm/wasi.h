/*
 * vm/include/vm/wasi.h: WASI preview1 (`wasi_snapshot_preview1`) for wasm
 * programs, on top of a small table of embedder hooks. The embedder owns the
 * console, clocks and files; this layer only marshals wasm memory.
 *
 * Descriptors: 0 stdin, 1 stdout, 2 stderr, 3 the read-only preopened
 * directory "/", 4.. files opened with path_open (read-only, whole-file
 * contents supplied by the lookup hook). Any wasi function not listed in
 * docs/vm.md links to a stub returning ENOSYS (52); so does a listed one
 * whose hook is NULL.
 *
 * A function that reads or writes the program's memory (all but fd_close,
 * sched_yield, proc_exit and the ENOSYS stubs) traps with
 * VM_TRAP_NO_CALLER when the embedder calls it directly (vm_call of a
 * re-exported import): no instance called it, so there is no memory.
 */
#ifndef VM_WASI_H
#define VM_WASI_H

#include <vm/vm.h>

#ifndef VM_WASI_MAX_FDS
#define VM_WASI_MAX_FDS 32
#endif

struct vm_wasi_ops {
	void *ctx;
	/* Write to fd 1 or 2: bytes written, or -1. */
	long (*write)(void *ctx, int fd, const void *buf, size_t len);
	/* Read stdin: bytes read, 0 at end of input, or -1. May block. */
	long (*read)(void *ctx, void *buf, size_t len);
	/* Nanoseconds of clock 0 (realtime) or 1 (monotonic). */
	uint64_t (*clock)(void *ctx, uint32_t id);
	/* Sleep for ns nanoseconds (poll_oneoff on a clock). */
	void (*sleep)(void *ctx, uint64_t ns);
	/* Fill buf with random bytes. */
	void (*random)(void *ctx, void *buf, size_t len);
	/*
	 * Find a file of the read-only root by path relative to "/" (no
	 * leading slash, not NUL-terminated). On success *data and *size
	 * describe its contents, which must stay valid until the program ends.
	 */
	bool (*lookup)(void *ctx, const char *path, size_t len,
		       const uint8_t **data, uint64_t *size);
	/* sched_yield; may be NULL. */
	void (*yield)(void *ctx);
	/*
	 * poll_oneoff on stdin: wait up to timeout_ns (UINT64_MAX: no limit,
	 * 0: only look) for input; true once a read would not block (a byte
	 * waits, or input has ended), false when the time is up. May be NULL:
	 * stdin then always counts as ready. Last member, so positional
	 * initialisers written before it stay valid.
	 */
	bool (*poll_read)(void *ctx, uint64_t timeout_ns);
};

struct vm_wasi_file {
	bool open;
	const uint8_t *data;
	uint64_t size, pos;
};

#define VM_WASI_MAX_STUBS 64

struct vm_wasi {
	const struct vm_host_ops *hops;
	const struct vm_wasi_ops *ops;
	int argc, envc;
	const char *const *argv;
	const char *const *envp;
	struct vm_wasi_file fds[VM_WASI_MAX_FDS];
	struct vm_func *funcs[VM_WASI_MAX_STUBS]; /* created while linking */
	uint32_t nfuncs;
};

void vm_wasi_init(struct vm_wasi *w, const struct vm_host_ops *hops,
		  const struct vm_wasi_ops *ops, int argc,
		  const char *const *argv, int envc, const char *const *envp);
/* Frees the host functions made while linking. */
void vm_wasi_free(struct vm_wasi *w);

/*
 * A vm_resolve_fn (ctx = struct vm_wasi *) for module
 * "wasi_snapshot_preview1"; returns false for anything else.
 */
bool vm_wasi_resolve(void *ctx, const char *module, const char *field,
		     enum vm_extern_kind kind, const struct vm_functype *type,
		     struct vm_extern *out);

/*
 * wasi-threads, for embedders that run threads (the kernel, wasmrun): the
 * type of the import `wasi`.`thread-spawn`, (i32) -> i32, and the new
 * thread's entry, the export wasi_thread_start(i32 tid, i32 start_arg):
 * NULL if the instance has none of that type.
 */
extern const struct vm_functype vm_wasi_thread_spawn_type;
struct vm_func *vm_wasi_thread_start(const struct vm_instance *inst);

#endif
