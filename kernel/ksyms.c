/*
 * Address-to-symbol lookup over the table scripts/gen-ksyms generates at the
 * second link (code symbols sorted by address).
 */
#include <kernel/ksyms.h>
#include <stddef.h>

extern const uint32_t ksyms_count;
extern const uint32_t ksyms_addrs[];
extern const uint32_t ksyms_name_offsets[];
extern const char ksyms_names[];
extern const char __text_start[], __text_end[];

const char *ksym_lookup(uintptr_t addr, uintptr_t *offset)
{
	if (ksyms_count == 0 || addr < (uintptr_t)__text_start ||
	    addr >= (uintptr_t)__text_end || addr < ksyms_addrs[0])
		return NULL;

	/* Last entry whose address is <= addr. */
	uint32_t lo = 0, hi = ksyms_count;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (ksyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (offset)
		*offset = addr - ksyms_addrs[lo];
	return &ksyms_names[ksyms_name_offsets[lo]];
}
