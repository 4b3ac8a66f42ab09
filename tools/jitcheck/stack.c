/*
 * tools/jitcheck/stack.c: the compiler tier's native stack limit
 * (vm/jit_stack.c) on the backends' inline calls: `stack STACK.wasm`
 * (tests/vm/jit/stack.wat). Each call runs on a thread of its own whose
 * stack is STACK_SIZE bytes above a PROT_NONE guard page, with the VM
 * thread's native limit RESERVE bytes above the stack's bottom, as the
 * kernel sets it for a process (kernel/program_code.c). deep(n) and
 * wide(n) recurse n deep through compiled calls to compiled code; 24-32
 * bytes of native stack per inline call, so without the limit's compare
 * in the inline path 10,000 levels would run into the guard page (a
 * SIGSEGV ends this program: a failure). Wants 2n for n up to a depth
 * beyond what the stack holds natively, and `call stack exhausted` past
 * max_depth, exactly as the interpreter alone gives; then the functions
 * must have been compiled. One line per check; exit status 1 on a
 * failure.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "../wasmrun/host_ops.h"

#define STACK_SIZE (128u * 1024)
#define RESERVE	   (64u * 1024)
#define GUARD	   4096u

static int failed;

static void check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failed |= !ok;
}

struct job {
	const struct vm_host_ops *ops;
	struct vm_module *m;
	const char *name;
	uint32_t n;
	uint8_t *stack_lo; /* the usable stack's bottom */
	/* out */
	enum vm_err_kind k;
	uint32_t result;
	char msg[160];
};

static void *run(void *arg)
{
	struct job *jb = arg;
	struct vm_error err = {0};
	struct vm_instance *inst = vm_instantiate(jb->m, NULL, NULL, &err);
	struct vm_thread *th = vm_thread_new(jb->ops, 0, 0);
	struct vm_extern x;
	jb->k = VM_ERR_MISUSE;
	if (!inst || !th || !vm_instance_export(inst, jb->name, &x) ||
	    x.kind != VM_EXTERN_FUNC) {
		snprintf(jb->msg, sizeof(jb->msg), "no instance");
		return NULL;
	}
	vm_thread_set_stack_limit(th, (uintptr_t)jb->stack_lo + RESERVE);
	vm_value a = {.u64 = jb->n}, r = {0};
	jb->k = vm_call(th, x.u.func, &a, 1, &r, 1, &err);
	jb->result = r.u32;
	snprintf(jb->msg, sizeof(jb->msg), "%s", jb->k == VM_OK ? "" : err.msg);
	vm_thread_free(th);
	vm_instance_free(inst);
	return NULL;
}

/* name(n) on a small stack: the result, or the error's message. */
static void call_small(struct job *jb)
{
	uint8_t *map = mmap(NULL, GUARD + STACK_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_attr_t attr;
	pthread_t t;
	snprintf(jb->msg, sizeof(jb->msg), "no thread");
	jb->k = VM_ERR_MISUSE;
	if (map == MAP_FAILED)
		return;
	jb->stack_lo = map + GUARD;
	if (mprotect(map, GUARD, PROT_NONE) == 0 &&
	    pthread_attr_init(&attr) == 0) {
		if (pthread_attr_setstack(&attr, jb->stack_lo, STACK_SIZE) ==
			    0 &&
		    pthread_create(&t, &attr, run, jb) == 0)
			pthread_join(t, NULL);
		pthread_attr_destroy(&attr);
	}
	munmap(map, GUARD + STACK_SIZE);
}

int main(int argc, char **argv)
{
	static const char *const names[] = {"deep", "wide"};
	static const uint32_t depths[] = {10, 2000, 9000, 100000};
	if (argc != 2) {
		fprintf(stderr, "usage: stack STACK.wasm\n");
		return 2;
	}
	/* the module once for each side, from one read of the file */
	static uint8_t wasm[1 << 12];
	FILE *file = fopen(argv[1], "rb");
	size_t len = file ? fread(wasm, 1, sizeof(wasm), file) : 0;
	if (file)
		fclose(file);
	struct vm_error err;
	struct vm_module *mc = vm_module_load(&host_ops, wasm, len, &err);
	struct vm_module *mi =
		mc ? vm_module_load(&host_ops_interp, wasm, len, &err) : NULL;
	if (!mi) {
		fprintf(stderr, "stack: %s: %s\n", argv[1], err.msg);
		return 2;
	}
	for (size_t f = 0; f < 2; f++) {
		for (size_t d = 0; d < sizeof(depths) / sizeof(depths[0]);
		     d++) {
			struct job c = {.ops = &host_ops,
					.m = mc,
					.name = names[f],
					.n = depths[d]};
			struct job i = {.ops = &host_ops_interp,
					.m = mi,
					.name = names[f],
					.n = depths[d]};
			call_small(&c);
			call_small(&i);
			char what[400];
			snprintf(what, sizeof(what),
				 "%s(%u): compiled %d %u '%s', interpreted %d "
				 "%u '%s'",
				 names[f], depths[d], (int)c.k, c.result, c.msg,
				 (int)i.k, i.result, i.msg);
			bool want_ok = depths[d] < 10000;
			check(c.k == i.k && c.result == i.result &&
				      !strcmp(c.msg, i.msg) &&
				      (want_ok ? i.k == VM_OK &&
							 i.result ==
								 2 * depths[d]
					       : strstr(i.msg,
							"call stack "
							"exhausted") != NULL),
			      what);
		}
	}
	struct vm_jit_stats st;
	vm_jit_stats(&st);
	char what[80];
	/* each compiled call's instance compiles its function once */
	uint32_t want = 2 * (uint32_t)(sizeof(depths) / sizeof(depths[0]));
	snprintf(what, sizeof(what), "compiled: %u functions (want %u)",
		 st.compiled, want);
	check(st.compiled == want, what);
	vm_module_free(mc);
	vm_module_free(mi);
	return failed;
}
