/*
 * CPU discovery from a device tree: /cpus and /psci (see <lib/cpu_scan.h>).
 * Everything goes through the bounds-checked reader of lib/fdt/fdt.c.
 */
#include <lib/cpu_scan.h>
#include <lib/err.h>
#include <lib/fdt.h>
#include <string.h>

#define PSCI_0_2_CPU_ON_32 0x84000003u

static bool cpu_node_ok(struct fdt *f, int node)
{
	const char *st = fdt_getprop_str(f, node, "status");
	return !st || strcmp(st, "okay") == 0 || strcmp(st, "ok") == 0;
}

static void scan_psci(struct fdt *f, struct cpu_scan *s)
{
	int node = fdt_path_offset(f, "/psci");
	if (node < 0)
		return;
	const char *m = fdt_getprop_str(f, node, "method");
	if (!m || (strcmp(m, "hvc") != 0 && strcmp(m, "smc") != 0)) {
		s->error = "/psci has no \"method\" of \"hvc\" or \"smc\"";
		return;
	}
	s->psci = m[0] == 'h' ? CPU_PSCI_HVC : CPU_PSCI_SMC;
	s->psci_cpu_on = fdt_getprop_u32(f, node, "cpu_on", 0);
	if (fdt_is_compatible(f, node, "arm,psci-0.2") ||
	    fdt_is_compatible(f, node, "arm,psci-1.0"))
		s->psci_cpu_on = PSCI_0_2_CPU_ON_32;
}

int fdt_scan_cpus(struct fdt *f, struct cpu_scan *s)
{
	int cpus = fdt_path_offset(f, "/cpus");
	if (cpus < 0) {
		s->error = cpus == -ENOENT ? "the device tree has no /cpus"
					   : "the device tree is malformed";
		return cpus;
	}
	uint32_t ac = fdt_getprop_u32(f, cpus, "#address-cells", 1);
	if (ac != 1 && ac != 2) {
		s->error = "/cpus has #address-cells other than 1 or 2";
		return -EINVAL;
	}
	int node = fdt_first_child(f, cpus);
	for (; node >= 0; node = fdt_next_sibling(f, node)) {
		const char *type = fdt_getprop_str(f, node, "device_type");
		const void *reg;
		uint32_t len;
		if (!type || strcmp(type, "cpu") != 0)
			continue;
		if (fdt_getprop(f, node, "reg", &reg, &len) < 0 ||
		    len != ac * 4) {
			s->error = "a cpu node without a valid \"reg\" is "
				   "ignored";
			continue;
		}
		if (!cpu_node_ok(f, node)) {
			s->disabled++;
			continue;
		}
		cpu_scan_add(s, (uint32_t)fdt_read_cells(reg, ac),
			     CPU_SCAN_ENABLED);
	}
	if (node != -ENOENT) {
		s->error = "the /cpus node is malformed";
		return -EINVAL;
	}
	scan_psci(f, s);
	s->source = "device tree";
	if (s->ncpus == 0) {
		s->error = "/cpus lists no usable cpu node";
		return -ENODEV;
	}
	return 0;
}
