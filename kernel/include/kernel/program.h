/*
 * Running WebAssembly programs (WASI commands) from the ramdisk on the
 * kernel's VM: everything the VM allocates for a run from the sbrk heap,
 * charged to the run and limited (<kernel/program_mem.h>), stdout/stderr
 * to the console, stdin from the console (foreground runs only), the
 * ramdisk as the read-only preopened "/".
 */
#ifndef KERNEL_PROGRAM_H
#define KERNEL_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>

/* Status of a program that trapped (as a shell's 128 + SIGABRT). */
#define PROGRAM_TRAP_STATUS 134

/*
 * Run the ramdisk file `name` (or `name`.wasm) with argv[0..argc) (argv[0] is
 * the program's name) in the calling context until it exits. Returns the exit
 * status (0-255; PROGRAM_TRAP_STATUS after a trap, which is reported on the
 * console with the trap, function index and code offset), or a negative
 * error: -ENOENT (no such file), -ENOEXEC (not a valid module, not a WASI
 * command, or it cannot be linked: message printed), -ENOMEM (over its
 * memory limit or the kernel's reserves: message printed), -ENOSYS (no
 * sbrk heap).
 */
int program_run(const char *name, int argc, const char *const *argv);

/* How to run a program; NULL or zeroes: the defaults. */
struct program_opts {
	size_t mem_limit; /* bytes; 0: CONFIG_PROGRAM_MEM_LIMIT_MB */
	unsigned flags;
};
/* stdin is at its end (reads return 0 at once): the console's input stays
 * the shell's while a background job runs. */
#define PROGRAM_BACKGROUND 0x1u
/* stdout and stderr are discarded (the fuzz boot); the kernel's reports
 * about the program (traps, load errors) still print. */
#define PROGRAM_QUIET 0x2u

/* program_run with options. */
int program_run_opts(const char *name, int argc, const char *const *argv,
		     const struct program_opts *opts);

/* Functions stay in the interpreter for this run (`run -i`); the
 * `interp` command-line word does that for every run. */
#define PROGRAM_INTERP 0x4u

/* Whether programs' functions are compiled to native code: the kernel
 * has the compiler (CONFIG_VM_COMPILER) and the command line does not
 * say `interp`. */
bool program_compiler_on(void);

/* Give VM thread `th`, which the calling process runs, the native stack
 * limit of that process's stack (vm_thread_set_stack_limit): compiled
 * code's deep recursion traps there, leaving room for a host call. */
struct vm_thread;
void program_set_stack_limit(struct vm_thread *th);

/* Arguments a spawned program may have (its name included). */
#define PROGRAM_MAX_ARGS 32

/*
 * Start the program argv[0] as a process of its own named after it, at
 * PROC_PRIO_PROGRAM, with the proc_spawn `flags` (e.g. PROC_DETACHED for
 * a background job; pass PROGRAM_BACKGROUND in the options too). Returns
 * the pid (proc_wait gives the exit status: 127 if it could not run) or
 * -E2BIG / -ENOMEM / a proc_spawn error. Process context.
 */
int program_spawn(int argc, const char *const *argv, unsigned flags);
int program_spawn_opts(int argc, const char *const *argv, unsigned flags,
		       const struct program_opts *opts);

#endif
