/*
 * The virtio-pci transport, modern interface only (virtio 1.x, 4.1): the
 * vendor capabilities (type 0x09) point into memory BARs at the common
 * configuration, the notify area, the ISR byte and the device
 * configuration. Each BAR used is mapped once through dma_map (uncached).
 * Interrupts: legacy INTx on the line the firmware assigned (MSI-X stays
 * disabled, so the ISR byte says why the line fired and reading it
 * deasserts the line).
 *
 * Transitional devices (PCI ids 0x1000-0x103f) also have a modern
 * interface when QEMU's disable-modern is off; a legacy-only one has no
 * common-configuration capability and is refused with a message.
 */
#include <drivers/pci.h>
#include <drivers/virtio.h>
#include <kernel/printk.h>
#include <lib/err.h>
#include <lib/printf.h>
#include <mm/dma.h>
#include <mm/kheap.h>
#include <string.h>

#include "virtio_regs.h"

#define CAP_VENDOR 0x09
#define CFG_COMMON 1
#define CFG_NOTIFY 2
#define CFG_ISR	   3
#define CFG_DEVICE 4

/* The common configuration structure (4.1.4.3), byte offsets. */
#define C_DFSELECT 0x00
#define C_DF	   0x04
#define C_GFSELECT 0x08
#define C_GF	   0x0c
#define C_MSIX	   0x10
#define C_NUMQ	   0x12
#define C_STATUS   0x14
#define C_CFGGEN   0x15
#define C_Q_SELECT 0x16
#define C_Q_SIZE   0x18
#define C_Q_MSIX   0x1a
#define C_Q_ENABLE 0x1c
#define C_Q_NOFF   0x1e
#define C_Q_DESC   0x20
#define C_Q_DRIVER 0x28
#define C_Q_DEVICE 0x30

#define MSIX_NO_VECTOR 0xffff

struct vpci {
	struct virtio_dev dev;
	struct pci_dev pci;
	uintptr_t common, isr, device, notify;
	uint32_t notify_mult;
	uintptr_t bar_va[6];
};

static struct vpci *vp(struct virtio_dev *d)
{
	return d->priv_transport;
}

static uint8_t p_get_status(struct virtio_dev *d)
{
	return reg_read8(vp(d)->common + C_STATUS);
}

static int p_set_status(struct virtio_dev *d, uint8_t s)
{
	reg_write8(vp(d)->common + C_STATUS, s);
	return s ? 0 : reg_wait_zero8(vp(d)->common + C_STATUS);
}

static uint64_t p_get_features(struct virtio_dev *d)
{
	uintptr_t c = vp(d)->common;
	return reg_read_features(c + C_DFSELECT, c + C_DF);
}

static void p_set_features(struct virtio_dev *d, uint64_t f)
{
	uintptr_t c = vp(d)->common;
	reg_write_features(c + C_GFSELECT, c + C_GF, f);
}

static uint32_t p_config_read32(struct virtio_dev *d, unsigned off)
{
	return reg_read32(vp(d)->device + off);
}

static uint32_t p_config_generation(struct virtio_dev *d)
{
	return reg_read8(vp(d)->common + C_CFGGEN);
}

static unsigned p_queue_max(struct virtio_dev *d, unsigned q)
{
	uintptr_t c = vp(d)->common;
	if (q >= reg_read16(c + C_NUMQ))
		return 0;
	reg_write16(c + C_Q_SELECT, (uint16_t)q);
	return reg_read16(c + C_Q_SIZE);
}

static int p_queue_enable(struct virtio_dev *d, unsigned q, unsigned size,
			  uint64_t desc, uint64_t avail, uint64_t used)
{
	uintptr_t c = vp(d)->common;
	reg_write16(c + C_Q_SELECT, (uint16_t)q);
	reg_write16(c + C_Q_SIZE, (uint16_t)size);
	reg_write16(c + C_Q_MSIX, MSIX_NO_VECTOR);
	reg_write_rings(c + C_Q_DESC, c + C_Q_DRIVER, c + C_Q_DEVICE, desc,
			avail, used);
	reg_write16(c + C_Q_ENABLE, 1);
	return reg_read16(c + C_Q_ENABLE) == 1 ? 0 : -EIO;
}

static void p_notify(struct virtio_dev *d, unsigned q)
{
	struct vpci *v = vp(d);
	/* queue_notify_off of the queue: select it, read, write there. The
	 * select is shared with setup, so do it under the device lock (the
	 * caller holds it). */
	reg_write16(v->common + C_Q_SELECT, (uint16_t)q);
	uint16_t off = reg_read16(v->common + C_Q_NOFF);
	reg_write16(v->notify + (uintptr_t)off * v->notify_mult, (uint16_t)q);
}

static unsigned p_ack_interrupt(struct virtio_dev *d)
{
	return reg_read8(vp(d)->isr) & 3u;
}

static const struct virtio_transport pci_transport = {
	.name = "pci",
	.get_status = p_get_status,
	.set_status = p_set_status,
	.get_features = p_get_features,
	.set_features = p_set_features,
	.config_read32 = p_config_read32,
	.config_generation = p_config_generation,
	.queue_max = p_queue_max,
	.queue_enable = p_queue_enable,
	.notify = p_notify,
	.ack_interrupt = p_ack_interrupt,
};

/* The virtual address of (bar, offset, length), mapping the BAR on first
 * use; 0 on failure (reported). */
static uintptr_t cap_address(struct vpci *v, unsigned bar, uint32_t off,
			     uint32_t len)
{
	uint64_t phys, size;
	int rc = pci_bar_memory(&v->pci, bar, &phys, &size);
	if (rc < 0) {
		printk("virtio: %s: BAR %u unusable (%s)\n", v->dev.where, bar,
		       rc == -ERANGE ? "above 4 GiB" : "not a memory BAR");
		return 0;
	}
	if ((uint64_t)off + len > size) {
		printk("virtio: %s: capability past the end of BAR %u\n",
		       v->dev.where, bar);
		return 0;
	}
	if (!v->bar_va[bar]) {
		void *w = dma_map(phys, (size_t)size, DMA_UNCACHED);
		if (!w)
			return 0;
		v->bar_va[bar] = (uintptr_t)w;
	}
	return v->bar_va[bar] + off;
}

/* Walk the capability list for the four structures. 0 or -ENODEV. */
static int find_caps(struct vpci *v)
{
	const struct pci_dev *p = &v->pci;
	if (!(pci_cfg_read16(p, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return -ENODEV;
	unsigned pos = pci_cfg_read8(p, PCI_CAP_PTR) & 0xfc;
	for (unsigned n = 0; pos && n < 48; n++) { /* 48: a loop guard */
		uint8_t id = pci_cfg_read8(p, pos);
		uint8_t next = pci_cfg_read8(p, pos + 1);
		if (id == CAP_VENDOR) {
			uint8_t type = pci_cfg_read8(p, pos + 3);
			uint8_t bar = pci_cfg_read8(p, pos + 4);
			uint32_t off = pci_cfg_read32(p, pos + 8);
			uint32_t len = pci_cfg_read32(p, pos + 12);
			uintptr_t *slot = type == CFG_COMMON   ? &v->common
					  : type == CFG_NOTIFY ? &v->notify
					  : type == CFG_ISR    ? &v->isr
					  : type == CFG_DEVICE ? &v->device
							       : NULL;
			/* The first capability of each type is the one to use
			 * (4.1.4). */
			if (slot && !*slot && bar <= 5) {
				*slot = cap_address(v, bar, off, len);
				if (type == CFG_NOTIFY)
					v->notify_mult =
						pci_cfg_read32(p, pos + 16);
			}
		}
		pos = next & 0xfc;
	}
	return v->common && v->notify && v->isr && v->device ? 0 : -ENODEV;
}

int virtio_pci_probe(const struct pci_dev *p)
{
	struct vpci *v = kcalloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->pci = *p;
	v->dev.t = &pci_transport;
	v->dev.priv_transport = v;
	snprintf(v->dev.where, sizeof(v->dev.where), "pci %02x:%02x.%x", p->bus,
		 p->slot, p->func);
	/* Modern ids are 0x1040 + type; transitional ones 0x1000-0x103f
	 * (the type then comes from the subsystem id). */
	if (p->device >= 0x1040 && p->device <= 0x107f) {
		v->dev.device_id = p->device - 0x1040u;
	} else if (p->device >= 0x1000 && p->device <= 0x103f) {
		v->dev.device_id = pci_cfg_read16(p, 0x2e);
	} else {
		kfree(v);
		return -ENODEV;
	}
	uint16_t cmd = pci_cfg_read16(p, PCI_COMMAND);
	pci_cfg_write16(
		p, PCI_COMMAND,
		(uint16_t)((cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER) &
			   ~PCI_COMMAND_INTX_DISABLE));
	int rc = find_caps(v);
	if (rc < 0) {
		printk("virtio: %s: legacy-only device (no virtio 1.0 "
		       "capabilities); not supported (QEMU: "
		       "disable-legacy=on or disable-modern=off)\n",
		       v->dev.where);
		goto fail;
	}
	if (!p->irq_pin || p->irq_line == 0xff) {
		printk("virtio: %s: no INTx line assigned (pin %u line %u)\n",
		       v->dev.where, p->irq_pin, p->irq_line);
		rc = -ENODEV;
		goto fail;
	}
	v->dev.irq = p->irq_line;
	reg_write16(v->common + C_MSIX, MSIX_NO_VECTOR);
	rc = virtio_dev_found(&v->dev);
	if (rc < 0 && v->dev.irq_attached)
		return rc; /* its line still lists it: kept */
	if (rc == 0)
		return 0;
fail:
	for (unsigned i = 0; i < 6; i++)
		if (v->bar_va[i])
			dma_unmap((void *)v->bar_va[i]);
	kfree(v);
	return rc;
}
