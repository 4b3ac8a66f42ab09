/*
 * Ticket locks under real contention: host threads stand in for CPUs (the
 * kernel starts no second CPU yet). Four threads each add to a plain
 * counter under the lock; any lost update shows in the total. Host only
 * (tests/rules.mk KTEST_HOST_ONLY_FILES): the kernel has no threads that
 * run at once.
 */
#include "../host/include/host_threads.h"
#include <kernel/ticket_lock.h>
#include <ktest.h>

#define THREADS 4
#define ROUNDS	50000

static struct ticket_lock lock = TICKET_LOCK_INIT;
static unsigned long counter;	    /* only under `lock` */
static unsigned long trylock_taken; /* only under `lock` */
static int in_section;		    /* holders: must stay 0 or 1 */
static int overlap;

static unsigned long done[THREADS];

static void hammer(unsigned index, void *arg)
{
	unsigned long mine = 0;
	for (int i = 0; i < ROUNDS; i++) {
		bool by_try = (i % 8 == 0) && ticket_trylock(&lock);
		if (!by_try)
			ticket_lock(&lock);
		if (__atomic_add_fetch(&in_section, 1, __ATOMIC_RELAXED) != 1)
			__atomic_store_n(&overlap, 1, __ATOMIC_RELAXED);
		counter++;
		trylock_taken += by_try;
		__atomic_sub_fetch(&in_section, 1, __ATOMIC_RELAXED);
		ticket_unlock(&lock);
		mine++;
	}
	done[index] = mine;
}

KTEST(ticket_lock_contend, four_threads_exact_total)
{
	counter = trylock_taken = 0;
	KT_ASSERT_EQ(t, host_threads_run(THREADS, hammer, NULL), 0);
	for (int i = 0; i < THREADS; i++)
		KT_EXPECT_EQ(t, done[i], (unsigned long)ROUNDS);
	KT_EXPECT_EQ(t, counter, (unsigned long)THREADS * ROUNDS);
	KT_EXPECT_EQ(t, overlap, 0);
	KT_EXPECT(t, !ticket_is_locked(&lock));
	/* 200,000 tickets: the 16-bit counters wrapped three times. */
	KT_EXPECT_EQ(t, lock.next, (uint16_t)(THREADS * ROUNDS));
	ktest_log(t, "%lu increments, %lu of them after a successful trylock",
		  counter, trylock_taken);
}
