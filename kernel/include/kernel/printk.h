/*
 * Kernel formatted output. printk() writes to every console, in the formats
 * of <lib/printf.h> (snprintf and vsnprintf, declared there, come with it).
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <lib/compiler.h>
#include <lib/printf.h>
#include <stdarg.h>
#include <stddef.h>

int printk(const char *fmt, ...) PRINTF_LIKE(1, 2);
int vprintk(const char *fmt, va_list ap);

/* Suppress kernel messages (the `quiet` option); program output still shows. */
void printk_set_quiet(int quiet);

/* Print a message and halt the machine (in a test run: exit with failure). */
void panic(const char *fmt, ...) PRINTF_LIKE(1, 2) NORETURN;

#endif
