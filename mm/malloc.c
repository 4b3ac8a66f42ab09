/*
 * malloc on the sbrk heap (see <mm/malloc.h>).
 *
 * Invariant: tlsf_end(tlsf) == sbrk->brk whenever the pool grows or
 * shrinks; anything else moving the heap top in between is detected and
 * refused rather than merged into the pool.
 */
#include <arch/irq.h>
#include <lib/compiler.h>
#include <lib/err.h>
#include <mm/malloc.h>
#include <mm/sbrk.h>
#include <string.h>

#include "malloc_tcache.h"
#include "mm_lock.h"
#include "objcache.h"
#include "tlsf.h"

struct heap_malloc kernel_malloc;

static void tc_flush(struct heap_malloc *m);

int heap_malloc_init(struct heap_malloc *m, struct sbrk_heap *h)
{
	int err;

	memset(m, 0, sizeof(*m));
	m->sbrk = h;
	m->last_error = "no error";
	m->trim_band = MALLOC_TRIM_HYST;
	void *base = sbrk_heap_move(h, MALLOC_GROW_MIN, &err);
	if (base == (void *)-1)
		return err;
	m->tlsf = tlsf_create(base, MALLOC_GROW_MIN);
	if (!m->tlsf) {
		sbrk_heap_move(h, -(intptr_t)MALLOC_GROW_MIN, NULL);
		return -ENOMEM;
	}
	return 0;
}

int heap_malloc_enable_cache(struct heap_malloc *m)
{
	if (m->cache)
		return 0;
	mm_lock_t s = mm_lock();
	tc_flush(m); /* the front caches take over small requests */
	m->cache = tlsf_memalign(m->tlsf, _Alignof(struct objcache),
				 sizeof(*m->cache));
	if (m->cache)
		memset(m->cache, 0, sizeof(*m->cache));
	mm_unlock(s);
	return m->cache ? 0 : -ENOMEM;
}

/* Grow the pool so that a request of `size` (alignment `align`) fits. */
static bool grow(struct heap_malloc *m, size_t size, size_t align)
{
	if ((uintptr_t)tlsf_end(m->tlsf) != m->sbrk->brk) {
		m->last_error = "the sbrk heap was moved outside malloc";
		return false;
	}
	/* Exactly what the pool must gain for this request to fit. */
	size_t need = tlsf_grow_size(size, align);
	if (need == 0 || need < size) {
		m->last_error = "request too large";
		return false;
	}
	need = MAX(ALIGN_UP(need, 4096), MALLOC_GROW_MIN);
	if (need > (size_t)INTPTR_MAX) {
		m->last_error = "request too large";
		return false;
	}
	int err;
	if (sbrk_heap_move(m->sbrk, (intptr_t)need, &err) == (void *)-1) {
		m->last_error = m->sbrk->last_error;
		return false;
	}
	if (tlsf_extend(m->tlsf, need) < 0) {
		sbrk_heap_move(m->sbrk, -(intptr_t)need, NULL);
		m->last_error = "pool size limit reached";
		return false;
	}
	m->grows++;
	if (m->trimmed_last && m->trim_band < MALLOC_TRIM_HYST_MAX)
		m->trim_band *= 2; /* grown right after a trim: widen */
	m->trimmed_last = false;
	return true;
}

/* The part of trim() that gives pages back, out of the free path's line. */
static __attribute__((noinline)) void trim_tail(struct heap_malloc *m)
{
	if ((uintptr_t)tlsf_end(m->tlsf) != m->sbrk->brk)
		return;
	size_t released = tlsf_trim(m->tlsf, MALLOC_TRIM_KEEP);
	if (released) {
		sbrk_heap_move(m->sbrk, -(intptr_t)released, NULL);
		m->trims++;
		m->trimmed_last = true;
	}
}

/* Give pages back only past the hysteresis band (see <mm/malloc.h>). */
static inline void trim(struct heap_malloc *m)
{
	if (tlsf_tail_free(m->tlsf) > MALLOC_TRIM_KEEP + m->trim_band)
		trim_tail(m);
}

void heap_malloc_trim_all(struct heap_malloc *m)
{
	mm_lock_t s = mm_lock();
	if (m->tlsf)
		tc_flush(m);
	if (m->tlsf && (uintptr_t)tlsf_end(m->tlsf) == m->sbrk->brk) {
		size_t released = tlsf_trim(m->tlsf, MALLOC_TRIM_KEEP);
		if (released) {
			sbrk_heap_move(m->sbrk, -(intptr_t)released, NULL);
			m->trims++;
		}
	}
	m->trim_band = MALLOC_TRIM_HYST; /* under pressure: narrow again */
	mm_unlock(s);
}

static bool cacheable(const struct heap_malloc *m, size_t align, size_t size)
{
	return m->cache && align <= 16 && size <= OBJCACHE_MAX_SIZE;
}

static void *pool_alloc(struct heap_malloc *m, size_t align, size_t size)
{
	return align > 16 ? tlsf_memalign(m->tlsf, align, size)
			  : tlsf_malloc(m->tlsf, size);
}

static void *alloc_locked(struct heap_malloc *m, size_t align, size_t size)
{
	if (!cacheable(m, align, size))
		return pool_alloc(m, align, size);
	unsigned bad = 0;
	void *p =
		objcache_refill(m->cache, m->tlsf, objcache_class(size), &bad);
	m->errors += bad;
	return p;
}

/*
 * Everything but the common case, kept out of line so that the fast path
 * in alloc() saves no registers for it: a cache refill, growing the pool,
 * draining the caches under pressure, counting the result. `tried`: the
 * caller already asked the pool once under this lock and got nothing.
 */
static __attribute__((noinline)) void *
alloc_slow(struct heap_malloc *m, size_t align, size_t size, bool tried)
{
	mm_lock_t s = mm_lock();
	void *p = tried ? NULL : alloc_locked(m, align, size);

	if (!p && grow(m, size, align > 16 ? align : 0))
		p = alloc_locked(m, align, size);
	/* Memory pressure: the caches give back what they hold, then one
	 * more try (see mm/objcache.h for other CPUs' caches). */
	bool released = false;
	if (!p && m->tc.bytes) {
		tc_flush(m);
		released = true;
	}
	if (!p && m->cache)
		m->errors +=
			objcache_drain_here(m->cache, m->tlsf, true, &released);
	if (released)
		p = pool_alloc(m, align, size);
	if (p)
		m->allocs++;
	else
		m->failed++;
	mm_unlock(s);
	return p;
}

/* The common case: one pool search under the lock, or the front cache. */
static inline void *alloc(struct heap_malloc *m, size_t align, size_t size)
{
	if (cacheable(m, align, size)) {
		void *p = objcache_get(m->cache, objcache_class(size));
		return p ? p : alloc_slow(m, align, size, false);
	}
	mm_lock_t s = mm_lock();
	void *p = NULL;
	unsigned c = tc_class_of_request(size);
	if (align <= 16 && c < MALLOC_TC_CLASSES)
		p = tc_pop(&m->tc, c);
	if (!p)
		p = pool_alloc(m, align, size);
	if (__builtin_expect(p != NULL, 1)) {
		m->allocs++;
		mm_unlock(s);
		return p;
	}
	/* Still under the lock: the pool had nothing, so grow it now. */
	p = alloc_slow(m, align, size, true);
	mm_unlock(s);
	return p;
}

void *heap_malloc(struct heap_malloc *m, size_t size)
{
	return alloc(m, 16, size);
}

void *heap_memalign(struct heap_malloc *m, size_t align, size_t size)
{
	if (align == 0 || (align & (align - 1))) {
		m->failed++;
		m->last_error = "alignment is not a power of two";
		return NULL;
	}
	return alloc(m, align, size);
}

/* A pointer the pool refused: counted and reported, never freed. */
static __attribute__((noinline)) int free_refused(struct heap_malloc *m, int rc)
{
	m->errors++;
	m->last_error = tlsf_strerror(rc);
	return -EINVAL;
}

/* Give every block of the small-object path back to the pool (it
 * coalesces them), then trim what that freed at the end. Lock held. */
static __attribute__((noinline)) void tc_flush(struct heap_malloc *m)
{
	for (unsigned c = 0; c < MALLOC_TC_CLASSES; c++) {
		void *p;
		while ((p = tc_pop(&m->tc, c)) != NULL)
			tlsf_free(m->tlsf, p);
	}
	trim(m);
}

/*
 * Could caching p (usable bytes `usable`) keep the heap top up? True when
 * p's block may touch the pool's free tail: the next block starts
 * W bytes before p + usable, and the tail ends at most 2 W + 15 bytes
 * before tlsf_end(); 64 covers both (a false "yes" only skips the cache).
 */
static inline bool next_to_tail(const struct heap_malloc *m, const void *p,
				size_t usable)
{
	uintptr_t tail = (uintptr_t)tlsf_end(m->tlsf) - tlsf_tail_free(m->tlsf);
	return (uintptr_t)p + usable + 64 >= tail;
}

/* Free p into the pool (it checks p); a free that grows the free tail
 * also empties the small-object path, whose blocks could otherwise keep
 * the top up. Lock held. */
static int pool_free(struct heap_malloc *m, void *p)
{
	size_t tail = m->tc.bytes ? tlsf_tail_free(m->tlsf) : 0;
	int rc = tlsf_free(m->tlsf, p);
	if (rc != TLSF_OK)
		return free_refused(m, rc);
	m->frees++;
	if (m->tc.bytes && tlsf_tail_free(m->tlsf) > tail)
		tc_flush(m);
	else
		trim(m);
	return 0;
}

/* heap_free() with the small-object path (no front caches). Lock held. */
static int free_small_path(struct heap_malloc *m, void *p)
{
	/* Classify by the header only once p's alignment and range make it
	 * safe to read; the pool checks everything else. */
	if (!IS_ALIGNED((uintptr_t)p, TLSF_ALIGN) || !tlsf_owns(m->tlsf, p))
		return pool_free(m, p);
	size_t usable = tlsf_block_size(p);
	unsigned c = tc_class_of_block(usable);
	if (c == MALLOC_TC_CLASSES)
		return pool_free(m, p);
	/* Before any free into the pool: a cached block is "used" there. */
	if (tc_cached(&m->tc, c, p))
		return free_refused(m, TLSF_E_FREE); /* double free */
	/* The pool checks p itself: only a block kept here is checked here,
	 * so no free pays for two checks. */
	if (m->tc.count[c] >= MALLOC_TC_DEPTH || next_to_tail(m, p, usable))
		return pool_free(m, p);
	int rc = tlsf_ptr_check(m->tlsf, p);
	if (rc != TLSF_OK)
		return free_refused(m, rc);
	tc_push(&m->tc, c, p);
	m->frees++;
	return 0;
}

int heap_free(struct heap_malloc *m, void *p)
{
	if (!p)
		return 0;
	if (!m->cache) {
		mm_lock_t s = mm_lock();
		int ret = free_small_path(m, p);
		mm_unlock(s);
		return ret;
	}
	int kept = objcache_put(m->cache, m->tlsf, p);
	if (kept == 1)
		return 0;
	mm_lock_t s = mm_lock();
	int rc = kept ? kept : tlsf_free(m->tlsf, p), ret = 0;
	if (__builtin_expect(rc == TLSF_OK, 1)) {
		m->frees++;
		trim(m);
	} else {
		ret = free_refused(m, rc);
	}
	mm_unlock(s);
	return ret;
}

void *heap_realloc(struct heap_malloc *m, void *p, size_t size)
{
	if (!p)
		return heap_malloc(m, size);
	mm_lock_t s = mm_lock();
	/* Validated once; tlsf_realloc_valid() does not check again. */
	int err = tlsf_ptr_check(m->tlsf, p);
	if (err == TLSF_OK &&
	    tc_cached(&m->tc, tc_class_of_block(tlsf_block_size(p)), p))
		err = TLSF_E_FREE; /* freed, waiting in the small-object path */
	if (err != TLSF_OK) {
		m->errors++;
		m->last_error = tlsf_strerror(err);
		mm_unlock(s);
		return NULL;
	}
	void *q = tlsf_realloc_valid(m->tlsf, p, size);
	mm_unlock(s);
	if (q)
		return q;
	/* No room in the pool: grow it, then move the object. */
	size_t old = tlsf_block_size(p);
	q = heap_malloc(m, size);
	if (!q)
		return NULL;
	memcpy(q, p, MIN(old, size));
	heap_free(m, p);
	return q;
}

void heap_malloc_stats(struct heap_malloc *m, struct heap_malloc_stats *st)
{
	struct tlsf_stats ts;

	memset(st, 0, sizeof(*st));
	mm_lock_t s = mm_lock();
	if (m->tlsf) {
		tlsf_stats(m->tlsf, &ts);
		st->total = ts.pool_bytes;
		st->used = ts.used_bytes;
		st->free = ts.free_bytes;
	}
	st->allocs = m->allocs;
	st->frees = m->frees;
	st->failed = m->failed;
	st->errors = m->errors;
	st->cached = m->tc.bytes;
	st->used -= m->tc.bytes;
	st->free += m->tc.bytes;
	st->grows = m->grows;
	st->trims = m->trims;
	if (m->sbrk)
		st->sbrk_pages = m->sbrk->pages;
	if (m->cache) {
		struct objcache_totals ct;
		objcache_totals(m->cache, &ct);
		st->cached += ct.bytes;
		st->used -= ct.bytes;
		st->free += ct.bytes;
		st->allocs += ct.allocs;
		st->frees += ct.frees;
	}
	mm_unlock(s);
}

void *malloc(size_t size)
{
	return heap_malloc(&kernel_malloc, size);
}

void free(void *p)
{
	heap_free(&kernel_malloc, p);
}

void *calloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size) {
		kernel_malloc.failed++;
		return NULL;
	}
	void *p = heap_malloc(&kernel_malloc, n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t size)
{
	return heap_realloc(&kernel_malloc, p, size);
}

void *memalign(size_t align, size_t size)
{
	return heap_memalign(&kernel_malloc, align, size);
}
