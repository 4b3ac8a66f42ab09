/*
 * tools/wasmspec/main.c: run wast2json output against the VM.
 *
 *   wasmspec FILE.json...
 *
 * Every assert_* command is one assertion. A module or action command that
 * fails also counts as a failure (it would break the assertions after it).
 * Text-format assert_malformed/assert_invalid (.wat) test only a text
 * parser, which this binary-only VM does not have: they are counted as
 * skipped, neither passed nor failed. Prints one line per file and a final
 * "N passed, N failed" line; exits 1 if anything failed.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../vm/vm.h"
#include "../wasmrun/host_ops.h"
#include "json.h"

#define MAX_NAMED 256

struct named {
	char *name;
	struct vm_instance *inst;
};

struct state {
	const char *dir;
	const char *file;
	struct vm_thread *th;
	struct vm_instance *cur;
	struct named names[MAX_NAMED]; /* $name -> instance */
	int nnames;
	struct named regs[MAX_NAMED]; /* register "as" -> instance */
	int nregs;
	/* everything to free at the end of the file */
	struct vm_module *mods[4096];
	int nmods;
	struct vm_instance *insts[4096];
	int ninsts;
	int passed, failed, skipped;
	int verbose;
};

/* ---- the spectest host module ---- */

static struct vm_memory *st_mem, *st_shmem;
static struct vm_table *st_table;
static struct vm_global *st_g[4];
static struct vm_func *st_f[7];
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

static int st_print(struct vm_hostcall *c, vm_value *args)
{
	(void)c;
	(void)args;
	return 0;
}

/* Fresh per file, as in the reference interpreter: no state leaks across. */
static void spectest_init(void)
{
	vm_value v;
	vm_memory_free(&host_ops, st_mem);
	vm_memory_free(&host_ops, st_shmem);
	vm_table_free(&host_ops, st_table);
	for (int i = 0; i < 4; i++)
		vm_global_free(&host_ops, st_g[i]);
	for (int i = 0; i < 7; i++)
		vm_func_free_host(&host_ops, st_f[i]);
	st_mem = vm_memory_new(&host_ops, 1, 2, true);
	st_shmem = vm_memory_new_shared(&host_ops, 1, 2); /* threads */
	st_table = vm_table_new(&host_ops, 10, 20, true);
	v.u64 = 666;
	st_g[0] = vm_global_new(&host_ops, VM_I32, false, v);
	st_g[1] = vm_global_new(&host_ops, VM_I64, false, v);
	v.u64 = 0;
	v.f32 = 666.6f;
	st_g[2] = vm_global_new(&host_ops, VM_F32, false, v);
	v.f64 = 666.6;
	st_g[3] = vm_global_new(&host_ops, VM_F64, false, v);
	for (int i = 0; i < 7; i++)
		st_f[i] = vm_func_new_host(&host_ops, &st_types[i], st_print,
					   NULL);
}

static bool resolve(void *ctx, const char *module, const char *field,
		    enum vm_extern_kind kind, const struct vm_functype *type,
		    struct vm_extern *out)
{
	struct state *s = ctx;
	(void)kind;
	(void)type;
	if (!strcmp(module, "spectest")) {
		static const char *const gn[4] = {"global_i32", "global_i64",
						  "global_f32", "global_f64"};
		for (int i = 0; i < 7; i++)
			if (!strcmp(field, st_names[i])) {
				out->kind = VM_EXTERN_FUNC;
				out->u.func = st_f[i];
				return true;
			}
		for (int i = 0; i < 4; i++)
			if (!strcmp(field, gn[i])) {
				out->kind = VM_EXTERN_GLOBAL;
				out->u.global = st_g[i];
				return true;
			}
		if (!strcmp(field, "table")) {
			out->kind = VM_EXTERN_TABLE;
			out->u.table = st_table;
			return true;
		}
		if (!strcmp(field, "memory")) {
			out->kind = VM_EXTERN_MEMORY;
			out->u.memory = st_mem;
			return true;
		}
		if (!strcmp(field, "shared_memory")) {
			out->kind = VM_EXTERN_MEMORY;
			out->u.memory = st_shmem;
			return true;
		}
		return false;
	}
	for (int i = s->nregs - 1; i >= 0; i--)
		if (!strcmp(s->regs[i].name, module))
			return vm_instance_export(s->regs[i].inst, field, out);
	return false;
}

/* ---- helpers ---- */

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return b;
}

static struct vm_module *load(struct state *s, const char *fname,
			      struct vm_error *err)
{
	char path[4096];
	size_t len;
	snprintf(path, sizeof(path), "%s/%s", s->dir, fname);
	uint8_t *b = read_file(path, &len);
	if (!b) {
		snprintf(err->msg, sizeof(err->msg), "cannot read %.140s",
			 fname);
		err->kind = VM_ERR_LIMIT;
		return NULL;
	}
	struct vm_module *m = vm_module_load(&host_ops, b, len, err);
	free(b);
	if (m && s->nmods < 4096)
		s->mods[s->nmods++] = m;
	return m;
}

static void keep_inst(struct state *s, struct vm_instance *i)
{
	if (s->ninsts < 4096)
		s->insts[s->ninsts++] = i;
}

static struct vm_instance *find_inst(struct state *s, const char *name)
{
	if (!name)
		return s->cur;
	for (int i = s->nnames - 1; i >= 0; i--)
		if (!strcmp(s->names[i].name, name))
			return s->names[i].inst;
	return NULL;
}

static uint8_t type_of(const char *t)
{
	if (!t)
		return 0;
	if (!strcmp(t, "i32"))
		return VM_I32;
	if (!strcmp(t, "i64"))
		return VM_I64;
	if (!strcmp(t, "f32"))
		return VM_F32;
	if (!strcmp(t, "f64"))
		return VM_F64;
	return 0;
}

static vm_value parse_value(const struct json *v)
{
	vm_value r;
	const char *s = json_str(v, "value");
	r.u64 = s ? strtoull(s, NULL, 10) : 0;
	return r;
}

static void fail(struct state *s, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(struct state *s, int line, const char *fmt, ...)
{
	va_list ap;
	s->failed++;
	fprintf(stderr, "%s:%d: FAIL: ", s->file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Run an action; returns the VM status and fills results. */
static enum vm_err_kind run_action(struct state *s, const struct json *a,
				   vm_value *res, uint8_t *rtype,
				   struct vm_error *err)
{
	const char *type = json_str(a, "type");
	const char *field = json_str(a, "field");
	struct json *fj = json_get(a, "field");
	struct vm_instance *inst = find_inst(s, json_str(a, "module"));
	struct vm_extern ex;
	memset(err, 0, sizeof(*err));
	*rtype = 0;
	if (!inst || !field ||
	    !vm_instance_export_len(inst, field, fj->len, &ex)) {
		snprintf(err->msg, sizeof(err->msg), "no export %s",
			 field ? field : "?");
		err->kind = VM_ERR_LIMIT;
		return VM_ERR_LIMIT;
	}
	if (type && !strcmp(type, "get")) {
		if (ex.kind != VM_EXTERN_GLOBAL) {
			snprintf(err->msg, sizeof(err->msg), "not a global");
			return err->kind = VM_ERR_LIMIT;
		}
		res[0] = vm_global_get(ex.u.global);
		*rtype = vm_global_type(ex.u.global);
		return VM_OK;
	}
	if (ex.kind != VM_EXTERN_FUNC) {
		snprintf(err->msg, sizeof(err->msg), "not a function");
		return err->kind = VM_ERR_LIMIT;
	}
	vm_value args[64];
	int n = 0;
	for (struct json *v = json_get(a, "args") ? json_get(a, "args")->child
						  : NULL;
	     v && n < 64; v = v->next)
		args[n++] = parse_value(v);
	const struct vm_functype *ft = vm_func_type(ex.u.func);
	if ((uint32_t)n != ft->nparams) {
		snprintf(err->msg, sizeof(err->msg), "arity mismatch");
		return err->kind = VM_ERR_LIMIT;
	}
	if (ft->nresults)
		*rtype = ft->results[0];
	return vm_call(s->th, ex.u.func, args, res, err);
}

static bool value_matches(const struct json *exp, vm_value got, uint8_t gt)
{
	uint8_t t = type_of(json_str(exp, "type"));
	const char *v = json_str(exp, "value");
	if (t != gt || !v)
		return false;
	if (!strcmp(v, "nan:canonical")) {
		if (t == VM_F32)
			return (got.u32 & 0x7fffffff) == 0x7fc00000;
		return (got.u64 & 0x7fffffffffffffffull) ==
		       0x7ff8000000000000ull;
	}
	if (!strcmp(v, "nan:arithmetic")) {
		if (t == VM_F32)
			return (got.u32 & 0x7fc00000) == 0x7fc00000;
		return (got.u64 & 0x7ff8000000000000ull) ==
		       0x7ff8000000000000ull;
	}
	uint64_t want = strtoull(v, NULL, 10);
	if (t == VM_I32 || t == VM_F32)
		return got.u32 == (uint32_t)want;
	return got.u64 == want;
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
static enum vm_err_kind instantiate(struct state *s, const char *fname,
				    struct vm_instance **out,
				    struct vm_error *err)
{
	*out = NULL;
	struct vm_module *m = load(s, fname, err);
	if (!m)
		return err->kind;
	struct vm_instance *i = vm_instantiate(m, resolve, s, err);
	if (!i)
		return err->kind;
	keep_inst(s, i); /* kept even if start traps: tables may point in */
	enum vm_err_kind k = vm_instance_start(i, s->th, err);
	if (k != VM_OK)
		return k;
	*out = i;
	return VM_OK;
}

static void command(struct state *s, const struct json *c)
{
	const char *type = json_str(c, "type");
	struct json *lj = json_get(c, "line");
	int line = lj ? (int)lj->num : 0;
	struct vm_error err;
	vm_value res[4];
	uint8_t rt;

	if (!type)
		return;
	if (!strcmp(type, "module")) {
		struct vm_instance *i;
		enum vm_err_kind k =
			instantiate(s, json_str(c, "filename"), &i, &err);
		s->cur = i;
		if (k != VM_OK) {
			fail(s, line, "module: %s", err.msg);
			return;
		}
		const char *name = json_str(c, "name");
		if (name && s->nnames < MAX_NAMED) {
			s->names[s->nnames].name = strdup(name);
			s->names[s->nnames++].inst = i;
		}
	} else if (!strcmp(type, "register")) {
		struct vm_instance *i = find_inst(s, json_str(c, "name"));
		const char *as = json_str(c, "as");
		if (!i || !as) {
			fail(s, line, "register: no such module");
			return;
		}
		if (s->nregs < MAX_NAMED) {
			s->regs[s->nregs].name = strdup(as);
			s->regs[s->nregs++].inst = i;
		}
	} else if (!strcmp(type, "action")) {
		enum vm_err_kind k =
			run_action(s, json_get(c, "action"), res, &rt, &err);
		if (k != VM_OK)
			fail(s, line, "action: %s", err.msg);
	} else if (!strcmp(type, "assert_return")) {
		enum vm_err_kind k =
			run_action(s, json_get(c, "action"), res, &rt, &err);
		struct json *exp = json_get(c, "expected");
		if (k != VM_OK) {
			fail(s, line, "assert_return: %s", err.msg);
			return;
		}
		struct json *e = exp ? exp->child : NULL;
		if (!e ? rt != 0 : !value_matches(e, res[0], rt)) {
			fail(s, line,
			     "assert_return: got 0x%" PRIx64
			     " (type 0x%x), want %s",
			     res[0].u64, rt,
			     e && json_str(e, "value") ? json_str(e, "value")
						       : "nothing");
			return;
		}
		s->passed++;
	} else if (!strcmp(type, "assert_trap") ||
		   !strcmp(type, "assert_exhaustion")) {
		enum vm_err_kind k =
			run_action(s, json_get(c, "action"), res, &rt, &err);
		bool exh = type[7] == 'e';
		if (k != VM_ERR_TRAP ||
		    (exh != (err.trap == VM_TRAP_STACK_EXHAUSTED))) {
			fail(s, line, "%s \"%s\": got %s (%s)", type,
			     json_str(c, "text"), kind_name(k), err.msg);
			return;
		}
		if (s->verbose)
			printf("%s:%d: trapped as expected: %s (want \"%s\")\n",
			       s->file, line, err.msg, json_str(c, "text"));
		s->passed++;
	} else if (!strcmp(type, "assert_malformed") ||
		   !strcmp(type, "assert_invalid") ||
		   !strcmp(type, "assert_unlinkable") ||
		   !strcmp(type, "assert_uninstantiable")) {
		const char *mt = json_str(c, "module_type");
		if (mt && !strcmp(mt, "text")) {
			s->skipped++;
			return;
		}
		enum vm_err_kind want = type[7] == 'm'	 ? VM_ERR_MALFORMED
					: type[7] == 'i' ? VM_ERR_INVALID
					: type[9] == 'l' ? VM_ERR_UNLINKABLE
							 : VM_ERR_TRAP;
		struct vm_instance *i;
		enum vm_err_kind k =
			instantiate(s, json_str(c, "filename"), &i, &err);
		if (k != want) {
			fail(s, line, "%s \"%s\": got %s (%s)", type,
			     json_str(c, "text"), kind_name(k), err.msg);
			return;
		}
		s->passed++;
	} else {
		fail(s, line, "unknown command %s", type);
	}
}

static void run_file(struct state *s, const char *path)
{
	size_t len;
	char *text = (char *)read_file(path, &len);
	const char *perr = NULL;
	static char dir[4096];
	int p0 = s->passed, f0 = s->failed, k0 = s->skipped;

	s->file = path;
	spectest_init();
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		strcpy(dir, ".");
	s->dir = dir;
	struct json *j = text ? json_parse(text, len, &perr) : NULL;
	free(text);
	if (!j) {
		fail(s, 0, "cannot parse: %s", perr ? perr : "unreadable");
	} else {
		struct json *cmds = json_get(j, "commands");
		for (struct json *c = cmds ? cmds->child : NULL; c; c = c->next)
			command(s, c);
		json_free(j);
	}
	printf("%s: %d passed, %d failed, %d skipped (text format)\n", path,
	       s->passed - p0, s->failed - f0, s->skipped - k0);
	for (int i = 0; i < s->ninsts; i++)
		vm_instance_free(s->insts[i]);
	for (int i = 0; i < s->nmods; i++)
		vm_module_free(s->mods[i]);
	for (int i = 0; i < s->nnames; i++)
		free(s->names[i].name);
	for (int i = 0; i < s->nregs; i++)
		free(s->regs[i].name);
	s->ninsts = s->nmods = s->nnames = s->nregs = 0;
	s->cur = NULL;
}

int main(int argc, char **argv)
{
	static struct state s;
	int i = 1;
	if (i < argc && !strcmp(argv[i], "-v")) {
		s.verbose = 1;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: wasmspec [-v] FILE.json...\n");
		return 2;
	}
	s.th = vm_thread_new(&host_ops, 0, 0);
	if (!s.th) {
		fprintf(stderr, "wasmspec: out of memory\n");
		return 2;
	}
	for (; i < argc; i++)
		run_file(&s, argv[i]);
	printf("%d passed, %d failed (%d text-format assertions skipped)\n",
	       s.passed, s.failed, s.skipped);
	vm_thread_free(s.th);
	return s.failed ? 1 : 0;
}
