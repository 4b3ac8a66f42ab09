/*
 * From the DTB to struct boot_info and struct arm_platform: memory,
 * reservations, /chosen (bootargs, initrd) and the few devices the arch
 * drives (GIC, timer PPI, PL011, PSCI conduit).
 *
 * Only children of the root are searched for devices: that is where QEMU
 * virt puts them, and it lets us translate "reg" with the root's own
 * #address-cells / #size-cells without walking "ranges".
 */
#include <arch/arm_platform.h>
#include <kernel/cmdline.h>
#include <kernel/cpus.h>
#include <lib/err.h>
#include <string.h>

static void add_mem(struct boot_info *bi, uint64_t base, uint64_t size,
		    enum boot_mem_type type)
{
	if (bi->mem_count >= BOOT_MAX_MEM_REGIONS) {
		bi->mem_dropped++;
		return;
	}
	bi->mem[bi->mem_count].base = base;
	bi->mem[bi->mem_count].size = size;
	bi->mem[bi->mem_count].type = type;
	bi->mem_count++;
}

/* Cell counts a node gives its children; only 1 and 2 are supported. */
static void uart_irq_of(struct fdt *f, int node, struct arm_platform *plat);

static int node_cells(struct fdt *f, int node, unsigned *ac, unsigned *sc,
		      const char **why)
{
	*ac = fdt_getprop_u32(f, node, "#address-cells", 2);
	*sc = fdt_getprop_u32(f, node, "#size-cells", 1);
	if (*ac < 1 || *ac > 2 || *sc > 2) {
		*why = "device tree #address-cells/#size-cells not 1 or 2";
		return -EINVAL;
	}
	return 0;
}

/* Add every (address, size) pair of `node`'s "reg" as `type`. Returns the
 * number of pairs, or -EINVAL for a malformed property. */
static int add_reg(struct fdt *f, int node, unsigned ac, unsigned sc,
		   struct boot_info *bi, enum boot_mem_type type,
		   const char **why)
{
	const void *v;
	uint32_t len;
	if (fdt_getprop(f, node, "reg", &v, &len) < 0)
		return 0;
	uint32_t entry = 4 * (ac + sc);
	if (len % entry) {
		*why = "device tree \"reg\" length is not a whole number of "
		       "entries";
		return -EINVAL;
	}
	const uint8_t *p = v;
	for (uint32_t i = 0; i < len / entry; i++, p += entry) {
		uint64_t size = sc ? fdt_read_cells(p + 4 * ac, sc) : 0;
		add_mem(bi, fdt_read_cells(p, ac), size, type);
	}
	return (int)(len / entry);
}

/* The i-th "reg" address of a root child (root cells), or 0. */
static uintptr_t reg_addr(struct fdt *f, int node, unsigned ac, unsigned sc,
			  unsigned i)
{
	const void *v;
	uint32_t len;
	uint32_t entry = 4 * (ac + sc);
	if (fdt_getprop(f, node, "reg", &v, &len) < 0 || len < entry * (i + 1))
		return 0;
	uint64_t a = fdt_read_cells((const uint8_t *)v + entry * i, ac);
	return a >> 32 ? 0 : (uintptr_t)a;
}

static int is_memory_node(struct fdt *f, int node)
{
	const char *type = fdt_getprop_str(f, node, "device_type");
	const char *name = fdt_node_name(f, node);
	if (type)
		return strcmp(type, "memory") == 0;
	return name && (strcmp(name, "memory") == 0 ||
			strncmp(name, "memory@", 7) == 0);
}

/* A node without "status", or with "okay"/"ok", is in use. (QEMU virt
 * with secure=on lists a secure-only PL011 first, status "disabled".) */
static bool is_enabled(struct fdt *f, int node)
{
	const char *st = fdt_getprop_str(f, node, "status");
	return !st || strcmp(st, "okay") == 0 || strcmp(st, "ok") == 0;
}

static void parse_devices(struct fdt *f, int node, unsigned ac, unsigned sc,
			  struct arm_platform *plat)
{
	if (!is_enabled(f, node))
		return;
	if (fdt_is_compatible(f, node, "arm,cortex-a15-gic") ||
	    fdt_is_compatible(f, node, "arm,gic-400") ||
	    fdt_is_compatible(f, node, "arm,cortex-a9-gic")) {
		uintptr_t d = reg_addr(f, node, ac, sc, 0);
		uintptr_t c = reg_addr(f, node, ac, sc, 1);
		if (d && c) {
			plat->gicd_base = d;
			plat->gicc_base = c;
		}
	} else if (fdt_is_compatible(f, node, "arm,armv7-timer")) {
		/* interrupts: secure phys, non-secure phys, virtual, hyp;
		 * each <type number flags>, type 1 = PPI (GIC ID 16 + n). */
		const void *v;
		uint32_t len;
		if (fdt_getprop(f, node, "interrupts", &v, &len) == 0 &&
		    len >= 36) {
			const uint8_t *p = (const uint8_t *)v + 24;
			if (fdt_be32(p) == 1 && fdt_be32(p + 4) < 16)
				plat->timer_irq = 16 + fdt_be32(p + 4);
		}
	} else if (fdt_is_compatible(f, node, "arm,pl011") &&
		   !plat->uart_base) {
		plat->uart_base = reg_addr(f, node, ac, sc, 0);
		uart_irq_of(f, node, plat);
	} else if (fdt_is_compatible(f, node, "arm,psci-0.2") ||
		   fdt_is_compatible(f, node, "arm,psci-1.0") ||
		   fdt_is_compatible(f, node, "arm,psci")) {
		const char *m = fdt_getprop_str(f, node, "method");
		if (m && strcmp(m, "hvc") == 0)
			plat->psci = PSCI_HVC;
		else if (m && strcmp(m, "smc") == 0)
			plat->psci = PSCI_SMC;
	}
}

static int parse_chosen(struct fdt *f, struct boot_info *bi)
{
	int chosen = fdt_path_offset(f, "/chosen");
	if (chosen == -ENOENT)
		return 0;
	if (chosen < 0)
		return chosen;

	const char *args = fdt_getprop_str(f, chosen, "bootargs");
	cmdline_copy(bi, args);

	const void *s, *e;
	uint32_t slen, elen;
	if (fdt_getprop(f, chosen, "linux,initrd-start", &s, &slen) == 0 &&
	    fdt_getprop(f, chosen, "linux,initrd-end", &e, &elen) == 0 &&
	    (slen == 4 || slen == 8) && (elen == 4 || elen == 8)) {
		uint64_t start = fdt_read_cells(s, slen / 4);
		uint64_t end = fdt_read_cells(e, elen / 4);
		if (start < end && end <= UINTPTR_MAX) {
			bi->modules[0].start = (uintptr_t)start;
			bi->modules[0].end = (uintptr_t)end;
			/* The device tree has no file name for it. */
			bi->modules[0].cmdline = NULL;
			bi->module_count = 1;
		}
	}
	return 0;
}

/* The PL011's interrupt: <type number flags>, type 0 = SPI (GIC ID
 * 32 + n), 1 = PPI (16 + n). Anything else keeps the default. */
static void uart_irq_of(struct fdt *f, int node, struct arm_platform *plat)
{
	const void *v;
	uint32_t len;

	if (fdt_getprop(f, node, "interrupts", &v, &len) < 0 || len < 12)
		return;
	const uint8_t *p = v;
	uint32_t type = fdt_be32(p), n = fdt_be32(p + 4);
	if (type == 0 && n < 988)
		plat->uart_irq = 32 + n;
	else if (type == 1 && n < 16)
		plat->uart_irq = 16 + n;
}

/* The console /chosen/stdout-path names ("/pl011@9000000:115200n8"), if
 * it is a PL011 at the root; otherwise the first enabled PL011 stays. */
static void parse_stdout_path(struct fdt *f, unsigned ac, unsigned sc,
			      struct arm_platform *plat)
{
	char path[64];
	int chosen = fdt_path_offset(f, "/chosen");
	const char *sp =
		chosen >= 0 ? fdt_getprop_str(f, chosen, "stdout-path") : NULL;
	if (!sp || sp[0] != '/' || strlen(sp) >= sizeof(path))
		return;
	strlcpy(path, sp, sizeof(path));
	char *colon = strchr(path, ':');
	if (colon)
		*colon = '\0';
	int node = fdt_path_offset(f, path);
	if (node > 0 && fdt_is_compatible(f, node, "arm,pl011") &&
	    is_enabled(f, node)) {
		uintptr_t base = reg_addr(f, node, ac, sc, 0);
		if (base) {
			plat->uart_base = base;
			uart_irq_of(f, node, plat);
		}
	}
}

int arm_dtb_parse(const void *blob, size_t avail, struct boot_info *bi,
		  struct arm_platform *plat, const char **why)
{
	struct fdt f;
	unsigned ac, sc;
	int rc, memories = 0;

	rc = fdt_open(&f, blob, avail);
	if (rc < 0)
		goto malformed;
	bi->bootdata_start = (uintptr_t)blob;
	bi->bootdata_end = (uintptr_t)blob + f.size;

	rc = node_cells(&f, 0, &ac, &sc, why);
	if (rc < 0)
		return rc;
	int node = fdt_first_child(&f, 0);
	for (; node >= 0; node = fdt_next_sibling(&f, node)) {
		if (is_memory_node(&f, node)) {
			rc = add_reg(&f, node, ac, sc, bi, BOOT_MEM_USABLE,
				     why);
			if (rc < 0)
				return rc;
			memories += rc;
		} else if (plat) {
			parse_devices(&f, node, ac, sc, plat);
		}
	}
	if (node != -ENOENT) {
		rc = node;
		goto malformed;
	}
	if (memories == 0) {
		*why = "device tree has no /memory node with a \"reg\"";
		return -ENOENT;
	}

	/* Reservations: the header's block, then /reserved-memory's
	 * children that have a fixed "reg". */
	uint64_t base, size;
	for (unsigned i = 0; (rc = fdt_get_rsv(&f, i, &base, &size)) == 0; i++)
		add_mem(bi, base, size, BOOT_MEM_RESERVED);
	if (rc != -ENOENT)
		goto malformed;
	int resv = fdt_path_offset(&f, "/reserved-memory");
	if (resv >= 0) {
		unsigned rac, rsc;
		rc = node_cells(&f, resv, &rac, &rsc, why);
		if (rc < 0)
			return rc;
		for (node = fdt_first_child(&f, resv); node >= 0;
		     node = fdt_next_sibling(&f, node)) {
			rc = add_reg(&f, node, rac, rsc, bi, BOOT_MEM_RESERVED,
				     why);
			if (rc < 0)
				return rc;
		}
		if (node != -ENOENT) {
			rc = node;
			goto malformed;
		}
	} else if (resv != -ENOENT) {
		rc = resv;
		goto malformed;
	}

	rc = parse_chosen(&f, bi);
	if (rc < 0)
		goto malformed;
	if (plat) {
		parse_stdout_path(&f, ac, sc, plat);
		const char *model = fdt_getprop_str(&f, 0, "model");
		plat->model =
			model ? model : fdt_getprop_str(&f, 0, "compatible");
	}
	return 0;

malformed:
	*why = f.error ? f.error : "device tree malformed";
	return rc;
}

const char *arm_dtb_loader(const void *blob, size_t avail, uint32_t machid)
{
	struct fdt f;
	if (fdt_open(&f, blob, avail) == 0) {
		int chosen = fdt_path_offset(&f, "/chosen");
		const void *v;
		uint32_t len;
		if (chosen >= 0 &&
		    fdt_getprop(&f, chosen, "u-boot,version", &v, &len) == 0)
			return "U-Boot";
	}
	/* QEMU's built-in loader passes machine id -1 with a DTB; U-Boot
	 * passes the board's number (0 on virt). */
	if (machid == 0xffffffffu)
		return "QEMU -kernel";
	return "Linux boot protocol";
}

void arm_dtb_scan_cpus(const void *blob, size_t avail)
{
	static struct cpu_scan scan; /* not on the boot stack */
	struct fdt f;

	cpu_scan_clear(&scan);
	if (fdt_open(&f, blob, avail) < 0)
		cpus_record(NULL, "the device tree cannot be read");
	else if (fdt_scan_cpus(&f, &scan) < 0)
		cpus_record(NULL, scan.error);
	else
		cpus_record(&scan, NULL);
	/* The conduit itself comes from arm_dtb_parse (plat->psci). */
	arm_platform.psci_cpu_on = scan.psci_cpu_on;
}
