/*
 * The fuzz boot's checker, checked: a boot mode that reports every run as
 * clean would be worthless, so each kind of leak is made here on purpose
 * and must be caught; what is allowed (new page tables) must be allowed
 * exactly; runs are timed out and killed as asked, and their output is
 * captured rather than printed. Plus the tick alarm the kills rely on.
 */
#include <arch/mmu.h>
#include <arch/timer.h>
#include <kernel/console.h>
#include <kernel/fuzz.h>
#include <kernel/sched.h>
#include <kernel/shm.h>
#include <kernel/sync.h>
#include <kernel/tick.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <mm/malloc.h>
#include <mm/mm.h>
#include <mm/pmm.h>
#include <string.h>

#define NEEDS_SBRK(t)                                                          \
	do {                                                                   \
		if (!mm_virtual_memory())                                      \
			KT_SKIP(t, "no sbrk heap");                            \
	} while (0)

static char why[256];

/* Does `why` say `what`? (The kernel has no strstr.) */
static bool says(const char *what)
{
	size_t n = strlen(what);

	for (const char *p = why; *p; p++)
		if (strncmp(p, what, n) == 0)
			return true;
	return false;
}

/* Counters now against `before`: true if the same. */
static bool same_since(const struct fuzz_counts *before)
{
	struct fuzz_counts now;

	fuzz_counts_take(&now);
	return fuzz_counts_same(before, &now, why, sizeof(why));
}

KTEST(fuzz, nothing_done_is_nothing_left)
{
	struct fuzz_counts c;

	fuzz_counts_take(&c);
	KT_EXPECT_MSG(t, same_since(&c), "%s", why);
	KT_EXPECT_STREQ(t, why, "");
}

KTEST(fuzz, each_kind_of_leak_is_caught_and_named)
{
	struct fuzz_counts c;
	int err;

	fuzz_counts_take(&c);
	void *k = kmalloc(100);
	KT_EXPECT(t, !same_since(&c));
	KT_EXPECT_MSG(t, says("kernel heap (1 object)"), "%s", why);
	kfree(k);
	KT_EXPECT_MSG(t, same_since(&c), "%s", why);

	paddr_t pa = pmm_alloc(0, PMM_ZONE_NORMAL, PMM_OWNER_TEST);
	KT_ASSERT(t, pa != PMM_NO_PAGE);
	KT_EXPECT(t, !same_since(&c));
	KT_EXPECT_MSG(t, says("1 PMM page"), "%s", why);
	pmm_free(pa, 0);
	KT_EXPECT_MSG(t, same_since(&c), "%s", why);

	NEEDS_SBRK(t);
	/* 3 MiB: malloc's pool and the sbrk heap grow, the PMM gives pages;
	 * only malloc's bytes in use are a leak. */
	void *m = malloc(3u << 20);
	KT_ASSERT(t, m != NULL);
	KT_EXPECT(t, !same_since(&c));
	KT_EXPECT_MSG(t, says("KiB malloc (1 object)"), "%s", why);
	KT_EXPECT_MSG(t, !says("PMM"), "%s", why);
	free(m);
	KT_EXPECT_MSG(t, same_since(&c), "%s", why);

	struct shm_handle *h = shm_open("kt.fuzz", 4096, SHM_CREATE, &err);
	KT_ASSERT(t, h != NULL);
	KT_EXPECT(t, !same_since(&c));
	KT_EXPECT_MSG(t, says("1 shared memory area"), "%s", why);
	shm_close(h);
	KT_EXPECT_MSG(t, same_since(&c), "%s", why);
}

/* Sets *arg to 1 and ends: a process to leave unreaped. */
static void short_lived(void *arg)
{
	*(volatile int *)arg = 1;
}

KTEST(fuzz, a_process_left_unreaped_is_caught)
{
	struct fuzz_counts c;
	volatile int ran = 0;

	fuzz_counts_take(&c);
	int pid = proc_spawn("kt-zombie", short_lived, (void *)&ran,
			     PROC_PRIO_DEFAULT, 0, PROC_NOFPU);
	KT_ASSERT(t, pid > 0);
	while (!ran)
		proc_sleep_ms(10);
	KT_EXPECT(t, !same_since(&c));
	KT_EXPECT_MSG(t, says("1 process"), "%s", why);
	KT_EXPECT_EQ(t, proc_wait(pid, NULL), 0);
	KT_EXPECT_MSG(t, same_since(&c), "%s", why);
}

KTEST(fuzz, new_page_tables_are_allowed_and_nothing_beside_them)
{
	NEEDS_SBRK(t);
	struct fuzz_counts c;

	/* Past any extent the sbrk heap had: new page tables (one per 4 MiB
	 * on both arches), which stay when the block is freed. */
	fuzz_counts_take(&c);
	void *m = malloc(24u << 20);
	if (!m)
		KT_SKIP(t, "no 24 MiB for malloc on this machine");
	free(m);
	struct fuzz_counts now;
	fuzz_counts_take(&now);
	if (now.page_tables == c.page_tables)
		KT_SKIP(t, "the sbrk heap had been this large before");
	ktest_log(t, "%lu new page tables", now.page_tables - c.page_tables);
	KT_EXPECT_MSG(t, same_since(&c), "%s", why);

	/* The same growth with one more object: reported, tables named. */
	fuzz_counts_take(&c);
	m = malloc(48u << 20);
	if (!m)
		KT_SKIP(t, "no 48 MiB for malloc on this machine");
	free(m);
	void *k = kmalloc(64);
	fuzz_counts_take(&now);
	bool grew = now.page_tables > c.page_tables;
	KT_EXPECT(t, !same_since(&c));
	if (grew)
		KT_EXPECT_MSG(t, says("new page table"), "%s", why);
	kfree(k);
}

/* Kernel processes standing in for programs under fuzz_run_one; when
 * the last one was spawned (about its run's start). */
static volatile uint64_t spawn_cycles;

static int spawn_entry(void *arg)
{
	spawn_cycles = arch_cycles();
	return proc_spawn("kt-fuzzed", (proc_entry_fn)arg, NULL,
			  PROC_PRIO_DEFAULT, 0, 0);
}

static void leaks_kmalloc(void *arg)
{
	(void)kmalloc(200);
}

static void leaks_malloc(void *arg)
{
	(void)malloc(100000);
}

static void writes(void *arg)
{
	static const char msg[] = "not for the console\n";
	for (int i = 0; i < 100; i++)
		console_write(msg, sizeof(msg) - 1);
}

static void spins(void *arg)
{
	for (;;)
		;
}

static void sleeps(void *arg)
{
	proc_sleep_ms(100000);
}

static void tidy(void *arg)
{
	kfree(kmalloc(200));
	if (mm_virtual_memory())
		free(malloc(100000));
}

static struct fuzz_run run;

static bool run_checked(proc_entry_fn fn, unsigned limit_ms)
{
	struct fuzz_counts c;

	memset(&run, 0, sizeof(run));
	run.limit_ms = limit_ms;
	fuzz_counts_take(&c);
	if (fuzz_run_one(spawn_entry, (void *)fn, &run) < 0)
		return false;
	return same_since(&c);
}

KTEST(fuzz, leaking_runs_are_caught_and_tidy_ones_pass)
{
	KT_EXPECT_MSG(t, run_checked(tidy, 1000), "%s", why);
	KT_EXPECT_EQ(t, run.status, 0);
	KT_EXPECT(t, !run_checked(leaks_kmalloc, 1000));
	KT_EXPECT_MSG(t, says("kernel heap (1 object)"), "%s", why);
	NEEDS_SBRK(t);
	KT_EXPECT(t, !run_checked(leaks_malloc, 1000));
	KT_EXPECT_MSG(t, says("KiB malloc (1 object)"), "%s", why);
	/* The two leaks stay: a test boot ends with its tests. */
}

KTEST(fuzz, a_run_past_its_limit_is_killed_and_timed_out)
{
	ktest_pin_one_cpu(); /* timings on one CPU, as the fuzz boot's */
	uint64_t start = tick_count();

	KT_EXPECT_MSG(t, run_checked(spins, 200), "%s", why);
	KT_EXPECT(t, run.timed_out);
	KT_EXPECT(t, !run.killed);
	KT_EXPECT_EQ(t, run.status, PROC_EXIT_KILLED);
	/* The limit, give or take the 10 ms polling and a tick. */
	KT_EXPECT(t, run.ran_us >= 200000 && run.ran_us < 400000);
	KT_EXPECT(t, tick_count() - start < 50);

	KT_EXPECT_MSG(t, run_checked(sleeps, 100), "%s", why);
	KT_EXPECT(t, run.timed_out);
	KT_EXPECT_EQ(t, run.status, PROC_EXIT_KILLED);
}

/* A process whose exit blocks on a mutex the test holds: killed, it does
 * not end until the test lets go. */
static struct mutex held;

static void take_held(struct proc_resource *r)
{
	mutex_lock(&held);
	mutex_unlock(&held);
}

static void ends_late(void *arg)
{
	static struct proc_resource res = {.release = take_held};

	proc_resource_add(&res);
	proc_sleep_ms(100000);
}

KTEST(fuzz, a_process_still_there_after_its_kill_is_reported_stuck)
{
	ktest_pin_one_cpu(); /* timings on one CPU, as the fuzz boot's */
	mutex_init(&held, "kt-held");
	KT_ASSERT_EQ(t, mutex_lock(&held), 0);
	memset(&run, 0, sizeof(run));
	run.limit_ms = 100;
	run.stuck_ms = 300;
	KT_ASSERT_EQ(t, fuzz_run_one(spawn_entry, (void *)ends_late, &run), 0);
	KT_EXPECT(t, run.stuck);
	/* Let it end, and reap it: it was left unreaped. */
	mutex_unlock(&held);
	int pid = -1;
	struct proc_info ps[16];
	int n = proc_list(ps, 16);
	for (int i = 0; i < n && i < 16; i++)
		if (strcmp(ps[i].name, "kt-fuzzed") == 0)
			pid = ps[i].pid;
	KT_ASSERT(t, pid > 0);
	KT_EXPECT_EQ(t, proc_wait(pid, NULL), 0);
}

/* Microseconds from the last spawn to `cycles` (as kernel/fuzz_run.c
 * counts them). */
static long long since_spawn_us(uint64_t cycles)
{
	return (long long)((cycles - spawn_cycles) * 1000000 /
			   arch_cycles_hz());
}

/* The spinner's stamps, in microseconds since the spawn: 32-bit, so each
 * store is whole. 64-bit cycle stamps were written in two halves on a
 * 32-bit CPU, and a kill between them left a torn stamp (a run "from 125
 * to 295146824256 us" failed this suite once on ARM). */
static volatile bool stamped;
static volatile uint32_t first_us, last_us;

/* Spins, stamping the time: how long it ran before its kill. */
static void spins_stamping(void *arg)
{
	first_us = (uint32_t)since_spawn_us(arch_cycles());
	stamped = true;
	for (;;)
		last_us = (uint32_t)since_spawn_us(arch_cycles());
}

KTEST(fuzz, a_kill_is_sent_near_its_delay_and_takes_effect_at_once)
{
	ktest_pin_one_cpu(); /* timings on one CPU, as the fuzz boot's */
	struct fuzz_counts c;
	static const uint32_t delays_us[] = {300, 4000, 15000, 35000};

	if (!arch_cycles_hz())
		KT_SKIP(t, "the cycle counter's rate is not known yet");
	for (unsigned i = 0; i < ARRAY_SIZE(delays_us); i++) {
		memset(&run, 0, sizeof(run));
		run.limit_ms = 2000;
		run.kill = true;
		run.kill_after_us = delays_us[i];
		stamped = false;
		first_us = last_us = 0;
		fuzz_counts_take(&c);
		KT_ASSERT_EQ(
			t,
			fuzz_run_one(spawn_entry, (void *)spins_stamping, &run),
			0);
		KT_EXPECT_MSG(t, same_since(&c), "%s", why);
		KT_EXPECT(t, run.killed);
		KT_EXPECT(t, !run.timed_out);
		long long first = first_us, last = last_us;
		long long sent = (long long)run.kill_sent_us;
		if (stamped)
			ktest_log(
				t,
				"aimed at %u us: sent at %lld us; it ran from "
				"%lld to %lld us after the start",
				(unsigned)delays_us[i], sent, first, last);
		else
			ktest_log(t,
				  "aimed at %u us: sent at %lld us, before it "
				  "first ran; it never ran",
				  (unsigned)delays_us[i], sent);
		/* Sent on the tick the delay ends in, give or take the
		 * emulator's stalls: never at the time limit. */
		KT_EXPECT(t, sent < (long long)delays_us[i] + 30000);
		/* A process that was running stops at once when killed (one
		 * that had not started yet runs until it is first preempted:
		 * see kernel/fuzz_run.c). */
		if (stamped && first < sent)
			KT_EXPECT(t, last < sent + 2000);
	}
}

KTEST(fuzz, output_of_a_run_is_captured_not_printed)
{
	KT_EXPECT_MSG(t, run_checked(writes, 1000), "%s", why);
	KT_EXPECT_EQ(t, run.output_bytes, 100 * 20);
	KT_EXPECT_EQ(t, run.kept, (size_t)FUZZ_OUTPUT_KEEP);
	KT_EXPECT(t, memcmp(run.output, "not for the console\nnot", 23) == 0);
}

static volatile int alarm_fired;
static volatile uint64_t alarm_tick;

static void on_alarm(void *arg)
{
	alarm_tick = tick_count();
	alarm_fired++;
}

KTEST(fuzz, the_tick_alarm_fires_on_its_tick_once)
{
	alarm_fired = 0;
	uint64_t when = tick_count() + 3;
	KT_ASSERT_EQ(t, tick_set_alarm(when, on_alarm, NULL), 0);
	KT_EXPECT_EQ(t, tick_set_alarm(when, on_alarm, NULL), -EBUSY);
	while (!alarm_fired)
		proc_sleep_ms(10);
	KT_EXPECT_EQ(t, alarm_tick, when);
	proc_sleep_ms(30);
	KT_EXPECT_EQ(t, alarm_fired, 1);

	/* Cancelled before its tick: never fires. */
	KT_ASSERT_EQ(t, tick_set_alarm(tick_count() + 2, on_alarm, NULL), 0);
	KT_EXPECT(t, tick_cancel_alarm());
	KT_EXPECT(t, !tick_cancel_alarm());
	proc_sleep_ms(50);
	KT_EXPECT_EQ(t, alarm_fired, 1);
}
