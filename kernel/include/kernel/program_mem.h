/*
 * Per-program memory accounts, as the rest of the kernel sees them (meminfo,
 * tests, the shell's `run -m`). The accounts themselves are private to the
 * program runner: kernel/program_mem.h.
 */
#ifndef KERNEL_PROGRAM_MEM_H
#define KERNEL_PROGRAM_MEM_H

#include <kernel/sched.h>
#include <stdbool.h>
#include <stddef.h>

/* The default limit of one program (CONFIG_PROGRAM_MEM_LIMIT_MB), bytes. */
size_t program_mem_default_limit(void);

/* Is free physical memory, less `bytes`, still at least the reserve the
 * kernel keeps for itself (CONFIG_PROGRAM_RESERVE_KB)? */
bool program_mem_reserve_ok(size_t bytes);

/* A snapshot of every account, for meminfo. Fills up to `max`, returns how
 * many accounts exist. */
struct program_mem_info {
	int pid;
	char name[PROC_NAME_MAX];
	size_t charged, peak, limit;
	unsigned long refused;
	/* compiled code: bytes and functions live, pages of its chunks */
	size_t code_bytes, code_pages;
	unsigned long code_funcs;
};
int program_mem_list(struct program_mem_info *out, int max);

/* Bytes charged to every account together (for tests). */
size_t program_mem_total(void);

#endif
