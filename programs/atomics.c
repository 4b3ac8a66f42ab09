/*
 * atomics [N]: benchmark lines for the threads proposal on this kernel.
 *   bench wasm-atomic-add     an uncontended i32.atomic.rmw.add (ns)
 *   bench wasm-plain-add      the same loop with a plain add: reference
 *   bench wasm-wait-notify-rtt  one round trip between two threads (each
 *                             a kernel process) through wait32/notify (ns)
 *   bench wasm-yield-rtt      the same round trip with sched_yield
 *                             polling instead of wait/notify: reference
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lib/thread.h"

static volatile int32_t counter;
static volatile int32_t plain;
static volatile int32_t ping, pong, done;
static int rounds;
static int by_yield;

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int32_t load(volatile int32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

/* Block until *p == want: on the wait queue, or by yielding. */
static void await(volatile int32_t *p, int32_t want)
{
	int32_t v;
	while ((v = load(p)) != want) {
		if (by_yield)
			sched_yield();
		else
			thread_wait32(p, v, -1);
	}
}

static void set(volatile int32_t *p, int32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
	if (!by_yield)
		thread_notify(p, 1);
}

static void echo(void *arg)
{
	(void)arg;
	for (int k = 1; k <= rounds; k++) {
		await(&ping, k);
		set(&pong, k);
	}
	set(&done, 1);
}

static int round_trips(int yield)
{
	by_yield = yield;
	ping = pong = done = 0;
	if (thread_spawn(echo, NULL) < 0) {
		fprintf(stderr, "atomics: thread-spawn failed\n");
		return -1;
	}
	double t0 = now_ns();
	for (int k = 1; k <= rounds; k++) {
		set(&ping, k);
		await(&pong, k);
	}
	double t1 = now_ns();
	await(&done, 1);
	printf("bench wasm-%s-rtt %.0f ns\n", yield ? "yield" : "wait-notify",
	       (t1 - t0) / rounds);
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000000;
	rounds = argc > 2 ? atoi(argv[2]) : 20000;
	if (n < 1 || rounds < 1) {
		fprintf(stderr, "usage: atomics [ADDS] [ROUNDS]\n");
		return 2;
	}
	double t0 = now_ns();
	for (int i = 0; i < n; i++)
		__atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
	double t1 = now_ns();
	for (int i = 0; i < n; i++)
		plain = plain + 1;
	double t2 = now_ns();
	if (counter != n || plain != n) {
		fprintf(stderr, "atomics: wrong count\n");
		return 1;
	}
	printf("bench wasm-atomic-add %.2f ns\n", (t1 - t0) / n);
	printf("bench wasm-plain-add %.2f ns\n", (t2 - t1) / n);
	if (round_trips(0) || round_trips(1))
		return 1;
	return 0;
}
