/*
 * The kernel heap's private half (the contract is <mm/kheap.h>): what
 * mm/kheap.c, the heap proper, and mm/kheap_debug.c, the debug layer of
 * KHEAP_F_DEBUG instances, share. Private to mm/.
 *
 * Every function here expects the caller to hold the heap lock (mm_lock()).
 */
#ifndef MM_KHEAP_INTERNAL_H
#define MM_KHEAP_INTERNAL_H

#include <mm/kheap.h>
#include <stddef.h>
#include <stdint.h>

#include "mm_lock.h"
#include "tlsf.h"

/* A TLSF block of `size` bytes aligned to `align` (<= TLSF_ALIGN: the
 * engine's own alignment); NULL if none. */
static inline void *kheap_tlsf_alloc(struct kheap *h, size_t size, size_t align)
{
	if (align <= TLSF_ALIGN)
		return tlsf_malloc(h->tlsf, size);
	return tlsf_memalign(h->tlsf, align, size);
}

/* An allocation site as text, into buf: "file:line", or for a return
 * address "function+0xoff" (kernel) or "caller 0x...". Returns buf. */
const char *kheap_site(char *buf, size_t n, const char *file, uintptr_t line);

/* ------------------------------------------------ debug layer (kheap_debug.c)
 *
 * For instances created with KHEAP_F_DEBUG. Each operation checks the
 * pointer it is given and reports (kheap_report) and refuses a bad one,
 * counting it in h->errors; allocation counts are the caller's.
 */

/* A new object with red zones, filled with the fresh pattern; NULL if the
 * pool has no room even after the quarantine is flushed. */
void *kheap_dbg_alloc(struct kheap *h, size_t size, size_t align,
		      const char *file, uintptr_t line);

/* Free p into the quarantine, by `op` ("kfree") at (file, line): 0, or
 * -EINVAL (refused). */
int kheap_dbg_free(struct kheap *h, void *p, const char *op, const char *file,
		   uintptr_t line);

/* krealloc: always moves, so stale pointers to the old copy show up. NULL
 * if p is refused or there is no room (counted in h->failed). */
void *kheap_dbg_realloc(struct kheap *h, void *p, size_t size, const char *file,
			uintptr_t line);

/* The size asked for at p's allocation; 0 if p is not a live object. */
size_t kheap_dbg_usable_size(struct kheap *h, const void *p);

/* Check and release every quarantined object. */
void kheap_dbg_flush(struct kheap *h);

/* D1-D3 (kheap_debug.c) over every used block: 0 or -EFAULT, the first
 * problem reported. */
int kheap_dbg_verify(struct kheap *h);

#endif
