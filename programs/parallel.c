/*
 * parallel THREADS N: the Collatz step counts of 1..N, summed, with the
 * numbers split between THREADS threads (each a kernel process sharing this
 * program's memory) in interleaved chunks. Pure computation with one
 * atomic add per chunk, so on several CPUs the threads run truly in
 * parallel: scripts/bench-kernel times it at -smp 1 and -smp 2 for the
 * speedup. The sum does not depend on THREADS, and make check compares
 * it with the native build's.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib/thread.h"

#define CHUNK 1024

static volatile int32_t running;
static volatile int32_t next_chunk;
static volatile int64_t total;
static int32_t limit;

static unsigned collatz_steps(uint32_t n)
{
	uint64_t x = n;
	unsigned steps = 0;

	while (x != 1) {
		x = x & 1 ? 3 * x + 1 : x / 2;
		steps++;
	}
	return steps;
}

/* Chunks are taken in turn, so threads that run longer take fewer. */
static void work(void *arg)
{
	(void)arg;
	for (;;) {
		int32_t c = __atomic_fetch_add(&next_chunk, 1, __ATOMIC_SEQ_CST);
		int64_t first = (int64_t)c * CHUNK + 1;
		if (first > limit)
			break;
		int64_t last = first + CHUNK - 1 < limit ? first + CHUNK - 1
							 : limit;
		int64_t sum = 0;
		for (int64_t n = first; n <= last; n++)
			sum += collatz_steps((uint32_t)n);
		__atomic_fetch_add(&total, sum, __ATOMIC_SEQ_CST);
	}
	if (__atomic_sub_fetch(&running, 1, __ATOMIC_SEQ_CST) == 0)
		thread_notify(&running, 1);
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 2;
	limit = argc > 2 ? atoi(argv[2]) : 100000;
	if (threads < 1 || threads > 16 || limit < 1) {
		fprintf(stderr, "usage: parallel [THREADS 1-16] [N >= 1]\n");
		return 2;
	}
	running = threads;
	for (int i = 0; i < threads; i++) {
		if (thread_spawn(work, NULL) < 0) {
			fprintf(stderr, "parallel: thread-spawn failed\n");
			return 1;
		}
	}
	int32_t n;
	while ((n = __atomic_load_n(&running, __ATOMIC_SEQ_CST)) != 0)
		thread_wait32(&running, n, -1);
	printf("parallel: %d threads, Collatz steps of 1..%d: %lld\n", threads,
	       (int)limit, (long long)total);
	return 0;
}
