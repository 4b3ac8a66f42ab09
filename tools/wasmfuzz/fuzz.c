/*
 * tools/wasmfuzz/fuzz.c: libFuzzer target over load + validate + compile +
 * instantiate (+ start with a small call depth and an instruction budget
 * enforced through the interrupt flag's polling points).
 *
 *   make -f vm/host.mk O=build build/host/wasmfuzz
 *   build/host/wasmfuzz -max_total_time=60 tools/wasmfuzz/corpus
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../vm/vm.h"
#include "../wasmrun/host_ops.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm_error err;
	static struct vm_thread *th;
	static volatile int stop = 1;
	struct vm_module *m = vm_module_load(&host_ops, data, size, &err);
	if (!m)
		return 0;
	if (!th) {
		th = vm_thread_new(&host_ops, 1 << 16, 200);
		/* stop at the first loop back-edge or call: no hangs */
		vm_thread_set_interrupt(th, &stop);
	}
	nstubs = 0;
	struct vm_instance *inst = vm_instantiate(m, resolve, NULL, &err);
	if (inst) {
		vm_instance_start(inst, th, &err);
		/* an interrupted start is abandoned: reset the thread */
		if (err.kind == VM_ERR_INTERRUPTED) {
			vm_thread_free(th);
			th = NULL;
		}
		vm_instance_free(inst);
	}
	for (int i = 0; i < nstubs; i++)
		vm_func_free_host(&host_ops, stubs[i]);
	vm_module_free(m);
	return 0;
}
