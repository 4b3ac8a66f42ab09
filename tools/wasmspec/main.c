/*
 * tools/wasmspec/main.c: run wast2json output against the VM.
 *
 *   wasmspec [-v] [--features=LIST] FILE.json... [--features=LIST FILE.json...]
 *
 * --features sets the WebAssembly features the modules of the files after
 * it load with (vm_module_load_features): a comma-separated list of 1.0
 * (none), 2.0 (all 2.0 features), default (2.0 and threads), threads,
 * sign-ext, sat-float-to-int, multi-value, bulk-memory, reference-types.
 * Without it, the default. The 1.0 suite wants 1.0 (2.0 turned the
 * invalid module with two results into a valid one), the threads files
 * 1.0,threads, the 2.0 suite 2.0 (no threads: its memory limits flag 2
 * is malformed).
 *
 * Reads each .json file and the .wasm files it names, turns every command
 * into a struct spec_cmd and hands it to the runner core
 * (tests/vm/spec_runner.c, which the kernel's `wasm_spec` suite runs too).
 * Prints one line per file and a final "N passed, N failed" line; exits 1 if
 * anything failed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tests/vm/spec_runner.h"
#include "../wasmrun/host_ops.h"
#include "json.h"
#include <vm/vm.h>

static const char *cur_file;

static void report(void *ctx, int line, bool failed, const char *msg)
{
	(void)ctx;
	if (failed)
		fprintf(stderr, "%s:%d: FAIL: %s\n", cur_file, line, msg);
	else
		printf("%s:%d: %s\n", cur_file, line, msg);
}

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
	if (!strcmp(t, "funcref"))
		return VM_FUNCREF;
	if (!strcmp(t, "externref"))
		return VM_EXTERNREF;
	if (!strcmp(t, "v128"))
		return VM_V128;
	return 0;
}

static uint8_t nan_of(const char *s)
{
	return !s			      ? SPEC_EXACT
	       : !strcmp(s, "nan:canonical")  ? SPEC_NAN_CANONICAL
	       : !strcmp(s, "nan:arithmetic") ? SPEC_NAN_ARITHMETIC
					      : SPEC_EXACT;
}

/* A v128 {"lane_type": .., "value": [lanes]} into out[0] (the low half;
 * which f32 or f64 lanes expect a NaN) and out[1] (the high half). */
static void v128_value(const struct json *v, struct spec_value *out)
{
	const char *lt = json_str(v, "lane_type");
	const struct json *lanes = json_get(v, "value");
	unsigned w = !lt		     ? 4
		     : lt[1] == '8'	     ? 1
		     : !strcmp(lt + 1, "16") ? 2
		     : !strcmp(lt + 1, "32") ? 4
					     : 8;
	uint8_t b[16] = {0};
	unsigned i = 0;
	out->lane = lt && lt[0] == 'f' ? type_of(lt) : 0;
	for (const struct json *l = lanes ? lanes->child : NULL;
	     l && (i + 1) * w <= 16; l = l->next, i++) {
		const char *s = l->type == J_STR ? l->str : NULL;
		uint8_t nan = nan_of(s);
		uint64_t x = s && !nan ? strtoull(s, NULL, 10) : 0;
		if (out->lane && i < 4)
			out->lane_nan |= (uint8_t)(nan << (2 * i));
		for (unsigned k = 0; k < w; k++)
			b[i * w + k] = (uint8_t)(x >> (8 * k));
	}
	memcpy(&out[0].bits, b, 8);
	memcpy(&out[1].bits, b + 8, 8);
}

/*
 * A list of {"type": .., "value": ..} into vals[] (64 entries; a v128
 * takes two, see spec_runner.h); returns the count of values.
 * References (spec_runner.h): "null" is 0, externref N is N + 1, a
 * reference without a value any non-null one.
 */
static uint8_t values(const struct json *list, struct spec_value *vals)
{
	uint8_t n = 0, k = 0;
	for (const struct json *v = list ? list->child : NULL; v && k < 63;
	     v = v->next, n++) {
		const char *s = json_str(v, "value");
		memset(&vals[k], 0, 2 * sizeof(vals[k]));
		vals[k].type = type_of(json_str(v, "type"));
		if (vals[k].type == VM_V128) {
			v128_value(v, &vals[k]);
			k += 2;
			continue;
		}
		struct spec_value *x = &vals[k++];
		if (x->type == VM_FUNCREF || x->type == VM_EXTERNREF) {
			bool null = s && !strcmp(s, "null");
			x->nan = s ? SPEC_EXACT : SPEC_REF_NONNULL;
			x->bits = !s || null ? 0 : strtoull(s, NULL, 10);
			if (x->type == VM_EXTERNREF && s && !null)
				x->bits++;
			continue;
		}
		x->nan = nan_of(s);
		x->bits = s && !x->nan ? strtoull(s, NULL, 10) : 0;
	}
	return n;
}

static const struct {
	const char *name;
	enum spec_kind kind;
} kinds[] = {
	{"module", SPEC_MODULE},
	{"register", SPEC_REGISTER},
	{"action", SPEC_ACTION},
	{"assert_return", SPEC_RETURN},
	{"assert_trap", SPEC_TRAP},
	{"assert_exhaustion", SPEC_EXHAUSTION},
	{"assert_malformed", SPEC_MALFORMED},
	{"assert_invalid", SPEC_INVALID},
	{"assert_unlinkable", SPEC_UNLINKABLE},
	{"assert_uninstantiable", SPEC_UNINSTANTIABLE},
};

/* One JSON command to the runner; module files are read from dir. */
static void command(struct spec_runner *r, const char *dir,
		    const struct json *j)
{
	/* the arguments' entries, then the expected values' (spec_cmd) */
	static struct spec_value vals[128];
	struct spec_cmd c = {0};
	const char *type = json_str(j, "type");
	const struct json *line = json_get(j, "line");
	const struct json *a = json_get(j, "action");
	const char *fname = json_str(j, "filename");
	const char *mt = json_str(j, "module_type");
	size_t i;
	char path[8192];
	size_t len = 0;

	if (!type)
		return;
	c.kind = 0xff; /* unknown: the runner reports it */
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(type, kinds[i].name))
			c.kind = (uint8_t)kinds[i].kind;
	if (c.kind >= SPEC_MALFORMED && c.kind <= SPEC_INVALID && mt &&
	    !strcmp(mt, "text"))
		c.kind = SPEC_SKIP;
	c.line = line ? (int)line->num : 0;
	c.name = json_str(j, "name");
	c.as = json_str(j, "as");
	c.text = json_str(j, "text");
	if (a) {
		const struct json *f = json_get(a, "field");
		const char *at = json_str(a, "type");
		c.name = json_str(a, "module");
		c.get = at && !strcmp(at, "get");
		c.field = f && f->type == J_STR ? f->str : NULL;
		c.field_len = c.field ? (uint32_t)f->len : 0;
		c.nargs = values(json_get(a, "args"), vals);
	}
	c.args = vals;
	c.nexpected = values(json_get(j, "expected"),
			     (struct spec_value *)spec_expected(&c));
	uint8_t *wasm = NULL;
	if (fname && c.kind != SPEC_SKIP && !a) {
		snprintf(path, sizeof(path), "%s/%s", dir, fname);
		wasm = read_file(path, &len);
		c.wasm = wasm;
		c.wasm_len = (uint32_t)len;
	}
	spec_command(r, &c);
	free(wasm);
}

/* One .json file; adds its counts to *total. */
static void run_file(struct spec_runner *r, const char *path,
		     struct spec_counts *total)
{
	size_t len;
	char *text = (char *)read_file(path, &len);
	const char *perr = NULL;
	static char dir[4096];
	struct spec_counts n = {0, 0, 0};

	cur_file = path;
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		strcpy(dir, ".");
	struct json *j = text ? json_parse(text, len, &perr) : NULL;
	free(text);
	if (!j) {
		report(NULL, 0, true, perr ? perr : "unreadable");
		n.failed = 1;
	} else if (!spec_begin_file(r)) {
		report(NULL, 0, true, "out of memory");
		n.failed = 1;
	} else {
		struct json *cmds = json_get(j, "commands");
		for (struct json *c = cmds ? cmds->child : NULL; c; c = c->next)
			command(r, dir, c);
		/* the runner keeps pointers into the JSON until here */
		n = spec_end_file(r);
	}
	if (j)
		json_free(j);
	printf("%s: %d passed, %d failed, %d skipped (text format)\n", path,
	       n.passed, n.failed, n.skipped);
	total->passed += n.passed;
	total->failed += n.failed;
	total->skipped += n.skipped;
}

/* A --features=LIST argument's set; false if a name is unknown. */
static bool parse_features(const char *list, uint32_t *out)
{
	static const struct {
		const char *name;
		uint32_t bits;
	} names[] = {
		{"1.0", VM_FEATURES_1_0},
		{"2.0", VM_FEATURES_2_0},
		{"default", VM_FEATURES_DEFAULT},
		{"threads", VM_FEATURE_THREADS},
		{"sign-ext", VM_FEATURE_SIGN_EXT},
		{"sat-float-to-int", VM_FEATURE_SAT_FLOAT_INT},
		{"multi-value", VM_FEATURE_MULTI_VALUE},
		{"bulk-memory", VM_FEATURE_BULK_MEMORY},
		{"reference-types", VM_FEATURE_REFERENCE_TYPES},
	};
	uint32_t f = 0;
	while (*list) {
		size_t n = strcspn(list, ",");
		size_t i = 0;
		while (i < sizeof(names) / sizeof(names[0]) &&
		       (strlen(names[i].name) != n ||
			strncmp(names[i].name, list, n)))
			i++;
		if (i == sizeof(names) / sizeof(names[0]))
			return false;
		f |= names[i].bits;
		list += n + (list[n] == ',');
	}
	*out = f;
	return true;
}

int main(int argc, char **argv)
{
	struct spec_counts total = {0, 0, 0};
	bool verbose = false, jit_stats = false;
	const struct vm_host_ops *ops = &host_ops;
	int i = 1;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = true;
		else if (!strcmp(argv[i], "--interp"))
			ops = &host_ops_interp; /* the interpreter only */
		else if (!strcmp(argv[i], "--jit-stats"))
			jit_stats = true; /* on stderr, at the end */
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: wasmspec [-v] [--interp] [--jit-stats] "
				"[--features=LIST] FILE.json...\n");
		return 2;
	}
	struct vm_thread *th = vm_thread_new(ops, 0, 0);
	struct spec_runner *r =
		th ? spec_runner_new(ops, th, report, NULL, verbose) : NULL;
	if (!r) {
		fprintf(stderr, "wasmspec: out of memory\n");
		return 2;
	}
	for (; i < argc; i++) {
		uint32_t features;
		if (strncmp(argv[i], "--features=", 11)) {
			run_file(r, argv[i], &total);
		} else if (parse_features(argv[i] + 11, &features)) {
			spec_runner_set_features(r, features);
		} else {
			fprintf(stderr, "wasmspec: unknown feature in %s\n",
				argv[i]);
			return 2;
		}
	}
	printf("%d passed, %d failed (%d text-format assertions skipped)\n",
	       total.passed, total.failed, total.skipped);
	if (jit_stats)
		host_print_jit_stats(stderr);
	spec_runner_free(r);
	vm_thread_free(th);
	return total.failed ? 1 : 0;
}
