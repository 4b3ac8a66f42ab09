/*
 * The kernel's embedding of the VM (see <kernel/program.h>).
 *
 * Linear memories come from the sbrk heap's malloc, as the design wants:
 * programs' data lives in the heap area, reached directly by the kernel.
 * Everything else the VM allocates (modules, compiled code, stacks) comes
 * from kmalloc.
 */
#include <arch/ops.h>
#include <arch/timer.h>
#include <kernel/console.h>
#include <kernel/err.h>
#include <kernel/printk.h>
#include <kernel/program.h>
#include <kernel/ramdisk.h>
#include <kernel/sched.h>
#include <mm/kheap.h>
#include <mm/layout.h>
#include <mm/malloc.h>
#include <mm/tlsf.h>
#include <mm/mm.h>
#include <stdarg.h>
#include <string.h>

#include "../vm/vm.h"
#include "../vm/wasi.h"

/* Messages about a program (cannot load, trapped) are its stderr: they
 * reach the console even under `quiet`, which silences only the kernel. */
static void PRINTF_LIKE(1, 2) report(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/*
 * The VM's own data: small objects from kmalloc, large ones (value stacks,
 * compiled code of big modules) from the sbrk heap, so a few programs do
 * not use up the fixed 16 MiB kernel heap. Which heap a pointer came from
 * is told by its address.
 */
#define LARGE_ALLOC (64u * 1024)

static bool in_kernel_heap(const void *p)
{
	return (uintptr_t)p >= mm_layout.kheap_start &&
	       (uintptr_t)p < mm_layout.kheap_end;
}

static void *heap_small(size_t n)
{
	return kmalloc(n);
}

static void *heap_large(size_t n)
{
	return malloc(n);
}

static void k_free(void *ctx, void *p)
{
	if (!p)
		return;
	if (in_kernel_heap(p))
		kfree(p);
	else
		free(p);
}

static void *k_alloc(void *ctx, size_t n)
{
	return n >= LARGE_ALLOC ? heap_large(n) : heap_small(n);
}

static size_t usable_size(const void *p)
{
	return in_kernel_heap(p) ? kmalloc_usable_size(p) : tlsf_block_size(p);
}

/* Resize by moving: keeps the small/large split by size. */
static void *k_realloc(void *ctx, void *p, size_t n)
{
	if (!p)
		return k_alloc(ctx, n);
	size_t old = usable_size(p);
	if (n <= old && (n >= LARGE_ALLOC) == !in_kernel_heap(p))
		return p;
	void *q = k_alloc(ctx, n);
	if (q) {
		memcpy(q, p, old < n ? old : n);
		k_free(ctx, p);
	}
	return q;
}

static void *k_mem_alloc(void *ctx, size_t n)
{
	void *p = heap_large(n ? n : 1);
	if (p)
		memset(p, 0, n ? n : 1);
	return p;
}

/* memory.grow: a kill must not land between taking the new block and the
 * VM owning it (the copy is long, so a tick there is likely), or the block
 * would be lost; preemption waits for the hand-over. */
static void *k_mem_grow(void *ctx, void *p, size_t old, size_t n)
{
	bool sched = sched_running();

	if (sched)
		sched_preempt_disable();
	unsigned char *q = heap_large(n);
	if (q) {
		memcpy(q, p, old);
		memset(q + old, 0, n - old);
		k_free(ctx, p);
	}
	if (sched)
		sched_preempt_enable();
	return q;
}

static void k_mem_free(void *ctx, void *p, size_t n)
{
	k_free(ctx, p);
}

/* A program's value stack (2 MiB, from the sbrk heap) and call depth (the
 * host tools' depth, so traps come out the same everywhere). */
#define PROGRAM_STACK_SLOTS (256u * 1024)
#define PROGRAM_MAX_DEPTH 10000

static const struct vm_host_ops kernel_vm_ops = {
	NULL, k_alloc, k_realloc, k_free, k_mem_alloc, k_mem_grow, k_mem_free,
};

static long w_write(void *ctx, int fd, const void *buf, size_t len)
{
	console_write(buf, len);
	return (long)len;
}

/* Blocking read of one byte from the console, echoed; Ctrl-D is the end
 * of input. */
static long w_read(void *ctx, void *buf, size_t len)
{
	char *out = buf;
	int c;

	if (len == 0)
		return 0;
	while ((c = console_getc()) < 0) {
		if (sched_running())
			proc_sleep_ms(10); /* the console is polled */
		else
			arch_idle();
	}
	if (c == 4)
		return 0;
	out[0] = c == '\r' ? '\n' : (char)c;
	/* Echo, as a terminal in line mode would: the console has no tty
	 * layer, and the person typing wants to see the line. */
	console_write(out, 1);
	return 1;
}

static uint64_t w_clock(void *ctx, uint32_t id)
{
	return arch_time_ns();
}

static void w_sleep(void *ctx, uint64_t ns)
{
	uint64_t until = arch_time_ns() + ns;

	if (sched_running()) {
		uint64_t ms = (ns + 999999) / 1000000;
		proc_sleep_ms(ms > 0xffffffffu ? 0xffffffffu : (unsigned)ms);
		return;
	}
	while (arch_time_ns() < until)
		arch_idle();
}

static void w_yield(void *ctx)
{
	if (sched_running())
		proc_yield();
}

/* xorshift64*, seeded from the cycle counter: not cryptographic, and said
 * so in docs/vm.md. */
static void w_random(void *ctx, void *buf, size_t len)
{
	static uint64_t state;
	unsigned char *out = buf;

	if (!state)
		state = arch_cycles() | 1;
	for (size_t i = 0; i < len; i++) {
		state ^= state >> 12;
		state ^= state << 25;
		state ^= state >> 27;
		out[i] = (unsigned char)((state * 0x2545f4914f6cdd1dull) >> 56);
	}
}

static bool w_lookup(void *ctx, const char *path, size_t len,
		     const uint8_t **data, uint64_t *size)
{
	char name[RAMDISK_NAME_MAX + 1];

	if (len > RAMDISK_NAME_MAX)
		return false;
	memcpy(name, path, len);
	name[len] = '\0';
	const struct ramdisk_file *f = ramdisk_find(&kernel_ramdisk, name);
	if (!f)
		return false;
	*data = f->data;
	*size = f->size;
	return true;
}

/* poll_oneoff on stdin: look at the console every 10 ms, as w_read does
 * (it is polled), sleeping in between so the process stays killable. */
static bool w_poll_read(void *ctx, uint64_t timeout_ns)
{
	uint64_t start = arch_time_ns();

	while (!console_input_ready()) {
		uint64_t waited = arch_time_ns() - start;
		if (waited >= timeout_ns)
			return false;
		uint64_t left_ms = (timeout_ns - waited + 999999) / 1000000;
		if (sched_running())
			proc_sleep_ms(left_ms < 10 ? (unsigned)left_ms : 10);
		else
			arch_idle();
	}
	return true;
}

static const struct vm_wasi_ops kernel_wasi_ops = {
	NULL,	  w_write,  w_read,  w_clock,	  w_sleep,
	w_random, w_lookup, w_yield, w_poll_read,
};

/* NAME, or else NAME.wasm, so `run hello` finds hello.wasm. */
static const struct ramdisk_file *find_program(const char *name)
{
	char with_ext[RAMDISK_NAME_MAX + 1];
	const struct ramdisk_file *f = ramdisk_find(&kernel_ramdisk, name);

	if (f || strlen(name) + 5 > RAMDISK_NAME_MAX)
		return f;
	strlcpy(with_ext, name, sizeof(with_ext));
	memcpy(with_ext + strlen(name), ".wasm", 6);
	return ramdisk_find(&kernel_ramdisk, with_ext);
}

/* Everything one run of a program holds. Registered with the running
 * process, so a program killed in the middle of running is torn down by
 * its process's exit like any other resource. */
struct program_state {
	struct proc_resource res;
	struct vm_module *module;
	struct vm_wasi *wasi;
	struct vm_thread *thread;
	struct vm_instance *instance;
};

static void program_free(struct program_state *st)
{
	if (st->instance)
		vm_instance_free(st->instance);
	if (st->wasi) {
		vm_wasi_free(st->wasi);
		kfree(st->wasi);
	}
	if (st->thread)
		vm_thread_free(st->thread);
	if (st->module)
		vm_module_free(st->module);
	kfree(st);
}

static void program_release(struct proc_resource *r)
{
	program_free((struct program_state *)r);
}

int program_run(const char *name, int argc, const char *const *argv)
{
	struct vm_error err;
	const struct ramdisk_file *f = find_program(name);
	int status = 0;

	if (!f) {
		report("run: %s: no such program in the ramdisk\n", name);
		return -ENOENT;
	}
	if (!mm_virtual_memory()) {
		report("run: %s: no sbrk heap for linear memory on this "
		       "architecture yet\n", name);
		return -ENOSYS;
	}
	struct program_state *st = kmalloc(sizeof(*st));
	if (!st) {
		report("run: %s: out of kernel memory\n", name);
		return -ENOMEM;
	}
	memset(st, 0, sizeof(*st));
	st->res.release = program_release;
	if (sched_running())
		proc_resource_add(&st->res);

	st->module = vm_module_load(&kernel_vm_ops, f->data, f->size, &err);
	if (!st->module) {
		report("run: %s: %s\n", name, err.msg);
		status = -ENOEXEC;
		goto out;
	}
	st->wasi = kmalloc(sizeof(*st->wasi));
	st->thread = vm_thread_new(&kernel_vm_ops, PROGRAM_STACK_SLOTS,
				   PROGRAM_MAX_DEPTH);
	if (!st->wasi || !st->thread) {
		report("run: %s: out of memory\n", name);
		status = -ENOMEM;
		goto out;
	}
	vm_wasi_init(st->wasi, &kernel_vm_ops, &kernel_wasi_ops, argc, argv, 0,
		     NULL);
	st->instance = vm_instantiate(st->module, vm_wasi_resolve, st->wasi, &err);
	if (!st->instance) {
		report("run: %s: %s\n", name, err.msg);
		status = -ENOEXEC;
		goto out;
	}
	enum vm_err_kind k = vm_instance_start(st->instance, st->thread, &err);
	if (k == VM_OK) {
		struct vm_extern start;
		if (!vm_instance_export(st->instance, "_start", &start) ||
		    start.kind != VM_EXTERN_FUNC) {
			report("run: %s: no _start export: not a WASI command\n",
			       name);
			status = -ENOEXEC;
			goto out;
		}
		k = vm_call(st->thread, start.u.func, NULL, NULL, &err);
	}
	if (k == VM_ERR_EXIT) {
		status = err.exit_code & 0xff;
	} else if (k == VM_ERR_TRAP) {
		report("run: %s: %s\n", name, err.msg);
		status = PROGRAM_TRAP_STATUS;
	} else if (k != VM_OK) {
		report("run: %s: %s\n", name, err.msg);
		status = PROGRAM_TRAP_STATUS;
	}
out:
	/* No kill may land between forgetting the resource and freeing it. */
	if (sched_running()) {
		sched_preempt_disable();
		proc_resource_remove(&st->res);
		program_free(st);
		sched_preempt_enable();
	} else {
		program_free(st);
	}
	return status;
}

/* A program started as a process: its name and arguments, copied, owned
 * by the process (released when it exits or is killed). */
struct program_job {
	struct proc_resource res;
	int argc;
	const char *argv[PROGRAM_MAX_ARGS + 1];
	char strings[];
};

static void job_release(struct proc_resource *r)
{
	kfree((struct program_job *)r);
}

static void program_main(void *arg)
{
	struct program_job *job = arg;

	job->res.release = job_release;
	proc_resource_add(&job->res);
	int status = program_run(job->argv[0], job->argc, job->argv);
	proc_exit(status < 0 ? 127 : status);
}

int program_spawn(int argc, const char *const *argv, unsigned flags)
{
	size_t bytes = 0;

	if (argc < 1 || argc > PROGRAM_MAX_ARGS)
		return -E2BIG;
	for (int i = 0; i < argc; i++)
		bytes += strlen(argv[i]) + 1;
	struct program_job *job = kmalloc(sizeof(*job) + bytes);
	if (!job)
		return -ENOMEM;
	char *dst = job->strings;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		memcpy(dst, argv[i], n);
		job->argv[i] = dst;
		dst += n;
	}
	job->argv[argc] = NULL;
	job->argc = argc;
	int pid = proc_spawn(argv[0], program_main, job, PROC_PRIO_DEFAULT, 0,
			     flags);
	if (pid < 0)
		kfree(job);
	return pid;
}
