/*
 * tools/wasmrun/threads.c: the threads proposal on the host, as the kernel
 * runs it (docs/vm.md, "Threads in the kernel"), with POSIX threads:
 *
 * - a shared memory import, `env`.`memory` or `shm`.NAME, is one memory
 *   per name for the whole run, reserving its maximum with mmap so that
 *   growing it never moves it;
 * - `wasi`.`thread-spawn(start_arg)` starts a pthread running a new
 *   instance of the module on that memory (data segments not rewritten)
 *   and calls its `wasi_thread_start(tid, start_arg)`;
 * - memory.atomic.wait/notify block on condition variables, keyed by
 *   (memory, address), under one mutex that the compare also holds.
 *
 * proc_exit in any thread ends the process with its status, a trap in any
 * thread with 134, the end of _start with 0: the WASI rules, and the
 * kernel's. On a host with several CPUs the threads really run at once,
 * which checks the VM's atomics more harshly than the uniprocessor kernel.
 */
#define _GNU_SOURCE
#include "threads.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "host_ops.h"

#define PAGE	     65536u
#define MAX_MEMORIES 8

/* What every instance of the run shares. */
static struct {
	const struct vm_module *module;
	const struct vm_wasi_ops *wasi_ops;
	int argc, envc;
	const char *const *argv;
	const char *const *envp;
	/* Spawned threads that have not ended (the caller, if it is one):
	 * while 0, only the main thread runs and nothing could notify it. */
	int threads;
	int next_tid;
} run;

/* ---- shared memories: reserved whole, never moved ---------------------- */

struct shared {
	struct vm_host_ops ops;
	char name[64];
	uint8_t *base;
	size_t reserved;
	struct vm_memory *mem;
};

static struct shared memories[MAX_MEMORIES];
static int nmemories;
static pthread_mutex_t memories_lock = PTHREAD_MUTEX_INITIALIZER;

static void *sh_mem_alloc(void *ctx, size_t n)
{
	struct shared *s = ctx;
	return n <= s->reserved ? s->base : NULL;
}

static void *sh_mem_grow(void *ctx, void *p, size_t old, size_t n)
{
	struct shared *s = ctx;
	(void)old;
	return n <= s->reserved ? p : NULL;
}

static void sh_mem_free(void *ctx, void *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
	/* the mapping lives as long as the process */
}

static struct vm_memory *shared_memory(const char *name, uint32_t min,
				       uint32_t max)
{
	struct vm_memory *mem = NULL;

	pthread_mutex_lock(&memories_lock);
	for (int i = 0; i < nmemories; i++)
		if (strcmp(memories[i].name, name) == 0)
			mem = memories[i].mem;
	if (!mem && nmemories < MAX_MEMORIES) {
		struct shared *s = &memories[nmemories];
		s->reserved = (size_t)max * PAGE;
		s->base = mmap(NULL, s->reserved ? s->reserved : PAGE,
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			       0);
		if (s->base != MAP_FAILED) {
			s->ops = host_ops;
			s->ops.ctx = s;
			s->ops.mem_alloc = sh_mem_alloc;
			s->ops.mem_grow = sh_mem_grow;
			s->ops.mem_free = sh_mem_free;
			snprintf(s->name, sizeof(s->name), "%s", name);
			s->mem = vm_memory_new_shared(&s->ops, min, max);
		}
		if (s->base != MAP_FAILED && s->mem) {
			vm_memory_set_sync(s->mem, &wasmrun_sync_ops);
			mem = s->mem;
			nmemories++;
		}
	}
	pthread_mutex_unlock(&memories_lock);
	return mem;
}

/* ---- wait / notify ----------------------------------------------------- */

struct waiter {
	struct waiter *next;
	const struct vm_memory *mem;
	uint32_t addr;
	bool woken;
	pthread_cond_t cond;
};

static pthread_mutex_t wait_lock = PTHREAD_MUTEX_INITIALIZER;
static struct waiter *waiters; /* oldest first */

static void unlink_waiter(struct waiter *w)
{
	for (struct waiter **p = &waiters; *p; p = &(*p)->next) {
		if (*p == w) {
			*p = w->next;
			return;
		}
	}
}

static int h_wait(void *ctx, struct vm_memory *mem, uint32_t addr,
		  uint64_t expected, unsigned size, int64_t timeout_ns)
{
	(void)ctx;
	struct waiter w = {NULL, mem, addr, false, PTHREAD_COND_INITIALIZER};
	struct timespec until;
	int rc = 0;

	pthread_mutex_lock(&wait_lock);
	if (vm_memory_atomic_load(mem, addr, size) != expected) {
		pthread_mutex_unlock(&wait_lock);
		return 1;
	}
	if (timeout_ns == 0) {
		pthread_mutex_unlock(&wait_lock);
		return 2;
	}
	/*
	 * The rule of docs/vm.md: an untimed wait traps when nothing could
	 * ever notify it, no other live thread and nobody else holding the
	 * memory. On the host nobody else can hold it (the run is the only
	 * program), and `threads` counts the other live threads: the main
	 * thread lives while any thread does, and a thread counts itself.
	 */
	if (timeout_ns < 0 &&
	    __atomic_load_n(&run.threads, __ATOMIC_SEQ_CST) == 0) {
		pthread_mutex_unlock(&wait_lock);
		return -1;
	}
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&w.cond, &attr);
	pthread_condattr_destroy(&attr);
	clock_gettime(CLOCK_MONOTONIC, &until);
	if (timeout_ns > 0) {
		uint64_t ns = (uint64_t)until.tv_nsec + (uint64_t)timeout_ns;
		until.tv_sec += (time_t)(ns / 1000000000u);
		until.tv_nsec = (long)(ns % 1000000000u);
	}
	struct waiter **tail = &waiters;
	while (*tail)
		tail = &(*tail)->next;
	*tail = &w;
	while (!w.woken && rc != ETIMEDOUT) {
		if (timeout_ns < 0)
			rc = pthread_cond_wait(&w.cond, &wait_lock);
		else
			rc = pthread_cond_timedwait(&w.cond, &wait_lock,
						    &until);
	}
	if (!w.woken)
		unlink_waiter(&w);
	pthread_mutex_unlock(&wait_lock);
	pthread_cond_destroy(&w.cond);
	return w.woken ? 0 : 2;
}

static uint32_t h_notify(void *ctx, struct vm_memory *mem, uint32_t addr,
			 uint32_t count)
{
	(void)ctx;
	uint32_t n = 0;

	pthread_mutex_lock(&wait_lock);
	for (struct waiter **p = &waiters; *p && n < count;) {
		struct waiter *w = *p;
		if (w->mem != mem || w->addr != addr) {
			p = &w->next;
			continue;
		}
		*p = w->next;
		w->woken = true;
		pthread_cond_signal(&w->cond);
		n++;
	}
	pthread_mutex_unlock(&wait_lock);
	return n;
}

const struct vm_sync_ops wasmrun_sync_ops = {NULL, h_wait, h_notify};

/* ---- threads ----------------------------------------------------------- */

struct job {
	int32_t tid;
	uint32_t start_arg;
};

static struct wasmrun_ctx *ctx_new(void)
{
	struct wasmrun_ctx *c = calloc(1, sizeof(*c));
	if (c)
		vm_wasi_init(&c->wasi, &host_ops, run.wasi_ops, run.argc,
			     run.argv, run.envc, run.envp);
	return c;
}

/* End the whole program the way the kernel does. */
static void finish(enum vm_err_kind k, const struct vm_error *err)
{
	fflush(stdout);
	if (k == VM_ERR_EXIT)
		exit(err->exit_code & 0xff);
	fprintf(stderr, "wasmrun: %s\n", err->msg);
	exit(k == VM_ERR_TRAP ? 134 : 1);
}

static void *thread_main(void *arg)
{
	struct job job = *(struct job *)arg;
	struct vm_error err;
	struct vm_func *entry;
	free(arg);

	struct wasmrun_ctx *c = ctx_new();
	struct vm_thread *th = vm_thread_new(&host_ops, 0, 0);
	struct vm_instance *inst =
		c && th ? vm_instantiate_flags(run.module, wasmrun_resolve, c,
					       VM_INST_NO_DATA, &err)
			: NULL;
	if (!inst) {
		fprintf(stderr, "wasmrun: thread: %s\n",
			c && th ? err.msg : "out of memory");
		exit(1);
	}
	if (!(entry = vm_wasi_thread_start(inst))) {
		fprintf(stderr, "wasmrun: thread-spawn: no export "
				"wasi_thread_start(i32, i32)\n");
		exit(1);
	}
	vm_value a[2];
	a[0].u64 = (uint32_t)job.tid;
	a[1].u64 = job.start_arg;
	enum vm_err_kind k = vm_call(th, entry, a, 2, NULL, 0, &err);
	if (k != VM_OK)
		finish(k, &err);
	/* it can notify no more */
	__atomic_sub_fetch(&run.threads, 1, __ATOMIC_SEQ_CST);
	/* The instance may still be reachable through the shared memory's
	 * data (function pointers are table indices, not instances), but
	 * nothing uses it once its thread ends. */
	vm_instance_free(inst);
	vm_thread_free(th);
	vm_wasi_free(&c->wasi);
	vm_func_free_host(&host_ops, c->spawn);
	free(c);
	return NULL;
}

/* thread-spawn(start_arg) -> tid, or -6 (EAGAIN) */
static int h_spawn(struct vm_hostcall *hc, vm_value *args)
{
	struct job *job;
	pthread_t t;
	pthread_attr_t attr;

	/* a thread runs on its spawner's memory: an embedder's call has none */
	if (!hc->caller)
		return VM_TRAP_NO_CALLER;
	job = malloc(sizeof(*job));
	if (!job) {
		args[0].u64 = (uint32_t)-48;
		return 0;
	}
	int32_t tid = __atomic_add_fetch(&run.next_tid, 1, __ATOMIC_SEQ_CST);
	job->tid = tid;
	job->start_arg = args[0].u32;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	__atomic_add_fetch(&run.threads, 1, __ATOMIC_SEQ_CST);
	if (pthread_create(&t, &attr, thread_main, job) != 0) {
		__atomic_sub_fetch(&run.threads, 1, __ATOMIC_SEQ_CST);
		free(job);
		args[0].u64 = (uint32_t)-6;
	} else {
		args[0].u64 = (uint32_t)tid; /* job is the thread's now */
	}
	pthread_attr_destroy(&attr);
	return 0;
}

bool wasmrun_resolve(void *ctx, const char *module, const char *field,
		     enum vm_extern_kind kind, const struct vm_functype *type,
		     struct vm_extern *out)
{
	struct wasmrun_ctx *c = ctx;
	uint32_t min, max;
	bool has_max, shared;

	if (kind == VM_EXTERN_MEMORY) {
		bool env = strcmp(module, "env") == 0 &&
			   strcmp(field, "memory") == 0;
		if (!env && strcmp(module, "shm") != 0)
			return false;
		vm_module_memory_limits(run.module, &min, &max, &has_max,
					&shared);
		if (!shared)
			return false;
		out->kind = VM_EXTERN_MEMORY;
		out->u.memory = shared_memory(env ? "" : field, min, max);
		return out->u.memory != NULL;
	}
	if (kind == VM_EXTERN_FUNC && strcmp(module, "wasi") == 0 &&
	    strcmp(field, "thread-spawn") == 0 && !c->spawn) {
		c->spawn = vm_func_new_host(
			&host_ops, &vm_wasi_thread_spawn_type, h_spawn, c);
		out->kind = VM_EXTERN_FUNC;
		out->u.func = c->spawn;
		return c->spawn != NULL;
	}
	return vm_wasi_resolve(&c->wasi, module, field, kind, type, out);
}

struct wasmrun_ctx *wasmrun_threads_init(const struct vm_module *m,
					 const struct vm_wasi_ops *ops,
					 int argc, const char *const *argv,
					 int envc, const char *const *envp)
{
	run.module = m;
	run.wasi_ops = ops;
	run.argc = argc;
	run.argv = argv;
	run.envc = envc;
	run.envp = envp;
	return ctx_new();
}
