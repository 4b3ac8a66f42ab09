/*
 * Threads of programs: the wasi-threads ABI (import `wasi`.`thread-spawn`,
 * export `wasi_thread_start`) and the shared memories they run on.
 *
 * thread-spawn(start_arg) starts a process that instantiates the same
 * module again, with the same shared memory, and calls
 * wasi_thread_start(tid, start_arg); the tid is that process's pid. The
 * thread's instance does not rewrite the data segments: the memory already
 * holds the program's data, which the main thread's instance wrote (wasm-ld
 * cannot give passive segments to programs linked against Debian's
 * wasi-libc, which is built without atomics). A thread ends when
 * wasi_thread_start returns. proc_exit or a trap in any thread ends the
 * whole program with that status; so does the end of _start.
 *
 * Memory imports: `shm`.NAME (shared) is the named area NAME, the one
 * kernel processes open with shm_open(); `env`.`memory` (shared, what
 * wasi-threads toolchains import) is an area private to this run, named
 * "<program>.<pid>". Both are created on first use, sized by the import's
 * limits, and live while any instance uses them.
 */
#include <kernel/klock.h>
#include <kernel/program_shm.h>
#include <kernel/program_wait.h>
#include <kernel/sched.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <string.h>

#include "program_internal.h"

/* A thread's start: owned by the group (freed when the main thread reaps
 * the thread), with a resource on the thread's process whose release
 * means the thread was killed. */
struct program_thread_job {
	struct proc_resource killed;
	struct program_group *group;
	uint32_t start_arg;
};

/* A thread's process was killed (by `kill PID`, not by the program's own
 * stop): the whole program ends, as it does when a thread exits or traps.
 * It could not go on with one of its threads missing: its main thread
 * might wait for that thread for ever. */
static void thread_killed(struct proc_resource *r)
{
	struct program_thread_job *job = (struct program_thread_job *)r;
	struct program_group *g = job->group;

	if (g->stop)
		return;
	program_report("run: %s: thread %d was killed: the program ends\n",
		       g->name, proc_current()->pid);
	program_group_stop(g, PROGRAM_KILLED_STATUS);
}

/* A name as a message shows it: control characters as '?', a long one
 * cut (a module's import names are any bytes it likes). */
static void shown_name(char *buf, size_t size, const char *name)
{
	size_t n = 0;

	for (; name[n] && n + 4 < size; n++)
		buf[n] = (unsigned char)name[n] >= ' ' && name[n] != 0x7f
				 ? name[n]
				 : '?';
	if (name[n]) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
}

/* The pages of the existing area `name`, or -1 if there is none. */
static long area_pages(const char *name)
{
	int err;
	struct shm_handle *h = shm_open(name, 0, 0, &err);
	long pages = h ? (long)(shm_size(h) / 65536) : -1;

	shm_close(h);
	return pages;
}

/* Say why program_shm_open() refused the import, each cause in its own
 * words: -EINVAL alone stands for a bad name, a minimum beyond what an
 * area may reserve and an existing area that is too small. */
static void report_open_failure(struct program_group *g, const char *module,
				const char *name, uint32_t min, int rc)
{
	const uint64_t cap_bytes = (uint64_t)CONFIG_PROGRAM_SHM_MAX_MB << 20;
	char shown[48], why[64];
	long pages;

	shown_name(shown, sizeof(shown), name);
	if (rc == -EINVAL && shm_name_check(name, why, sizeof(why)) < 0)
		program_report("run: %s: memory import %s.'%s': the shared "
			       "memory name %s\n",
			       g->name, module, shown, why);
	else if (rc == -EINVAL && (uint64_t)min * 65536 > cap_bytes)
		program_report("run: %s: shared memory '%s': the import's "
			       "minimum of %u pages is more than an area may "
			       "reserve (CONFIG_PROGRAM_SHM_MAX_MB = %d MiB)\n",
			       g->name, shown, (unsigned)min,
			       CONFIG_PROGRAM_SHM_MAX_MB);
	else if (rc == -EINVAL && (pages = area_pages(name)) >= 0 &&
		 pages < (long)min)
		program_report(
			"run: %s: shared memory '%s' exists with %ld "
			"page%s, fewer than the import's minimum of %u\n",
			g->name, shown, pages, pages == 1 ? "" : "s",
			(unsigned)min);
	else if (rc == -ENOMEM)
		program_report("run: %s: shared memory '%s': out of memory for "
			       "the area (it reserves the import's maximum, at "
			       "most %d MiB)\n",
			       g->name, shown, CONFIG_PROGRAM_SHM_MAX_MB);
	else if (rc == -EBUSY)
		program_report("run: %s: shared memory '%s' holds another kind "
			       "of object than a wasm memory\n",
			       g->name, shown);
	else
		program_report("run: %s: shared memory '%s' cannot be opened "
			       "(%s)\n",
			       g->name, shown, err_name(rc));
}

static bool memory_import(struct program_state *st, const char *module,
			  const char *field, struct vm_extern *out)
{
	struct program_group *g = st->group;
	const char *name;
	uint32_t min, max;
	bool has_max, shared;
	struct vm_memory *mem;

	if (strcmp(module, "shm") == 0)
		name = field;
	else if (strcmp(module, "env") == 0 && strcmp(field, "memory") == 0)
		name = g->mem_name;
	else
		return false;
	vm_module_memory_limits(g->module, &min, &max, &has_max, &shared);
	if (!shared) {
		program_report("run: %s: memory import %s.%s must be shared "
			       "(threads proposal)\n",
			       g->name, module, field);
		return false;
	}
	int rc = program_shm_open(name, min, max, &st->shm, &mem);
	if (rc) {
		report_open_failure(g, module, name, min, rc);
		return false;
	}
	out->kind = VM_EXTERN_MEMORY;
	out->u.memory = mem;
	return true;
}

static void thread_main(void *arg);

/* What each thread costs the kernel heap (its process), charged to the
 * program for as long as the thread is recorded. */
static size_t thread_cost(void)
{
	return proc_spawn_cost(0, 0) + sizeof(struct program_thread_job);
}

/* Forget slot i and free its job. Preemption off: a slot is either
 * recorded with its job or free, whatever kill lands. */
static void slot_clear(struct program_group *g, int i)
{
	sched_preempt_disable();
	irq_state_t s = spin_lock_irqsave(&g->lock);
	struct program_thread_job *job = g->jobs[i];
	bool was = g->tids[i] != 0;
	g->tids[i] = 0;
	g->jobs[i] = NULL;
	spin_unlock_irqrestore(&g->lock, s);
	kfree(job);
	if (was)
		program_mem_uncharge(&g->mem, thread_cost());
	sched_preempt_enable();
}

/* A free slot, clearing those of threads that have ended (reaped here:
 * NOHANG never blocks). Lock held. */
static int free_slot(struct program_group *g)
{
	for (int i = 0; i < CONFIG_PROGRAM_MAX_THREADS; i++) {
		if (g->tids[i] &&
		    proc_wait_flags(g->tids[i], NULL, PROC_WAIT_NOHANG) == 0) {
			g->tids[i] = 0;
			kfree(g->jobs[i]);
			g->jobs[i] = NULL;
			program_mem_uncharge(&g->mem, thread_cost());
		}
		if (!g->tids[i])
			return i;
	}
	return -1;
}

/* wasi-threads errors are negative; these are WASI errno values. */
#define WASI_EAGAIN 6
#define WASI_ENOMEM 48

/* thread-spawn(start_arg) -> tid > 0, or a negative error. Checking the
 * stop flag, starting the process and recording it happen with
 * preemption off and the table locked, so a thread is never started that
 * the group's stop cannot see (and reap). */
static int spawn(struct vm_hostcall *c, vm_value *args)
{
	struct program_state *st = c->data;
	struct program_group *g = st->group;
	int32_t result;

	sched_preempt_disable();
	struct program_thread_job *job =
		kheap_can_spare(sizeof(*job)) ? kmalloc(sizeof(*job)) : NULL;
	if (!job) {
		sched_preempt_enable();
		args[0].u64 = (uint32_t)-WASI_ENOMEM;
		return 0;
	}
	job->group = g;
	job->start_arg = args[0].u32;
	job->killed.release = thread_killed;
	irq_state_t s = spin_lock_irqsave(&g->lock);
	int slot = g->stop ? -1 : free_slot(g);
	if (slot < 0) {
		result = -WASI_EAGAIN;
	} else if (!program_mem_charge(&g->mem, thread_cost())) {
		result = -WASI_ENOMEM;
	} else {
		int pid = proc_spawn_owning(g->name, thread_main, job,
					    proc_current()->prio, 0,
					    PROC_PROGRAM, &job->killed);
		if (pid < 0) {
			program_mem_uncharge(&g->mem, thread_cost());
			result = -WASI_ENOMEM;
		} else {
			g->tids[slot] = pid;
			g->jobs[slot] = job;
			result = pid;
		}
	}
	spin_unlock_irqrestore(&g->lock, s);
	if (result < 0)
		kfree(job);
	sched_preempt_enable();
	args[0].u64 = (uint32_t)result;
	return 0;
}

bool program_thread_resolve(struct program_state *st, const char *module,
			    const char *field, const struct vm_functype *type,
			    struct vm_extern *out)
{
	if (!type)
		return memory_import(st, module, field, out);
	if (strcmp(module, "wasi") != 0 || strcmp(field, "thread-spawn") != 0 ||
	    st->spawn_fn)
		return false;
	st->spawn_fn = vm_func_new_host(&st->group->mem.ops,
					&vm_wasi_thread_spawn_type, spawn, st);
	if (!st->spawn_fn)
		return false;
	out->kind = VM_EXTERN_FUNC;
	out->u.func = st->spawn_fn;
	return true;
}

/* Run wasi_thread_start in a new instance of the program's module. */
static void thread_run(struct program_thread_job *job)
{
	struct program_group *g = job->group;
	struct vm_error err;
	struct vm_func *entry;
	struct program_state *st = program_state_new(g);

	if (!st) {
		program_report("run: %s: thread: out of memory\n", g->name);
		program_group_stop(g, PROGRAM_TRAP_STATUS);
		return;
	}
	if (!program_instantiate(st, VM_INST_NO_DATA)) {
		program_group_stop(g, PROGRAM_TRAP_STATUS);
	} else if (!(entry = vm_wasi_thread_start(st->instance))) {
		program_report("run: %s: thread-spawn: no export "
			       "wasi_thread_start(i32, i32)\n",
			       g->name);
		program_group_stop(g, PROGRAM_TRAP_STATUS);
	} else {
		vm_value a[2];
		a[0].u64 = (uint32_t)proc_current()->pid;
		a[1].u64 = job->start_arg;
		enum vm_err_kind k =
			vm_call(st->thread, entry, a, 2, NULL, 0, &err);
		/* Returning ends only this thread; exit and traps end all. */
		if (k != VM_OK && k != VM_ERR_INTERRUPTED)
			program_group_stop(g, program_status(g, k, &err));
	}
	program_state_free(st);
}

/* The body of a thread's process. The job belongs to the group (the
 * main thread frees it when it reaps this process), so a kill at any
 * point loses nothing; the thread's state is its process's resource. */
static void thread_main(void *arg)
{
	struct program_thread_job *job = arg;

	if (!job->group->stop)
		thread_run(job);
	/* Ending on its own is not being killed. */
	proc_resource_remove(&job->killed);
}

void program_group_stop(struct program_group *g, int status)
{
	irq_state_t s = klock_irqsave();
	if (!g->exiting && status >= 0) {
		g->exiting = true;
		g->exit_status = status;
	}
	g->stop = 1;
	klock_irqrestore(s);
	/* The main thread is not killed: it reaps the others and returns the
	 * status from program_run. Waking it from a wait lets it reach the
	 * stop flag. Threads are killed wherever they are. */
	if (g->main != proc_current())
		program_wait_interrupt(g->main);
	for (int i = 0; i < CONFIG_PROGRAM_MAX_THREADS; i++) {
		int pid = g->tids[i];
		if (pid && pid != proc_current()->pid)
			proc_kill(pid);
	}
}

/* Waits with no lock held: a kill may land in proc_wait, and the release
 * that follows reaps what is left (a slot is cleared only after its
 * thread is reaped; proc_wait on one already reaped says -ENOENT). */
void program_group_reap(struct program_group *g)
{
	for (int i = 0; i < CONFIG_PROGRAM_MAX_THREADS; i++) {
		int pid = g->tids[i];
		if (!pid)
			continue;
		proc_wait(pid, NULL);
		slot_clear(g, i);
	}
}
