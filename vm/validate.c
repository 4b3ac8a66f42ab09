/*
 * vm/validate.c: the validation rules of wasm 1.0 and of the 2.0 features
 * implemented (sign extension, saturating conversions, multi-value, bulk
 * memory on memories), each only when the module's features allow it.
 *
 * Module-level rules (indices, limits, constant expressions, exports) and
 * the type-checking algorithm of the spec's appendix for function bodies:
 * an operand stack of types plus a control stack, where code after an
 * unconditional branch is typed against a polymorphic stack (ANY).
 * The operand and control stacks need at most one entry per body byte, so
 * they are sized from the body and cannot be grown by a hostile module
 * beyond its own size.
 */
#include "validate.h"
#include "simd_vm.h"

static bool fail(struct val *v, const char *why)
{
	if (!v->why)
		v->why = why;
	return false;
}

/*
 * The operand stack starts with one entry per body byte (at most
 * VM_MAX_OPERANDS) and grows only for instructions that push several
 * values (calls, blocks with parameters), never past VM_MAX_OPERANDS + 1:
 * the limit is checked after each instruction, and a push beyond the array
 * is dropped after failing the reader.
 */
static void push(struct val *v, uint8_t t)
{
	if (v->nvals == v->capvals) {
		uint32_t cap = v->capvals * 2 + 16;
		if (v->capvals > VM_MAX_OPERANDS) {
			vm_rd_fail(&v->r, "function too complex");
			return;
		}
		if (cap > VM_MAX_OPERANDS + 1)
			cap = VM_MAX_OPERANDS + 1;
		const struct vm_host_ops *ops = &v->m->ops;
		uint8_t *p = ops->realloc(ops->ctx, v->vals, cap);
		if (!p) {
			v->oom = true;
			vm_rd_fail(&v->r, "out of memory");
			return;
		}
		v->vals = p;
		v->capvals = cap;
	}
	v->vals[v->nvals++] = t;
	v->wide |= t == VM_V128;
	if (v->nvals > v->maxvals)
		v->maxvals = v->nvals;
}

static uint8_t pop(struct val *v, uint8_t want)
{
	struct ctl *c = &v->ctls[v->nctls - 1];
	if (v->nvals == c->height) {
		if (!c->unreachable)
			fail(v, "type mismatch");
		return want;
	}
	uint8_t t = v->vals[--v->nvals];
	if (want != ANY && t != ANY && t != want) {
		fail(v, "type mismatch");
		return want;
	}
	return t == ANY ? want : t;
}

static void push_n(struct val *v, uint32_t n, const uint8_t *types)
{
	for (uint32_t i = 0; i < n; i++)
		push(v, types[i]);
}

static void pop_n(struct val *v, uint32_t n, const uint8_t *types)
{
	for (uint32_t i = n; i-- > 0;)
		pop(v, types[i]);
}

/* Enter a block whose parameters are on the stack (already popped). */
static void push_ctl(struct val *v, uint8_t op, const struct vm_blocktype *t)
{
	struct ctl *c = &v->ctls[v->nctls++];
	c->op = op;
	c->t = *t;
	c->unreachable = false;
	c->height = v->nvals;
	push_n(v, t->nparams, t->params);
}

static void set_unreachable(struct val *v)
{
	struct ctl *c = &v->ctls[v->nctls - 1];
	v->nvals = c->height;
	c->unreachable = true;
}

/* Check the block's results are on the stack and nothing else. */
static void check_end(struct val *v)
{
	struct ctl *c = &v->ctls[v->nctls - 1];
	pop_n(v, c->t.nresults, c->t.results);
	if (v->nvals != c->height)
		fail(v, "type mismatch");
}

/* Label types: what a branch to depth l carries (a loop: its parameters). */
static uint32_t label_n(struct val *v, uint32_t l, const uint8_t **types)
{
	struct ctl *c = &v->ctls[v->nctls - 1 - l];
	*types = c->op == 0x03 ? c->t.params : c->t.results;
	return c->op == 0x03 ? c->t.nparams : c->t.nresults;
}

/* A block type at the reader, into *t (empty if it is invalid: the block
 * still opens, so the rest of the body is read as it stands). */
static void read_blocktype(struct val *v, struct vm_blocktype *t)
{
	if (!vm_rd_blocktype(&v->r, v->m, t))
		fail(v, "unknown type");
}

static void memarg(struct val *v, uint32_t natural)
{
	uint32_t align = vm_rd_u32(&v->r);
	vm_rd_u32(&v->r);
	if (!v->m->has_memory)
		fail(v, "unknown memory");
	if (align > natural)
		fail(v, "alignment must not be larger than natural");
}

static void zero_byte(struct val *v)
{
	if (vm_rd_u8(&v->r) != 0)
		vm_rd_fail(&v->r, "zero flag expected");
}

/* Natural alignment log2 of load/store opcodes 0x28..0x3e. */
static const uint8_t mem_align[] = {
	2, 3, 2, 3, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2, /* loads */
	2, 3, 2, 3, 0, 1, 0, 1, 2,		  /* stores */
};
static const uint8_t mem_type[] = {
	VM_I32, VM_I64, VM_F32, VM_F64, VM_I32, VM_I32, VM_I32, VM_I32,
	VM_I64, VM_I64, VM_I64, VM_I64, VM_I64, VM_I64, VM_I32, VM_I64,
	VM_F32, VM_F64, VM_I32, VM_I32, VM_I64, VM_I64, VM_I64,
};

/*
 * Prefix 0xfc: the saturating conversions (0..7) and the bulk memory
 * instructions on memories (8..11). memory.init and data.drop name a data
 * segment, so a module with data segments must have a data count section,
 * or the body could not be checked in one pass before the data section is
 * read: a malformed module, as the spec's binary format says. A module
 * with no data segment at all names an unknown one (invalid): wabt leaves
 * the data count section out when it would be 0, and the 2.0 suite
 * (memory_init.wast) expects "unknown data segment" then. The table
 * instructions (12..17) are validate_ref.c's.
 */
static void prefix_fc(struct val *v)
{
	const struct vm_module *m = v->m;
	struct vm_reader *r = &v->r;
	uint8_t a, b, t;
	uint32_t sub = vm_rd_u32(r), x = 0;

	if (!vm_rd_ok(r))
		return;
	if (!vm_has(m, sub < 8	  ? VM_FEATURE_SAT_FLOAT_INT
		       : sub < 12 ? VM_FEATURE_BULK_MEMORY
				  : VM_FEATURE_REFERENCE_TYPES)) {
		vm_rd_fail(r, "illegal opcode");
		return;
	}
	if (vm_numeric_sig(vm_sat_trunc_op(sub), &a, &b, &t)) {
		pop(v, a);
		push(v, t);
		return;
	}
	switch (sub) {
	case 8:
	case 9:
		x = vm_rd_u32(r);
		if (sub == 8)
			zero_byte(v);
		if (vm_rd_ok(r) && !m->has_datacount && m->ndatas)
			vm_rd_fail(r, "data count section required");
		if (x >= m->ndatas)
			fail(v, "unknown data segment");
		break;
	case 10: zero_byte(v); /* fall through */
	case 11: zero_byte(v); break;
	case 12:
	case 13:
	case 14:
	case 15:
	case 16:
	case 17: vm_validate_table_instr(v, sub); return;
	default: vm_rd_fail(r, "illegal opcode"); return;
	}
	if (sub == 9)
		return;
	if (!m->has_memory)
		fail(v, "unknown memory");
	pop(v, VM_I32);
	pop(v, VM_I32);
	pop(v, VM_I32);
}

/*
 * Prefix 0xfd (SIMD): immediates (simd_info.c), then the operand types.
 */
static void prefix_fd(struct val *v)
{
	struct vm_simd_insn in;
	const char *why;
	vm_simd_read(&v->r, &in);
	if (!vm_rd_ok(&v->r))
		return;
	if ((why = vm_simd_check(v->m, &in)))
		fail(v, why);
	for (int i = 2; i >= 0; i--)
		if (in.in[i])
			pop(v, in.in[i]);
	if (in.out)
		push(v, in.out);
}

/* Check the top n values against types without popping them. */
static void peek_n(struct val *v, uint32_t n, const uint8_t *types)
{
	struct ctl *c = &v->ctls[v->nctls - 1];
	uint32_t have = v->nvals - c->height;
	for (uint32_t j = 0; j < n; j++) {
		if (n - j > have) {
			if (!c->unreachable)
				fail(v, "type mismatch");
			continue;
		}
		uint8_t t = v->vals[v->nvals - n + j];
		if (t != ANY && t != types[j])
			fail(v, "type mismatch");
	}
}

/*
 * br_table. With multi-value (2.0) every label needs the default label's
 * arity and its own types checked against the stack, which may be
 * polymorphic; in 1.0 all labels must carry the same type.
 */
static void br_table(struct val *v)
{
	struct vm_reader *r = &v->r;
	bool multi = vm_has(v->m, VM_FEATURE_MULTI_VALUE);
	uint32_t n = vm_rd_u32(r), ln = UINT32_MAX;
	const uint8_t *lt = NULL;
	if (vm_rd_ok(r) && n > (size_t)(r->end - r->p)) {
		vm_rd_fail(r, "unexpected end");
		return;
	}
	pop(v, VM_I32);
	for (uint64_t i = 0; i <= n && vm_rd_ok(r); i++) {
		const uint8_t *t;
		uint32_t x = vm_rd_u32(r);
		if (x >= v->nctls) {
			fail(v, "unknown label");
			continue;
		}
		uint32_t k = label_n(v, x, &t);
		if (ln != UINT32_MAX &&
		    (k != ln || (!multi && k && memcmp(t, lt, k))))
			fail(v, "type mismatch");
		if (multi)
			peek_n(v, k, t);
		ln = k;
		lt = t;
	}
	if (ln != UINT32_MAX)
		pop_n(v, ln, lt);
	set_unreachable(v);
}

/* Control instructions with a block type or a label. */
static void control(struct val *v, uint8_t op, const struct vm_functype *ft)
{
	struct vm_reader *r = &v->r;
	struct ctl *c = &v->ctls[v->nctls - 1];
	struct vm_blocktype bt;
	const uint8_t *t;
	uint32_t x, k;

	switch (op) {
	case 0x02:
	case 0x03:
	case 0x04:
		read_blocktype(v, &bt);
		if (!vm_rd_ok(r))
			break;
		if (op == 0x04)
			pop(v, VM_I32);
		pop_n(v, bt.nparams, bt.params);
		push_ctl(v, op, &bt);
		break;
	case 0x05:
		if (c->op != 0x04) {
			vm_rd_fail(r, "else without if");
			return;
		}
		check_end(v);
		v->nvals = c->height;
		c->op = 0x05;
		c->unreachable = false;
		push_n(v, c->t.nparams, c->t.params);
		break;
	case 0x0b:
		check_end(v);
		/* an if without else passes its parameters on as results */
		if (c->op == 0x04 &&
		    (c->t.nparams != c->t.nresults ||
		     (c->t.nparams &&
		      memcmp(c->t.params, c->t.results, c->t.nparams))))
			fail(v, "type mismatch");
		v->nvals = c->height;
		v->nctls--;
		if (v->nctls)
			push_n(v, c->t.nresults, c->t.results);
		break;
	case 0x0c:
	case 0x0d:
		x = vm_rd_u32(r);
		if (op == 0x0d)
			pop(v, VM_I32);
		if (x >= v->nctls) {
			fail(v, "unknown label");
			break;
		}
		k = label_n(v, x, &t);
		pop_n(v, k, t);
		if (op == 0x0d)
			push_n(v, k, t);
		else
			set_unreachable(v);
		break;
	case 0x0e: br_table(v); break;
	case 0x0f:
		pop_n(v, ft->nresults, ft->results);
		set_unreachable(v);
		break;
	}
}

static void instr(struct val *v, uint8_t op, const struct vm_code *code,
		  const struct vm_functype *ft)
{
	const struct vm_module *m = v->m;
	struct vm_reader *r = &v->r;
	uint8_t a, b, t;
	uint32_t x;

	switch (op) {
	case 0x00: set_unreachable(v); break;
	case 0x01: break;
	case 0x02:
	case 0x03:
	case 0x04:
	case 0x05:
	case 0x0b:
	case 0x0c:
	case 0x0d:
	case 0x0e:
	case 0x0f: control(v, op, ft); break;
	case 0x10:
	case 0x11: {
		const struct vm_functype *ct;
		x = vm_rd_u32(r);
		if (op == 0x11) {
			/* reference types: a table index, funcref */
			uint32_t ti = 0;
			if (vm_has(m, VM_FEATURE_REFERENCE_TYPES))
				ti = vm_rd_u32(r);
			else
				zero_byte(v);
			if (!vm_rd_ok(r))
				return;
			if (x >= m->ntypes) {
				fail(v, "unknown type");
				break;
			}
			if (ti >= m->ntables)
				fail(v, "unknown table");
			else if (m->tables && m->tables[ti].type != VM_FUNCREF)
				fail(v, "type mismatch");
			ct = &m->types[x];
			pop(v, VM_I32);
		} else {
			if (x >= m->nfuncs) {
				fail(v, "unknown function");
				break;
			}
			ct = &m->types[m->func_type[x]];
		}
		for (uint32_t i = ct->nparams; i-- > 0;)
			pop(v, ct->params[i]);
		for (uint32_t i = 0; i < ct->nresults; i++)
			push(v, ct->results[i]);
		break;
	}
	case 0x1a: pop(v, ANY); break;
	case 0x1b:
		pop(v, VM_I32);
		a = pop(v, ANY);
		b = pop(v, a);
		/* references need the typed select */
		if (vm_is_ref(a) || vm_is_ref(b))
			fail(v, "type mismatch");
		push(v, a == ANY ? b : a);
		break;
	case 0x1c:
	case 0x25:
	case 0x26:
	case 0xd0:
	case 0xd1:
	case 0xd2: vm_validate_ref_instr(v, op); break;
	case 0x20:
	case 0x21:
	case 0x22:
		x = vm_rd_u32(r);
		if (x >= code->nlocals) {
			fail(v, "unknown local");
			break;
		}
		t = code->local_types[x];
		if (op == 0x20) {
			push(v, t);
		} else {
			pop(v, t);
			if (op == 0x22)
				push(v, t);
		}
		break;
	case 0x23:
	case 0x24:
		x = vm_rd_u32(r);
		if (x >= m->nglobals) {
			fail(v, "unknown global");
			break;
		}
		t = m->globals[x].type;
		if (op == 0x23) {
			push(v, t);
		} else {
			if (!m->globals[x].mut)
				fail(v, "global is immutable");
			pop(v, t);
		}
		break;
	case 0x3f:
	case 0x40:
		zero_byte(v);
		if (!m->has_memory)
			fail(v, "unknown memory");
		if (op == 0x40)
			pop(v, VM_I32);
		push(v, VM_I32);
		break;
	case 0x41:
		vm_rd_sleb(r, 32);
		push(v, VM_I32);
		break;
	case 0x42:
		vm_rd_sleb(r, 64);
		push(v, VM_I64);
		break;
	case 0x43:
		vm_rd_fixed32(r);
		push(v, VM_F32);
		break;
	case 0x44:
		vm_rd_fixed64(r);
		push(v, VM_F64);
		break;
	case 0xfc: prefix_fc(v); break;
	case 0xfd:
		if (!vm_has(m, VM_FEATURE_SIMD))
			vm_rd_fail(r, "illegal opcode");
		else
			prefix_fd(v);
		break;
	case 0xfe: {
		struct vm_atomic_sig as;
		if (!vm_has(m, VM_FEATURE_THREADS)) {
			vm_rd_fail(r, "illegal opcode");
			break;
		}
		x = vm_rd_u32(r);
		if (x == 0x03) {
			zero_byte(v);
		} else if (!vm_atomic_sig(x, &as)) {
			vm_rd_fail(r, "illegal opcode");
		} else {
			uint32_t align = vm_rd_u32(r);
			vm_rd_u32(r);
			if (!m->has_memory)
				fail(v, "unknown memory");
			if (align != as.align)
				fail(v, "alignment must be exactly natural");
			if (as.b)
				pop(v, as.b);
			if (as.a)
				pop(v, as.a);
			pop(v, VM_I32);
			if (as.r)
				push(v, as.r);
		}
		break;
	}
	default:
		if (op >= 0x28 && op <= 0x35) {
			memarg(v, mem_align[op - 0x28]);
			pop(v, VM_I32);
			push(v, mem_type[op - 0x28]);
		} else if (op >= 0x36 && op <= 0x3e) {
			memarg(v, mem_align[op - 0x28]);
			pop(v, mem_type[op - 0x28]);
			pop(v, VM_I32);
		} else if (vm_op_known(op, m->features) &&
			   vm_numeric_sig(op, &a, &b, &t)) {
			if (b)
				pop(v, b);
			pop(v, a);
			push(v, t);
		} else {
			vm_rd_fail(r, "illegal opcode");
		}
		break;
	}
}

bool vm_validate_func(const struct vm_module *m, uint32_t idx,
		      struct vm_error *err)
{
	const struct vm_code *code = &m->codes[idx - m->nfunc_imports];
	const struct vm_functype *ft = &m->types[m->func_type[idx]];
	size_t len = (size_t)(code->end - code->body);
	struct val v = {0};
	bool ok = false;

	v.m = m;
	v.err = err;
	v.r.p = code->body;
	v.r.end = code->end;
	v.r.start = m->bytes;
	/* one block per instruction at most; the operand stack grows as push
	 * needs, up to the limit */
	size_t nv = len < VM_MAX_OPERANDS ? len : VM_MAX_OPERANDS;
	size_t nc = len < VM_MAX_BLOCK_DEPTH ? len : VM_MAX_BLOCK_DEPTH;
	v.capvals = (uint32_t)nv + 2;
	v.vals = m->ops.alloc(m->ops.ctx, v.capvals);
	v.ctls = m->ops.alloc(m->ops.ctx, (nc + 2) * sizeof(struct ctl));
	if (!v.vals || !v.ctls) {
		vm_fail(err, VM_ERR_NOMEM, "out of memory", "code section",
			vm_rd_off(&v.r));
		goto out;
	}
	struct vm_blocktype fbt = {0, ft->nresults, NULL, ft->results};
	push_ctl(&v, 0, &fbt);
	while (v.nctls && vm_rd_ok(&v.r)) {
		uint32_t at = vm_rd_off(&v.r);
		uint8_t op = vm_rd_u8(&v.r);
		if (!vm_rd_ok(&v.r))
			break;
		instr(&v, op, code, ft);
		if (v.why && !err->kind) {
			/* keep reading: a later malformed byte takes precedence
			 */
			vm_fail(err, VM_ERR_INVALID, v.why, "code section", at);
		}
		if (v.nvals > VM_MAX_OPERANDS || v.nctls > VM_MAX_BLOCK_DEPTH)
			vm_rd_fail(&v.r, "function too complex");
	}
	if (vm_rd_ok(&v.r) && v.nctls)
		vm_rd_fail(&v.r, "unexpected end of section or function");
	if (vm_rd_ok(&v.r) && v.r.p != v.r.end)
		vm_rd_fail(&v.r, "section size mismatch");
	if (!vm_rd_ok(&v.r)) {
		vm_fail(err, v.oom ? VM_ERR_NOMEM : VM_ERR_MALFORMED, v.r.err,
			"code section", vm_rd_off(&v.r));
		goto out;
	}
	ok = !v.why;
	/* the compiler's operand stack: never higher than here */
	m->codes[idx - m->nfunc_imports].max_height = v.maxvals;
	for (uint32_t i = 0; i < code->nlocals; i++)
		v.wide |= code->local_types[i] == VM_V128;
	m->codes[idx - m->nfunc_imports].wide = v.wide;
out:
	m->ops.free(m->ops.ctx, v.vals);
	m->ops.free(m->ops.ctx, v.ctls);
	return ok;
}

static bool limits_ok(const struct vm_limits *l, uint64_t cap)
{
	return l->min <= cap && (!l->shared || l->has_max) &&
	       (!l->has_max || (l->max <= cap && l->min <= l->max));
}

static const char *limits_why(const struct vm_limits *l, bool mem)
{
	if (mem && (l->min > 65536 || (l->has_max && l->max > 65536)))
		return "memory size must be at most 65536 pages (4GiB)";
	if (l->shared && !l->has_max)
		return "shared memory must have maximum";
	return "size minimum must not be greater than maximum";
}

/* A constant expression of type `want`; returns the reason it is not. */
static const char *init_ok(const struct vm_module *m,
			   const struct vm_init_expr *e, uint8_t want)
{
	const char *why = NULL;
	uint8_t t = vm_init_type(m, e, &why);
	return why ? why : t == want ? NULL : "type mismatch";
}

bool vm_validate_module(const struct vm_module *m, struct vm_error *err)
{
	const char *why;
	if (!vm_simd_types_ok(m, err))
		return false;
	for (uint32_t i = 0; i < m->ntypes; i++)
		if (m->types[i].nresults > 1 &&
		    !vm_has(m, VM_FEATURE_MULTI_VALUE))
			return vm_fail(err, VM_ERR_INVALID,
				       "invalid result arity", "type section",
				       i);
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct vm_import_def *im = &m->imports[i];
		if (im->kind == VM_EXTERN_FUNC && im->type >= m->ntypes)
			return vm_fail(err, VM_ERR_INVALID, "unknown type",
				       "import section", i);
		if (im->kind == VM_EXTERN_MEMORY && !limits_ok(&im->lim, 65536))
			return vm_fail(err, VM_ERR_INVALID,
				       limits_why(&im->lim, true),
				       "import section", i);
		if (im->kind == VM_EXTERN_TABLE &&
		    !limits_ok(&im->lim, UINT32_MAX))
			return vm_fail(err, VM_ERR_INVALID,
				       limits_why(&im->lim, false),
				       "import section", i);
	}
	if (m->ntables > 1 && !vm_has(m, VM_FEATURE_REFERENCE_TYPES))
		return vm_fail(err, VM_ERR_INVALID, "multiple tables",
			       "table section", 0);
	if (m->nmems > 1)
		return vm_fail(err, VM_ERR_INVALID, "multiple memories",
			       "memory section", 0);
	if (m->has_table && !limits_ok(&m->table_lim, UINT32_MAX))
		return vm_fail(err, VM_ERR_INVALID,
			       limits_why(&m->table_lim, false),
			       "table section", 0);
	if (m->has_memory && !limits_ok(&m->mem_lim, 65536))
		return vm_fail(err, VM_ERR_INVALID,
			       limits_why(&m->mem_lim, true), "memory section",
			       0);
	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
		if (m->func_type[i] >= m->ntypes)
			return vm_fail(err, VM_ERR_INVALID, "unknown type",
				       "function section", i);
	for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
		const struct vm_global_def *g = &m->globals[i];
		if ((why = init_ok(m, &g->init, g->type)))
			return vm_fail(err, VM_ERR_INVALID, why,
				       "global section", g->init.offset);
	}
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct vm_export_def *e = &m->exports[i];
		uint32_t lim = e->kind == VM_EXTERN_FUNC     ? m->nfuncs
			       : e->kind == VM_EXTERN_TABLE  ? m->ntables
			       : e->kind == VM_EXTERN_MEMORY ? m->nmems
							     : m->nglobals;
		static const char *const unk[] = {
			"unknown function", "unknown table", "unknown memory",
			"unknown global"};
		if (e->index >= lim)
			return vm_fail(err, VM_ERR_INVALID, unk[e->kind],
				       "export section", i);
		for (uint32_t k = 0; k < i; k++)
			if (m->exports[k].name_len == e->name_len &&
			    !memcmp(m->exports[k].name, e->name, e->name_len))
				return vm_fail(err, VM_ERR_INVALID,
					       "duplicate export name",
					       "export section", i);
	}
	if (m->has_start) {
		if (m->start >= m->nfuncs)
			return vm_fail(err, VM_ERR_INVALID, "unknown function",
				       "start section", m->start);
		const struct vm_functype *t = &m->types[m->func_type[m->start]];
		if (t->nparams || t->nresults)
			return vm_fail(err, VM_ERR_INVALID, "start function",
				       "start section", m->start);
	}
	if (!vm_validate_refs(m, err))
		return false;
	for (uint32_t i = 0; i < m->ndatas; i++) {
		const struct vm_data_def *d = &m->datas[i];
		if (d->passive)
			continue;
		if (!m->has_memory)
			return vm_fail(err, VM_ERR_INVALID, "unknown memory",
				       "data section", i);
		if ((why = init_ok(m, &d->offset, VM_I32)))
			return vm_fail(err, VM_ERR_INVALID, why, "data section",
				       d->offset.offset);
	}
	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
		if (!vm_validate_func(m, i, err))
			return false;
	return true;
}

/* For validate_ref.c (validate.h). */
void vmv_push(struct val *v, uint8_t t)
{
	push(v, t);
}
uint8_t vmv_pop(struct val *v, uint8_t want)
{
	return pop(v, want);
}
bool vmv_fail(struct val *v, const char *why)
{
	return fail(v, why);
}
