/*
 * Split virtqueues (virtio 1.x, 2.7). One page of the identity-mapped
 * kernel heap holds the three parts for up to 128 entries:
 *
 *   0            descriptor table   16 * size bytes, 16-byte aligned
 *   16 * size    available ring     6 + 2 * size bytes, 2-byte aligned
 *   (aligned 4)  used ring          6 + 8 * size bytes, 4-byte aligned
 *
 * The device finds them by physical address (arch_mmu_query, which on the
 * kernel heap gives back the same number). Fields are little-endian, as
 * both our CPUs are.
 *
 * Ordering: the descriptors and the ring slot are written before the
 * ring's index (a full fence between), and the index before the notify;
 * on the way back the used index is read before its elements.
 */
#include <arch/mmu.h>
#include <drivers/virtio.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <string.h>

#define VQ_MAX_SIZE 128u
#define VQ_BYTES    4096u

bool virtio_test_hold_notify;

static inline void fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

int virtio_dma_addr(const void *p, size_t len, uint64_t *pa)
{
	uintptr_t va = (uintptr_t)p;
	paddr_t first, here;

	if (arch_mmu_query(va, &first, NULL) < 0)
		return -EFAULT;
	/* Every further page must follow on physically. */
	uintptr_t page = va & ~(uintptr_t)(PAGE_SIZE - 1);
	for (uintptr_t off = PAGE_SIZE; len && page + off < va + len;
	     off += PAGE_SIZE) {
		if (arch_mmu_query(page + off, &here, NULL) < 0 ||
		    here != (first & ~(paddr_t)(PAGE_SIZE - 1)) + off)
			return -EFAULT;
	}
	*pa = first;
	return 0;
}

static void queue_reset_rings(struct virtqueue *vq)
{
	memset(vq->mem, 0, VQ_BYTES);
	for (unsigned i = 0; i < vq->size; i++) {
		vq->desc[i].next = (uint16_t)(i + 1);
		vq->cookie[i] = NULL;
	}
	vq->free_head = 0;
	vq->free_count = (uint16_t)vq->size;
	vq->last_used = 0;
	vq->avail_idx = 0;
}

static int queue_enable(struct virtqueue *vq)
{
	uint64_t base;
	if (virtio_dma_addr(vq->mem, VQ_BYTES, &base) < 0)
		return -EFAULT;
	uintptr_t desc = (uintptr_t)vq->desc, mem = (uintptr_t)vq->mem;
	return vq->dev->t->queue_enable(vq->dev, vq->index, vq->size,
					base + (desc - mem),
					base + ((uintptr_t)vq->avail - mem),
					base + ((uintptr_t)vq->used - mem));
}

int virtio_queue_setup(struct virtio_dev *d, struct virtqueue *vq, unsigned q,
		       unsigned max_size)
{
	unsigned size = d->t->queue_max(d, q);
	if (!size)
		return -ENODEV;
	if (size > max_size)
		size = max_size;
	if (size > VQ_MAX_SIZE)
		size = VQ_MAX_SIZE;
	while (size & (size - 1)) /* split rings need no power of two, but */
		size &= size - 1; /* it keeps the index arithmetic simple */

	memset(vq, 0, sizeof(*vq));
	vq->dev = d;
	vq->index = q;
	vq->size = size;
	vq->mem = kmalloc_aligned(VQ_BYTES, VQ_BYTES);
	vq->cookie = kcalloc(size, sizeof(void *));
	if (!vq->mem || !vq->cookie) {
		virtio_queue_free(vq);
		return -ENOMEM;
	}
	uint8_t *m = vq->mem;
	vq->desc = (struct virtq_desc *)m;
	vq->avail = (volatile uint16_t *)(m + 16 * size);
	size_t used_off = (16 * size + 6 + 2 * size + 3) & ~(size_t)3;
	vq->used = (volatile uint16_t *)(m + used_off);
	queue_reset_rings(vq);
	int rc = queue_enable(vq);
	if (rc < 0)
		virtio_queue_free(vq);
	return rc;
}

int virtio_queue_restart(struct virtqueue *vq)
{
	queue_reset_rings(vq);
	return queue_enable(vq);
}

void virtio_queue_free(struct virtqueue *vq)
{
	kfree(vq->mem);
	kfree(vq->cookie);
	vq->mem = NULL;
	vq->cookie = NULL;
}

int virtq_submit(struct virtqueue *vq, const struct virtq_buf *bufs, unsigned n,
		 void *cookie)
{
	uint64_t pa[4];

	if (n == 0 || n > 4 || n > vq->free_count)
		return -ENOSPC;
	for (unsigned i = 0; i < n; i++)
		if (virtio_dma_addr(bufs[i].addr, bufs[i].len, &pa[i]) < 0)
			return -EFAULT;

	uint16_t head = vq->free_head, idx = head, last = head;
	for (unsigned i = 0; i < n; i++) {
		struct virtq_desc *dsc = &vq->desc[idx];
		dsc->addr = pa[i];
		dsc->len = bufs[i].len;
		dsc->flags =
			(uint16_t)((bufs[i].device_writes ? VIRTQ_DESC_F_WRITE
							  : 0) |
				   (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		last = idx;
		idx = dsc->next;
	}
	vq->free_head = idx; /* the free list goes on where the chain ends */
	vq->desc[last].next = 0;
	vq->free_count = (uint16_t)(vq->free_count - n);
	vq->cookie[head] = cookie;

	/* avail: [0] flags, [1] idx, [2 + i] ring */
	vq->avail[2 + (vq->avail_idx & (vq->size - 1))] = head;
	fence();
	vq->avail_idx++;
	vq->avail[1] = vq->avail_idx;
	fence();
	if (!virtio_test_hold_notify)
		vq->dev->t->notify(vq->dev, vq->index);
	return 0;
}

void *virtq_next_used(struct virtqueue *vq, uint32_t *written)
{
again:
	if (vq->used[1] == vq->last_used)
		return NULL;
	fence();
	volatile struct virtq_used_elem *ring =
		(volatile struct virtq_used_elem *)(vq->used + 2);
	volatile struct virtq_used_elem *e =
		&ring[vq->last_used & (vq->size - 1)];
	uint32_t head = e->id;
	if (written)
		*written = e->len;
	vq->last_used++;
	if (head >= vq->size || !vq->cookie[head])
		goto again; /* a device bug: not a chain it holds; skipped */

	void *cookie = vq->cookie[head];
	vq->cookie[head] = NULL;
	/* Give the chain back to the front of the free list. */
	uint16_t tail = (uint16_t)head;
	unsigned n = 1;
	while (vq->desc[tail].flags & VIRTQ_DESC_F_NEXT) {
		tail = vq->desc[tail].next;
		n++;
	}
	vq->desc[tail].next = vq->free_head;
	vq->free_head = (uint16_t)head;
	vq->free_count = (uint16_t)(vq->free_count + n);
	return cookie;
}
