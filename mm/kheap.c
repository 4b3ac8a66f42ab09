/*
 * The kernel heap (see <mm/kheap.h>): kmalloc over a TLSF pool, with an
 * optional debug layer per instance.
 *
 * A debug object, inside the TLSF block `raw`:
 *
 *   raw                     hdr = user - 80          user       user+size
 *    | [pad marker, only   ] | struct dbg_hdr | red  | object    | red ... |
 *    | [for aligned objects] |                | zone |           | zone    |
 *                             <------ DBG_FRONT ---->            >= 16 B, to
 *                                                                the block end
 * Invariants of a debug heap (kheap_verify checks them):
 *  D1 every used TLSF block starts with a dbg_hdr, or with a pad marker
 *     whose offset leads to one; hdr->pad is that offset.
 *  D2 a LIVE object's red zones hold RZ_BYTE only.
 *  D3 a FREED object is in the quarantine, and its object bytes hold
 *     POISON_BYTE only; objects leave the quarantine (FIFO) only through
 *     evict(), which checks D2 and D3 first.
 */
#include <kernel/ksyms.h>
#include <kernel/printk.h>
#include <lib/compiler.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <stdarg.h>
#include <string.h>

#include "mm_lock.h"
#include "tlsf.h"

#define DBG_FRONT   80
#define DBG_BACK    16
#define RZ_BYTE	    0xfb
#define POISON_BYTE 0x6b
#define FRESH_BYTE  0xa5
#define MAGIC_LIVE  0x4b4c4956u /* "KLIV" */
#define MAGIC_FREED 0x4b465245u /* "KFRE" */
#define MAGIC_PAD   0x4b504144u /* "KPAD" */

struct dbg_hdr {
	uint32_t magic;
	uint32_t pad; /* hdr - raw */
	const char *file;
	uintptr_t line;
	size_t size;
	const char *free_file;
	uintptr_t free_line;
};

struct dbg_pad {
	uint32_t magic;
	uint32_t off; /* hdr - raw */
};

_Static_assert(sizeof(struct dbg_hdr) + 16 <= DBG_FRONT,
	       "front red zone must be at least 16 bytes");
_Static_assert(DBG_FRONT % TLSF_ALIGN == 0, "front keeps 16-alignment");

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

/* "file:line", or for a return address "function+0xoff" (kernel) or
 * "caller 0x..." into buf. */
static const char *site(char *buf, size_t n, const char *file, uintptr_t line)
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

/* ------------------------------------------------------------ debug layer */

static bool all_bytes(const void *p, size_t n, unsigned char c, size_t *bad)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		if (b[i] != c) {
			if (bad)
				*bad = i;
			return false;
		}
	}
	return true;
}

static inline struct dbg_hdr *hdr_of(void *user)
{
	return (struct dbg_hdr *)((char *)user - DBG_FRONT);
}

static inline void *raw_of(struct dbg_hdr *hd)
{
	return (char *)hd - hd->pad;
}

/* Red zones around a LIVE object: 0 if intact, else the damaged byte's
 * offset from the object's start (negative: before it) in *where. */
static int redzones_ok(struct kheap *h, struct dbg_hdr *hd, long *where)
{
	char *user = (char *)hd + DBG_FRONT;
	char *front = (char *)(hd + 1);
	char *raw = raw_of(hd);
	char *end = raw + tlsf_block_size(raw);
	size_t bad;

	(void)h;
	if (!all_bytes(front, (size_t)(user - front), RZ_BYTE, &bad)) {
		*where = (long)(front + bad - user);
		return -1;
	}
	if (!all_bytes(user + hd->size, (size_t)(end - user - hd->size),
		       RZ_BYTE, &bad)) {
		*where = (long)(hd->size + bad);
		return -1;
	}
	return 0;
}

enum dbg_verdict {
	DBG_OK,
	DBG_FOREIGN,	/* not inside this heap */
	DBG_MISALIGNED, /* inside, but no object starts there */
	DBG_NOT_LIVE,	/* no live object header there */
	DBG_DOUBLE,	/* an object in quarantine: freed already */
	DBG_REDZONE,	/* a live object with damaged red zones */
};

/* Classify a pointer handed to kfree/krealloc/usable_size of a debug heap. */
static enum dbg_verdict dbg_classify(struct kheap *h, void *p,
				     struct dbg_hdr **out, long *where)
{
	struct tlsf *t = h->tlsf;

	if (!tlsf_owns(t, p) || !tlsf_owns(t, (char *)p - DBG_FRONT))
		return DBG_FOREIGN;
	if ((uintptr_t)p % TLSF_ALIGN)
		return DBG_MISALIGNED;
	struct dbg_hdr *hd = hdr_of(p);
	*out = hd;
	if (hd->magic != MAGIC_LIVE && hd->magic != MAGIC_FREED)
		return DBG_NOT_LIVE;
	char *raw = raw_of(hd);
	if (!tlsf_owns(t, raw) || raw > (char *)hd ||
	    tlsf_ptr_check(t, raw) != TLSF_OK)
		return DBG_NOT_LIVE;
	if (hd->pad) {
		struct dbg_pad *pm = (struct dbg_pad *)raw;
		if (pm->magic != MAGIC_PAD || pm->off != hd->pad)
			return DBG_NOT_LIVE;
	}
	size_t room = tlsf_block_size(raw);
	if ((size_t)hd->pad + DBG_FRONT > room ||
	    hd->size > room - hd->pad - DBG_FRONT)
		return DBG_NOT_LIVE;
	if (hd->magic == MAGIC_FREED)
		return DBG_DOUBLE;
	if (redzones_ok(h, hd, where))
		return DBG_REDZONE;
	return DBG_OK;
}

/* Report a refused operation on p by `op` at (file, line). */
static void dbg_refuse(struct kheap *h, const char *op, void *p,
		       enum dbg_verdict v, struct dbg_hdr *hd, long where,
		       const char *file, uintptr_t line)
{
	char by[96], at[96], fr[96];

	h->errors++;
	site(by, sizeof(by), file, line);
	switch (v) {
	case DBG_FOREIGN:
		kheap_report(
			"%s of foreign pointer %p (not in this heap) by %s; "
			"refused",
			op, p, by);
		break;
	case DBG_MISALIGNED:
		kheap_report("%s of misaligned pointer %p by %s; refused", op,
			     p, by);
		break;
	case DBG_NOT_LIVE:
		kheap_report("%s of %p by %s: not a live allocation (foreign, "
			     "interior or long-freed pointer); refused",
			     op, p, by);
		break;
	case DBG_DOUBLE:
		kheap_report(
			"double free: %s of %p (%zu bytes) by %s, "
			"allocated at %s, already freed at %s; refused",
			op, p, hd->size, by,
			site(at, sizeof(at), hd->file, hd->line),
			site(fr, sizeof(fr), hd->free_file, hd->free_line));
		break;
	case DBG_REDZONE:
		kheap_report(
			"%s of %p by %s: red zone damaged at offset %ld of "
			"a %zu-byte object allocated at %s (%s); refused",
			op, p, by, where, hd->size,
			site(at, sizeof(at), hd->file, hd->line),
			where < 0 ? "underflow" : "overflow");
		break;
	case DBG_OK: break;
	}
}

/* Check a quarantined object and give its block back to TLSF. */
static void evict(struct kheap *h, void *user)
{
	struct dbg_hdr *hd = hdr_of(user);
	char at[96], fr[96];
	size_t bad;
	long where;

	if (hd->magic != MAGIC_FREED) {
		h->errors++;
		kheap_report("quarantined object %p: header overwritten after "
			     "free; block leaked",
			     user);
		return;
	}
	if (!all_bytes(user, hd->size, POISON_BYTE, &bad)) {
		h->errors++;
		kheap_report(
			"use after free: %p+%zu written after free; %zu-byte "
			"object allocated at %s, freed at %s",
			user, bad, hd->size,
			site(at, sizeof(at), hd->file, hd->line),
			site(fr, sizeof(fr), hd->free_file, hd->free_line));
	}
	if (redzones_ok(h, hd, &where)) {
		h->errors++;
		kheap_report(
			"freed object %p: red zone damaged at offset %ld "
			"after free; allocated at %s, freed at %s",
			user, where, site(at, sizeof(at), hd->file, hd->line),
			site(fr, sizeof(fr), hd->free_file, hd->free_line));
	}
	void *raw = raw_of(hd);
	if (tlsf_ptr_check(h->tlsf, raw) != TLSF_OK) {
		h->errors++;
		kheap_report("quarantined object %p: block header damaged; "
			     "leaked",
			     user);
		return;
	}
	hd->magic = 0;
	tlsf_free(h->tlsf, raw);
}

static void quarantine_flush(struct kheap *h)
{
	while (h->q_count) {
		void *u = h->quarantine[h->q_head];
		h->q_head = (h->q_head + 1) % KHEAP_QUARANTINE;
		h->q_count--;
		evict(h, u);
	}
}

static void *raw_alloc(struct kheap *h, size_t align, size_t size)
{
	if (align <= TLSF_ALIGN)
		return tlsf_malloc(h->tlsf, size);
	return tlsf_memalign(h->tlsf, align, size);
}

static void *dbg_alloc(struct kheap *h, size_t size, size_t align,
		       const char *file, uintptr_t line)
{
	size_t front = align <= TLSF_ALIGN ? DBG_FRONT
					   : ALIGN_UP((size_t)DBG_FRONT, align);

	if (size > SIZE_MAX / 2 - front - DBG_BACK)
		return NULL;
	size_t total = front + size + DBG_BACK;
	char *raw = raw_alloc(h, align, total);
	if (!raw && h->q_count) {
		quarantine_flush(h);
		raw = raw_alloc(h, align, total);
	}
	if (!raw)
		return NULL;
	char *user = raw + front;
	struct dbg_hdr *hd = hdr_of(user);
	hd->pad = (uint32_t)((char *)hd - raw);
	if (hd->pad) {
		struct dbg_pad *pm = (struct dbg_pad *)raw;
		pm->magic = MAGIC_PAD;
		pm->off = hd->pad;
	}
	hd->magic = MAGIC_LIVE;
	hd->file = file;
	hd->line = line;
	hd->size = size;
	hd->free_file = NULL;
	hd->free_line = 0;
	memset(hd + 1, RZ_BYTE, (size_t)(user - (char *)(hd + 1)));
	memset(user, FRESH_BYTE, size);
	memset(user + size, RZ_BYTE, tlsf_block_size(raw) - front - size);
	return user;
}

/* Free a classified-OK debug object into the quarantine. */
static void dbg_release(struct kheap *h, void *p, const char *file,
			uintptr_t line)
{
	struct dbg_hdr *hd = hdr_of(p);

	hd->magic = MAGIC_FREED;
	hd->free_file = file;
	hd->free_line = line;
	memset(p, POISON_BYTE, hd->size);
	if (h->q_count == KHEAP_QUARANTINE) {
		void *old = h->quarantine[h->q_head];
		h->q_head = (h->q_head + 1) % KHEAP_QUARANTINE;
		h->q_count--;
		evict(h, old);
	}
	h->quarantine[(h->q_head + h->q_count) % KHEAP_QUARANTINE] = p;
	h->q_count++;
}

/* ------------------------------------------------------------ instances */

int kheap_create(struct kheap *h, void *base, size_t size, unsigned flags)
{
	memset(h, 0, sizeof(*h));
	h->tlsf = tlsf_create(base, size);
	if (!h->tlsf)
		return -EINVAL;
	h->debug = (flags & KHEAP_F_DEBUG) != 0;
	return 0;
}

static void report_bad(struct kheap *h, const char *op, void *p, int err,
		       const char *file, uintptr_t line)
{
	char by[96];

	h->errors++;
	kheap_report("%s of %p by %s: %s; refused", op, p,
		     site(by, sizeof(by), file, line), tlsf_strerror(err));
}

static void *alloc_locked(struct kheap *h, size_t size, size_t align,
			  const char *file, uintptr_t line)
{
	void *p;

	if (!h->tlsf)
		p = NULL;
	else if (h->debug)
		p = dbg_alloc(h, size, align, file, line);
	else if (align <= TLSF_ALIGN)
		p = tlsf_malloc(h->tlsf, size);
	else
		p = tlsf_memalign(h->tlsf, align, size);
	if (p)
		h->allocs++;
	else
		h->failed++;
	return p;
}

void *kheap_alloc(struct kheap *h, size_t size, size_t align, const char *file,
		  uintptr_t line)
{
	if (align & (align - 1)) {
		char by[96];
		mm_lock_t s = mm_lock();
		h->failed++;
		h->errors++;
		kheap_report("allocation of %zu bytes by %s: alignment %zu is "
			     "not a power of two; refused",
			     size, site(by, sizeof(by), file, line), align);
		mm_unlock(s);
		return NULL;
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
		struct dbg_hdr *hd = NULL;
		long where = 0;
		enum dbg_verdict v = dbg_classify(h, p, &hd, &where);
		if (v != DBG_OK) {
			dbg_refuse(h, op, p, v, hd, where, file, line);
			return -EINVAL;
		}
		dbg_release(h, p, file, line);
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
		/* Always move, so stale pointers to the old copy show up. */
		struct dbg_hdr *hd = NULL;
		long where = 0;
		enum dbg_verdict v = dbg_classify(h, p, &hd, &where);
		if (v != DBG_OK) {
			dbg_refuse(h, "krealloc", p, v, hd, where, file, line);
		} else {
			q = dbg_alloc(h, size, 0, file, line);
			if (q) {
				memcpy(q, p, MIN(size, hd->size));
				dbg_release(h, p, file, line);
			} else {
				h->failed++;
			}
		}
	} else {
		int err = tlsf_ptr_check(h->tlsf, p);
		if (err) {
			report_bad(h, "krealloc", p, err, file, line);
		} else {
			q = tlsf_realloc(h->tlsf, p, size);
			if (!q)
				h->failed++;
		}
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
	if (h->debug) {
		struct dbg_hdr *hd = NULL;
		long where;
		if (dbg_classify(h, (void *)p, &hd, &where) == DBG_OK)
			n = hd->size;
	} else if (tlsf_ptr_check(h->tlsf, p) == TLSF_OK) {
		n = tlsf_block_size(p);
	}
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
	mm_unlock(s);
}

void kheap_flush_quarantine(struct kheap *h)
{
	mm_lock_t s = mm_lock();
	quarantine_flush(h);
	mm_unlock(s);
}

struct verify_ctx {
	struct kheap *h;
	int err;
};

static bool in_quarantine(struct kheap *h, void *user)
{
	for (unsigned i = 0; i < h->q_count; i++)
		if (h->quarantine[(h->q_head + i) % KHEAP_QUARANTINE] == user)
			return true;
	return false;
}

/* D1-D3 for one used block. */
static void verify_block(void *raw, size_t size, bool used, void *ctx)
{
	struct verify_ctx *c = ctx;
	struct kheap *h = c->h;
	char at[96];
	size_t bad;
	long where;

	if (!used || c->err)
		return;
	struct dbg_hdr *hd = raw;
	if (size >= sizeof(struct dbg_pad) &&
	    ((struct dbg_pad *)raw)->magic == MAGIC_PAD) {
		uint32_t off = ((struct dbg_pad *)raw)->off;
		if (off >= size || size - off < DBG_FRONT) {
			c->err = -EFAULT;
			kheap_report("block %p: pad marker damaged", raw);
			return;
		}
		hd = (struct dbg_hdr *)((char *)raw + off);
	}
	void *user = (char *)hd + DBG_FRONT;
	if ((hd->magic != MAGIC_LIVE && hd->magic != MAGIC_FREED) ||
	    raw_of(hd) != raw || (size_t)hd->pad + DBG_FRONT > size ||
	    hd->size > size - hd->pad - DBG_FRONT) {
		c->err = -EFAULT;
		kheap_report("block %p: object header damaged (underflow of "
			     "this object or overflow of the one before)",
			     raw);
		return;
	}
	if (redzones_ok(h, hd, &where)) {
		c->err = -EFAULT;
		kheap_report(
			"%s object %p: red zone damaged at offset %ld (%s) "
			"of %zu bytes allocated at %s",
			hd->magic == MAGIC_LIVE ? "live" : "freed", user, where,
			where < 0 ? "underflow" : "overflow", hd->size,
			site(at, sizeof(at), hd->file, hd->line));
		return;
	}
	if (hd->magic == MAGIC_FREED) {
		if (!in_quarantine(h, user)) {
			c->err = -EFAULT;
			kheap_report("object %p marked freed but not in "
				     "quarantine",
				     user);
		} else if (!all_bytes(user, hd->size, POISON_BYTE, &bad)) {
			c->err = -EFAULT;
			kheap_report(
				"use after free: %p+%zu written after free; "
				"allocated at %s",
				user, bad,
				site(at, sizeof(at), hd->file, hd->line));
		}
	}
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
		struct verify_ctx c = {h, 0};
		tlsf_walk(h->tlsf, verify_block, &c);
		err = c.err;
	}
	if (err)
		h->errors++;
	mm_unlock(s);
	return err;
}

/* ------------------------------------------------------------ kernel heap */

int kheap_init(void *base, size_t size)
{
	unsigned flags = 0;
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
