#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <arch/boot.h>
#include <stdbool.h>

/* Set while running tests: a panic exits QEMU with failure instead of
 * halting, so harnesses see the failure at once. */
extern bool kernel_exit_on_panic;

/* The boot information, kept for the shell and later subsystems. */
extern struct boot_info *kernel_boot_info;

#define KERNEL_NAME    "flatkernel"
#define KERNEL_VERSION "0.1"

#endif
