/*
 * virtio 1.x (modern only): the transport-neutral core.
 *
 * A transport (virtio-pci on the PC, virtio-mmio on ARM virt) finds a
 * device, fills a struct virtio_dev with its register operations and calls
 * virtio_dev_found(); the core hands it to the driver for its device type
 * (virtio-blk so far). The driver negotiates features with
 * virtio_dev_begin(), sets up its queues with virtio_queue_setup() and
 * finishes with virtio_dev_ready().
 *
 * The transport is an ops table: one board may carry several (ARM virt has
 * both virtio-mmio slots and a PCIe host bridge), unlike the arch seam,
 * which is bound at link time.
 *
 * Memory the device reads or writes (rings, request headers, buffers) is
 * given to it by physical address; see docs/storage.md, "Devices".
 */
#ifndef DRIVERS_VIRTIO_H
#define DRIVERS_VIRTIO_H

#include <kernel/sync.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Device status bits (virtio 1.x, 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER	  2u
#define VIRTIO_STATUS_DRIVER_OK	  4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_NEEDS_RESET 64u
#define VIRTIO_STATUS_FAILED	  128u

/* Device-independent feature bits. */
#define VIRTIO_F_VERSION_1 32

/* Device types (virtio 1.x, 5). */
#define VIRTIO_ID_BLOCK 2

struct virtio_dev;

/* What a transport does; every field is required. */
struct virtio_transport {
	const char *name; /* "pci", "mmio" */
	uint8_t (*get_status)(struct virtio_dev *d);
	/* Writing 0 resets the device; the transport waits for the reset to
	 * finish (bounded) and returns -ETIMEDOUT if it does not. */
	int (*set_status)(struct virtio_dev *d, uint8_t status);
	uint64_t (*get_features)(struct virtio_dev *d);
	void (*set_features)(struct virtio_dev *d, uint64_t features);
	/* Device-specific configuration space, byte offset `off`. */
	uint32_t (*config_read32)(struct virtio_dev *d, unsigned off);
	uint32_t (*config_generation)(struct virtio_dev *d);
	/* Largest size the device accepts for queue `q`; 0: no such queue. */
	unsigned (*queue_max)(struct virtio_dev *d, unsigned q);
	/* Give queue `q` its size and ring addresses and enable it. */
	int (*queue_enable)(struct virtio_dev *d, unsigned q, unsigned size,
			    uint64_t desc, uint64_t avail, uint64_t used);
	void (*notify)(struct virtio_dev *d, unsigned q);
	/* Read and acknowledge the interrupt cause: bit 0 a used buffer,
	 * bit 1 a configuration change. */
	unsigned (*ack_interrupt)(struct virtio_dev *d);
};

/* A split virtqueue (virtio 1.x, 2.7): descriptor table, available ring
 * (driver to device), used ring (device to driver), in one block of the
 * identity-mapped kernel heap. Invariant: every descriptor is either on
 * the free list or in exactly one chain the device owns. */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
#define VIRTQ_DESC_F_NEXT  1u
#define VIRTQ_DESC_F_WRITE 2u /* the device writes this buffer */

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtqueue {
	struct virtio_dev *dev;
	unsigned index;
	unsigned size; /* entries, a power of two */
	struct virtq_desc *desc;
	volatile uint16_t *avail; /* flags, idx, ring[size], used_event */
	volatile uint16_t *used;  /* flags, idx, then virtq_used_elem[] */
	void *mem;
	uint16_t free_head, free_count;
	uint16_t last_used; /* used->idx seen so far */
	uint16_t avail_idx;
	void **cookie; /* per chain head: the driver's request */
};

/* One buffer of a chain: kernel-virtual address (translated here), length,
 * and whether the device writes it. */
struct virtq_buf {
	const void *addr;
	uint32_t len;
	bool device_writes;
};

struct virtio_dev {
	const struct virtio_transport *t;
	void *priv_transport;
	void *priv_driver;
	uint32_t device_id;
	unsigned irq;	   /* platform interrupt line, or ~0u for none */
	char where[32];	   /* "pci 00:04.0", "mmio 0x0a003e00" */
	uint64_t features; /* negotiated */
	struct spinlock lock;
	/* The driver's interrupt work, called with `lock` held and IRQs off
	 * after a used-buffer interrupt. */
	void (*on_used)(struct virtio_dev *d);
	unsigned long interrupts;
	bool irq_attached;
	struct virtio_dev *next_on_irq;
	struct virtio_dev *next;
};

/* A transport found a device: log it and hand it to its driver. Returns
 * 0 or the driver's error (the device is then left reset, unused). */
int virtio_dev_found(struct virtio_dev *d);

/* Reset, ACKNOWLEDGE, DRIVER, then offer `wanted` | VERSION_1 and check
 * FEATURES_OK. Returns 0 and sets d->features, or -ENODEV (legacy-only
 * device, refused features, reset timeout) with the reason logged and
 * FAILED set. `required` bits must all be offered. */
int virtio_dev_begin(struct virtio_dev *d, uint64_t wanted, uint64_t required);
/* DRIVER_OK, and attach the interrupt line. 0 or -ENODEV. */
int virtio_dev_ready(struct virtio_dev *d);
/* Tell the device it is given up: FAILED. */
void virtio_dev_fail(struct virtio_dev *d, const char *why);
/* Reset (stops all DMA). 0 or -ETIMEDOUT. */
int virtio_dev_reset(struct virtio_dev *d);
/* True if the device has set NEEDS_RESET or FAILED is set. */
bool virtio_dev_broken(struct virtio_dev *d);
static inline bool virtio_has(const struct virtio_dev *d, unsigned bit)
{
	return (d->features >> bit) & 1;
}

/* Allocate and enable queue `q` with at most `max_size` entries. 0,
 * -ENODEV (no such queue), -ENOMEM. */
int virtio_queue_setup(struct virtio_dev *d, struct virtqueue *vq, unsigned q,
		       unsigned max_size);
/* Re-enable a queue after a reset: empty rings, every descriptor free. */
int virtio_queue_restart(struct virtqueue *vq);
void virtio_queue_free(struct virtqueue *vq);
/* With d->lock held: put a chain of `n` buffers on the available ring
 * with `cookie`, and notify. 0, -ENOSPC (not enough free descriptors),
 * -EFAULT (a buffer is not physically contiguous). */
int virtq_submit(struct virtqueue *vq, const struct virtq_buf *bufs, unsigned n,
		 void *cookie);
/* With d->lock held: the next finished chain's cookie (its descriptors
 * freed) and the bytes the device wrote, or NULL if none. */
void *virtq_next_used(struct virtqueue *vq, uint32_t *written);
/* The physical address of [p, p + len) if it is physically contiguous
 * (the kernel heap always is): 0, or -EFAULT. */
int virtio_dma_addr(const void *p, size_t len, uint64_t *pa);
/* Descriptors are held back from notify (for the timeout test only). */
extern bool virtio_test_hold_notify;

/* The virtio-mmio transport: probe the register block at `phys` (`size`
 * bytes) whose interrupt is platform line `irq`. 0; -ENOENT for an empty
 * slot (device id 0); -ENODEV (legacy or broken, reported); -ENOMEM. */
int virtio_mmio_probe(uint64_t phys, uint32_t size, unsigned irq);

/* Every device found, in order (for `disks` and tests). */
struct virtio_dev *virtio_first(void);

#endif
