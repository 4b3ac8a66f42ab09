/*
 * The general-purpose allocator on the sbrk heap, separate from kmalloc:
 * for processes and the VM's linear memories. A TLSF pool whose end follows
 * the heap top: it grows the heap with sbrk when nothing fits and gives
 * whole pages back (negative sbrk) when the end of the pool is free.
 */
#ifndef MM_MALLOC_H
#define MM_MALLOC_H

#include <stddef.h>

struct sbrk_heap;
struct tlsf;

struct heap_malloc {
	struct sbrk_heap *sbrk;
	struct tlsf *tlsf;
	unsigned long allocs, frees, failed, errors;
	const char *last_error;
};

/* Bytes the pool grows by at least, and keeps free at its end when
 * trimming, so alternating malloc/free at the boundary does not thrash. */
#define MALLOC_GROW_MIN	 (64u * 1024)
#define MALLOC_TRIM_KEEP (64u * 1024)

/* Start a pool at the heap's current top. 0, or -ENOMEM. */
int heap_malloc_init(struct heap_malloc *m, struct sbrk_heap *h);
void *heap_malloc(struct heap_malloc *m, size_t size);
void *heap_memalign(struct heap_malloc *m, size_t align, size_t size);
void *heap_realloc(struct heap_malloc *m, void *p, size_t size);
/* 0, or -EINVAL for a pointer that is not a live allocation (refused). */
int heap_free(struct heap_malloc *m, void *p);

struct heap_malloc_stats {
	size_t total;		  /* bytes of the pool */
	size_t used;		  /* bytes in live blocks, overhead included */
	size_t free;		  /* bytes in free blocks */
	unsigned long allocs;	  /* objects handed out */
	unsigned long frees;	  /* objects given back */
	unsigned long failed;	  /* requests that got NULL */
	unsigned long errors;	  /* bad pointers refused */
	unsigned long sbrk_pages; /* frames the pool's sbrk heap maps */
};

/* One consistent snapshot of m, taken with IRQs off (as malloc changes the
 * pool): O(blocks of the pool), for leak checks, not for hot
 * paths. All zero before heap_malloc_init(). */
void heap_malloc_stats(struct heap_malloc *m, struct heap_malloc_stats *s);

/* The kernel's instance on kernel_sbrk, with C's names. */
extern struct heap_malloc kernel_malloc;
void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void *memalign(size_t align, size_t size);

#endif
