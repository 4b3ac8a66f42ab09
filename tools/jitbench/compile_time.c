/*
 * tools/jitbench/compile_time.c: how fast the compiler tier compiles, for
 * scripts/bench-jit: `compile-time FILE.wasm...`. For each module: load
 * (decode, validate, the interpreter's internal form), instantiate with
 * every import bound to a host function that is never called, then
 * compile every function the module defines, eagerly (wasmrun compiles
 * lazily, at a function's first call, so a run compiles only what it
 * calls and cannot say how long compiling took). Prints one line per
 * module and the totals:
 *
 *   compile-time FILE code-bytes N load-s S compile-s S compiled N
 *     interpreted N native-bytes N
 *
 * code-bytes is the wasm code section's size (the function bodies), the
 * figure "per MiB of code" divides by; load-s is vm_module_load (the
 * interpreter pays it too), compile-s the compiler alone. Each phase is
 * repeated until it has taken 0.2 s (a small module compiles in well
 * under a millisecond) and the mean is given; times are CPU time. A build
 * without a backend compiles nothing: its compile-s is the cost of finding that
 * out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../vm/internal.h"
#include "../../vm/jit/jit.h"
#include "../wasmrun/host_ops.h"

/* CPU time of this process: under qemu-user the emulator's own, which a
 * busy machine disturbs less than wall time. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	long n;
	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 &&
	    !fseek(f, 0, SEEK_SET) && (p = malloc((size_t)n)) &&
	    fread(p, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(p);
		p = NULL;
	}
	fclose(f);
	return p;
}

/* One unsigned LEB128 of at most 32 bits at *p (before end); false if
 * it runs past end. */
static bool leb(const uint8_t **p, const uint8_t *end, uint32_t *out)
{
	uint32_t v = 0;
	for (unsigned shift = 0; shift < 35 && *p < end; shift += 7) {
		uint8_t b = *(*p)++;
		v |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return true;
		}
	}
	return false;
}

/* The size of the code section (id 10) of a module the VM has already
 * validated; 0 if it has none. */
static uint32_t code_section_size(const uint8_t *b, size_t len)
{
	const uint8_t *p = b + 8, *end = b + len;
	while (p < end) {
		uint8_t id = *p++;
		uint32_t size;
		if (!leb(&p, end, &size) || size > (size_t)(end - p))
			return 0;
		if (id == 10)
			return size;
		p += size;
	}
	return 0;
}

/* Imports are bound to this; compiling never calls it. */
static int never(struct vm_hostcall *call, vm_value *args)
{
	(void)call;
	(void)args;
	return VM_TRAP_UNREACHABLE;
}

static bool resolve(void *ctx, const char *module, const char *field,
		    enum vm_extern_kind kind, const struct vm_functype *type,
		    struct vm_extern *out)
{
	(void)module;
	(void)field;
	if (kind != VM_EXTERN_FUNC)
		return false; /* the benchmark programs import functions only */
	out->kind = VM_EXTERN_FUNC;
	out->u.func = vm_func_new_host(ctx, type, never, NULL);
	return out->u.func != NULL;
}

struct totals {
	double code_bytes, load_s, compile_s;
};

/* Load, instantiate and compile path once; its figures into *t. */
static int measure(const char *path, struct totals *t)
{
	struct vm_error err;
	size_t len;
	uint8_t *bytes = slurp(path, &len);
	if (!bytes) {
		fprintf(stderr, "compile-time: %s: cannot read\n", path);
		return 1;
	}
	double load_s = 0, compile_s = 0;
	unsigned loads = 0, compiles = 0;
	struct vm_jit_stats before, after = {0};
	vm_jit_stats(&before);
	do {
		double t0 = now();
		struct vm_module *m =
			vm_module_load(&host_ops, bytes, len, &err);
		double t1 = now();
		struct vm_instance *inst =
			m ? vm_instantiate(m, resolve, (void *)&host_ops, &err)
			  : NULL;
		if (!inst) {
			fprintf(stderr, "compile-time: %s: %s\n", path,
				err.msg);
			free(bytes);
			return 1;
		}
		double t2 = now();
		for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
			vm_jit_compile(inst->funcs[i]);
		double t3 = now();
		if (!compiles)
			vm_jit_stats(&after); /* one module's worth */
		load_s += t1 - t0;
		loads++;
		compile_s += t3 - t2;
		compiles++;
		vm_instance_free(inst);
		vm_module_free(m);
	} while (load_s + compile_s < 0.2);
	uint32_t code = code_section_size(bytes, len);
	free(bytes);
	printf("compile-time %s code-bytes %u load-s %.6f compile-s %.6f "
	       "compiled %u interpreted %u native-bytes %llu\n",
	       path, code, load_s / loads, compile_s / compiles,
	       after.compiled - before.compiled,
	       after.fallback - before.fallback,
	       (unsigned long long)(after.code_bytes - before.code_bytes));
	t->code_bytes += code;
	t->load_s += load_s / loads;
	t->compile_s += compile_s / compiles;
	return 0;
}

int main(int argc, char **argv)
{
	struct totals t = {0};
	int bad = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: compile-time FILE.wasm...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		bad |= measure(argv[i], &t);
	if (bad)
		return 1;
	double mib = t.code_bytes / (1024.0 * 1024.0);
	printf("compile-time total code-bytes %.0f load-s-per-MiB %.3f "
	       "compile-s-per-MiB %.3f\n",
	       t.code_bytes, t.load_s / mib, t.compile_s / mib);
	return 0;
}
