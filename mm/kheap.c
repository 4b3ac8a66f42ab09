/*
 * The kernel heap (see <mm/kheap.h>): kmalloc over a TLSF pool. Instances
 * created with KHEAP_F_DEBUG hand every operation to the debug layer
 * (mm/kheap_debug.c); this file keeps the counts, the lock and the reports.
 */
#include <kernel/ksyms.h>
#include <kernel/printk.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <stdarg.h>
#include <string.h>

#include "kheap_internal.h"
#include "objcache.h"

static struct kheap kernel_heap;

/* ------------------------------------------------------------ reports */

static void default_sink(const char *msg)
{
#if MM_HOSTED
	(void)msg;
#else
	printk("kheap: %s\n", msg);
#endif
}

static kheap_report_fn report_sink = default_sink;

kheap_report_fn kheap_set_report_sink(kheap_report_fn fn)
{
	kheap_report_fn old = report_sink;
	report_sink = fn ? fn : default_sink;
	return old == default_sink ? NULL : old;
}

void kheap_report(const char *fmt, ...)
{
	static char buf[256]; /* callers hold the heap lock */
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	report_sink(buf);
}

/* The reports' allocation sites (kheap_internal.h). */
const char *kheap_site(char *buf, size_t n, const char *file, uintptr_t line)
{
	if (file) {
		snprintf(buf, n, "%s:%lu", file, (unsigned long)line);
		return buf;
	}
#if !MM_HOSTED
	uintptr_t off;
	const char *fn = ksym_lookup(line, &off);
	if (fn) {
		snprintf(buf, n, "%s+%#lx", fn, (unsigned long)off);
		return buf;
	}
#endif
	snprintf(buf, n, "caller %#lx", (unsigned long)line);
	return buf;
}

/* ------------------------------------------------------------ instances */

int kheap_create(struct kheap *h, void *base, size_t size, unsigned flags)
{
	memset(h, 0, sizeof(*h));
	h->tlsf = tlsf_create(base, size);
	if (!h->tlsf)
		return -EINVAL;
	h->debug = (flags & KHEAP_F_DEBUG) != 0;
	/* The debug layer sees every operation: no cache in front of it. */
	if ((flags & KHEAP_F_CACHE) && !h->debug) {
		h->cache = tlsf_memalign(h->tlsf, _Alignof(struct objcache),
					 sizeof(*h->cache));
		if (h->cache)
			memset(h->cache, 0, sizeof(*h->cache));
	}
	return 0;
}

/* ------------------------------------------------------------ caches */

/* Cold, out of line: the fast paths carry no report buffer. */
static __attribute__((noinline, cold)) void
report_bad(struct kheap *h, const char *op, void *p, int err, const char *file,
	   uintptr_t line);

/* Cached objects TLSF refused when drained: damaged while they waited. */
static void report_drained(struct kheap *h, unsigned bad)
{
	if (bad)
		report_bad(h, "kfree (cached)", NULL, TLSF_E_HEADER, NULL, 0);
	h->errors += bad ? bad - 1 : 0;
}

/* Memory pressure, heap lock held: this CPU's cache back to TLSF now, the
 * others' at their next small allocation. True if this CPU's cache held any. */
static bool drain_own(struct kheap *h)
{
	bool released;
	report_drained(h,
		       objcache_drain_here(h->cache, h->tlsf, true, &released));
	return released;
}

static void *refill_locked(struct kheap *h, unsigned k)
{
	unsigned bad = 0;
	void *p = objcache_refill(h->cache, h->tlsf, k, &bad);
	report_drained(h, bad);
	return p;
}

void kheap_cache_drain(struct kheap *h)
{
	if (!h->cache)
		return;
	mm_lock_t s = mm_lock();
	drain_own(h);
	mm_unlock(s);
}

static void report_bad(struct kheap *h, const char *op, void *p, int err,
		       const char *file, uintptr_t line)
{
	char by[96];

	h->errors++;
	kheap_report("%s of %p by %s: %s; refused", op, p,
		     kheap_site(by, sizeof(by), file, line),
		     tlsf_strerror(err));
}

static bool cacheable(const struct kheap *h, size_t size, size_t align)
{
	return h->cache && size <= OBJCACHE_MAX_SIZE && align <= TLSF_ALIGN;
}

static void *alloc_locked(struct kheap *h, size_t size, size_t align,
			  const char *file, uintptr_t line)
{
	void *p;

	if (!h->tlsf)
		p = NULL;
	else if (h->debug)
		p = kheap_dbg_alloc(h, size, align, file, line);
	else if (cacheable(h, size, align))
		p = refill_locked(h, objcache_class(size));
	else
		p = kheap_tlsf_alloc(h, size, align);
	/* Memory pressure: what this CPU's cache holds goes back to TLSF
	 * (the others' at their next small allocation) and the request is
	 * retried once, so a request is refused only if it does not fit then.
	 */
	if (!p && h->cache && drain_own(h))
		p = kheap_tlsf_alloc(h, size, align);
	if (p)
		h->allocs++;
	else
		h->failed++;
	return p;
}

static __attribute__((noinline, cold)) void *
refuse_align(struct kheap *h, size_t size, size_t align, const char *file,
	     uintptr_t line)
{
	char by[96];
	mm_lock_t s = mm_lock();
	h->failed++;
	h->errors++;
	kheap_report("allocation of %zu bytes by %s: alignment %zu is "
		     "not a power of two; refused",
		     size, kheap_site(by, sizeof(by), file, line), align);
	mm_unlock(s);
	return NULL;
}

void *kheap_alloc(struct kheap *h, size_t size, size_t align, const char *file,
		  uintptr_t line)
{
	if (align & (align - 1))
		return refuse_align(h, size, align, file, line);
	if (cacheable(h, size, align)) {
		void *p = objcache_get(h->cache, objcache_class(size));
		if (p)
			return p;
	}
	mm_lock_t s = mm_lock();
	void *p = alloc_locked(h, size, align, file, line);
	mm_unlock(s);
	return p;
}

void *kheap_calloc(struct kheap *h, size_t n, size_t size, const char *file,
		   uintptr_t line)
{
	if (size && n > SIZE_MAX / size) {
		mm_lock_t s = mm_lock();
		h->failed++;
		mm_unlock(s);
		return NULL;
	}
	void *p = kheap_alloc(h, n * size, 0, file, line);
	if (p)
		memset(p, 0, n * size);
	return p;
}

/* Free under the lock: 0 or -EINVAL (reported). */
static int free_locked(struct kheap *h, void *p, const char *op,
		       const char *file, uintptr_t line)
{
	if (!h->tlsf) {
		report_bad(h, op, p, TLSF_E_RANGE, file, line);
		return -EINVAL;
	}
	if (h->debug) {
		if (kheap_dbg_free(h, p, op, file, line))
			return -EINVAL;
	} else {
		int err = tlsf_free(h->tlsf, p);
		if (err) {
			report_bad(h, op, p, err, file, line);
			return -EINVAL;
		}
	}
	h->frees++;
	return 0;
}

int kheap_free(struct kheap *h, void *p, const char *file, uintptr_t line)
{
	if (!p)
		return 0;
	if (h->cache) {
		int kept = objcache_put(h->cache, h->tlsf, p);
		if (kept == 1)
			return 0;
		if (kept == TLSF_E_FREE) {
			mm_lock_t s = mm_lock();
			report_bad(h, "kfree", p, TLSF_E_FREE, file, line);
			mm_unlock(s);
			return -EINVAL;
		}
	}
	mm_lock_t s = mm_lock();
	int err = free_locked(h, p, "kfree", file, line);
	mm_unlock(s);
	return err;
}

void *kheap_realloc(struct kheap *h, void *p, size_t size, const char *file,
		    uintptr_t line)
{
	if (!p)
		return kheap_alloc(h, size, 0, file, line);
	mm_lock_t s = mm_lock();
	void *q = NULL;
	if (!h->tlsf) {
		report_bad(h, "krealloc", p, TLSF_E_RANGE, file, line);
	} else if (h->debug) {
		q = kheap_dbg_realloc(h, p, size, file, line);
	} else {
		/* The pointer is validated once: its own header and its
		 * successor's here, its predecessor by tlsf_realloc_own() and
		 * only when it moves the object (the free there coalesces
		 * with that block); in place it is never read. */
		int err = tlsf_ptr_check_own(h->tlsf, p);
		if (!err) {
			q = tlsf_realloc_own(h->tlsf, p, size, &err);
			if (!q && !err && h->cache && drain_own(h))
				q = tlsf_realloc_own(h->tlsf, p, size, &err);
		}
		if (err)
			report_bad(h, "krealloc", p, err, file, line);
		else if (!q)
			h->failed++;
	}
	mm_unlock(s);
	return q;
}

size_t kheap_usable_size(struct kheap *h, const void *p)
{
	size_t n = 0;

	if (!p || !h->tlsf)
		return 0;
	mm_lock_t s = mm_lock();
	if (h->debug)
		n = kheap_dbg_usable_size(h, p);
	else if (tlsf_ptr_check(h->tlsf, p) == TLSF_OK)
		n = tlsf_block_size(p);
	mm_unlock(s);
	return n;
}

void kheap_get_stats(struct kheap *h, struct kheap_stats *st)
{
	struct tlsf_stats ts;

	memset(st, 0, sizeof(*st));
	mm_lock_t s = mm_lock();
	if (h->tlsf) {
		tlsf_stats(h->tlsf, &ts);
		st->total = ts.pool_bytes;
		st->used = ts.used_bytes;
		st->free = ts.free_bytes;
		st->largest_free = ts.largest_free;
		st->free_blocks = ts.free_blocks;
	}
	st->allocs = h->allocs;
	st->frees = h->frees;
	st->failed = h->failed;
	st->errors = h->errors;
	st->quarantined = h->q_count;
	if (h->cache) {
		struct objcache_totals ct;
		objcache_totals(h->cache, &ct);
		st->cached = ct.bytes;
		st->cached_objects = ct.objects;
		st->cache_drains = ct.drains;
		st->used -= ct.bytes;
		st->free += ct.bytes;
		st->allocs += ct.allocs;
		st->frees += ct.frees;
	}
	mm_unlock(s);
}

void kheap_flush_quarantine(struct kheap *h)
{
	mm_lock_t s = mm_lock();
	kheap_dbg_flush(h);
	mm_unlock(s);
}

int kheap_verify(struct kheap *h)
{
	int err = 0;

	if (!h->tlsf)
		return -EINVAL;
	mm_lock_t s = mm_lock();
	int terr = tlsf_check(h->tlsf);
	if (terr) {
		kheap_report("heap damaged: %s", tlsf_strerror(terr));
		err = -EFAULT;
	} else if (h->debug) {
		err = kheap_dbg_verify(h);
	}
	if (err)
		h->errors++;
	mm_unlock(s);
	return err;
}

/* ------------------------------------------------------------ kernel heap */

int kheap_init(void *base, size_t size)
{
	unsigned flags = KHEAP_F_CACHE; /* ignored with debug */
#ifdef CONFIG_KHEAP_DEBUG
	flags |= KHEAP_F_DEBUG;
#endif
	return kheap_create(&kernel_heap, base, size, flags);
}

bool kheap_ready(void)
{
	return kernel_heap.tlsf != NULL;
}

struct kheap *kheap_kernel(void)
{
	return &kernel_heap;
}

#define RET_ADDR ((uintptr_t)__builtin_return_address(0))

/* The names are parenthesised: with CONFIG_KHEAP_DEBUG they are also
 * macros. */
void *(kmalloc)(size_t size)
{
	return kheap_alloc(&kernel_heap, size, 0, NULL, RET_ADDR);
}

void(kfree)(void *p)
{
	kheap_free(&kernel_heap, p, NULL, RET_ADDR);
}

void *(kcalloc)(size_t n, size_t size)
{
	return kheap_calloc(&kernel_heap, n, size, NULL, RET_ADDR);
}

void *(krealloc)(void *p, size_t size)
{
	return kheap_realloc(&kernel_heap, p, size, NULL, RET_ADDR);
}

void *(kmalloc_aligned)(size_t size, size_t align)
{
	return kheap_alloc(&kernel_heap, size, align, NULL, RET_ADDR);
}

void *kmalloc_at(size_t size, const char *file, int line)
{
	return kheap_alloc(&kernel_heap, size, 0, file, (uintptr_t)line);
}

void kfree_at(void *p, const char *file, int line)
{
	kheap_free(&kernel_heap, p, file, (uintptr_t)line);
}

void *kcalloc_at(size_t n, size_t size, const char *file, int line)
{
	return kheap_calloc(&kernel_heap, n, size, file, (uintptr_t)line);
}

void *krealloc_at(void *p, size_t size, const char *file, int line)
{
	return kheap_realloc(&kernel_heap, p, size, file, (uintptr_t)line);
}

void *kmalloc_aligned_at(size_t size, size_t align, const char *file, int line)
{
	return kheap_alloc(&kernel_heap, size, align, file, (uintptr_t)line);
}

size_t kmalloc_usable_size(const void *p)
{
	return kheap_usable_size(&kernel_heap, p);
}

void(kheap_stats)(struct kheap_stats *s)
{
	kheap_get_stats(&kernel_heap, s);
}

bool kheap_can_spare(size_t bytes)
{
	struct kheap_stats ks;
	size_t reserve = (size_t)CONFIG_KHEAP_RESERVE_KB * 1024;

	kheap_stats(&ks);
	return ks.free >= reserve && ks.free - reserve >= bytes;
}

int kheap_check(void)
{
	return kheap_verify(&kernel_heap);
}
