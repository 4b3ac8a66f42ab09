/*
 * The x86 CPU discovery parsers (lib/cpus/) on crafted firmware tables: a
 * QEMU-like set, then damaged ones (checksums, lengths that lie, tables
 * that run into unreadable memory, no CPU, repeated and too many CPUs), and
 * the MP tables fallback. The tables live in a small fake physical memory
 * read through the same phys_reader the PC uses.
 */
#include <kernel/cpus.h>
#include <ktest.h>
#include <lib/cpu_scan.h>
#include <lib/err.h>
#include <stdint.h>
#include <string.h>

#define EBDA	 0x9fc00u
#define BIOS_WIN 0xf5a00u    /* the only backed part of 0xE0000-0xFFFFF */
#define HIGH	 0x7ffe0000u /* where QEMU puts its tables: top of RAM */
#define RSDT	 (HIGH + 0x0)
#define FACP	 (HIGH + 0x100)
#define MADT	 (HIGH + 0x200)
#define XSDT	 (HIGH + 0x400)
#define MPC	 (HIGH + 0x500)

static struct fake_phys {
	uint8_t bda[16]; /* 0x400: the EBDA segment at 0x40e */
	uint8_t ebda[1024];
	uint8_t bios[512]; /* BIOS_WIN; the rest of the area reads as 0 */
	uint8_t high[2048];
	unsigned reads;
} mem;

static uint8_t *backing(uint64_t pa, size_t n, bool *zero)
{
	*zero = false;
	if (pa >= 0x400 && pa + n <= 0x410)
		return mem.bda + (pa - 0x400);
	if (pa >= EBDA && pa + n <= EBDA + 1024)
		return mem.ebda + (pa - EBDA);
	if (pa >= BIOS_WIN && pa + n <= BIOS_WIN + 512)
		return mem.bios + (pa - BIOS_WIN);
	if (pa >= HIGH && pa + n <= HIGH + sizeof(mem.high))
		return mem.high + (pa - HIGH);
	if (pa >= 0xe0000 && pa + n <= 0x100000 &&
	    (pa + n <= BIOS_WIN || pa >= BIOS_WIN + 512))
		*zero = true;
	return NULL;
}

static int fake_read(void *ctx, uint64_t pa, void *buf, size_t n)
{
	bool zero;
	uint8_t *p;

	mem.reads++;
	if (pa + n < pa)
		return -EFAULT;
	for (size_t i = 0; i < n; i++) { /* byte by byte: areas may abut */
		p = backing(pa + i, 1, &zero);
		if (!p && !zero)
			return -EFAULT;
		((uint8_t *)buf)[i] = p ? *p : 0;
	}
	return 0;
}

static const struct phys_reader reader = {fake_read, NULL};

static uint8_t *at(uint64_t pa)
{
	bool zero;
	return backing(pa, 1, &zero);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void fix_sum(uint8_t *p, size_t len, size_t sum_at)
{
	uint8_t s = 0;
	p[sum_at] = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	p[sum_at] = (uint8_t)-s;
}

static void table(uint64_t pa, const char *sig, uint32_t len)
{
	uint8_t *p = at(pa);
	memcpy(p, sig, 4);
	put32(p + 4, len);
	p[8] = 1;
	memcpy(p + 10, "FLATKT", 6);
	fix_sum(p, len, 9);
}

static void rsdp(uint64_t pa, unsigned rev, uint32_t rsdt, uint64_t xsdt)
{
	uint8_t *p = at(pa);
	memset(p, 0, 36);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "BOCHS ", 6);
	p[15] = (uint8_t)rev;
	put32(p + 16, rsdt);
	fix_sum(p, 20, 8);
	if (rev >= 2) {
		put32(p + 20, 36);
		put32(p + 24, (uint32_t)xsdt);
		put32(p + 28, (uint32_t)(xsdt >> 32));
		fix_sum(p, 36, 32);
	}
}

/* A MADT with `n` local APICs of ids ids[] (flags 1), one I/O APIC and two
 * overrides; returns its length. */
static uint32_t madt(const uint8_t *ids, unsigned n, uint32_t flags)
{
	uint8_t *p = at(MADT);
	uint32_t off = 44;

	put32(p + 36, 0xfee00000u);
	put32(p + 40, 1);
	for (unsigned i = 0; i < n; i++, off += 8) {
		uint8_t *e = p + off;
		e[0] = 0;
		e[1] = 8;
		e[2] = (uint8_t)i;
		e[3] = ids[i];
		put32(e + 4, flags);
	}
	uint8_t io[12] = {1, 12, 0, 0};
	put32(io + 4, 0xfec00000u);
	memcpy(p + off, io, 12);
	off += 12;
	for (unsigned i = 0; i < 2; i++, off += 10) {
		uint8_t ovr[10] = {2, 10, 0, (uint8_t)(i ? 9 : 0), 2};
		memcpy(p + off, ovr, 10);
	}
	table(MADT, "APIC", off);
	return off;
}

/* QEMU's layout: RSDP v0 in the BIOS area, RSDT -> FACP, APIC. */
static void qemu_tables(unsigned ncpus)
{
	uint8_t ids[40];

	memset(&mem, 0, sizeof(mem));
	for (unsigned i = 0; i < ncpus && i < 40; i++)
		ids[i] = (uint8_t)i;
	mem.bda[0xe] = (uint8_t)(EBDA >> 4);
	mem.bda[0xf] = (uint8_t)(EBDA >> 12);
	rsdp(BIOS_WIN + 0x40, 0, RSDT, 0);
	table(FACP, "FACP", 116);
	madt(ids, ncpus, 1);
	put32(at(RSDT + 36), FACP);
	put32(at(RSDT + 40), MADT);
	table(RSDT, "RSDT", 44);
}

static int scan_acpi(struct cpu_scan *s)
{
	uint64_t pa;
	cpu_scan_clear(s);
	int rc = acpi_find_rsdp(&reader, s, &pa);
	return rc < 0 ? rc : acpi_scan_cpus(&reader, pa, s);
}

KTEST(cpu_scan, qemu_like_acpi_tables)
{
	static struct cpu_scan s;

	qemu_tables(4);
	KT_ASSERT_EQ(t, scan_acpi(&s), 0);
	KT_EXPECT_STREQ(t, s.source, "ACPI MADT");
	KT_EXPECT_EQ(t, s.ncpus, 4u);
	KT_EXPECT_EQ(t, s.hw_id[3], 3u);
	KT_EXPECT_EQ(t, s.ioapics, 1u);
	KT_EXPECT_EQ(t, s.ioapic_addr, 0xfec00000u);
	KT_EXPECT_EQ(t, s.lapic_addr, 0xfee00000u);
	KT_EXPECT_EQ(t, s.overrides, 2u);
	KT_EXPECT(t, s.error == NULL);
}

KTEST(cpu_scan, rsdp_in_the_ebda_comes_first_and_xsdt_is_used)
{
	static struct cpu_scan s;
	uint64_t pa;

	qemu_tables(2);
	/* XSDT: an entry above 4 GiB (refused), then the MADT. */
	uint8_t *x = at(XSDT);
	put32(x + 36, 0);
	put32(x + 40, 1);
	put32(x + 44, MADT);
	put32(x + 48, 0);
	table(XSDT, "XSDT", 52);
	rsdp(EBDA + 0x10, 2, 0x12345678u, XSDT); /* RSDT bogus: XSDT wins */
	cpu_scan_clear(&s);
	KT_ASSERT_EQ(t, acpi_find_rsdp(&reader, &s, &pa), 0);
	KT_EXPECT_EQ(t, pa, (uint64_t)EBDA + 0x10);
	KT_EXPECT_EQ(t, acpi_scan_cpus(&reader, pa, &s), 0);
	KT_EXPECT_EQ(t, s.ncpus, 2u);
	KT_EXPECT_STREQ(t, s.error, "an XSDT entry above 4 GiB is refused");
}

KTEST(cpu_scan, bad_checksums_are_refused)
{
	static struct cpu_scan s;

	qemu_tables(2);
	mem.bios[0x40 + 8] ^= 1; /* RSDP v1 checksum */
	KT_EXPECT_EQ(t, scan_acpi(&s), -ENOENT);
	KT_EXPECT_STREQ(t, s.error,
			"an RSDP signature with a bad checksum was skipped");

	qemu_tables(2);
	rsdp(BIOS_WIN + 0x40, 2, RSDT, XSDT);
	at(BIOS_WIN + 0x40)[33] ^= 1; /* extended checksum */
	KT_EXPECT_EQ(t, scan_acpi(&s), -ENOENT);

	qemu_tables(2);
	at(MADT)[50] ^= 0x40; /* inside the table: checksum now wrong */
	KT_EXPECT_EQ(t, scan_acpi(&s), -EINVAL);
	KT_EXPECT_STREQ(t, s.error, "an ACPI table has a bad checksum");
	KT_EXPECT_EQ(t, s.ncpus, 0u);

	qemu_tables(2);
	at(RSDT)[9] ^= 1;
	KT_EXPECT_EQ(t, scan_acpi(&s), -EINVAL);
}

KTEST(cpu_scan, hostile_lengths_give_messages_not_faults)
{
	static struct cpu_scan s;

	qemu_tables(2);
	put32(at(MADT) + 4, 0xffffffffu);
	KT_EXPECT_EQ(t, scan_acpi(&s), -EINVAL);
	KT_EXPECT_STREQ(t, s.error, "an ACPI table has an impossible length");

	qemu_tables(2);
	put32(at(MADT) + 4, 12); /* shorter than its own header */
	KT_EXPECT_EQ(t, scan_acpi(&s), -EINVAL);

	qemu_tables(2);
	put32(at(MADT) + 4, 0x8000); /* runs past readable memory */
	KT_EXPECT_EQ(t, scan_acpi(&s), -EFAULT);
	KT_EXPECT_STREQ(t, s.error,
			"an ACPI table runs into unreadable memory");

	/* An entry of length 0 would loop forever; one past the end would
	 * read beyond the table: both stop the walk, keeping what came
	 * before. */
	static const uint8_t ids[3] = {0, 1, 2};
	qemu_tables(0);
	uint32_t len = madt(ids, 3, 1);
	at(MADT)[44 + 8 + 1] = 0;
	table(MADT, "APIC", len);
	KT_EXPECT_EQ(t, scan_acpi(&s), 0);
	KT_EXPECT_EQ(t, s.ncpus, 1u);
	KT_EXPECT_STREQ(t, s.error,
			"a MADT entry has a bad length: the rest "
			"of the MADT is ignored");
	qemu_tables(0);
	len = madt(ids, 3, 1);
	at(MADT)[44 + 16 + 1] = 200;
	table(MADT, "APIC", len);
	KT_EXPECT_EQ(t, scan_acpi(&s), 0);
	KT_EXPECT_EQ(t, s.ncpus, 2u);

	/* An RSDT whose length claims 2^14 entries of unreadable memory. */
	qemu_tables(2);
	put32(at(RSDT) + 4, 0xffff);
	KT_EXPECT_EQ(t, scan_acpi(&s), -EFAULT);
}

KTEST(cpu_scan, no_cpu_duplicates_and_disabled)
{
	static struct cpu_scan s;
	static const uint8_t dup[4] = {0, 1, 1, 2};

	qemu_tables(0);
	KT_EXPECT_EQ(t, scan_acpi(&s), -ENODEV);
	KT_EXPECT_STREQ(t, s.error, "the MADT lists no enabled CPU");

	qemu_tables(0);
	madt(dup, 4, 1);
	KT_EXPECT_EQ(t, scan_acpi(&s), 0);
	KT_EXPECT_EQ(t, s.ncpus, 3u);
	KT_EXPECT_EQ(t, s.duplicates, 1u);

	qemu_tables(0);
	madt(dup, 4, 2); /* online-capable, not enabled */
	KT_EXPECT_EQ(t, scan_acpi(&s), -ENODEV);
	KT_EXPECT_EQ(t, s.disabled, 4u);
}

KTEST(cpu_scan, more_cpus_than_kept_are_counted)
{
	static struct cpu_scan s;
	struct cpu_record *r = &(struct cpu_record){0};

	qemu_tables(40);
	KT_ASSERT_EQ(t, scan_acpi(&s), 0);
	KT_EXPECT_EQ(t, s.ncpus, (unsigned)CPU_SCAN_MAX);
	KT_EXPECT_EQ(t, s.beyond, 40u - CPU_SCAN_MAX);
	cpu_record_fill(r, &s, NULL);
	KT_EXPECT_EQ(t, r->n, (unsigned)CONFIG_NR_CPUS);
	KT_EXPECT_EQ(t, r->ignored, 40u - CONFIG_NR_CPUS);
	KT_EXPECT(t, r->cpu[0].started);
	KT_EXPECT(t, CONFIG_NR_CPUS < 2 || !r->cpu[1].started);
	KT_EXPECT_STREQ(t, r->source, "ACPI MADT");
}

KTEST(cpu_scan, x2apic_entries_are_noted)
{
	static struct cpu_scan s;

	qemu_tables(1);
	uint8_t *p = at(MADT);
	uint32_t len = 44 + 8 + 12 + 20;
	uint8_t *e = p + len;
	memset(e, 0, 16);
	e[0] = 9;
	e[1] = 16;
	put32(e + 4, 300);
	put32(e + 8, 1);
	table(MADT, "APIC", len + 16);
	KT_ASSERT_EQ(t, scan_acpi(&s), 0);
	KT_EXPECT_EQ(t, s.x2apics, 1u);
	KT_EXPECT_EQ(t, s.ncpus, 2u);
	KT_EXPECT_EQ(t, s.hw_id[1], 300u);
	KT_EXPECT(t, s.flags[1] & CPU_SCAN_X2APIC);
}

/* The MP floating pointer at BIOS_WIN + 0x100 and a config table at MPC
 * with processors ids[] (the second is the boot processor). */
static void mp_tables(const uint8_t *ids, unsigned n)
{
	uint8_t *f = at(BIOS_WIN + 0x100);
	uint8_t *c = at(MPC);
	uint32_t off = 44;

	memset(f, 0, 16);
	memcpy(f, "_MP_", 4);
	put32(f + 4, MPC);
	f[8] = 1;
	f[9] = 4;
	fix_sum(f, 16, 10);
	memset(c, 0, 512);
	memcpy(c, "PCMP", 4);
	c[6] = 4;
	put32(c + 36, 0xfee00000u);
	for (unsigned i = 0; i < n; i++, off += 20) {
		c[off] = 0;
		c[off + 1] = ids[i];
		c[off + 3] = (uint8_t)(1 | (i == 1 ? 2 : 0));
	}
	c[off] = 2; /* I/O APIC */
	c[off + 3] = 1;
	put32(c + off + 4, 0xfec00000u);
	off += 8;
	c[4] = (uint8_t)off;
	c[5] = (uint8_t)(off >> 8);
	c[34] = (uint8_t)(n + 1);
	fix_sum(c, off, 7);
}

KTEST(cpu_scan, mp_tables_fallback)
{
	static struct cpu_scan s;
	static const uint8_t ids[3] = {0, 5, 6};
	struct cpu_record *r = &(struct cpu_record){0};

	qemu_tables(2);
	mem.bios[0x40] = 'X'; /* no RSDP */
	mp_tables(ids, 3);
	KT_EXPECT_EQ(t, scan_acpi(&s), -ENOENT);
	cpu_scan_clear(&s);
	KT_ASSERT_EQ(t, mp_scan_cpus(&reader, &s), 0);
	KT_EXPECT_STREQ(t, s.source, "MP tables");
	KT_EXPECT_EQ(t, s.ncpus, 3u);
	KT_EXPECT_EQ(t, s.ioapics, 1u);
	cpu_record_fill(r, &s, NULL);
	KT_EXPECT_EQ(t, r->cpu[0].hw_id, 5u); /* the BP comes first */
	KT_EXPECT_EQ(t, r->cpu[1].hw_id, 0u);

	at(MPC)[50] ^= 1;
	cpu_scan_clear(&s);
	KT_EXPECT_EQ(t, mp_scan_cpus(&reader, &s), -EINVAL);
	KT_EXPECT_STREQ(t, s.error,
			"the MP configuration table has a bad checksum");

	mp_tables(ids, 3);
	at(MPC)[44 + 20] = 77; /* unknown entry type after the first CPU */
	fix_sum(at(MPC), 44 + 3 * 20 + 8, 7);
	cpu_scan_clear(&s);
	KT_EXPECT_EQ(t, mp_scan_cpus(&reader, &s), 0);
	KT_EXPECT_EQ(t, s.ncpus, 1u);

	mp_tables(ids, 3);
	at(MPC)[4] = 0xff; /* base length far past what was checksummed */
	at(MPC)[5] = 0xff;
	cpu_scan_clear(&s);
	KT_EXPECT(t, mp_scan_cpus(&reader, &s) < 0);

	memset(at(BIOS_WIN + 0x100), 0, 16);
	cpu_scan_clear(&s);
	KT_EXPECT_EQ(t, mp_scan_cpus(&reader, &s), -ENOENT);
}

KTEST(cpu_scan, damaged_tables_never_fault)
{
	static struct cpu_scan s;
	uint32_t seed = 12345;
	unsigned ok = 0;

	for (unsigned i = 0; i < 300; i++) {
		qemu_tables(4);
		for (unsigned k = 0; k < 4; k++) {
			seed = seed * 1103515245u + 12345u;
			uint32_t pos = (seed >> 8) % 0x300;
			uint8_t *p = at(HIGH + pos);
			p[0] ^= (uint8_t)(1u << ((seed >> 4) % 8));
			if (i % 2) { /* half keep valid checksums */
				uint8_t *m = at(MADT);
				table(MADT, "APIC",
				      (m[4] | (uint32_t)m[5] << 8) & 0x3ff);
			}
		}
		int rc = scan_acpi(&s);
		KT_EXPECT(t, s.ncpus <= CPU_SCAN_MAX);
		KT_EXPECT(t, rc == 0 || s.error != NULL);
		ok += rc == 0;
	}
	ktest_log(t, "%u of 300 damaged table sets still gave CPUs", ok);
}
