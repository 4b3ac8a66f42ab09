/*
 * fdt_scan_cpus on device trees built here: QEMU virt's /cpus and /psci
 * shapes, then hostile ones (no /cpus, bad cells, reg of the wrong size,
 * disabled and repeated cpus, a /psci without a method, too many cpus,
 * random damage).
 */
#include <ktest.h>
#include <lib/cpu_scan.h>
#include <lib/err.h>
#include <lib/fdt.h>
#include <stdint.h>
#include <string.h>

struct tree {
	uint8_t out[4096] __attribute__((aligned(8)));
	char names[256];
	uint32_t at, names_at, body;
};

static void be32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static void word(struct tree *d, uint32_t v)
{
	be32(d->out + d->at, v);
	d->at += 4;
}

static void bytes(struct tree *d, const void *src, uint32_t n)
{
	memcpy(d->out + d->at, src, n);
	d->at = (d->at + n + 3) & ~3u;
}

static void open_node(struct tree *d, const char *name)
{
	word(d, 1); /* FDT_BEGIN_NODE */
	bytes(d, name, (uint32_t)strlen(name) + 1);
}

static void close_node(struct tree *d)
{
	word(d, 2); /* FDT_END_NODE */
}

static void prop(struct tree *d, const char *name, const void *v, uint32_t n)
{
	uint32_t at = 0;
	/* Each name once in the strings block. */
	while (at < d->names_at && strcmp(d->names + at, name) != 0)
		at += (uint32_t)strlen(d->names + at) + 1;
	if (at == d->names_at) {
		memcpy(d->names + at, name, strlen(name) + 1);
		d->names_at += (uint32_t)strlen(name) + 1;
	}
	word(d, 3); /* FDT_PROP */
	word(d, n);
	word(d, at);
	bytes(d, v, n);
}

static void prop_str(struct tree *d, const char *name, const char *v)
{
	prop(d, name, v, (uint32_t)strlen(v) + 1);
}

static void prop_u32(struct tree *d, const char *name, uint32_t v)
{
	uint8_t b[4];
	be32(b, v);
	prop(d, name, b, 4);
}

/* Header space, an empty reservation map, the root node opened. */
static void begin(struct tree *d)
{
	memset(d, 0, sizeof(*d));
	d->at = 40 + 16;
	d->body = d->at;
	open_node(d, "");
	prop_u32(d, "#address-cells", 2);
	prop_u32(d, "#size-cells", 2);
}

static uint32_t end(struct tree *d)
{
	close_node(d); /* the root */
	word(d, 9);    /* FDT_END */
	uint32_t body_len = d->at - d->body, names = d->at;
	memcpy(d->out + d->at, d->names, d->names_at);
	d->at += d->names_at;
	static const uint32_t hdr[10] = {FDT_MAGIC, 0, 0, 0, 40, 17, 16, 0};
	for (unsigned i = 0; i < 10; i++)
		be32(d->out + 4 * i, hdr[i]);
	be32(d->out + 4, d->at);
	be32(d->out + 8, d->body);
	be32(d->out + 12, names);
	be32(d->out + 32, d->names_at);
	be32(d->out + 36, body_len);
	return d->at;
}

static void cpu(struct tree *d, unsigned n, uint32_t mpidr, const char *status)
{
	char name[16] = "cpu@";
	name[4] = (char)('0' + n % 10);
	open_node(d, name);
	prop_str(d, "device_type", "cpu");
	prop_str(d, "compatible", "arm,cortex-a15");
	prop_u32(d, "reg", mpidr);
	if (status)
		prop_str(d, "status", status);
	close_node(d);
}

/* QEMU virt with `n` CPUs and PSCI 0.2 over HVC. */
static uint32_t virt_tree(struct tree *d, unsigned n)
{
	static const char psci_compat[] = "arm,psci-0.2\0arm,psci";
	begin(d);
	open_node(d, "psci");
	prop(d, "compatible", psci_compat, sizeof(psci_compat));
	prop_str(d, "method", "hvc");
	prop_u32(d, "cpu_on", 0xc4000003u);
	close_node(d);
	open_node(d, "cpus");
	prop_u32(d, "#address-cells", 1);
	prop_u32(d, "#size-cells", 0);
	for (unsigned i = 0; i < n; i++)
		cpu(d, i, i, NULL);
	close_node(d);
	return end(d);
}

static int scan(struct tree *d, uint32_t size, struct cpu_scan *s)
{
	struct fdt f;
	cpu_scan_clear(s);
	int rc = fdt_open(&f, d->out, size);
	return rc < 0 ? rc : fdt_scan_cpus(&f, s);
}

KTEST(fdt_cpus, qemu_virt_four_cpus_psci_hvc)
{
	static struct tree d;
	static struct cpu_scan s;

	KT_ASSERT_EQ(t, scan(&d, virt_tree(&d, 4), &s), 0);
	KT_EXPECT_STREQ(t, s.source, "device tree");
	KT_EXPECT_EQ(t, s.ncpus, 4u);
	KT_EXPECT_EQ(t, s.hw_id[2], 2u);
	KT_EXPECT_EQ(t, s.psci, CPU_PSCI_HVC);
	/* PSCI 0.2: the standard id, not the node's legacy cpu_on. */
	KT_EXPECT_EQ(t, s.psci_cpu_on, 0x84000003u);
	KT_EXPECT(t, s.error == NULL);
}

KTEST(fdt_cpus, psci_0_1_smc_keeps_its_cpu_on)
{
	static struct tree d;
	static struct cpu_scan s;

	begin(&d);
	open_node(&d, "psci");
	prop_str(&d, "compatible", "arm,psci");
	prop_str(&d, "method", "smc");
	prop_u32(&d, "cpu_on", 0x95c1ba60u);
	close_node(&d);
	open_node(&d, "cpus");
	prop_u32(&d, "#address-cells", 2);
	open_node(&d, "cpu@100");
	prop_str(&d, "device_type", "cpu");
	uint8_t reg[8] = {0, 0, 0, 0, 0, 0, 1, 0};
	prop(&d, "reg", reg, 8);
	close_node(&d);
	close_node(&d);
	KT_ASSERT_EQ(t, scan(&d, end(&d), &s), 0);
	KT_EXPECT_EQ(t, s.psci, CPU_PSCI_SMC);
	KT_EXPECT_EQ(t, s.psci_cpu_on, 0x95c1ba60u);
	KT_EXPECT_EQ(t, s.hw_id[0], 0x100u);
}

KTEST(fdt_cpus, hostile_trees_are_refused_with_a_message)
{
	static struct tree d;
	static struct cpu_scan s;

	begin(&d); /* no /cpus */
	KT_EXPECT_EQ(t, scan(&d, end(&d), &s), -ENOENT);
	KT_EXPECT_STREQ(t, s.error, "the device tree has no /cpus");

	begin(&d); /* #address-cells 3 */
	open_node(&d, "cpus");
	prop_u32(&d, "#address-cells", 3);
	close_node(&d);
	KT_EXPECT_EQ(t, scan(&d, end(&d), &s), -EINVAL);

	begin(&d); /* reg of the wrong size, a non-cpu child, no cpu left */
	open_node(&d, "cpus");
	prop_u32(&d, "#address-cells", 1);
	open_node(&d, "cpu@0");
	prop_str(&d, "device_type", "cpu");
	prop(&d, "reg", "\0\0", 2);
	close_node(&d);
	open_node(&d, "cpu-map");
	close_node(&d);
	close_node(&d);
	KT_EXPECT_EQ(t, scan(&d, end(&d), &s), -ENODEV);
	KT_EXPECT_STREQ(t, s.error, "/cpus lists no usable cpu node");

	begin(&d); /* disabled and repeated cpus; /psci without method */
	open_node(&d, "psci");
	prop_str(&d, "method", "svc");
	close_node(&d);
	open_node(&d, "cpus");
	cpu(&d, 0, 0, NULL);
	cpu(&d, 1, 1, "disabled");
	cpu(&d, 2, 0, "okay");
	close_node(&d);
	KT_EXPECT_EQ(t, scan(&d, end(&d), &s), 0);
	KT_EXPECT_EQ(t, s.ncpus, 1u);
	KT_EXPECT_EQ(t, s.disabled, 1u);
	KT_EXPECT_EQ(t, s.duplicates, 1u);
	KT_EXPECT_EQ(t, s.psci, CPU_PSCI_NONE);
	KT_EXPECT_STREQ(t, s.error,
			"/psci has no \"method\" of \"hvc\" or \"smc\"");
}

KTEST(fdt_cpus, more_cpus_than_kept_are_counted)
{
	static struct tree d;
	static struct cpu_scan s;

	begin(&d);
	open_node(&d, "cpus");
	prop_u32(&d, "#address-cells", 1);
	for (unsigned i = 0; i < CPU_SCAN_MAX + 3; i++)
		cpu(&d, i, i, NULL);
	close_node(&d);
	KT_ASSERT_EQ(t, scan(&d, end(&d), &s), 0);
	KT_EXPECT_EQ(t, s.ncpus, (unsigned)CPU_SCAN_MAX);
	KT_EXPECT_EQ(t, s.beyond, 3u);
}

KTEST(fdt_cpus, damaged_trees_never_fault)
{
	static struct tree d;
	static struct cpu_scan s;
	uint32_t seed = 777, size;
	unsigned ok = 0;

	for (unsigned i = 0; i < 400; i++) {
		size = virt_tree(&d, 4);
		for (unsigned k = 0; k < 3; k++) {
			seed = seed * 1664525u + 1013904223u;
			d.out[40 + (seed >> 8) % (size - 40)] ^=
				(uint8_t)(1u << (seed >> 28) % 8);
		}
		int rc = scan(&d, size, &s);
		KT_EXPECT(t, s.ncpus <= CPU_SCAN_MAX);
		ok += rc == 0;
	}
	ktest_log(t, "%u of 400 damaged trees still gave CPUs", ok);
}
