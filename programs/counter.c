/*
 * counter THREADS N: THREADS threads (each a kernel process sharing this
 * program's memory) add 1 to one shared total N times each with an atomic
 * add, under preemption. The total must come out exactly THREADS * N.
 * Each thread also notes whether another thread's adds came between two
 * of its own (the returned old value jumped), showing that the threads
 * really ran interleaved. The main thread sleeps on memory.atomic.wait32
 * until the last thread has finished.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib/thread.h"

static volatile int32_t total;
static volatile int32_t running;
static volatile int32_t interleaved;
static int per_thread;

/* Once, at the end of the program: a thread's end must not run the C
 * destructors (wasm-ld's export wrappers did; programs/rules.mk). */
static void at_exit(void)
{
	static int runs;
	printf("counter: exit handlers ran %d time(s)\n", ++runs);
}

static void count(void *arg)
{
	(void)arg;
	int32_t last = -2;
	for (int i = 0; i < per_thread; i++) {
		int32_t old = __atomic_fetch_add(&total, 1, __ATOMIC_SEQ_CST);
		if (last != -2 && old != last + 1)
			__atomic_store_n(&interleaved, 1, __ATOMIC_SEQ_CST);
		last = old;
	}
	if (__atomic_sub_fetch(&running, 1, __ATOMIC_SEQ_CST) == 0)
		thread_notify(&running, 1);
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 4;
	per_thread = argc > 2 ? atoi(argv[2]) : 100000;
	if (threads < 1 || threads > 16 || per_thread < 1) {
		fprintf(stderr, "usage: counter [THREADS 1-16] [N]\n");
		return 2;
	}
	running = threads;
	atexit(at_exit);
	for (int i = 0; i < threads; i++) {
		if (thread_spawn(count, NULL) < 0) {
			fprintf(stderr, "counter: thread-spawn failed\n");
			return 1;
		}
	}
	int32_t n;
	while ((n = __atomic_load_n(&running, __ATOMIC_SEQ_CST)) != 0)
		thread_wait32(&running, n, -1);
	int32_t want = threads * per_thread;
	printf("counter: %d threads x %d = %d, total %d\n", threads, per_thread,
	       (int)want, (int)total);
	printf("counter: threads interleaved: %s\n",
	       interleaved ? "yes" : "no");
	return total == want ? 0 : 1;
}
