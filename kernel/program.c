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
#include <mm/mm.h>
#include <mm/tlsf.h>
#include <stdarg.h>
#include <string.h>

#include "program_internal.h"

/* Messages about a program (cannot load, trapped) are its stderr: they
 * reach the console even under `quiet`, which silences only the kernel. */
void program_report(const char *fmt, ...)
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
#define PROGRAM_MAX_DEPTH   10000

const struct vm_host_ops program_vm_ops = {
	NULL, k_alloc, k_realloc, k_free, k_mem_alloc, k_mem_grow, k_mem_free,
};

static long w_write(void *ctx, int fd, const void *buf, size_t len)
{
	console_write(buf, len);
	return (long)len;
}

/* Has the program this state runs in been told to end (another thread
 * exited or trapped)? Blocking hooks give up then, so the VM reaches its
 * interrupt flag. */
static bool stopping(void *ctx)
{
	const struct program_state *st = ctx;
	return st && st->group->stop;
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
		if (stopping(ctx))
			return 0;
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

/* Sleeps in short steps so that a program told to stop does not sleep
 * out a long poll_oneoff first. */
#define SLEEP_STEP_MS 50u

static void w_sleep(void *ctx, uint64_t ns)
{
	uint64_t until = arch_time_ns() + ns;

	if (!sched_running()) {
		while (arch_time_ns() < until)
			arch_idle();
		return;
	}
	for (;;) {
		uint64_t now = arch_time_ns();
		if (now >= until || stopping(ctx))
			return;
		uint64_t ms = (until - now + 999999) / 1000000;
		proc_sleep_ms(ms > SLEEP_STEP_MS ? SLEEP_STEP_MS
						 : (unsigned)ms);
	}
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
 * (it is polled), sleeping in between so the process stays killable. A
 * program told to stop gets "ready": its read then returns end of input. */
static bool w_poll_read(void *ctx, uint64_t timeout_ns)
{
	uint64_t start = arch_time_ns();

	while (!console_input_ready()) {
		if (stopping(ctx))
			return true;
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

/* The instance goes before the shared memory it may use. */
static void state_free(struct program_state *st)
{
	struct shm_handle *shm = st->shm;

	if (proc_current()->wait_abort == &st->group->stop)
		proc_current()->wait_abort = NULL;
	if (st->instance)
		vm_instance_free(st->instance);
	if (st->spawn_fn)
		vm_func_free_host(&program_vm_ops, st->spawn_fn);
	if (st->wasi) {
		vm_wasi_free(st->wasi);
		kfree(st->wasi);
	}
	if (st->thread)
		vm_thread_free(st->thread);
	kfree(st);
	if (shm)
		shm_close(shm);
}

static void program_release(struct proc_resource *r)
{
	state_free((struct program_state *)r);
}

/* No kill may land between forgetting the resource and freeing it. The
 * shared memory's handle is a resource of its own, closed after (closing
 * may sleep on the registry lock, which it must not with preemption off). */
void program_state_free(struct program_state *st)
{
	struct shm_handle *shm = st->shm;

	sched_preempt_disable();
	proc_resource_remove(&st->res);
	st->shm = NULL;
	state_free(st);
	sched_preempt_enable();
	if (shm)
		shm_close(shm);
}

struct program_state *program_state_new(struct program_group *g)
{
	struct program_state *st = kmalloc(sizeof(*st));

	if (!st)
		return NULL;
	memset(st, 0, sizeof(*st));
	st->group = g;
	st->res.release = program_release;
	st->wasi_ops = kernel_wasi_ops;
	st->wasi_ops.ctx = st;
	st->wasi = kmalloc(sizeof(*st->wasi));
	st->thread = vm_thread_new(&program_vm_ops, PROGRAM_STACK_SLOTS,
				   PROGRAM_MAX_DEPTH);
	if (st->wasi)
		vm_wasi_init(st->wasi, &program_vm_ops, &st->wasi_ops, g->argc,
			     g->argv, 0, NULL);
	if (st->thread)
		vm_thread_set_interrupt(st->thread, &g->stop);
	proc_current()->wait_abort = &g->stop;
	proc_resource_add(&st->res);
	if (!st->wasi || !st->thread) {
		program_state_free(st);
		return NULL;
	}
	return st;
}

/* Imports: shared memories, `wasi`.`thread-spawn`, then WASI. */
static bool program_resolve(void *ctx, const char *module, const char *field,
			    enum vm_extern_kind kind,
			    const struct vm_functype *type,
			    struct vm_extern *out)
{
	struct program_state *st = ctx;

	if (kind == VM_EXTERN_MEMORY || strcmp(module, "wasi") == 0)
		return program_thread_resolve(st, module, field, type, out);
	return vm_wasi_resolve(st->wasi, module, field, kind, type, out);
}

bool program_instantiate(struct program_state *st, unsigned flags)
{
	struct vm_error err;

	st->instance = vm_instantiate_flags(st->group->module, program_resolve,
					    st, flags, &err);
	if (!st->instance)
		program_report("run: %s: %s\n", st->group->name, err.msg);
	return st->instance != NULL;
}

int program_status(const struct program_group *g, enum vm_err_kind k,
		   const struct vm_error *err)
{
	switch (k) {
	case VM_OK: return 0;
	case VM_ERR_EXIT: return err->exit_code & 0xff;
	case VM_ERR_INTERRUPTED:
		/* stopped because another thread ended the program */
		return g->exit_status;
	default:
		program_report("run: %s: %s\n", g->name, err->msg);
		return PROGRAM_TRAP_STATUS;
	}
}

/* Instantiate and run _start; the exit status. */
static int run_main(struct program_group *g, struct program_state *st)
{
	struct vm_error err;
	struct vm_extern start;

	if (!program_instantiate(st, 0))
		return -ENOEXEC;
	enum vm_err_kind k = vm_instance_start(st->instance, st->thread, &err);
	if (k == VM_OK) {
		if (!vm_instance_export(st->instance, "_start", &start) ||
		    start.kind != VM_EXTERN_FUNC) {
			program_report("run: %s: no _start export: not a WASI "
				       "command\n",
				       g->name);
			return -ENOEXEC;
		}
		k = vm_call(st->thread, start.u.func, NULL, NULL, &err);
	}
	return program_status(g, k, &err);
}

/* The group with a copy of the arguments, which its threads read until
 * the main thread has reaped them. */
static struct program_group *group_new(int argc, const char *const *argv)
{
	size_t bytes = 0;

	for (int i = 0; i < argc; i++)
		bytes += strlen(argv[i]) + 1;
	struct program_group *g = kcalloc(
		1, sizeof(*g) + (size_t)(argc + 1) * sizeof(char *) + bytes);
	if (!g)
		return NULL;
	const char **args = (const char **)(g + 1);
	char *dst = (char *)(args + argc + 1);
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		memcpy(dst, argv[i], n);
		args[i] = dst;
		dst += n;
	}
	g->argc = argc;
	g->argv = args;
	g->name = args[0];
	g->main = proc_current();
	mutex_init(&g->lock, "program threads");
	snprintf(g->mem_name, sizeof(g->mem_name), "%.20s.%d", g->name,
		 g->main->pid);
	return g;
}

static void group_free(struct program_group *g)
{
	if (g->module)
		vm_module_free(g->module);
	kfree(g);
}

/* The main thread was killed: its threads go too, before the module. */
static void group_release(struct proc_resource *r)
{
	struct program_group *g = (struct program_group *)r;
	program_group_stop(g, PROC_EXIT_KILLED);
	program_group_reap(g);
	group_free(g);
}

int program_run(const char *name, int argc, const char *const *argv)
{
	struct vm_error err;
	const struct ramdisk_file *f =
		ramdisk_find_program(&kernel_ramdisk, name);
	const char *only_name[] = {name, NULL};

	if (!f) {
		char have[128];
		ramdisk_summary(&kernel_ramdisk, have, sizeof(have));
		program_report("run: %s: no such program (%s)\n", name, have);
		return -ENOENT;
	}
	if (!mm_virtual_memory()) {
		program_report(
			"run: %s: no sbrk heap for linear memory on this "
			"architecture yet\n",
			name);
		return -ENOSYS;
	}
	if (argc < 1) {
		argc = 1;
		argv = only_name;
	}
	struct program_group *g = group_new(argc, argv);
	if (!g) {
		program_report("run: %s: out of kernel memory\n", name);
		return -ENOMEM;
	}
	g->module = vm_module_load(&program_vm_ops, f->data, f->size, &err);
	if (!g->module) {
		program_report("run: %s: %s\n", name, err.msg);
		group_free(g);
		return -ENOEXEC;
	}
	struct program_state *st = program_state_new(g);
	if (!st) {
		program_report("run: %s: out of memory\n", name);
		group_free(g);
		return -ENOMEM;
	}
	/* Registered after the state, so a kill releases the state first. */
	g->res.release = group_release;
	proc_resource_add(&g->res);

	int status = run_main(g, st);
	/* The program ends when _start does, whatever its threads do. */
	program_group_stop(g, status < 0 ? PROGRAM_TRAP_STATUS : status);
	if (status >= 0)
		status = g->exit_status;
	program_group_reap(g);
	program_state_free(st);
	sched_preempt_disable();
	proc_resource_remove(&g->res);
	group_free(g);
	sched_preempt_enable();
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
