/*
 * Checking the PMM (see <mm/pmm.h>): pmm_check() verifies every invariant
 * written above the frame table in mm/pmm_internal.h, and the tests' hooks
 * set the running allocator aside so a case can build its own.
 */
#include <lib/err.h>
#include <mm/pmm.h>

#include "pmm_internal.h"

/* ------------------------------------------------------------ tests */

static struct pmm_state saved;
static bool set_aside;

void pmm_test_enter(void)
{
	mm_lock_t s = mm_lock();

	if (!set_aside) {
		saved = pmm;
		set_aside = true;
	}
	pmm.ready = false;
	pmm.n = 0;
	mm_unlock(s);
}

void pmm_test_exit(void)
{
	mm_lock_t s = mm_lock();

	if (set_aside) {
		pmm = saved;
		set_aside = false;
	}
	mm_unlock(s);
}

/* ------------------------------------------------------------ checking */

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			pmm_set_err("pmm_check: " __VA_ARGS__);                \
			return -EFAULT;                                        \
		}                                                              \
	} while (0)

#define PA(i) ((unsigned long)idx_pa(i))

/* I2, I4, I6 for the block at head i of zone z: kind, order, alignment,
 * TAILs, and a free block's buddy or a used block's flags. */
static int check_block(const struct zone *z, uint32_t i)
{
	uint32_t b = pmm.f[i].b;
	unsigned k = f_order(b);
	uint32_t kind = b & F_KIND;

	CHECK(kind != F_TAIL, "frame 0x%lx: TAIL where a head belongs", PA(i));
	CHECK(k <= PMM_MAX_ORDER, "frame 0x%lx: order %u", PA(i), k);
	CHECK(!((pmm.base + i) & ((1u << k) - 1)),
	      "block 0x%lx: not aligned to its order %u", PA(i), k);
	CHECK(z->hi - i >= (1u << k),
	      "block 0x%lx: order %u crosses the zone end", PA(i), k);
	for (uint32_t j = 1; j < (1u << k); j++) {
		CHECK(pmm.f[i + j].b == 0,
		      "frame 0x%lx: inside block 0x%lx but not a TAIL",
		      PA(i + j), PA(i));
		CHECK(kind != F_FREE || pmm.f[i + j].a == 0,
		      "frame 0x%lx: TAIL of a free block has a mapping",
		      PA(i + j));
	}
	if (kind == F_FREE) {
		uint32_t bd = ((pmm.base + i) ^ (1u << k)) - pmm.base;
		CHECK(k == PMM_MAX_ORDER || bd < z->lo || bd >= z->hi ||
			      z->hi - bd < (1u << k) ||
			      (pmm.f[bd].b & F_KIND_ORDER) !=
				      (F_FREE | k << F_ORDER_SHIFT),
		      "free block 0x%lx has a free buddy of order %u "
		      "(coalescing incomplete)",
		      PA(i), k);
		return 0;
	}
	unsigned o = f_owner(b);
	CHECK(o != PMM_OWNER_FREE && o < PMM_NR_OWNERS,
	      "frame 0x%lx: used with owner %u", PA(i), o);
	CHECK(!(b & (F_HOLE | F_TAKEN | F_IDENT)) || k == 0,
	      "frame 0x%lx: reserved/taken/hole of order %u", PA(i), k);
	CHECK(!(b & F_ALLOC) || !(b & (F_HOLE | F_TAKEN)),
	      "frame 0x%lx: allocated and taken/hole", PA(i));
	bool mapped = false;
	for (uint32_t j = 0; j < (1u << k); j++)
		mapped |= pmm.f[i + j].a != 0;
	CHECK(!mapped || (b & F_MAPPED),
	      "block 0x%lx: mapped frames but no F_MAPPED", PA(i));
	return 0;
}

/* I3 for list k of zone zi, which should hold `blocks` free blocks. */
static int check_list(unsigned zi, unsigned k, size_t blocks)
{
	const struct zone *z = &pmm.z[zi];
	size_t len = 0;
	uint32_t prev = NIL;

	CHECK(!(z->nonempty & (1u << k)) == (z->head[k] == NIL),
	      "order %u: nonempty bit wrong (zone %u)", k, zi);
	for (uint32_t i = z->head[k]; i != NIL; i = pmm.f[i].a) {
		CHECK(i >= z->lo && i < z->hi,
		      "order %u list: entry %u outside its zone", k,
		      (unsigned)i);
		CHECK((pmm.f[i].b & F_KIND_ORDER) ==
			      (F_FREE | k << F_ORDER_SHIFT),
		      "order %u list: block 0x%lx is not free of that order", k,
		      PA(i));
		CHECK(pmm.f[i].b >> F_PREV_SHIFT == prev,
		      "order %u list: bad back link at 0x%lx", k, PA(i));
		CHECK(++len <= blocks,
		      "order %u list: longer than the free blocks (%zu)", k,
		      blocks);
		prev = i;
	}
	CHECK(len == blocks && len == z->nblocks[k],
	      "order %u list: %zu entries, free blocks differ", k, len);
	return 0;
}

static int check_zone(unsigned zi)
{
	const struct zone *z = &pmm.z[zi];
	size_t free = 0, total = 0, blocks[PMM_NR_ORDERS] = {0};
	int err;

	/* I1, I2, I4, I5, I6, I7 by walking the zone head by head. */
	for (uint32_t i = z->lo; i < z->hi;) {
		uint32_t b = pmm.f[i].b;
		unsigned k = f_order(b);

		err = check_block(z, i);
		if (err)
			return err;
		/* FREE heads keep a list link where F_HOLE would be. */
		if ((b & F_KIND) == F_FREE) {
			free += (size_t)1 << k;
			total += (size_t)1 << k;
			blocks[k]++;
		} else if (!(b & F_HOLE)) {
			total += (size_t)1 << k;
		}
		i += 1u << k;
	}
	CHECK(free == z->free, "zone free count %zu, blocks hold %zu", z->free,
	      free);
	CHECK(total == z->total, "zone RAM count %zu, frames say %zu", z->total,
	      total);
	/* I3: each list holds exactly the free blocks of its order. */
	for (unsigned k = 0; k < PMM_NR_ORDERS; k++) {
		err = check_list(zi, k, blocks[k]);
		if (err)
			return err;
	}
	return 0;
}

int pmm_check(void)
{
	mm_lock_t s = mm_lock();
	int err = 0;

	if (!pmm.ready) {
		pmm_set_err("pmm_check: not initialised");
		err = -EFAULT;
		goto out;
	}
	if (pmm.z[0].lo != 0 || pmm.z[0].hi != pmm.z[1].lo ||
	    pmm.z[1].hi != pmm.z[2].lo || pmm.z[2].hi != pmm.n) {
		pmm_set_err("pmm_check: zone bounds do not tile the span");
		err = -EFAULT;
		goto out;
	}
	for (unsigned z = 0; z < PMM_NR_ZONES && !err; z++)
		err = check_zone(z);
out:
	mm_unlock(s);
	return err;
}
