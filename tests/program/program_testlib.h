/*
 * Helpers the in-kernel program suites share (program_test.c,
 * hostile_test.c): skipping where there is no sbrk heap, and putting
 * embedded modules in the kernel's ramdisk.
 */
#ifndef TESTS_PROGRAM_TESTLIB_H
#define TESTS_PROGRAM_TESTLIB_H

#include <kernel/printk.h>
#include <kernel/ramdisk.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/mm.h>

#define NEEDS_SBRK(t)                                                          \
	do {                                                                   \
		if (!mm_virtual_memory())                                      \
			KT_SKIP(t, "no sbrk heap for linear memory");          \
	} while (0)

/* Put a module in the kernel's ramdisk once (it stays: files are never
 * removed). */
static inline void test_ramdisk_add(const char *name, const uint8_t *mod,
				    size_t size)
{
	int rc = ramdisk_add_file(&kernel_ramdisk, name, mod, size);
	if (rc && rc != -EEXIST)
		printk("program test: cannot add %s: %s\n", name, err_name(rc));
}

#endif
