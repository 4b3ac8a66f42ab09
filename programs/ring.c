/*
 * ring N: a producer (the main thread) hands the numbers 1..N to a
 * consumer thread through an 8-slot ring buffer in shared memory. Each
 * side blocks in memory.atomic.wait32 when the ring is full or empty and
 * is woken by the other's memory.atomic.notify. The consumer checks that
 * it gets every number once, in order.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib/thread.h"

#define SLOTS 8

static int32_t slot[SLOTS];
static volatile int32_t head; /* next to write (producer) */
static volatile int32_t tail; /* next to read (consumer) */
static volatile int32_t done;
static int items;
static int64_t sum;
static int out_of_order;
static int32_t waits[2]; /* [0] producer, [1] consumer */

static int32_t load(volatile int32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void consume(void *arg)
{
	(void)arg;
	for (int want = 1; want <= items; want++) {
		int32_t t = load(&tail), h;
		while ((h = load(&head)) == t) {
			waits[1]++;
			thread_wait32(&head, h, -1);
		}
		int32_t v = slot[t % SLOTS];
		if (v != want)
			out_of_order++;
		sum += v;
		__atomic_store_n(&tail, t + 1, __ATOMIC_SEQ_CST);
		thread_notify(&tail, 1);
	}
	__atomic_store_n(&done, 1, __ATOMIC_SEQ_CST);
	thread_notify(&done, 1);
}

int main(int argc, char **argv)
{
	items = argc > 1 ? atoi(argv[1]) : 10000;
	if (items < 1) {
		fprintf(stderr, "usage: ring [N]\n");
		return 2;
	}
	if (thread_spawn(consume, NULL) < 0) {
		fprintf(stderr, "ring: thread-spawn failed\n");
		return 1;
	}
	for (int v = 1; v <= items; v++) {
		int32_t h = load(&head), t;
		while (h - (t = load(&tail)) == SLOTS) {
			waits[0]++;
			thread_wait32(&tail, t, -1);
		}
		slot[h % SLOTS] = v;
		__atomic_store_n(&head, h + 1, __ATOMIC_SEQ_CST);
		thread_notify(&head, 1);
	}
	while (!load(&done))
		thread_wait32(&done, 0, -1);
	int64_t want = (int64_t)items * (items + 1) / 2;
	printf("ring: %d items, sum %lld (want %lld), %s\n", items,
	       (long long)sum, (long long)want,
	       out_of_order ? "OUT OF ORDER" : "in order");
	printf("ring: both sides waited: %s\n",
	       waits[0] && waits[1] ? "yes" : "no");
	return sum == want && !out_of_order ? 0 : 1;
}
