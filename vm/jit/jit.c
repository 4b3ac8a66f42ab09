/*
 * vm/jit/jit.c: the compiler tier's neutral driver (jit.h): which
 * functions compile, the code buffer, branch resolution from cells to
 * code offsets, publication on the vm_func, and the entry from exec.c.
 * Everything ISA-specific is behind jit_arch_* (vm/jit/<isa>/).
 */
#include "jit.h"

#include "../fp.h"

/* Grow `mem` by `delta` pages; old page count or -1 (instance.c). */
int64_t vm_memory_grow(struct vm_memory *mem, uint32_t delta);

/* ---- from handler addresses back to ops ---- */

/*
 * A cell's opcode is its handler's address (exec.c), so decoding needs
 * the inverse of the op table: a sorted copy, searched. Ops whose
 * handlers the C compiler merged share an address; they run the same
 * code, so either name is right (ret and end are one label).
 */
struct op_addr {
	vm_cell addr;
	uint16_t op;
};
static struct op_addr by_addr[OP_COUNT];
static int by_addr_ready;

/* Sorted aside, then copied: two threads building at once write the
 * same final values, never a half-sorted table another could read. */
static void build_by_addr(void)
{
	struct op_addr t[OP_COUNT]; /* 3 KiB of stack, once */
	const vm_cell *tab = vm_exec_optable();
	for (uint32_t i = 0; i < OP_COUNT; i++) {
		struct op_addr e = {tab[i], (uint16_t)i};
		uint32_t k = i;
		while (k && t[k - 1].addr > e.addr) {
			t[k] = t[k - 1];
			k--;
		}
		t[k] = e;
	}
	memcpy(by_addr, t, sizeof(by_addr));
	__atomic_store_n(&by_addr_ready, 1, __ATOMIC_RELEASE);
}

/* The op at a cell, or OP_COUNT if the cell is no handler's address. */
static uint32_t decode(vm_cell c)
{
	uint32_t lo = 0, hi = OP_COUNT;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (by_addr[mid].addr < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < OP_COUNT && by_addr[lo].addr == c ? by_addr[lo].op
						      : OP_COUNT;
}

/* ---- op lengths (ops.h formats) ---- */

uint32_t jit_op_cells(enum vm_op op, const vm_cell *pc)
{
	switch (op) {
	case OP_br_table: /* a n rel0..rel_n: the default last */
		return pc[2] < UINT32_MAX - 4 ? (uint32_t)pc[2] + 4 : 0;
#define C_NUM(n, w) case OP_##n:
		VM_NUM_OPS(C_NUM)
#undef C_NUM
		/* unary ops are dst a, the rest dst a b */
		switch (op) {
		case OP_i32_eqz:
		case OP_i64_eqz:
		case OP_i32_clz:
		case OP_i32_ctz:
		case OP_i32_popcnt:
		case OP_i32_wrap_i64:
		case OP_i64_extend_i32_s:
		case OP_i64_extend_i32_u:
		case OP_i32_extend8_s:
		case OP_i32_extend16_s:
		case OP_i64_clz:
		case OP_i64_ctz:
		case OP_i64_popcnt:
		case OP_i64_extend8_s:
		case OP_i64_extend16_s:
		case OP_i64_extend32_s:
		case OP_f32_abs ... OP_f32_sqrt:
		case OP_f64_abs ... OP_f64_sqrt:
		case OP_i32_trunc_f32_s ... OP_i32_trunc_f64_u:
		case OP_i64_trunc_f32_s ... OP_i64_trunc_f64_u:
		case OP_f32_convert_i32_s ... OP_f64_reinterpret_i64: return 3;
		case OP_i32_add ... OP_i32_rotr:
		case OP_i32_eq ... OP_i32_ge_u:
		case OP_i64_add ... OP_i64_rotr:
		case OP_i64_eq ... OP_i64_ge_u:
		case OP_f32_eq ... OP_f64_ge:
		case OP_f32_add ... OP_f32_copysign:
		case OP_f64_add ... OP_f64_copysign: return 4;
		default: return 0; /* not needed yet: unknown to the driver */
		}
#define C_IMM(n, w) case OPI_##n:
		VM_IMM_OPS(C_IMM)
#undef C_IMM
#define C_BRC(n, w)                                                            \
	case OPB_##n:                                                          \
	case OPBI_##n:
		VM_CMP_OPS(C_BRC)
#undef C_BRC
		return 4;
#define C_AB(n, w)                                                             \
	case OPAB_##n:                                                         \
	case OPABI_##n:
		VM_CMP32_OPS(C_AB)
#undef C_AB
		return 6;
#define C_LDX(n, w)                                                            \
	case OPLA_##n:                                                         \
	case OPLAI_##n:
		VM_LOADX_OPS(C_LDX)
#undef C_LDX
		return 5;
#define C_SHOP(n) case OPS_##n:
		VM_SHOP_OPS(C_SHOP)
#undef C_SHOP
		return 5;
	case OP_ret:
	case OP_end:
	case OP_unreachable: return 1;
	case OP_br:
	case OP_ret_copy:
	case OP_memory_size: return 2;
	case OP_memory_grow: return 3;
	case OP_call_indirect: return 5;
	case OP_call:
	case OP_global_get:
	case OP_global_set:
	case OP_br_if:
	case OP_br_unless:
	case OP_brz_i32:
	case OP_brz_i64:
	case OP_copy:
	case OP_const32:
	case OP_i32_load_abs:
	case OP_i64_load_abs:
	case OP_i32_load8_u_abs:
	case OP_i32_store_abs:
	case OP_i64_store_abs: return 3;
	case OP_const64:
	case OP_br_and:
	case OP_br_and_i:
	case OP_brz_and:
	case OP_brz_and_i:
	case OP_i32_andz:
	case OP_i32_andz_i:
	case OP_i32_shl_kl:
	case OP_i32_rotl_kl:
	case OP_i32_load ... OP_i64_store32:
	case OP_i32_store_k ... OP_i64_store_k: return 4;
	case OP_copy2:
	case OP_select:
	case OP_select_ka:
	case OP_select_kb:
	case OP_i32_muladd:
	case OP_i32_muladd_i:
	case OP_i32_store_a ... OP_i32_store8_kai: return 5;
	case OP_i32_add_mem:
	case OP_f64_add_mem:
	case OP_f64_mul_mem: return 6;
	case OP_copy3: return 7;
	/* jit_bulk.c's ops (ops.h's formats) */
	case OP_fence: return 1;
	case OP_data_drop: return 2;
	case OP_trunc_sat:
	case OP_memory_copy:
	case OP_memory_fill: return 4;
	case OP_memory_init: return 5;
	case OP_atomic: return 7;
	case OP_table_exec: return 8;
	case OP_copy4: return 9;
	default: return 0;
	}
}

/* ---- fixups ---- */

void jit_fix_add(struct jit_fn *j, size_t field, uint32_t cell, uint8_t kind,
		 uint8_t trap)
{
	if (j->nfix == j->capfix) {
		j->bad = true;
		return;
	}
	j->fix[j->nfix++] = (struct jit_fix){(uint32_t)field, cell, kind, trap};
}

/* Point every branch at its target cell's code. */
static void resolve_cells(struct jit_fn *j)
{
	uint32_t n = j->code->ncells;
	for (uint32_t i = 0; i < j->nfix; i++) {
		const struct jit_fix *x = &j->fix[i];
		if (x->kind != JIT_FIX_CELL)
			continue;
		if (x->cell >= n || j->native[x->cell] == UINT32_MAX) {
			j->bad = true;
			return;
		}
		jit_arch_patch(j, x->field, j->native[x->cell]);
	}
}

/* ---- compiling a function ---- */

/*
 * Walk the cells: every op must be one the backend translates and whose
 * length the driver knows. Returns OP_COUNT + 1 if so, else the op to
 * blame (OP_COUNT: a cell that is no op, which would be a bug).
 */
static uint32_t check_ops(const struct vm_code *c)
{
	for (uint32_t i = 0; i < c->ncells;) {
		uint32_t op = decode(c->cells[i]);
		if (op == OP_COUNT || !jit_arch_supports((enum vm_op)op))
			return op;
		/* br_table's length is in its third cell: inside the code? */
		uint32_t len =
			op == OP_br_table && c->ncells - i < 3
				? 0
				: jit_op_cells((enum vm_op)op, c->cells + i);
		if (!len || len > c->ncells - i)
			return op;
		i += len;
	}
	return OP_COUNT + 1;
}

/* Translate c into j->buf; false if the backend refused or it overflowed. */
static bool translate(struct jit_fn *j)
{
	const struct vm_code *c = j->code;
	for (uint32_t i = 0; i < c->ncells;) {
		enum vm_op op = (enum vm_op)decode(c->cells[i]);
		if (!jit_rc_mark_joins(j->joins, c->ncells, op, c->cells + i,
				       i))
			return false;
		i += jit_op_cells(op, c->cells + i);
	}
	jit_arch_prologue(j);
	for (uint32_t i = 0; i < c->ncells && !j->buf.full && !j->bad;) {
		enum vm_op op = (enum vm_op)decode(c->cells[i]);
		j->native[i] = (uint32_t)jit_buf_offset(&j->buf);
		if (!jit_arch_op(j, op, c->cells + i, i))
			return false;
		i += jit_op_cells(op, c->cells + i);
	}
	jit_arch_finish(j);
	resolve_cells(j);
	return !j->buf.full && !j->bad;
}

static bool compile(struct vm_func *f, const struct vm_host_ops *ops)
{
	const struct vm_code *c = f->code;
	uint32_t blame = check_ops(c);
	if (blame <= OP_COUNT) {
		vm_jit_count_fallback(blame);
		return false;
	}
	/* slot displacements are signed 32-bit (fp + 8 * slot) */
	if (c->frame_slots > (uint32_t)INT32_MAX / 16 ||
	    c->ncells > (UINT32_MAX - JIT_BYTES_FIXED) / JIT_BYTES_PER_CELL) {
		vm_jit_count_fallback(OP_COUNT);
		return false;
	}
	struct jit_fn j = {0};
	j.func = f;
	j.code = c;
	/* at most two fixups per cell: a branch or br_table entry (a cell
	 * each) takes two at a back-edge, a memory op (three cells or more)
	 * two trap exits, unreachable (one cell) one */
	j.capfix = 2 * c->ncells + 8;
	size_t size = JIT_BYTES_FIXED + (size_t)c->ncells * JIT_BYTES_PER_CELL +
		      (size_t)j.capfix * JIT_BYTES_PER_FIX;
	uint8_t *tmp = ops->alloc(ops->ctx, size);
	j.native = ops->alloc(ops->ctx, ((size_t)c->ncells + 1) * 4);
	j.fix = ops->alloc(ops->ctx, (size_t)j.capfix * sizeof(*j.fix));
	size_t njoin = c->ncells / 8 + 1;
	j.joins = ops->alloc(ops->ctx, njoin);
	bool ok = false;
	if (tmp && j.native && j.fix && j.joins) {
		for (uint32_t i = 0; i <= c->ncells; i++)
			j.native[i] = UINT32_MAX;
		for (size_t i = 0; i < njoin; i++)
			j.joins[i] = 0;
		jit_buf_init(&j.buf, tmp, size);
		if (translate(&j)) {
			size_t len = jit_buf_offset(&j.buf);
			void *code = ops->code_alloc(ops->ctx, tmp, len);
			if (code) {
				f->jit_code = code;
				f->jit_size = len;
				vm_jit_count_compiled(len);
				ok = true;
			}
		}
	}
	ops->free(ops->ctx, tmp);
	ops->free(ops->ctx, j.native);
	ops->free(ops->ctx, j.fix);
	ops->free(ops->ctx, j.joins);
	if (!ok)
		vm_jit_count_fallback(OP_COUNT);
	return ok;
}

void vm_jit_compile(struct vm_func *f)
{
	uint8_t want = VM_JIT_UNTRIED;
	if (!__atomic_compare_exchange_n(&f->jit_state, &want, VM_JIT_BUSY,
					 false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return; /* another thread has it */
	const struct vm_host_ops *ops = f->inst ? f->inst->ops : NULL;
	uint8_t state = VM_JIT_OFF;
	if (ops && ops->code_alloc && ops->code_free && f->code) {
		if (!__atomic_load_n(&by_addr_ready, __ATOMIC_ACQUIRE))
			build_by_addr();
		if (compile(f, ops))
			state = VM_JIT_READY;
	}
	__atomic_store_n(&f->jit_state, state, __ATOMIC_RELEASE);
}

int vm_jit_enter(struct vm_jit_run *run)
{
	return ((vm_jit_code)run->func->jit_code)(run->fp, run);
}

/* Report the call op at pc as the innermost state (a trap there). */
int jit_stop_at(struct vm_jit_run *run, vm_value *fp, const vm_cell *pc,
		int status, uint32_t trap)
{
	run->fp = fp;
	run->cell = (uint32_t)(pc - run->func->cells);
	run->trap = trap;
	return status;
}

/* The memory's base and size again, after code that may have grown it. */
void jit_reload_memory(struct vm_jit_run *run)
{
	struct vm_memory *mem = run->func->inst->mem;
	run->mb = mem->data;
	run->ms = (uint32_t)mem->size;
}

/* exec.c's HOSTCALL: the callee's results in its frame at nfp. */
static int host_call(struct vm_jit_run *run, struct vm_func *f, vm_value *fp,
		     vm_value *nfp, const vm_cell *pc)
{
	struct vm_hostcall hc = {run->th, run->func->inst, f->data};
	run->th->depth = run->depth;
	int r = f->host(&hc, nfp);
	jit_reload_memory(run);
	if (r < 0)
		return JIT_EXIT;
	if (r)
		return jit_stop_at(run, fp, pc, JIT_TRAP, (uint32_t)r);
	return JIT_DONE;
}

/*
 * Run f (its frame pushed, at nfp) in a vm_exec of its own that returns
 * when f's frame returns: jit_base is the depth it stops at. A trap,
 * interrupt or exit inside has been handled there as the interpreter
 * does (message, suspended state); JIT_NESTED hands its result up.
 */
static int nested(struct vm_jit_run *run, struct vm_func *f, vm_value *nfp)
{
	struct vm_thread *th = run->th;
	uint32_t base = th->jit_base;
	th->pc = f->cells;
	th->fp = nfp;
	th->func = f;
	th->depth = run->depth;
	th->jit_base = run->depth;
	enum vm_err_kind k = vm_exec(th, run->err);
	th->jit_base = base;
	if (k == VM_OK)
		return JIT_DONE;
	run->trap = (uint32_t)k;
	return JIT_NESTED;
}

/* exec.c's ENTER for wasm function f, called by the op at pc (n cells),
 * its frame at nfp: run natively or nested. */
static int enter(struct vm_jit_run *run, vm_value *fp, const vm_cell *pc,
		 uint32_t n, struct vm_func *f, vm_value *nfp)
{
	struct vm_func *caller = run->func;
	/* native calls only within the instance: run's funcs and globals
	 * are its own */
	bool native = f->inst == caller->inst;
	if (native &&
	    __atomic_load_n(&f->jit_state, __ATOMIC_ACQUIRE) == VM_JIT_UNTRIED)
		vm_jit_compile(f);
	native = native && __atomic_load_n(&f->jit_state, __ATOMIC_ACQUIRE) ==
				   VM_JIT_READY;
	/* low on native stack: the callee runs interpreted (jit_stack.c) */
	native = native && !vm_native_stack_low(run->th);
	if (run->depth == run->max_depth ||
	    nfp + f->frame_slots > run->stack_end)
		return jit_stop_at(run, fp, pc, JIT_TRAP,
				   VM_TRAP_STACK_EXHAUSTED);
	struct vm_frame *fr = &run->frames[run->depth++];
	fr->pc = pc + n;
	fr->fp = fp;
	fr->func = caller;
	for (vm_value *z = nfp + f->nparams, *e = nfp + f->nlocals; z < e; z++)
		z->u64 = 0;
	run->func = f;
	if (*run->intr) { /* ENTER polls here too */
		run->fp = nfp;
		run->cell = 0;
		return JIT_INTERRUPT;
	}
	int st = native ? ((vm_jit_code)f->jit_code)(nfp, run)
			: nested(run, f, nfp);
	if (st != JIT_DONE)
		return st;
	run->depth--;
	run->func = caller;
	jit_reload_memory(run);
	return JIT_DONE;
}

/* exec.c's L_call. */
int vm_jit_call(struct vm_jit_run *run, vm_value *fp, const vm_cell *pc)
{
	struct vm_func *f = run->funcs[pc[1]];
	vm_value *nfp = fp + pc[2];
	if (f->host)
		return host_call(run, f, fp, nfp, pc);
	return enter(run, fp, pc, 3, f, nfp);
}

/* exec.c's L_call_indirect: call_indirect type base i table. */
int vm_jit_call_indirect(struct vm_jit_run *run, vm_value *fp,
			 const vm_cell *pc)
{
	struct vm_instance *inst = run->func->inst;
	struct vm_table *t = pc[4] ? inst->tables[pc[4]] : inst->table;
	uint32_t i = fp[pc[3]].u32;
	if (i >= t->size)
		return jit_stop_at(run, fp, pc, JIT_TRAP, VM_TRAP_TABLE_OOB);
	struct vm_func *f = (struct vm_func *)(uintptr_t)t->elems[i];
	if (!f)
		return jit_stop_at(run, fp, pc, JIT_TRAP, VM_TRAP_UNINIT_ELEM);
	const struct vm_functype *want = (const struct vm_functype *)pc[1];
	if (f->type != want && !vm_functype_eq(f->type, want))
		return jit_stop_at(run, fp, pc, JIT_TRAP, VM_TRAP_SIG_MISMATCH);
	vm_value *nfp = fp + pc[2];
	if (f->host)
		return host_call(run, f, fp, nfp, pc);
	return enter(run, fp, pc, 5, f, nfp);
}

struct vm_func *jit_direct_callee(const struct jit_fn *j, const vm_cell *pc)
{
	struct vm_instance *inst = j->func ? j->func->inst : NULL;
	if (!inst || !inst->funcs)
		return NULL;
	struct vm_func *f = inst->funcs[pc[1]];
	if (!f || f->host || f->inst != inst || !f->code)
		return NULL;
	uint64_t end = (uint64_t)(uint32_t)pc[2] + f->frame_slots;
	return end <= JIT_DIRECT_MAX_SLOTS ? f : NULL;
}

/* exec.c's L_memory_grow: the old size in pages or -1; base and size
 * reloaded into run. */
int32_t vm_jit_memory_grow(struct vm_jit_run *run, uint32_t delta)
{
	int64_t r = vm_memory_grow(run->func->inst->mem, delta);
	jit_reload_memory(run);
	return (int32_t)r;
}

/* exec.c's IDIV for i64 (how: 0 div_s, 1 div_u, 2 rem_s, 3 rem_u) on op
 * dst a b at pc: 0, or the trap. */
uint32_t vm_jit_i64_divide(vm_value *fp, const vm_cell *pc, uint32_t how)
{
	vm_value *d = &fp[pc[1]], a = fp[pc[2]], b = fp[pc[3]];
	if (!b.u64)
		return VM_TRAP_DIV_ZERO;
	switch (how) {
	case 0:
		if (a.i64 == INT64_MIN && b.i64 == -1)
			return VM_TRAP_INT_OVERFLOW;
		d->i64 = a.i64 / b.i64;
		break;
	case 1: d->u64 = a.u64 / b.u64; break;
	case 2: d->i64 = b.i64 == -1 ? 0 : a.i64 % b.i64; break;
	default: d->u64 = a.u64 % b.u64; break;
	}
	return 0;
}

/* A conversion's result as exec.c's SET_<member> writes it. */
#define J_SET_i32(v) ((uint64_t)(uint32_t)(v))
#define J_SET_u32(v) ((uint64_t)(uint32_t)(v))
#define J_SET_i64(v) ((uint64_t)(int64_t)(v))
#define J_SET_u64(v) ((uint64_t)(v))
/* exec.c's TRUNC: NaN and values outside (lo, hi) trap. */
#define J_TRUNC(r, s, sub, IM, OM, OT, lo, hi, min, max)                       \
	case OP_##r##_trunc_##s: {                                             \
		__typeof__(a.IM) v = a.IM;                                     \
		if (v != v)                                                    \
			return VM_TRAP_BAD_CONVERSION;                         \
		if (!(v > (lo) && v < (hi)))                                   \
			return VM_TRAP_INT_OVERFLOW;                           \
		d->u64 = J_SET_##OM((OT)v);                                    \
		return 0;                                                      \
	}

/* exec.c's handlers of the float ops the backends leave to C (fp.h's
 * functions, the C conversions), on op dst a [b] at pc: 0, or the trap
 * of a float -> int conversion. */
uint32_t vm_jit_float(vm_value *fp, const vm_cell *pc, uint32_t op)
{
	vm_value *d = &fp[pc[1]], a = fp[pc[2]];
	switch (op) {
		FLOAT_TO_INT(J_TRUNC)
	case OP_f32_ceil: d->u64 = f32_bits(f32_ceil(a.f32)); break;
	case OP_f32_floor: d->u64 = f32_bits(f32_floor(a.f32)); break;
	case OP_f32_trunc: d->u64 = f32_bits(f32_trunc(a.f32)); break;
	case OP_f32_nearest: d->u64 = f32_bits(f32_nearest(a.f32)); break;
	case OP_f64_ceil: d->f64 = f64_ceil(a.f64); break;
	case OP_f64_floor: d->f64 = f64_floor(a.f64); break;
	case OP_f64_trunc: d->f64 = f64_trunc(a.f64); break;
	case OP_f64_nearest: d->f64 = f64_nearest(a.f64); break;
	case OP_f32_min:
		d->u64 = f32_bits(f32_min(a.f32, fp[pc[3]].f32));
		break;
	case OP_f32_max:
		d->u64 = f32_bits(f32_max(a.f32, fp[pc[3]].f32));
		break;
	case OP_f64_min: d->f64 = f64_min(a.f64, fp[pc[3]].f64); break;
	case OP_f64_max: d->f64 = f64_max(a.f64, fp[pc[3]].f64); break;
	case OP_f32_convert_i32_u: d->u64 = f32_bits((float)a.u32); break;
	case OP_f32_convert_i64_s: d->u64 = f32_bits((float)a.i64); break;
	case OP_f32_convert_i64_u: d->u64 = f32_bits((float)a.u64); break;
	case OP_f64_convert_i32_u: d->f64 = (double)a.u32; break;
	case OP_f64_convert_i64_s: d->f64 = (double)a.i64; break;
	case OP_f64_convert_i64_u: d->f64 = (double)a.u64; break;
	default: break; /* not one of them: the backend's bug */
	}
	return 0;
}

void vm_jit_release(struct vm_func *f)
{
	if (f->jit_code && f->inst && f->inst->ops->code_free)
		f->inst->ops->code_free(f->inst->ops->ctx, f->jit_code,
					f->jit_size);
	f->jit_code = NULL;
	f->jit_state = VM_JIT_OFF;
}
