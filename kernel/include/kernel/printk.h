/*
 * Kernel formatted output. printk() writes to every console; the formats are
 * C's (d i u x X o c s p %, flags - 0 + space #, width, precision, * and the
 * hh h l ll z j t length modifiers). Floating point is not formatted: the
 * kernel proper does not use the FPU.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <lib/compiler.h>
#include <stdarg.h>
#include <stddef.h>

int printk(const char *fmt, ...) PRINTF_LIKE(1, 2);
int vprintk(const char *fmt, va_list ap);

/* Like C's: at most size-1 characters plus NUL; returns the length the full
 * output would have had. */
int snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Suppress kernel messages (the `quiet` option); program output still shows. */
void printk_set_quiet(int quiet);

/* Print a message and halt the machine (in a test run: exit with failure). */
void panic(const char *fmt, ...) PRINTF_LIKE(1, 2) NORETURN;

#endif
