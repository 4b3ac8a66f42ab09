/*
 * The virtio-mmio transport, version 2 (virtio 1.x, 4.2.2). The board
 * finds the register blocks (ARM virt: "virtio,mmio" nodes of the DTB) and
 * calls virtio_mmio_probe() for each; each block is mapped through
 * dma_map (uncached). Empty slots (device id 0: QEMU's virt has 32 slots,
 * most empty) are unmapped again without a word. Version 1 is the legacy
 * interface and is refused with a message (QEMU:
 * -global virtio-mmio.force-legacy=false gives version 2).
 */
#include <drivers/virtio.h>
#include <kernel/printk.h>
#include <lib/err.h>
#include <lib/printf.h>
#include <mm/dma.h>
#include <mm/kheap.h>

#include "virtio_regs.h"

#define M_MAGIC	    0x000
#define M_VERSION   0x004
#define M_DEVICE_ID 0x008
#define M_DF	    0x010
#define M_DFSEL	    0x014
#define M_GF	    0x020
#define M_GFSEL	    0x024
#define M_QSEL	    0x030
#define M_QNUM_MAX  0x034
#define M_QNUM	    0x038
#define M_QREADY    0x044
#define M_QNOTIFY   0x050
#define M_ISTATUS   0x060
#define M_IACK	    0x064
#define M_STATUS    0x070
#define M_QDESC	    0x080
#define M_QDRIVER   0x090
#define M_QDEVICE   0x0a0
#define M_CFGGEN    0x0fc
#define M_CONFIG    0x100
#define MMIO_MAGIC  0x74726976u /* "virt" */

struct vmmio {
	struct virtio_dev dev;
	uintptr_t base;
};

static uintptr_t regs(struct virtio_dev *d)
{
	return ((struct vmmio *)d->priv_transport)->base;
}

static uint8_t m_get_status(struct virtio_dev *d)
{
	return (uint8_t)reg_read32(regs(d) + M_STATUS);
}

static int m_set_status(struct virtio_dev *d, uint8_t s)
{
	reg_write32(regs(d) + M_STATUS, s);
	return s ? 0 : reg_wait_zero32(regs(d) + M_STATUS);
}

static uint64_t m_get_features(struct virtio_dev *d)
{
	return reg_read_features(regs(d) + M_DFSEL, regs(d) + M_DF);
}

static void m_set_features(struct virtio_dev *d, uint64_t f)
{
	reg_write_features(regs(d) + M_GFSEL, regs(d) + M_GF, f);
}

static uint32_t m_config_read32(struct virtio_dev *d, unsigned off)
{
	return reg_read32(regs(d) + M_CONFIG + off);
}

static uint32_t m_config_generation(struct virtio_dev *d)
{
	return reg_read32(regs(d) + M_CFGGEN);
}

static unsigned m_queue_max(struct virtio_dev *d, unsigned q)
{
	reg_write32(regs(d) + M_QSEL, q);
	if (reg_read32(regs(d) + M_QREADY))
		return 0; /* in use: a reset was missed */
	return reg_read32(regs(d) + M_QNUM_MAX);
}

static int m_queue_enable(struct virtio_dev *d, unsigned q, unsigned size,
			  uint64_t desc, uint64_t avail, uint64_t used)
{
	uintptr_t r = regs(d);
	reg_write32(r + M_QSEL, q);
	reg_write32(r + M_QNUM, size);
	reg_write_rings(r + M_QDESC, r + M_QDRIVER, r + M_QDEVICE, desc, avail,
			used);
	reg_write32(r + M_QREADY, 1);
	return reg_read32(r + M_QREADY) == 1 ? 0 : -EIO;
}

static void m_notify(struct virtio_dev *d, unsigned q)
{
	reg_write32(regs(d) + M_QNOTIFY, q);
}

static unsigned m_ack_interrupt(struct virtio_dev *d)
{
	uint32_t s = reg_read32(regs(d) + M_ISTATUS) & 3u;
	if (s)
		reg_write32(regs(d) + M_IACK, s);
	return s;
}

static const struct virtio_transport mmio_transport = {
	.name = "mmio",
	.get_status = m_get_status,
	.set_status = m_set_status,
	.get_features = m_get_features,
	.set_features = m_set_features,
	.config_read32 = m_config_read32,
	.config_generation = m_config_generation,
	.queue_max = m_queue_max,
	.queue_enable = m_queue_enable,
	.notify = m_notify,
	.ack_interrupt = m_ack_interrupt,
};

int virtio_mmio_probe(uint64_t phys, uint32_t size, unsigned irq)
{
	if (size < M_CONFIG)
		return -EINVAL;
	void *w = dma_map(phys, size, DMA_UNCACHED);
	if (!w)
		return -ENOMEM;
	uintptr_t base = (uintptr_t)w;
	int rc = -ENOENT;
	if (reg_read32(base + M_MAGIC) != MMIO_MAGIC) {
		printk("virtio: mmio %#llx: bad magic %#x\n",
		       (unsigned long long)phys,
		       (unsigned)reg_read32(base + M_MAGIC));
		rc = -ENODEV;
		goto unmap;
	}
	if (reg_read32(base + M_DEVICE_ID) == 0)
		goto unmap; /* an empty slot */
	if (reg_read32(base + M_VERSION) != 2) {
		printk("virtio: mmio %#llx: version %u (legacy) device; only "
		       "virtio 1.0+ is supported (QEMU: -global "
		       "virtio-mmio.force-legacy=false)\n",
		       (unsigned long long)phys,
		       (unsigned)reg_read32(base + M_VERSION));
		rc = -ENODEV;
		goto unmap;
	}
	struct vmmio *v = kcalloc(1, sizeof(*v));
	if (!v) {
		rc = -ENOMEM;
		goto unmap;
	}
	v->base = base;
	v->dev.t = &mmio_transport;
	v->dev.priv_transport = v;
	v->dev.device_id = reg_read32(base + M_DEVICE_ID);
	v->dev.irq = irq;
	snprintf(v->dev.where, sizeof(v->dev.where), "mmio %#llx",
		 (unsigned long long)phys);
	rc = virtio_dev_found(&v->dev);
	if (rc == 0 || v->dev.irq_attached)
		return rc; /* kept: in use, or its line still lists it */
	kfree(v);
unmap:
	dma_unmap(w);
	return rc;
}
