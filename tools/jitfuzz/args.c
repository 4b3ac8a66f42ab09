/*
 * tools/jitfuzz/args.c: edge-heavy call arguments (args.h).
 */
#include <stdio.h>
#include <string.h>

#include "args.h"

uint64_t args_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static const uint32_t edge32[] = {
	0,	    1,		2,	    3,		4,	    7,
	8,	    15,		16,	    31,		32,	    33,
	63,	    64,		100,	    255,	256,	    0x7fff,
	0x8000,	    0xffff,	0x10000,    65532,	65535,	    65528,
	131068,	    262140,	0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe,
	0xffffffff, 0xfffffff8, 0xfffffffc, 0x55555555, 0xaaaaaaaa, 0x01234567,
};

static const uint64_t edge64[] = {
	0,
	1,
	2,
	31,
	32,
	63,
	64,
	65,
	0x7fffffffull,
	0x80000000ull,
	0xffffffffull,
	0x100000000ull,
	0x100000001ull,
	0x7fffffffffffffffull,
	0x8000000000000000ull,
	0x8000000000000001ull,
	0xffffffff00000000ull,
	0xffffffff80000000ull,
	0xfffffffffffffffeull,
	0xffffffffffffffffull,
	0x0123456789abcdefull,
};

/* f32 bit patterns: signed zeros, ones, halves, infinities, NaNs with
 * and without payloads and signs, the smallest and largest subnormal and
 * normal, and the bounds of the i32/u32/i64/u64 conversions. */
static const uint32_t edgef32[] = {
	0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0xbf000000,
	0x3fc00000, 0x40200000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000,
	0x7fa00000, 0x7f800001, 0xffffffff, 0x00000001, 0x807fffff, 0x00800000,
	0x7f7fffff, 0xff7fffff, 0x4f000000, 0xcf000000, 0xcf000001, 0x4f800000,
	0x5f000000, 0xdf000000, 0x5f800000, 0x4b800001, 0x4effffff, 0xbf7fffff,
};

static const uint64_t edgef64[] = {
	0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull,
	0xbff0000000000000ull, 0x3fe0000000000000ull, 0xbfe0000000000000ull,
	0x3ff8000000000000ull, 0x4004000000000000ull, 0x7ff0000000000000ull,
	0xfff0000000000000ull, 0x7ff8000000000000ull, 0xfff8000000000000ull,
	0x7ff4000000000000ull, 0x7ff0000000000001ull, 0xffffffffffffffffull,
	0x0000000000000001ull, 0x800fffffffffffffull, 0x0010000000000000ull,
	0x7fefffffffffffffull, 0xffefffffffffffffull, 0x41dfffffffc00000ull,
	0x41e0000000000000ull, 0xc1e0000000000000ull, 0xc1e0000000200000ull,
	0x41efffffffe00000ull, 0x41f0000000000000ull, 0x43e0000000000000ull,
	0xc3e0000000000000ull, 0x43f0000000000000ull, 0x4340000000000001ull,
	0xbfefffffffffffffull, 0x3fdfffffffffffffull,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t pick64(uint64_t *s, int kind)
{
	uint64_t r = args_next(s), x = args_next(s);
	switch (r % 8) {
	case 0: return x;			       /* any bits */
	case 1: return x % 16;			       /* small */
	case 2: return (uint64_t) - (int64_t)(x % 16); /* small negative */
	case 3:
		return kind == 1 ? edge64[x % N(edge64)] + (r >> 60) - 8
				 : edgef64[(x >> 3) % N(edgef64)];
	default:
		return kind == 1 ? edge64[x % N(edge64)]
				 : edgef64[x % N(edgef64)];
	}
}

static uint32_t pick32(uint64_t *s, int kind)
{
	uint64_t r = args_next(s), x = args_next(s);
	switch (r % 8) {
	case 0: return (uint32_t)x;
	case 1: return (uint32_t)(x % 16);
	case 2: return (uint32_t) - (int32_t)(x % 16);
	case 3:
		return kind == 1
			       ? edge32[x % N(edge32)] + (uint32_t)(r >> 61) - 4
			       : edgef32[(x >> 3) % N(edgef32)];
	default:
		return kind == 1 ? edge32[x % N(edge32)]
				 : edgef32[x % N(edgef32)];
	}
}

uint32_t args_make(uint64_t *s, const struct vm_functype *t, uint32_t nfuncs,
		   uint64_t *out, uint32_t cap)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < t->nparams; i++) {
		if (n + 2 > cap)
			return 0;
		switch (t->params[i]) {
		case VM_I32: out[n++] = pick32(s, 1); break;
		case VM_F32: out[n++] = pick32(s, 2); break;
		case VM_I64: out[n++] = pick64(s, 1); break;
		case VM_F64: out[n++] = pick64(s, 2); break;
		case VM_V128:
			out[n++] = pick64(s, args_next(s) & 1 ? 1 : 2);
			out[n++] = pick64(s, args_next(s) & 1 ? 1 : 2);
			break;
		case VM_FUNCREF: {
			uint64_t r = args_next(s);
			out[n++] = nfuncs && r % 3 ? r % nfuncs : UINT64_MAX;
			break;
		}
		default: /* externref: any host value, often null */
			out[n++] = args_next(s) % 3 ? args_next(s) % 5 : 0;
			break;
		}
	}
	return n;
}

void args_print(FILE *f, const struct vm_functype *t, const uint64_t *v,
		uint32_t n)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < t->nparams && k < n; i++) {
		switch (t->params[i]) {
		case VM_I32: fprintf(f, " %d", (int32_t)v[k++]); break;
		case VM_I64: fprintf(f, " %lld", (long long)v[k++]); break;
		case VM_F32: {
			float x;
			uint32_t b = (uint32_t)v[k++];
			memcpy(&x, &b, 4);
			fprintf(f, " %a(f32:0x%08x)", (double)x, (unsigned)b);
			break;
		}
		case VM_F64: {
			double x;
			memcpy(&x, &v[k], 8);
			fprintf(f, " %a(f64:0x%016llx)", x,
				(unsigned long long)v[k++]);
			break;
		}
		case VM_V128:
			if (k + 1 < n)
				fprintf(f, " 0x%016llx%016llx",
					(unsigned long long)v[k + 1],
					(unsigned long long)v[k]);
			k += 2;
			break;
		default: fprintf(f, " ref:%lld", (long long)v[k++]); break;
		}
	}
}
