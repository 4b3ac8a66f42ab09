/*
 * PCI configuration space, as a board provides it (the PC: ports
 * 0xCF8/0xCFC, platform/pc/pci.c), and the device record its enumerator
 * hands to drivers. Offsets are byte offsets into the 256-byte
 * configuration header; accesses are naturally aligned.
 */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H

#include <stdint.h>

#define PCI_VENDOR_ID	   0x00
#define PCI_DEVICE_ID	   0x02
#define PCI_COMMAND	   0x04
#define PCI_STATUS	   0x06
#define PCI_HEADER_TYPE	   0x0e
#define PCI_BAR0	   0x10
#define PCI_CAP_PTR	   0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN  0x3d

#define PCI_COMMAND_MEMORY	 0x2u
#define PCI_COMMAND_MASTER	 0x4u
#define PCI_COMMAND_INTX_DISABLE 0x400u
#define PCI_STATUS_CAP_LIST	 0x10u

struct pci_dev {
	uint8_t bus, slot, func;
	uint16_t vendor, device;
	uint8_t irq_line; /* from the firmware (0xff: none) */
	uint8_t irq_pin;  /* 1-4 = INTA-INTD, 0: none */
};

/* Provided by the board. Any context. */
uint32_t pci_cfg_read32(const struct pci_dev *p, unsigned off);
void pci_cfg_write32(const struct pci_dev *p, unsigned off, uint32_t v);
uint16_t pci_cfg_read16(const struct pci_dev *p, unsigned off);
void pci_cfg_write16(const struct pci_dev *p, unsigned off, uint16_t v);
uint8_t pci_cfg_read8(const struct pci_dev *p, unsigned off);

/* The physical address and size of memory BAR `bar` (0-5; a 64-bit BAR
 * takes two slots). Returns 0, -ENOENT (unset or I/O BAR), -ERANGE (above
 * what the CPU addresses). Provided by the board. */
int pci_bar_memory(const struct pci_dev *p, unsigned bar, uint64_t *phys,
		   uint64_t *size);

/* The virtio-pci driver's probe: called by the enumerator for every
 * function with vendor 0x1af4 (drivers/virtio/virtio_pci.c). */
int virtio_pci_probe(const struct pci_dev *p);

#endif
