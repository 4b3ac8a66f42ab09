/* Declarations shared by the files of platform/pc only. */
#ifndef PLATFORM_PC_PC_H
#define PLATFORM_PC_PC_H

#include <drivers/uart16550.h>

/* A 16550 on the I/O port bus: `base` is the port of register 0. */
extern const struct uart16550_bus pc_pio_uart_bus;

/* Find the CPUs (ACPI MADT, MP tables, or one) into <kernel/cpus.h>'s
 * record. Once, from arch_mm_ready(): it needs DMA windows. */
void pc_cpus_discover(void);

/* Walk PCI configuration space and hand devices to their drivers
 * (virtio); from arch_late_init(), with IRQs and the tick running. */
void pc_pci_scan(void);

#endif
