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

#endif
