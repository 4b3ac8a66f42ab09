/*
 * What the boot loader told us, in arch-neutral form. The architecture parses
 * its own protocol (multiboot on x86, the DTB on ARM) into this structure
 * before calling kmain(); neutral code never reads multiboot or DTB itself.
 */
#ifndef ARCH_BOOT_H
#define ARCH_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOT_MAX_MEM_REGIONS 64
#define BOOT_MAX_MODULES     16
#define BOOT_CMDLINE_MAX     1024
#define BOOT_CMDLINE_DROPPED 128 /* bytes of dropped words kept to name */

enum boot_mem_type {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIM = 3,
	BOOT_MEM_ACPI_NVS = 4,
	BOOT_MEM_BAD = 5,
};

/* One entry of the loader's memory map, exactly as given: entries may be
 * unsorted, overlapping, unaligned, zero-length or above 4 GiB. */
struct boot_mem_region {
	uint64_t base;
	uint64_t size;
	enum boot_mem_type type;
};

/* A boot module (multiboot module or the ARM initrd), physical range
 * [start, end), with the words the loader gave for it. */
struct boot_module {
	uintptr_t start;
	uintptr_t end;
	const char *cmdline; /* NULL when the protocol gives none (ARM) */
};

struct boot_info {
	const char *loader; /* boot loader name, or "unknown" */
	/* The loader's command line, by whole words (cmdline_copy(), which
	 * the arch calls): a word that does not fit is dropped with the
	 * words after it, never cut. */
	char cmdline[BOOT_CMDLINE_MAX];
	/* Multiboot loaders put the kernel's own path first on the command
	 * line; U-Boot and QEMU's ARM loader do not. */
	bool cmdline_has_image_path;
	size_t cmdline_len;	  /* the loader's line: all its characters */
	unsigned cmdline_dropped; /* words that did not fit; 0: none */
	/* The dropped words, space-separated: all that fit, else the first
	 * ones, " ... " and the last (cmdline_copy()). */
	char cmdline_dropped_words[BOOT_CMDLINE_DROPPED];

	struct boot_mem_region mem[BOOT_MAX_MEM_REGIONS];
	unsigned mem_count;
	unsigned mem_dropped; /* entries beyond BOOT_MAX_MEM_REGIONS */

	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned module_count;
	unsigned modules_dropped;

	/* Physical ranges the loader's own data occupy (multiboot info, DTB),
	 * which the memory manager must not hand out. */
	uintptr_t bootdata_start, bootdata_end;

	/* The kernel image, [start, end) physical, from the linker script. */
	uintptr_t kernel_start, kernel_end;
};

/* The entry every architecture calls once its CPU is set up (stack,
 * exception vectors, early console). Never returns. */
void kmain(struct boot_info *bi) __attribute__((noreturn));

#endif
