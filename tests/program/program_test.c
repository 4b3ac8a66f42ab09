/*
 * Programs sharing memory on the kernel's scheduler: named shared
 * memories (the same areas kernel processes open), memory.atomic.wait and
 * notify on kernel wait queues, wasi-threads threads, and what a kill or
 * bad input leaves behind (nothing). The modules are in
 * program_modules.h; each case puts the ones it runs in the ramdisk.
 */
#include <arch/mmu.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/program.h>
#include <kernel/program_wait.h>
#include <kernel/ramdisk.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <kernel/shm.h>
#include <kernel/stack_cache.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <mm/mm.h>
#include <string.h>

#include "program_modules.h"
#include "program_testlib.h"

#define ADD(name)                                                              \
	test_ramdisk_add("kt-" #name ".wasm", mod_##name, sizeof(mod_##name))

static int run(const char *name)
{
	const char *argv[] = {name, NULL};
	return program_run(name, 1, argv);
}

static int spawn(const char *name)
{
	const char *argv[] = {name, NULL};
	return program_spawn(1, argv, 0);
}

/* Wait (up to 5 s) until `n` programs are blocked in wait. */
static bool waiters_reach(unsigned n)
{
	for (int i = 0; i < 500 && program_waiter_count() != n; i++)
		proc_sleep_ms(10);
	return program_waiter_count() == n;
}

KTEST(program, programs_count_exactly_in_a_named_area_under_preemption)
{
	NEEDS_SBRK(t);
	ADD(shmadd);
	int err, pids[3], status;
	/* The kernel opens the area first: programs get the same bytes. */
	struct shm_handle *h = shm_open("kt.count", 65536, SHM_CREATE, &err);
	KT_ASSERT(t, h != NULL);
	volatile uint32_t *count = shm_addr(h);
	unsigned long sw0 = sched_switch_count();
	for (int i = 0; i < 3; i++)
		pids[i] = spawn("kt-shmadd.wasm");
	for (int i = 0; i < 3; i++) {
		KT_ASSERT(t, pids[i] > 0);
		KT_EXPECT_EQ(t, proc_wait(pids[i], &status), 0);
		KT_EXPECT_EQ(t, status, 0);
	}
	KT_EXPECT_EQ(t, count[0], 3 * 1000000);
	KT_EXPECT_EQ(t, count[1], 1); /* they interleaved */
	ktest_log(t, "%lu switches", sched_switch_count() - sw0);
	int areas = shm_count();
	shm_close(h);
	KT_EXPECT_EQ(t, shm_count(), areas - 1);
}

KTEST(program, wait_results_follow_the_proposal)
{
	NEEDS_SBRK(t);
	ADD(waitne);
	ADD(waitto);
	ADD(waitok);
	ADD(notify);
	KT_EXPECT_EQ(t, run("kt-waitne.wasm"), 1);
	KT_EXPECT_EQ(t, run("kt-waitto.wasm"), 2);
	/* Nobody waits: notify wakes 0. */
	KT_EXPECT_EQ(t, run("kt-notify.wasm"), 0);

	/* The area must outlive both programs for them to meet in it. */
	int err, status;
	struct shm_handle *h = shm_open("kt.res", 65536, SHM_CREATE, &err);
	KT_ASSERT(t, h != NULL);
	int pid = spawn("kt-waitok.wasm");
	KT_ASSERT(t, pid > 0);
	KT_ASSERT(t, waiters_reach(1));
	KT_EXPECT_EQ(t, run("kt-notify.wasm"), 1);
	KT_EXPECT_EQ(t, proc_wait(pid, &status), 0);
	KT_EXPECT_EQ(t, status, 0);
	KT_EXPECT_EQ(t, program_waiter_count(), 0);
	shm_close(h);
}

KTEST(program, a_killed_waiter_leaves_no_stale_waiter)
{
	NEEDS_SBRK(t);
	ADD(waitforever);
	ADD(notify);
	int areas = shm_count(), status, err;
	/* Held here, so that someone could notify: the wait blocks (alone,
	 * it would trap, see the next case). */
	struct shm_handle *h = shm_open("kt.wait", 65536, SHM_CREATE, &err);
	KT_ASSERT(t, h != NULL);
	int pid = spawn("kt-waitforever.wasm");
	KT_ASSERT(t, pid > 0);
	KT_ASSERT(t, waiters_reach(1));
	/* the shell's `shm` lists the program's area as its memory */
	struct shm_info info[16];
	int n = shm_list(info, 16), found = 0;
	for (int i = 0; i < n && i < 16; i++)
		if (strcmp(info[i].name, "kt.wait") == 0 &&
		    info[i].users == 2 && info[i].kind &&
		    strcmp(info[i].kind, "wasm memory") == 0)
			found++;
	KT_EXPECT_EQ(t, found, 1);
	KT_EXPECT_EQ(t, shell_run_line("shm"), 0);
	KT_EXPECT_EQ(t, shell_run_line("shm now"), -EINVAL);
	KT_EXPECT_EQ(t, proc_kill(pid), 0);
	KT_EXPECT_EQ(t, proc_wait(pid, &status), 0);
	KT_EXPECT_EQ(t, status, PROC_EXIT_KILLED);
	KT_EXPECT_EQ(t, program_waiter_count(), 0);
	/* its handle went with it: the area goes with ours */
	KT_EXPECT_EQ(t, shm_count(), areas + 1);
	shm_close(h);
	KT_EXPECT_EQ(t, shm_count(), areas);
}

/*
 * Issue 12, finding 11: an untimed wait nothing could ever end traps
 * ("wait would block forever", status 134), as under wasmrun, instead of
 * blocking for ever: no other live thread and nobody else holding the
 * memory.
 */
KTEST(program, an_untimed_wait_nothing_could_end_traps)
{
	NEEDS_SBRK(t);
	ADD(waitalone);
	ADD(waitaloneshm);
	ADD(waitafter);
	int procs = proc_count(), areas = shm_count();
	KT_EXPECT_EQ(t, run("kt-waitalone.wasm"), PROGRAM_TRAP_STATUS);
	KT_EXPECT_EQ(t, run("kt-waitaloneshm.wasm"), PROGRAM_TRAP_STATUS);
	/* a thread that has ended (not yet reaped) notifies nobody */
	KT_EXPECT_EQ(t, run("kt-waitafter.wasm"), PROGRAM_TRAP_STATUS);
	KT_EXPECT_EQ(t, program_waiter_count(), 0);
	KT_EXPECT_EQ(t, proc_count(), procs);
	KT_EXPECT_EQ(t, shm_count(), areas);
}

KTEST(program, an_untimed_wait_someone_could_end_blocks)
{
	NEEDS_SBRK(t);
	ADD(waitthread);
	ADD(waitaloneshm);
	ADD(notifyalone);
	int err, status, areas = shm_count();
	/* a second thread that notifies */
	KT_EXPECT_EQ(t, run("kt-waitthread.wasm"), 7);
	/* another holder of the area (here the kernel): it blocks until a
	 * program notifies */
	struct shm_handle *h = shm_open("kt.alone", 65536, SHM_CREATE, &err);
	KT_ASSERT(t, h != NULL);
	int pid = spawn("kt-waitaloneshm.wasm");
	KT_ASSERT(t, pid > 0);
	KT_ASSERT(t, waiters_reach(1));
	KT_EXPECT_EQ(t, run("kt-notifyalone.wasm"), 1);
	KT_EXPECT_EQ(t, proc_wait(pid, &status), 0);
	KT_EXPECT_EQ(t, status, 0);
	KT_EXPECT_EQ(t, program_waiter_count(), 0);
	shm_close(h);
	KT_EXPECT_EQ(t, shm_count(), areas);
}

KTEST(program, threads_share_the_memory_and_end_with_the_program)
{
	NEEDS_SBRK(t);
	ADD(threads);
	ADD(threadexit);
	ADD(threadtrap);
	ADD(stoprace);
	int procs = proc_count(), areas = shm_count();
	KT_EXPECT_EQ(t, run("kt-threads.wasm"), 60);
	/* a thread's exit or trap ends the program, waking the main thread */
	KT_EXPECT_EQ(t, run("kt-threadexit.wasm"), 5);
	KT_EXPECT_EQ(t, run("kt-threadtrap.wasm"), PROGRAM_TRAP_STATUS);
	KT_EXPECT_EQ(t, run("kt-stoprace.wasm"), 5);
	/* every thread reaped, every area gone, no waiter left */
	KT_EXPECT_EQ(t, proc_count(), procs);
	KT_EXPECT_EQ(t, shm_count(), areas);
	KT_EXPECT_EQ(t, program_waiter_count(), 0);
}

KTEST(program, killing_the_main_thread_ends_its_threads)
{
	NEEDS_SBRK(t);
	ADD(waitpair);
	int procs = proc_count(), areas = shm_count(), status;
	int pid = spawn("kt-waitpair.wasm");
	KT_ASSERT(t, pid > 0);
	KT_ASSERT(t, waiters_reach(2));
	KT_EXPECT_EQ(t, proc_count(), procs + 2);
	KT_EXPECT_EQ(t, proc_kill(pid), 0);
	KT_EXPECT_EQ(t, proc_wait(pid, &status), 0);
	KT_EXPECT_EQ(t, status, PROC_EXIT_KILLED);
	KT_EXPECT_EQ(t, program_waiter_count(), 0);
	KT_EXPECT_EQ(t, proc_count(), procs);
	KT_EXPECT_EQ(t, shm_count(), areas);
}

KTEST(program, bad_shared_memory_imports_are_refused)
{
	NEEDS_SBRK(t);
	ADD(unshared);
	ADD(toobig);
	int err, areas = shm_count();
	KT_EXPECT_EQ(t, run("kt-unshared.wasm"), -ENOEXEC);
	struct shm_handle *h = shm_open("kt.small", 65536, SHM_CREATE, &err);
	KT_ASSERT(t, h != NULL);
	KT_EXPECT_EQ(t, run("kt-toobig.wasm"), -ENOEXEC);
	shm_close(h);
	KT_EXPECT_EQ(t, shm_count(), areas);
}

/* What the console shows while a case runs: program_report() writes a
 * program's messages there (its stderr). */
static char captured[1024];
static size_t captured_len;

static void capture_write(struct console *con, const char *s, size_t n)
{
	if (n > sizeof(captured) - 1 - captured_len)
		n = sizeof(captured) - 1 - captured_len;
	memcpy(captured + captured_len, s, n);
	captured_len += n;
	captured[captured_len] = '\0';
}

static struct console capture = {.name = "ktest", .write = capture_write};

/* run(name), with the console's output in `captured`. */
static int run_captured(const char *name)
{
	captured_len = 0;
	captured[0] = '\0';
	console_register(&capture);
	int rc = run(name);
	console_unregister(&capture);
	return rc;
}

static bool shown(const char *text)
{
	size_t n = strlen(text);

	for (const char *p = captured; *p; p++) {
		if (strncmp(p, text, n) == 0)
			return true;
	}
	return false;
}

#define KT_EXPECT_SHOWN(t, text)                                               \
	KT_EXPECT_MSG(t, shown(text), "expected \"%s\" in \"%s\"", text,       \
		      captured)

/* Regression (issue 12, finding 9): each way a memory import's area
 * cannot be opened has its own message; an empty or 200-byte name was
 * called an area "with fewer pages than the import's minimum". */
KTEST(program, shared_memory_import_failures_say_what_is_wrong)
{
	NEEDS_SBRK(t);
	ADD(noname);
	ADD(longname);
	ADD(ctrlname);
	ADD(hugemin);
	ADD(toobig);
	char want[200];
	int err, areas = shm_count();

	KT_EXPECT_EQ(t, run_captured("kt-noname.wasm"), -ENOEXEC);
	KT_EXPECT_SHOWN(t, "run: kt-noname.wasm: memory import shm.'': the "
			   "shared memory name is empty\n");
	KT_EXPECT(t, !shown("fewer"));

	KT_EXPECT_EQ(t, run_captured("kt-longname.wasm"), -ENOEXEC);
	snprintf(want, sizeof(want),
		 "run: kt-longname.wasm: memory import shm.'%.44s...': the "
		 "shared memory name has 200 bytes, more than the %d "
		 "allowed\n",
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn",
		 SHM_NAME_MAX - 1);
	KT_EXPECT_SHOWN(t, want);
	KT_EXPECT(t, !shown("fewer"));

	KT_EXPECT_EQ(t, run_captured("kt-ctrlname.wasm"), -ENOEXEC);
	KT_EXPECT_SHOWN(t, "memory import shm.'kt?name': the shared memory "
			   "name holds a control character (0x01 at byte 2)\n");

	KT_EXPECT_EQ(t, run_captured("kt-hugemin.wasm"), -ENOEXEC);
	snprintf(want, sizeof(want),
		 "shared memory 'kt.huge': the import's minimum of 65536 "
		 "pages is more than an area may reserve "
		 "(CONFIG_PROGRAM_SHM_MAX_MB = %d MiB)\n",
		 CONFIG_PROGRAM_SHM_MAX_MB);
	KT_EXPECT_SHOWN(t, want);

	/* The one case the old text was right about, now with the count. */
	struct shm_handle *h = shm_open("kt.small", 65536, SHM_CREATE, &err);
	KT_ASSERT(t, h != NULL);
	KT_EXPECT_EQ(t, run_captured("kt-toobig.wasm"), -ENOEXEC);
	KT_EXPECT_SHOWN(t, "shared memory 'kt.small' exists with 1 page, "
			   "fewer than the import's minimum of 2\n");
	shm_close(h);
	KT_EXPECT_EQ(t, shm_count(), areas);
}

KTEST(program, bad_thread_modules_end_with_a_message)
{
	NEEDS_SBRK(t);
	ADD(nostart);
	ADD(badstart);
	ADD(badspawn);
	int procs = proc_count(), areas = shm_count();
	KT_EXPECT_EQ(t, run("kt-nostart.wasm"), PROGRAM_TRAP_STATUS);
	KT_EXPECT_EQ(t, run("kt-badstart.wasm"), PROGRAM_TRAP_STATUS);
	KT_EXPECT_EQ(t, run("kt-badspawn.wasm"), -ENOEXEC);
	KT_EXPECT_EQ(t, proc_count(), procs);
	KT_EXPECT_EQ(t, shm_count(), areas);
	KT_EXPECT_EQ(t, program_waiter_count(), 0);
}

KTEST(program, a_shared_memory_grows_in_place)
{
	NEEDS_SBRK(t);
	ADD(grow);
	int err;
	struct shm_handle *h =
		shm_open_range("kt.grow", 65536, 4 * 65536, SHM_CREATE, &err);
	KT_ASSERT(t, h != NULL);
	void *base = shm_addr(h);
	KT_EXPECT_EQ(t, run("kt-grow.wasm"), 130);
	KT_EXPECT(t, shm_addr(h) == base);
	shm_close(h);
}

/* What one page table adds to the kernel heap's used bytes (header and
 * alignment included), measured rather than assumed. */
static size_t page_table_heap_cost(void)
{
	struct kheap_stats a, b;
	kheap_stats(&a);
	void *p = kmalloc_aligned(PAGE_SIZE, PAGE_SIZE);
	kheap_stats(&b);
	kfree(p);
	return p ? b.used - a.used : 0;
}

KTEST(program, runs_leave_the_kernel_heap_as_they_found_it)
{
	NEEDS_SBRK(t);
	ADD(threads);
	struct kheap_stats before, after;
	/* a first run may set up lasting state (ramdisk lookups, caches) */
	KT_EXPECT_EQ(t, run("kt-threads.wasm"), 60);
	size_t table_cost = page_table_heap_cost();
	stack_cache_drain(); /* cached process stacks are not a leak */
	kheap_stats(&before);
	unsigned long tables = mm_page_tables_from_heap();
	for (int i = 0; i < 20; i++)
		KT_EXPECT_EQ(t, run("kt-threads.wasm"), 60);
	stack_cache_drain();
	kheap_stats(&after);
	/* Page tables for a new sbrk high-water mark stay (<arch/mmu.h>):
	 * a run that lands higher than the first is not a leak. */
	tables = mm_page_tables_from_heap() - tables;
	if (tables)
		ktest_log(t, "%lu new page tables for the sbrk heap", tables);
	KT_EXPECT_EQ(t, after.used - tables * table_cost, before.used);
}
