/*
 * Devices of QEMU's virt board that are found after the memory manager
 * and the timer are up: the virtio-mmio slots of the DTB ("virtio,mmio"
 * nodes under the root; QEMU puts 32 there, most of them empty).
 */
#include <arch/arm_platform.h>
#include <arch/ops.h>
#include <drivers/virtio.h>
#include <kernel/kernel.h>
#include <kernel/printk.h>
#include <lib/err.h>
#include <lib/fdt.h>

/* The first "reg" pair and the first SPI of a root child; false if the
 * node does not give them in the form QEMU uses. */
static bool mmio_node(struct fdt *f, int node, unsigned ac, unsigned sc,
		      uint64_t *base, uint64_t *size, unsigned *irq)
{
	const void *v;
	uint32_t len;

	if (fdt_getprop(f, node, "reg", &v, &len) < 0 || len < 4 * (ac + sc))
		return false;
	*base = fdt_read_cells(v, ac);
	*size = fdt_read_cells((const uint8_t *)v + 4 * ac, sc);
	if (fdt_getprop(f, node, "interrupts", &v, &len) < 0 || len < 12)
		return false;
	const uint8_t *p = v;
	if (fdt_be32(p) != 0 || fdt_be32(p + 4) >= 988)
		return false; /* not an SPI */
	*irq = 32 + fdt_be32(p + 4);
	return true;
}

static void virtio_mmio_scan(void)
{
	const struct boot_info *bi = kernel_boot_info;
	struct fdt f;

	if (!bi || !bi->bootdata_start ||
	    fdt_open(&f, (const void *)bi->bootdata_start,
		     bi->bootdata_end - bi->bootdata_start) < 0) {
		printk("virtio: no device tree to find virtio-mmio slots in\n");
		return;
	}
	unsigned ac = fdt_getprop_u32(&f, 0, "#address-cells", 2);
	unsigned sc = fdt_getprop_u32(&f, 0, "#size-cells", 1);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return;
	unsigned slots = 0, found = 0;
	for (int n = fdt_first_child(&f, 0); n >= 0;
	     n = fdt_next_sibling(&f, n)) {
		if (!fdt_is_compatible(&f, n, "virtio,mmio"))
			continue;
		uint64_t base, size;
		unsigned irq;
		slots++;
		if (!mmio_node(&f, n, ac, sc, &base, &size, &irq)) {
			printk("virtio: %s: unusable reg/interrupts\n",
			       fdt_node_name(&f, n));
			continue;
		}
		if (size > 0x1000)
			size = 0x1000;
		if (virtio_mmio_probe(base, (uint32_t)size, irq) == 0)
			found++;
	}
	printk("virtio: %u virtio-mmio slots, %u devices in use\n", slots,
	       found);
}

/* Called by kmain with the scheduler, the timer and IRQs running. */
void arch_late_init(void)
{
#ifdef CONFIG_VIRTIO_MMIO
	virtio_mmio_scan();
#endif
}
