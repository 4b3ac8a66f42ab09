/*
 * Synchronisation: mutual exclusion under preemption, misuse detection,
 * semaphores and wait queues with timeouts, condition variables, and a
 * producer/consumer pair through a shared memory area.
 */
#include <arch/timer.h>
#include <kernel/klock.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/shm.h>
#include <kernel/sync.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/mm.h>
#include <stddef.h>
#include <string.h>

#define WORKERS 4
#define ADDS	3000

static struct mutex counter_lock;
static volatile unsigned long counter;

static void adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < ADDS; i++) {
		mutex_lock(&counter_lock);
		/* A wide read-modify-write window: without the mutex, a
		 * preemption here loses updates. */
		unsigned long v = counter;
		for (volatile int d = 0; d < 50; d++)
			;
		if (i % 97 == 0)
			proc_yield();
		counter = v + 1;
		mutex_unlock(&counter_lock);
	}
}

KTEST(sync, mutex_counts_exactly_under_preemption)
{
	int pids[WORKERS];
	mutex_init(&counter_lock, "counter");
	counter = 0;
	unsigned long sw0 = sched_switch_count();
	for (int i = 0; i < WORKERS; i++)
		pids[i] = proc_spawn("adder", adder, NULL, PROC_PRIO_DEFAULT, 0,
				     0);
	for (int i = 0; i < WORKERS; i++)
		KT_EXPECT_EQ(t, proc_wait(pids[i], NULL), 0);
	KT_EXPECT_EQ(t, counter, WORKERS * ADDS);
	ktest_log(t, "%lu switches", sched_switch_count() - sw0);
	KT_EXPECT(t, counter_lock.owner == NULL);
}

static void unlock_foreign(void *arg)
{
	struct mutex *m = arg;
	if (mutex_unlock(m) != -EPERM)
		proc_exit(1);
}

KTEST(sync, mutex_misuse_is_reported_and_refused)
{
	struct mutex m;
	mutex_init(&m, "misuse");
	unsigned long before = sync_misuse_count();

	KT_EXPECT_EQ(t, mutex_unlock(&m), -EPERM); /* not locked */
	KT_EXPECT_EQ(t, mutex_lock(&m), 0);
	KT_EXPECT_EQ(t, mutex_lock(&m), -EDEADLK); /* recursion */
	KT_EXPECT_EQ(t, mutex_trylock(&m), -EBUSY);
	int pid = proc_spawn("thief", unlock_foreign, &m, PROC_PRIO_DEFAULT, 0,
			     0);
	int status = -1;
	proc_wait(pid, &status);
	KT_EXPECT_EQ(t, status, 0); /* a non-owner's unlock was refused */
	KT_EXPECT(t, mutex_held_by_me(&m));
	KT_EXPECT_EQ(t, mutex_unlock(&m), 0);
	KT_EXPECT_EQ(t, mutex_unlock(&m), -EPERM); /* double unlock */
	KT_EXPECT_EQ(t, sync_misuse_count() - before, 4);
}

KTEST(sync, sleeping_with_a_spinlock_is_refused)
{
	struct spinlock l = SPINLOCK_INIT;
	struct wait_queue wq;
	wait_queue_init(&wq);
	unsigned long before = sync_misuse_count();

	irq_state_t s = spin_lock_irqsave(&l);
	KT_EXPECT_EQ(t, proc_current()->spinlocks, 1);
	KT_EXPECT_EQ(t, wait_queue_wait(&wq, 10), -EDEADLK);
	proc_sleep_ms(10); /* reported, does not sleep */
	spin_unlock_irqrestore(&l, s);
	KT_EXPECT_EQ(t, proc_current()->spinlocks, 0);
	s = arch_irq_save();
	spin_unlock_irqrestore(&l, s); /* not held */
	KT_EXPECT_EQ(t, sync_misuse_count() - before, 3);
	KT_EXPECT(t, arch_irq_enabled());
}

KTEST(sync, semaphore_counts_and_times_out)
{
	struct semaphore s;
	sem_init(&s, 2);
	KT_EXPECT_EQ(t, sem_down(&s, 0), 0);
	KT_EXPECT_EQ(t, sem_trydown(&s), 0);
	KT_EXPECT_EQ(t, sem_trydown(&s), -EAGAIN);
	uint64_t t0 = arch_time_ns();
	KT_EXPECT_EQ(t, sem_down(&s, 30), -ETIMEDOUT);
	KT_EXPECT(t, arch_time_ns() - t0 >= 30000000ull);
	sem_up(&s);
	KT_EXPECT_EQ(t, sem_down(&s, 30), 0);
	KT_EXPECT(t, list_empty(&s.waiters.waiters));
}

static struct wait_queue wq_test;

static void waker(void *arg)
{
	(void)arg;
	proc_sleep_ms(20);
	wait_queue_wake_all(&wq_test);
}

KTEST(sync, wait_queue_wakes_or_times_out)
{
	wait_queue_init(&wq_test);
	irq_state_t s = klock_irqsave();
	KT_EXPECT_EQ(t, wait_queue_wait(&wq_test, 20), -ETIMEDOUT);
	klock_irqrestore(s);

	int pid = proc_spawn("waker", waker, NULL, PROC_PRIO_DEFAULT, 0, 0);
	s = klock_irqsave();
	int rc = wait_queue_wait(&wq_test, 60000);
	klock_irqrestore(s);
	KT_EXPECT_EQ(t, rc, 0);
	proc_wait(pid, NULL);
	KT_EXPECT_EQ(t, wait_queue_wake_one(&wq_test), 0);
}

static struct mutex cv_lock;
static struct condvar cv;
static volatile int cv_flag;

static void cv_setter(void *arg)
{
	(void)arg;
	proc_sleep_ms(10);
	mutex_lock(&cv_lock);
	cv_flag = 1;
	cond_signal(&cv);
	mutex_unlock(&cv_lock);
}

KTEST(sync, condvar_waits_for_a_signal)
{
	mutex_init(&cv_lock, "cv");
	cond_init(&cv);
	cv_flag = 0;
	mutex_lock(&cv_lock);
	KT_EXPECT_EQ(t, cond_wait(&cv, &cv_lock, 20), -ETIMEDOUT);
	KT_EXPECT(t, mutex_held_by_me(&cv_lock));
	int pid =
		proc_spawn("setter", cv_setter, NULL, PROC_PRIO_DEFAULT, 0, 0);
	int rc = 0;
	while (!cv_flag && rc == 0)
		rc = cond_wait(&cv, &cv_lock, 60000);
	KT_EXPECT_EQ(t, rc, 0);
	KT_EXPECT_EQ(t, cv_flag, 1);
	KT_EXPECT(t, mutex_held_by_me(&cv_lock));
	mutex_unlock(&cv_lock);
	proc_wait(pid, NULL);
	struct mutex other;
	mutex_init(&other, "other");
	KT_EXPECT_EQ(t, cond_wait(&cv, &other, 10), -EPERM);
}

static void lock_and_exit(void *arg)
{
	mutex_lock(arg);
}

KTEST(sync, a_mutex_held_at_exit_is_released)
{
	struct mutex m;
	mutex_init(&m, "orphan");
	int pid = proc_spawn("holder", lock_and_exit, &m, PROC_PRIO_DEFAULT, 0,
			     0);
	proc_wait(pid, NULL);
	KT_EXPECT(t, m.owner == NULL);
	KT_EXPECT_EQ(t, mutex_lock(&m), 0);
	mutex_unlock(&m);
}

/*
 * A killed process whose exit waits for another process (a resource's
 * release reaping it, as a program's main thread reaps its threads) while
 * it still holds a mutex the other needs to end. The holder is killed
 * asleep with the mutex; the other is blocked on it. Before the fix the
 * two waited for each other for ever (issue 15: a program's main thread
 * killed inside the shared-memory registry, its thread's exit needing the
 * registry).
 */
struct reap_case {
	struct mutex m;
	struct proc_resource reap; /* released at the holder's exit */
	volatile int other_pid;
	volatile bool ready;
};

static void reap_other(struct proc_resource *r)
{
	struct reap_case *c =
		(struct reap_case *)((char *)r -
				     offsetof(struct reap_case, reap));
	proc_wait(c->other_pid, NULL);
}

static void needs_the_mutex(void *arg)
{
	struct reap_case *c = arg;
	mutex_lock(&c->m);
	mutex_unlock(&c->m);
}

static void hold_and_sleep(void *arg)
{
	struct reap_case *c = arg;
	mutex_lock(&c->m);
	c->other_pid = proc_spawn("needs-mutex", needs_the_mutex, c,
				  PROC_PRIO_DEFAULT, 0, 0);
	c->reap.release = reap_other;
	if (c->other_pid > 0)
		proc_resource_add(&c->reap);
	c->ready = true;
	for (;;)
		proc_sleep_ms(1000);
}

KTEST(sync, an_exit_that_waits_for_another_gives_up_its_mutexes_first)
{
	static struct reap_case c;
	int status = 0, rc = -EAGAIN;

	memset(&c, 0, sizeof(c));
	mutex_init(&c.m, "reaped-needs-it");
	int holder = proc_spawn("holder", hold_and_sleep, &c, PROC_PRIO_DEFAULT,
				0, 0);
	KT_ASSERT(t, holder > 0);
	for (int i = 0; i < 200 && !c.ready; i++)
		proc_sleep_ms(5);
	KT_ASSERT(t, c.ready && c.other_pid > 0);
	proc_sleep_ms(20); /* the other is blocked on the mutex by now */
	KT_EXPECT_EQ(t, proc_kill(holder), 0);
	/* Bounded: a deadlock fails the case instead of hanging the suite
	 * (the two processes are then left behind). */
	for (int i = 0; i < 400 && rc == -EAGAIN; i++) {
		rc = proc_wait_flags(holder, &status, PROC_WAIT_NOHANG);
		if (rc == -EAGAIN)
			proc_sleep_ms(5);
	}
	KT_ASSERT_EQ(t, rc, 0);
	KT_EXPECT_EQ(t, status, PROC_EXIT_KILLED);
	/* the holder's release reaped the other */
	KT_EXPECT_EQ(t, proc_wait(c.other_pid, NULL), -ENOENT);
	KT_EXPECT(t, c.m.owner == NULL);
}

/* ---- producer/consumer through a shared memory area ---- */

#define RING  8
#define ITEMS 2000

struct pc_area {
	struct semaphore empty, full;
	unsigned head, tail;
	unsigned ring[RING];
};

static void producer(void *arg)
{
	(void)arg;
	int err;
	struct shm_handle *h = shm_open("pc", 0, 0, &err);
	if (!h)
		proc_exit(10);
	struct pc_area *a = shm_addr(h);
	for (unsigned i = 1; i <= ITEMS; i++) {
		sem_down(&a->empty, 0);
		shm_lock(h);
		a->ring[a->head++ % RING] = i;
		shm_unlock(h);
		sem_up(&a->full);
	}
	shm_close(h);
}

static void consumer(void *arg)
{
	(void)arg;
	int err;
	struct shm_handle *h = shm_open("pc", 0, 0, &err);
	if (!h)
		proc_exit(10);
	struct pc_area *a = shm_addr(h);
	unsigned expect = 1;
	for (unsigned i = 1; i <= ITEMS; i++) {
		sem_down(&a->full, 0);
		shm_lock(h);
		unsigned v = a->ring[a->tail++ % RING];
		shm_unlock(h);
		sem_up(&a->empty);
		if (v != expect++)
			proc_exit(11);
	}
	/* exits with the handle open: closed for it */
}

KTEST(sync, producer_consumer_through_shared_memory)
{
	int err;
	if (!mm_virtual_memory()) {
		KT_EXPECT(t, shm_open("pc", 64, SHM_CREATE, &err) == NULL);
		KT_EXPECT_EQ(t, err, -ENOSYS);
		KT_SKIP(t, "no sbrk heap (MMU not driven on this arch yet)");
	}
	int areas = shm_count();
	struct shm_handle *h = shm_open("pc", sizeof(struct pc_area),
					SHM_CREATE | SHM_EXCL, &err);
	KT_ASSERT(t, h != NULL);
	struct pc_area *a = shm_addr(h);
	sem_init(&a->empty, RING);
	sem_init(&a->full, 0);
	int c = proc_spawn("consumer", consumer, NULL, PROC_PRIO_DEFAULT, 0, 0);
	int p = proc_spawn("producer", producer, NULL, PROC_PRIO_DEFAULT, 0, 0);
	int sc = -1, sp = -1;
	proc_wait(p, &sp);
	proc_wait(c, &sc);
	KT_EXPECT_EQ(t, sp, 0);
	KT_EXPECT_EQ(t, sc, 0);
	KT_EXPECT_EQ(t, a->head, ITEMS);
	KT_EXPECT_EQ(t, a->tail, ITEMS);
	shm_close(h);
	KT_EXPECT_EQ(t, shm_count(), areas);
}

KTEST(sync, shared_memory_names_are_checked_with_a_reason)
{
	char why[64], want[64], name[SHM_NAME_MAX + 1];

	KT_EXPECT_EQ(t, shm_name_check("", why, sizeof(why)), -EINVAL);
	KT_EXPECT_STREQ(t, why, "is empty");
	KT_EXPECT_EQ(t, shm_name_check(NULL, why, sizeof(why)), -EINVAL);
	memset(name, 'x', SHM_NAME_MAX - 1);
	name[SHM_NAME_MAX - 1] = '\0';
	KT_EXPECT_EQ(t, shm_name_check(name, why, sizeof(why)), 0);
	name[SHM_NAME_MAX - 1] = 'x';
	name[SHM_NAME_MAX] = '\0';
	KT_EXPECT_EQ(t, shm_name_check(name, why, sizeof(why)), -EINVAL);
	snprintf(want, sizeof(want), "has %d bytes, more than the %d allowed",
		 SHM_NAME_MAX, SHM_NAME_MAX - 1);
	KT_EXPECT_STREQ(t, why, want);
	KT_EXPECT_EQ(t, shm_name_check("a\x7f", why, sizeof(why)), -EINVAL);
	KT_EXPECT_STREQ(t, why, "holds a control character (0x7f at byte 1)");
	/* UTF-8 is a name like any other */
	KT_EXPECT_EQ(t, shm_name_check("m\xc3\xa9moire", why, sizeof(why)), 0);
}

KTEST(sync, shared_memory_open_rules)
{
	int err;
	if (!mm_virtual_memory())
		KT_SKIP(t, "no sbrk heap (MMU not driven on this arch yet)");
	KT_EXPECT(t, shm_open("nope", 0, 0, &err) == NULL);
	KT_EXPECT_EQ(t, err, -ENOENT);
	KT_EXPECT(t, shm_open("", 16, SHM_CREATE, &err) == NULL);
	KT_EXPECT_EQ(t, err, -EINVAL);
	KT_EXPECT(t, shm_open("a-name-that-is-far-too-long-for-an-area", 16,
			      SHM_CREATE, &err) == NULL);
	KT_EXPECT_EQ(t, err, -EINVAL);
	KT_EXPECT(t, shm_open("tab\there", 16, SHM_CREATE, &err) == NULL);
	KT_EXPECT_EQ(t, err, -EINVAL);
	KT_EXPECT(t, shm_open("zero", 0, SHM_CREATE, &err) == NULL);
	KT_EXPECT_EQ(t, err, -EINVAL);

	struct shm_handle *a = shm_open("rules", 100, SHM_CREATE, &err);
	KT_ASSERT(t, a != NULL);
	struct shm_handle *b = shm_open("rules", 0, 0, &err);
	KT_ASSERT(t, b != NULL);
	KT_EXPECT(t, shm_addr(a) == shm_addr(b));
	KT_EXPECT_EQ(t, shm_size(b), 100);
	KT_EXPECT(t,
		  shm_open("rules", 16, SHM_CREATE | SHM_EXCL, &err) == NULL);
	KT_EXPECT_EQ(t, err, -EEXIST);
	KT_EXPECT(t, shm_open("rules", 200, 0, &err) == NULL);
	KT_EXPECT_EQ(t, err, -EINVAL);
	int n = shm_count();
	shm_close(a);
	KT_EXPECT_EQ(t, shm_count(), n);
	shm_close(b);
	KT_EXPECT_EQ(t, shm_count(), n - 1);
}

/*
 * Regression: shm_close() used to forget the handle (no longer a process
 * resource) before waiting for the registry lock, so a process killed
 * while it waited leaked its handle and the area lived on. A shm_ext()
 * make hook that waits for the test holds the registry lock meanwhile.
 */
static volatile int in_make, release_make, closer_opened;

/* Poll `flag` for up to 5 s. */
static bool await_flag(volatile int *flag)
{
	for (int i = 0; i < 1000 && !*flag; i++)
		proc_sleep_ms(5);
	return *flag;
}

static void *held_make(void *base, size_t size, void *arg, int *err)
{
	(void)base;
	(void)size;
	(void)err;
	in_make = 1;
	await_flag(&release_make);
	return arg;
}

static void no_destroy(void *ext)
{
	(void)ext;
}

static const struct shm_ext_ops held_ext = {"test", held_make, no_destroy};

static void attacher(void *arg)
{
	int err;
	static int token;
	struct shm_handle *h;
	(void)arg;
	/* On several CPUs the attacher may start first: the closer must have
	 * its handle before the registry is held, or it blocks in shm_open
	 * and the case tests nothing (seen in CI on ARM at -smp 2). */
	await_flag(&closer_opened);
	h = shm_open("kill-close", 0, 0, &err);
	if (h) {
		shm_ext(h, &held_ext, &token, &err);
		shm_close(h);
	}
}

static void closer(void *arg)
{
	int err;
	(void)arg;
	struct shm_handle *h = shm_open("kill-close", 0, 0, &err);
	closer_opened = h != NULL;
	await_flag(&in_make); /* the attacher holds the registry lock */
	shm_close(h);	      /* blocks on it; killed there */
	closer_opened = 2;    /* not reached */
}

static enum proc_state state_of(int pid)
{
	struct proc_info info[64];
	int n = proc_list(info, 64);
	for (int i = 0; i < n && i < 64; i++)
		if (info[i].pid == pid)
			return info[i].state;
	return PROC_ZOMBIE;
}

KTEST(sync, a_kill_while_closing_shared_memory_still_closes_it)
{
	int err, status;
	if (!mm_virtual_memory())
		KT_SKIP(t, "no sbrk heap (MMU not driven on this arch yet)");
	int areas = shm_count();
	struct shm_handle *h = shm_open("kill-close", 64, SHM_CREATE, &err);
	KT_ASSERT(t, h != NULL);
	in_make = release_make = closer_opened = 0;
	int c = proc_spawn("closer", closer, NULL, PROC_PRIO_DEFAULT, 0, 0);
	int a = proc_spawn("attacher", attacher, NULL, PROC_PRIO_DEFAULT, 0, 0);
	KT_ASSERT(t, c > 0 && a > 0);
	KT_EXPECT(t, await_flag(&in_make));
	/* wait until the closer blocks on the registry lock */
	for (int i = 0;
	     i < 1000 && (closer_opened != 1 || state_of(c) != PROC_BLOCKED);
	     i++)
		proc_sleep_ms(5);
	KT_EXPECT_EQ(t, state_of(c), PROC_BLOCKED);
	KT_EXPECT_EQ(t, proc_kill(c), 0);
	KT_EXPECT_EQ(t, proc_wait(c, &status), 0);
	KT_EXPECT_EQ(t, status, PROC_EXIT_KILLED);
	release_make = 1;
	KT_EXPECT_EQ(t, proc_wait(a, NULL), 0);
	shm_close(h);
	KT_EXPECT_EQ(t, shm_count(), areas); /* no handle left behind */
}
