/*
 * TLSF: a two-level segregated-fit allocator over one contiguous pool
 * (Masmano, Ripoll, Crespo, Real: "TLSF: a new dynamic memory allocator for
 * real-time systems", ECRTS 2004). malloc, free and memalign take constant
 * time whatever the pool holds; realloc too, apart from the copy.
 *
 * The engine is generic and arch-neutral: the kernel heap (mm/kheap.c) and
 * the sbrk-backed malloc (mm/malloc.c) both run on it, and it is private to
 * mm/: the rest of the kernel sees their APIs. It does no locking; callers
 * serialise. Every returned pointer is TLSF_ALIGN (16) byte aligned on 32-
 * and 64-bit; the per-block overhead is one size_t (4 or 8 bytes).
 *
 * The control object sits at the start of the memory handed to
 * tlsf_create(); the pool follows it. The pool may grow and shrink at its
 * END (tlsf_extend/tlsf_trim) for an sbrk-backed heap.
 */
#ifndef MM_TLSF_H
#define MM_TLSF_H

#include <stdbool.h>
#include <stddef.h>

#define TLSF_ALIGN     16
#define TLSF_PAGE_SIZE 4096

struct tlsf;

/*
 * Error codes: tlsf_free() and tlsf_ptr_check() return the first group for
 * a pointer that is not a live allocation of this pool, tlsf_check() the
 * second for a damaged pool. tlsf_strerror() names them.
 */
enum tlsf_err {
	TLSF_OK = 0,
	TLSF_E_RANGE = -1,  /* pointer outside the pool */
	TLSF_E_ALIGN = -2,  /* pointer not TLSF_ALIGN aligned */
	TLSF_E_HEADER = -3, /* no sane block header there */
	TLSF_E_FREE = -4,   /* the block is already free: double free */
	TLSF_E_SIZE = -10,  /* block size not a multiple of 16 / too small */
	TLSF_E_TILE = -11,  /* blocks do not tile the pool up to the sentinel */
	TLSF_E_PREV = -12,  /* PREV_FREE bit or prev_phys link wrong */
	TLSF_E_MERGE = -13, /* two free physical neighbours not coalesced */
	TLSF_E_LIST = -14,  /* free-list link, class or membership wrong */
	TLSF_E_BITMAP = -15, /* bitmap bit disagrees with its list */
	TLSF_E_COUNT = -16,  /* free lists and the pool hold different blocks */
	TLSF_E_SENTINEL = -17, /* end-of-pool sentinel damaged */
};

struct tlsf_stats {
	size_t pool_bytes;   /* from the first block to the sentinel */
	size_t used_bytes;   /* footprint of used blocks, headers included */
	size_t free_bytes;   /* footprint of free blocks */
	size_t largest_free; /* usable bytes of the largest free block */
	size_t free_blocks;
	size_t used_blocks;
};

/* Walker: `ptr` is the payload, `size` its usable bytes. */
typedef void (*tlsf_walker)(void *ptr, size_t size, bool used, void *ctx);

/*
 * Create an allocator over [mem, mem + size). mem must be aligned to a
 * pointer; returns the control object (== mem) or NULL if mem is NULL or
 * misaligned, or the region cannot hold the control object plus one
 * minimal block.
 */
struct tlsf *tlsf_create(void *mem, size_t size);

/* Bytes of the control object (what create takes from the region). */
size_t tlsf_control_size(void);

/*
 * Allocate `size` bytes, 16-byte aligned. size 0 gives a minimal unique
 * block. NULL when no free block is large enough.
 */
void *tlsf_malloc(struct tlsf *t, size_t size);

/*
 * n tlsf_malloc(size) calls in one: up to n blocks into out[], each free
 * block found (the one tlsf_malloc would take) cut into as many as it
 * holds, consecutive and in address order. Returns how many (fewer only
 * when the pool runs out; 0 when tlsf_malloc(size) would fail). The
 * small-object caches refill with it.
 */
unsigned tlsf_malloc_run(struct tlsf *t, size_t size, void **out, unsigned n);

/*
 * Allocate `size` bytes aligned to `align`, a power of two (any value up to
 * the pool size). NULL for a bad align or when nothing fits.
 */
void *tlsf_memalign(struct tlsf *t, size_t align, size_t size);

/*
 * Free `p` (NULL is allowed and ignored). Cheap O(1) checks refuse a
 * pointer that is not a live block of this pool: returns TLSF_OK or a
 * negative tlsf_err and then changes nothing.
 */
int tlsf_free(struct tlsf *t, void *p);

/*
 * Resize: grows in place into a free next neighbour when it can, shrinks in
 * place, else allocates, copies and frees. p NULL acts as malloc. On failure
 * (no memory or a bad p) returns NULL and leaves p untouched.
 */
void *tlsf_realloc(struct tlsf *t, void *p, size_t size);

/* The O(1) validity test tlsf_free applies: TLSF_OK or a negative code. */
int tlsf_ptr_check(const struct tlsf *t, const void *p);

/*
 * tlsf_realloc() for a p that tlsf_ptr_check() has just accepted: the
 * pointer is validated once per call, by the caller, and never again here
 * (not even on the move path's free).
 */
void *tlsf_realloc_valid(struct tlsf *t, void *p, size_t size);

/*
 * tlsf_realloc_valid() for a p that only tlsf_ptr_check_own() has
 * accepted: the previous block, which only the move path's free uses, is
 * checked on that path, before anything changes. NULL with *err a
 * tlsf_err if that check refuses p (p untouched), NULL with *err TLSF_OK
 * when there is no room. In place, no header but p's and its successor's
 * is read.
 */
void *tlsf_realloc_own(struct tlsf *t, void *p, size_t size, int *err);

/*
 * The checks of tlsf_ptr_check() that read p's own header and the next
 * block's size word (range, alignment, header, double free), not the
 * previous block: what the front caches (mm/objcache.h) apply on their
 * lock-free paths; tlsf_ptr_check() is this plus the previous block.
 */
int tlsf_ptr_check_own(const struct tlsf *t, const void *p);

/* Usable bytes of a live block (>= what was requested). */
size_t tlsf_block_size(const void *p);

/* True if p lies inside the pool (not necessarily a block start). */
bool tlsf_owns(const struct tlsf *t, const void *p);

/* One past the last byte of the region the pool currently covers. */
void *tlsf_end(const struct tlsf *t);

/*
 * The `bytes` right after tlsf_end() have become usable: take them into the
 * pool (merged with a free last block, or as a new free block). Returns 0,
 * or -1 if the pool would exceed the largest size the engine maps.
 */
int tlsf_extend(struct tlsf *t, size_t bytes);

/*
 * How much tlsf_extend() must add so that tlsf_malloc (align <= 16) or
 * tlsf_memalign of `size` then succeeds, whatever the pool holds; 0 if no
 * pool could ever satisfy it. Round up to pages as sbrk needs.
 */
size_t tlsf_grow_size(size_t size, size_t align);

/*
 * If the last block is free, give back whole pages (TLSF_PAGE_SIZE) from the
 * end of the pool, keeping at least `keep_min` bytes of it free. Returns the
 * number of bytes released (a multiple of TLSF_PAGE_SIZE, maybe 0); the
 * region now ends that much earlier (tlsf_end()).
 */
size_t tlsf_trim(struct tlsf *t, size_t keep_min);

/* Bytes of the last block if it is free (what tlsf_trim() could give
 * back, headers included), else 0. O(1). */
size_t tlsf_tail_free(const struct tlsf *t);

/* Visit every block in address order. */
void tlsf_walk(struct tlsf *t, tlsf_walker fn, void *ctx);

/*
 * Verify every invariant listed in tlsf.c (O(blocks)). Returns TLSF_OK or
 * the first violation found.
 */
int tlsf_check(const struct tlsf *t);

/* Pool statistics (O(blocks)). */
void tlsf_stats(const struct tlsf *t, struct tlsf_stats *s);

/* Short text for a tlsf_err value. */
const char *tlsf_strerror(int err);

#endif
