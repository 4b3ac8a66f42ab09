/*
 * tools/jitcheck/interrupt.c: the compiler tier's interrupt protocol
 * (vm/jit/jit.h), on the host-i386 build: `interrupt OPS.wasm
 * NESTED.wasm`. From tests/vm/jit/ops.wat it runs "sum" (a loop: the
 * back-edge poll) and "nest" (sum called from compiled code, twice deep:
 * the poll at a compiled call) with the thread's interrupt flag set;
 * from tests/vm/jit/nested.wat "outer" (the flag set by a host function
 * inside a callee a nested interpreter runs: the interrupt comes from
 * the nested vm_exec, with compiled code waiting below it) and "direct"
 * (the flag set by a host function compiled code calls) and "fast"
 * (the flag seen at the entry of a compiled callee called directly by
 * compiled code). Each wants
 * VM_ERR_INTERRUPTED, clears the flag, resumes (in the interpreter) and
 * wants the sum, and the functions must have been compiled. Then the
 * same with the interpreter only, as the reference. Prints one line per
 * check; exit status 1 on a failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../wasmrun/host_ops.h"

static int failed;
static volatile int flag;

static void check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failed |= !ok;
}

/* nested.wat's env.stop: sets the interrupt flag. */
static int stop(struct vm_hostcall *call, vm_value *args)
{
	(void)call;
	(void)args;
	flag = 1;
	return 0;
}

static const struct vm_functype void_type = {0};

static bool resolve(void *ctx, const char *module, const char *field,
		    enum vm_extern_kind kind, const struct vm_functype *type,
		    struct vm_extern *out)
{
	(void)type;
	if (strcmp(module, "env") || strcmp(field, "stop") ||
	    kind != VM_EXTERN_FUNC)
		return false;
	out->kind = VM_EXTERN_FUNC;
	out->u.func = vm_func_new_host(ctx, &void_type, stop, NULL);
	return out->u.func != NULL;
}

/* Call export name(n) interrupted, then resumed: wants result `want`.
 * preset: the flag is set before the call (else env.stop sets it). */
static void interrupted(const struct vm_host_ops *ops, struct vm_module *m,
			const char *name, uint32_t n, uint32_t want,
			bool preset, const char *label)
{
	struct vm_error err;
	struct vm_instance *inst =
		vm_instantiate(m, resolve, (void *)ops, &err);
	struct vm_thread *th = vm_thread_new(ops, 0, 0);
	struct vm_extern x;
	char what[160];
	if (!inst || !th || !vm_instance_export(inst, name, &x) ||
	    x.kind != VM_EXTERN_FUNC) {
		check(0, "instantiate");
		return;
	}
	flag = preset;
	vm_thread_set_interrupt(th, &flag);
	vm_value a = {.u64 = n}, r = {0};
	enum vm_err_kind k = vm_call(th, x.u.func, &a, 1, &r, 1, &err);
	snprintf(what, sizeof(what), "%s %s(%u): interrupted (%d)", label, name,
		 n, (int)k);
	check(k == VM_ERR_INTERRUPTED, what);
	flag = 0;
	k = vm_resume(th, &r, 1, &err);
	snprintf(what, sizeof(what), "%s %s(%u): resumed: %u, want %u", label,
		 name, n, r.u32, want);
	check(k == VM_OK && r.u32 == want, what);
	vm_thread_free(th);
	vm_instance_free(inst);
}

static struct vm_module *load(const struct vm_host_ops *ops, const char *path)
{
	static uint8_t bytes[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t len = f ? fread(bytes, 1, sizeof(bytes), f) : 0;
	if (f)
		fclose(f);
	struct vm_error err;
	struct vm_module *m = vm_module_load(ops, bytes, len, &err);
	if (!m)
		fprintf(stderr, "interrupt: %s: %s\n", path, err.msg);
	return m;
}

/* Functions compiled so far must be `want`. */
static void compiled(uint32_t want, const char *when)
{
	struct vm_jit_stats st;
	vm_jit_stats(&st);
	char what[120];
	snprintf(what, sizeof(what),
		 "compiled after %s: %u functions (want %u)", when, st.compiled,
		 want);
	check(st.compiled == want, what);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: interrupt OPS.wasm NESTED.wasm\n");
		return 2;
	}
	const struct vm_host_ops *all[] = {&host_ops, &host_ops_interp};
	const char *labels[] = {"compiled", "interpreted"};
	for (int i = 0; i < 2; i++) {
		struct vm_module *m = load(all[i], argv[1]);
		struct vm_module *n = load(all[i], argv[2]);
		if (!m || !n)
			return 2;
		interrupted(all[i], m, "sum", 1000, 499500, true, labels[i]);
		interrupted(all[i], m, "nest", 1000, 499501, true, labels[i]);
		/* sum; then, in nest's instance, nest and $sum_fn
		 * (interrupted at the call $sum_fn makes) and sum, which
		 * the resumed interpreter calls */
		if (i == 0)
			compiled(4, "ops.wat");
		interrupted(all[i], n, "outer", 1000, 500501, false, labels[i]);
		interrupted(all[i], n, "direct", 1000, 500502, false,
			    labels[i]);
		interrupted(all[i], n, "fast", 1000, 1002, false, labels[i]);
		/* outer, direct, fast, $leaf and $stopper; $inner is
		 * interpreted */
		if (i == 0)
			compiled(9, "nested.wat");
		vm_module_free(m);
		vm_module_free(n);
	}
	return failed;
}
