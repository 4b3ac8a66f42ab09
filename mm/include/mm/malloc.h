/*
 * The general-purpose allocator on the sbrk heap, separate from kmalloc:
 * for processes and the VM's linear memories. A TLSF pool whose end follows
 * the heap top: it grows the heap with sbrk when nothing fits and gives
 * whole pages back (negative sbrk) when the end of the pool is free, with
 * hysteresis: it grows by at least MALLOC_GROW_MIN and trims only when more
 * than MALLOC_TRIM_KEEP + the band is free at the end, down to
 * MALLOC_TRIM_KEEP. The band starts at MALLOC_TRIM_HYST and doubles (up to
 * MALLOC_TRIM_HYST_MAX) whenever the heap has to grow right after a trim,
 * so alternating malloc/free of a large object at the boundary stops
 * growing and trimming after a few rounds.
 *
 * Small requests (up to MALLOC_TC_MAX_SIZE bytes) first try a short
 * per-class list of freed blocks that the pool still counts as used
 * (mm/malloc_tcache.h): no split, no coalescing, bounded, never holding
 * the heap top up, given back under memory pressure and counted as
 * `cached` in heap_malloc_stats().
 *
 * With heap_malloc_enable_cache(), requests of up to 512 bytes (alignment
 * <= 16) are served from per-CPU front caches without the lock, as the
 * kernel heap's (mm/objcache.h). Cached objects count as free in
 * heap_malloc_stats(); `allocs` and `frees` here count the locked path
 * only: read live objects from heap_malloc_stats(). The kernel's instance
 * runs without: a cached object near the pool's end pins the heap top
 * (a trim cannot pass a used block); the one boot with the caches on kept
 * 14 MiB mapped after a 30,000-function module was killed
 * (tests/program/hostile_test.c), more than the hysteresis band of the
 * time (8 MiB) explains. Draining the caches when a trim is blocked is not
 * written yet.
 */
#ifndef MM_MALLOC_H
#define MM_MALLOC_H

#include <stdbool.h>
#include <stddef.h>

struct sbrk_heap;
struct tlsf;
struct objcache;

/* The small-object path of a heap without front caches (see above and
 * mm/malloc_tcache.h): blocks of up to MALLOC_TC_MAX_SIZE usable bytes,
 * at most MALLOC_TC_DEPTH per 16-byte class. */
#define MALLOC_TC_MAX_SIZE 512u
#define MALLOC_TC_DEPTH	   8u
#define MALLOC_TC_CLASSES  (MALLOC_TC_MAX_SIZE / 16 + 2)

struct malloc_tcache {
	void *head[MALLOC_TC_CLASSES];
	unsigned char count[MALLOC_TC_CLASSES];
	size_t bytes; /* footprint of the blocks held */
};

struct heap_malloc {
	struct sbrk_heap *sbrk;
	struct tlsf *tlsf;
	struct objcache *cache;	 /* in the pool itself */
	struct malloc_tcache tc; /* used only while cache is NULL */
	unsigned long allocs, frees, failed, errors;
	unsigned long grows, trims;
	size_t trim_band;  /* see above; 0 means MALLOC_TRIM_HYST */
	bool trimmed_last; /* the last sbrk move was a trim */
	const char *last_error;
};

/* Bytes the pool grows by at least, and keeps free at its end when
 * trimming, so alternating malloc/free at the boundary does not thrash. */
#define MALLOC_GROW_MIN	     (64u * 1024)
#define MALLOC_TRIM_KEEP     (64u * 1024)
#define MALLOC_TRIM_HYST     (64u * 1024)
#define MALLOC_TRIM_HYST_MAX (1024u * 1024)

/* Start a pool at the heap's current top. 0, or -ENOMEM. */
int heap_malloc_init(struct heap_malloc *m, struct sbrk_heap *h);
/* Put per-CPU small-object caches in front of m (see above), before any
 * other CPU uses it. 0, or -ENOMEM. */
int heap_malloc_enable_cache(struct heap_malloc *m);
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
	size_t cached;		  /* bytes in the front caches (in `free`) */
	unsigned long grows, trims; /* sbrk calls up and down */
};

/* One consistent snapshot of m, taken with IRQs off (as malloc changes the
 * pool): O(blocks of the pool), for leak checks, not for hot
 * paths. All zero before heap_malloc_init(). */
void heap_malloc_stats(struct heap_malloc *m, struct heap_malloc_stats *s);

/* Give the pool's free tail back to the PMM now, hysteresis band
 * included, and narrow the band again: for callers short of frames (a
 * program's allocation that would eat into the kernel's reserve). */
void heap_malloc_trim_all(struct heap_malloc *m);

/* The kernel's instance on kernel_sbrk, with C's names. */
extern struct heap_malloc kernel_malloc;
void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void *memalign(size_t align, size_t size);

#endif
