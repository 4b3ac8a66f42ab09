/*
 * The `bench` boot: cycles per process switch and per mutex lock/unlock,
 * printed as "bench NAME VALUE UNIT" lines for scripts/bench-kernel with
 * console_printf: they are the output, not kernel messages, so `quiet`
 * does not hide them. Cycles are arch_cycles() (the TSC on x86, CNTVCT on ARM).
 */
#include <arch/timer.h>
#include <kernel/console.h>
#include <kernel/sched.h>
#include <kernel/sync.h>

#include "sched_internal.h"

#define ROUNDS 100000

static struct {
	volatile int done;
	uint64_t t0, t1;
	struct mutex m;
	struct semaphore ping, pong;
	volatile unsigned long counter;
} b;

static void yielder(void *arg)
{
	(void)arg;
	if (!b.t0)
		b.t0 = arch_cycles();
	for (int i = 0; i < ROUNDS; i++)
		proc_yield();
	if (++b.done == 2)
		b.t1 = arch_cycles();
}

static void contender(void *arg)
{
	(void)arg;
	if (!b.t0)
		b.t0 = arch_cycles();
	for (int i = 0; i < ROUNDS; i++) {
		mutex_lock(&b.m);
		b.counter++;
		proc_yield(); /* the other one now blocks on the mutex */
		mutex_unlock(&b.m);
	}
	if (++b.done == 2)
		b.t1 = arch_cycles();
}

static void pinger(void *arg)
{
	(void)arg;
	b.t0 = arch_cycles();
	for (int i = 0; i < ROUNDS; i++) {
		sem_up(&b.ping);
		sem_down(&b.pong, 0);
	}
	b.t1 = arch_cycles();
}

static void ponger(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		sem_down(&b.ping, 0);
		sem_up(&b.pong);
	}
}

static int run_pair_flags(proc_entry_fn a, proc_entry_fn c, unsigned flags)
{
	b.done = 0;
	b.t0 = b.t1 = 0;
	/* Above init, so the pair runs until both are done. */
	int p1 = proc_spawn("bench-a", a, NULL, PROC_PRIO_MAX, 0, flags);
	int p2 = proc_spawn("bench-b", c, NULL, PROC_PRIO_MAX, 0, flags);
	if (p1 < 0 || p2 < 0)
		return -1;
	proc_wait(p1, NULL);
	proc_wait(p2, NULL);
	return 0;
}

/* Kernel-only processes (PROC_NOFPU): the FPU registers are not touched. */
static int run_pair(proc_entry_fn a, proc_entry_fn c)
{
	return run_pair_flags(a, c, PROC_NOFPU);
}

int sched_bench_run(void)
{
	/* Two processes yielding to each other: 2 * ROUNDS switches. */
	if (run_pair(yielder, yielder) < 0)
		return -1;
	console_printf("bench kernel_yield_switch %llu cycles\n",
		       (unsigned long long)((b.t1 - b.t0) / (2 * ROUNDS)));
	/* The same with FPU state (the default): the registers are saved
	 * and restored on every switch between the two. */
	if (run_pair_flags(yielder, yielder, 0) < 0)
		return -1;
	console_printf("bench kernel_yield_switch_fpu %llu cycles\n",
		       (unsigned long long)((b.t1 - b.t0) / (2 * ROUNDS)));

	mutex_init(&b.m, "bench");
	uint64_t t0 = arch_cycles();
	for (int i = 0; i < ROUNDS; i++) {
		mutex_lock(&b.m);
		mutex_unlock(&b.m);
	}
	uint64_t t1 = arch_cycles();
	console_printf("bench kernel_mutex_uncontended %llu cycles\n",
		       (unsigned long long)((t1 - t0) / ROUNDS));

	/* Each lock finds the mutex held by the other process: a block, a
	 * hand-off at unlock and two switches per pair. */
	b.counter = 0;
	if (run_pair(contender, contender) < 0)
		return -1;
	console_printf("bench kernel_mutex_contended %llu cycles\n",
		       (unsigned long long)((b.t1 - b.t0) / (2 * ROUNDS)));
	if (b.counter != 2 * ROUNDS)
		console_printf("bench error: counter %lu, expected %d\n",
			       b.counter, 2 * ROUNDS);

	/* Semaphore ping-pong: wake the other and block, per one-way hop. */
	sem_init(&b.ping, 0);
	sem_init(&b.pong, 0);
	if (run_pair(pinger, ponger) < 0)
		return -1;
	console_printf("bench kernel_sem_pingpong %llu cycles\n",
		       (unsigned long long)((b.t1 - b.t0) / (2 * ROUNDS)));
	/* With several CPUs the contended pairs above ran on two of them;
	 * then the costs only several CPUs have. */
	smp_bench_run();
	/* Measured against the tick, so only known once time has passed. */
	console_printf("bench kernel_cycles_hz %llu Hz\n",
		       (unsigned long long)arch_cycles_hz());
	return 0;
}
