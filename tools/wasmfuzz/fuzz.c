/*
 * tools/wasmfuzz/fuzz.c: libFuzzer target over load + validate + compile +
 * instantiate, then running the start function and every exported function
 * (arguments zero) with a small call depth. A 2 ms interval timer sets the
 * VM's interrupt flag so looping inputs end promptly; an interrupted thread
 * is abandoned and recreated.
 *
 * An input that is not a module ("\0asm" first) is a recipe for
 * gen_code.c, which turns it into a valid 2.0 module (SIMD, reference
 * types, tables, bulk memory, multi-value): so libFuzzer's mutations of
 * the corpus's modules test the decoder and validator, and its mutations
 * of recipes the compiler and interpreter. FUZZ_DUMP=FILE writes the
 * module a recipe made (to look at a finding with wasm2wat).
 *
 *   make -f vm/host.mk O=build build/host/wasmfuzz
 *   build/host/wasmfuzz -max_total_time=60 tools/wasmfuzz/corpus
 */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "../wasmrun/host_ops.h"
#include "gen_code.h"
#include <vm/vm.h>

#include <stdbool.h>

static int nop(struct vm_hostcall *c, vm_value *a)
{
	(void)c;
	a[0].u64 = 0;
	return 0;
}

/* Link every function import to a stub of the wanted type. */
static struct vm_func *stubs[64];
static int nstubs;

static bool resolve(void *ctx, const char *module, const char *field,
		    enum vm_extern_kind kind, const struct vm_functype *type,
		    struct vm_extern *out)
{
	(void)ctx;
	(void)module;
	(void)field;
	if (kind != VM_EXTERN_FUNC || nstubs == 64)
		return false;
	stubs[nstubs] = vm_func_new_host(&host_ops, type, nop, NULL);
	out->kind = VM_EXTERN_FUNC;
	out->u.func = stubs[nstubs++];
	return true;
}

static volatile int stop;

static void on_alarm(int sig)
{
	(void)sig;
	stop = 1;
}

/* Run f; false if the thread was interrupted and had to be dropped. */
static bool run(struct vm_thread **th, struct vm_func *f)
{
	struct vm_error err;
	vm_value args[1000];
	const struct vm_functype *t = vm_func_type(f);
	struct itimerval it = {{0, 0}, {0, 2000}};
	uint32_t n = 0; /* values: a v128 is two */
	for (uint32_t i = 0; i < t->nparams; i++)
		n += t->params[i] == VM_V128 ? 2 : 1;
	if (n > 1000)
		return true;
	memset(args, 0, n * sizeof(args[0]));
	stop = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	enum vm_err_kind k = vm_call(*th, f, args, n, args, 1000, &err);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	if (k == VM_ERR_INTERRUPTED) {
		vm_thread_free(*th);
		*th = vm_thread_new(&host_ops, 1 << 16, 200);
		vm_thread_set_interrupt(*th, &stop);
		return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm_error err;
	static struct vm_thread *th;
	static uint8_t made[1 << 16];
	if (size < 4 || memcmp(data, "\0asm", 4) != 0) {
		size = gen_code_module(data, size, made, sizeof(made));
		data = made;
		const char *dump = getenv("FUZZ_DUMP");
		FILE *f = dump ? fopen(dump, "wb") : NULL;
		if (f) {
			fwrite(made, 1, size, f);
			fclose(f);
		}
	}
	struct vm_module *m = vm_module_load(&host_ops, data, size, &err);
	if (!m)
		return 0;
	if (!th) {
		signal(SIGALRM, on_alarm);
		th = vm_thread_new(&host_ops, 1 << 16, 200);
		vm_thread_set_interrupt(th, &stop);
	}
	nstubs = 0;
	struct vm_instance *inst = vm_instantiate(m, resolve, NULL, &err);
	if (inst) {
		struct vm_extern ex;
		bool ok = true;
		stop = 0;
		if (vm_instance_start(inst, th, &err) == VM_ERR_INTERRUPTED) {
			vm_thread_free(th);
			th = vm_thread_new(&host_ops, 1 << 16, 200);
			vm_thread_set_interrupt(th, &stop);
			ok = false;
		}
		/* exports, by index: vm.h has no iterator, so use the names */
		for (uint32_t i = 0; ok && i < vm_module_export_count(m); i++)
			if (vm_instance_export(
				    inst, vm_module_export_name(m, i), &ex) &&
			    ex.kind == VM_EXTERN_FUNC)
				ok = run(&th, ex.u.func);
		vm_instance_free(inst);
	}
	for (int i = 0; i < nstubs; i++)
		vm_func_free_host(&host_ops, stubs[i]);
	vm_module_free(m);
	return 0;
}
