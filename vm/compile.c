/*
 * vm/compile.c: translate one validated function body into internal code.
 *
 * The wasm operand stack is mapped onto frame slots: the value at stack
 * height i lives in slot T(i) = nlocals + i, so every stack height is known
 * here and instructions name their operands by slot. (A function that can
 * hold a v128 uses two slots per entry and a slot map for its locals:
 * compile_simd.c.) Two things stay
 * virtual on the compile-time stack until something needs them in a slot:
 * local.get (an alias of the local's slot) and constants (folded into the
 * immediate forms of integer ops). Invariants that make this sound:
 *  - an entry is either in its own slot T(i), an alias of a local, or a
 *    constant; nothing else ever lives in T(i);
 *  - at every block, loop and if entry all entries are materialized, so an
 *    alias never spans a label and copies are never emitted on one path only;
 *  - before a local is written, entries aliasing it are materialized.
 * Peepholes (fuse.c, plus the retargeting of a local.set's producer here)
 * only look at the instruction just emitted, and labels clear that memory,
 * so no branch can land between two fused halves.
 */
#include "compile.h"
#include "simd_vm.h"

/* Numeric opcode w (0x45..0xc4): immediate forms and fusions first. */
static void numeric(struct comp *c, uint8_t w)
{
	uint8_t ta, tb, tr;
	vm_numeric_sig(w, &ta, &tb, &tr);
	if (w == 0x45 && vmc_fuse_andz(c))
		return;
	if (!tb) {
		struct entry *a = &c->st[c->h - 1];
		/* reinterpret and wrap only retype the bits of the slot */
		if ((w >= 0xbc && w <= 0xbf) || w == 0xa7) {
			if (w == 0xa7 && a->kind == E_CONST)
				a->k = (uint32_t)a->k;
			a->type = tr;
			return;
		}
		uint32_t sa = vmc_slot_of(c, c->h - 1);
		c->h--;
		uint32_t at = vmc_op(c, OP_i32_eqz + (w - 0x45));
		vmc_emit(c, T(c, c->h));
		vmc_emit(c, sa);
		if (vmc_traps(w))
			vmc_site(c, at);
		vmc_mark_dst(c, at, w, false);
		vmc_push_slot(c, tr, T(c, c->h));
		return;
	}
	struct entry *a = &c->st[c->h - 2], *b = &c->st[c->h - 1];
	if (vmc_has_imm(w) && !vmc_imm_fits(b) && vmc_imm_fits(a) &&
	    vmc_swapped(w)) {
		/*
		 * A constant on the left: swap it into the immediate. b's entry
		 * may now sit one below its slot; it is consumed right away.
		 */
		struct entry t = *a;
		*a = *b;
		*b = t;
		w = vmc_swapped(w);
	}
	uint32_t at;
	if ((w == 0x74 || w == 0x77) && a->kind == E_CONST &&
	    b->kind == E_SLOT) {
		/* constant on the left of a shift/rotate (1 << n, ~1 rotl n) */
		uint32_t k = (uint32_t)a->k, sb = b->slot;
		c->h -= 2;
		at = vmc_op(c, w == 0x74 ? OP_i32_shl_kl : OP_i32_rotl_kl);
		vmc_emit(c, T(c, c->h));
		vmc_emit(c, sb);
		vmc_emit(c, k);
		vmc_mark_dst(c, at, 0, false);
		vmc_push_slot(c, VM_I32, T(c, c->h));
		return;
	}
	if (w == 0x6a && vmc_fuse_muladd(c))
		return;
	if ((w == 0x6a || w == 0xa0 || w == 0xa2) && vmc_fuse_memop(c, w))
		return;
	if ((w == 0x6a || w == 0x72 || w == 0x73) && vmc_fuse_shop(c, w))
		return;
	if (vmc_has_imm(w) && vmc_imm_fits(b)) {
		uint32_t sa = vmc_slot_of(c, c->h - 2);
		uint32_t k = (uint32_t)b->k;
		c->h -= 2;
		at = vmc_op(c, vmc_imm_op(w));
		vmc_emit(c, T(c, c->h));
		vmc_emit(c, sa);
		vmc_emit(c, k);
		vmc_mark_dst(c, at, w, true);
	} else {
		uint32_t sa = vmc_slot_of(c, c->h - 2);
		uint32_t sb = vmc_slot_of(c, c->h - 1);
		c->h -= 2;
		at = vmc_op(c, OP_i32_eqz + (w - 0x45));
		vmc_emit(c, T(c, c->h));
		vmc_emit(c, sa);
		vmc_emit(c, sb);
		if (vmc_traps(w))
			vmc_site(c, at);
		vmc_mark_dst(c, at, w, false);
	}
	vmc_push_slot(c, tr, T(c, c->h));
}

static const enum vm_op load_ops[] = {
	OP_i32_load,	 OP_i64_load,	  OP_i32_load,	   OP_i64_load,
	OP_i32_load8_s,	 OP_i32_load8_u,  OP_i32_load16_s, OP_i32_load16_u,
	OP_i64_load8_s,	 OP_i64_load8_u,  OP_i64_load16_s, OP_i64_load16_u,
	OP_i64_load32_s, OP_i64_load32_u, OP_i32_store,	   OP_i64_store,
	OP_i32_store,	 OP_i64_store,	  OP_i32_store8,   OP_i32_store16,
	OP_i64_store8,	 OP_i64_store16,  OP_i64_store32,
};
static const uint8_t load_types[] = {
	VM_I32, VM_I64, VM_F32, VM_F64, VM_I32, VM_I32, VM_I32,
	VM_I32, VM_I64, VM_I64, VM_I64, VM_I64, VM_I64, VM_I64,
};

/* Entries that alias local x get their own slot before x is written. */
static void unalias(struct comp *c, uint32_t x)
{
	for (uint32_t i = 0; i < c->h; i++)
		if (c->st[i].kind == E_SLOT && c->st[i].slot == LSLOT(c, x))
			vmc_materialize(c, i);
}

static void set_local(struct comp *c, uint32_t x)
{
	struct entry v = c->st[--c->h];
	if (v.kind == E_CONST && c->kgen[x] == c->gen && c->kval[x] == v.k)
		return; /* it already holds that value on every path here */
	unalias(c, x);
	if (v.kind == E_SLOT && v.slot == T(c, c->h) && c->last != NONE &&
	    c->last_dst && !c->oom && c->cells[c->last_dstpos] == v.slot) {
		/* retarget the producer */
		c->cells[c->last_dstpos] = LSLOT(c, x);
	} else {
		vmc_move(c, &v, LSLOT(c, x));
	}
	c->kgen[x] = v.kind == E_CONST ? c->gen : 0;
	c->kval[x] = v.k;
}

/*
 * Threads proposal (validated): every atomic becomes one generic
 * `atomic dst addr b c off sub` whose handler (atomic.c) switches on the
 * sub-opcode; unused operands repeat the address slot. Atomics are rare
 * enough in real code that a call per access costs little.
 */
static void atomic(struct comp *c)
{
	struct vm_atomic_sig as;
	uint32_t s[3];
	uint32_t sub = vm_rd_u32(&c->r);
	if (sub == 0x03) {
		vm_rd_u8(&c->r);
		vmc_op(c, OP_fence);
		return;
	}
	vm_atomic_sig(sub, &as);
	vm_rd_u32(&c->r);
	uint32_t off = vm_rd_u32(&c->r);
	uint32_t n = 1 + (as.a != 0) + (as.b != 0);
	for (uint32_t i = 0; i < n; i++)
		s[i] = vmc_slot_of(c, c->h - n + i);
	c->h -= n;
	uint32_t at = vmc_op(c, OP_atomic);
	vmc_emit(c, T(c, c->h));
	vmc_emit(c, s[0]);
	vmc_emit(c, n > 1 ? s[1] : s[0]);
	vmc_emit(c, n > 2 ? s[2] : s[0]);
	vmc_emit(c, off);
	vmc_emit(c, sub);
	vmc_site(c, at);
	if (as.r) {
		vmc_mark_dst(c, at, 0, false);
		vmc_push_slot(c, as.r, T(c, c->h));
	}
}

/*
 * Prefix 0xfc (validated). The saturating conversions become one
 * `trunc_sat dst a sub`, which never traps; the bulk memory instructions
 * one cell sequence each (ops.h VM_FC_OPS), whose handlers call bulk.c.
 */
static void prefix_fc(struct comp *c)
{
	uint32_t sub = vm_rd_u32(&c->r), x = 0, s[3], at;
	uint8_t ta, tb, tr;
	if (vm_numeric_sig(vm_sat_trunc_op(sub), &ta, &tb, &tr)) {
		uint32_t sa = vmc_slot_of(c, c->h - 1);
		c->h--;
		at = vmc_op(c, OP_trunc_sat);
		vmc_emit(c, T(c, c->h));
		vmc_emit(c, sa);
		vmc_emit(c, sub);
		vmc_mark_dst(c, at, 0, false);
		vmc_push_slot(c, tr, T(c, c->h));
		return;
	}
	if (sub >= 12) {
		vmc_table_fc(c, sub);
		return;
	}
	if (sub == 8 || sub == 9)
		x = vm_rd_u32(&c->r);
	if (sub == 9) {
		vmc_op(c, OP_data_drop);
		vmc_emit(c, x);
		return;
	}
	vm_rd_u8(&c->r);
	if (sub == 10)
		vm_rd_u8(&c->r);
	for (uint32_t i = 0; i < 3; i++)
		s[i] = vmc_slot_of(c, c->h - 3 + i);
	c->h -= 3;
	at = vmc_op(c, sub == 8	   ? OP_memory_init
		       : sub == 10 ? OP_memory_copy
				   : OP_memory_fill);
	if (sub == 8)
		vmc_emit(c, x);
	for (uint32_t i = 0; i < 3; i++)
		vmc_emit(c, s[i]);
	vmc_site(c, at);
}

void vmc_select(struct comp *c)
{
	struct entry *ea = &c->st[c->h - 3], *eb = &c->st[c->h - 2];
	uint32_t at;
	if (ea->type == VM_I32 &&
	    (ea->kind == E_CONST) != (eb->kind == E_CONST)) {
		/* one constant arm: select_ka / select_kb */
		bool ka = ea->kind == E_CONST;
		uint32_t sc = vmc_slot_of(c, c->h - 1);
		uint32_t k = (uint32_t)(ka ? ea->k : eb->k);
		uint32_t sv = ka ? eb->slot : ea->slot;
		c->h -= 3;
		at = vmc_op(c, ka ? OP_select_ka : OP_select_kb);
		vmc_emit(c, T(c, c->h));
		vmc_emit(c, ka ? k : sv);
		vmc_emit(c, ka ? sv : k);
		vmc_emit(c, sc);
		vmc_mark_dst(c, at, 0, false);
		vmc_push_slot(c, VM_I32, T(c, c->h));
		return;
	}
	uint32_t sc = vmc_slot_of(c, c->h - 1);
	uint32_t sb = vmc_slot_of(c, c->h - 2);
	uint32_t sa = vmc_slot_of(c, c->h - 3);
	uint8_t t = c->st[c->h - 3].type;
	c->h -= 3;
	at = vmc_op(c, t == VM_V128 ? OP_select128 : OP_select);
	vmc_emit(c, T(c, c->h));
	vmc_emit(c, sa);
	vmc_emit(c, sb);
	vmc_emit(c, sc);
	vmc_mark_dst(c, at, 0, false);
	vmc_push_slot(c, t, T(c, c->h));
}

/* Parametric and variable instructions, 0x1a..0x24. */
static void variable(struct comp *c, uint8_t w)
{
	struct vm_reader *r = &c->r;
	uint32_t x, at;

	switch (w) {
	case 0x1a: c->h--; break;
	case 0x1b: vmc_select(c); break;
	case 0x1c: vmc_ref(c, w); break;
	case 0x20:
		x = vm_rd_u32(r);
		vmc_push_slot(c, c->code->local_types[x], LSLOT(c, x));
		break;
	case 0x21: set_local(c, vm_rd_u32(r)); break;
	case 0x22:
		x = vm_rd_u32(r);
		set_local(c, x);
		vmc_push_slot(c, c->code->local_types[x], LSLOT(c, x));
		break;
	case 0x23:
		x = vm_rd_u32(r);
		at = vmc_op(c, c->m->globals[x].type == VM_V128
				       ? OP_global_get128
				       : OP_global_get);
		vmc_emit(c, T(c, c->h));
		vmc_emit(c, x);
		vmc_mark_dst(c, at, 0, false);
		vmc_push_slot(c, c->m->globals[x].type, T(c, c->h));
		break;
	case 0x24: {
		x = vm_rd_u32(r);
		uint32_t s = vmc_slot_of(c, c->h - 1);
		c->h--;
		vmc_op(c, c->m->globals[x].type == VM_V128 ? OP_global_set128
							   : OP_global_set);
		vmc_emit(c, x);
		vmc_emit(c, s);
		break;
	}
	}
}

/* Loads 0x28..0x35: fused or absolute forms first. */
static void load(struct comp *c, uint8_t w)
{
	vm_rd_u32(&c->r);
	uint32_t off = vm_rd_u32(&c->r);
	if (vmc_fuse_load(c, w, off) || vmc_abs_load(c, w, off))
		return;
	uint32_t s = vmc_slot_of(c, c->h - 1);
	c->h--;
	uint32_t at = vmc_op(c, load_ops[w - 0x28]);
	vmc_emit(c, T(c, c->h));
	vmc_emit(c, s);
	vmc_emit(c, off);
	vmc_site(c, at);
	vmc_mark_dst(c, at, w, false);
	c->last_ld = 1;
	vmc_push_slot(c, load_types[w - 0x28], T(c, c->h));
}

/* Stores 0x36..0x3e: fused, constant or absolute forms first. */
static void store(struct comp *c, uint8_t w)
{
	vm_rd_u32(&c->r);
	uint32_t off = vm_rd_u32(&c->r);
	if (vmc_fuse_store(c, w, off) || vmc_store_const(c, w, off) ||
	    vmc_abs_store(c, w, off))
		return;
	uint32_t sv = vmc_slot_of(c, c->h - 1);
	uint32_t sa = vmc_slot_of(c, c->h - 2);
	c->h -= 2;
	uint32_t at = vmc_op(c, load_ops[w - 0x28]);
	vmc_emit(c, sa);
	vmc_emit(c, sv);
	vmc_emit(c, off);
	vmc_site(c, at);
}

/* Memory instructions, 0x28..0x40. */
static void memory(struct comp *c, uint8_t w)
{
	uint32_t at;

	if (w <= 0x35) {
		load(c, w);
	} else if (w <= 0x3e) {
		store(c, w);
	} else if (w == 0x3f) {
		vm_rd_u8(&c->r);
		at = vmc_op(c, OP_memory_size);
		vmc_emit(c, T(c, c->h));
		vmc_mark_dst(c, at, 0, false);
		vmc_push_slot(c, VM_I32, T(c, c->h));
	} else {
		vm_rd_u8(&c->r);
		uint32_t s = vmc_slot_of(c, c->h - 1);
		c->h--;
		at = vmc_op(c, OP_memory_grow);
		vmc_emit(c, T(c, c->h));
		vmc_emit(c, s);
		vmc_mark_dst(c, at, 0, false);
		vmc_push_slot(c, VM_I32, T(c, c->h));
	}
}

/* One validated instruction w, its immediates read from c->r. */
static void instr(struct comp *c, uint8_t w)
{
	struct vm_reader *r = &c->r;

	if (w <= 0x11)
		vmc_control(c, w);
	else if (w <= 0x24)
		variable(c, w);
	else if (w == 0x25 || w == 0x26 || (w >= 0xd0 && w <= 0xd2))
		vmc_ref(c, w);
	else if (w >= 0x28 && w <= 0x40)
		memory(c, w);
	else if (w == 0x41)
		vmc_push_const(c, VM_I32, (uint32_t)vm_rd_sleb(r, 32));
	else if (w == 0x42)
		vmc_push_const(c, VM_I64, (uint64_t)vm_rd_sleb(r, 64));
	else if (w == 0x43)
		vmc_push_const(c, VM_F32, vm_rd_fixed32(r));
	else if (w == 0x44)
		vmc_push_const(c, VM_F64, vm_rd_fixed64(r));
	else if (w == 0xfc)
		prefix_fc(c);
	else if (w == 0xfd)
		vmc_simd(c);
	else if (w == 0xfe)
		atomic(c);
	else
		numeric(c, w);
}

/* Skip code after an unconditional branch up to its block's else/end. */
static bool skip_dead(struct comp *c, uint8_t w, uint32_t *depth)
{
	if (w == 0x02 || w == 0x03 || w == 0x04) {
		vm_skip_imm(&c->r, w);
		(*depth)++;
		return true;
	}
	if (w == 0x0b && *depth) {
		(*depth)--;
		return true;
	}
	if (w == 0x05 && *depth)
		return true;
	if (w == 0x0b || w == 0x05)
		return false; /* ours: compile it */
	vm_skip_imm(&c->r, w);
	return true;
}

uint32_t vm_code_offset(const struct vm_code *code, uint32_t cell)
{
	uint32_t lo = 0, hi = code->nsites;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (code->sites[mid].cell < cell)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < code->nsites && code->sites[lo].cell == cell)
		return code->sites[lo].offset;
	return 0;
}

bool vm_compile_func(struct vm_module *m, uint32_t idx, struct vm_error *err)
{
	struct vm_code *code = &m->codes[idx - m->nfunc_imports];
	const struct vm_functype *ft = &m->types[m->func_type[idx]];
	size_t len = (size_t)(code->end - code->body);
	struct comp c = {0};
	uint32_t dead = 0;

	c.m = m;
	c.ops = &m->ops;
	c.code = code;
	c.optab = vm_exec_optable();
	c.r.p = code->body;
	c.r.end = code->end;
	c.r.start = m->bytes;
	c.nlocals = code->nlocals;
	c.base = code->nlocals;
	code->nparams = ft->nparams;
	c.last = NONE;
	/* validated: block depth is within the body length and limits, the
	 * operand stack within the validator's highest, plus a spare entry
	 * (emit.c's push) */
	size_t nc = len < VM_MAX_BLOCK_DEPTH ? len : VM_MAX_BLOCK_DEPTH;
	c.capst = code->max_height + 1;
	c.st = m->ops.alloc(m->ops.ctx, (c.capst + 1) * sizeof(struct entry));
	c.kgen = vm_alloc(&m->ops, (size_t)code->nlocals * sizeof(uint32_t));
	c.kval = vm_alloc(&m->ops, (size_t)code->nlocals * sizeof(uint64_t));
	c.gen = 1;
	for (uint32_t i = ft->nparams; c.kgen && i < code->nlocals; i++)
		c.kgen[i] = 1;
	c.bl = m->ops.alloc(m->ops.ctx, (nc + 2) * sizeof(struct block));
	if (!c.st || !c.bl || !c.kgen || !c.kval ||
	    (code->wide && !vmc_wide_setup(&c)))
		c.oom = true;
	struct vm_blocktype fbt = {0, ft->nresults, NULL, ft->results};
	if (!c.oom)
		vmc_push_block(&c, 0, &fbt);
	while (!c.oom && c.nbl) {
		c.at = vm_rd_off(&c.r);
		uint8_t w = vm_rd_u8(&c.r);
		if (c.bl[c.nbl - 1].unreachable && skip_dead(&c, w, &dead))
			continue;
		instr(&c, w);
	}
	m->ops.free(m->ops.ctx, c.st);
	m->ops.free(m->ops.ctx, c.bl);
	m->ops.free(m->ops.ctx, c.kgen);
	m->ops.free(m->ops.ctx, c.kval);
	m->ops.free(m->ops.ctx, c.lslot);
	if (c.oom) {
		m->ops.free(m->ops.ctx, c.cells);
		m->ops.free(m->ops.ctx, c.sites);
		return vm_fail(err, VM_ERR_NOMEM, "out of memory",
			       "code section", c.at);
	}
	code->cells = c.cells;
	code->ncells = c.n;
	code->sites = c.sites;
	code->nsites = c.nsites;
	/* a wide function's stack entries take two slots (compile_simd.c) */
	code->frame_slots = c.base + (c.maxh << c.wide) + 1 + c.wide;
	code->local_slots = c.base;
	code->param_slots = vm_slots_n(ft->nparams, ft->params);
	return true;
}
