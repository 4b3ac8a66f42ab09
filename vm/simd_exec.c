/*
 * vm/simd_exec.c: running the SIMD instructions. Every one but v128.const
 * (and the copies, select and globals of v128 values, which exec.c does
 * itself) is one generic instruction
 *
 *     simd len sub dst a b c off lane [lanes0..3]
 *
 * (cells after the opcode: its length, the instruction's function here,
 * the destination slot, up to three operand slots, the memarg offset, the
 * lane immediate; a shuffle's 16 lane bytes take the lane cell and three
 * more, as 32-bit words). exec.c calls the function in cell 2: one small
 * function per instruction (below, from SIMD_OPS), which calls vm/simd.h's
 * (the hot ones inline). Memory forms take the address from slot a and the
 * vector from slot b; the effective address is checked against the memory
 * before anything is read or written.
 *
 * A single call site in exec.c: handlers calling out one per form made gcc
 * keep the frame-stack pointer in memory, which cost scalar calls ~15%.
 * One function per instruction rather than one switch: the switch's
 * function saved and restored the registers its biggest case needed on
 * every call.
 */
#include "simd.h"
#include "simd_vm.h"

#define DST  (fp + pc[3])
#define A    (fp + pc[4])
#define B    (fp + pc[5])
#define C    (fp + pc[6])
#define LANE ((unsigned)pc[8])
#define CHECK(bytes)                                                           \
	uint64_t at = (uint64_t)A->u32 + (uint32_t)pc[7];                      \
	if (at + (bytes) > mem->size)                                          \
		return VM_TRAP_MEM_OOB;                                        \
	uint8_t *p = mem->data + at;
#define DO_LOAD(n, bytes)                                                      \
	{                                                                      \
		CHECK(bytes);                                                  \
		simd_put(DST, simd_##n(p));                                    \
		return 0;                                                      \
	}
#define DO_LOAD_LANE(n, bytes)                                                 \
	{                                                                      \
		CHECK(bytes);                                                  \
		simd_put(DST, simd_##n(p, simd_get(B), LANE));                 \
		return 0;                                                      \
	}
#define DO_STORE(n, bytes)                                                     \
	{                                                                      \
		CHECK(bytes);                                                  \
		simd_##n(p, simd_get(B));                                      \
		return 0;                                                      \
	}
#define DO_STORE_LANE(n, bytes)                                                \
	{                                                                      \
		CHECK(bytes);                                                  \
		simd_##n(p, simd_get(B), LANE);                                \
		return 0;                                                      \
	}
#define DO_SHUFFLE(n, bytes)                                                   \
	{                                                                      \
		(void)mem;                                                     \
		uint32_t w[4] = {(uint32_t)pc[8], (uint32_t)pc[9],             \
				 (uint32_t)pc[10], (uint32_t)pc[11]};          \
		uint8_t l[16]; /* little-endian: w's bytes in order */         \
		__builtin_memcpy(l, w, 16);                                    \
		simd_put(DST, simd_##n(simd_get(A), simd_get(B), l));          \
		return 0;                                                      \
	}
#define DO_SPLAT32(n, bytes)                                                   \
	{                                                                      \
		(void)mem;                                                     \
		simd_put(DST, simd_##n(A->u32));                               \
		return 0;                                                      \
	}
#define DO_SPLAT64(n, bytes)                                                   \
	{                                                                      \
		(void)mem;                                                     \
		simd_put(DST, simd_##n(A->u64));                               \
		return 0;                                                      \
	}
/* i32 and f32 results are stored zero-extended, as every slot write */
#define DO_EXTRACT32(n, bytes)                                                 \
	{                                                                      \
		(void)mem;                                                     \
		DST->u64 = simd_##n(simd_get(A), LANE);                        \
		return 0;                                                      \
	}
#define DO_EXTRACT64 DO_EXTRACT32
#define DO_REPLACE32(n, bytes)                                                 \
	{                                                                      \
		(void)mem;                                                     \
		simd_put(DST, simd_##n(simd_get(A), LANE, B->u32));            \
		return 0;                                                      \
	}
#define DO_REPLACE64(n, bytes)                                                 \
	{                                                                      \
		(void)mem;                                                     \
		simd_put(DST, simd_##n(simd_get(A), LANE, B->u64));            \
		return 0;                                                      \
	}
#define DO_UN(n, bytes)                                                        \
	{                                                                      \
		(void)mem;                                                     \
		simd_put(DST, simd_##n(simd_get(A)));                          \
		return 0;                                                      \
	}
#define DO_BIN(n, bytes)                                                       \
	{                                                                      \
		(void)mem;                                                     \
		simd_put(DST, simd_##n(simd_get(A), simd_get(B)));             \
		return 0;                                                      \
	}
#define DO_TERN(n, bytes)                                                      \
	{                                                                      \
		(void)mem;                                                     \
		simd_put(DST,                                                  \
			 simd_##n(simd_get(A), simd_get(B), simd_get(C)));     \
		return 0;                                                      \
	}
#define DO_SHIFT(n, bytes)                                                     \
	{                                                                      \
		(void)mem;                                                     \
		simd_put(DST, simd_##n(simd_get(A), B->u32));                  \
		return 0;                                                      \
	}
#define DO_TEST(n, bytes)                                                      \
	{                                                                      \
		(void)mem;                                                     \
		DST->u64 = simd_##n(simd_get(A));                              \
		return 0;                                                      \
	}
#define DO_CONST(n, bytes)                                                     \
	{                                                                      \
		(void)mem, (void)pc, (void)fp;                                 \
		return VM_TRAP_UNREACHABLE; /* exec.c's v128_const */          \
	}

#define SIMD_FN(name, code, form, bytes, lanes)                                \
	static int x_##name(struct vm_memory *mem, const vm_cell *pc,          \
			    vm_value *fp) DO_##form(name, bytes)
SIMD_OPS(SIMD_FN)
#undef SIMD_FN

static vm_simd_fn *const fns[256] = {
#define SIMD_TAB(name, code, form, bytes, lanes) [code] = x_##name,
	SIMD_OPS(SIMD_TAB)
#undef SIMD_TAB
};

/*
 * The shuffle clang emits to widen or insert bytes: in every 32-bit lane,
 * bytes 1-3 stay in place from one operand (a, or b) and byte 0 is any of
 * the 32. Four word moves and four byte loads instead of 16 byte gathers.
 */
static int x_i8x16_shuffle_low8(struct vm_memory *mem, const vm_cell *pc,
				vm_value *fp)
{
	(void)mem;
	uint8_t ab[32];
	v128 r;
	__builtin_memcpy(ab, A, 16);
	__builtin_memcpy(ab + 16, B, 16);
	const uint8_t *keep = ab + (pc[8] >> 8 & 16);
	for (unsigned j = 0; j < 4; j++) {
		uint32_t w;
		__builtin_memcpy(&w, keep + 4 * j, 4);
		r.u32[j] = (w & 0xffffff00u) | ab[pc[8 + j] & 31];
	}
	simd_put(DST, r);
	return 0;
}

vm_cell vm_simd_shuffle_handler(const uint8_t lanes[16])
{
	unsigned keep = lanes[1] & 16;
	for (unsigned i = 0; i < 16; i++)
		if (i % 4 && lanes[i] != keep + i)
			return vm_simd_handler(SIMD_OP_i8x16_shuffle);
	return (vm_cell)x_i8x16_shuffle_low8;
}

vm_cell vm_simd_handler(uint32_t sub)
{
	return (vm_cell)(sub < 256 ? fns[sub] : fns[SIMD_OP_v128_const]);
}
