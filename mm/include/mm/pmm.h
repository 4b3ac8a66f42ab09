/*
 * The physical memory manager: every page frame of RAM, who owns it, and
 * where it is mapped. A binary buddy allocator with per-zone free lists,
 * built from the loader's raw memory map.
 *
 * METADATA ONLY. The PMM never reads or writes the memory it manages (frames
 * above the identity-mapped kernel memory are mapped nowhere). Everything it
 * knows lives in a caller-provided buffer of pmm_metadata_bytes() bytes:
 * 8 bytes per 4 KiB frame of the managed span (6 MiB for 3 GiB), which the
 * caller places in identity-mapped kernel memory and then reserves with
 * pmm_reserve(..., PMM_OWNER_PMM_META).
 *
 * Zones, by physical address:
 *   LOW     [0, 1 MiB)       never given by the general allocator; the
 *                            low-memory allocator claims it (pmm_take_low()
 *                            or pmm_alloc(.., PMM_ZONE_LOW, ..)).
 *   DMA     [1 MiB, 16 MiB)  ISA-DMA-capable: PMM_ZONE_DMA requests only,
 *                            and the fallback of ordinary requests.
 *   NORMAL  [16 MiB, limit)  ordinary requests.
 * Buddy blocks never cross a zone boundary. On ARM (RAM from 0x40000000)
 * LOW and DMA are simply empty.
 *
 * Addresses: RAM at or above PMM_PHYS_LIMIT (4 GiB - 4 KiB) is ignored and
 * counted in the report. The limit is one page short of 4 GiB so that the
 * end of every managed range, [start, end), is representable in a 32-bit
 * paddr_t; it costs at most the top page below 4 GiB, which on a PC is
 * firmware ROM anyway. Map arithmetic is done in 64 bits.
 *
 * Errors: functions return 0 (or a count) or a negative code from
 * <lib/err.h>; allocation returns PMM_NO_PAGE. Every failure also records
 * a sentence retrievable with pmm_last_error().
 *
 * Context: every call takes the PMM lock (IRQs off in the kernel, see
 * mm/mm_lock.h), does O(log) work on the free lists (order < 11), or
 * work proportional to the range it was given; nothing scans all memory,
 * except pmm_init() and the debug check pmm_check(). None sleeps.
 */
#ifndef MM_PMM_H
#define MM_PMM_H

#include <arch/boot.h>
#include <arch/mmu.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PMM_MAX_ORDER 10 /* largest block: 2^10 pages = 4 MiB */
#define PMM_NR_ORDERS (PMM_MAX_ORDER + 1)

#define PMM_PHYS_LIMIT	   0xFFFFF000ull /* RAM at or above is ignored */
#define PMM_LOW_LIMIT	   0x100000u	 /* LOW:  below 1 MiB */
#define PMM_DMA_LIMIT	   0x1000000u	 /* DMA:  below 16 MiB */
#define PMM_META_PER_FRAME 8u		 /* metadata bytes per frame */

/* "No frame": never a valid frame address (not page-aligned). */
#define PMM_NO_PAGE ((paddr_t)-1)

enum pmm_zone { PMM_LOW, PMM_DMA, PMM_NORMAL, PMM_NR_ZONES };

/* Who owns a frame (the reverse map). */
enum pmm_owner {
	PMM_OWNER_FREE,		/* in the allocator */
	PMM_OWNER_RESERVED,	/* firmware, a hole in the map, or reserved */
	PMM_OWNER_KERNEL_IMAGE, /* reserved: identity-mapped, cannot move */
	PMM_OWNER_MODULE,	/* reserved: boot modules (ramdisk) */
	PMM_OWNER_BOOTDATA,	/* reserved: multiboot info, DTB */
	PMM_OWNER_KHEAP,	/* reserved: the kernel heap */
	PMM_OWNER_PMM_META,	/* reserved: this allocator's metadata */
	PMM_OWNER_LOWMEM,	/* claimed by the low-memory allocator */
	PMM_OWNER_PAGE_TABLE,	/* allocated: page-table pages */
	PMM_OWNER_SBRK,		/* allocated: the sbrk heap */
	PMM_OWNER_DMA_TAKEN,	/* taken out of the allocator by a DMA window */
	PMM_OWNER_ANON,		/* allocated: anything else */
	PMM_OWNER_DMA_BUFFER,	/* allocated: buffers handed to devices */
	PMM_OWNER_TEST,		/* allocated: tests and benchmarks */
	PMM_NR_OWNERS
};

/* Name of an owner ("sbrk"), for messages and meminfo. */
const char *pmm_owner_name(enum pmm_owner owner);
/* Name of a zone ("NORMAL"). */
const char *pmm_zone_name(enum pmm_zone zone);

/* ------------------------------------------------------------ start-up */

/* What pmm_init() made of the memory map, so the kernel can say it. */
struct pmm_init_report {
	uint64_t usable_bytes;	  /* RAM now managed (whole pages) */
	uint64_t above_limit;	  /* usable bytes at/above PMM_PHYS_LIMIT */
	uint64_t clipped_bytes;	  /* partial-page bytes of usable entries */
	uint64_t hidden_bytes;	  /* usable pages also covered by a non-usable
				     entry (non-usable wins) */
	unsigned entries;	  /* entries in the map */
	unsigned entries_ignored; /* zero-length, no whole page, or wholly
				     above the limit */
	unsigned entries_clipped; /* usable, lost partial pages or the part
				     above the limit */
	paddr_t span_start, span_end; /* managed physical span [start, end) */
	size_t meta_bytes;	      /* metadata used */
	size_t zone_pages[PMM_NR_ZONES];
};

/* Metadata bytes pmm_init() needs for this map: 8 per frame of the span
 * from the lowest to the highest usable whole page below the limit. 0 if
 * the map has no usable RAM. */
size_t pmm_metadata_bytes(const struct boot_mem_region *map, unsigned n);

/*
 * Build the allocator from the loader's map (unsorted, overlapping,
 * unaligned, zero-length and >4 GiB entries are all fine: usable entries
 * are clipped to whole pages, non-usable entries widen to whole pages and
 * win over usable ones). `meta` (4-byte aligned, meta_size >=
 * pmm_metadata_bytes()) becomes the frame table; the PMM does not record
 * where it is physically: the caller must pmm_reserve() it if it lies in
 * RAM. `report` may be NULL. May be called again to start over (tests).
 * Returns 0, -ENOENT if the map has no usable RAM, -ENOSPC if meta_size is
 * too small, -EINVAL for a NULL or misaligned argument. Frames start FREE
 * (RAM) or RESERVED (holes inside the span).
 */
int pmm_init(const struct boot_mem_region *map, unsigned n, void *meta,
	     size_t meta_size, struct pmm_init_report *report);

/*
 * Mark [start, end) (widened to whole pages) as reserved: owned by `owner`,
 * identity-mapped, never allocated, never movable. For the kernel image,
 * modules, boot data/DTB, the kernel heap and the frame metadata. Parts
 * outside RAM are ignored; frames already reserved keep their first owner.
 * Returns 0, -EINVAL (end < start, owner FREE or DMA_TAKEN), or -EBUSY if a
 * frame in the range was already handed out (pmm_alloc, a DMA window, the
 * low-memory allocator): then nothing is changed.
 */
int pmm_reserve(paddr_t start, paddr_t end, enum pmm_owner owner);

/* ------------------------------------------------------------ allocation */

/*
 * pmm_alloc() flags: one zone policy, plus modifiers.
 *   PMM_ZONE_NORMAL  NORMAL, falling back to DMA (ordinary requests)
 *   PMM_ZONE_DMA     DMA only: below 16 MiB, for ISA DMA (natural
 *                    alignment keeps a block of order <= 4 inside one
 *                    64 KiB ISA DMA page)
 *   PMM_ZONE_LOW     LOW only: for the low-memory allocator
 *   PMM_PINNED       the block can never be relocated: its physical
 *                    address was given out (page tables, device DMA)
 */
#define PMM_ZONE_NORMAL 0x0u
#define PMM_ZONE_DMA	0x1u
#define PMM_ZONE_LOW	0x2u
#define PMM_ZONE_MASK	0x3u
#define PMM_PINNED	0x4u

/*
 * Allocate 2^order physically contiguous pages, naturally aligned (to
 * 2^order pages), from the zones `flags` select, for `owner` (an allocated
 * owner: not FREE, RESERVED, DMA_TAKEN). The block starts unmapped
 * (pmm_set_mapping() records where it gets mapped). O(log): one free-list
 * pop and at most PMM_MAX_ORDER splits. Returns the physical address, or
 * PMM_NO_PAGE with the reason in pmm_last_error() ("zone NORMAL exhausted:
 * no free block of order 5 (largest free order 3)").
 */
paddr_t pmm_alloc(unsigned order, unsigned flags, enum pmm_owner owner);

/*
 * Allocate 2^count_order pages aligned to 2^align_order pages (an
 * align_order below count_order means natural alignment). Takes a free
 * block of order max(count, align) and gives its tail back at once, so the
 * result is freed with pmm_free(pa, count_order). It never searches lists:
 * it fails when no free block of the alignment's order exists, even if a
 * smaller, suitably aligned one does.
 */
paddr_t pmm_alloc_aligned(unsigned count_order, unsigned align_order,
			  unsigned flags, enum pmm_owner owner);

/*
 * Free a block pmm_alloc() returned, with its order. Coalesces with free
 * buddies. -EINVAL, with nothing changed, for: a misaligned address, one
 * outside RAM, a free frame (double free), a frame that is not the first
 * of its block, a reserved/taken/hole frame, a block being relocated, or
 * the wrong order. Mappings recorded for the block are forgotten (work
 * proportional to the block, and only if pmm_set_mapping() touched it).
 */
int pmm_free(paddr_t pa, unsigned order);

/* The reason for the last failure of any pmm_* call ("" if none yet), in
 * one static buffer: the failing call formats it (vsnprintf, a few hundred
 * nanoseconds) and the next failure overwrites it. */
const char *pmm_last_error(void);

/* ------------------------------------------------------------ reverse map */

struct pmm_frame_info {
	enum pmm_owner owner;
	enum pmm_zone zone;
	vaddr_t va;	 /* where this frame is mapped; 0 = unmapped. For
			    identity-mapped (reserved) frames: the frame's
			    own physical address */
	paddr_t head;	 /* first frame of the block holding this frame */
	unsigned order;	 /* order of that block (0 for reserved/taken) */
	bool is_head;	 /* pa is `head` */
	bool ram;	 /* false: a hole in the memory map */
	bool identity;	 /* identity-mapped: reserved, or claimed by
			    pmm_take_low() */
	bool allocated;	 /* from pmm_alloc (pmm_free accepts `head`
			    unless relocating) */
	bool movable;	 /* allocated, not pinned, not being relocated */
	bool relocating; /* between pmm_relocate_begin() and _end() */
};

/* Describe the frame holding physical address pa (any byte of it).
 * Returns 0, or -ENOENT if pa is outside the managed span. O(log). */
int pmm_frame_info(paddr_t pa, struct pmm_frame_info *out);

/*
 * Record that the `pages` frames from pa (page-aligned) are mapped at
 * consecutive pages from va (page-aligned; 0 = they are now unmapped).
 * Every frame must be handed out (allocated or taken), not reserved: those
 * are identity-mapped by definition. On a 64-bit host va must be below
 * 2^44. Returns 0 or -EINVAL with nothing changed.
 */
int pmm_set_mapping(paddr_t pa, size_t pages, vaddr_t va);

/* ------------------------------------------------------------ DMA windows
 *
 * A DMA window over [start, end) of physical memory that may be RAM. The
 * protocol, for the caller (dma_map), all under its own serialisation:
 *
 *  1. pmm_take_range(start, end, &res): every FREE frame in the range
 *     leaves the allocator (owner DMA_TAKEN; buddy blocks are split). Frames
 *     outside RAM are ignored. Fails with -EBUSY, nothing changed, if a frame
 *     of the range is already taken (windows over RAM must not overlap).
 *  2. If res.busy == 0: done. If res.immovable > 0 (reserved kernel memory,
 *     pinned or low-memory frames): pmm_give_back(start, end) and fail.
 *  3. Otherwise walk the range with pmm_range_next(); for every block with
 *     info.movable:
 *       new = pmm_relocate_begin(info.head)   -- a replacement block of the
 *             same order, outside the range (its free frames are taken),
 *             with the old block's owner and per-frame mappings; the old
 *             block stays allocated, marked relocating, its mappings moved;
 *       copy the data, remap each mapped va to the new frames, flush TLB;
 *       pmm_relocate_end(info.head, start, end) -- the old block's frames
 *             inside the range become DMA_TAKEN, the rest return free.
 *     If the copy or remap fails: pmm_relocate_abort(old, new) puts the
 *     metadata back and frees the replacement.
 *     If pmm_relocate_begin() fails (memory exhausted): give back, fail.
 *  4. On dma_unmap: pmm_give_back(start, end) returns every DMA_TAKEN frame
 *     of the range to the allocator (coalescing).
 * pmm_set_mapping() may record the window's va on the taken frames.
 */

struct pmm_take_result {
	size_t taken;	  /* free frames taken by this call */
	size_t busy;	  /* RAM frames in use: relocate or give up */
	size_t immovable; /* of those, frames that cannot move */
	size_t not_ram;	  /* frames of the range outside RAM */
};

int pmm_take_range(paddr_t start, paddr_t end, struct pmm_take_result *res);

/* Return every DMA_TAKEN frame in [start, end) to the allocator. Returns
 * the number of frames given back (other frames are left alone). */
long pmm_give_back(paddr_t start, paddr_t end);

/*
 * Iterate over [start, end) block by block, in address order: each call
 * describes the block (allocated, free) or single frame (reserved, taken,
 * hole) at or after *cursor that intersects the range, and advances
 * *cursor past it. Start with *cursor = start. Returns 1 with *out filled,
 * 0 at the end of the range, -EINVAL for a bad range. Work per call: O(log).
 */
int pmm_range_next(paddr_t start, paddr_t end, paddr_t *cursor,
		   struct pmm_frame_info *out);

/* Step 3 of the protocol above. relocate_begin returns the new block's
 * address or PMM_NO_PAGE (not movable, or memory exhausted: see
 * pmm_last_error()). The replacement comes from the old block's zone
 * (NORMAL may fall back to DMA). end/abort return 0 or -EINVAL. */
paddr_t pmm_relocate_begin(paddr_t old_head);
int pmm_relocate_end(paddr_t old_head, paddr_t start, paddr_t end);
int pmm_relocate_abort(paddr_t old_head, paddr_t new_head);

/*
 * Claim every FREE frame of the LOW zone for the low-memory allocator
 * (owner LOWMEM, identity-mapped, never given back) and report them as
 * maximal runs [start, end), lowest first, through fn (may be NULL).
 * Returns the number of frames claimed (0 where there is no low memory).
 */
typedef void (*pmm_range_fn)(paddr_t start, paddr_t end, void *arg);
size_t pmm_take_low(pmm_range_fn fn, void *arg);

/* ------------------------------------------------------------ statistics */

struct pmm_zone_stats {
	paddr_t start, end; /* zone's part of the span ([0,0) if empty) */
	size_t total_pages; /* usable RAM pages in the zone */
	size_t free_pages;
	size_t free_blocks[PMM_NR_ORDERS];
	unsigned long allocs, frees, failures;
};

void pmm_zone_stats(enum pmm_zone zone, struct pmm_zone_stats *out);

/* Free pages in all zones (LOW included). */
size_t pmm_free_pages(void);

/*
 * Debug: check every invariant written above the frame table in
 * mm/pmm_internal.h, walking all metadata (O(frames)). Returns 0, or -EFAULT
 * with the first violation in pmm_last_error().
 */
int pmm_check(void);

/*
 * Tests only: pmm_test_enter() sets the running allocator aside (in the
 * kernel, the real one) so a test case can pmm_init() a made-up map;
 * pmm_test_exit() puts it back. Only the frame-table pointer is kept, not
 * the table, so nothing else may use the PMM in between (the ktest runner
 * runs cases one at a time before anything else allocates in the
 * background). Nested enters keep the first saved state.
 */
void pmm_test_enter(void);
void pmm_test_exit(void);

#endif
