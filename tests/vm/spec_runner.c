/*
 * tests/vm/spec_runner.c: run spec-test commands against the VM (see
 * spec_runner.h). No libc formatting here: the kernel has none to lend, so
 * messages are put together by hand.
 */
#include "spec_runner.h"

#include <string.h>

#define MAX_NAMED 256
#define MAX_KEPT  4096

struct named {
	const char *name;
	struct vm_instance *inst;
};

struct spec_runner {
	const struct vm_host_ops *ops;
	struct vm_thread *th;
	spec_report_fn report;
	void *ctx;
	bool verbose;
	uint32_t features; /* modules load with these (VM_FEATURE_*) */
	struct vm_instance *cur;
	struct named names[MAX_NAMED]; /* $name -> instance */
	int nnames;
	struct named regs[MAX_NAMED]; /* register "as" -> instance */
	int nregs;
	/* everything to free at the end of the file */
	struct vm_module *mods[MAX_KEPT];
	int nmods;
	struct vm_instance *insts[MAX_KEPT];
	int ninsts;
	struct spec_counts n;
	/* the spectest host module */
	struct vm_memory *st_mem, *st_shmem;
	struct vm_table *st_table;
	struct vm_global *st_g[4];
	struct vm_func *st_f[7];
};

/* ---- messages ---- */

struct msg {
	char s[320];
	size_t n;
};

static void put(struct msg *m, const char *s)
{
	while (s && *s && m->n + 1 < sizeof(m->s))
		m->s[m->n++] = *s++;
	m->s[m->n] = 0;
}

static void put_hex(struct msg *m, uint64_t v)
{
	char t[19] = "0x";
	int digits = 1;
	while (digits < 16 && v >> (4 * digits))
		digits++;
	for (int i = 0; i < digits; i++)
		t[2 + i] =
			"0123456789abcdef"[(v >> (4 * (digits - 1 - i))) & 15];
	t[2 + digits] = 0;
	put(m, t);
}

static void fail(struct spec_runner *r, int line, struct msg *m)
{
	r->n.failed++;
	r->report(r->ctx, line, true, m->s);
}

static void fail2(struct spec_runner *r, int line, const char *a, const char *b)
{
	struct msg m = {.n = 0};
	put(&m, a);
	put(&m, b);
	fail(r, line, &m);
}

/* ---- the spectest host module ---- */

static const uint8_t t_i32[] = {VM_I32}, t_i64[] = {VM_I64}, t_f32[] = {VM_F32},
		     t_f64[] = {VM_F64}, t_i32f32[] = {VM_I32, VM_F32},
		     t_f64f64[] = {VM_F64, VM_F64};
static const struct vm_functype st_types[7] = {
	{0, 0, NULL, NULL},	{1, 0, t_i32, NULL}, {1, 0, t_i64, NULL},
	{1, 0, t_f32, NULL},	{1, 0, t_f64, NULL}, {2, 0, t_i32f32, NULL},
	{2, 0, t_f64f64, NULL},
};
static const char *const st_names[7] = {
	"print",     "print_i32",     "print_i64",     "print_f32",
	"print_f64", "print_i32_f32", "print_f64_f64",
};
static const char *const st_global_names[4] = {"global_i32", "global_i64",
					       "global_f32", "global_f64"};

static int st_print(struct vm_hostcall *c, vm_value *args)
{
	(void)c;
	(void)args;
	return 0;
}

static void spectest_free(struct spec_runner *r)
{
	const struct vm_host_ops *ops = r->ops;
	vm_memory_free(ops, r->st_mem);
	vm_memory_free(ops, r->st_shmem);
	vm_table_free(ops, r->st_table);
	for (int i = 0; i < 4; i++)
		vm_global_free(ops, r->st_g[i]);
	for (int i = 0; i < 7; i++)
		vm_func_free_host(ops, r->st_f[i]);
	r->st_mem = r->st_shmem = NULL;
	r->st_table = NULL;
	memset(r->st_g, 0, sizeof(r->st_g));
	memset(r->st_f, 0, sizeof(r->st_f));
}

/* The globals are 666 and 666.6 (as bits: the kernel's own code does not
 * touch the FPU). */
static bool spectest_init(struct spec_runner *r)
{
	const struct vm_host_ops *ops = r->ops;
	static const uint8_t gt[4] = {VM_I32, VM_I64, VM_F32, VM_F64};
	static const uint64_t gv[4] = {666, 666, 0x4426a666,
				       0x4084d4cccccccccdull};
	bool ok;

	spectest_free(r);
	r->st_mem = vm_memory_new(ops, 1, 2, true);
	r->st_shmem = vm_memory_new_shared(ops, 1, 2); /* threads */
	r->st_table = vm_table_new(ops, 10, 20, true);
	ok = r->st_mem && r->st_shmem && r->st_table;
	for (int i = 0; i < 4; i++) {
		vm_value v = {.u64 = gv[i]};
		r->st_g[i] = vm_global_new(ops, gt[i], false, v);
		ok = ok && r->st_g[i];
	}
	for (int i = 0; i < 7; i++) {
		r->st_f[i] =
			vm_func_new_host(ops, &st_types[i], st_print, NULL);
		ok = ok && r->st_f[i];
	}
	return ok;
}

static bool resolve(void *ctx, const char *module, const char *field,
		    enum vm_extern_kind kind, const struct vm_functype *type,
		    struct vm_extern *out)
{
	struct spec_runner *r = ctx;
	(void)kind;
	(void)type;
	if (strcmp(module, "spectest")) {
		for (int i = r->nregs - 1; i >= 0; i--)
			if (!strcmp(r->regs[i].name, module))
				return vm_instance_export(r->regs[i].inst,
							  field, out);
		return false;
	}
	for (int i = 0; i < 7; i++)
		if (!strcmp(field, st_names[i])) {
			out->kind = VM_EXTERN_FUNC;
			out->u.func = r->st_f[i];
			return true;
		}
	for (int i = 0; i < 4; i++)
		if (!strcmp(field, st_global_names[i])) {
			out->kind = VM_EXTERN_GLOBAL;
			out->u.global = r->st_g[i];
			return true;
		}
	if (!strcmp(field, "table")) {
		out->kind = VM_EXTERN_TABLE;
		out->u.table = r->st_table;
		return true;
	}
	if (!strcmp(field, "memory") || !strcmp(field, "shared_memory")) {
		out->kind = VM_EXTERN_MEMORY;
		out->u.memory = field[0] == 'm' ? r->st_mem : r->st_shmem;
		return true;
	}
	return false;
}

/* ---- commands ---- */

static struct vm_instance *find_inst(struct spec_runner *r, const char *name)
{
	if (!name)
		return r->cur;
	for (int i = r->nnames - 1; i >= 0; i--)
		if (!strcmp(r->names[i].name, name))
			return r->names[i].inst;
	return NULL;
}

static enum vm_err_kind limit(struct vm_error *err, const char *why)
{
	struct msg m = {.n = 0};
	put(&m, why);
	memcpy(err->msg, m.s, m.n + 1 < sizeof(err->msg) ? m.n + 1 : 1);
	return err->kind = VM_ERR_LIMIT;
}

/* An action's results (a global's value, or a call's). */
#define MAX_RESULTS 64
struct results {
	uint32_t n;
	vm_value v[MAX_RESULTS]; /* a v128 takes two, low half first */
	uint8_t t[MAX_RESULTS];
	uint8_t at[MAX_RESULTS]; /* result i is v[at[i]] */
};

/* Run an action; returns the VM status and fills res. */
static enum vm_err_kind run_action(struct spec_runner *r,
				   const struct spec_cmd *c,
				   struct results *res, struct vm_error *err)
{
	struct vm_instance *inst = find_inst(r, c->name);
	struct vm_extern ex;
	vm_value args[64];
	memset(err, 0, sizeof(*err));
	res->n = 0;
	if (!inst || !c->field ||
	    !vm_instance_export_len(inst, c->field, c->field_len, &ex))
		return limit(err, "no such export");
	if (c->get) {
		if (ex.kind != VM_EXTERN_GLOBAL)
			return limit(err, "not a global");
		res->v[0] = vm_global_get(ex.u.global);
		res->t[0] = vm_global_type(ex.u.global);
		res->at[0] = 0;
		res->n = 1;
		return VM_OK;
	}
	if (ex.kind != VM_EXTERN_FUNC)
		return limit(err, "not a function");
	const struct vm_functype *ft = vm_func_type(ex.u.func);
	if (c->nargs != ft->nparams || c->nargs > 32)
		return limit(err, "arity mismatch");
	if (ft->nresults > MAX_RESULTS / 2)
		return limit(err, "too many results");
	/* a v128 is two values, low half first, as in c->args */
	uint32_t na = 0;
	for (int i = 0; i < c->nargs; i++) {
		bool v = c->args[na].type == VM_V128;
		args[na].u64 = c->args[na].bits;
		na++;
		if (v) {
			args[na].u64 = c->args[na].bits;
			na++;
		}
	}
	res->n = ft->nresults;
	for (uint32_t i = 0, s = 0; i < res->n; i++) {
		res->t[i] = ft->results[i];
		res->at[i] = (uint8_t)s;
		s += ft->results[i] == VM_V128 ? 2 : 1;
	}
	return vm_call(r->th, ex.u.func, args, na, res->v, MAX_RESULTS, err);
}

static bool scalar_matches(const struct spec_value *e, vm_value got);

/* A v128 lane by lane where a lane may want a NaN, else all 128 bits. */
static bool v128_matches(const struct spec_value *e, const vm_value *got)
{
	unsigned n = e->lane == VM_F32 ? 4 : e->lane == VM_F64 ? 2 : 0;
	if (!n)
		return got[0].u64 == e[0].bits && got[1].u64 == e[1].bits;
	for (unsigned i = 0; i < n; i++) {
		uint64_t word = i < n / 2 ? got[0].u64 : got[1].u64;
		uint64_t want = i < n / 2 ? e[0].bits : e[1].bits;
		unsigned sh = n == 4 ? 32 * (i % 2) : 0;
		struct spec_value l = {e->lane, (e->lane_nan >> (2 * i)) & 3, 0,
				       0, want >> sh};
		vm_value g = {.u64 = word >> sh};
		if (n == 4) {
			l.bits = (uint32_t)l.bits;
			g.u64 = g.u32;
		}
		if (!scalar_matches(&l, g))
			return false;
	}
	return true;
}

static bool value_matches(const struct spec_value *e, const vm_value *got,
			  uint8_t gt)
{
	if (e->type != gt)
		return false;
	if (gt == VM_V128)
		return v128_matches(e, got);
	if (gt == VM_FUNCREF || gt == VM_EXTERNREF)
		return e->nan == SPEC_REF_NONNULL ? got->u64 != 0
						  : got->u64 == e->bits;
	return scalar_matches(e, *got);
}

static bool scalar_matches(const struct spec_value *e, vm_value got)
{
	bool f32 = e->type == VM_F32;
	if (e->nan == SPEC_NAN_CANONICAL)
		return f32 ? (got.u32 & 0x7fffffff) == 0x7fc00000
			   : (got.u64 & 0x7fffffffffffffffull) ==
				       0x7ff8000000000000ull;
	if (e->nan == SPEC_NAN_ARITHMETIC)
		return f32 ? (got.u32 & 0x7fc00000) == 0x7fc00000
			   : (got.u64 & 0x7ff8000000000000ull) ==
				       0x7ff8000000000000ull;
	if (e->type == VM_I32 || f32)
		return got.u32 == (uint32_t)e->bits;
	return got.u64 == e->bits;
}

static const char *kind_name(enum vm_err_kind k)
{
	switch (k) {
	case VM_OK: return "success";
	case VM_ERR_MALFORMED: return "malformed";
	case VM_ERR_INVALID: return "invalid";
	case VM_ERR_UNLINKABLE: return "unlinkable";
	case VM_ERR_TRAP: return "trap";
	default: return "other error";
	}
}

/* Load + instantiate + start; returns the stage's error kind. */
static enum vm_err_kind instantiate(struct spec_runner *r,
				    const struct spec_cmd *c,
				    struct vm_instance **out,
				    struct vm_error *err)
{
	*out = NULL;
	if (!c->wasm)
		return limit(err, "cannot read the module's file");
	struct vm_module *m = vm_module_load_features(
		r->ops, c->wasm, c->wasm_len, r->features, err);
	if (!m)
		return err->kind;
	if (r->nmods < MAX_KEPT)
		r->mods[r->nmods++] = m;
	struct vm_instance *i =
		vm_instantiate_flags(m, resolve, r, VM_INST_KEEP_ON_TRAP, err);
	if (!i)
		return err->kind;
	if (r->ninsts < MAX_KEPT)
		r->insts[r->ninsts++] = i; /* even if a segment or start
					      traps: tables may point into it */
	if (err->kind == VM_ERR_TRAP)
		return VM_ERR_TRAP;
	enum vm_err_kind k = vm_instance_start(i, r->th, err);
	if (k != VM_OK)
		return k;
	*out = i;
	return VM_OK;
}

static void keep_name(struct named *list, int *n, const char *name,
		      struct vm_instance *inst)
{
	if (name && *n < MAX_NAMED) {
		list[*n].name = name;
		list[(*n)++].inst = inst;
	}
}

static void put_expected(struct msg *m, const struct spec_value *e)
{
	if (e->nan == SPEC_REF_NONNULL) {
		put(m, "non-null reference");
	} else if (e->nan) {
		put(m, e->nan == SPEC_NAN_CANONICAL ? "nan:canonical"
						    : "nan:arithmetic");
	} else {
		put_hex(m, e->bits);
		if (e->type == VM_V128) {
			put(m, ":");
			put_hex(m, e[1].bits);
		}
	}
}

const struct spec_value *spec_expected(const struct spec_cmd *c)
{
	uint32_t k = 0;
	for (int i = 0; i < c->nargs; i++)
		k += c->args[k].type == VM_V128 ? 2 : 1;
	return c->args + k;
}

/* Every result, in order, as expected (several with multi-value). */
static void assert_return(struct spec_runner *r, const struct spec_cmd *c)
{
	struct vm_error err;
	struct results res;
	struct msg m = {.n = 0};
	if (run_action(r, c, &res, &err) != VM_OK) {
		fail2(r, c->line, "assert_return: ", err.msg);
		return;
	}
	const struct spec_value *expected = spec_expected(c);
	uint32_t i = 0, ei = 0; /* ei: the entry of expected value i */
	while (i < res.n && i < c->nexpected &&
	       value_matches(&expected[ei], &res.v[res.at[i]], res.t[i])) {
		ei += expected[ei].type == VM_V128 ? 2 : 1;
		i++;
	}
	if (i == res.n && i == c->nexpected) {
		r->n.passed++;
		return;
	}
	put(&m, "assert_return: ");
	if (res.n != c->nexpected) {
		put(&m, "got ");
		put_hex(&m, res.n);
		put(&m, " results, want ");
		put_hex(&m, c->nexpected);
	} else {
		put(&m, "result ");
		put_hex(&m, i);
		put(&m, ": got ");
		put_hex(&m, res.v[res.at[i]].u64);
		if (res.t[i] == VM_V128) {
			put(&m, ":");
			put_hex(&m, res.v[res.at[i] + 1].u64);
		}
		put(&m, " (type ");
		put_hex(&m, res.t[i]);
		put(&m, "), want ");
		put_expected(&m, &expected[ei]);
	}
	fail(r, c->line, &m);
}

/* assert_trap, assert_exhaustion */
static void assert_trap(struct spec_runner *r, const struct spec_cmd *c)
{
	struct vm_error err;
	struct results res;
	struct msg m = {.n = 0};
	enum vm_err_kind k = run_action(r, c, &res, &err);
	bool exh = c->kind == SPEC_EXHAUSTION;
	bool ok = k == VM_ERR_TRAP &&
		  exh == (err.trap == VM_TRAP_STACK_EXHAUSTED);
	put(&m, exh ? "assert_exhaustion \"" : "assert_trap \"");
	put(&m, c->text);
	put(&m, ok ? "\": trapped as expected: " : "\": got ");
	if (!ok) {
		put(&m, kind_name(k));
		put(&m, " (");
	}
	put(&m, err.msg);
	put(&m, ok ? "" : ")");
	if (!ok) {
		fail(r, c->line, &m);
		return;
	}
	r->n.passed++;
	if (r->verbose)
		r->report(r->ctx, c->line, false, m.s);
}

/* assert_malformed, assert_invalid, assert_unlinkable,
 * assert_uninstantiable */
static void assert_module(struct spec_runner *r, const struct spec_cmd *c)
{
	static const enum vm_err_kind want[] = {
		[SPEC_MALFORMED] = VM_ERR_MALFORMED,
		[SPEC_INVALID] = VM_ERR_INVALID,
		[SPEC_UNLINKABLE] = VM_ERR_UNLINKABLE,
		[SPEC_UNINSTANTIABLE] = VM_ERR_TRAP,
	};
	static const char *const names[] = {
		[SPEC_MALFORMED] = "assert_malformed \"",
		[SPEC_INVALID] = "assert_invalid \"",
		[SPEC_UNLINKABLE] = "assert_unlinkable \"",
		[SPEC_UNINSTANTIABLE] = "assert_uninstantiable \"",
	};
	struct vm_error err;
	struct vm_instance *i;
	struct msg m = {.n = 0};
	enum vm_err_kind k = instantiate(r, c, &i, &err);
	if (k == want[c->kind]) {
		r->n.passed++;
		return;
	}
	put(&m, names[c->kind]);
	put(&m, c->text);
	put(&m, "\": got ");
	put(&m, kind_name(k));
	put(&m, " (");
	put(&m, k == VM_OK ? "" : err.msg);
	put(&m, ")");
	fail(r, c->line, &m);
}

static void action(struct spec_runner *r, const struct spec_cmd *c)
{
	struct vm_error err;
	struct results res;
	if (run_action(r, c, &res, &err) != VM_OK)
		fail2(r, c->line, "action: ", err.msg);
}

void spec_command(struct spec_runner *r, const struct spec_cmd *c)
{
	struct vm_error err;

	switch (c->kind) {
	case SPEC_MODULE: {
		struct vm_instance *i;
		enum vm_err_kind k = instantiate(r, c, &i, &err);
		r->cur = i;
		if (k != VM_OK)
			fail2(r, c->line, "module: ", err.msg);
		else
			keep_name(r->names, &r->nnames, c->name, i);
		break;
	}
	case SPEC_REGISTER: {
		struct vm_instance *i = find_inst(r, c->name);
		if (!i || !c->as)
			fail2(r, c->line, "register: no such module", "");
		else
			keep_name(r->regs, &r->nregs, c->as, i);
		break;
	}
	case SPEC_ACTION: action(r, c); break;
	case SPEC_RETURN: assert_return(r, c); break;
	case SPEC_TRAP:
	case SPEC_EXHAUSTION: assert_trap(r, c); break;
	case SPEC_MALFORMED:
	case SPEC_INVALID:
	case SPEC_UNLINKABLE:
	case SPEC_UNINSTANTIABLE: assert_module(r, c); break;
	case SPEC_SKIP: r->n.skipped++; break;
	default: fail2(r, c->line, "unknown command", ""); break;
	}
}

bool spec_begin_file(struct spec_runner *r)
{
	r->n = (struct spec_counts){0, 0, 0};
	return spectest_init(r);
}

struct spec_counts spec_end_file(struct spec_runner *r)
{
	for (int i = 0; i < r->ninsts; i++)
		vm_instance_free(r->insts[i]);
	for (int i = 0; i < r->nmods; i++)
		vm_module_free(r->mods[i]);
	r->ninsts = r->nmods = r->nnames = r->nregs = 0;
	r->cur = NULL;
	spectest_free(r);
	return r->n;
}

struct spec_runner *spec_runner_new(const struct vm_host_ops *ops,
				    struct vm_thread *th, spec_report_fn report,
				    void *ctx, bool verbose)
{
	struct spec_runner *r = ops->alloc(ops->ctx, sizeof(*r));
	if (!r)
		return NULL;
	/* zeroed, then field by field: a compound literal of this 70 KB
	 * struct may be built on the stack first, more than a kernel stack */
	memset(r, 0, sizeof(*r));
	r->ops = ops;
	r->th = th;
	r->report = report;
	r->ctx = ctx;
	r->verbose = verbose;
	r->features = VM_FEATURES_DEFAULT;
	return r;
}

void spec_runner_set_features(struct spec_runner *r, uint32_t features)
{
	r->features = features;
}

void spec_runner_free(struct spec_runner *r)
{
	if (r) {
		spec_end_file(r);
		r->ops->free(r->ops->ctx, r);
	}
}
