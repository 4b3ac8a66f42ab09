/*
 * vm/atomic.c: the threads proposal's atomic instructions (prefix 0xfe),
 * out of the interpreter loop so that vm_exec's frame stays small.
 *
 * Atomicity comes from the compiler's __atomic builtins on the linear
 * memory bytes, all sequentially consistent as the proposal requires:
 * `lock`-prefixed instructions (cmpxchg8b for 8 bytes) on x86, ldrex/strex
 * (ldrexd/strexd) loops on ARMv7. They are inline on every target we
 * build, so a preempted access never sees a torn or lost update and no
 * libatomic is needed. Addresses are naturally aligned (checked) and the
 * memory's data is at least 8-byte aligned (mem_alloc's contract).
 *
 * wait/notify go to the memory's vm_sync_ops hooks; see vm.h.
 */
#include "internal.h"

#define SEQ __ATOMIC_SEQ_CST

/* aligned(8): i686 aligns uint64_t to 4, and a possibly misaligned 8-byte
 * atomic would become a libatomic call (clang -Watomic-alignment). */
typedef uint8_t __attribute__((may_alias)) a8;
typedef uint16_t __attribute__((may_alias)) a16;
typedef uint32_t __attribute__((may_alias)) a32;
typedef uint64_t __attribute__((may_alias, aligned(8))) a64;

static uint64_t load(void *p, unsigned n)
{
	switch (n) {
	case 1: return __atomic_load_n((a8 *)p, SEQ);
	case 2: return __atomic_load_n((a16 *)p, SEQ);
	case 4: return __atomic_load_n((a32 *)p, SEQ);
	default: return __atomic_load_n((a64 *)p, SEQ);
	}
}

static void store(void *p, unsigned n, uint64_t v)
{
	switch (n) {
	case 1: __atomic_store_n((a8 *)p, (uint8_t)v, SEQ); break;
	case 2: __atomic_store_n((a16 *)p, (uint16_t)v, SEQ); break;
	case 4: __atomic_store_n((a32 *)p, (uint32_t)v, SEQ); break;
	default: __atomic_store_n((a64 *)p, v, SEQ); break;
	}
}

/* Read-modify-write group g (2 add .. 7 xchg); returns the old value. */
#define RMW(T)                                                                 \
	switch (g) {                                                           \
	case 2: return __atomic_fetch_add((T *)p, (T)v, SEQ);                  \
	case 3: return __atomic_fetch_sub((T *)p, (T)v, SEQ);                  \
	case 4: return __atomic_fetch_and((T *)p, (T)v, SEQ);                  \
	case 5: return __atomic_fetch_or((T *)p, (T)v, SEQ);                   \
	case 6: return __atomic_fetch_xor((T *)p, (T)v, SEQ);                  \
	default: return __atomic_exchange_n((T *)p, (T)v, SEQ);                \
	}

static uint64_t rmw(void *p, unsigned n, unsigned g, uint64_t v)
{
	switch (n) {
	case 1: RMW(a8);
	case 2: RMW(a16);
	case 4: RMW(a32);
	default: RMW(a64);
	}
}

/* Compare-exchange; the expected value is wrapped to the access width. */
#define CAS(T)                                                                 \
	do {                                                                   \
		T e = (T)expect;                                               \
		__atomic_compare_exchange_n((T *)p, &e, (T)repl, false, SEQ,   \
					    SEQ);                              \
		return e;                                                      \
	} while (0)

static uint64_t cmpxchg(void *p, unsigned n, uint64_t expect, uint64_t repl)
{
	switch (n) {
	case 1: CAS(a8);
	case 2: CAS(a16);
	case 4: CAS(a32);
	default: CAS(a64);
	}
}

uint64_t vm_memory_atomic_load(const struct vm_memory *mem, uint32_t addr,
			       unsigned size)
{
	bool size_ok = size == 1 || size == 2 || size == 4 || size == 8;
	if (!VM_IS(mem, VM_TAG_MEMORY) || !size_ok || (addr & (size - 1)) ||
	    (uint64_t)addr + size >
		    __atomic_load_n(&mem->size, __ATOMIC_SEQ_CST))
		return 0;
	return load(mem->data + addr, size);
}

/*
 * memory.atomic.wait32/64: 1 "not-equal", 0 woken, 2 timed out. Without
 * a wait hook nothing else can run to notify, so a wait that would block
 * times out at once, or traps when untimed (it would hang forever).
 */
static int wait(struct vm_memory *mem, uint32_t ea, unsigned n, uint64_t expect,
		int64_t timeout, uint64_t *res)
{
	const struct vm_sync_ops *ops = mem->sync;
	if (!mem->shared)
		return VM_TRAP_UNSHARED_WAIT;
	if (ops && ops->wait) {
		int r = ops->wait(ops->ctx, mem, ea, expect, n, timeout);
		if (r < 0)
			return VM_TRAP_WAIT_FOREVER;
		*res = (uint32_t)r;
		return VM_TRAP_NONE;
	}
	if (load(mem->data + ea, n) != expect) {
		*res = 1;
		return VM_TRAP_NONE;
	}
	if (timeout < 0)
		return VM_TRAP_WAIT_FOREVER;
	*res = 2;
	return VM_TRAP_NONE;
}

/*
 * The order of checks follows the proposal: bounds (like any access),
 * then alignment, then (wait) sharedness.
 */
int vm_atomic_exec(struct vm_memory *mem, const vm_cell *pc, vm_value *fp)
{
	uint32_t sub = (uint32_t)pc[6], addr = fp[pc[2]].u32;
	uint32_t off = (uint32_t)pc[5];
	uint64_t b = fp[pc[3]].u64, c = fp[pc[4]].u64;
	/* operands are read first: the result may land in any of their slots */
	uint64_t *res = &fp[pc[1]].u64;
	struct vm_atomic_sig as;
	vm_atomic_sig(sub, &as); /* validated */
	unsigned n = 1u << as.align;
	uint64_t ea = (uint64_t)addr + off;
	if (ea + n > mem->size)
		return VM_TRAP_MEM_OOB;
	if (ea & (n - 1))
		return VM_TRAP_UNALIGNED_ATOMIC;
	uint8_t *p = mem->data + ea;
	*res = 0;
	switch (sub) {
	case 0x00: {
		const struct vm_sync_ops *ops = mem->sync;
		if (mem->shared && ops && ops->notify)
			*res = ops->notify(ops->ctx, mem, (uint32_t)ea,
					   (uint32_t)b);
		return VM_TRAP_NONE;
	}
	case 0x01:
		return wait(mem, (uint32_t)ea, 4, (uint32_t)b, (int64_t)c, res);
	case 0x02: return wait(mem, (uint32_t)ea, 8, b, (int64_t)c, res);
	}
	unsigned g = (sub - 0x10) / 7;
	if (g == 0)
		*res = load(p, n);
	else if (g == 1)
		store(p, n, b);
	else if (g == 8)
		*res = cmpxchg(p, n, b, c);
	else
		*res = rmw(p, n, g, b);
	return VM_TRAP_NONE;
}
