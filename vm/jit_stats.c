/*
 * vm/jit_stats.c: the compiler tier's statistics (vm.h vm_jit_stats). In
 * every build, so embedders print them whether or not a backend is
 * linked; without one they stay zero. Counted with relaxed atomics:
 * threads compile functions concurrently.
 */
#include "internal.h"
#include "ops.h"

static uint32_t compiled, fallback;
/* native width: no 64-bit atomics (a libatomic call) on 32-bit targets */
static size_t code_bytes;
static uint32_t reasons[OP_COUNT + 1];

// clang-format off
static const char *const names[OP_COUNT + 1] = {
#define N_NUM(n, w) [OP_##n] = #n,
#define N_IMM(n, w) [OPI_##n] = #n "/imm",
#define N_BRC(n, w) [OPB_##n] = "br_" #n, [OPBI_##n] = "br_" #n "/imm",
#define N_MISC(n)   [OP_##n] = #n,
#define N_LDX(n, w) [OPLA_##n] = #n "/add", [OPLAI_##n] = #n "/addimm",
#define N_SHOP(n)   [OPS_##n] = #n,
#define N_AB(n, w)  [OPAB_##n] = "addbr_" #n, [OPABI_##n] = "addbr_" #n "/imm",
	VM_NUM_OPS(N_NUM)
	VM_IMM_OPS(N_IMM)
	VM_CMP_OPS(N_BRC)
	VM_MISC_OPS(N_MISC)
	VM_FC_OPS(N_MISC)
	VM_FD_OPS(N_MISC)
	VM_LOADX_OPS(N_LDX)
	VM_SHOP_OPS(N_SHOP)
	VM_CMP32_OPS(N_AB)
	[OP_COUNT] = "other",
#undef N_NUM
#undef N_IMM
#undef N_BRC
#undef N_MISC
#undef N_LDX
#undef N_SHOP
#undef N_AB
};
// clang-format on

void vm_jit_count_compiled(size_t bytes)
{
	__atomic_fetch_add(&compiled, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&code_bytes, bytes, __ATOMIC_RELAXED);
}

void vm_jit_count_fallback(uint32_t reason)
{
	if (reason > OP_COUNT)
		reason = OP_COUNT;
	__atomic_fetch_add(&fallback, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&reasons[reason], 1, __ATOMIC_RELAXED);
}

void vm_jit_stats(struct vm_jit_stats *out)
{
	if (!out)
		return;
	out->compiled = __atomic_load_n(&compiled, __ATOMIC_RELAXED);
	out->fallback = __atomic_load_n(&fallback, __ATOMIC_RELAXED);
	out->code_bytes =
		(uint64_t)__atomic_load_n(&code_bytes, __ATOMIC_RELAXED);
}

const char *vm_jit_reason(uint32_t op, uint32_t *count)
{
	if (op > OP_COUNT)
		return NULL;
	if (count)
		*count = __atomic_load_n(&reasons[op], __ATOMIC_RELAXED);
	return names[op];
}
