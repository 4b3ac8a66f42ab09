/*
 * Programs' files: the WASI file-system hooks on the kernel's VFS
 * (kernel/program_files.c), which every program's WASI instance gets.
 */
#ifndef KERNEL_PROGRAM_FILES_H
#define KERNEL_PROGRAM_FILES_H

#include <stdint.h>
#include <vm/wasi.h>

extern const struct vm_wasi_fs_ops program_fs_ops;

/* "Now" for timestamps a program sets (storage_now_ns). */
int64_t program_files_now_ns(void);

#endif
