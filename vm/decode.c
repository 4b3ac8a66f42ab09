/*
 * vm/decode.c: the binary format, section by section.
 *
 * Decoding only checks that the bytes are well formed (malformed errors);
 * index and type rules are left to validate.c, which runs after the whole
 * module has decoded, so a module that is both malformed and invalid is
 * reported as malformed, as the spec's decode-then-validate order requires.
 * Function bodies are kept as byte ranges and read by the validator.
 */
#include "internal.h"

static const char *const section_names[] = {
	"custom section",     "type section",	"import section",
	"function section",   "table section",	"memory section",
	"global section",     "export section", "start section",
	"element section",    "code section",	"data section",
	"data count section",
};

/*
 * Where section `id` (<= 12) may stand: in id order, except that the data
 * count section (12, bulk memory) comes between the element (9) and code
 * (10) sections.
 */
static uint32_t section_rank(uint8_t id)
{
	return id == 12 ? 10 : id >= 10 ? id + 1u : id;
}

struct dec {
	struct vm_module *m;
	struct vm_error *err;
	const char *where;
	bool have_funcs;
};

static bool bad(struct dec *d, struct vm_reader *r)
{
	return vm_fail(d->err, VM_ERR_MALFORMED, r->err, d->where,
		       vm_rd_off(r));
}

/* Well-formed UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. */
static bool utf8_ok(const uint8_t *s, uint32_t n)
{
	uint32_t i = 0;
	while (i < n) {
		uint8_t c = s[i];
		uint32_t len, cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		for (uint32_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
			return false;
		i += len;
	}
	return true;
}

/* A name: NUL-terminated copy in the arena; *len gets its byte length. */
static const char *read_name(struct dec *d, struct vm_reader *r, uint32_t *len)
{
	uint32_t n = vm_rd_u32(r);
	if (!vm_rd_ok(r))
		return NULL;
	if ((size_t)(r->end - r->p) < n) {
		vm_rd_fail(r, "unexpected end");
		return NULL;
	}
	if (!utf8_ok(r->p, n)) {
		vm_rd_fail(r, "malformed UTF-8 encoding");
		return NULL;
	}
	char *s = vm_arena_alloc(&d->m->arena, (size_t)n + 1);
	if (!s) {
		vm_rd_fail(r, "out of memory");
		return NULL;
	}
	memcpy(s, r->p, n);
	r->p += n;
	if (len)
		*len = n;
	return s;
}

static uint8_t read_valtype(struct dec *d, struct vm_reader *r)
{
	uint8_t t = vm_rd_u8(r);
	/* v128 without VM_FEATURE_SIMD: vm_simd_types_ok refuses it */
	if (vm_rd_ok(r) && (t < VM_F64 || t > VM_I32) && t != VM_V128 &&
	    !(vm_is_ref(t) && vm_has(d->m, VM_FEATURE_REFERENCE_TYPES)))
		vm_rd_fail(r, "malformed value type");
	return t;
}

/* funcref, or (reference types) externref. */
static uint8_t read_reftype(struct dec *d, struct vm_reader *r)
{
	uint8_t t = vm_rd_u8(r);
	if (vm_rd_ok(r) && t != VM_FUNCREF &&
	    !(t == VM_EXTERNREF && vm_has(d->m, VM_FEATURE_REFERENCE_TYPES)))
		vm_rd_fail(r, "malformed reference type");
	return t;
}

/* A vector count, bounded by the bytes left (each entry takes >= 1 byte). */
static uint32_t read_count(struct vm_reader *r, uint32_t limit)
{
	uint32_t n = vm_rd_u32(r);
	if (vm_rd_ok(r) && (n > (size_t)(r->end - r->p) || n > limit))
		vm_rd_fail(r,
			   n > limit ? "too many entries" : "unexpected end");
	return vm_rd_ok(r) ? n : 0;
}

static void *arr(struct dec *d, struct vm_reader *r, uint32_t n, size_t size)
{
	void *p = vm_arena_alloc(&d->m->arena, (size_t)n * size);
	if (!p)
		vm_rd_fail(r, "out of memory");
	return p;
}

/*
 * Limits: flag 0 (min), 1 (min, max); memories also take the threads
 * proposal's 2 (shared, min: invalid, the validator says why) and 3
 * (shared, min, max) when that feature is on.
 */
static void read_limits(struct dec *d, struct vm_reader *r, struct vm_limits *l,
			bool mem)
{
	uint8_t flag = vm_rd_u8(r);
	bool shared = mem && vm_has(d->m, VM_FEATURE_THREADS);
	if (vm_rd_ok(r) && flag > (shared ? 3 : 1)) {
		vm_rd_fail(r, "integer too large");
		return;
	}
	l->min = vm_rd_u32(r);
	l->has_max = flag & 1;
	l->shared = flag & 2;
	if (l->has_max)
		l->max = vm_rd_u32(r);
}

static uint8_t read_tabletype(struct dec *d, struct vm_reader *r,
			      struct vm_limits *l)
{
	uint8_t t = read_reftype(d, r);
	read_limits(d, r, l, false);
	return t;
}

static bool read_mut(struct vm_reader *r)
{
	uint8_t b = vm_rd_u8(r);
	if (vm_rd_ok(r) && b > 1)
		vm_rd_fail(r, "malformed mutability");
	return b == 1;
}

/*
 * A constant expression. Any well-formed instruction sequence decodes; one
 * that is not a single const or global.get is recorded as invalid for the
 * validator to report.
 */
static void read_init(struct dec *d, struct vm_reader *r,
		      struct vm_init_expr *e)
{
	uint32_t n = 0, depth = 0;
	e->offset = vm_rd_off(r);
	for (;;) {
		uint8_t op = vm_rd_u8(r);
		if (!vm_rd_ok(r))
			return;
		if (op == 0x0b && !depth)
			break;
		if (!vm_op_known(op, d->m->features)) {
			vm_rd_fail(r, "illegal opcode");
			return;
		}
		n++;
		if (n == 1 && (op == 0x23 || (op >= 0x41 && op <= 0x44) ||
			       op == 0xd0 || op == 0xd2)) {
			e->op = op;
			switch (op) {
			case 0x41: e->val = (uint32_t)vm_rd_sleb(r, 32); break;
			case 0x42: e->val = (uint64_t)vm_rd_sleb(r, 64); break;
			case 0x43: e->val = vm_rd_fixed32(r); break;
			case 0x44: e->val = vm_rd_fixed64(r); break;
			case 0xd0: e->val = read_reftype(d, r); break;
			default: e->val = vm_rd_u32(r); break;
			}
			continue;
		}
		struct vm_reader sub = *r;
		if (n == 1 && op == 0xfd && vm_rd_u32(&sub) == 0x0c &&
		    vm_rd_ok(&sub)) {
			/* v128.const: 16 bytes, low half first */
			*r = sub;
			e->op = op;
			e->val = vm_rd_fixed64(r);
			e->hi = vm_rd_fixed64(r);
			continue;
		}
		e->op = 0;
		e->invalid = "constant expression required";
		/* nested blocks: their ends are not the expression's */
		if (op == 0x02 || op == 0x03 || op == 0x04)
			depth++;
		else if (op == 0x0b)
			depth--;
		vm_skip_imm(r, op);
	}
	if (n == 0) {
		e->op = 0;
		e->invalid = "type mismatch";
	}
}

static void sec_type(struct dec *d, struct vm_reader *r)
{
	struct vm_module *m = d->m;
	m->ntypes = read_count(r, VM_MAX_TYPES);
	m->types = arr(d, r, m->ntypes, sizeof(*m->types));
	m->canon = arr(d, r, m->ntypes, sizeof(*m->canon));
	for (uint32_t i = 0; i < m->ntypes && vm_rd_ok(r); i++) {
		struct vm_functype *t = &m->types[i];
		if (vm_rd_u8(r) != 0x60 && vm_rd_ok(r)) {
			vm_rd_fail(r, "integer representation too long");
			return;
		}
		t->nparams = read_count(r, VM_MAX_PARAMS);
		uint8_t *p = arr(d, r, t->nparams, 1);
		for (uint32_t k = 0; k < t->nparams && vm_rd_ok(r); k++)
			p[k] = read_valtype(d, r);
		t->params = p;
		t->nresults = read_count(r, VM_MAX_PARAMS);
		p = arr(d, r, t->nresults, 1);
		for (uint32_t k = 0; k < t->nresults && vm_rd_ok(r); k++)
			p[k] = read_valtype(d, r);
		t->results = p;
		m->canon[i] = t;
		for (uint32_t k = 0; k < i; k++)
			if (vm_functype_eq(&m->types[k], t)) {
				m->canon[i] = &m->types[k];
				break;
			}
	}
}

static void sec_import(struct dec *d, struct vm_reader *r)
{
	struct vm_module *m = d->m;
	m->nimports = read_count(r, VM_MAX_IMPORTS);
	m->imports = arr(d, r, m->nimports, sizeof(*m->imports));
	for (uint32_t i = 0; i < m->nimports && vm_rd_ok(r); i++) {
		struct vm_import_def *im = &m->imports[i];
		im->module = read_name(d, r, NULL);
		im->field = read_name(d, r, NULL);
		im->kind = vm_rd_u8(r);
		if (!vm_rd_ok(r))
			return;
		switch (im->kind) {
		case VM_EXTERN_FUNC:
			im->type = vm_rd_u32(r);
			m->nfunc_imports++;
			break;
		case VM_EXTERN_TABLE:
			im->gtype = read_tabletype(d, r, &im->lim);
			m->ntable_imports++;
			break;
		case VM_EXTERN_MEMORY: read_limits(d, r, &im->lim, true); break;
		case VM_EXTERN_GLOBAL:
			im->gtype = read_valtype(d, r);
			im->gmut = read_mut(r);
			m->nglobal_imports++;
			break;
		default: vm_rd_fail(r, "malformed import kind"); return;
		}
	}
}

static void sec_function(struct dec *d, struct vm_reader *r)
{
	struct vm_module *m = d->m;
	uint32_t n = read_count(r, VM_MAX_FUNCS);
	uint32_t *types = arr(d, r, m->nfunc_imports + n, sizeof(uint32_t));
	m->codes = arr(d, r, n, sizeof(*m->codes));
	if (!vm_rd_ok(r))
		return;
	if (m->nfunc_imports)
		memcpy(types, m->func_type,
		       m->nfunc_imports * sizeof(uint32_t));
	m->func_type = types;
	m->nfuncs = m->nfunc_imports + n;
	for (uint32_t i = 0; i < n && vm_rd_ok(r); i++)
		m->func_type[m->nfunc_imports + i] = vm_rd_u32(r);
}

static void sec_table(struct dec *d, struct vm_reader *r)
{
	struct vm_module *m = d->m;
	uint32_t n = read_count(r, VM_MAX_TABLES);
	struct vm_table_def *t =
		arr(d, r, m->ntable_imports + n, sizeof(*m->tables));
	if (!vm_rd_ok(r))
		return;
	if (m->ntable_imports)
		memcpy(t, m->tables, m->ntable_imports * sizeof(*t));
	m->tables = t;
	for (uint32_t i = 0; i < n && vm_rd_ok(r); i++) {
		struct vm_table_def *td = &t[m->ntables];
		td->type = read_tabletype(d, r, &td->lim);
		if (!m->ntables++)
			m->table_lim = td->lim;
	}
	m->has_table = m->ntables > 0;
}

static void sec_memory(struct dec *d, struct vm_reader *r)
{
	struct vm_module *m = d->m;
	uint32_t n = read_count(r, 1000);
	for (uint32_t i = 0; i < n && vm_rd_ok(r); i++) {
		struct vm_limits l;
		read_limits(d, r, &l, true);
		if (!m->nmems++)
			m->mem_lim = l;
	}
	m->has_memory = m->nmems > 0;
}

static void sec_global(struct dec *d, struct vm_reader *r)
{
	struct vm_module *m = d->m;
	uint32_t n = read_count(r, VM_MAX_GLOBALS);
	struct vm_global_def *g0 =
		arr(d, r, m->nglobal_imports + n, sizeof(*m->globals));
	if (!vm_rd_ok(r))
		return;
	if (m->nglobal_imports)
		memcpy(g0, m->globals, m->nglobal_imports * sizeof(*g0));
	m->globals = g0;
	m->nglobals = m->nglobal_imports + n;
	for (uint32_t i = 0; i < n && vm_rd_ok(r); i++) {
		struct vm_global_def *g = &m->globals[m->nglobal_imports + i];
		g->type = read_valtype(d, r);
		g->mut = read_mut(r);
		read_init(d, r, &g->init);
	}
}

static void sec_export(struct dec *d, struct vm_reader *r)
{
	struct vm_module *m = d->m;
	m->nexports = read_count(r, VM_MAX_EXPORTS);
	m->exports = arr(d, r, m->nexports, sizeof(*m->exports));
	for (uint32_t i = 0; i < m->nexports && vm_rd_ok(r); i++) {
		struct vm_export_def *e = &m->exports[i];
		e->name = read_name(d, r, &e->name_len);
		e->kind = vm_rd_u8(r);
		if (vm_rd_ok(r) && e->kind > 3)
			vm_rd_fail(r, "malformed export kind");
		e->index = vm_rd_u32(r);
	}
}

/*
 * 1.0's element segment: table index (which must be 0), offset, function
 * indices.
 */
static void elem_1_0(struct dec *d, struct vm_reader *r, struct vm_elem_def *e)
{
	if (vm_rd_u32(r) != 0 && vm_rd_ok(r))
		e->offset.invalid = "unknown table";
	const char *inv = e->offset.invalid;
	read_init(d, r, &e->offset);
	if (inv)
		e->offset.invalid = inv;
	e->type = VM_FUNCREF;
	e->n = read_count(r, VM_MAX_TABLE_ELEMS);
	e->funcs = arr(d, r, e->n, sizeof(uint32_t));
	for (uint32_t k = 0; k < e->n && vm_rd_ok(r); k++)
		e->funcs[k] = vm_rd_u32(r);
}

/*
 * 2.0's eight forms, by the flag's bits: 1 passive or declarative (2 set:
 * declarative), else active, with 2 set an explicit table index and an
 * element kind or type; 4: the items are constant expressions, else
 * function indices (element kind 0x00: funcref).
 */
static void elem_2_0(struct dec *d, struct vm_reader *r, struct vm_elem_def *e)
{
	uint32_t flag = vm_rd_u32(r);
	if (vm_rd_ok(r) && flag > 7) {
		vm_rd_fail(r, "malformed elements segment kind");
		return;
	}
	e->mode = !(flag & 1) ? VM_ELEM_ACTIVE
		  : flag & 2  ? VM_ELEM_DECLARATIVE
			      : VM_ELEM_PASSIVE;
	if ((flag & 3) == 2)
		e->table = vm_rd_u32(r);
	if (!(flag & 1))
		read_init(d, r, &e->offset);
	e->type = VM_FUNCREF;
	if (flag & 3) {
		if (flag & 4) {
			e->type = read_reftype(d, r);
		} else if (vm_rd_u8(r) != 0 && vm_rd_ok(r)) {
			vm_rd_fail(r, "malformed elements segment kind");
			return;
		}
	}
	e->n = read_count(r, VM_MAX_TABLE_ELEMS);
	if (!(flag & 4)) {
		e->funcs = arr(d, r, e->n, sizeof(uint32_t));
		for (uint32_t k = 0; k < e->n && vm_rd_ok(r); k++)
			e->funcs[k] = vm_rd_u32(r);
		return;
	}
	e->exprs = arr(d, r, e->n, sizeof(*e->exprs));
	for (uint32_t k = 0; k < e->n && vm_rd_ok(r); k++)
		read_init(d, r, &e->exprs[k]);
}

static void sec_element(struct dec *d, struct vm_reader *r)
{
	struct vm_module *m = d->m;
	bool v2 =
		vm_has(m, VM_FEATURE_REFERENCE_TYPES | VM_FEATURE_BULK_MEMORY);
	m->nelems = read_count(r, VM_MAX_SEGMENTS);
	m->elems = arr(d, r, m->nelems, sizeof(*m->elems));
	for (uint32_t i = 0; i < m->nelems && vm_rd_ok(r); i++) {
		if (v2)
			elem_2_0(d, r, &m->elems[i]);
		else
			elem_1_0(d, r, &m->elems[i]);
	}
}

static void sec_code(struct dec *d, struct vm_reader *r)
{
	struct vm_module *m = d->m;
	uint32_t n = read_count(r, VM_MAX_FUNCS);
	if (vm_rd_ok(r) && n != m->nfuncs - m->nfunc_imports) {
		vm_rd_fail(
			r,
			"function and code section have inconsistent lengths");
		return;
	}
	for (uint32_t i = 0; i < n && vm_rd_ok(r); i++) {
		struct vm_code *c = &m->codes[i];
		struct vm_reader b;
		uint32_t size = vm_rd_u32(r);
		if (!vm_rd_ok(r) || !vm_rd_sub(r, size, &b))
			return;
		const struct vm_functype *t = NULL;
		uint32_t ti = m->func_type[m->nfunc_imports + i];
		uint64_t total = 0;
		if (ti < m->ntypes) {
			t = &m->types[ti];
			total = t->nparams;
		}
		uint32_t ngroups = read_count(&b, VM_MAX_LOCALS);
		const uint8_t *groups = b.p;
		for (uint32_t g = 0; g < ngroups && vm_rd_ok(&b); g++) {
			total += vm_rd_u32(&b);
			read_valtype(d, &b);
			if (total > UINT32_MAX) {
				vm_rd_fail(&b, "too many locals");
				break;
			}
		}
		if (vm_rd_ok(&b) && total > VM_MAX_LOCALS)
			vm_rd_fail(&b, "too many locals");
		if (!vm_rd_ok(&b)) {
			vm_rd_fail(r, b.err);
			return;
		}
		c->body = b.p;
		c->end = b.end;
		c->nlocals = (uint32_t)total;
		c->local_types = arr(d, r, c->nlocals, 1);
		if (!c->local_types)
			return;
		uint32_t k = 0;
		if (t)
			for (; k < t->nparams; k++)
				c->local_types[k] = t->params[k];
		/* second pass over the (already checked) local groups */
		struct vm_reader lr = {groups, b.end, r->start, NULL};
		for (uint32_t g = 0; g < ngroups; g++) {
			uint32_t cnt = vm_rd_u32(&lr);
			uint8_t ty = vm_rd_u8(&lr);
			while (cnt--)
				c->local_types[k++] = ty;
		}
	}
}

/*
 * Data segments. Flag 0: active in memory 0; 1 (bulk memory): passive, no
 * offset, written only by memory.init; 2: active with an explicit memory
 * index, which must be 0 (a validation rule: the validator reports the
 * offset's `invalid`). Without bulk memory (1.0) the first number is a
 * memory index, which must be 0.
 */
static void sec_data(struct dec *d, struct vm_reader *r)
{
	struct vm_module *m = d->m;
	m->ndatas = read_count(r, VM_MAX_SEGMENTS);
	m->datas = arr(d, r, m->ndatas, sizeof(*m->datas));
	for (uint32_t i = 0; i < m->ndatas && vm_rd_ok(r); i++) {
		struct vm_data_def *s = &m->datas[i];
		uint32_t flag = vm_rd_u32(r);
		if (!vm_has(m, VM_FEATURE_BULK_MEMORY)) {
			/* 1.0: a memory index, which must be 0 */
			if (flag != 0 && vm_rd_ok(r))
				s->offset.invalid = "unknown memory";
			flag = 0;
		} else if (vm_rd_ok(r) && flag > 2) {
			vm_rd_fail(r, "malformed data segment kind");
			return;
		}
		s->passive = flag == 1;
		if (flag == 2 && vm_rd_u32(r) != 0 && vm_rd_ok(r))
			s->offset.invalid = "unknown memory";
		if (!s->passive) {
			const char *inv = s->offset.invalid;
			read_init(d, r, &s->offset);
			if (inv)
				s->offset.invalid = inv;
		}
		s->len = vm_rd_u32(r);
		if (vm_rd_ok(r) && (size_t)(r->end - r->p) < s->len) {
			vm_rd_fail(r, "unexpected end of section or function");
			return;
		}
		s->bytes = r->p;
		r->p += s->len;
	}
}

bool vm_decode(struct vm_module *m, struct vm_error *err)
{
	struct dec d = {m, err, NULL, false};
	struct vm_reader r = {m->bytes, m->bytes + m->len, m->bytes, NULL};
	static const uint8_t magic[4] = {0, 'a', 's', 'm'};
	uint32_t last = 0;

	if (m->len < 4 || memcmp(m->bytes, magic, 4))
		return vm_fail(err, VM_ERR_MALFORMED,
			       "magic header not detected", NULL, 0);
	r.p += 4;
	if (m->len < 8)
		return vm_fail(err, VM_ERR_MALFORMED, "unexpected end", NULL,
			       4);
	if (vm_rd_fixed32(&r) != 1)
		return vm_fail(err, VM_ERR_MALFORMED, "unknown binary version",
			       NULL, 4);
	while (r.p < r.end) {
		uint32_t at = vm_rd_off(&r);
		uint8_t id = vm_rd_u8(&r);
		uint32_t size = vm_rd_u32(&r);
		struct vm_reader s;
		d.where = id <= 12 ? section_names[id] : "section header";
		if (!vm_rd_ok(&r))
			return bad(&d, &r);
		if (id > 12 || (id == 12 && !vm_has(m, VM_FEATURE_BULK_MEMORY)))
			return vm_fail(err, VM_ERR_MALFORMED,
				       "malformed section id", NULL, at);
		if (id && section_rank(id) <= last)
			return vm_fail(err, VM_ERR_MALFORMED,
				       "unexpected content after last section",
				       d.where, at);
		if (!vm_rd_sub(&r, size, &s))
			return vm_fail(err, VM_ERR_MALFORMED,
				       "unexpected end of section or function",
				       d.where, at);
		if (id)
			last = section_rank(id);
		switch (id) {
		case 0:
			read_name(&d, &s, NULL);
			s.p = s.end;
			break;
		case 1: sec_type(&d, &s); break;
		case 2: sec_import(&d, &s); break;
		case 3: sec_function(&d, &s); break;
		case 4: sec_table(&d, &s); break;
		case 5: sec_memory(&d, &s); break;
		case 6: sec_global(&d, &s); break;
		case 7: sec_export(&d, &s); break;
		case 8:
			m->has_start = true;
			m->start = vm_rd_u32(&s);
			break;
		case 9: sec_element(&d, &s); break;
		case 10: sec_code(&d, &s); break;
		case 11: sec_data(&d, &s); break;
		case 12:
			m->has_datacount = true;
			m->datacount = vm_rd_u32(&s);
			break;
		}
		if (vm_rd_ok(&s) && s.p != s.end)
			vm_rd_fail(&s, "section size mismatch");
		if (!vm_rd_ok(&s))
			return bad(&d, &s);
		if (id == 2) {
			/* imports alone still fix the function/global index
			 * spaces */
			m->nfuncs = m->nfunc_imports;
			m->func_type = vm_arena_alloc(&m->arena,
						      (size_t)m->nfuncs * 4);
			for (uint32_t i = 0, k = 0; i < m->nimports; i++)
				if (m->imports[i].kind == VM_EXTERN_FUNC)
					m->func_type[k++] = m->imports[i].type;
			m->nglobals = m->nglobal_imports;
			m->globals = vm_arena_alloc(
				&m->arena,
				(size_t)m->nglobals * sizeof(*m->globals));
			for (uint32_t i = 0, k = 0; i < m->nimports; i++)
				if (m->imports[i].kind == VM_EXTERN_GLOBAL) {
					m->globals[k].type =
						m->imports[i].gtype;
					m->globals[k].mut = m->imports[i].gmut;
					k++;
				}
			m->tables = vm_arena_alloc(&m->arena,
						   (size_t)m->ntable_imports *
							   sizeof(*m->tables));
			for (uint32_t i = 0; i < m->nimports; i++) {
				struct vm_import_def *im = &m->imports[i];
				if (im->kind == VM_EXTERN_TABLE && m->tables) {
					m->tables[m->ntables].lim = im->lim;
					m->tables[m->ntables].type = im->gtype;
				}
				if (im->kind == VM_EXTERN_TABLE &&
				    !m->ntables++) {
					m->table_lim = im->lim;
					m->has_table = m->table_imported = true;
				}
				if (im->kind == VM_EXTERN_MEMORY &&
				    !m->nmems++) {
					m->mem_lim = im->lim;
					m->has_memory = m->memory_imported =
						true;
				}
			}
			if (!m->func_type || !m->globals ||
			    (m->ntable_imports && !m->tables))
				return vm_fail(err, VM_ERR_NOMEM,
					       "out of memory", d.where, at);
		}
	}
	if (m->nfuncs > m->nfunc_imports && !m->codes[0].body)
		return vm_fail(
			err, VM_ERR_MALFORMED,
			"function and code section have inconsistent lengths",
			NULL, (uint32_t)m->len);
	if (m->has_datacount && m->datacount != m->ndatas)
		return vm_fail(
			err, VM_ERR_MALFORMED,
			"data count and data section have inconsistent lengths",
			NULL, (uint32_t)m->len);
	if (!vm_declare_refs(m))
		return vm_fail(err, VM_ERR_NOMEM, "out of memory", NULL, 0);
	return true;
}
