/*
 * The ACPI tables the CPU count needs: RSDP -> RSDT/XSDT -> MADT ("APIC").
 *
 * Every read goes through the phys_reader; a table's length field is
 * untrusted (it must hold the header, stay under ACPI_TABLE_MAX and not
 * wrap), and its checksum is verified over that length before any entry is
 * believed. MADT entries are walked by their own length byte, each checked
 * against the table's end.
 */
#include <lib/cpu_scan.h>
#include <lib/err.h>
#include <string.h>

#define ACPI_HDR_LEN	36u
#define ACPI_TABLE_MAX	0x10000u /* no sane MADT, RSDT or XSDT is larger */
#define ACPI_MAX_TABLES 256u
#define BDA_EBDA_SEG	0x40eu
#define BIOS_AREA	0xe0000u
#define BIOS_AREA_END	0x100000u

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

void cpu_scan_clear(struct cpu_scan *s)
{
	memset(s, 0, sizeof(*s));
}

void cpu_scan_clear_cpus(struct cpu_scan *s)
{
	const char *error = s->error;
	cpu_scan_clear(s);
	s->error = error;
}

bool cpu_scan_add(struct cpu_scan *s, uint32_t hw, unsigned flags)
{
	for (unsigned i = 0; i < s->ncpus; i++) {
		if (s->hw_id[i] == hw) {
			s->duplicates++;
			s->error = "a CPU id is listed twice: the repeat is "
				   "ignored";
			return false;
		}
	}
	if (s->ncpus == CPU_SCAN_MAX) {
		s->beyond++;
		return false;
	}
	s->hw_id[s->ncpus] = hw;
	s->flags[s->ncpus++] = (uint8_t)flags;
	return true;
}

/* Sum of `n` bytes at pa, read in chunks: 0 if it could be read. */
static int phys_sum(const struct phys_reader *r, uint64_t pa, uint32_t n,
		    uint8_t *sum)
{
	uint8_t buf[64];
	uint8_t acc = 0;

	while (n) {
		uint32_t k = n < sizeof(buf) ? n : (uint32_t)sizeof(buf);
		if (r->read(r->ctx, pa, buf, k) < 0)
			return -EFAULT;
		for (uint32_t i = 0; i < k; i++)
			acc = (uint8_t)(acc + buf[i]);
		pa += k;
		n -= k;
	}
	*sum = acc;
	return 0;
}

/* 0 if the candidate at pa is a valid RSDP. */
static int rsdp_check(const struct phys_reader *r, uint64_t pa,
		      struct cpu_scan *s)
{
	uint8_t b[36], sum = 0;

	if (r->read(r->ctx, pa, b, 8) < 0 || memcmp(b, "RSD PTR ", 8) != 0)
		return -ENOENT;
	if (r->read(r->ctx, pa, b, 20) < 0)
		return -EFAULT;
	for (unsigned i = 0; i < 20; i++)
		sum = (uint8_t)(sum + b[i]);
	if (sum != 0) {
		s->error = "an RSDP signature with a bad checksum was skipped";
		return -EINVAL;
	}
	if (b[15] < 2)
		return 0;
	if (r->read(r->ctx, pa, b, 36) < 0)
		return -EFAULT;
	uint32_t len = get32(b + 20);
	if (len < 36 || len > 1024 || phys_sum(r, pa, len, &sum) < 0 ||
	    sum != 0) {
		s->error = "an RSDP 2.0 with a bad length or extended "
			   "checksum was skipped";
		return -EINVAL;
	}
	return 0;
}

/* Scan [start, end) in 16-byte steps for `check`. */
static int scan_area(const struct phys_reader *r, uint64_t start, uint64_t end,
		     struct cpu_scan *s, uint64_t *found,
		     int (*check)(const struct phys_reader *, uint64_t,
				  struct cpu_scan *))
{
	for (uint64_t pa = start; pa + 16 <= end; pa += 16) {
		if (check(r, pa, s) == 0) {
			*found = pa;
			return 0;
		}
	}
	return -ENOENT;
}

/* The EBDA's start from the BIOS data area; if that cannot be read or
 * looks wrong, the last KiB of 640 KiB base memory (the MP spec's
 * alternative). */
static uint64_t ebda_base(const struct phys_reader *r)
{
	uint8_t b[2];
	if (r->read(r->ctx, BDA_EBDA_SEG, b, 2) < 0)
		return 0x9fc00;
	uint64_t base = (uint64_t)(b[0] | b[1] << 8) << 4;
	return base >= 0x80000 && base < 0xa0000 ? base : 0x9fc00;
}

int cpu_scan_bios_areas(const struct phys_reader *r, struct cpu_scan *s,
			uint64_t *found,
			int (*check)(const struct phys_reader *, uint64_t,
				     struct cpu_scan *))
{
	uint64_t ebda = ebda_base(r);
	if (scan_area(r, ebda, ebda + 1024, s, found, check) == 0)
		return 0;
	return scan_area(r, BIOS_AREA, BIOS_AREA_END, s, found, check);
}

int acpi_find_rsdp(const struct phys_reader *r, struct cpu_scan *s,
		   uint64_t *rsdp)
{
	if (cpu_scan_bios_areas(r, s, rsdp, rsdp_check) == 0)
		return 0;
	if (!s->error)
		s->error = "no ACPI RSDP in the EBDA or 0xE0000-0xFFFFF";
	return -ENOENT;
}

/* Read and verify the header of the table at pa: its length in *len. */
static int table_check(const struct phys_reader *r, uint64_t pa,
		       uint8_t hdr[ACPI_HDR_LEN], uint32_t *len,
		       struct cpu_scan *s)
{
	uint8_t sum;

	if (r->read(r->ctx, pa, hdr, ACPI_HDR_LEN) < 0) {
		s->error = "an ACPI table cannot be read";
		return -EFAULT;
	}
	*len = get32(hdr + 4);
	if (*len < ACPI_HDR_LEN || *len > ACPI_TABLE_MAX || pa + *len < pa) {
		s->error = "an ACPI table has an impossible length";
		return -EINVAL;
	}
	if (phys_sum(r, pa, *len, &sum) < 0) {
		s->error = "an ACPI table runs into unreadable memory";
		return -EFAULT;
	}
	if (sum != 0) {
		s->error = "an ACPI table has a bad checksum";
		return -EINVAL;
	}
	return 0;
}

static void madt_entry(const uint8_t *e, unsigned elen, struct cpu_scan *s)
{
	switch (e[0]) {
	case 0: /* processor local APIC: uid, APIC id, flags */
		if (elen < 8)
			break;
		if (get32(e + 4) & 1)
			cpu_scan_add(s, e[3], CPU_SCAN_ENABLED);
		else
			s->disabled++;
		break;
	case 1: /* I/O APIC: id, reserved, address, GSI base */
		if (elen < 12)
			break;
		if (s->ioapics++ == 0)
			s->ioapic_addr = get32(e + 4);
		break;
	case 2: /* interrupt source override */
		if (elen >= 10)
			s->overrides++;
		break;
	case 9: /* processor local x2APIC: reserved, x2APIC id, flags, uid */
		if (elen < 16)
			break;
		s->x2apics++;
		if (get32(e + 8) & 1)
			cpu_scan_add(s, get32(e + 4),
				     CPU_SCAN_ENABLED | CPU_SCAN_X2APIC);
		else
			s->disabled++;
		break;
	}
}

static int madt_parse(const struct phys_reader *r, uint64_t pa, uint32_t len,
		      struct cpu_scan *s)
{
	uint8_t b[8], e[256];

	if (len < ACPI_HDR_LEN + 8) {
		s->error = "the MADT is too short";
		return -EINVAL;
	}
	if (r->read(r->ctx, pa + ACPI_HDR_LEN, b, 8) < 0)
		return -EFAULT;
	s->lapic_addr = get32(b);
	for (uint32_t off = ACPI_HDR_LEN + 8; off + 2 <= len;) {
		if (r->read(r->ctx, pa + off, e, 2) < 0)
			return -EFAULT;
		unsigned elen = e[1];
		if (elen < 2 || off + elen > len) {
			s->error = "a MADT entry has a bad length: the rest of "
				   "the MADT is ignored";
			break;
		}
		if (r->read(r->ctx, pa + off, e, elen) < 0)
			return -EFAULT;
		madt_entry(e, elen, s);
		off += elen;
	}
	s->source = "ACPI MADT";
	if (s->ncpus == 0) {
		s->error = "the MADT lists no enabled CPU";
		return -ENODEV;
	}
	return 0;
}

/* Walk the RSDT (entry size 4) or XSDT (8) at pa for the MADT. */
static int sdt_find_madt(const struct phys_reader *r, uint64_t pa,
			 unsigned esize, struct cpu_scan *s)
{
	uint8_t hdr[ACPI_HDR_LEN], ent[8];
	uint32_t len;
	int rc = table_check(r, pa, hdr, &len, s);

	if (rc < 0)
		return rc;
	if (memcmp(hdr, esize == 8 ? "XSDT" : "RSDT", 4) != 0) {
		s->error = "the RSDP points to no RSDT/XSDT";
		return -EINVAL;
	}
	unsigned n = (len - ACPI_HDR_LEN) / esize;
	if (n > ACPI_MAX_TABLES)
		n = ACPI_MAX_TABLES;
	for (unsigned i = 0; i < n; i++) {
		if (r->read(r->ctx, pa + ACPI_HDR_LEN + i * esize, ent, esize) <
		    0)
			return -EFAULT;
		uint64_t t = esize == 8 ? get64(ent) : get32(ent);
		if (t > 0xffffffffu) {
			s->error = "an XSDT entry above 4 GiB is refused";
			continue;
		}
		uint8_t th[ACPI_HDR_LEN];
		if (t == 0 || r->read(r->ctx, t, th, 4) < 0 ||
		    memcmp(th, "APIC", 4) != 0)
			continue;
		rc = table_check(r, t, th, &len, s);
		if (rc < 0)
			return rc;
		return madt_parse(r, t, len, s);
	}
	if (!s->error)
		s->error = "no MADT (\"APIC\") in the ACPI tables";
	return -ENOENT;
}

int acpi_scan_cpus(const struct phys_reader *r, uint64_t rsdp,
		   struct cpu_scan *s)
{
	uint8_t b[36];
	int rc;

	if (r->read(r->ctx, rsdp, b, 20) < 0)
		return -EFAULT;
	if (b[15] >= 2 && r->read(r->ctx, rsdp, b, 36) == 0) {
		uint64_t xsdt = get64(b + 24);
		if (xsdt > 0xffffffffu) {
			s->error = "the XSDT lies above 4 GiB: refused, trying "
				   "the RSDT";
		} else if (xsdt) {
			rc = sdt_find_madt(r, xsdt, 8, s);
			if (rc == 0 || rc == -ENODEV)
				return rc;
			cpu_scan_clear_cpus(s);
		}
	}
	return sdt_find_madt(r, get32(b + 16), 4, s);
}
