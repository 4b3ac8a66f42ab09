/*
 * The Intel MultiProcessor Specification 1.4 tables, the fallback when
 * there is no usable ACPI MADT: the 16-byte "_MP_" floating pointer, then
 * the "PCMP" configuration table it points to. Lengths and checksums are
 * verified before an entry is believed; an unknown entry type ends the
 * walk (its size is unknown) with a message.
 */
#include <lib/cpu_scan.h>
#include <lib/err.h>
#include <string.h>

#define MP_CONFIG_HDR 44u

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int mpf_check(const struct phys_reader *r, uint64_t pa,
		     struct cpu_scan *s)
{
	uint8_t b[16], sum = 0;

	if (r->read(r->ctx, pa, b, 16) < 0 || memcmp(b, "_MP_", 4) != 0)
		return -ENOENT;
	for (unsigned i = 0; i < 16; i++)
		sum = (uint8_t)(sum + b[i]);
	if (b[8] != 1 || sum != 0) {
		s->error = "an MP floating pointer with a bad length or "
			   "checksum was skipped";
		return -EINVAL;
	}
	return 0;
}

static int mp_entries(const struct phys_reader *r, uint64_t pa, uint32_t len,
		      unsigned count, struct cpu_scan *s)
{
	static const uint8_t entry_len[5] = {20, 8, 8, 8, 8};
	uint8_t e[20];
	uint32_t off = MP_CONFIG_HDR;

	for (unsigned i = 0; i < count && off < len; i++) {
		if (r->read(r->ctx, pa + off, e, 1) < 0)
			return -EFAULT;
		if (e[0] > 4) {
			s->error = "an MP table entry of unknown type: the "
				   "rest of the table is ignored";
			break;
		}
		unsigned elen = entry_len[e[0]];
		if (off + elen > len) {
			s->error = "the MP table's entries run past its length";
			break;
		}
		if (r->read(r->ctx, pa + off, e, elen) < 0)
			return -EFAULT;
		if (e[0] == 0 && (e[3] & 1))
			cpu_scan_add(s, e[1],
				     CPU_SCAN_ENABLED |
					     (e[3] & 2 ? CPU_SCAN_BOOT : 0));
		else if (e[0] == 0)
			s->disabled++;
		else if (e[0] == 2 && (e[3] & 1) && s->ioapics++ == 0)
			s->ioapic_addr = get32(e + 4);
		off += elen;
	}
	return 0;
}

int mp_scan_cpus(const struct phys_reader *r, struct cpu_scan *s)
{
	uint64_t mpf;
	uint8_t b[16], h[MP_CONFIG_HDR], sum;

	if (cpu_scan_bios_areas(r, s, &mpf, mpf_check) < 0) {
		s->error = "no MP floating pointer in the EBDA or "
			   "0xE0000-0xFFFFF";
		return -ENOENT;
	}
	if (r->read(r->ctx, mpf, b, 16) < 0)
		return -EFAULT;
	uint64_t pa = get32(b + 4);
	if (b[11] != 0 || pa == 0) {
		s->error = "the MP tables name a default configuration "
			   "(not supported)";
		return -EINVAL;
	}
	if (r->read(r->ctx, pa, h, MP_CONFIG_HDR) < 0) {
		s->error = "the MP configuration table cannot be read";
		return -EFAULT;
	}
	uint32_t len = (uint32_t)(h[4] | h[5] << 8);
	if (memcmp(h, "PCMP", 4) != 0 || len < MP_CONFIG_HDR) {
		s->error = "the MP configuration table has a bad signature "
			   "or length";
		return -EINVAL;
	}
	uint8_t buf[64];
	sum = 0;
	for (uint32_t off = 0; off < len;) {
		uint32_t k = len - off < 64 ? len - off : 64;
		if (r->read(r->ctx, pa + off, buf, k) < 0)
			return -EFAULT;
		for (uint32_t i = 0; i < k; i++)
			sum = (uint8_t)(sum + buf[i]);
		off += k;
	}
	if (sum != 0) {
		s->error = "the MP configuration table has a bad checksum";
		return -EINVAL;
	}
	s->lapic_addr = get32(h + 36);
	int rc = mp_entries(r, pa, len, (unsigned)(h[34] | h[35] << 8), s);
	if (rc < 0)
		return rc;
	s->source = "MP tables";
	if (s->ncpus == 0) {
		s->error = "the MP tables list no enabled CPU";
		return -ENODEV;
	}
	return 0;
}
