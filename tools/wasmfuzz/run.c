/*
 * tools/wasmfuzz/run.c: see run.h.
 *
 * The interrupt timer is a thread, not SIGALRM as in fuzz.c: it must end
 * every thread of the run (including ones blocked in memory.atomic.wait,
 * which wasmrun_threads_stop wakes, and which a signal handler could not
 * do safely), and libFuzzer's own -timeout uses SIGALRM. It lives as long
 * as the process and takes no part in a run, so it is not joined.
 */
#define _GNU_SOURCE
#include "run.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../wasmrun/host_ops.h"
#include "../wasmrun/threads.h"
#include <vm/vm.h>

/* The kernel's values (kernel/program.c, Kconfig PROGRAM_MAX_THREADS). */
#define PROGRAM_STACK_SLOTS (256u * 1024)
#define PROGRAM_MAX_DEPTH   10000
#define PROGRAM_MAX_THREADS 16
#define TRAP_STATUS	    134
#define STOPPED_STATUS	    137 /* as if killed */

static const struct wasmrun_config config = {
	PROGRAM_STACK_SLOTS, PROGRAM_MAX_DEPTH, PROGRAM_MAX_THREADS, true};

/* ---- the interrupt timer ----------------------------------------------- */

static pthread_mutex_t timer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t timer_cond;
static pthread_once_t timer_once = PTHREAD_ONCE_INIT;
static bool armed, fired;
static struct timespec deadline;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Stops the run while holding timer_lock, so that after disarm() no stop
 * from this run can land in the next one. */
static void *timer_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&timer_lock);
	for (;;) {
		if (!armed) {
			pthread_cond_wait(&timer_cond, &timer_lock);
			continue;
		}
		pthread_cond_timedwait(&timer_cond, &timer_lock, &deadline);
		uint64_t due = (uint64_t)deadline.tv_sec * 1000000000u +
			       (uint64_t)deadline.tv_nsec;
		if (!armed || now_ns() < due)
			continue; /* disarmed, re-armed, or woken early */
		armed = false;
		fired = true;
		wasmrun_threads_stop(STOPPED_STATUS);
	}
	return NULL;
}

static void timer_start(void)
{
	pthread_condattr_t attr;
	pthread_t t;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&timer_cond, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&t, NULL, timer_main, NULL) != 0) {
		fprintf(stderr, "fuzz_run: cannot start the timer thread\n");
		__builtin_trap();
	}
	pthread_detach(t);
}

static void arm(uint64_t limit_ns)
{
	pthread_once(&timer_once, timer_start);
	uint64_t t = now_ns() + limit_ns;
	pthread_mutex_lock(&timer_lock);
	deadline.tv_sec = (time_t)(t / 1000000000u);
	deadline.tv_nsec = (long)(t % 1000000000u);
	armed = true;
	fired = false;
	pthread_cond_signal(&timer_cond);
	pthread_mutex_unlock(&timer_lock);
}

/* Whether the timer went off. */
static bool disarm(void)
{
	pthread_mutex_lock(&timer_lock);
	bool f = fired;
	armed = false;
	pthread_cond_signal(&timer_cond);
	pthread_mutex_unlock(&timer_lock);
	return f;
}

/* ---- the run ----------------------------------------------------------- */

static bool is_command(const struct vm_func *f)
{
	const struct vm_functype *t = vm_func_type(f);
	return t->nparams == 0 && t->nresults == 0;
}

/* The status as kernel/program.c program_status() gives it. */
static int status_of(enum vm_err_kind k, const struct vm_error *err)
{
	switch (k) {
	case VM_OK: return 0;
	case VM_ERR_EXIT: return err->exit_code & 0xff;
	case VM_ERR_INTERRUPTED: return STOPPED_STATUS;
	default: return TRAP_STATUS;
	}
}

/*
 * _start, as kernel/program.c run_main(). A command's _start must be
 * () -> (): the kernel is to refuse any other ("not a WASI command",
 * issue 12 item 1); until vm_call checks its arguments itself, calling
 * one with parameters and no argument array would crash here as there.
 */
static enum vm_err_kind run_main(struct vm_instance *inst, struct vm_thread *th,
				 struct vm_error *err, bool *refused)
{
	struct vm_extern start;
	enum vm_err_kind k = vm_instance_start(inst, th, err);
	if (k != VM_OK)
		return k;
	if (!vm_instance_export(inst, "_start", &start) ||
	    start.kind != VM_EXTERN_FUNC || !is_command(start.u.func)) {
		snprintf(err->msg, sizeof(err->msg),
			 "no _start () -> (): not a WASI command");
		*refused = true;
		return VM_ERR_INVALID;
	}
	return vm_call(th, start.u.func, NULL, 0, NULL, 0, err);
}

static void end_of(struct fuzz_outcome *out, enum vm_err_kind k, bool timed_out)
{
	if (k == VM_ERR_INTERRUPTED && timed_out)
		out->end = FUZZ_STOPPED;
	else if (k == VM_OK)
		out->end = FUZZ_RETURNED;
	else if (k == VM_ERR_EXIT)
		out->end = FUZZ_EXITED;
	else if (k == VM_ERR_INTERRUPTED) /* another thread ended it */
		out->end =
			out->status == TRAP_STATUS ? FUZZ_TRAPPED : FUZZ_EXITED;
	else
		out->end = FUZZ_TRAPPED;
}

void fuzz_run(const uint8_t *bytes, size_t len, uint64_t limit_ns,
	      struct fuzz_outcome *out)
{
	static const char *const argv[] = {"fuzz", NULL};
	struct vm_error err;
	bool refused = false;

	memset(out, 0, sizeof(*out));
	fuzz_hooks_reset();
	struct vm_module *m = vm_module_load(&host_ops, bytes, len, &err);
	if (!m) {
		out->end = FUZZ_REFUSED;
		snprintf(out->msg, sizeof(out->msg), "%s", err.msg);
		return;
	}
	uint64_t t0 = now_ns();
	struct wasmrun_ctx *ctx = wasmrun_threads_init(
		m, &fuzz_wasi_ops, &config, 1, argv, 0, NULL);
	struct vm_thread *th = ctx ? wasmrun_thread_new() : NULL;
	struct vm_instance *inst =
		th ? vm_instantiate(m, wasmrun_resolve, ctx, &err) : NULL;
	enum vm_err_kind k = VM_ERR_NOMEM;
	bool timed_out = false;
	if (inst) {
		struct vm_memory *mem = vm_instance_memory(inst);
		if (mem && vm_memory_shared(mem))
			vm_memory_set_sync(mem, &wasmrun_sync_ops);
		arm(limit_ns);
		k = run_main(inst, th, &err, &refused);
		timed_out = disarm();
	} else {
		refused = true;
	}
	/* The program ends when _start does, whatever its threads do. */
	out->status = wasmrun_threads_end(status_of(k, &err));
	out->threads = wasmrun_threads_spawned();
	if (inst)
		vm_instance_free(inst);
	wasmrun_threads_free(ctx);
	vm_thread_free(th);
	vm_module_free(m);
	out->ns = now_ns() - t0;
	out->hooks = fuzz_hooks_stats();
	if (refused)
		out->end = FUZZ_REFUSED;
	else
		end_of(out, k, timed_out);
	if (out->end == FUZZ_REFUSED || out->end == FUZZ_TRAPPED)
		snprintf(out->msg, sizeof(out->msg), "%s", err.msg);
}
