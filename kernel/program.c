/*
 * The kernel's embedding of the VM (see <kernel/program.h>).
 *
 * Everything the VM allocates for a run (modules, compiled code, value
 * stacks, linear memories) comes from the sbrk heap through the run's
 * memory account (kernel/program_mem.h), as the design wants: programs'
 * data lives in the heap area, reached directly by the kernel, and the
 * fixed kernel heap stays the kernel's.
 *
 * Kills: a kill may land at any preemption point of a run. The group is a
 * resource of the main thread from the moment it exists, and its release
 * tears the run down in order (threads, the main thread's state, the
 * module, then whatever the account still holds), so nothing is lost
 * wherever the kill lands.
 */
#include <arch/ops.h>
#include <arch/timer.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/program.h>
#include <kernel/program_files.h>
#include <kernel/program_mem.h>
#include <kernel/ramdisk.h>
#include <kernel/sched.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <mm/mm.h>
#include <stdarg.h>
#include <string.h>

#include "program_internal.h"

/* Messages about a program (cannot load, trapped) are its stderr: they
 * reach the console even under `quiet`, which silences only the kernel. */
void program_report(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}

/* A program's value stack (2 MiB, from the sbrk heap) and call depth (the
 * host tools' depth, so traps come out the same everywhere). */
#define PROGRAM_STACK_SLOTS (256u * 1024)
#define PROGRAM_MAX_DEPTH   10000

/* Has the program this state runs in been told to end (another thread
 * exited or trapped)? Blocking hooks give up then, so the VM reaches its
 * interrupt flag. */
static bool stopping(void *ctx)
{
	const struct program_state *st = ctx;
	return st && st->group->stop;
}

static unsigned run_flags(void *ctx)
{
	const struct program_state *st = ctx;
	return st->group->flags;
}

static long w_write(void *ctx, int fd, const void *buf, size_t len)
{
	if (!(run_flags(ctx) & PROGRAM_QUIET))
		console_write(buf, len);
	return (long)len;
}

/* Blocking read of one byte from the console, echoed; Ctrl-D is the end
 * of input. A background program's stdin is at its end: the console's
 * input is the shell's while it runs (docs/processes.md). */
static long w_read(void *ctx, void *buf, size_t len)
{
	char *out = buf;
	int c;

	if (len == 0 || (run_flags(ctx) & PROGRAM_BACKGROUND))
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

	if (run_flags(ctx) & PROGRAM_BACKGROUND)
		return true; /* its read returns end of input at once */
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
	w_random, w_lookup, w_yield, w_poll_read, &program_fs_ops,
};

static struct vm_host_ops *ops_of(struct program_group *g)
{
	return &g->mem.ops;
}

/* The instance goes before the shared memory it may use. */
static void state_free(struct program_state *st)
{
	struct vm_host_ops *ops = ops_of(st->group);
	struct shm_handle *shm = st->shm;

	if (proc_current()->wait_abort == &st->group->stop)
		proc_current()->wait_abort = NULL;
	if (st->instance)
		vm_instance_free(st->instance);
	if (st->spawn_fn)
		vm_func_free_host(ops, st->spawn_fn);
	if (st->wasi) {
		vm_wasi_free(st->wasi);
		ops->free(ops->ctx, st->wasi);
	}
	program_files_release(st);
	if (st->thread)
		vm_thread_free(st->thread);
	ops->free(ops->ctx, st);
	if (shm)
		shm_close(shm);
}

static void program_release(struct proc_resource *r)
{
	state_free((struct program_state *)r);
}

/* Who owns a state: the group for its main thread (its release tears
 * the main state down in order), the thread's process for every other
 * thread. Preemption off: no kill lands while a state belongs to nobody. */
static void state_own(struct program_state *st)
{
	struct program_group *g = st->group;

	if (g->main == proc_current())
		g->main_state = st;
	else
		proc_resource_add(&st->res);
}

static void state_disown(struct program_state *st)
{
	struct program_group *g = st->group;

	if (g->main_state == st)
		g->main_state = NULL;
	else
		proc_resource_remove(&st->res);
}

/* No kill may land between disowning the state and freeing it. The
 * shared memory's handle is a resource of its own, closed after (closing
 * may sleep on the registry lock, which it must not with preemption off). */
void program_state_free(struct program_state *st)
{
	struct shm_handle *shm = st->shm;

	sched_preempt_disable();
	state_disown(st);
	st->shm = NULL;
	state_free(st);
	sched_preempt_enable();
	if (shm)
		shm_close(shm);
}

struct program_state *program_state_new(struct program_group *g)
{
	struct vm_host_ops *ops = ops_of(g);

	sched_preempt_disable();
	struct program_state *st = ops->alloc(ops->ctx, sizeof(*st));
	if (st) {
		memset(st, 0, sizeof(*st));
		st->group = g;
		st->res.release = program_release;
		state_own(st);
	}
	sched_preempt_enable();
	if (!st)
		return NULL;
	st->wasi_ops = kernel_wasi_ops;
	st->wasi_ops.ctx = st;
	/* Each object is whole before the state points at it: a kill in
	 * between leaves it to the account, never half made to state_free. */
	struct vm_wasi *wasi = ops->alloc(ops->ctx, sizeof(*wasi));
	if (wasi)
		vm_wasi_init(wasi, ops, &st->wasi_ops, g->argc, g->argv, 0,
			     NULL);
	st->wasi = wasi;
	struct vm_thread *th =
		vm_thread_new(ops, PROGRAM_STACK_SLOTS, PROGRAM_MAX_DEPTH);
	if (th) {
		vm_thread_set_interrupt(th, &g->stop);
		program_set_stack_limit(th);
	}
	st->thread = th;
	proc_current()->wait_abort = &g->stop;
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

/* After an error: why memory was refused, if it was. */
static void report_refusal(const struct program_group *g)
{
	char why[160];

	if (program_mem_refusal(&g->mem, why, sizeof(why)))
		program_report("run: %s: %s\n", g->name, why);
}

bool program_instantiate(struct program_state *st, unsigned flags)
{
	struct vm_error err;

	st->instance = vm_instantiate_flags(st->group->module, program_resolve,
					    st, flags, &err);
	if (!st->instance) {
		program_report("run: %s: %s\n", st->group->name, err.msg);
		if (err.kind == VM_ERR_NOMEM)
			report_refusal(st->group);
	}
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
		if (k == VM_ERR_NOMEM)
			report_refusal(g);
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
		const struct vm_functype *t = vm_func_type(start.u.func);
		if (t->nparams || t->nresults) {
			program_report("run: %s: _start is not () -> () (%u "
				       "parameters, %u results): not a WASI "
				       "command\n",
				       g->name, (unsigned)t->nparams,
				       (unsigned)t->nresults);
			return -ENOEXEC;
		}
		k = vm_call(st->thread, start.u.func, NULL, 0, NULL, 0, &err);
	}
	return program_status(g, k, &err);
}

static void group_release(struct proc_resource *r);

/* The group with a copy of the arguments, which its threads read until
 * the main thread has reaped them. Registered as the calling process's
 * resource before anything else is allocated for the run. */
static struct program_group *group_new(int argc, const char *const *argv,
				       const struct program_opts *opts)
{
	size_t bytes = 0;

	for (int i = 0; i < argc; i++)
		bytes += strlen(argv[i]) + 1;
	size_t size = sizeof(struct program_group) +
		      (size_t)(argc + 1) * sizeof(char *) + bytes;
	if (!kheap_can_spare(size))
		return NULL;
	struct program_group *g = kcalloc(1, size);
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
	g->flags = opts ? opts->flags : 0;
	spin_init(&g->lock);
	snprintf(g->mem_name, sizeof(g->mem_name), "%.20s.%d", g->name,
		 g->main->pid);
	program_mem_init(&g->mem, g->name, g->main->pid,
			 opts ? opts->mem_limit : 0);
	if (!(g->flags & PROGRAM_INTERP))
		program_code_enable(&g->mem);
	g->res.release = group_release;
	proc_resource_add(&g->res);
	return g;
}

/* Everything of the run that is left, in order: the threads (they use
 * the module and the shared memory), the main thread's state, the
 * module, whatever else the account holds, the group. A kill may land
 * anywhere in here (reaping waits): the group stays registered until
 * only the account's final sweep is left, and each step forgets what it
 * freed first, so a release that takes over frees nothing twice. */
static void group_teardown(struct program_group *g)
{
	program_group_reap(g);
	if (g->main_state)
		program_state_free(g->main_state);
	struct vm_module *m = g->module;
	g->module = NULL;
	if (m)
		vm_module_free(m);
	sched_preempt_disable();
	proc_resource_remove(&g->res); /* a no-op in group_release */
	program_mem_release(&g->mem);
	kfree(g);
	sched_preempt_enable();
}

/* The main thread was killed: its threads go too. */
static void group_release(struct proc_resource *r)
{
	struct program_group *g = (struct program_group *)r;

	program_group_stop(g, PROC_EXIT_KILLED);
	group_teardown(g);
}

int program_run_opts(const char *name, int argc, const char *const *argv,
		     const struct program_opts *opts)
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
	sched_preempt_disable();
	struct program_group *g = group_new(argc, argv, opts);
	sched_preempt_enable();
	if (!g) {
		program_report("run: %s: out of kernel memory\n", name);
		return -ENOMEM;
	}
	g->module = vm_module_load(ops_of(g), f->data, f->size, &err);
	if (!g->module) {
		program_report("run: %s: %s\n", name, err.msg);
		if (err.kind == VM_ERR_NOMEM)
			report_refusal(g);
		group_teardown(g);
		return err.kind == VM_ERR_NOMEM ? -ENOMEM : -ENOEXEC;
	}
	struct program_state *st = program_state_new(g);
	if (!st) {
		program_report("run: %s: out of memory\n", name);
		report_refusal(g);
		group_teardown(g);
		return -ENOMEM;
	}

	int status = run_main(g, st);
	/* The program ends when _start does, whatever its threads do. */
	program_group_stop(g, status < 0 ? PROGRAM_TRAP_STATUS : status);
	if (status >= 0)
		status = g->exit_status;
	group_teardown(g);
	return status;
}

int program_run(const char *name, int argc, const char *const *argv)
{
	return program_run_opts(name, argc, argv, NULL);
}

/* A program started as a process: its name, arguments and options,
 * copied, owned by the process from before it first runs (released when
 * it exits or is killed, even before it started). */
struct program_job {
	struct proc_resource res;
	struct program_opts opts;
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

	int status = program_run_opts(job->argv[0], job->argc, job->argv,
				      &job->opts);
	proc_exit(status < 0 ? 127 : status);
}

int program_spawn_opts(int argc, const char *const *argv, unsigned flags,
		       const struct program_opts *opts)
{
	size_t bytes = 0;

	if (argc < 1 || argc > PROGRAM_MAX_ARGS)
		return -E2BIG;
	for (int i = 0; i < argc; i++)
		bytes += strlen(argv[i]) + 1;
	if (!kheap_can_spare(sizeof(struct program_job) + bytes))
		return -ENOMEM;
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
	job->opts = opts ? *opts : (struct program_opts){0, 0};
	job->res.release = job_release;
	int pid =
		proc_spawn_owning(argv[0], program_main, job, PROC_PRIO_PROGRAM,
				  0, flags | PROC_PROGRAM, &job->res);
	if (pid < 0)
		kfree(job);
	return pid;
}

int program_spawn(int argc, const char *const *argv, unsigned flags)
{
	return program_spawn_opts(argc, argv, flags, NULL);
}
