/*
 * Per-program memory accounts (private to the program runner; the rest of
 * the kernel sees <kernel/program_mem.h>). Everything the VM allocates on
 * behalf of one run of a program (module, compiled code, instances, tables,
 * value stacks, linear memories, WASI state, its threads' states) comes
 * from the sbrk heap through the account's vm_host_ops, is charged to it,
 * and is refused once the program's limit is reached or the machine's free
 * memory would fall below the reserve the kernel keeps for itself.
 *
 * Every block is linked into its account from the moment it is allocated,
 * with preemption off between the allocation and the link, so a kill that
 * lands anywhere (while a module loads, an instance is built, a linear
 * memory is zeroed or copied) loses nothing: program_mem_release() frees
 * whatever is still linked.
 *
 * Fixed kernel-side costs of a program (the process of each thread: its
 * kernel stack and FPU area, from the kernel heap) are charged too, with
 * program_mem_charge(), so `meminfo` shows a program's whole footprint.
 *
 * Any process context; the account's own lock keeps it consistent between
 * the threads of one program.
 */
#ifndef KERNEL_PROGRAM_MEM_PRIVATE_H
#define KERNEL_PROGRAM_MEM_PRIVATE_H

#include <kernel/program_mem.h>
#include <kernel/sync.h>
#include <lib/list.h>
#include <mm/code_region.h>

#include <vm/vm.h>

struct program_mem {
	struct vm_host_ops ops;	  /* ctx = this account */
	struct spinlock lock;	  /* blocks, charged, peak */
	struct list_node blocks;  /* every live block, any order */
	struct list_node link;	  /* in the list of accounts (meminfo) */
	size_t charged;		  /* bytes: blocks with headers, fixed costs */
	size_t peak;		  /* highest charged */
	size_t limit;		  /* bytes this program may be charged */
	unsigned long refused;	  /* allocations refused */
	bool over_limit;	  /* the last refusal was the program's limit */
	bool over_reserve;	  /* ... the machine's reserve */
	struct code_heap code;	  /* compiled functions (program_code.c) */
	int pid;		  /* the main thread's */
	char name[PROC_NAME_MAX]; /* the program's */
};

/* Set up an account for program `name` run by process `pid`, limited to
 * `limit` bytes (0: the default), and list it for meminfo. */
void program_mem_init(struct program_mem *m, const char *name, int pid,
		      size_t limit);

/* Free every block still charged to `m` and unlist it. The VM objects
 * those blocks held must no longer be in use. */
void program_mem_release(struct program_mem *m);

/* Charge / uncharge a fixed cost that lives elsewhere (a thread's kernel
 * stack). Charging fails (false) past the limit. */
bool program_mem_charge(struct program_mem *m, size_t bytes);
void program_mem_uncharge(struct program_mem *m, size_t bytes);

/* program_code.c: set up m's code heap (program_mem_init does); give the
 * VM code hooks on it, so functions compile, unless the compiler is off
 * (VM_COMPILER=n, or `interp` on the command line). The pages are charged
 * to m and freed with it at the latest. */
void program_code_init(struct program_mem *m);
void program_code_enable(struct program_mem *m);

/* Why the last refusal happened, for the program's "out of memory" report:
 * the program's limit or the kernel's reserve, or NULL if nothing was
 * refused. Formats into buf. */
const char *program_mem_refusal(const struct program_mem *m, char *buf,
				size_t size);

#endif
