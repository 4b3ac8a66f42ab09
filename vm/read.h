/*
 * vm/read.h: bounds-checked reading of untrusted module bytes.
 *
 * Every read goes through a struct vm_reader that carries its end pointer.
 * A failed read sets r->err (a static reason string) and returns 0; callers
 * check vm_rd_ok() once after a group of reads, so no read ever passes `end`
 * and the first reason is the one reported.
 */
#ifndef VM_READ_H
#define VM_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm_reader {
	const uint8_t *p;
	const uint8_t *end;
	const uint8_t *start; /* module start, for offsets in messages */
	const char *err;      /* first failure, NULL while all is well */
};

static inline bool vm_rd_ok(const struct vm_reader *r)
{
	return !r->err;
}

static inline uint32_t vm_rd_off(const struct vm_reader *r)
{
	return (uint32_t)(r->p - r->start);
}

static inline void vm_rd_fail(struct vm_reader *r, const char *why)
{
	if (!r->err)
		r->err = why;
	r->p = r->end; /* stop further reads from making progress */
}

/* The next byte in *b, or false (and r->err set) at the end. */
static inline bool vm_rd_next(struct vm_reader *r, uint8_t *b)
{
	if (r->p >= r->end) {
		vm_rd_fail(r, "unexpected end");
		return false;
	}
	*b = *r->p++;
	return true;
}

static inline uint8_t vm_rd_u8(struct vm_reader *r)
{
	uint8_t b;
	return vm_rd_next(r, &b) ? b : 0;
}

/*
 * Unsigned LEB128 of at most `bits` bits: at most ceil(bits/7) bytes, and the
 * unused high bits of the last byte must be zero.
 */
static inline uint64_t vm_rd_uleb(struct vm_reader *r, unsigned bits)
{
	uint64_t v = 0;
	unsigned shift = 0;
	for (;;) {
		uint8_t b;
		if (!vm_rd_next(r, &b))
			return 0;
		if (shift + 7 >= bits && shift < 64) {
			/* last permitted byte: no continuation, no excess bits
			 */
			unsigned used = bits - shift;
			if ((b & 0x80) || (used < 7 && (b & 0x7f) >> used)) {
				vm_rd_fail(r,
					   (b & 0x80)
						   ? "integer representation "
						     "too long"
						   : "integer too large");
				return 0;
			}
		}
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
		shift += 7;
	}
}

/*
 * Signed LEB128 of at most `bits` bits; unused bits must sign-extend. The
 * loop is vm_rd_uleb's, the last-byte rule and the sign extension are not:
 * one reader for both would put the signed rules in the unsigned reader,
 * which every index and count goes through.
 */
static inline int64_t vm_rd_sleb(struct vm_reader *r, unsigned bits)
{
	uint64_t v = 0;
	unsigned shift = 0;
	for (;;) {
		uint8_t b;
		if (!vm_rd_next(r, &b))
			return 0;
		if (shift + 7 >= bits) {
			unsigned used = bits - shift; /* 1..7 value bits here */
			if (b & 0x80) {
				vm_rd_fail(r,
					   "integer representation too long");
				return 0;
			}
			/* bits above `used` (within 7) must equal the sign bit
			 */
			uint8_t rest = (uint8_t)((b & 0x7f) >> (used - 1));
			uint8_t want = (uint8_t)(0x7f >> (used - 1));
			if (rest != 0 && rest != want) {
				vm_rd_fail(r, "integer too large");
				return 0;
			}
		}
		v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			if (shift < 64 && (b & 0x40))
				v |= ~(uint64_t)0 << shift;
			return (int64_t)v;
		}
	}
}

static inline uint32_t vm_rd_u32(struct vm_reader *r)
{
	return (uint32_t)vm_rd_uleb(r, 32);
}

static inline uint32_t vm_rd_fixed32(struct vm_reader *r)
{
	if (r->end - r->p < 4) {
		vm_rd_fail(r, "unexpected end");
		return 0;
	}
	uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 |
		     (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
	r->p += 4;
	return v;
}

static inline uint64_t vm_rd_fixed64(struct vm_reader *r)
{
	uint64_t lo = vm_rd_fixed32(r);
	uint64_t hi = vm_rd_fixed32(r);
	return lo | hi << 32;
}

/* A sub-reader over the next n bytes; fails if fewer remain. */
static inline bool vm_rd_sub(struct vm_reader *r, uint32_t n,
			     struct vm_reader *sub)
{
	if ((size_t)(r->end - r->p) < n) {
		vm_rd_fail(r, "unexpected end");
		return false;
	}
	sub->p = r->p;
	sub->end = r->p + n;
	sub->start = r->start;
	sub->err = NULL;
	r->p += n;
	return true;
}

#endif
