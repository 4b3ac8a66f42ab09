#ifndef KERNEL_CRASH_H
#define KERNEL_CRASH_H

/* Cause the fault named `kind` ("null", "undef", "stack"). Returns only if
 * the kind is unknown or the fault did not happen (both are errors). */
int crash_trigger(const char *kind);

#endif
