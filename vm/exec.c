/*
 * vm/exec.c: the interpreter loop.
 *
 * Direct threading: each instruction's first cell holds the distance from
 * L_base to its handler, and every handler ends by jumping straight to the
 * next one (computed goto), so there is no central switch and the branch
 * predictor sees one indirect jump per handler. Operands are frame-slot
 * indices, so `a = b + c` on locals is one handler with no stack traffic.
 *
 * Loads and stores use __builtin_memcpy, not memcpy: the kernel builds
 * with -ffreestanding, which would otherwise turn every wasm memory access
 * into a library call.
 *
 * The loop never recurses natively: a wasm call pushes a struct vm_frame on
 * the thread's frame array and continues in the same C frame, so the
 * native stack use is constant whatever the program does, and call depth is
 * bounded by th->max_depth (a trap, never an overflow).
 */
#include "fp.h"
#include "internal.h"
#include "ops.h"
#include "simd.h"
#include "simd_vm.h"
#if VM_CONFIG_JIT
#include "jit/jit.h"
#endif

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "slots read i32 as the low half of a 64-bit cell");

/* Memory size as the bounds checks use it (see EA). */
#if UINTPTR_MAX > 0xffffffffu
typedef uint64_t vm_msize;
#else
typedef uint32_t vm_msize;
_Static_assert(VM_MAX_PAGES < 65536, "32-bit hosts keep memories below 4 GiB");
#endif

static const vm_cell *optable;

const vm_cell *vm_exec_optable(void)
{
	if (!optable)
		vm_exec(NULL, NULL);
	return optable;
}

static inline uint32_t clz32(uint32_t x)
{
	return x ? (uint32_t)__builtin_clz(x) : 32;
}
static inline uint32_t ctz32(uint32_t x)
{
	return x ? (uint32_t)__builtin_ctz(x) : 32;
}
static inline uint32_t popcnt32(uint32_t x)
{
	/* bit tricks: __builtin_popcount may become a libgcc call */
	x = x - ((x >> 1) & 0x55555555u);
	x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0fu;
	return (x * 0x01010101u) >> 24;
}
static inline uint64_t clz64(uint64_t x)
{
	uint32_t hi = (uint32_t)(x >> 32);
	return hi ? clz32(hi) : 32 + clz32((uint32_t)x);
}
static inline uint64_t ctz64(uint64_t x)
{
	uint32_t lo = (uint32_t)x;
	return lo ? ctz32(lo) : 32 + ctz32((uint32_t)(x >> 32));
}
static inline uint64_t popcnt64(uint64_t x)
{
	return popcnt32((uint32_t)x) + popcnt32((uint32_t)(x >> 32));
}
static inline uint32_t rotl32(uint32_t a, uint32_t b)
{
	b &= 31;
	return (a << b) | (a >> ((32 - b) & 31));
}
static inline uint32_t rotr32(uint32_t a, uint32_t b)
{
	b &= 31;
	return (a >> b) | (a << ((32 - b) & 31));
}
static inline uint64_t rotl64(uint64_t a, uint64_t b)
{
	b &= 63;
	return (a << b) | (a >> ((64 - b) & 63));
}
static inline uint64_t rotr64(uint64_t a, uint64_t b)
{
	b &= 63;
	return (a >> b) | (a << ((64 - b) & 63));
}

/* Grow `mem` by `delta` pages; old page count or -1 (instance.c). */
int64_t vm_memory_grow(struct vm_memory *mem, uint32_t delta);

#define S(i)   fp[pc[i]]
#define NEXT() goto *(void *)*pc
#define DISPATCH(n)                                                            \
	do {                                                                   \
		pc += (n);                                                     \
		NEXT();                                                        \
	} while (0)
/* Take the branch whose offset is in cell `site`; back-edges poll *intr. */
#define JUMP(site)                                                             \
	do {                                                                   \
		const vm_cell *s_ = (site);                                    \
		intptr_t r_ = (intptr_t)*s_;                                   \
		pc = s_ + r_;                                                  \
		if (r_ < 0 && *intr)                                           \
			goto L_interrupt;                                      \
		NEXT();                                                        \
	} while (0)
#define TRAP(k)                                                                \
	do {                                                                   \
		trap = (k);                                                    \
		goto L_trap;                                                   \
	} while (0)
#define SWITCH_INST(i)                                                         \
	do {                                                                   \
		inst = (i);                                                    \
		mem = inst->mem;                                               \
		globals = inst->globals;                                       \
		funcs = inst->funcs;                                           \
		mb = mem->data;                                                \
		ms = (vm_msize)mem->size;                                      \
	} while (0)

/* ---- handler generators ------------------------------------------------ */

#define I32BIN(n, expr)                                                        \
	L_##n:                                                                 \
	{                                                                      \
		uint32_t a = S(2).u32, b = S(3).u32;                           \
		S(1).u64 = (uint32_t)(expr);                                   \
		DISPATCH(4);                                                   \
	}
#define I32BINI(n, expr)                                                       \
	I32BIN(n, expr)                                                        \
	LI_##n:                                                                \
	{                                                                      \
		uint32_t a = S(2).u32, b = (uint32_t)pc[3];                    \
		S(1).u64 = (uint32_t)(expr);                                   \
		DISPATCH(4);                                                   \
	}
#define I64BIN(n, expr)                                                        \
	L_##n:                                                                 \
	{                                                                      \
		uint64_t a = S(2).u64, b = S(3).u64;                           \
		S(1).u64 = (uint64_t)(expr);                                   \
		DISPATCH(4);                                                   \
	}
#define I64BINI(n, expr)                                                       \
	I64BIN(n, expr)                                                        \
	LI_##n:                                                                \
	{                                                                      \
		uint64_t a = S(2).u64, b = (uint64_t)(int64_t)(int32_t)pc[3];  \
		S(1).u64 = (uint64_t)(expr);                                   \
		DISPATCH(4);                                                   \
	}
/* compares: plain, immediate, fused branch, fused branch with immediate */
#define CMP(n, T, M, EXT, expr)                                                \
	L_##n:                                                                 \
	{                                                                      \
		T a = S(2).M, b = S(3).M;                                      \
		S(1).u64 = (uint32_t)(expr);                                   \
		DISPATCH(4);                                                   \
	}                                                                      \
	LI_##n:                                                                \
	{                                                                      \
		T a = S(2).M, b = (T)EXT(pc[3]);                               \
		S(1).u64 = (uint32_t)(expr);                                   \
		DISPATCH(4);                                                   \
	}                                                                      \
	LB_##n:                                                                \
	{                                                                      \
		T a = S(1).M, b = S(2).M;                                      \
		if (expr)                                                      \
			JUMP(pc + 3);                                          \
		DISPATCH(4);                                                   \
	}                                                                      \
	LBI_##n:                                                               \
	{                                                                      \
		T a = S(1).M, b = (T)EXT(pc[2]);                               \
		if (expr)                                                      \
			JUMP(pc + 3);                                          \
		DISPATCH(4);                                                   \
	}
#define EXT32(x) (x)
#define EXT64(x) (int64_t)(int32_t)(x)
#define I32CMP(n, expr)                                                        \
	CMP(n, uint32_t, u32, EXT32, expr)                                     \
	LAB_##n:                                                               \
	{                                                                      \
		uint32_t a = S(2).u32 + (uint32_t)pc[3], b;                    \
		S(1).u64 = a; /* first: b may be the same slot */              \
		b = S(4).u32;                                                  \
		if (expr)                                                      \
			JUMP(pc + 5);                                          \
		DISPATCH(6);                                                   \
	}                                                                      \
	LABI_##n:                                                              \
	{                                                                      \
		uint32_t a = S(2).u32 + (uint32_t)pc[3], b = (uint32_t)pc[4];  \
		S(1).u64 = a;                                                  \
		if (expr)                                                      \
			JUMP(pc + 5);                                          \
		DISPATCH(6);                                                   \
	}
#define I64CMP(n, expr) CMP(n, uint64_t, u64, EXT64, expr)

/*
 * Every slot write stores all 64 bits: a 32-bit store followed by a 64-bit
 * load of the same slot (copy, select, call arguments) defeats the CPU's
 * store forwarding and costs a dozen cycles.
 */
#define SET_u32(i, v) (fp[pc[i]].u64 = (uint32_t)(v))
#define SET_i32(i, v) (fp[pc[i]].u64 = (uint32_t)(int32_t)(v))
#define SET_u64(i, v) (fp[pc[i]].u64 = (uint64_t)(v))
#define SET_i64(i, v) (fp[pc[i]].i64 = (int64_t)(v))
#define SET_f32(i, v) (fp[pc[i]].u64 = f32_bits(v))
#define SET_f64(i, v) (fp[pc[i]].f64 = (v))
#define UN(n, IM, OM, expr)                                                    \
	L_##n:                                                                 \
	{                                                                      \
		__typeof__(fp->IM) a = S(2).IM;                                \
		SET_##OM(1, (expr));                                           \
		DISPATCH(3);                                                   \
	}
#define FBIN(n, M, expr)                                                       \
	L_##n:                                                                 \
	{                                                                      \
		__typeof__(fp->M) a = S(2).M, b = S(3).M;                      \
		SET_##M(1, (expr));                                            \
		DISPATCH(4);                                                   \
	}
/*
 * Integer division and remainder: a zero divisor traps, and so does the one
 * quotient that overflows (ovf: MIN / -1). The signed remainder by -1 is 0
 * without dividing, as C's MIN % -1 overflows.
 */
#define IDIV(n, M, ovf, expr)                                                  \
	L_##n:                                                                 \
	{                                                                      \
		__typeof__(fp->M) a = S(2).M, b = S(3).M;                      \
		if (!b)                                                        \
			TRAP(VM_TRAP_DIV_ZERO);                                \
		if (ovf)                                                       \
			TRAP(VM_TRAP_INT_OVERFLOW);                            \
		SET_##M(1, (expr));                                            \
		DISPATCH(4);                                                   \
	}
#define FCMP(n, M, expr)                                                       \
	L_##n:                                                                 \
	{                                                                      \
		__typeof__(fp->M) a = S(2).M, b = S(3).M;                      \
		S(1).u64 = (uint32_t)(expr);                                   \
		DISPATCH(4);                                                   \
	}
/* The float -> int conversions: fp.h's FLOAT_TO_INT. */
#define TRUNC(r, s, sub, IM, OM, OT, lo, hi, min, max)                         \
	L_##r##_trunc_##s:                                                     \
	{                                                                      \
		__typeof__(fp->IM) a = S(2).IM;                                \
		if (a != a)                                                    \
			TRAP(VM_TRAP_BAD_CONVERSION);                          \
		if (!(a > (lo) && a < (hi)))                                   \
			TRAP(VM_TRAP_INT_OVERFLOW);                            \
		SET_##OM(1, (OT)a);                                            \
		DISPATCH(3);                                                   \
	}
#define TRUNC_SAT(r, s, sub, IM, OM, OT, lo, hi, min, max)                     \
	case sub: {                                                            \
		__typeof__(fp->IM) a = S(2).IM;                                \
		OT v_ = a != a	    ? (OT)0                                    \
			: a <= (lo) ? (OT)(min)                                \
			: a >= (hi) ? (OT)(max)                                \
				    : (OT)a;                                   \
		SET_##OM(1, v_);                                               \
		break;                                                         \
	}

/*
 * `trunc_sat dst a sub`: the saturating conversion of 0xfc sub-opcode sub.
 * Out of line: clang's i686 code for the 64-bit ones inside vm_exec would
 * make its frame larger, and programs rarely use them.
 */
static __attribute__((noinline)) void trunc_sat(const vm_cell *pc, vm_value *fp)
{
	switch (pc[3]) {
		FLOAT_TO_INT(TRUNC_SAT)
	}
}

/* The same for compiled code (vm/jit/jit_bulk.c). A wrapper, so vm_exec
 * still calls a local function, whose calling convention gcc picks: its
 * i686 code stays byte for byte what it was (calling a global one, gcc
 * allocated vm_exec's registers differently, and fib's best --interp run
 * of three under qemu-i386 went from 4.30 to 4.63 s). */
void vm_trunc_sat(const vm_cell *pc, vm_value *fp)
{
	trunc_sat(pc, fp);
}

/*
 * Bounds check of an access of n bytes at (u32)base + off, leaving the
 * effective address in `ea`. 64-bit hosts add in 64 bits; 32-bit hosts,
 * whose memories stay below 4 GiB (config.h), add in 32 bits and treat a
 * carry as out of bounds, avoiding 64-bit arithmetic per access.
 */
#if UINTPTR_MAX > 0xffffffffu
#define EA(base, off, n)                                                       \
	uint64_t ea = (uint64_t)(uint32_t)(base) + (off);                      \
	if (ea + (n) > ms)                                                     \
	TRAP(VM_TRAP_MEM_OOB)
#else
#define EA(base, off, n)                                                       \
	uint32_t ea;                                                           \
	if (__builtin_add_overflow((uint32_t)(base), (uint32_t)(off), &ea) ||  \
	    ea >= ms || ms - ea < (uint32_t)(n))                               \
	TRAP(VM_TRAP_MEM_OOB)
#endif
#define LOAD(n, T, OM, OT, N)                                                  \
	L_##n:                                                                 \
	{                                                                      \
		EA(S(2).u32, pc[3], N);                                        \
		T v;                                                           \
		__builtin_memcpy(&v, mb + ea, (N));                            \
		SET_##OM(1, (OT)v);                                            \
		DISPATCH(4);                                                   \
	}
#define LOADX(n, T, OM, OT, N)                                                 \
	LA_##n:                                                                \
	{                                                                      \
		EA(S(2).u32 + S(3).u32, pc[4], N);                             \
		T v;                                                           \
		__builtin_memcpy(&v, mb + ea, (N));                            \
		SET_##OM(1, (OT)v);                                            \
		DISPATCH(5);                                                   \
	}                                                                      \
	LAI_##n:                                                               \
	{                                                                      \
		EA(S(2).u32 + (uint32_t)pc[3], pc[4], N);                      \
		T v;                                                           \
		__builtin_memcpy(&v, mb + ea, (N));                            \
		SET_##OM(1, (OT)v);                                            \
		DISPATCH(5);                                                   \
	}
/*
 * Constant address (C globals: i32.const A; i32.load offset=B): the
 * effective address A+B is in the cell. LOAD_ABS dst ea / STORE_ABS ea val
 */
#define LOAD_ABS(n, T, OM, OT, N)                                              \
	L_##n:                                                                 \
	{                                                                      \
		EA(pc[2], 0, N);                                               \
		T v;                                                           \
		__builtin_memcpy(&v, mb + ea, (N));                            \
		SET_##OM(1, (OT)v);                                            \
		DISPATCH(3);                                                   \
	}
#define STORE_ABS(n, T, IM, N)                                                 \
	L_##n:                                                                 \
	{                                                                      \
		EA(pc[1], 0, N);                                               \
		T v = (T)S(2).IM;                                              \
		__builtin_memcpy(mb + ea, &v, (N));                            \
		DISPATCH(3);                                                   \
	}
/*
 * Stores whose address is an i32.add fused in. _a: a b val off (address
 * a+b), _ai: a imm val off; _ka/_kai store an immediate instead of val.
 */
#define STOREX(n, T, IM, N)                                                    \
	L_##n##_a:                                                             \
	{                                                                      \
		EA(S(1).u32 + S(2).u32, pc[4], N);                             \
		T v = (T)S(3).IM;                                              \
		__builtin_memcpy(mb + ea, &v, (N));                            \
		DISPATCH(5);                                                   \
	}                                                                      \
	L_##n##_ai:                                                            \
	{                                                                      \
		EA(S(1).u32 + (uint32_t)pc[2], pc[4], N);                      \
		T v = (T)S(3).IM;                                              \
		__builtin_memcpy(mb + ea, &v, (N));                            \
		DISPATCH(5);                                                   \
	}
#define STOREKX(n, T, N)                                                       \
	L_##n##_ka:                                                            \
	{                                                                      \
		EA(S(1).u32 + S(2).u32, pc[4], N);                             \
		T v = (T)pc[3];                                                \
		__builtin_memcpy(mb + ea, &v, (N));                            \
		DISPATCH(5);                                                   \
	}                                                                      \
	L_##n##_kai:                                                           \
	{                                                                      \
		EA(S(1).u32 + (uint32_t)pc[2], pc[4], N);                      \
		T v = (T)pc[3];                                                \
		__builtin_memcpy(mb + ea, &v, (N));                            \
		DISPATCH(5);                                                   \
	}
/* store of an immediate: addr imm off */
#define STOREK(n, T, N)                                                        \
	L_##n:                                                                 \
	{                                                                      \
		EA(S(1).u32, pc[3], N);                                        \
		T v = (T)(int32_t)pc[2];                                       \
		__builtin_memcpy(mb + ea, &v, (N));                            \
		DISPATCH(4);                                                   \
	}
#define STORE(n, T, IM, N)                                                     \
	L_##n:                                                                 \
	{                                                                      \
		EA(S(1).u32, pc[3], N);                                        \
		T v = (T)S(2).IM;                                              \
		__builtin_memcpy(mb + ea, &v, (N));                            \
		DISPATCH(4);                                                   \
	}
/*
 * Enter wasm function f with its frame at nfp; n = cells of the call op.
 * Declared locals are zeroed by a loop kept out of memset (the empty asm
 * stops the compiler from turning it into a library call with spills
 * around it: most functions have only a few locals).
 */
#define ENTER(f, nfp, n)                                                       \
	do {                                                                   \
		if (fr == fr_end || (nfp) + (f)->frame_slots > stack_end)      \
			TRAP(VM_TRAP_STACK_EXHAUSTED);                         \
		fr->pc = pc + (n);                                             \
		fr->fp = fp;                                                   \
		fr->func = func;                                               \
		fr++;                                                          \
		fp = (nfp);                                                    \
		for (vm_value *z_ = fp + (f)->nparams,                         \
			      *e_ = fp + (f)->nlocals;                         \
		     z_ < e_; z_++) {                                          \
			z_->u64 = 0;                                           \
			__asm__ volatile("");                                  \
		}                                                              \
		func = (f);                                                    \
		pc = (f)->cells;                                               \
		if ((f)->inst != inst)                                         \
			SWITCH_INST((f)->inst);                                \
		if (*intr)                                                     \
			goto L_interrupt;                                      \
		JIT_ENTRY();                                                   \
		NEXT();                                                        \
	} while (0)
/*
 * The compiler tier (vm/jit/jit.h): a function with machine code runs it
 * at entry (L_jit); its first call compiles it. Absent from builds
 * without a backend (VM_CONFIG_JIT 0), whose code stays as it was.
 */
#if VM_CONFIG_JIT
#define JIT_ENTRY()                                                            \
	do {                                                                   \
		if (__atomic_load_n(&func->jit_state, __ATOMIC_RELAXED) !=     \
		    VM_JIT_OFF)                                                \
			goto L_jit;                                            \
	} while (0)
/* the frame a nested run (vm/jit/jit.c) stops at */
#define FR_BASE(th) (frames + (th)->jit_base)
#else
#define JIT_ENTRY()                                                            \
	do {                                                                   \
	} while (0)
#define FR_BASE(th) frames
#endif
#define HOSTCALL(f, nfp)                                                       \
	do {                                                                   \
		struct vm_hostcall hc_ = {th, inst, (f)->data};                \
		th->depth = (uint32_t)(fr - frames);                           \
		int r_ = (f)->host(&hc_, (nfp));                               \
		mb = mem->data;                                                \
		ms = (vm_msize)mem->size;                                      \
		if (r_ < 0)                                                    \
			goto L_exit;                                           \
		if (r_)                                                        \
			TRAP((enum vm_trap)r_);                                \
	} while (0)

enum vm_err_kind vm_exec(struct vm_thread *th, struct vm_error *err)
{
	static const vm_cell tab[OP_COUNT] = {
#define T_NUM(n, w) [OP_##n] = (vm_cell) && L_##n,
#define T_IMM(n, w) [OPI_##n] = (vm_cell) && LI_##n,
#define T_BRC(n, w)                                                            \
	[OPB_##n] = (vm_cell) && LB_##n, [OPBI_##n] = (vm_cell) && LBI_##n,
#define T_MISC(n) [OP_##n] = (vm_cell) && L_##n,
#define T_LDX(n, w)                                                            \
	[OPLA_##n] = (vm_cell) && LA_##n, [OPLAI_##n] = (vm_cell) && LAI_##n,
#define T_SHOP(n) [OPS_##n] = (vm_cell) && LS_##n,
#define T_AB(n, w)                                                             \
	[OPAB_##n] = (vm_cell) && LAB_##n, [OPABI_##n] = (vm_cell) && LABI_##n,
		VM_NUM_OPS(T_NUM) VM_IMM_OPS(T_IMM) VM_CMP_OPS(T_BRC)
			VM_MISC_OPS(T_MISC) VM_FC_OPS(T_MISC) VM_FD_OPS(T_MISC)
				VM_LOADX_OPS(T_LDX) VM_SHOP_OPS(T_SHOP)
					VM_CMP32_OPS(T_AB)};
	if (!th) {
		optable = tab;
		return VM_OK;
	}

	const vm_cell *pc = th->pc;
	vm_value *fp = th->fp;
	struct vm_func *func = th->func;
	struct vm_instance *inst = func->inst;
	struct vm_memory *mem = inst->mem;
	uint8_t *mb = mem->data;
	vm_msize ms = (vm_msize)mem->size;
	struct vm_global **globals = inst->globals;
	struct vm_func **funcs = inst->funcs;
	struct vm_frame *const frames = th->frames;
	struct vm_frame *fr = frames + th->depth;
	struct vm_frame *const fr_end = frames + th->max_depth;
	struct vm_frame *const fr_base = FR_BASE(th);
	const vm_value *stack_end = th->stack + th->nslots;
	volatile int *intr = th->interrupt;
	enum vm_trap trap;

	th->suspended = false;
	if (pc == func->cells)
		JIT_ENTRY();
	NEXT();

#if VM_CONFIG_JIT
L_jit : {
	if (__atomic_load_n(&func->jit_state, __ATOMIC_ACQUIRE) ==
	    VM_JIT_UNTRIED)
		vm_jit_compile(func);
	/* below the native stack limit compiled code is not entered: the
	 * interpreter's calls take no native stack (vm/jit_stack.c) */
	if (__atomic_load_n(&func->jit_state, __ATOMIC_ACQUIRE) !=
		    VM_JIT_READY ||
	    vm_native_stack_low(th))
		NEXT();
	struct vm_jit_run run = {.mb = mb,
				 .ms = (uint32_t)ms,
				 .mem = mem,
				 .intr = intr,
				 .func = func,
				 .fp = fp,
				 .funcs = funcs,
				 .globals = globals,
				 .frames = frames,
				 .depth = (uint32_t)(fr - frames),
				 .max_depth = th->max_depth,
				 .stack_end = stack_end,
				 .th = th,
				 .err = err};
	int st = vm_jit_enter(&run);
	if (st == JIT_DONE)
		goto L_ret;
	if (st == JIT_NESTED) /* a nested vm_exec ended the run: its result */
		return (enum vm_err_kind)run.trap;
	if (st == JIT_EXIT)
		goto L_exit;
	/* the interpreter takes over at that op of the innermost frame,
	 * with the same state (native calls stay within the instance) */
	func = run.func;
	fp = run.fp;
	fr = frames + run.depth;
	pc = func->cells + run.cell;
	if (st == JIT_TRAP)
		TRAP((enum vm_trap)run.trap);
	goto L_interrupt;
}
#endif

L_unreachable:
	TRAP(VM_TRAP_UNREACHABLE);
L_br:
	JUMP(pc + 1);
L_br_if:
	if (S(1).u32)
		JUMP(pc + 2);
	DISPATCH(3);
L_br_unless:
	if (!S(1).u32)
		JUMP(pc + 2);
	DISPATCH(3);
L_brz_i32:
	if (!S(1).u32)
		JUMP(pc + 2);
	DISPATCH(3);
L_brz_i64:
	if (!S(1).u64)
		JUMP(pc + 2);
	DISPATCH(3);
	/* and + br_if fused (flag tests): a b rel / a imm rel */
L_br_and:
	if (S(1).u32 & S(2).u32)
		JUMP(pc + 3);
	DISPATCH(4);
L_br_and_i:
	if (S(1).u32 & (uint32_t)pc[2])
		JUMP(pc + 3);
	DISPATCH(4);
L_brz_and:
	if (!(S(1).u32 & S(2).u32))
		JUMP(pc + 3);
	DISPATCH(4);
L_brz_and_i:
	if (!(S(1).u32 & (uint32_t)pc[2]))
		JUMP(pc + 3);
	DISPATCH(4);
L_i32_shl_kl: /* dst b k: dst = k << b (a constant on the left) */
	S(1).u64 = (uint32_t)((uint32_t)pc[3] << (S(2).u32 & 31));
	DISPATCH(4);
L_i32_rotl_kl:
	S(1).u64 = rotl32((uint32_t)pc[3], S(2).u32);
	DISPATCH(4);
L_select_ka: /* dst k b c: dst = c ? k : b (i32) */
	S(1).u64 = S(4).u32 ? (uint32_t)pc[2] : S(3).u64;
	DISPATCH(5);
L_select_kb: /* dst a k c: dst = c ? a : k (i32) */
	S(1).u64 = S(4).u32 ? S(2).u64 : (uint32_t)pc[3];
	DISPATCH(5);
	/* x op load: dst x a imm off, the operand loaded from (u32)(a+imm)+off
	 */
#define MEMOP(n, T, M, SETM, expr)                                             \
	L_##n:                                                                 \
	{                                                                      \
		EA(S(3).u32 + (uint32_t)pc[4], pc[5], sizeof(T));              \
		T b;                                                           \
		__builtin_memcpy(&b, mb + ea, sizeof(T));                      \
		__typeof__(fp->M) a = S(2).M;                                  \
		SETM(1, (expr));                                               \
		DISPATCH(6);                                                   \
	}
	MEMOP(i32_add_mem, uint32_t, u32, SET_u32, a + b)
	MEMOP(f64_add_mem, double, f64, SET_f64, a + b)
	MEMOP(f64_mul_mem, double, f64, SET_f64, a *b)
L_i32_andz: /* dst = (a & b) == 0 */
	S(1).u64 = !(S(2).u32 & S(3).u32);
	DISPATCH(4);
L_i32_andz_i:
	S(1).u64 = !(S(2).u32 & (uint32_t)pc[3]);
	DISPATCH(4);
#define SHOP(n, expr)                                                          \
	LS_##n:                                                                \
	{                                                                      \
		uint32_t a = S(2).u32, b = S(3).u32, k = (uint32_t)pc[4] & 31; \
		S(1).u64 = (uint32_t)(expr);                                   \
		DISPATCH(5);                                                   \
	}
	SHOP(add_shl, a + (b << k))
	SHOP(add_shr_u, a + (b >> k))
	SHOP(add_rotl, a + rotl32(b, k))
	SHOP(xor_shl, a ^ (b << k))
	SHOP(xor_shr_u, a ^ (b >> k))
	SHOP(xor_rotl, a ^ rotl32(b, k))
	SHOP(or_shl, a | (b << k))
	SHOP(or_shr_u, a | (b >> k))
	SHOP(or_rotl, a | rotl32(b, k))
L_br_table : {
	uint32_t i = S(1).u32, n = pc[2];
	JUMP(pc + 3 + (i < n ? i : n));
}
L_ret_copy: /* return the value in slot pc[1] */
	fp[0] = S(1);
	goto L_ret;
L_end:
L_ret:
	if (fr == fr_base)
		goto L_done;
	fr--;
	pc = fr->pc;
	fp = fr->fp;
	func = fr->func;
	if (func->inst != inst) {
		SWITCH_INST(func->inst);
	} else {
		/* the callee may have grown our memory */
		mb = mem->data;
		ms = (vm_msize)mem->size;
	}
	NEXT();
L_call : {
	struct vm_func *f = funcs[pc[1]];
	vm_value *nfp = fp + pc[2];
	if (f->host) {
		HOSTCALL(f, nfp);
		DISPATCH(3);
	}
	ENTER(f, nfp, 3);
}
	/*
	 * call_indirect type base i table, type the canonical function type
	 * (struct vm_functype *). Table 0 is inst->table, one load
	 * nearer than inst->tables[0] (a well-predicted test of the cell
	 * chooses). One handler for all tables: a second handler with its
	 * copy of ENTER (or even a second new label) made gcc keep vm_exec's
	 * frame pointer on the stack, 1% more instructions on every call. A
	 * table holds function addresses (internal.h).
	 */
L_call_indirect : {
	struct vm_table *ci_table = pc[4] ? inst->tables[pc[4]] : inst->table;
	uint32_t i = S(3).u32;
	if (i >= ci_table->size)
		TRAP(VM_TRAP_TABLE_OOB);
	struct vm_func *f = (struct vm_func *)(uintptr_t)ci_table->elems[i];
	if (!f)
		TRAP(VM_TRAP_UNINIT_ELEM);
	const struct vm_functype *want = (const struct vm_functype *)pc[1];
	if (f->type != want && !vm_functype_eq(f->type, want))
		TRAP(VM_TRAP_SIG_MISMATCH);
	vm_value *nfp = fp + pc[2];
	if (f->host) {
		HOSTCALL(f, nfp);
		DISPATCH(5);
	}
	ENTER(f, nfp, 5);
}
L_copy:
	S(1) = S(2);
	DISPATCH(3);
	/* runs of copies (loop-carried locals) in one dispatch, in order */
L_copy2:
	S(1) = S(2);
	S(3) = S(4);
	DISPATCH(5);
L_copy3:
	S(1) = S(2);
	S(3) = S(4);
	S(5) = S(6);
	DISPATCH(7);
L_copy4:
	S(1) = S(2);
	S(3) = S(4);
	S(5) = S(6);
	S(7) = S(8);
	DISPATCH(9);
L_const32:
	S(1).u64 = pc[2];
	DISPATCH(3);
L_const64:
	S(1).u64 = pc[2] | (uint64_t)pc[3] << 32;
	DISPATCH(4);
L_select:
	S(1) = S(4).u32 ? S(2) : S(3);
	DISPATCH(5);
L_global_get:
	S(1) = globals[pc[2]]->v;
	DISPATCH(3);
L_global_set:
	globals[pc[1]]->v = S(2);
	DISPATCH(3);
L_memory_size:
	S(1).u64 = mem->pages;
	DISPATCH(2);
L_memory_grow:
	SET_i32(1, vm_memory_grow(mem, S(2).u32));
	mb = mem->data;
	ms = (vm_msize)mem->size;
	DISPATCH(3);
L_atomic:
	trap = (enum vm_trap)vm_atomic_exec(mem, pc, fp);
	/* a wait may have let another thread grow a shared memory */
	mb = mem->data;
	ms = (vm_msize)mem->size;
	if (trap)
		goto L_trap;
	DISPATCH(7);
L_fence:
	vm_atomic_fence();
	DISPATCH(1);
	/*
	 * Bulk memory: bulk.c checks the bounds before writing anything. The
	 * instance is taken as func->inst, not inst: more uses of inst made
	 * gcc keep it in a register and spill fr instead, which cost calls
	 * and returns 6% (fib) on x86-64.
	 */
#define BULK(n, obj, cells)                                                    \
	L_##n:                                                                 \
	{                                                                      \
		trap = (enum vm_trap)vm_##n(obj, pc, fp);                      \
		if (trap)                                                      \
			goto L_trap;                                           \
		DISPATCH(cells);                                               \
	}
	BULK(memory_fill, mem, 4)
	BULK(memory_copy, mem, 4)
	BULK(memory_init, func->inst, 5)
L_data_drop:
	vm_data_drop(func->inst, pc);
	DISPATCH(2);
	/* table.c: `table_exec sub dst a b c x y` */
	BULK(table_exec, func->inst, 8)

	/*
	 * SIMD (ops.h VM_FD_OPS): a v128 is the slot pair fp[i], fp[i + 1].
	 * The instructions run in simd_exec.c (bounds checks included): one
	 * call site here, as more made gcc spill `fr` and slowed calls.
	 */
#define HI(i) fp[pc[i] + 1]
L_simd:
	trap = (enum vm_trap)((vm_simd_fn *)pc[2])(mem, pc, fp);
	if (trap)
		goto L_trap;
	DISPATCH(pc[1]);
	/* the commonest in vectorised loops, inline: no call, no vector
	 * registers (two 64-bit halves; i32x4.add as SWAR) */
L_v128_load : {
	EA(S(2).u32, pc[3], 16);
	vm_value lo, hi;
	__builtin_memcpy(&lo, mb + ea, 8);
	__builtin_memcpy(&hi, mb + ea + 8, 8);
	S(1) = lo;
	HI(1) = hi;
	DISPATCH(4);
}
L_v128_store : {
	EA(S(1).u32, pc[3], 16);
	__builtin_memcpy(mb + ea, &S(2), 8);
	__builtin_memcpy(mb + ea + 8, &HI(2), 8);
	DISPATCH(4);
}
/* `name dst a b` on the two 64-bit halves, each lane pair by F */
#define PAIRWISE(name, F)                                                      \
	L_##name:                                                              \
	{                                                                      \
		uint64_t lo = F(S(2).u64, S(3).u64);                           \
		uint64_t hi = F(HI(2).u64, HI(3).u64);                         \
		S(1).u64 = lo;                                                 \
		HI(1).u64 = hi;                                                \
		DISPATCH(4);                                                   \
	}
#define ADD32X2(a, b)                                                          \
	((((a)&0x7fffffff7fffffffull) + ((b)&0x7fffffff7fffffffull)) ^         \
	 (((a) ^ (b)) & 0x8000000080000000ull))
/* the low 32 bits of each product, as wasm's i32.mul */
#define MUL32X2(a, b)                                                          \
	((uint64_t)((uint32_t)(a) * (uint32_t)(b)) |                           \
	 (uint64_t)((uint32_t)((a) >> 32) * (uint32_t)((b) >> 32)) << 32)
	PAIRWISE(i32x4_add, ADD32X2)
	PAIRWISE(i32x4_mul, MUL32X2)
#undef ADD32X2
#undef MUL32X2
#undef PAIRWISE
L_v128_const:
	S(1).u64 = pc[2] | (uint64_t)pc[3] << 32;
	HI(1).u64 = pc[4] | (uint64_t)pc[5] << 32;
	DISPATCH(6);
L_copy128 : { /* the halves may overlap (unpacking call results) */
	vm_value lo = S(2), hi = HI(2);
	S(1) = lo;
	HI(1) = hi;
	DISPATCH(3);
}
L_select128 : {
	int k = S(4).u32 ? 2 : 3;
	vm_value lo = S(k), hi = HI(k);
	S(1) = lo;
	HI(1) = hi;
	DISPATCH(5);
}
L_global_get128:
	S(1) = globals[pc[2]]->v;
	HI(1) = globals[pc[2]]->hi;
	DISPATCH(3);
L_global_set128:
	globals[pc[1]]->v = S(2);
	globals[pc[1]]->hi = HI(2);
	DISPATCH(3);
#undef HI

	LOAD(i32_load, uint32_t, u32, uint32_t, 4)
	LOAD(i64_load, uint64_t, u64, uint64_t, 8)
	LOAD(i32_load8_s, int8_t, i32, int32_t, 1)
	LOAD(i32_load8_u, uint8_t, u32, uint32_t, 1)
	LOAD(i32_load16_s, int16_t, i32, int32_t, 2)
	LOAD(i32_load16_u, uint16_t, u32, uint32_t, 2)
	LOAD(i64_load8_s, int8_t, i64, int64_t, 1)
	LOAD(i64_load8_u, uint8_t, u64, uint64_t, 1)
	LOAD(i64_load16_s, int16_t, i64, int64_t, 2)
	LOAD(i64_load16_u, uint16_t, u64, uint64_t, 2)
	LOAD(i64_load32_s, int32_t, i64, int64_t, 4)
	LOAD(i64_load32_u, uint32_t, u64, uint64_t, 4)
	LOADX(i32_load, uint32_t, u32, uint32_t, 4)
	LOADX(i64_load, uint64_t, u64, uint64_t, 8)
	LOADX(i32_load8_s, int8_t, i32, int32_t, 1)
	LOADX(i32_load8_u, uint8_t, u32, uint32_t, 1)
	LOADX(i32_load16_s, int16_t, i32, int32_t, 2)
	LOADX(i32_load16_u, uint16_t, u32, uint32_t, 2)
	LOAD_ABS(i32_load_abs, uint32_t, u32, uint32_t, 4)
	LOAD_ABS(i64_load_abs, uint64_t, u64, uint64_t, 8)
	LOAD_ABS(i32_load8_u_abs, uint8_t, u32, uint32_t, 1)
	STORE_ABS(i32_store_abs, uint32_t, u32, 4)
	STORE_ABS(i64_store_abs, uint64_t, u64, 8)
	STOREX(i32_store, uint32_t, u32, 4)
	STOREX(i64_store, uint64_t, u64, 8)
	STOREX(i32_store8, uint8_t, u32, 1)
	STOREKX(i32_store, uint32_t, 4)
	STOREKX(i32_store8, uint8_t, 1)
L_i32_muladd: /* dst = c + a * b: dst a b c */
	S(1).u64 = (uint32_t)(S(4).u32 + S(2).u32 * S(3).u32);
	DISPATCH(5);
L_i32_muladd_i: /* dst a imm c */
	S(1).u64 = (uint32_t)(S(4).u32 + S(2).u32 * (uint32_t)pc[3]);
	DISPATCH(5);
	STOREK(i32_store_k, uint32_t, 4)
	STOREK(i32_store8_k, uint8_t, 1)
	STOREK(i32_store16_k, uint16_t, 2)
	STOREK(i64_store_k, int64_t, 8)
	STORE(i32_store, uint32_t, u32, 4)
	STORE(i64_store, uint64_t, u64, 8)
	STORE(i32_store8, uint8_t, u32, 1)
	STORE(i32_store16, uint16_t, u32, 2)
	STORE(i64_store8, uint8_t, u64, 1)
	STORE(i64_store16, uint16_t, u64, 2)
	STORE(i64_store32, uint32_t, u64, 4)

	/*
	 * ---- integer ----
	 * The i32 and i64 rows have the same shape on purpose: one line per
	 * instruction, each with its own width's expression, so that the
	 * handler of any opcode can be found and read on its line.
	 */
	UN(i32_eqz, u32, u32, a == 0)
	I32CMP(i32_eq, a == b)
	I32CMP(i32_ne, a != b)
	I32CMP(i32_lt_s, (int32_t)a < (int32_t)b)
	I32CMP(i32_lt_u, a < b)
	I32CMP(i32_gt_s, (int32_t)a > (int32_t)b)
	I32CMP(i32_gt_u, a > b)
	I32CMP(i32_le_s, (int32_t)a <= (int32_t)b)
	I32CMP(i32_le_u, a <= b)
	I32CMP(i32_ge_s, (int32_t)a >= (int32_t)b)
	I32CMP(i32_ge_u, a >= b)
	UN(i64_eqz, u64, u32, a == 0)
	I64CMP(i64_eq, a == b)
	I64CMP(i64_ne, a != b)
	I64CMP(i64_lt_s, (int64_t)a < (int64_t)b)
	I64CMP(i64_lt_u, a < b)
	I64CMP(i64_gt_s, (int64_t)a > (int64_t)b)
	I64CMP(i64_gt_u, a > b)
	I64CMP(i64_le_s, (int64_t)a <= (int64_t)b)
	I64CMP(i64_le_u, a <= b)
	I64CMP(i64_ge_s, (int64_t)a >= (int64_t)b)
	I64CMP(i64_ge_u, a >= b)

	UN(i32_clz, u32, u32, clz32(a))
	UN(i32_ctz, u32, u32, ctz32(a))
	UN(i32_popcnt, u32, u32, popcnt32(a))
	I32BINI(i32_add, a + b)
	I32BINI(i32_sub, a - b)
	I32BINI(i32_mul, a * b)
	I32BINI(i32_and, a & b)
	I32BINI(i32_or, a | b)
	I32BINI(i32_xor, a ^ b)
	I32BINI(i32_shl, a << (b & 31))
	I32BINI(i32_shr_s, (int32_t)a >> (b & 31))
	I32BINI(i32_shr_u, a >> (b & 31))
	I32BINI(i32_rotl, rotl32(a, b))
	I32BINI(i32_rotr, rotr32(a, b))
	IDIV(i32_div_s, i32, a == INT32_MIN && b == -1, a / b)
	IDIV(i32_div_u, u32, false, a / b)
	IDIV(i32_rem_s, i32, false, b == -1 ? 0 : a % b)
	IDIV(i32_rem_u, u32, false, a % b)
	UN(i64_clz, u64, u64, clz64(a))
	UN(i64_ctz, u64, u64, ctz64(a))
	UN(i64_popcnt, u64, u64, popcnt64(a))
	I64BINI(i64_add, a + b)
	I64BINI(i64_sub, a - b)
	I64BINI(i64_mul, a * b)
	I64BINI(i64_and, a & b)
	I64BINI(i64_or, a | b)
	I64BINI(i64_xor, a ^ b)
	I64BINI(i64_shl, a << (b & 63))
	I64BINI(i64_shr_s, (int64_t)a >> (b & 63))
	I64BINI(i64_shr_u, a >> (b & 63))
	I64BINI(i64_rotl, rotl64(a, b))
	I64BINI(i64_rotr, rotr64(a, b))
	IDIV(i64_div_s, i64, a == INT64_MIN && b == -1, a / b)
	IDIV(i64_div_u, u64, false, a / b)
	IDIV(i64_rem_s, i64, false, b == -1 ? 0 : a % b)
	IDIV(i64_rem_u, u64, false, a % b)

	/* ---- float ---- */
	FCMP(f32_eq, f32, a == b)
	FCMP(f32_ne, f32, a != b)
	FCMP(f32_lt, f32, a < b)
	FCMP(f32_gt, f32, a > b)
	FCMP(f32_le, f32, a <= b)
	FCMP(f32_ge, f32, a >= b)
	FCMP(f64_eq, f64, a == b)
	FCMP(f64_ne, f64, a != b)
	FCMP(f64_lt, f64, a < b)
	FCMP(f64_gt, f64, a > b)
	FCMP(f64_le, f64, a <= b)
	FCMP(f64_ge, f64, a >= b)
	UN(f32_abs, u32, u32, a & 0x7fffffffu)
	UN(f32_neg, u32, u32, a ^ 0x80000000u)
	UN(f32_ceil, f32, f32, f32_ceil(a))
	UN(f32_floor, f32, f32, f32_floor(a))
	UN(f32_trunc, f32, f32, f32_trunc(a))
	UN(f32_nearest, f32, f32, f32_nearest(a))
	UN(f32_sqrt, f32, f32, f32_sqrt(a))
	FBIN(f32_add, f32, a + b)
	FBIN(f32_sub, f32, a - b)
	FBIN(f32_mul, f32, a * b)
	FBIN(f32_div, f32, a / b)
	FBIN(f32_min, f32, f32_min(a, b))
	FBIN(f32_max, f32, f32_max(a, b))
	FBIN(f32_copysign, u32, (a & 0x7fffffffu) | (b & 0x80000000u))
	UN(f64_abs, u64, u64, a & 0x7fffffffffffffffull)
	UN(f64_neg, u64, u64, a ^ 0x8000000000000000ull)
	UN(f64_ceil, f64, f64, f64_ceil(a))
	UN(f64_floor, f64, f64, f64_floor(a))
	UN(f64_trunc, f64, f64, f64_trunc(a))
	UN(f64_nearest, f64, f64, f64_nearest(a))
	UN(f64_sqrt, f64, f64, f64_sqrt(a))
	FBIN(f64_add, f64, a + b)
	FBIN(f64_sub, f64, a - b)
	FBIN(f64_mul, f64, a * b)
	FBIN(f64_div, f64, a / b)
	FBIN(f64_min, f64, f64_min(a, b))
	FBIN(f64_max, f64, f64_max(a, b))
	FBIN(f64_copysign, u64,
	     (a & 0x7fffffffffffffffull) | (b & 0x8000000000000000ull))

	/* ---- conversions ---- */
	UN(i32_wrap_i64, u64, u32, (uint32_t)a)
	FLOAT_TO_INT(TRUNC)
L_trunc_sat:
	trunc_sat(pc, fp);
	DISPATCH(4);
	UN(i64_extend_i32_s, i32, i64, (int64_t)a)
	UN(i64_extend_i32_u, u32, u64, (uint64_t)a)
	UN(f32_convert_i32_s, i32, f32, (float)a)
	UN(f32_convert_i32_u, u32, f32, (float)a)
	UN(f32_convert_i64_s, i64, f32, (float)a)
	UN(f32_convert_i64_u, u64, f32, (float)a)
	UN(f32_demote_f64, f64, f32, (float)a)
	UN(f64_convert_i32_s, i32, f64, (double)a)
	UN(f64_convert_i32_u, u32, f64, (double)a)
	UN(f64_convert_i64_s, i64, f64, (double)a)
	UN(f64_convert_i64_u, u64, f64, (double)a)
	UN(f64_promote_f32, f32, f64, (double)a)
	UN(i32_reinterpret_f32, u32, u32, a)
	UN(i64_reinterpret_f64, u64, u64, a)
	UN(f32_reinterpret_i32, u32, u32, a)
	UN(f64_reinterpret_i64, u64, u64, a)
	/* sign extension (2.0) */
	UN(i32_extend8_s, u32, i32, (int8_t)a)
	UN(i32_extend16_s, u32, i32, (int16_t)a)
	UN(i64_extend8_s, u64, i64, (int8_t)a)
	UN(i64_extend16_s, u64, i64, (int16_t)a)
	UN(i64_extend32_s, u64, i64, (int32_t)a)

L_trap:
	if (trap == VM_TRAP_MEM_OOB && mem->shared &&
	    ms != (vm_msize)__atomic_load_n(&mem->size, __ATOMIC_SEQ_CST)) {
		/* Another thread grew the shared memory since this one last
		 * looked (sizes are reloaded only at calls, grows and atomics):
		 * run the access again against the new size. Nothing was
		 * written before the bounds check, and the size only grows. */
		mb = mem->data;
		ms = (vm_msize)mem->size;
		NEXT();
	}
	vm_trap_msg(
		err, trap, func->index,
		vm_code_offset(func->code, (uint32_t)(pc - func->code->cells)));
	th->depth = 0;
	return VM_ERR_TRAP;
L_interrupt:
	th->pc = pc;
	th->fp = fp;
	th->func = func;
	th->depth = (uint32_t)(fr - frames);
	th->suspended = true;
	err->kind = VM_ERR_INTERRUPTED;
	return VM_ERR_INTERRUPTED;
L_exit:
	th->depth = 0;
	err->kind = VM_ERR_EXIT;
	err->exit_code = th->exit_code;
	return VM_ERR_EXIT;
L_done:
	th->depth = 0;
	return VM_OK;
}
