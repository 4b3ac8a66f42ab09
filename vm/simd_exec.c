/*
 * vm/simd_exec.c: running the SIMD instructions that are not a plain
 * function of their vector operands (exec.c calls those through a
 * function-pointer cell, see vm_simd_fn): loads and stores in every form,
 * lane reads and writes, splats and shuffles. One generic instruction
 *
 *     simd len sub dst a b off lane [lanes0..3]
 *
 * (cells after the opcode: its length, the sub-opcode, the destination
 * slot, up to two operand slots, the memarg offset, the lane immediate;
 * a shuffle's 16 lane bytes follow in four 32-bit cells) dispatches on the
 * sub-opcode here. Memory forms take the address from slot a and the
 * vector from slot b; the effective address is checked against the memory
 * before anything is read or written.
 */
#include "simd.h"
#include "simd_vm.h"

/* The function-pointer forms (exec.c's simd_un, simd_bin, ...). */
static const union {
	v128 (*un)(v128);
	v128 (*bin)(v128, v128);
	v128 (*tern)(v128, v128, v128);
	v128 (*shift)(v128, uint32_t);
	uint32_t (*test)(v128);
	int none;
} fns[256] = {
#define FN_UN(n)				.un = simd_##n
#define FN_BIN(n)				.bin = simd_##n
#define FN_TERN(n)				.tern = simd_##n
#define FN_SHIFT(n)				.shift = simd_##n
#define FN_TEST(n)				.test = simd_##n
#define FN_LOAD(n)				.none = 0
#define FN_LOAD_LANE(n)				.none = 0
#define FN_STORE(n)				.none = 0
#define FN_STORE_LANE(n)			.none = 0
#define FN_CONST(n)				.none = 0
#define FN_SHUFFLE(n)				.none = 0
#define FN_SPLAT32(n)				.none = 0
#define FN_SPLAT64(n)				.none = 0
#define FN_EXTRACT32(n)				.none = 0
#define FN_EXTRACT64(n)				.none = 0
#define FN_REPLACE32(n)				.none = 0
#define FN_REPLACE64(n)				.none = 0
#define SIMD_FN(name, code, form, bytes, lanes) [code] = {FN_##form(name)},
	SIMD_OPS(SIMD_FN)
#undef SIMD_FN
};

vm_cell vm_simd_fn(uint32_t sub)
{
	/* every member is one function pointer; .un reads its bits */
	return sub < 256 ? (vm_cell)fns[sub].un : 0;
}

#define DST  (fp + pc[3])
#define A    (fp + pc[4])
#define B    (fp + pc[5])
#define LANE ((unsigned)pc[7])
#define CHECK(bytes)                                                           \
	uint64_t at = (uint64_t)fp[pc[4]].u32 + (uint32_t)pc[6];               \
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
		uint8_t l[16];                                                 \
		for (unsigned i = 0; i < 16; i++)                              \
			l[i] = (uint8_t)(pc[7 + i / 4] >> (8 * (i % 4)));      \
		simd_put(DST, simd_##n(simd_get(A), simd_get(B), l));          \
		return 0;                                                      \
	}
#define DO_SPLAT32(n, bytes)                                                   \
	{                                                                      \
		simd_put(DST, simd_##n(A->u32));                               \
		return 0;                                                      \
	}
#define DO_SPLAT64(n, bytes)                                                   \
	{                                                                      \
		simd_put(DST, simd_##n(A->u64));                               \
		return 0;                                                      \
	}
/* i32 and f32 results are stored zero-extended, as every slot write */
#define DO_EXTRACT32(n, bytes)                                                 \
	{                                                                      \
		DST->u64 = simd_##n(simd_get(A), LANE);                        \
		return 0;                                                      \
	}
#define DO_EXTRACT64(n, bytes)                                                 \
	{                                                                      \
		DST->u64 = simd_##n(simd_get(A), LANE);                        \
		return 0;                                                      \
	}
#define DO_REPLACE32(n, bytes)                                                 \
	{                                                                      \
		simd_put(DST, simd_##n(simd_get(A), LANE, B->u32));            \
		return 0;                                                      \
	}
#define DO_REPLACE64(n, bytes)                                                 \
	{                                                                      \
		simd_put(DST, simd_##n(simd_get(A), LANE, B->u64));            \
		return 0;                                                      \
	}
#define DO_NONE(n, bytes) break;
#define DO_CONST	  DO_NONE
#define DO_UN		  DO_NONE
#define DO_BIN		  DO_NONE
#define DO_TERN		  DO_NONE
#define DO_SHIFT	  DO_NONE
#define DO_TEST		  DO_NONE

int vm_simd_exec(struct vm_memory *mem, const vm_cell *pc, vm_value *fp)
{
	switch (pc[2]) {
#define SIMD_CASE(name, code, form, bytes, lanes)                              \
	case code: DO_##form(name, bytes)
		SIMD_OPS(SIMD_CASE)
#undef SIMD_CASE
	}
	return VM_TRAP_UNREACHABLE; /* the compiler emits no other */
}
