/*
 * The physical memory manager (see <mm/pmm.h> for the contract).
 *
 * One file on purpose: the frame encoding below is shared by every
 * function, and splitting it would mean exporting it in a header.
 */
#include <lib/err.h>
#include <mm/pmm.h>
#include <string.h>

/*
 * Locking: pmm_lock()/pmm_unlock() around every public call. Kernel build:
 * IRQs off on this CPU (arch_irq_save/restore; a spinlock joins them once
 * there is SMP), so the PMM may be called from interrupt handlers. Host
 * builds (unit tests, page_bench) have one thread and no <arch/irq.h>: a
 * no-op. A host build is recognised as mm/include/mm/kheap_lock.h does: by
 * KTEST_HOST or PMM_HOST_NOLOCK, or failing that by a hosted compiler (the
 * kernel is always built -ffreestanding).
 */
#if defined(KTEST_HOST) || defined(PMM_HOST_NOLOCK) || __STDC_HOSTED__
typedef int pmm_lock_t;
static inline pmm_lock_t pmm_lock(void)
{
	return 0;
}
static inline void pmm_unlock(pmm_lock_t s)
{
	(void)s;
}
#else
#include <arch/irq.h>
typedef irq_state_t pmm_lock_t;
static inline pmm_lock_t pmm_lock(void)
{
	return arch_irq_save();
}
static inline void pmm_unlock(pmm_lock_t s)
{
	arch_irq_restore(s);
}
#endif

/*
 * The frame table: one 8-byte entry per frame of the managed span
 * [base, base + n) (frame numbers; entry i is frame base + i). Each frame is
 * either the HEAD of a block or a TAIL inside one:
 *
 *   FREE head  b = kind 1 | order<<2 | prev<<8      a = next (free list)
 *   USED head  b = kind 2 | order<<2 | flags | owner<<8   a = va >> 12
 *   TAIL       b = 0                                a = va >> 12 (0 if the
 *                                                    block is free)
 *
 * USED heads are allocated blocks (F_ALLOC, any order), and single frames
 * (order 0) that are reserved, taken (F_TAKEN) or holes (F_HOLE).
 *
 * Invariants (pmm_check() verifies each):
 *  I1 Walking the span from entry 0, head by head (i += 2^order), visits
 *     every head and ends exactly at n; every other entry is a TAIL.
 *  I2 A block of order k starts at a frame number aligned to 2^k and lies
 *     inside one zone; order <= PMM_MAX_ORDER.
 *  I3 A FREE block is on exactly the free list zone[z].head[k] of its zone
 *     and order; the lists are doubly linked through a/prev (NIL ends) and
 *     hold nothing else; nblocks[k] is the list length and bit k of
 *     nonempty is set iff the list is not empty. TAILs of a FREE block have
 *     a == 0 (so an allocated block starts unmapped without a sweep).
 *  I4 Coalescing is complete: no FREE block of order k < PMM_MAX_ORDER has
 *     a FREE buddy of order k in the same zone.
 *  I5 zone.free is the number of frames in FREE blocks of the zone;
 *     zone.total is the number of RAM frames (everything but holes).
 *  I6 A USED head has an owner other than FREE; holes and taken/reserved
 *     frames have order 0; F_MAPPED is set on a block if any of its frames
 *     has a != 0 (it may also be set when none has).
 *  I7 No hole frame is in a zone's RAM count or on a free list.
 */
struct pmm_frame {
	uint32_t a;
	union {
		uint32_t b;
		struct {
			uint8_t b0;   /* kind, order, F_ALLOC, F_MAPPED */
			uint8_t b1;   /* prev bits 0-7, or owner and flags */
			uint16_t b23; /* prev bits 8-23, or flags */
		};
	};
};

/* The list links are written with byte/halfword stores (set_prev) so that
 * unlinking a block never has to load a neighbour's entry first; the
 * masks below read `b` as those bytes in little-endian order. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "the frame entry layout assumes little-endian");
_Static_assert(sizeof(struct pmm_frame) == PMM_META_PER_FRAME,
	       "frame entries must stay within the 8-byte budget");

#define F_KIND	      0x3u
#define F_TAIL	      0x0u
#define F_FREE	      0x1u
#define F_USED	      0x2u
#define F_ORDER_SHIFT 2
#define F_ORDER_MASK  (0xFu << F_ORDER_SHIFT)
#define F_KIND_ORDER  (F_KIND | F_ORDER_MASK)
#define F_ALLOC	      (1u << 6) /* from pmm_alloc: pmm_free takes it */
#define F_MAPPED      (1u << 7) /* some frame of the block has a != 0 */
#define F_PREV_SHIFT  8 /* FREE heads: bits 8-31 */
#define F_OWNER_SHIFT 8 /* USED heads: bits 8-12 */
#define F_OWNER_MASK  (0x1Fu << F_OWNER_SHIFT)
#define F_IDENT	      (1u << 13) /* reserved, identity-mapped */
#define F_PINNED      (1u << 14) /* allocated with PMM_PINNED */
#define F_MOVING      (1u << 15) /* being relocated */
#define F_HOLE	      (1u << 16) /* not RAM */
#define F_TAKEN	      (1u << 17) /* DMA window or low-memory allocator */

#define NIL 0xFFFFFu /* list end; the span never reaches 2^20 - 1 frames */

#define HOLE_B	 (F_USED | (PMM_OWNER_RESERVED << F_OWNER_SHIFT) | F_HOLE)
#define RAM_MARK 0u /* during pmm_init only: a RAM frame not yet carved */

static inline unsigned f_order(uint32_t b)
{
	return (b & F_ORDER_MASK) >> F_ORDER_SHIFT;
}

static inline unsigned f_owner(uint32_t b)
{
	return (b & F_OWNER_MASK) >> F_OWNER_SHIFT;
}

struct zone {
	uint32_t head[PMM_NR_ORDERS];
	uint32_t nonempty; /* bit k: head[k] != NIL */
	uint32_t lo, hi;   /* entries [lo, hi) */
	size_t total, free;
	size_t nblocks[PMM_NR_ORDERS];
	unsigned long allocs, frees, failures;
};

static struct pmm_state {
	struct pmm_frame *f;
	uint32_t base; /* frame number of entry 0 */
	uint32_t n;
	bool ready;
	struct zone z[PMM_NR_ZONES];
} P;

/* ------------------------------------------------------------ errors */

/* The last failure: a template and its arguments, formatted on demand. */
static struct {
	const char *fmt;
	const char *s;
	uint64_t v[3];
} last_err;
static char err_text[192];

static void set_err(const char *fmt, const char *s, uint64_t v0, uint64_t v1,
		    uint64_t v2)
{
	last_err.fmt = fmt;
	last_err.s = s;
	last_err.v[0] = v0;
	last_err.v[1] = v1;
	last_err.v[2] = v2;
}

static size_t put_str(size_t o, const char *s)
{
	while (*s && o + 1 < sizeof(err_text))
		err_text[o++] = *s++;
	return o;
}

static size_t put_num(size_t o, uint64_t v, unsigned radix)
{
	char tmp[24];
	unsigned k = 0;

	if (radix == 16)
		o = put_str(o, "0x");
	do {
		tmp[k++] = "0123456789abcdef"[v % radix];
		v /= radix;
	} while (v);
	while (k && o + 1 < sizeof(err_text))
		err_text[o++] = tmp[--k];
	return o;
}

/* Templates: %s is the string argument, %u / %x the next number. */
const char *pmm_last_error(void)
{
	pmm_lock_t s = pmm_lock();
	const char *p = last_err.fmt ? last_err.fmt : "";
	unsigned arg = 0;
	size_t o = 0;

	for (; *p && o + 1 < sizeof(err_text); p++) {
		if (p[0] == '%' && p[1] == 's') {
			o = put_str(o, last_err.s ? last_err.s : "?");
			p++;
		} else if (p[0] == '%' && (p[1] == 'u' || p[1] == 'x')) {
			o = put_num(o, arg < 3 ? last_err.v[arg] : 0,
				    p[1] == 'u' ? 10 : 16);
			arg++;
			p++;
		} else {
			err_text[o++] = *p;
		}
	}
	err_text[o] = '\0';
	pmm_unlock(s);
	return err_text;
}

static const char *const owner_names[PMM_NR_OWNERS] = {
	[PMM_OWNER_FREE] = "free",
	[PMM_OWNER_RESERVED] = "reserved",
	[PMM_OWNER_KERNEL_IMAGE] = "kernel image",
	[PMM_OWNER_MODULE] = "module",
	[PMM_OWNER_BOOTDATA] = "boot data",
	[PMM_OWNER_KHEAP] = "kernel heap",
	[PMM_OWNER_PMM_META] = "frame metadata",
	[PMM_OWNER_LOWMEM] = "low memory",
	[PMM_OWNER_PAGE_TABLE] = "page table",
	[PMM_OWNER_SBRK] = "sbrk",
	[PMM_OWNER_DMA_TAKEN] = "DMA window",
	[PMM_OWNER_ANON] = "anonymous",
	[PMM_OWNER_DMA_BUFFER] = "DMA buffer",
	[PMM_OWNER_TEST] = "test",
};

const char *pmm_owner_name(enum pmm_owner owner)
{
	return (unsigned)owner < PMM_NR_OWNERS ? owner_names[owner] : "?";
}

static const char *const zone_names[PMM_NR_ZONES] = {"LOW", "DMA", "NORMAL"};

const char *pmm_zone_name(enum pmm_zone zone)
{
	return (unsigned)zone < PMM_NR_ZONES ? zone_names[zone] : "?";
}

/* ------------------------------------------------------------ free lists */

static inline paddr_t idx_pa(uint32_t i)
{
	return (paddr_t)(P.base + i) << PAGE_SHIFT;
}

static inline unsigned zone_of(uint32_t i)
{
	return i >= P.z[PMM_NORMAL].lo ? PMM_NORMAL
	       : i >= P.z[PMM_DMA].lo  ? PMM_DMA
				       : PMM_LOW;
}

/* Set the back link of free head i: two stores, no load. */
static inline void set_prev(uint32_t i, uint32_t prev)
{
	P.f[i].b1 = (uint8_t)prev;
	P.f[i].b23 = (uint16_t)(prev >> 8);
}

/* Make entry i the head of a free block of order k, first on its list. */
static inline void push(struct zone *z, uint32_t i, unsigned k)
{
	uint32_t h = z->head[k];

	P.f[i].a = h;
	P.f[i].b = F_FREE | k << F_ORDER_SHIFT | NIL << F_PREV_SHIFT;
	if (h != NIL)
		set_prev(h, i);
	z->head[k] = i;
	z->nonempty |= 1u << k;
	z->nblocks[k]++;
}

/* Take free block i of order k off its list (its entry is left as is). */
static inline void list_del(struct zone *z, uint32_t i, unsigned k)
{
	uint32_t nx = P.f[i].a, pv = P.f[i].b >> F_PREV_SHIFT;

	if (pv != NIL) {
		P.f[pv].a = nx;
	} else {
		z->head[k] = nx;
		if (nx == NIL)
			z->nonempty &= ~(1u << k);
	}
	if (nx != NIL)
		set_prev(nx, pv);
	z->nblocks[k]--;
}

/* Pop a block of order >= k from zone z and split it down to k: returns
 * its entry (still marked FREE: the caller marks it) or NIL. */
static inline uint32_t zone_take(struct zone *z, unsigned k)
{
	uint32_t m = z->nonempty & (~0u << k);

	if (!m)
		return NIL;
	unsigned j = (unsigned)__builtin_ctz(m);
	uint32_t i = z->head[j], nx = P.f[i].a;

	z->head[j] = nx;
	if (nx != NIL)
		set_prev(nx, NIL);
	else
		z->nonempty &= ~(1u << j);
	z->nblocks[j]--;
	while (j > k) {
		j--;
		push(z, i + (1u << j), j);
	}
	z->free -= (size_t)1 << k;
	return i;
}

/* Return block i of order k (not on any list, counted as not free) to
 * zone z, merging it with free buddies. Inlined in pmm_free(). */
static inline __attribute__((always_inline)) void
block_free_inline(struct zone *z, uint32_t i, unsigned k)
{
	const uint32_t base = P.base, lo = z->lo, len = z->hi - z->lo;

	z->free += (size_t)1 << k;
	P.f[i].a = 0;
	P.f[i].b = 0;
	while (k < PMM_MAX_ORDER) {
		uint32_t bd = ((base + i) ^ (1u << k)) - base;

		/* One test: bd inside the zone (outside the span it wraps to
		 * a huge value). A FREE head there of order k lies wholly in
		 * the zone (I2), so its block is a legal buddy. */
		if (bd - lo >= len)
			break;
		if ((P.f[bd].b & F_KIND_ORDER) != (F_FREE | k << F_ORDER_SHIFT))
			break;
		list_del(z, bd, k);
		/* The higher of the two becomes a TAIL. */
		if (bd < i) {
			P.f[i].a = 0;
			P.f[i].b = 0;
			i = bd;
		} else {
			P.f[bd].a = 0;
			P.f[bd].b = 0;
		}
		k++;
	}
	push(z, i, k);
}

static void block_free(struct zone *z, uint32_t i, unsigned k)
{
	block_free_inline(z, i, k);
}

/*
 * Block h of order k (off the lists, counted free, TAILs zero) is cut
 * along [lo, hi): frames inside get entry value `b` (an order-0 USED
 * head), the parts outside go back on the free lists as maximal blocks.
 * Those never need merging: their buddies straddle the cut. Returns the
 * number of frames marked.
 */
static size_t carve(struct zone *z, uint32_t h, unsigned k, uint32_t lo,
		    uint32_t hi, uint32_t b)
{
	uint32_t end = h + (1u << k);

	if (h >= lo && end <= hi) {
		for (uint32_t i = h; i < end; i++) {
			P.f[i].a = 0;
			P.f[i].b = b;
		}
		z->free -= (size_t)1 << k;
		return (size_t)1 << k;
	}
	if (end <= lo || h >= hi) {
		push(z, h, k);
		return 0;
	}
	/* Straddles a cut, so k > 0. */
	return carve(z, h, k - 1, lo, hi, b) +
	       carve(z, h + (1u << (k - 1)), k - 1, lo, hi, b);
}

/* The head of the block holding entry i (I1, I2: the first non-TAIL among
 * i aligned down to 2^0, 2^1, ...). O(PMM_MAX_ORDER). */
static uint32_t find_head(uint32_t i)
{
	for (unsigned k = 0; k <= PMM_MAX_ORDER; k++) {
		uint32_t h = ((P.base + i) & ~((1u << k) - 1)) - P.base;

		if (h > i)
			break; /* aligned below the span: corrupt */
		if ((P.f[h].b & F_KIND) != F_TAIL)
			return h;
	}
	return NIL;
}

/* ------------------------------------------------------------ start-up */

struct span {
	uint64_t lo, hi; /* frame numbers */
};

/* Whole pages of a usable entry, below the limit; false if none. */
static bool usable_pages(const struct boot_mem_region *r, uint64_t *lo,
			 uint64_t *hi)
{
	uint64_t s = r->base, e;

	if (r->type != BOOT_MEM_USABLE || r->size == 0)
		return false;
	e = r->size > UINT64_MAX - s ? UINT64_MAX : s + r->size;
	if (s > UINT64_MAX - (PAGE_SIZE - 1))
		return false;
	s = (s + PAGE_SIZE - 1) >> PAGE_SHIFT;
	e >>= PAGE_SHIFT;
	if (e > (PMM_PHYS_LIMIT >> PAGE_SHIFT))
		e = PMM_PHYS_LIMIT >> PAGE_SHIFT;
	if (s >= e)
		return false;
	*lo = s;
	*hi = e;
	return true;
}

static bool map_span(const struct boot_mem_region *map, unsigned n,
		     struct span *sp)
{
	bool any = false;

	sp->lo = UINT64_MAX;
	sp->hi = 0;
	for (unsigned i = 0; map && i < n; i++) {
		uint64_t lo, hi;

		if (!usable_pages(&map[i], &lo, &hi))
			continue;
		any = true;
		if (lo < sp->lo)
			sp->lo = lo;
		if (hi > sp->hi)
			sp->hi = hi;
	}
	return any;
}

size_t pmm_metadata_bytes(const struct boot_mem_region *map, unsigned n)
{
	struct span sp;

	if (!map_span(map, n, &sp))
		return 0;
	return (size_t)(sp.hi - sp.lo) * PMM_META_PER_FRAME;
}

/* Give each run of RAM frames in zone z to the allocator as maximal
 * naturally aligned blocks (which makes coalescing complete, I4). */
static void zone_carve(struct zone *z)
{
	uint32_t i = z->lo;

	while (i < z->hi) {
		if (P.f[i].b != RAM_MARK) {
			i++;
			continue;
		}
		uint32_t j = i;
		while (j < z->hi && P.f[j].b == RAM_MARK)
			j++;
		z->total += j - i;
		z->free += j - i;
		while (i < j) {
			unsigned k = PMM_MAX_ORDER;
			while (k && (((P.base + i) & ((1u << k) - 1)) ||
				     j - i < (1u << k)))
				k--;
			push(z, i, k);
			i += 1u << k;
		}
	}
}

static uint32_t clip_frame(uint64_t pfn)
{
	if (pfn <= P.base)
		return 0;
	if (pfn - P.base >= P.n)
		return P.n;
	return (uint32_t)(pfn - P.base);
}

int pmm_init(const struct boot_mem_region *map, unsigned n, void *meta,
	     size_t meta_size, struct pmm_init_report *report)
{
	struct pmm_init_report rep;
	struct span sp;
	pmm_lock_t s = pmm_lock();
	int err = 0;

	memset(&rep, 0, sizeof(rep));
	P.ready = false;
	P.n = 0; /* pmm_free's fast path tests only rel < P.n */
	if ((!map && n) || !meta || ((uintptr_t)meta & 3)) {
		set_err("pmm_init: NULL map or metadata, or metadata not "
			"4-byte aligned",
			NULL, 0, 0, 0);
		err = -EINVAL;
		goto out;
	}
	rep.entries = n;
	for (unsigned i = 0; i < n; i++) {
		const struct boot_mem_region *r = &map[i];
		uint64_t lo, hi, end;

		if (r->type != BOOT_MEM_USABLE) {
			if (r->size == 0)
				rep.entries_ignored++;
			continue;
		}
		end = r->size > UINT64_MAX - r->base ? UINT64_MAX
						     : r->base + r->size;
		if (end > PMM_PHYS_LIMIT)
			rep.above_limit += end - (r->base > PMM_PHYS_LIMIT
							  ? r->base
							  : PMM_PHYS_LIMIT);
		if (!usable_pages(r, &lo, &hi)) {
			rep.entries_ignored++;
			if (r->size && r->base < PMM_PHYS_LIMIT)
				rep.clipped_bytes +=
					(end < PMM_PHYS_LIMIT
						 ? end
						 : PMM_PHYS_LIMIT) -
					r->base;
			continue;
		}
		uint64_t kept = (hi - lo) << PAGE_SHIFT;
		uint64_t below =
			(end < PMM_PHYS_LIMIT ? end : PMM_PHYS_LIMIT) - r->base;
		if (kept != r->size) {
			rep.entries_clipped++;
			rep.clipped_bytes += below - kept;
		}
	}
	if (!map_span(map, n, &sp)) {
		set_err("pmm_init: the memory map has no usable RAM (%u "
			"entries)",
			NULL, n, 0, 0);
		err = -ENOENT;
		goto out;
	}
	rep.meta_bytes = (size_t)(sp.hi - sp.lo) * PMM_META_PER_FRAME;
	if (meta_size < rep.meta_bytes) {
		set_err("pmm_init: metadata buffer of %u bytes, %u needed",
			NULL, meta_size, rep.meta_bytes, 0);
		err = -ENOSPC;
		goto out;
	}
	memset(&P, 0, sizeof(P));
	P.f = meta;
	P.base = (uint32_t)sp.lo;
	P.n = (uint32_t)(sp.hi - sp.lo);
	for (uint32_t i = 0; i < P.n; i++) {
		P.f[i].a = 0;
		P.f[i].b = HOLE_B;
	}
	/* Usable entries, then non-usable ones: non-usable wins. */
	for (unsigned i = 0; i < n; i++) {
		uint64_t lo, hi;

		if (!usable_pages(&map[i], &lo, &hi))
			continue;
		for (uint32_t j = clip_frame(lo); j < clip_frame(hi); j++)
			P.f[j].b = RAM_MARK;
	}
	for (unsigned i = 0; i < n; i++) {
		const struct boot_mem_region *r = &map[i];
		uint64_t lo, hi;

		if (r->type == BOOT_MEM_USABLE || r->size == 0)
			continue;
		lo = r->base >> PAGE_SHIFT;
		uint64_t e = r->size > UINT64_MAX - r->base ? UINT64_MAX
							    : r->base + r->size;
		hi = (e >> PAGE_SHIFT) + ((e & (PAGE_SIZE - 1)) != 0);
		for (uint32_t j = clip_frame(lo); j < clip_frame(hi); j++) {
			if (P.f[j].b == RAM_MARK)
				rep.hidden_bytes += PAGE_SIZE;
			P.f[j].b = HOLE_B;
		}
	}
	/* Zones: entries [0, low) [low, dma) [dma, n). */
	uint32_t low = clip_frame(PMM_LOW_LIMIT >> PAGE_SHIFT);
	uint32_t dma = clip_frame(PMM_DMA_LIMIT >> PAGE_SHIFT);
	uint32_t cut[PMM_NR_ZONES + 1] = {0, low, dma, P.n};
	for (unsigned z = 0; z < PMM_NR_ZONES; z++) {
		for (unsigned k = 0; k < PMM_NR_ORDERS; k++)
			P.z[z].head[k] = NIL;
		P.z[z].lo = cut[z];
		P.z[z].hi = cut[z + 1];
		zone_carve(&P.z[z]);
		rep.zone_pages[z] = P.z[z].total;
		rep.usable_bytes += (uint64_t)P.z[z].total << PAGE_SHIFT;
	}
	if (!rep.usable_bytes) {
		set_err("pmm_init: the memory map has no usable RAM: reserved "
			"entries cover it all",
			NULL, 0, 0, 0);
		err = -ENOENT;
		goto out;
	}
	rep.span_start = (paddr_t)sp.lo << PAGE_SHIFT;
	rep.span_end = (paddr_t)sp.hi << PAGE_SHIFT;
	P.ready = true;
out:
	if (err)
		P.n = 0;
	if (report)
		*report = rep;
	pmm_unlock(s);
	return err;
}

/* ------------------------------------------------------------ allocation */

#define ALLOC_OWNERS                                                           \
	(((1u << PMM_NR_OWNERS) - 1) &                                         \
	 ~(1u << PMM_OWNER_FREE | 1u << PMM_OWNER_RESERVED |                   \
	   1u << PMM_OWNER_DMA_TAKEN))

static inline bool alloc_owner_ok(unsigned owner)
{
	return owner < 32 && (ALLOC_OWNERS >> owner & 1);
}

static int largest_order(const struct zone *z)
{
	return z->nonempty ? 31 - __builtin_clz(z->nonempty) : -1;
}

static void exhausted(unsigned zone, bool fallback, unsigned order)
{
	int lz = largest_order(&P.z[zone]);

	if (fallback) {
		int ld = largest_order(&P.z[PMM_DMA]);
		lz = ld > lz ? ld : lz;
	}
	P.z[zone].failures++;
	if (lz < 0)
		set_err(fallback ? "zones %s and DMA exhausted: no free block "
				   "of order %u (no free pages)"
				 : "zone %s exhausted: no free block of order "
				   "%u (no free pages)",
			zone_names[zone], order, 0, 0);
	else
		set_err(fallback ? "zones %s and DMA exhausted: no free block "
				   "of order %u (largest free order %u)"
				 : "zone %s exhausted: no free block of order "
				   "%u (largest free order %u)",
			zone_names[zone], order, (uint64_t)lz, 0);
}

/* Take a block of order k for the zone policy; NIL (reason set) if none. */
static uint32_t policy_take(unsigned policy, unsigned k, unsigned *zone)
{
	uint32_t i;

	switch (policy) {
	case PMM_ZONE_NORMAL:
		i = zone_take(&P.z[PMM_NORMAL], k);
		if (i != NIL) {
			*zone = PMM_NORMAL;
			return i;
		}
		i = zone_take(&P.z[PMM_DMA], k);
		if (i != NIL) {
			*zone = PMM_DMA;
			return i;
		}
		exhausted(PMM_NORMAL, true, k);
		return NIL;
	case PMM_ZONE_DMA:
	case PMM_ZONE_LOW:
		*zone = policy == PMM_ZONE_DMA ? PMM_DMA : PMM_LOW;
		i = zone_take(&P.z[*zone], k);
		if (i == NIL)
			exhausted(*zone, false, k);
		return i;
	default:
		set_err("pmm_alloc: bad zone policy %u", NULL, policy, 0, 0);
		return NIL;
	}
}

static __attribute__((noinline)) void
alloc_refused(unsigned order, unsigned flags, unsigned owner)
{
	if (!P.ready)
		set_err("pmm_alloc: the PMM is not initialised", NULL, 0, 0, 0);
	else if (order > PMM_MAX_ORDER)
		set_err("pmm_alloc: order %u above the largest (%u)", NULL,
			order, PMM_MAX_ORDER, 0);
	else
		set_err("pmm_alloc: bad owner %u or flags %x", NULL, owner,
			flags, 0);
}

/* Everything but the fast path of pmm_alloc(); the caller holds the lock. */
static __attribute__((noinline)) paddr_t
alloc_slow(unsigned order, unsigned flags, enum pmm_owner owner)
{
	unsigned zone;
	uint32_t i;

	if (!P.ready || order > PMM_MAX_ORDER || !alloc_owner_ok(owner) ||
	    (flags & ~(PMM_ZONE_MASK | PMM_PINNED))) {
		alloc_refused(order, flags, owner);
		return PMM_NO_PAGE;
	}
	i = policy_take(flags & PMM_ZONE_MASK, order, &zone);
	if (i == NIL)
		return PMM_NO_PAGE;
	P.f[i].a = 0;
	P.f[i].b = F_USED | order << F_ORDER_SHIFT |
		   (uint32_t)owner << F_OWNER_SHIFT | F_ALLOC |
		   (flags & PMM_PINNED ? F_PINNED : 0);
	P.z[zone].allocs++;
	return idx_pa(i);
}

paddr_t pmm_alloc(unsigned order, unsigned flags, enum pmm_owner owner)
{
	pmm_lock_t s = pmm_lock();
	struct zone *z = &P.z[PMM_NORMAL];
	paddr_t pa;
	uint32_t i;

	/* Fast path: an ordinary request, and NORMAL has a free block of
	 * exactly this order: one list pop, no split. */
	if (__builtin_expect(flags == PMM_ZONE_NORMAL && P.ready &&
				     order <= PMM_MAX_ORDER &&
				     alloc_owner_ok(owner),
			     1) &&
	    (i = z->head[order]) != NIL) {
		uint32_t nx = P.f[i].a;
		z->head[order] = nx;
		if (nx != NIL)
			set_prev(nx, NIL);
		else
			z->nonempty &= ~(1u << order);
		z->nblocks[order]--;
		z->free -= (size_t)1 << order;
		P.f[i].a = 0;
		P.f[i].b = F_USED | order << F_ORDER_SHIFT |
			   (uint32_t)owner << F_OWNER_SHIFT | F_ALLOC;
		z->allocs++;
		pa = idx_pa(i);
	} else {
		pa = alloc_slow(order, flags, owner);
	}
	pmm_unlock(s);
	return pa;
}

paddr_t pmm_alloc_aligned(unsigned count_order, unsigned align_order,
			  unsigned flags, enum pmm_owner owner)
{
	if (align_order <= count_order)
		return pmm_alloc(count_order, flags, owner);
	if (align_order > PMM_MAX_ORDER) {
		pmm_lock_t s = pmm_lock();
		set_err("pmm_alloc_aligned: alignment order %u above the "
			"largest block (%u)",
			NULL, align_order, PMM_MAX_ORDER, 0);
		pmm_unlock(s);
		return PMM_NO_PAGE;
	}
	paddr_t pa = pmm_alloc(align_order, flags, owner);
	if (pa == PMM_NO_PAGE)
		return pa;

	/* Give back the tail: pieces of order count..align-1, each the upper
	 * buddy of an allocated lower part, so no merging. */
	pmm_lock_t s = pmm_lock();
	uint32_t i = (uint32_t)(pa >> PAGE_SHIFT) - P.base;
	struct zone *z = &P.z[zone_of(i)];
	for (unsigned k = count_order; k < align_order; k++) {
		push(z, i + (1u << k), k);
		z->free += (size_t)1 << k;
	}
	P.f[i].b = (P.f[i].b & ~F_ORDER_MASK) | count_order << F_ORDER_SHIFT;
	pmm_unlock(s);
	return pa;
}

/* Entry index of a page-aligned pa inside the span, or NIL (reason set). */
static uint32_t pa_index(const char *who, paddr_t pa)
{
	if (!P.ready) {
		set_err("%s: the PMM is not initialised", who, 0, 0, 0);
		return NIL;
	}
	if (pa & (PAGE_SIZE - 1)) {
		set_err("%s(%x): address not page-aligned", who, pa, 0, 0);
		return NIL;
	}
	uint64_t pfn = (uint64_t)pa >> PAGE_SHIFT;
	if (pfn < P.base || pfn - P.base >= P.n) {
		set_err("%s(%x): outside RAM", who, pa, 0, 0);
		return NIL;
	}
	return (uint32_t)(pfn - P.base);
}

/* Why entry i (in use or not) is not an allocated block head. */
static void not_allocated(const char *who, uint32_t i)
{
	uint32_t b = P.f[i].b;

	if ((b & F_KIND) == F_FREE) {
		set_err("%s(%x): frame is free (double free?)", who, idx_pa(i),
			0, 0);
	} else if ((b & F_KIND) == F_TAIL) {
		uint32_t h = find_head(i);
		if (h != NIL && (P.f[h].b & F_KIND) == F_FREE)
			set_err("%s(%x): frame is free (double free?)", who,
				idx_pa(i), 0, 0);
		else
			set_err("%s(%x): not the first frame of its block "
				"(block at %x, order %u)",
				who, idx_pa(i), h == NIL ? 0 : idx_pa(h),
				h == NIL ? 0 : f_order(P.f[h].b));
	} else if (b & F_HOLE) {
		set_err("%s(%x): not RAM (a hole in the memory map)", who,
			idx_pa(i), 0, 0);
	} else {
		set_err(b & F_TAKEN
				? "frame %x is taken (%s), not an allocated "
				  "block"
				: "frame %x is reserved (%s), not an "
				  "allocated block",
			owner_names[f_owner(b)], idx_pa(i), 0, 0);
	}
}

/* Clear the recorded mappings of used block i of order k. */
static void forget_mappings(uint32_t i, unsigned k)
{
	for (uint32_t j = 0; j < (1u << k); j++)
		P.f[i + j].a = 0;
	P.f[i].b &= ~F_MAPPED;
}

/* pmm_free() when there are mappings to forget or buddies to merge. */
static __attribute__((noinline)) void free_merge(struct zone *z, uint32_t i,
						 unsigned order)
{
	if (P.f[i].b & F_MAPPED)
		forget_mappings(i, order);
	block_free_inline(z, i, order);
}

static __attribute__((noinline)) void free_refused(paddr_t pa, unsigned order)
{
	uint32_t i = pa_index("pmm_free", pa), b;

	if (i == NIL)
		return;
	b = P.f[i].b;
	if ((b & (F_KIND | F_ALLOC)) != (F_USED | F_ALLOC))
		not_allocated("pmm_free", i);
	else if (b & F_MOVING)
		set_err("pmm_free(%x): block is being relocated", NULL, pa, 0,
			0);
	else
		set_err("pmm_free(%x, %u): wrong order, the block is order %u",
			NULL, pa, order, f_order(b));
}

int pmm_free(paddr_t pa, unsigned order)
{
	pmm_lock_t s = pmm_lock();
	uint64_t rel = ((uint64_t)pa >> PAGE_SHIFT) - P.base;
	int err = -EINVAL;

	/* The common case in one test: page-aligned, inside the span, the
	 * head of an allocated block of this order that is not moving. */
	if (__builtin_expect(!(pa & (PAGE_SIZE - 1)) && rel < P.n, 1)) {
		uint32_t i = (uint32_t)rel, b = P.f[i].b;
		if (__builtin_expect(
			    (b & (F_KIND_ORDER | F_ALLOC | F_MOVING)) ==
				    (F_USED | F_ALLOC | order << F_ORDER_SHIFT),
			    1)) {
			struct zone *z = &P.z[zone_of(i)];
			uint32_t bd = ((P.base + i) ^ (1u << order)) - P.base;
			/* Fast path: nothing mapped, and the buddy is not a
			 * free block of this order: no merging. */
			if (__builtin_expect(!(b & F_MAPPED), 1) &&
			    (order == PMM_MAX_ORDER ||
			     bd - z->lo >= z->hi - z->lo ||
			     (P.f[bd].b & F_KIND_ORDER) !=
				     (F_FREE | order << F_ORDER_SHIFT))) {
				z->free += (size_t)1 << order;
				push(z, i, order);
			} else {
				free_merge(z, i, order);
			}
			z->frees++;
			err = 0;
			goto out;
		}
	}
	free_refused(pa, order);
out:
	pmm_unlock(s);
	return err;
}

/* ------------------------------------------------------------ ranges */

/* [start, end) widened to whole pages and clipped to the span, as entry
 * indices; false if end < start. */
static bool range_idx(paddr_t start, paddr_t end, uint32_t *lo, uint32_t *hi)
{
	if (end < start)
		return false;
	*lo = clip_frame((uint64_t)start >> PAGE_SHIFT);
	*hi = clip_frame(((uint64_t)end + PAGE_SIZE - 1) >> PAGE_SHIFT);
	return true;
}

/* Would taking the frames of USED head b be stealing them from someone? */
static inline bool handed_out(uint32_t b)
{
	return (b & (F_ALLOC | F_TAKEN)) != 0;
}

int pmm_reserve(paddr_t start, paddr_t end, enum pmm_owner owner)
{
	pmm_lock_t s = pmm_lock();
	uint32_t lo, hi, i;
	int err = -EINVAL;

	if (!P.ready || !range_idx(start, end, &lo, &hi) ||
	    (unsigned)owner >= PMM_NR_OWNERS || owner == PMM_OWNER_FREE ||
	    owner == PMM_OWNER_DMA_TAKEN) {
		set_err("pmm_reserve(%x, %x): bad range or owner, or not "
			"initialised",
			NULL, start, end, 0);
		goto out;
	}
	if (lo >= hi) {
		err = 0;
		goto out;
	}
	/* Pass 1: refuse if anything in the range was handed out. */
	for (i = find_head(lo); i < hi; i += 1u << f_order(P.f[i].b)) {
		uint32_t b = P.f[i].b;
		if ((b & F_KIND) == F_USED && handed_out(b)) {
			set_err("pmm_reserve(%x, %x): frame %x is already "
				"handed out (%s)",
				owner_names[f_owner(b)], start, end,
				idx_pa(i < lo ? lo : i));
			err = -EBUSY;
			goto out;
		}
	}
	/* Pass 2: cut the free blocks. */
	uint32_t rb = F_USED | (uint32_t)owner << F_OWNER_SHIFT | F_IDENT;
	for (i = find_head(lo); i < hi;) {
		uint32_t b = P.f[i].b;
		unsigned k = f_order(b);
		if ((b & F_KIND) == F_FREE) {
			struct zone *z = &P.z[zone_of(i)];
			list_del(z, i, k);
			carve(z, i, k, lo, hi, rb);
		}
		i += 1u << k;
	}
	err = 0;
out:
	pmm_unlock(s);
	return err;
}

int pmm_take_range(paddr_t start, paddr_t end, struct pmm_take_result *res)
{
	pmm_lock_t s = pmm_lock();
	struct pmm_take_result r = {0, 0, 0, 0};
	uint32_t lo, hi, i;
	int err = -EINVAL;

	if (!P.ready || !range_idx(start, end, &lo, &hi)) {
		set_err("pmm_take_range(%x, %x): bad range or not initialised",
			NULL, start, end, 0);
		goto out;
	}
	uint64_t want = (((uint64_t)end + PAGE_SIZE - 1) >> PAGE_SHIFT) -
			((uint64_t)start >> PAGE_SHIFT);
	r.not_ram = (size_t)(want - (hi - lo));
	/* Pass 1: count, and refuse an overlap with another window. */
	for (i = lo < hi ? find_head(lo) : hi; i < hi;) {
		uint32_t b = P.f[i].b;
		unsigned k = f_order(b);
		uint32_t a = i < lo ? lo : i, e = i + (1u << k);
		size_t in = (e < hi ? e : hi) - a;

		if ((b & F_KIND) == F_USED) {
			if (b & F_HOLE) {
				r.not_ram += in;
			} else if (f_owner(b) == PMM_OWNER_DMA_TAKEN) {
				set_err("pmm_take_range(%x, %x): frame %x is "
					"already in a DMA window",
					NULL, start, end, idx_pa(a));
				err = -EBUSY;
				goto out;
			} else {
				r.busy += in;
				if (!(b & F_ALLOC) ||
				    (b & (F_PINNED | F_MOVING)))
					r.immovable += in;
			}
		}
		i = e;
	}
	/* Pass 2: take the free blocks. */
	uint32_t tb = F_USED | PMM_OWNER_DMA_TAKEN << F_OWNER_SHIFT | F_TAKEN;
	for (i = lo < hi ? find_head(lo) : hi; i < hi;) {
		uint32_t b = P.f[i].b;
		unsigned k = f_order(b);
		if ((b & F_KIND) == F_FREE) {
			struct zone *z = &P.z[zone_of(i)];
			list_del(z, i, k);
			r.taken += carve(z, i, k, lo, hi, tb);
		}
		i += 1u << k;
	}
	err = 0;
out:
	if (res)
		*res = r;
	pmm_unlock(s);
	return err;
}

long pmm_give_back(paddr_t start, paddr_t end)
{
	pmm_lock_t s = pmm_lock();
	const uint32_t want =
		F_USED | PMM_OWNER_DMA_TAKEN << F_OWNER_SHIFT | F_TAKEN;
	const uint32_t mask = F_KIND | F_OWNER_MASK | F_TAKEN;
	uint32_t lo, hi;
	long n = 0;

	if (!P.ready || !range_idx(start, end, &lo, &hi)) {
		set_err("pmm_give_back(%x, %x): bad range or not initialised",
			NULL, start, end, 0);
		n = -EINVAL;
		goto out;
	}
	/* Taken frames are order-0 heads; freeing one only merges it with
	 * free frames, so the ones after it keep their entries. */
	for (uint32_t i = lo; i < hi; i++) {
		if ((P.f[i].b & mask) != want)
			continue;
		block_free(&P.z[zone_of(i)], i, 0);
		n++;
	}
out:
	pmm_unlock(s);
	return n;
}

size_t pmm_take_low(pmm_range_fn fn, void *arg)
{
	pmm_lock_t s = pmm_lock();
	const uint32_t lb =
		F_USED | PMM_OWNER_LOWMEM << F_OWNER_SHIFT | F_TAKEN | F_IDENT;
	struct zone *z = &P.z[PMM_LOW];
	size_t claimed = 0;
	uint32_t run = NIL;

	if (!P.ready)
		goto out;
	/* The LOW zone starts the span when it is not empty, so walking
	 * head by head from z->lo is valid (I1). */
	for (uint32_t i = z->lo; i < z->hi;) {
		uint32_t b = P.f[i].b;
		unsigned k = f_order(b);
		if ((b & F_KIND) == F_FREE) {
			list_del(z, i, k);
			claimed += carve(z, i, k, i, i + (1u << k), lb);
			if (run == NIL)
				run = i;
		} else if (run != NIL) {
			if (fn)
				fn(idx_pa(run), idx_pa(i), arg);
			run = NIL;
		}
		i += 1u << k;
	}
	if (run != NIL && fn)
		fn(idx_pa(run), idx_pa(z->hi), arg);
out:
	pmm_unlock(s);
	return claimed;
}

/* ------------------------------------------------------------ reverse map */

static void describe(uint32_t i, uint32_t h, struct pmm_frame_info *out)
{
	uint32_t b = P.f[h].b;

	memset(out, 0, sizeof(*out));
	out->zone = (enum pmm_zone)zone_of(i);
	out->head = idx_pa(h);
	out->order = f_order(b);
	out->is_head = i == h;
	out->ram = true;
	if ((b & F_KIND) == F_FREE) {
		out->owner = PMM_OWNER_FREE;
		return;
	}
	out->ram = !(b & F_HOLE); /* FREE heads keep a link in those bits */
	out->owner = (enum pmm_owner)f_owner(b);
	out->identity = (b & F_IDENT) != 0;
	out->allocated = (b & F_ALLOC) != 0;
	out->relocating = (b & F_MOVING) != 0;
	out->movable = out->allocated && !(b & (F_PINNED | F_MOVING));
	out->va = out->identity && !P.f[i].a ? idx_pa(i)
					     : (vaddr_t)P.f[i].a << PAGE_SHIFT;
}

int pmm_frame_info(paddr_t pa, struct pmm_frame_info *out)
{
	pmm_lock_t s = pmm_lock();
	uint64_t pfn = (uint64_t)pa >> PAGE_SHIFT;
	int err = -ENOENT;

	if (!P.ready || pfn < P.base || pfn - P.base >= P.n) {
		set_err("pmm_frame_info(%x): outside the managed span", NULL,
			pa, 0, 0);
		goto out;
	}
	uint32_t i = (uint32_t)(pfn - P.base), h = find_head(i);
	if (h == NIL) {
		set_err("pmm_frame_info(%x): no block head (metadata corrupt)",
			NULL, pa, 0, 0);
		err = -EFAULT;
		goto out;
	}
	describe(i, h, out);
	err = 0;
out:
	pmm_unlock(s);
	return err;
}

int pmm_set_mapping(paddr_t pa, size_t pages, vaddr_t va)
{
	pmm_lock_t s = pmm_lock();
	uint32_t i = pa_index("pmm_set_mapping", pa), h;
	int err = -EINVAL;

	if (i == NIL)
		goto out;
	uint64_t vpn = (uint64_t)va >> PAGE_SHIFT;
	if ((va & (PAGE_SIZE - 1)) || pages > P.n - i ||
	    (va && vpn + pages - 1 > UINT32_MAX) || (va && vpn + pages < vpn)) {
		set_err("pmm_set_mapping(%x, %u pages, va %x): misaligned va "
			"or range too long",
			NULL, pa, pages, va);
		goto out;
	}
	uint32_t end = i + (uint32_t)pages;
	for (h = find_head(i); h < end; h += 1u << f_order(P.f[h].b)) {
		uint32_t b = P.f[h].b;
		if ((b & F_KIND) != F_USED || !handed_out(b)) {
			set_err("pmm_set_mapping(%x): frame %x is not handed "
				"out (%s)",
				(b & F_KIND) == F_FREE
					? "free"
					: owner_names[f_owner(b)],
				pa, idx_pa(h < i ? i : h), 0);
			goto out;
		}
	}
	for (h = find_head(i); h < end; h += 1u << f_order(P.f[h].b)) {
		uint32_t a = h < i ? i : h, e = h + (1u << f_order(P.f[h].b));
		for (uint32_t j = a; j < e && j < end; j++)
			P.f[j].a = va ? (uint32_t)(vpn + (j - i)) : 0;
		if (va)
			P.f[h].b |= F_MAPPED;
	}
	err = 0;
out:
	pmm_unlock(s);
	return err;
}

int pmm_range_next(paddr_t start, paddr_t end, paddr_t *cursor,
		   struct pmm_frame_info *out)
{
	pmm_lock_t s = pmm_lock();
	uint32_t lo, hi;
	int ret = -EINVAL;

	if (!P.ready || !cursor || !range_idx(start, end, &lo, &hi)) {
		set_err("pmm_range_next(%x, %x): bad range or not initialised",
			NULL, start, end, 0);
		goto out;
	}
	uint32_t c = clip_frame((uint64_t)*cursor >> PAGE_SHIFT);
	if (c < lo)
		c = lo;
	ret = 0;
	if (c >= hi) {
		*cursor = end;
		goto out;
	}
	uint32_t h = find_head(c);
	if (h == NIL) {
		ret = -EFAULT;
		goto out;
	}
	describe(c, h, out);
	uint32_t next = h + (1u << f_order(P.f[h].b));
	*cursor = next >= hi ? end : idx_pa(next);
	ret = 1;
out:
	pmm_unlock(s);
	return ret;
}

/* A USED, allocated, not-moving block head at pa; NIL with reason if not. */
static uint32_t alloc_head(const char *who, paddr_t pa)
{
	uint32_t i = pa_index(who, pa);

	if (i == NIL)
		return NIL;
	if ((P.f[i].b & (F_KIND | F_ALLOC)) != (F_USED | F_ALLOC)) {
		not_allocated(who, i);
		return NIL;
	}
	return i;
}

paddr_t pmm_relocate_begin(paddr_t old_head)
{
	pmm_lock_t s = pmm_lock();
	uint32_t i = alloc_head("pmm_relocate_begin", old_head), n, b;
	paddr_t pa = PMM_NO_PAGE;
	unsigned zone, k;

	if (i == NIL)
		goto out;
	b = P.f[i].b;
	if (b & (F_PINNED | F_MOVING)) {
		set_err(b & F_MOVING ? "pmm_relocate_begin(%x): already being "
				       "relocated"
				     : "pmm_relocate_begin(%x): block is "
				       "pinned",
			NULL, old_head, 0, 0);
		goto out;
	}
	k = f_order(b);
	zone = zone_of(i);
	n = policy_take(zone == PMM_NORMAL ? PMM_ZONE_NORMAL
			: zone == PMM_DMA  ? PMM_ZONE_DMA
					   : PMM_ZONE_LOW,
			k, &zone);
	if (n == NIL)
		goto out;
	P.f[n].b = b;
	P.f[n].a = P.f[i].a;
	if (b & F_MAPPED) {
		for (uint32_t j = 1; j < (1u << k); j++)
			P.f[n + j].a = P.f[i + j].a;
		forget_mappings(i, k);
	}
	P.f[i].a = 0;
	P.f[i].b |= F_MOVING;
	P.z[zone].allocs++;
	pa = idx_pa(n);
out:
	pmm_unlock(s);
	return pa;
}

int pmm_relocate_end(paddr_t old_head, paddr_t start, paddr_t end)
{
	pmm_lock_t s = pmm_lock();
	uint32_t i = alloc_head("pmm_relocate_end", old_head), lo, hi;
	int err = -EINVAL;

	if (i == NIL)
		goto out;
	uint32_t b = P.f[i].b;
	unsigned k = f_order(b);
	if (!(b & F_MOVING) || !range_idx(start, end, &lo, &hi)) {
		set_err("pmm_relocate_end(%x): not being relocated, or bad "
			"range",
			NULL, old_head, 0, 0);
		goto out;
	}
	struct zone *z = &P.z[zone_of(i)];
	if (hi <= i || lo >= i + (1u << k)) {
		block_free(z, i, k);
	} else {
		z->free += (size_t)1 << k;
		P.f[i].b = 0;
		carve(z, i, k, lo, hi,
		      F_USED | PMM_OWNER_DMA_TAKEN << F_OWNER_SHIFT | F_TAKEN);
	}
	err = 0;
out:
	pmm_unlock(s);
	return err;
}

int pmm_relocate_abort(paddr_t old_head, paddr_t new_head)
{
	pmm_lock_t s = pmm_lock();
	uint32_t i = alloc_head("pmm_relocate_abort", old_head), n;
	int err = -EINVAL;

	if (i == NIL)
		goto out;
	n = alloc_head("pmm_relocate_abort", new_head);
	if (n == NIL)
		goto out;
	uint32_t b = P.f[i].b;
	unsigned k = f_order(b);
	if (!(b & F_MOVING) || (P.f[n].b & F_MOVING) ||
	    f_order(P.f[n].b) != k) {
		set_err("pmm_relocate_abort(%x, %x): not a relocation pair",
			NULL, old_head, new_head, 0);
		goto out;
	}
	P.f[i].b = P.f[n].b;
	P.f[i].a = P.f[n].a;
	if (P.f[n].b & F_MAPPED) {
		for (uint32_t j = 1; j < (1u << k); j++)
			P.f[i + j].a = P.f[n + j].a;
		forget_mappings(n, k);
	}
	struct zone *z = &P.z[zone_of(n)];
	block_free(z, n, k);
	z->allocs--;
	err = 0;
out:
	pmm_unlock(s);
	return err;
}

/* ------------------------------------------------------------ statistics */

void pmm_zone_stats(enum pmm_zone zone, struct pmm_zone_stats *out)
{
	pmm_lock_t s = pmm_lock();

	memset(out, 0, sizeof(*out));
	if (P.ready && (unsigned)zone < PMM_NR_ZONES) {
		const struct zone *z = &P.z[zone];
		if (z->lo < z->hi) {
			out->start = idx_pa(z->lo);
			out->end = idx_pa(z->hi);
		}
		out->total_pages = z->total;
		out->free_pages = z->free;
		for (unsigned k = 0; k < PMM_NR_ORDERS; k++)
			out->free_blocks[k] = z->nblocks[k];
		out->allocs = z->allocs;
		out->frees = z->frees;
		out->failures = z->failures;
	}
	pmm_unlock(s);
}

size_t pmm_free_pages(void)
{
	pmm_lock_t s = pmm_lock();
	size_t n = 0;

	if (P.ready)
		n = P.z[0].free + P.z[1].free + P.z[2].free;
	pmm_unlock(s);
	return n;
}

/* ------------------------------------------------------------ tests */

static struct pmm_state P_saved;
static bool P_set_aside;

void pmm_test_enter(void)
{
	pmm_lock_t s = pmm_lock();

	if (!P_set_aside) {
		P_saved = P;
		P_set_aside = true;
	}
	P.ready = false;
	P.n = 0;
	pmm_unlock(s);
}

void pmm_test_exit(void)
{
	pmm_lock_t s = pmm_lock();

	if (P_set_aside) {
		P = P_saved;
		P_set_aside = false;
	}
	pmm_unlock(s);
}

/* ------------------------------------------------------------ checking */

#define CHECK(cond, fmt, v0, v1)                                               \
	do {                                                                   \
		if (!(cond)) {                                                 \
			set_err("pmm_check: " fmt, NULL, v0, v1, 0);           \
			return -EFAULT;                                        \
		}                                                              \
	} while (0)

static int check_zone(unsigned zi)
{
	const struct zone *z = &P.z[zi];
	size_t free = 0, total = 0, blocks[PMM_NR_ORDERS] = {0};

	/* I1, I2, I4, I5, I6, I7 by walking the zone head by head. */
	for (uint32_t i = z->lo; i < z->hi;) {
		uint32_t b = P.f[i].b;
		unsigned k = f_order(b);
		uint32_t kind = b & F_KIND;

		CHECK(kind != F_TAIL, "frame %x: TAIL where a head belongs",
		      idx_pa(i), 0);
		CHECK(k <= PMM_MAX_ORDER, "frame %x: order %u", idx_pa(i), k);
		CHECK(!((P.base + i) & ((1u << k) - 1)),
		      "block %x: not aligned to its order %u", idx_pa(i), k);
		CHECK(z->hi - i >= (1u << k),
		      "block %x: order %u crosses the zone end", idx_pa(i), k);
		for (uint32_t j = 1; j < (1u << k); j++) {
			CHECK(P.f[i + j].b == 0,
			      "frame %x: inside block %x but not a TAIL",
			      idx_pa(i + j), idx_pa(i));
			CHECK(kind != F_FREE || P.f[i + j].a == 0,
			      "frame %x: TAIL of a free block has a mapping",
			      idx_pa(i + j), 0);
		}
		if (kind == F_FREE) {
			free += (size_t)1 << k;
			total += (size_t)1 << k;
			blocks[k]++;
			if (k < PMM_MAX_ORDER) {
				uint32_t bd =
					((P.base + i) ^ (1u << k)) - P.base;
				CHECK(bd < z->lo || bd >= z->hi ||
					      z->hi - bd < (1u << k) ||
					      (P.f[bd].b & F_KIND_ORDER) !=
						      (F_FREE |
						       k << F_ORDER_SHIFT),
				      "free block %x has a free buddy of order "
				      "%u (coalescing incomplete)",
				      idx_pa(i), k);
			}
		} else {
			unsigned o = f_owner(b);
			CHECK(o != PMM_OWNER_FREE && o < PMM_NR_OWNERS,
			      "frame %x: used with owner %u", idx_pa(i), o);
			CHECK(!(b & (F_HOLE | F_TAKEN | F_IDENT)) || k == 0,
			      "frame %x: reserved/taken/hole of order %u",
			      idx_pa(i), k);
			CHECK(!(b & F_ALLOC) || !(b & (F_HOLE | F_TAKEN)),
			      "frame %x: allocated and taken/hole", idx_pa(i),
			      0);
			bool mapped = false;
			for (uint32_t j = 0; j < (1u << k); j++)
				mapped |= P.f[i + j].a != 0;
			CHECK(!mapped || (b & F_MAPPED),
			      "block %x: mapped frames but no F_MAPPED",
			      idx_pa(i), 0);
			if (!(b & F_HOLE))
				total += (size_t)1 << k;
		}
		i += 1u << k;
	}
	CHECK(free == z->free, "zone free count %u, blocks hold %u", z->free,
	      free);
	CHECK(total == z->total, "zone RAM count %u, frames say %u", z->total,
	      total);
	/* I3: each list holds exactly the free blocks of its order. */
	for (unsigned k = 0; k < PMM_NR_ORDERS; k++) {
		size_t len = 0;
		uint32_t prev = NIL;

		CHECK(!(z->nonempty & (1u << k)) == (z->head[k] == NIL),
		      "order %u: nonempty bit wrong (zone %u)", k, zi);
		for (uint32_t i = z->head[k]; i != NIL; i = P.f[i].a) {
			CHECK(i >= z->lo && i < z->hi,
			      "order %u list: entry %u outside its zone", k, i);
			CHECK((P.f[i].b & F_KIND_ORDER) ==
				      (F_FREE | k << F_ORDER_SHIFT),
			      "order %u list: block %x is not free of that "
			      "order",
			      k, idx_pa(i));
			CHECK(P.f[i].b >> F_PREV_SHIFT == prev,
			      "order %u list: bad back link at %x", k,
			      idx_pa(i));
			CHECK(++len <= blocks[k],
			      "order %u list: longer than the free blocks (%u)",
			      k, blocks[k]);
			prev = i;
		}
		CHECK(len == blocks[k] && len == z->nblocks[k],
		      "order %u list: %u entries, free blocks differ", k, len);
	}
	return 0;
}

int pmm_check(void)
{
	pmm_lock_t s = pmm_lock();
	int err = 0;

	if (!P.ready) {
		set_err("pmm_check: not initialised", NULL, 0, 0, 0);
		err = -EFAULT;
		goto out;
	}
	if (P.z[0].lo != 0 || P.z[0].hi != P.z[1].lo ||
	    P.z[1].hi != P.z[2].lo || P.z[2].hi != P.n) {
		set_err("pmm_check: zone bounds do not tile the span", NULL, 0,
			0, 0);
		err = -EFAULT;
		goto out;
	}
	for (unsigned z = 0; z < PMM_NR_ZONES && !err; z++)
		err = check_zone(z);
out:
	pmm_unlock(s);
	return err;
}
