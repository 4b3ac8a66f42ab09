/*
 * The kernel heap: kmalloc and friends over the fixed, identity-mapped
 * kernel heap region (CONFIG_KHEAP_SIZE), on mm/'s TLSF engine (mm/tlsf.c):
 * constant-time allocation and free, 16-byte alignment, one size_t of
 * overhead per object.
 *
 * Every operation may run in any context, IRQ handlers included (it takes
 * mm's allocator lock, IRQs off: mm/mm_lock.h); none sleeps. Failures never
 * corrupt the heap: exhaustion returns NULL (counted in `failed`); a bad
 * pointer handed to kfree/krealloc is reported through kheap_report() and
 * refused.
 *
 * Size 0: kmalloc(0) returns a unique minimal allocation (NULL only when
 * the heap is exhausted), to be kfree()d like any other; krealloc(p, 0)
 * shrinks p to that minimum and does NOT free it. So NULL always means
 * failure.
 *
 * Debug heaps (CONFIG_KHEAP_DEBUG for the kernel heap; any instance can be
 * created with KHEAP_F_DEBUG; mm/kheap_debug.c): every object gets an 80-byte
 * front (header with the allocation site + red zone) and a back red zone of at
 * least 16 bytes; new memory is filled with 0xa5, freed memory poisoned with
 * 0x6b and held in a FIFO quarantine of KHEAP_QUARANTINE objects. Detected,
 * reported with the allocation site and refused: double free (while the
 * object is in quarantine: with the site of the first free too), foreign
 * or interior pointers, red-zone damage (overflow/underflow, checked on
 * kfree, krealloc and kheap_check), writes to freed memory (poison checked
 * when the object leaves quarantine to be reused, and by kheap_check).
 * With CONFIG_KHEAP_DEBUG the k* calls are macros recording __FILE__ and
 * __LINE__; through the plain functions the site is the return address.
 *
 * Without debug, kfree still catches cheaply (O(1)): pointers outside the
 * heap, misaligned ones, ones without a sane block header, and double
 * frees of blocks not yet reused.
 *
 * Heaps created with KHEAP_F_CACHE (the kernel heap) serve requests of up
 * to 512 bytes (alignment <= 16) from per-CPU front caches without the
 * lock (mm/objcache.h: owner rule, bounds, drain under pressure). A cached
 * object is a used TLSF block, but the statistics count it as free
 * (`cached` says how much), so `used` is the bytes of live objects.
 */
#ifndef MM_KHEAP_H
#define MM_KHEAP_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tlsf;
struct objcache;

#define KHEAP_QUARANTINE 32

struct kheap_stats {
	size_t total;	     /* bytes of the pool */
	size_t used;	     /* bytes in live blocks, overhead included */
	size_t free;	     /* bytes in free blocks */
	size_t largest_free; /* largest free block, usable bytes */
	size_t free_blocks;
	unsigned long allocs; /* objects handed out */
	unsigned long frees;  /* objects given back */
	unsigned long failed; /* requests that got NULL */
	unsigned long errors; /* bad pointers and damage reported */
	unsigned quarantined; /* debug: freed objects not yet reusable */
	size_t cached;	      /* bytes in the front caches (in `free`) */
	size_t cached_objects;
	unsigned long cache_drains; /* caches emptied (pressure, request) */
};

/* One heap. The kernel heap is one of these; tests build their own. */
struct kheap {
	struct tlsf *tlsf;
	struct objcache *cache; /* KHEAP_F_CACHE: in the pool itself */
	bool debug;
	unsigned long allocs, frees, failed, errors;
	unsigned q_head, q_count;
	void *quarantine[KHEAP_QUARANTINE];
};

#define KHEAP_F_DEBUG 1u
#define KHEAP_F_CACHE 2u /* per-CPU small-object caches (not with debug) */

/*
 * Allocation sites: `file` and `line` as __FILE__/__LINE__, or file NULL and
 * `line` a return address (reported as such).
 */
#define KHEAP_SITE __FILE__, (uintptr_t)__LINE__

/* ------------------------------------------------------- the kernel heap */

/* Set up the kernel heap over [base, base+size) (identity mapped). Debug
 * when CONFIG_KHEAP_DEBUG. Returns 0 or -EINVAL (region unusable). */
int kheap_init(void *base, size_t size);

/* True once kheap_init succeeded. */
bool kheap_ready(void);

/* The kernel heap instance, for tests and diagnostics. */
struct kheap *kheap_kernel(void);

void *kmalloc(size_t size);
void kfree(void *p);
/* n * size bytes, zeroed; NULL (counted failed) if the product overflows. */
void *kcalloc(size_t n, size_t size);
void *krealloc(void *p, size_t size);
/* align: a power of two (any; <= 16 gives the default 16). */
void *kmalloc_aligned(size_t size, size_t align);
/* Bytes usable at p (debug: exactly the size asked for); 0 if p is bad. */
size_t kmalloc_usable_size(const void *p);
void kheap_stats(struct kheap_stats *s);
/* Would `bytes` more still leave CONFIG_KHEAP_RESERVE_KB of the kernel heap
 * free? Asked before allocating on behalf of a program (its processes and
 * bookkeeping), so the kernel's own allocations always find room. O(heap):
 * for starting programs and threads, not for hot paths. */
bool kheap_can_spare(size_t bytes);
/* Check every invariant (and in debug every red zone and poisoned object);
 * 0 or a negative code, the problem reported. O(heap). */
int kheap_check(void);

void *kmalloc_at(size_t size, const char *file, int line);
void kfree_at(void *p, const char *file, int line);
void *kcalloc_at(size_t n, size_t size, const char *file, int line);
void *krealloc_at(void *p, size_t size, const char *file, int line);
void *kmalloc_aligned_at(size_t size, size_t align, const char *file, int line);

#ifdef CONFIG_KHEAP_DEBUG
#define kmalloc(size)	  kmalloc_at((size), __FILE__, __LINE__)
#define kfree(p)	  kfree_at((p), __FILE__, __LINE__)
#define kcalloc(n, size)  kcalloc_at((n), (size), __FILE__, __LINE__)
#define krealloc(p, size) krealloc_at((p), (size), __FILE__, __LINE__)
#define kmalloc_aligned(size, align)                                           \
	kmalloc_aligned_at((size), (align), __FILE__, __LINE__)
#endif

/* ------------------------------------------------------- any instance */

/* Create a heap over [base, base+size); flags: KHEAP_F_DEBUG,
 * KHEAP_F_CACHE. 0 or -EINVAL. */
int kheap_create(struct kheap *h, void *base, size_t size, unsigned flags);
void *kheap_alloc(struct kheap *h, size_t size, size_t align, const char *file,
		  uintptr_t line);
void *kheap_calloc(struct kheap *h, size_t n, size_t size, const char *file,
		   uintptr_t line);
void *kheap_realloc(struct kheap *h, void *p, size_t size, const char *file,
		    uintptr_t line);
/* 0, or -EINVAL for a pointer refused (reported). NULL is fine. */
int kheap_free(struct kheap *h, void *p, const char *file, uintptr_t line);
size_t kheap_usable_size(struct kheap *h, const void *p);
void kheap_get_stats(struct kheap *h, struct kheap_stats *s);
int kheap_verify(struct kheap *h);
/* Debug: check and release every quarantined object now. */
void kheap_flush_quarantine(struct kheap *h);
/* Return this CPU's cached objects to the pool now and ask the other CPUs
 * to do the same at their next small allocation (what memory pressure does). */
void kheap_cache_drain(struct kheap *h);

/* ------------------------------------------------------- reports */

/*
 * Every problem the heap detects is formatted (one line, no newline) and
 * passed to the report sink: by default printk in the kernel, nothing on
 * the host. kheap_set_report_sink() installs another (NULL: the default)
 * and returns the previous one; tests capture reports with it.
 */
typedef void (*kheap_report_fn)(const char *msg);
kheap_report_fn kheap_set_report_sink(kheap_report_fn fn);
void kheap_report(const char *fmt, ...) PRINTF_LIKE(1, 2);

#endif
