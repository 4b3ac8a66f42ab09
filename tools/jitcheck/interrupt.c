/*
 * tools/jitcheck/interrupt.c: the compiler tier's interrupt protocol
 * (vm/jit/jit.h), on the host-i386 build: `interrupt FILE.wasm` runs
 * tests/vm/jit/ops.wat's "sum" (a loop: the back-edge poll) and "nest" (sum
 * called from compiled code, twice deep: the poll at a compiled call) with the
 * thread's interrupt flag set, wants VM_ERR_INTERRUPTED, clears the flag,
 * resumes (in the interpreter) and wants the sum, and checks the
 * functions were compiled. Then the same with the interpreter only, as
 * the reference. Prints one line per check; exit status 1 on a failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../wasmrun/host_ops.h"

static int failed;

static void check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failed |= !ok;
}

/* Call export name(n) interrupted, then resumed: wants result `want`. */
static void interrupted(const struct vm_host_ops *ops, struct vm_module *m,
			const char *name, uint32_t n, uint32_t want,
			const char *label)
{
	struct vm_error err;
	struct vm_instance *inst = vm_instantiate(m, NULL, NULL, &err);
	struct vm_thread *th = vm_thread_new(ops, 0, 0);
	struct vm_extern x;
	char what[160];
	if (!inst || !th || !vm_instance_export(inst, name, &x) ||
	    x.kind != VM_EXTERN_FUNC) {
		check(0, "instantiate");
		return;
	}
	volatile int flag = 1;
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

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: interrupt OPS.wasm\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	static uint8_t bytes[1 << 16];
	size_t len = f ? fread(bytes, 1, sizeof(bytes), f) : 0;
	if (f)
		fclose(f);
	struct vm_error err;
	const struct vm_host_ops *all[] = {&host_ops, &host_ops_interp};
	const char *labels[] = {"compiled", "interpreted"};
	for (int i = 0; i < 2; i++) {
		struct vm_module *m = vm_module_load(all[i], bytes, len, &err);
		if (!m) {
			fprintf(stderr, "interrupt: %s: %s\n", argv[1],
				err.msg);
			return 2;
		}
		interrupted(all[i], m, "sum", 1000, 499500, labels[i]);
		interrupted(all[i], m, "nest", 1000, 499501, labels[i]);
		vm_module_free(m);
		if (i == 0) {
			struct vm_jit_stats st;
			vm_jit_stats(&st);
			char what[80];
			/* sum; then, in nest's instance, nest and $sum_fn
			 * (interrupted at the call $sum_fn makes) and sum,
			 * which the resumed interpreter calls */
			snprintf(what, sizeof(what),
				 "compiled: %u functions (want 4)",
				 st.compiled);
			check(st.compiled == 4, what);
		}
	}
	return failed;
}
