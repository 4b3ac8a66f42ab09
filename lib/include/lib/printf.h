/*
 * Formatting into a buffer, as C's: the formats are d i u x X o c s p %,
 * flags - 0 + space #, width, precision, * and the hh h l ll z j t length
 * modifiers. Floating point is not formatted: the kernel proper does not
 * use the FPU.
 */
#ifndef LIB_PRINTF_H
#define LIB_PRINTF_H

#include <lib/compiler.h>
#include <stdarg.h>
#include <stddef.h>

/* At most size-1 characters plus NUL; returns the length the full output
 * would have had. */
int snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
