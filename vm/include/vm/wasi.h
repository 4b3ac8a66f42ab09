/*
 * vm/include/vm/wasi.h: WASI preview1 (`wasi_snapshot_preview1`) for wasm
 * programs, on top of a small table of embedder hooks. The embedder owns the
 * console, clocks and files; this layer marshals wasm memory, keeps the
 * descriptor table (positions, rights, flags) and resolves paths.
 *
 * Descriptors: 0 stdin, 1 stdout, 2 stderr, 3 the preopened directory "/",
 * then the other preopens in the order the fs hooks list them, then files
 * and directories opened with path_open. "/" is the lookup root: whole
 * files found by path through the lookup hook, read-only (writes are
 * EROFS), unless the fs hooks list a preopen named "/", which then takes
 * fd 3 and is as writable as those hooks make it. Files of the other
 * preopens are read and written through struct vm_wasi_fs_ops. Any wasi
 * function not listed in docs/vm.md links to a stub returning ENOSYS
 * (52); so does a listed one whose hook is NULL.
 *
 * A function that reads or writes the program's memory (all but fd_close,
 * fd_renumber, fd_sync, fd_datasync, fd_fdstat_set_flags,
 * fd_filestat_set_size, fd_filestat_set_times, sched_yield, proc_exit and
 * the ENOSYS stubs) traps with VM_TRAP_NO_CALLER when the embedder calls
 * it directly (vm_call of a re-exported import): no instance called it,
 * so there is no memory.
 */
#ifndef VM_WASI_H
#define VM_WASI_H

#include <vm/vm.h>

#ifndef VM_WASI_MAX_FDS
#define VM_WASI_MAX_FDS 32
#endif

/* Longest path a program may pass (bytes, without the NUL the hooks get). */
#define VM_WASI_PATH_MAX 1024
/* Longest directory entry name a readdir hook returns (FAT's 255 UTF-16
 * units of a long name are at most 765 bytes of UTF-8). */
#define VM_WASI_NAME_MAX 767

/* WASI filetypes, as the hooks report them. */
enum vm_wasi_filetype {
	VM_WASI_FT_UNKNOWN = 0,
	VM_WASI_FT_CHAR = 2,
	VM_WASI_FT_DIR = 3,
	VM_WASI_FT_FILE = 4,
	VM_WASI_FT_SYMLINK = 7,
};

/* What stat hooks fill in; times are nanoseconds since 1970. */
struct vm_wasi_stat {
	uint64_t dev, ino, nlink, size;
	uint64_t atim, mtim, ctim;
	uint8_t type; /* enum vm_wasi_filetype */
};

/* One directory entry (readdir hook). */
struct vm_wasi_dirent {
	uint64_t next; /* cookie of the entry after this one */
	uint64_t ino;
	uint8_t type;	  /* enum vm_wasi_filetype */
	uint32_t namelen; /* bytes in name, no NUL */
	char name[VM_WASI_NAME_MAX + 1];
};

/* open hook flags (the VM derives READ and WRITE from the WASI rights). */
enum {
	VM_WASI_O_READ = 1,	  /* will read (or list, for a directory) */
	VM_WASI_O_WRITE = 2,	  /* will write or change the size */
	VM_WASI_O_CREAT = 4,	  /* create a regular file if missing */
	VM_WASI_O_EXCL = 8,	  /* with CREAT: -EEXIST if it exists */
	VM_WASI_O_TRUNC = 16,	  /* size 0 (needs WRITE) */
	VM_WASI_O_DIRECTORY = 32, /* -ENOTDIR unless a directory */
	VM_WASI_O_NOFOLLOW = 64,  /* a symlink as last component: -ELOOP */
};

/* set_times hook: which times to set, and to "now" rather than a value. */
enum {
	VM_WASI_SET_ATIM = 1,
	VM_WASI_SET_ATIM_NOW = 2,
	VM_WASI_SET_MTIM = 4,
	VM_WASI_SET_MTIM_NOW = 8,
};

/*
 * File-system hooks, POSIX-like on opaque handles (void *), for every
 * preopen but the lookup root. Each returns 0 (or a count) on success and
 * a negative Linux errno (-ENOENT = -2 ...) on failure; the VM maps those
 * to WASI's numbers in one table (vm/wasi_path.c, listed in docs/vm.md).
 *
 * Paths: `dir` is a directory handle (a preopen, or a directory the
 * program opened) and `path` a NUL-terminated path relative to it that the
 * VM has already made safe *lexically*: never empty, no leading '/', no
 * empty, "." or ".." components (".." was resolved in the text and may not
 * climb past `dir`), except the single path "." meaning `dir` itself. A
 * hook must still not let a symlink (or anything else on its side) lead
 * out of the preopen the handle came from: the host follows none that
 * leave it (openat2 RESOLVE_BENEATH); a file system without symlinks
 * (FAT) has nothing to do. Called from the program's thread; may block.
 * A NULL hook makes the calls that need it ENOSYS.
 */
struct vm_wasi_fs_ops {
	/*
	 * Preopen number i (0, 1, ...): its guest name ("/data", ".": the
	 * string must outlive the program) and a directory handle the VM
	 * closes when the program ends. -ENOENT past the last. A preopen
	 * named "/" replaces the lookup root at fd 3.
	 */
	int (*preopen)(void *ctx, uint32_t i, const char **name, void **dir);
	/* Open path under dir with VM_WASI_O_* flags; a handle in *out. */
	int (*open)(void *ctx, void *dir, const char *path, uint32_t flags,
		    void **out);
	void (*close)(void *ctx, void *h);
	/* Bytes read at offset off (0 at or past the end). */
	long (*pread)(void *ctx, void *h, void *buf, size_t len, uint64_t off);
	/* Bytes written at offset off (the file grows as needed). */
	long (*pwrite)(void *ctx, void *h, const void *buf, size_t len,
		       uint64_t off);
	/* Of an open handle. */
	int (*stat)(void *ctx, void *h, struct vm_wasi_stat *st);
	/* Of path under dir; flags VM_WASI_O_NOFOLLOW or 0. */
	int (*stat_at)(void *ctx, void *dir, const char *path, uint32_t flags,
		       struct vm_wasi_stat *st);
	/* Set the size (zero-filled when it grows). */
	int (*truncate)(void *ctx, void *h, uint64_t size);
	/* Set times per VM_WASI_SET_* (ns since 1970). */
	int (*set_times)(void *ctx, void *h, uint64_t atim, uint64_t mtim,
			 uint32_t how);
	/* Data (and, unless data_only, metadata) on stable storage. */
	int (*sync)(void *ctx, void *h, bool data_only);
	/*
	 * Directory entry at `cookie` (0: the first; else a `next` of an
	 * earlier entry) into *e: 1, or 0 past the last entry.
	 */
	int (*readdir)(void *ctx, void *h, uint64_t cookie,
		       struct vm_wasi_dirent *e);
	int (*mkdir)(void *ctx, void *dir, const char *path);
	/* -ENOTEMPTY unless empty; -ENOTDIR for a file. */
	int (*rmdir)(void *ctx, void *dir, const char *path);
	/* -EISDIR for a directory. */
	int (*unlink)(void *ctx, void *dir, const char *path);
	/* rename(2) semantics: replaces a file, or an empty directory. */
	int (*rename)(void *ctx, void *from_dir, const char *from, void *to_dir,
		      const char *to);
};

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
	 * stdin then always counts as ready.
	 */
	bool (*poll_read)(void *ctx, uint64_t timeout_ns);
	/*
	 * Files beyond the read-only root; may be NULL (then fd 3 "/" is the
	 * only preopen). Last member: a positional initialiser of the members
	 * before it needs only a trailing NULL.
	 */
	const struct vm_wasi_fs_ops *fs;
};

/*
 * One descriptor. kind says what backs it: a lookup-root file (data,
 * size), the lookup root itself, or an fs hook handle (h). A preopen keeps
 * its guest name. rights and inherit are WASI's rights bits; flags its
 * fdflags (only APPEND is acted on).
 */
struct vm_wasi_file {
	bool open;
	uint8_t kind, type; /* type: enum vm_wasi_filetype */
	uint16_t flags;
	union {
		const uint8_t *data;
		void *h;
	} u;
	uint64_t size, pos;
	uint64_t rights, inherit;
	const char *preopen; /* guest name, or NULL */
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

/*
 * Sets up the descriptors, opening the preopens through ops->fs (a preopen
 * that fails to open, or one past the table, is left out).
 */
void vm_wasi_init(struct vm_wasi *w, const struct vm_host_ops *hops,
		  const struct vm_wasi_ops *ops, int argc,
		  const char *const *argv, int envc, const char *const *envp);
/* Closes every handle still open and frees the host functions made while
 * linking. */
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
