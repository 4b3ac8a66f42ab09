#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <stdint.h>

/* Name of the kernel function containing `addr` and the offset into it, or
 * NULL if the address is outside the kernel's code. */
const char *ksym_lookup(uintptr_t addr, uintptr_t *offset);

#endif
