/*
 * The code region: virtual space for machine code the kernel generates at
 * run time (the WebAssembly compiler, vm/jit/), just below the DMA area
 * (mm/layout.c). Pages are mapped in it read-only and executable as they
 * are asked for, from pinned PMM frames (code never moves under a running
 * CPU), and unmapped and freed when given back. Executable pages exist
 * nowhere else outside the kernel image. Write xor execute: the pages are
 * never writable; code_region_write puts bytes in them through a second,
 * writable and (on ARM) execute-never mapping of their frames that lives
 * only for the copy (docs/memory.md; on x86-32 without PAE nothing is
 * execute-never, but read-only holds in ring 0: CR0.WP).
 *
 * Two layers: whole pages (code_region_alloc/free), and a code heap per
 * owner (a program) that packs functions into chunks of pages, charges the
 * chunks to the owner, frees a chunk when its last function goes and all
 * of them with the owner (code_heap_release). Code is copied in through
 * code_region_write, which also makes the instruction stream coherent
 * (arch_sync_icache), so the result may be called at once on any CPU.
 *
 * Without CONFIG_VM_COMPILER the region is empty and every allocation
 * fails. Any process context (IRQs may be on or off); never from an
 * interrupt handler (page mapping may take a page-table page).
 */
#ifndef MM_CODE_REGION_H
#define MM_CODE_REGION_H

#include <lib/list.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef CONFIG_VM_COMPILER
#define CODE_REGION_SIZE ((uintptr_t)CONFIG_VM_CODE_REGION_MB << 20)
#else
#define CODE_REGION_SIZE ((uintptr_t)0)
#endif

/* Set the region to [start, start + CODE_REGION_SIZE) (mm_init). */
void code_region_init(uintptr_t start);

/* `pages` mapped pages (read-only and executable, zeroed), or NULL when
 * the region has no run that long free or the PMM no frames. */
void *code_region_alloc(size_t pages);
/* Unmap and free pages code_region_alloc returned (the same count). */
void code_region_free(void *va, size_t pages);
/* The only way to change code: copy len bytes from src (zeros if src is
 * NULL) to dst, inside pages code_region_alloc returned, through the write
 * window (writable, never executable where the MMU allows; unmapped with a
 * TLB shootdown before this returns), then make them fetchable as
 * instructions on every CPU (arch_sync_icache). Returns 0; -EINVAL if
 * [dst, dst + len) is not all allocated code pages (nothing written past
 * the first such page); -ENOMEM if a page table for the window cannot be
 * had. Code other CPUs run in the same pages stays executable throughout;
 * the caller makes sure nothing runs the bytes it writes until this
 * returns. Process context, IRQs on or off; does not sleep. */
int code_region_write(void *dst, const void *src, size_t len);

struct code_region_stats {
	uintptr_t start, end; /* the region; start == end: none */
	size_t pages_total, pages_used;
	unsigned long allocs, frees, failures; /* of code_region_alloc */
	unsigned long writes, write_failures;  /* of code_region_write */
	uintptr_t window; /* the write window (mapped only during a write) */
};
void code_region_get_stats(struct code_region_stats *out);

/*
 * One owner's code: chunks of the region, bump-allocated. charge(ctx,
 * bytes) is asked before a chunk is taken (false refuses it) and
 * uncharge(ctx, bytes) told when it is freed; both may be NULL.
 */
struct code_heap {
	struct list_node chunks; /* newest first: the one allocated from */
	bool (*charge)(void *ctx, size_t bytes);
	void (*uncharge)(void *ctx, size_t bytes);
	void *ctx;
	size_t live_bytes;  /* in live allocations */
	size_t pages;	    /* in chunks */
	unsigned long live; /* live allocations */
	unsigned long refused;
};

void code_heap_init(struct code_heap *h, bool (*charge)(void *, size_t),
		    void (*uncharge)(void *, size_t), void *ctx);
/* A copy of `size` bytes of machine code, 16-byte aligned and executable,
 * its instruction cache made coherent; NULL if refused. */
void *code_heap_alloc(struct code_heap *h, const void *code, size_t size);
/* Give back what code_heap_alloc returned (its size). */
void code_heap_free(struct code_heap *h, void *p, size_t size);
/* Free every chunk (the owner ends; its code is no longer running). */
void code_heap_release(struct code_heap *h);

#endif
