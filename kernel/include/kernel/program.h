/*
 * Running WebAssembly programs (WASI commands) from the ramdisk on the
 * kernel's VM: linear memory from the sbrk heap (malloc), VM structures
 * from kmalloc, stdout/stderr to the console, stdin from the console, the
 * ramdisk as the read-only preopened "/".
 */
#ifndef KERNEL_PROGRAM_H
#define KERNEL_PROGRAM_H

/* Status of a program that trapped (as a shell's 128 + SIGABRT). */
#define PROGRAM_TRAP_STATUS 134

/*
 * Run the ramdisk file `name` (or `name`.wasm) with argv[0..argc) (argv[0] is the program's
 * name) in the calling context until it exits. Returns the exit status
 * (0-255; PROGRAM_TRAP_STATUS after a trap, which is reported on the
 * console with the trap, function index and code offset), or a negative
 * error: -ENOENT (no such file), -ENOEXEC (not a valid module, or it
 * cannot be linked: message printed), -ENOMEM, -ENOSYS (no sbrk heap).
 */
int program_run(const char *name, int argc, const char *const *argv);

/* Arguments a spawned program may have (its name included). */
#define PROGRAM_MAX_ARGS 32

/*
 * Start the program argv[0] as a process of its own named after it, with
 * the proc_spawn `flags` (e.g. PROC_DETACHED for a background job). Returns
 * the pid (proc_wait gives the exit status: 127 if it could not run) or
 * -E2BIG / -ENOMEM / a proc_spawn error. Process context.
 */
int program_spawn(int argc, const char *const *argv, unsigned flags);

#endif
