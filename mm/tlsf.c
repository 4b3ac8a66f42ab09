/*
 * TLSF engine: two-level segregated fit with boundary tags (see
 * mm/tlsf.h for the contract). Written for this kernel from the
 * algorithm described in the TLSF papers.
 *
 * A block, as laid out in memory (W = sizeof(size_t)):
 *
 *     b -> +------------------+  prev_phys: only meaningful while the
 *          | prev_phys        |  PREVIOUS block is free; otherwise these
 *          +------------------+  bytes are that block's user data
 *          | size | flags     |  the one word of per-block overhead
 *          +------------------+  <- payload (16-byte aligned)
 *          | next_free        |  free blocks only
 *          | prev_free        |
 *          | ...              |
 *   b+size +------------------+  next block's prev_phys (the last W bytes
 *                                of our payload while we are used)
 *
 * `size` is the block's footprint: the distance from b to the next block,
 * a multiple of 16, so every payload is 16-aligned when the first one is.
 * Usable bytes = size - W. The pool ends with a sentinel block of size 0,
 * always "used", so the last real block has a next neighbour to flag.
 *
 * Free blocks live in segregated lists indexed by (fl, sl): fl is the power
 * of two of the size (sizes below SMALL share fl 0), sl splits each power
 * of two into SL_COUNT equal ranges; below SMALL the classes are exact
 * (one per multiple of 16). fl_bitmap says which fl rows have a non-empty
 * list, sl_bitmap[fl] which lists of the row are non-empty, so finding a
 * list that satisfies a request is two find-first-set operations.
 *
 * Invariants (tlsf_check verifies them all):
 *  I1 blocks tile [first, sentinel) exactly; each size is a multiple of 16
 *     and >= BLOCK_MIN; the sentinel has size 0, is not free, and its size
 *     word lies inside the region (sentinel + 2W <= end).
 *  I2 a block's PREV_FREE bit equals its physical predecessor's FREE bit
 *     (the first block's is 0), and when set, prev_phys points at that
 *     predecessor.
 *  I3 no two free blocks are physical neighbours (free coalesces at once).
 *  I4 every free block is on exactly the list mapping(size) names, and
 *     nothing else is on any list; lists are doubly linked and NULL-ended.
 *  I5 sl_bitmap[fl] bit sl is set iff list (fl, sl) is non-empty; fl_bitmap
 *     bit fl is set iff sl_bitmap[fl] != 0.
 */
#include <lib/compiler.h>
#include <stdint.h>
#include <string.h>

#include "tlsf.h"

#define W	   sizeof(size_t)
#define ALIGN_LOG2 4
#define SL_LOG2	   5
#define SL_COUNT   (1u << SL_LOG2)
#define FL_SHIFT   (SL_LOG2 + ALIGN_LOG2)
#define SMALL	   ((size_t)1 << FL_SHIFT) /* 512: below it, exact classes */

#if SIZE_MAX > 0xffffffffu
/* fl 31 holds sizes in [2^39, 2^40): far beyond any pool we will see. */
#define FL_COUNT 32
#define POOL_MAX ((size_t)1 << 39)
#else
/* Every 32-bit size maps (fl <= 23); leave room for the search round-up. */
#define FL_COUNT 24
#define POOL_MAX ((size_t)0xf0000000u)
#endif

#define BLOCK_FREE	((size_t)1)
#define BLOCK_PREV_FREE ((size_t)2)
#define BLOCK_FLAGS	((size_t)15) /* bits 2-3 are always 0 */
/* size word + two list links + the next block's prev_phys */
#define BLOCK_MIN   ALIGN_UP(4 * W, (size_t)TLSF_ALIGN)
#define PAYLOAD_OFF (2 * W)

/* How many entries of the exact class a failed good-fit search looks at. */
#define FALLBACK_SCAN 8

struct block {
	struct block *prev_phys;
	size_t size;
	struct block *next_free;
	struct block *prev_free;
};

struct tlsf {
	uint32_t fl_bitmap;
	uint32_t sl_bitmap[FL_COUNT];
	struct block *heads[FL_COUNT][SL_COUNT];
	struct block *first;	/* first block of the pool */
	struct block *sentinel; /* size-0 block ending the pool */
	char *end;		/* end of the region handed to us */
};

/* ------------------------------------------------------------ helpers */

static inline unsigned fls_size(size_t x) /* x != 0 */
{
	return (unsigned)(sizeof(unsigned long) * 8 - 1) -
	       (unsigned)__builtin_clzl((unsigned long)x);
}

static inline unsigned ffs32(uint32_t x) /* x != 0 */
{
	return (unsigned)__builtin_ctz(x);
}

static inline size_t bsize(const struct block *b)
{
	return b->size & ~BLOCK_FLAGS;
}

static inline bool bfree(const struct block *b)
{
	return (b->size & BLOCK_FREE) != 0;
}

static inline bool bprev_free(const struct block *b)
{
	return (b->size & BLOCK_PREV_FREE) != 0;
}

static inline struct block *bnext(const struct block *b)
{
	return (struct block *)((char *)b + bsize(b));
}

static inline void *bpayload(const struct block *b)
{
	return (char *)b + PAYLOAD_OFF;
}

static inline struct block *bfrom(const void *p)
{
	return (struct block *)((char *)p - PAYLOAD_OFF);
}

/* Footprint for a request of n bytes; 0 if it can never fit. */
static inline size_t adjust(size_t n)
{
	if (n > POOL_MAX)
		return 0;
	size_t s = ALIGN_UP(n + W, (size_t)TLSF_ALIGN);
	return s < BLOCK_MIN ? BLOCK_MIN : s;
}

static inline void mapping(size_t size, unsigned *fl, unsigned *sl)
{
	if (size < SMALL) {
		*fl = 0;
		*sl = (unsigned)(size >> ALIGN_LOG2);
	} else {
		unsigned f = fls_size(size);
		*sl = (unsigned)(size >> (f - SL_LOG2)) & (SL_COUNT - 1);
		*fl = f - FL_SHIFT + 1;
	}
}

/* ------------------------------------------------------------ free lists */

static void list_insert(struct tlsf *t, struct block *b)
{
	unsigned fl, sl;

	mapping(bsize(b), &fl, &sl);
	struct block *head = t->heads[fl][sl];
	b->next_free = head;
	b->prev_free = NULL;
	if (head)
		head->prev_free = b;
	t->heads[fl][sl] = b;
	t->sl_bitmap[fl] |= 1u << sl;
	t->fl_bitmap |= 1u << fl;
}

static void list_remove(struct tlsf *t, struct block *b)
{
	unsigned fl, sl;
	struct block *n = b->next_free, *p = b->prev_free;

	if (n)
		n->prev_free = p;
	if (p) {
		p->next_free = n;
		return;
	}
	mapping(bsize(b), &fl, &sl);
	t->heads[fl][sl] = n;
	if (!n) {
		t->sl_bitmap[fl] &= ~(1u << sl);
		if (!t->sl_bitmap[fl])
			t->fl_bitmap &= ~(1u << fl);
	}
}

/*
 * Find and unlink a free block of at least `need` bytes. Good fit: round
 * the request up to the next class boundary so that ANY block of the
 * class found fits, then take the head. When that finds nothing, look at
 * the first few blocks of the request's own class, which may still hold
 * one that is large enough (this is what keeps a fragmented heap
 * refillable); the bounded scan keeps the worst case constant.
 */
static struct block *locate(struct tlsf *t, size_t need)
{
	unsigned fl, sl;
	size_t s = need;

	if (s >= SMALL)
		s += ((size_t)1 << (fls_size(s) - SL_LOG2)) - 1;
	mapping(s, &fl, &sl);
	if (fl < FL_COUNT) {
		uint32_t slmap = t->sl_bitmap[fl] & (~0u << sl);
		if (!slmap) {
			uint32_t flmap =
				fl + 1 < 32 ? t->fl_bitmap & (~0u << (fl + 1))
					    : 0;
			if (flmap) {
				fl = ffs32(flmap);
				slmap = t->sl_bitmap[fl];
			}
		}
		if (slmap) {
			struct block *b = t->heads[fl][ffs32(slmap)];
			list_remove(t, b);
			return b;
		}
	}
	if (need < SMALL)
		return NULL; /* exact classes: nothing was skipped */
	mapping(need, &fl, &sl);
	if (fl >= FL_COUNT)
		return NULL;
	struct block *b = t->heads[fl][sl];
	for (unsigned i = 0; b && i < FALLBACK_SCAN; i++, b = b->next_free) {
		if (bsize(b) >= need) {
			list_remove(t, b);
			return b;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------ block ops */

/* Mark b (not on a list) free and tell its successor. */
static inline void mark_free(struct block *b)
{
	struct block *n = bnext(b);

	b->size |= BLOCK_FREE;
	n->prev_phys = b;
	n->size |= BLOCK_PREV_FREE;
}

static inline void mark_used(struct block *b)
{
	b->size &= ~BLOCK_FREE;
	bnext(b)->size &= ~BLOCK_PREV_FREE;
}

/* Merge free b (off the lists) with free neighbours; returns the result,
 * off the lists and not yet marked free. */
static struct block *coalesce(struct tlsf *t, struct block *b)
{
	if (bprev_free(b)) {
		struct block *p = b->prev_phys;
		list_remove(t, p);
		p->size += bsize(b);
		b = p;
	}
	struct block *n = bnext(b);
	if (bfree(n)) {
		list_remove(t, n);
		b->size += bsize(n);
	}
	return b;
}

/*
 * b is off the lists (free or used, its flags in place): make it used,
 * exactly `need` bytes if the rest can form a block; the rest is freed,
 * coalesced with a free successor and listed.
 */
static void *use_block(struct tlsf *t, struct block *b, size_t need)
{
	size_t have = bsize(b);

	if (have - need >= BLOCK_MIN) {
		struct block *r = (struct block *)((char *)b + need);
		r->size = have - need; /* prev (b) is used */
		b->size = need | (b->size & BLOCK_PREV_FREE);
		struct block *n = bnext(r);
		if (bfree(n)) {
			list_remove(t, n);
			r->size += bsize(n);
		}
		mark_free(r);
		list_insert(t, r);
	} else {
		mark_used(b);
	}
	return bpayload(b);
}

/*
 * Carve up to n used blocks of `need` bytes each from b (off the lists,
 * at least `need` bytes): consecutive, in address order into out[]; the
 * rest as use_block() leaves it. Returns how many.
 */
static unsigned carve(struct tlsf *t, struct block *b, size_t need, void **out,
		      unsigned n)
{
	size_t have = bsize(b);
	unsigned got = have / need < n ? (unsigned)(have / need) : n;

	for (unsigned i = 0; i + 1 < got; i++) {
		/* b becomes used (its PREV_FREE bit kept); the rest, a used
		 * block whose predecessor is used, is carved next. */
		b->size = need | (b->size & BLOCK_PREV_FREE);
		out[i] = bpayload(b);
		have -= need;
		b = bnext(b);
		b->size = have;
	}
	out[got - 1] = use_block(t, b, need);
	return got;
}

/* ------------------------------------------------------------ API */

size_t tlsf_control_size(void)
{
	return sizeof(struct tlsf);
}

/* Sentinel position for a region ending at `end`: 16-congruent with the
 * first block, its two words inside the region. */
static inline struct block *sentinel_for(const struct tlsf *t, uintptr_t end)
{
	uintptr_t first = (uintptr_t)t->first;

	return (struct block *)(first + ALIGN_DOWN(end - 2 * W - first,
						   (uintptr_t)TLSF_ALIGN));
}

struct tlsf *tlsf_create(void *mem, size_t size)
{
	uintptr_t m = (uintptr_t)mem;

	if (!mem || !IS_ALIGNED(m, sizeof(void *)) || m + size < m)
		return NULL;
	uintptr_t first = ALIGN_UP(m + sizeof(struct tlsf) + PAYLOAD_OFF,
				   (uintptr_t)TLSF_ALIGN) -
			  PAYLOAD_OFF;
	uintptr_t end = m + size;
	if (end < first + 2 * W + BLOCK_MIN)
		return NULL;

	struct tlsf *t = mem;
	memset(t, 0, sizeof(*t));
	t->first = (struct block *)first;
	t->end = (char *)end;
	t->sentinel = sentinel_for(t, end);
	size_t pool = (size_t)((char *)t->sentinel - (char *)t->first);
	if (pool < BLOCK_MIN || pool > POOL_MAX)
		return NULL;
	t->first->size = pool;
	t->sentinel->size = 0;
	mark_free(t->first);
	list_insert(t, t->first);
	return t;
}

void *tlsf_malloc(struct tlsf *t, size_t size)
{
	size_t need = adjust(size);
	if (!need)
		return NULL;
	struct block *b = locate(t, need);
	if (!b)
		return NULL;
	return use_block(t, b, need);
}

unsigned tlsf_malloc_run(struct tlsf *t, size_t size, void **out, unsigned n)
{
	size_t need = adjust(size);
	if (!need || !n)
		return 0;
	/* The block tlsf_malloc would take (good fit: holes first), as many
	 * objects as it holds, until n: from the large free block at the end
	 * of a burst that is one search and one split for the whole run. */
	unsigned got = 0;
	while (got < n) {
		struct block *b = locate(t, need);
		if (!b)
			break;
		got += carve(t, b, need, out + got, n - got);
	}
	return got;
}

void *tlsf_memalign(struct tlsf *t, size_t align, size_t size)
{
	if (!align || (align & (align - 1)))
		return NULL;
	if (align <= TLSF_ALIGN)
		return tlsf_malloc(t, size);
	size_t need = adjust(size);
	if (!need || align > POOL_MAX || need > POOL_MAX - align)
		return NULL;
	/* The aligned payload may start up to align + BLOCK_MIN into the free
	 * block: a front gap is split off as a free block of its own, so it
	 * must be 0 or at least BLOCK_MIN. */
	struct block *b = locate(t, need + align + BLOCK_MIN);
	if (!b)
		return NULL;
	uintptr_t p = (uintptr_t)bpayload(b);
	size_t gap = ALIGN_UP(p, align) - p;
	if (gap && gap < BLOCK_MIN)
		gap += align;
	if (gap) {
		struct block *nb = (struct block *)((char *)b + gap);
		nb->size = (bsize(b) - gap) | BLOCK_FREE; /* not listed yet */
		b->size = gap | (b->size & BLOCK_PREV_FREE);
		mark_free(b);
		list_insert(t, b);
		b = nb;
	}
	return use_block(t, b, need);
}

bool tlsf_owns(const struct tlsf *t, const void *p)
{
	return (const char *)p >= (const char *)t->first &&
	       (const char *)p < (const char *)t->sentinel;
}

/*
 * tlsf_ptr_check() but for the previous block: range, alignment, p's own
 * header (flags, size, not free), the next block's size word. Safe without
 * the caller's lock while p is live: a neighbour's free changes only p's
 * PREV_FREE bit, and the next block's header is one word read whole.
 * tlsf_ptr_check() adds the previous block, which another CPU may be
 * changing under the lock.
 */
int tlsf_ptr_check_own(const struct tlsf *t, const void *p)
{
	const char *first = bpayload(t->first);
	const char *sentinel = (const char *)t->sentinel;

	if ((const char *)p < first || (const char *)p >= sentinel)
		return TLSF_E_RANGE;
	if (!IS_ALIGNED((uintptr_t)p, (uintptr_t)TLSF_ALIGN))
		return TLSF_E_ALIGN;
	const struct block *b = bfrom(p);
	size_t size = __atomic_load_n(&b->size, __ATOMIC_RELAXED);
	size_t s = size & ~BLOCK_FLAGS;
	if ((size & (BLOCK_FLAGS & ~(BLOCK_FREE | BLOCK_PREV_FREE))) ||
	    s < BLOCK_MIN || s > (size_t)(sentinel - (const char *)b))
		return TLSF_E_HEADER;
	if (size & BLOCK_FREE)
		return TLSF_E_FREE;
	/* The next block starts where p's size says (stable while p is
	 * live) and must know p is used: an interior pointer whose "header"
	 * is user data rarely passes this. */
	const struct block *n = (const struct block *)((const char *)b + s);
	size_t nsize = __atomic_load_n(&n->size, __ATOMIC_RELAXED);
	if (nsize & BLOCK_PREV_FREE)
		return TLSF_E_HEADER;
	if (n != t->sentinel &&
	    ((nsize & ~BLOCK_FLAGS) < BLOCK_MIN ||
	     (nsize & ~BLOCK_FLAGS) > (size_t)(sentinel - (const char *)n)))
		return TLSF_E_HEADER;
	return TLSF_OK;
}

/* The previous-block half of tlsf_ptr_check(): when b says its
 * predecessor is free, prev_phys must lead to a free block ending at b. */
static int check_prev(const struct tlsf *t, const struct block *b)
{
	if (bprev_free(b)) {
		const struct block *pb = b->prev_phys;
		if ((const char *)pb < (const char *)t->first || pb >= b ||
		    !bfree(pb) || bnext(pb) != b)
			return TLSF_E_HEADER;
	}
	return TLSF_OK;
}

int tlsf_ptr_check(const struct tlsf *t, const void *p)
{
	int err = tlsf_ptr_check_own(t, p);
	if (err)
		return err;
	return check_prev(t, bfrom(p));
}

/* Free a block tlsf_ptr_check() has accepted. */
static void free_valid(struct tlsf *t, void *p)
{
	struct block *b = coalesce(t, bfrom(p));
	mark_free(b);
	list_insert(t, b);
}

int tlsf_free(struct tlsf *t, void *p)
{
	if (!p)
		return TLSF_OK;
	int err = tlsf_ptr_check(t, p);
	if (err)
		return err;
	free_valid(t, p);
	return TLSF_OK;
}

void *tlsf_realloc(struct tlsf *t, void *p, size_t size)
{
	if (!p)
		return tlsf_malloc(t, size);
	if (tlsf_ptr_check(t, p))
		return NULL;
	return tlsf_realloc_valid(t, p, size);
}

void *tlsf_realloc_valid(struct tlsf *t, void *p, size_t size)
{
	int err;
	return tlsf_realloc_own(t, p, size, &err);
}

void *tlsf_realloc_own(struct tlsf *t, void *p, size_t size, int *err)
{
	*err = TLSF_OK;
	size_t need = adjust(size);
	if (!need)
		return NULL;
	struct block *b = bfrom(p);
	size_t have = bsize(b);
	if (need <= have)
		return use_block(t, b, need);
	struct block *n = bnext(b);
	if (bfree(n) && have + bsize(n) >= need) {
		list_remove(t, n);
		b->size += bsize(n);
		return use_block(t, b, need);
	}
	/* Only the move frees p, coalescing with its predecessor: the rest
	 * of the pointer check, before anything changes. */
	*err = check_prev(t, b);
	if (*err)
		return NULL;
	void *q = tlsf_malloc(t, size);
	if (!q)
		return NULL;
	memcpy(q, p, have - W);
	free_valid(t, p);
	return q;
}

size_t tlsf_block_size(const void *p)
{
	return bsize(bfrom(p)) - W;
}

void *tlsf_end(const struct tlsf *t)
{
	return t->end;
}

int tlsf_extend(struct tlsf *t, size_t bytes)
{
	uintptr_t end = (uintptr_t)t->end + bytes;

	if (end < (uintptr_t)t->end)
		return -1;
	struct block *s = t->sentinel, *ns = sentinel_for(t, end);
	if ((size_t)((char *)ns - (char *)t->first) > POOL_MAX)
		return -1;
	t->end = (char *)end;
	size_t grow = (size_t)((char *)ns - (char *)s);
	/* Too little to form a block of its own: wait for more. */
	if (!grow || (!bprev_free(s) && grow < BLOCK_MIN))
		return 0;
	struct block *b = s;
	b->size = grow | (s->size & BLOCK_PREV_FREE);
	ns->size = 0;
	t->sentinel = ns;
	b = coalesce(t, b);
	mark_free(b);
	list_insert(t, b);
	return 0;
}

size_t tlsf_grow_size(size_t size, size_t align)
{
	size_t need = adjust(size);

	if (!need || (align & (align - 1)) || align > POOL_MAX ||
	    need > POOL_MAX - align)
		return 0;
	if (align > TLSF_ALIGN)
		need += align + BLOCK_MIN;
	/* the new block starts at the old sentinel; the new sentinel's two
	 * words and its 16-byte rounding come on top */
	return need + 2 * W + TLSF_ALIGN;
}

size_t tlsf_tail_free(const struct tlsf *t)
{
	const struct block *s = t->sentinel;
	return bprev_free(s) ? bsize(s->prev_phys) : 0;
}

size_t tlsf_trim(struct tlsf *t, size_t keep_min)
{
	struct block *s = t->sentinel;

	if (!bprev_free(s))
		return 0;
	struct block *last = s->prev_phys;
	size_t keep = 0;
	if (keep_min) {
		keep = ALIGN_UP(keep_min, (size_t)TLSF_ALIGN);
		keep = keep < BLOCK_MIN ? BLOCK_MIN : keep;
	}
	uintptr_t lowest = (uintptr_t)last + keep + 2 * W;
	uintptr_t end = (uintptr_t)t->end;
	if (end < lowest)
		return 0;
	size_t pages = (end - lowest) / TLSF_PAGE_SIZE;
	struct block *ns = NULL;
	size_t rest = 0;
	for (; pages; pages--) {
		ns = sentinel_for(t, end - pages * TLSF_PAGE_SIZE);
		rest = (size_t)((char *)ns - (char *)last);
		if (rest == 0 || rest >= BLOCK_MIN)
			break;
	}
	if (!pages)
		return 0;
	list_remove(t, last);
	if (rest) {
		last->size = rest; /* its predecessor is used (I3) */
		ns->size = 0;
		mark_free(last);
		list_insert(t, last);
	} else {
		ns->size = 0; /* ns == last: the sentinel takes its place */
	}
	t->sentinel = ns;
	t->end = (char *)(end - pages * TLSF_PAGE_SIZE);
	return pages * TLSF_PAGE_SIZE;
}

void tlsf_walk(struct tlsf *t, tlsf_walker fn, void *ctx)
{
	for (struct block *b = t->first; b != t->sentinel; b = bnext(b))
		fn(bpayload(b), bsize(b) - W, !bfree(b), ctx);
}

int tlsf_check(const struct tlsf *t)
{
	const struct block *b, *prev = NULL;
	size_t nfree = 0, listed = 0;

	/* I1, I2, I3: the physical walk. */
	if ((const char *)t->sentinel < (const char *)t->first ||
	    (const char *)t->sentinel + 2 * W > t->end)
		return TLSF_E_SENTINEL;
	for (b = t->first; b != t->sentinel; prev = b, b = bnext(b)) {
		size_t s = bsize(b);
		if ((b->size &
		     (BLOCK_FLAGS & ~(BLOCK_FREE | BLOCK_PREV_FREE))) ||
		    s < BLOCK_MIN)
			return TLSF_E_SIZE;
		if (s > (size_t)((const char *)t->sentinel - (const char *)b))
			return TLSF_E_TILE;
		if (bprev_free(b) != (prev && bfree(prev)))
			return TLSF_E_PREV;
		if (bprev_free(b) && b->prev_phys != prev)
			return TLSF_E_PREV;
		if (bfree(b) && prev && bfree(prev))
			return TLSF_E_MERGE;
		nfree += bfree(b);
	}
	if (bsize(b) != 0 || bfree(b) ||
	    (b->size & ~(BLOCK_FREE | BLOCK_PREV_FREE)))
		return TLSF_E_SENTINEL;
	if (bprev_free(b) != (prev && bfree(prev)) ||
	    (bprev_free(b) && b->prev_phys != prev))
		return TLSF_E_PREV;

	/* I4, I5: the lists and bitmaps. */
	for (unsigned fl = 0; fl < 32; fl++) {
		uint32_t slmap = fl < FL_COUNT ? t->sl_bitmap[fl] : 0;
		if (!!(t->fl_bitmap & (1u << fl)) != !!slmap)
			return TLSF_E_BITMAP;
		if (fl >= FL_COUNT)
			continue;
		for (unsigned sl = 0; sl < SL_COUNT; sl++) {
			const struct block *h = t->heads[fl][sl];
			if (!!(slmap & (1u << sl)) != !!h)
				return TLSF_E_BITMAP;
			const struct block *pf = NULL;
			for (b = h; b; pf = b, b = b->next_free) {
				unsigned f, s;
				if (++listed > nfree)
					return TLSF_E_COUNT;
				if ((const char *)b < (const char *)t->first ||
				    b >= t->sentinel ||
				    !IS_ALIGNED((uintptr_t)bpayload(b),
						(uintptr_t)TLSF_ALIGN))
					return TLSF_E_LIST;
				if (!bfree(b) || b->prev_free != pf)
					return TLSF_E_LIST;
				if (bsize(b) < BLOCK_MIN ||
				    bsize(b) >
					    (size_t)((const char *)t->sentinel -
						     (const char *)b))
					return TLSF_E_LIST;
				/* a real block start: its successor points back
				 */
				const struct block *n = bnext(b);
				if (!bprev_free(n) || n->prev_phys != b)
					return TLSF_E_LIST;
				mapping(bsize(b), &f, &s);
				if (f != fl || s != sl)
					return TLSF_E_LIST;
			}
		}
	}
	if (listed != nfree)
		return TLSF_E_COUNT;
	return TLSF_OK;
}

void tlsf_stats(const struct tlsf *t, struct tlsf_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->pool_bytes = (size_t)((char *)t->sentinel - (char *)t->first);
	for (const struct block *b = t->first; b != t->sentinel; b = bnext(b)) {
		size_t s = bsize(b);
		if (bfree(b)) {
			st->free_bytes += s;
			st->free_blocks++;
			if (s - W > st->largest_free)
				st->largest_free = s - W;
		} else {
			st->used_bytes += s;
			st->used_blocks++;
		}
	}
}

const char *tlsf_strerror(int err)
{
	switch (err) {
	case TLSF_OK: return "ok";
	case TLSF_E_RANGE: return "pointer outside the heap";
	case TLSF_E_ALIGN: return "misaligned pointer";
	case TLSF_E_HEADER: return "not an allocated block (bad header)";
	case TLSF_E_FREE: return "block already free (double free)";
	case TLSF_E_SIZE: return "bad block size";
	case TLSF_E_TILE: return "blocks overrun the pool";
	case TLSF_E_PREV: return "prev-free bit or link wrong";
	case TLSF_E_MERGE: return "free neighbours not coalesced";
	case TLSF_E_LIST: return "free list damaged";
	case TLSF_E_BITMAP: return "bitmap disagrees with free lists";
	case TLSF_E_COUNT: return "free lists and pool disagree";
	case TLSF_E_SENTINEL: return "pool end sentinel damaged";
	default: return "unknown error";
	}
}
