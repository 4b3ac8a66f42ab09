/*
 * arm_boot: the C half of start-up. start.S has relocated us, cleared .bss,
 * set the stacks and vectors and turned on the MMU and VFP. Here: the
 * console, the DTB, the final memory attributes, the GIC, then kmain().
 */
#include <arch/arm_platform.h>
#include <arch/mmu.h>
#include <drivers/pl011.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <lib/err.h>
#include <string.h>

/* QEMU virt's layout, used until (and unless) the DTB says otherwise. */
#define VIRT_GICD_BASE 0x08000000u
#define VIRT_GICC_BASE 0x08010000u
#define VIRT_TIMER_IRQ 27 /* virtual timer, PPI 11 */
#define VIRT_UART_IRQ  33 /* PL011 at 0x09000000, SPI 1 */
#define VIRT_RAM_BASE  0x40000000u
/* The smallest RAM we claim when there is no usable DTB. */
#define DEFAULT_RAM_SIZE (64u << 20)
/* The most we read of a DTB whose size we cannot check otherwise. */
#define DTB_MAX_SIZE (4u << 20)

struct arm_platform arm_platform;
static struct boot_info boot_info;

static int ranges_overlap(uintptr_t a, uintptr_t a_end, uintptr_t b,
			  uintptr_t b_end)
{
	return a < b_end && b < a_end;
}

static void use_defaults(struct boot_info *bi, const char *why, uintptr_t dtb)
{
	printk("\n*** arm: no usable device tree at %#lx: %s.\n"
	       "*** arm: assuming QEMU virt with %u MiB of RAM at %#x, no "
	       "command line, no initrd.\n\n",
	       (unsigned long)dtb, why, DEFAULT_RAM_SIZE >> 20, VIRT_RAM_BASE);
	bi->mem_count = 0;
	bi->mem_dropped = 0;
	bi->module_count = 0;
	cmdline_copy(bi, NULL);
	bi->bootdata_start = bi->bootdata_end = 0;
	bi->mem[0].base = VIRT_RAM_BASE;
	bi->mem[0].size = DEFAULT_RAM_SIZE;
	bi->mem[0].type = BOOT_MEM_USABLE;
	bi->mem_count = 1;
}

struct boot_blob {
	uintptr_t *start, *end; /* in boot_info, updated when moved */
};

/*
 * Move the DTB and the initrd down to just above the kernel when the loader
 * put them higher (QEMU -kernel: at RAM start + RAM/2), so kernel memory
 * is one compact identity-mapped run, as on x86, and the heap area above it
 * is free address space. Blobs are moved in ascending order of address,
 * each to at or below where it was: a move never overwrites one not yet
 * made. Blobs below the kernel (U-Boot's DTB at RAM start) stay.
 */
static void move_boot_blobs(struct boot_info *bi, struct arm_platform *plat)
{
	struct boot_blob b[2];
	unsigned n = 0;
	uintptr_t cursor = ALIGN_UP(bi->kernel_end, PAGE_SIZE);
	uintptr_t dtb_old = bi->bootdata_start;

	if (bi->bootdata_start >= cursor)
		b[n++] = (struct boot_blob){&bi->bootdata_start,
					    &bi->bootdata_end};
	if (bi->module_count && bi->modules[0].start >= cursor)
		b[n++] = (struct boot_blob){&bi->modules[0].start,
					    &bi->modules[0].end};
	if (n == 2 && *b[1].start < *b[0].start) {
		struct boot_blob tmp = b[0];
		b[0] = b[1];
		b[1] = tmp;
	}
	for (unsigned i = 0; i < n; i++) {
		uintptr_t len = *b[i].end - *b[i].start;
		if (cursor < *b[i].start)
			memmove((void *)cursor, (const void *)*b[i].start, len);
		else
			cursor = *b[i].start;
		*b[i].start = cursor;
		*b[i].end = cursor + len;
		cursor = ALIGN_UP(cursor + len, PAGE_SIZE);
	}
	/* The one pointer into the DTB. */
	if (plat->model && (uintptr_t)plat->model >= dtb_old &&
	    (uintptr_t)plat->model <
		    dtb_old + (bi->bootdata_end - bi->bootdata_start))
		plat->model += bi->bootdata_start - dtb_old;
}

void arm_boot(uint32_t machid, uintptr_t dtb)
{
	struct boot_info *bi = &boot_info;
	struct arm_platform *plat = &arm_platform;
	const char *why = NULL;

	pl011_init(CONFIG_ARM_PL011_BASE);

	plat->gicd_base = VIRT_GICD_BASE;
	plat->gicc_base = VIRT_GICC_BASE;
	plat->timer_irq = VIRT_TIMER_IRQ;
	plat->uart_irq = VIRT_UART_IRQ;
	bi->kernel_start = (uintptr_t)__kernel_start;
	bi->kernel_end = (uintptr_t)__kernel_end;
	bi->cmdline_has_image_path = false;

	/* A DTB inside the kernel's final range was overwritten by our own
	 * relocation or .bss clearing: do not trust it. */
	size_t avail =
		dtb ? MIN((uint64_t)DTB_MAX_SIZE, 0x100000000ull - dtb) : 0;
	int rc;
	if (!dtb) {
		why = "the loader passed none (r2 = 0)";
		rc = -EINVAL;
	} else if (dtb & 3) {
		why = "its address is not 4-byte aligned";
		rc = -EINVAL;
	} else if (ranges_overlap(dtb, dtb + 64, bi->kernel_start,
				  bi->kernel_end)) {
		why = "it lay where the kernel was copied to (load it "
		      "elsewhere)";
		rc = -EINVAL;
	} else {
		rc = arm_dtb_parse((const void *)dtb, avail, bi, plat, &why);
		if (rc == 0 &&
		    ranges_overlap(bi->bootdata_start, bi->bootdata_end,
				   bi->kernel_start, bi->kernel_end)) {
			why = "its tail lay where the kernel was copied to";
			rc = -EINVAL;
		}
	}
	if (rc < 0) {
		use_defaults(bi, why, dtb);
		bi->loader = machid == 0xffffffffu
				     ? "QEMU -kernel (bad DTB)"
				     : "Linux boot protocol (bad DTB)";
	} else {
		bi->loader = arm_dtb_loader((const void *)dtb, avail, machid);
		arm_dtb_scan_cpus((const void *)dtb, avail);
		move_boot_blobs(bi, plat);
	}
	if (plat->uart_base && plat->uart_base != CONFIG_ARM_PL011_BASE)
		pl011_init(plat->uart_base);

	arm_mmu_init(bi);
	arm_gic_init(plat->gicd_base, plat->gicc_base);
	kmain(bi);
}
