/*
 * The kernel heap's debug layer (see <mm/kheap.h>, "Debug heaps"): red
 * zones, poisoning, the quarantine and allocation sites, for instances
 * created with KHEAP_F_DEBUG (the kernel heap under CONFIG_KHEAP_DEBUG).
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
#include <lib/compiler.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <string.h>

#include "kheap_internal.h"

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
static int redzones_ok(struct dbg_hdr *hd, long *where)
{
	char *user = (char *)hd + DBG_FRONT;
	char *front = (char *)(hd + 1);
	char *raw = raw_of(hd);
	char *end = raw + tlsf_block_size(raw);
	size_t bad;

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
static enum dbg_verdict classify(struct kheap *h, void *p, struct dbg_hdr **out,
				 long *where)
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
	if (redzones_ok(hd, where))
		return DBG_REDZONE;
	return DBG_OK;
}

/* Report a refused operation on p by `op` at (file, line). */
static void refuse(struct kheap *h, const char *op, void *p, enum dbg_verdict v,
		   struct dbg_hdr *hd, long where, const char *file,
		   uintptr_t line)
{
	char by[96], at[96], fr[96];

	h->errors++;
	kheap_site(by, sizeof(by), file, line);
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
		kheap_report("double free: %s of %p (%zu bytes) by %s, "
			     "allocated at %s, already freed at %s; refused",
			     op, p, hd->size, by,
			     kheap_site(at, sizeof(at), hd->file, hd->line),
			     kheap_site(fr, sizeof(fr), hd->free_file,
					hd->free_line));
		break;
	case DBG_REDZONE:
		kheap_report(
			"%s of %p by %s: red zone damaged at offset %ld of "
			"a %zu-byte object allocated at %s (%s); refused",
			op, p, by, where, hd->size,
			kheap_site(at, sizeof(at), hd->file, hd->line),
			where < 0 ? "underflow" : "overflow");
		break;
	case DBG_OK: break;
	}
}

/* A live object at p, or NULL with the refusal reported. */
static struct dbg_hdr *live_or_refuse(struct kheap *h, const char *op, void *p,
				      const char *file, uintptr_t line)
{
	struct dbg_hdr *hd = NULL;
	long where = 0;
	enum dbg_verdict v = classify(h, p, &hd, &where);

	if (v == DBG_OK)
		return hd;
	refuse(h, op, p, v, hd, where, file, line);
	return NULL;
}

/* ------------------------------------------------------------ quarantine */

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
			kheap_site(at, sizeof(at), hd->file, hd->line),
			kheap_site(fr, sizeof(fr), hd->free_file,
				   hd->free_line));
	}
	if (redzones_ok(hd, &where)) {
		h->errors++;
		kheap_report("freed object %p: red zone damaged at offset %ld "
			     "after free; allocated at %s, freed at %s",
			     user, where,
			     kheap_site(at, sizeof(at), hd->file, hd->line),
			     kheap_site(fr, sizeof(fr), hd->free_file,
					hd->free_line));
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

void kheap_dbg_flush(struct kheap *h)
{
	while (h->q_count) {
		void *u = h->quarantine[h->q_head];
		h->q_head = (h->q_head + 1) % KHEAP_QUARANTINE;
		h->q_count--;
		evict(h, u);
	}
}

/* Free a live debug object into the quarantine. */
static void release(struct kheap *h, void *p, const char *file, uintptr_t line)
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

/* ------------------------------------------------------------ operations */

void *kheap_dbg_alloc(struct kheap *h, size_t size, size_t align,
		      const char *file, uintptr_t line)
{
	size_t front = align <= TLSF_ALIGN ? DBG_FRONT
					   : ALIGN_UP((size_t)DBG_FRONT, align);

	if (size > SIZE_MAX / 2 - front - DBG_BACK)
		return NULL;
	size_t total = front + size + DBG_BACK;
	char *raw = kheap_tlsf_alloc(h, total, align);
	if (!raw && h->q_count) {
		kheap_dbg_flush(h);
		raw = kheap_tlsf_alloc(h, total, align);
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

int kheap_dbg_free(struct kheap *h, void *p, const char *op, const char *file,
		   uintptr_t line)
{
	if (!live_or_refuse(h, op, p, file, line))
		return -EINVAL;
	release(h, p, file, line);
	return 0;
}

void *kheap_dbg_realloc(struct kheap *h, void *p, size_t size, const char *file,
			uintptr_t line)
{
	struct dbg_hdr *hd = live_or_refuse(h, "krealloc", p, file, line);

	if (!hd)
		return NULL;
	void *q = kheap_dbg_alloc(h, size, 0, file, line);
	if (!q) {
		h->failed++;
		return NULL;
	}
	memcpy(q, p, MIN(size, hd->size));
	release(h, p, file, line);
	return q;
}

size_t kheap_dbg_usable_size(struct kheap *h, const void *p)
{
	struct dbg_hdr *hd = NULL;
	long where;

	if (classify(h, (void *)p, &hd, &where) != DBG_OK)
		return 0;
	return hd->size;
}

/* ------------------------------------------------------------ checking */

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
	if (redzones_ok(hd, &where)) {
		c->err = -EFAULT;
		kheap_report(
			"%s object %p: red zone damaged at offset %ld (%s) "
			"of %zu bytes allocated at %s",
			hd->magic == MAGIC_LIVE ? "live" : "freed", user, where,
			where < 0 ? "underflow" : "overflow", hd->size,
			kheap_site(at, sizeof(at), hd->file, hd->line));
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
				kheap_site(at, sizeof(at), hd->file, hd->line));
		}
	}
}

int kheap_dbg_verify(struct kheap *h)
{
	struct verify_ctx c = {h, 0};

	tlsf_walk(h->tlsf, verify_block, &c);
	return c.err;
}
