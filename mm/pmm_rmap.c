/*
 * The PMM's reverse map (see <mm/pmm.h>): for every frame, its block, its
 * owner and the virtual address it is mapped at, kept in the frame table's
 * `a` words (mm/pmm_internal.h), so nothing ever scans page tables to find
 * who uses a frame.
 */
#include <lib/err.h>
#include <mm/pmm.h>
#include <string.h>

#include "pmm_internal.h"

static void describe(uint32_t i, uint32_t h, struct pmm_frame_info *out)
{
	uint32_t b = pmm.f[h].b;

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
	out->va = out->identity && !pmm.f[i].a
			  ? idx_pa(i)
			  : (vaddr_t)pmm.f[i].a << PAGE_SHIFT;
}

int pmm_frame_info(paddr_t pa, struct pmm_frame_info *out)
{
	mm_lock_t s = mm_lock();
	uint64_t pfn = (uint64_t)pa >> PAGE_SHIFT;
	int err = -ENOENT;

	if (!pmm.ready || pfn < pmm.base || pfn - pmm.base >= pmm.n) {
		pmm_set_err("pmm_frame_info(0x%lx): outside the managed span",
			    (unsigned long)pa);
		goto out;
	}
	uint32_t i = (uint32_t)(pfn - pmm.base), h = pmm_find_head(i);
	if (h == NIL) {
		pmm_set_err("pmm_frame_info(0x%lx): no block head (metadata "
			    "corrupt)",
			    (unsigned long)pa);
		err = -EFAULT;
		goto out;
	}
	describe(i, h, out);
	err = 0;
out:
	mm_unlock(s);
	return err;
}

int pmm_set_mapping(paddr_t pa, size_t pages, vaddr_t va)
{
	mm_lock_t s = mm_lock();
	uint32_t i = pmm_pa_index("pmm_set_mapping", pa), h;
	int err = -EINVAL;

	if (i == NIL)
		goto out;
	uint64_t vpn = (uint64_t)va >> PAGE_SHIFT;
	if ((va & (PAGE_SIZE - 1)) || pages > pmm.n - i ||
	    (va && vpn + pages - 1 > UINT32_MAX) || (va && vpn + pages < vpn)) {
		pmm_set_err("pmm_set_mapping(0x%lx, %zu pages, va 0x%lx): "
			    "misaligned va or range too long",
			    (unsigned long)pa, pages, (unsigned long)va);
		goto out;
	}
	uint32_t end = i + (uint32_t)pages;
	for (h = pmm_find_head(i); h < end; h += 1u << f_order(pmm.f[h].b)) {
		uint32_t b = pmm.f[h].b;
		if ((b & F_KIND) != F_USED || !handed_out(b)) {
			pmm_set_err(
				"pmm_set_mapping(0x%lx): frame 0x%lx is not "
				"handed out (%s)",
				(unsigned long)pa,
				(unsigned long)idx_pa(h < i ? i : h),
				(b & F_KIND) == F_FREE
					? "free"
					: pmm_owner_name(f_owner(b)));
			goto out;
		}
	}
	for (h = pmm_find_head(i); h < end; h += 1u << f_order(pmm.f[h].b)) {
		uint32_t a = h < i ? i : h;
		uint32_t e = h + (1u << f_order(pmm.f[h].b));
		for (uint32_t j = a; j < e && j < end; j++)
			pmm.f[j].a = va ? (uint32_t)(vpn + (j - i)) : 0;
		if (va)
			pmm.f[h].b |= F_MAPPED;
	}
	err = 0;
out:
	mm_unlock(s);
	return err;
}

int pmm_range_next(paddr_t start, paddr_t end, paddr_t *cursor,
		   struct pmm_frame_info *out)
{
	mm_lock_t s = mm_lock();
	uint32_t lo, hi;
	int ret = -EINVAL;

	if (!pmm.ready || !cursor || !range_idx(start, end, &lo, &hi)) {
		pmm_set_err("pmm_range_next(0x%lx, 0x%lx): bad range or not "
			    "initialised",
			    (unsigned long)start, (unsigned long)end);
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
	uint32_t h = pmm_find_head(c);
	if (h == NIL) {
		ret = -EFAULT;
		goto out;
	}
	describe(c, h, out);
	uint32_t next = h + (1u << f_order(pmm.f[h].b));
	*cursor = next >= hi ? end : idx_pa(next);
	ret = 1;
out:
	mm_unlock(s);
	return ret;
}
