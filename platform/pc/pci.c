/*
 * PCI configuration mechanism #1 (ports 0xCF8/0xCFC) and a bus walk that
 * hands virtio functions to the virtio-pci driver.
 *
 * The walk covers every bus number a bridge could have (0-255) but stops
 * at absent slots (vendor 0xffff), so it is a few thousand port reads,
 * well under a millisecond on QEMU. The firmware (SeaBIOS, GRUB's BIOS)
 * has already assigned BARs and interrupt lines; nothing is re-assigned.
 */
#include <arch/irq.h>
#include <arch/pio.h>
#include <drivers/pci.h>
#include <kernel/printk.h>
#include <kernel/sync.h>
#include <lib/err.h>

#include "pc.h"

#define PCI_ADDR_PORT 0xcf8
#define PCI_DATA_PORT 0xcfc

/* The address/data pair is one shared register: one access at a time. */
static struct spinlock pci_lock = SPINLOCK_INIT;

static uint32_t cfg_addr(const struct pci_dev *p, unsigned off)
{
	return 0x80000000u | (uint32_t)p->bus << 16 | (uint32_t)p->slot << 11 |
	       (uint32_t)p->func << 8 | (off & 0xfc);
}

uint32_t pci_cfg_read32(const struct pci_dev *p, unsigned off)
{
	irq_state_t s = spin_lock_irqsave(&pci_lock);
	outl(PCI_ADDR_PORT, cfg_addr(p, off));
	uint32_t v = inl(PCI_DATA_PORT);
	spin_unlock_irqrestore(&pci_lock, s);
	return v;
}

void pci_cfg_write32(const struct pci_dev *p, unsigned off, uint32_t v)
{
	irq_state_t s = spin_lock_irqsave(&pci_lock);
	outl(PCI_ADDR_PORT, cfg_addr(p, off));
	outl(PCI_DATA_PORT, v);
	spin_unlock_irqrestore(&pci_lock, s);
}

uint16_t pci_cfg_read16(const struct pci_dev *p, unsigned off)
{
	return (uint16_t)(pci_cfg_read32(p, off) >> ((off & 2) * 8));
}

uint8_t pci_cfg_read8(const struct pci_dev *p, unsigned off)
{
	return (uint8_t)(pci_cfg_read32(p, off) >> ((off & 3) * 8));
}

void pci_cfg_write16(const struct pci_dev *p, unsigned off, uint16_t v)
{
	irq_state_t s = spin_lock_irqsave(&pci_lock);
	outl(PCI_ADDR_PORT, cfg_addr(p, off));
	outw(PCI_DATA_PORT + (off & 2), v);
	spin_unlock_irqrestore(&pci_lock, s);
}

/* Size a BAR the standard way: write all ones, read the mask back, put
 * the address back. Memory decoding is off meanwhile, so the device never
 * answers at the probe address. */
static uint64_t bar_size(const struct pci_dev *p, unsigned off, bool wide)
{
	uint16_t cmd = pci_cfg_read16(p, PCI_COMMAND);
	pci_cfg_write16(p, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
	uint32_t lo = pci_cfg_read32(p, off), hi = 0, mhi = 0xffffffffu;
	pci_cfg_write32(p, off, 0xffffffffu);
	uint32_t mlo = pci_cfg_read32(p, off);
	pci_cfg_write32(p, off, lo);
	if (wide) {
		hi = pci_cfg_read32(p, off + 4);
		pci_cfg_write32(p, off + 4, 0xffffffffu);
		mhi = pci_cfg_read32(p, off + 4);
		pci_cfg_write32(p, off + 4, hi);
	}
	pci_cfg_write16(p, PCI_COMMAND, cmd);
	uint64_t mask = (uint64_t)mhi << 32 | (mlo & ~0xfu);
	return ~mask + 1;
}

int pci_bar_memory(const struct pci_dev *p, unsigned bar, uint64_t *phys,
		   uint64_t *size)
{
	if (bar > 5)
		return -ENOENT;
	unsigned off = PCI_BAR0 + 4 * bar;
	uint32_t lo = pci_cfg_read32(p, off);
	if (lo & 1)
		return -ENOENT; /* an I/O BAR */
	bool wide = ((lo >> 1) & 3) == 2;
	if (wide && bar == 5)
		return -ENOENT;
	uint64_t addr = lo & ~0xfu;
	if (wide)
		addr |= (uint64_t)pci_cfg_read32(p, off + 4) << 32;
	if (!addr)
		return -ENOENT;
	*phys = addr;
	*size = bar_size(p, off, wide);
	return addr + *size - 1 > UINT32_MAX ? -ERANGE : 0;
}

static void probe_function(uint8_t bus, uint8_t slot, uint8_t func)
{
	struct pci_dev p = {.bus = bus, .slot = slot, .func = func};
	uint32_t id = pci_cfg_read32(&p, PCI_VENDOR_ID);

	p.vendor = (uint16_t)id;
	p.device = (uint16_t)(id >> 16);
	uint32_t irq = pci_cfg_read32(&p, PCI_INTERRUPT_LINE);
	p.irq_line = (uint8_t)irq;
	p.irq_pin = (uint8_t)(irq >> 8);
	if (p.vendor == 0x1af4) {
#ifdef CONFIG_VIRTIO
		virtio_pci_probe(&p);
#endif
	}
}

void pc_pci_scan(void)
{
	unsigned functions = 0;

	for (unsigned bus = 0; bus < 256; bus++) {
		for (unsigned slot = 0; slot < 32; slot++) {
			struct pci_dev p = {.bus = (uint8_t)bus,
					    .slot = (uint8_t)slot};
			if (pci_cfg_read16(&p, PCI_VENDOR_ID) == 0xffff)
				continue;
			unsigned nfunc =
				pci_cfg_read8(&p, PCI_HEADER_TYPE) & 0x80 ? 8
									  : 1;
			for (unsigned f = 0; f < nfunc; f++) {
				p.func = (uint8_t)f;
				if (pci_cfg_read16(&p, PCI_VENDOR_ID) == 0xffff)
					continue;
				functions++;
				probe_function((uint8_t)bus, (uint8_t)slot,
					       (uint8_t)f);
			}
		}
	}
	printk("pci: %u functions\n", functions);
}
