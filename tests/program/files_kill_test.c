/*
 * Kills that land while a program works on files (docs/storage.md, "Tests
 * in the kernels"): a program (file_modules.h: create, write, fsync,
 * close, unlink, rename, mkdir, rmdir in a loop on /data) is killed at 24
 * points spread over the first half of its run. Kills wait for the VFS
 * call in progress (storage_lock defers them), so what they can cut is
 * the program between calls, with files open; the kernel must close those
 * (program_files.c). After every kill: the program ended killed or
 * finished, the volume synced is consistent on the raw device (tests/fs's
 * fsck: no cross-link, no lost cluster, no short chain). At the end: no
 * kernel heap or malloc error was reported, their live objects and the
 * process count are back where they were, and no file is left open
 * (umount succeeds).
 *
 * /data is a FAT32 RAM disk the suite formats and mounts (test boots
 * mount no disk); skipped if /data is taken.
 */
#include <arch/mmu.h>
#include <arch/timer.h>
#include <fs/fat.h>
#include <fs/ramblk.h>
#include <fs/vfs.h>
#include <kernel/program.h>
#include <kernel/sched.h>
#include <kernel/stack_cache.h>
#include <kernel/storage.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <mm/malloc.h>

#include "../fs/fat_test_util.h"
#include "file_modules.h"
#include "program_testlib.h"

#define KILL_DISK_SECTORS 8192 /* 4 MiB */
#define KILL_POINTS	  24

/* Live objects and reported errors of both heaps, and processes. */
struct heap_marks {
	unsigned long kheap_live, kheap_errors, malloc_live, malloc_errors;
	int procs;
};

static void mark(struct heap_marks *m)
{
	struct kheap_stats ks;
	struct heap_malloc_stats ms;

	stack_cache_drain(); /* a cached process stack is not a leak */
	kheap_stats(&ks);
	heap_malloc_stats(&kernel_malloc, &ms);
	*m = (struct heap_marks){
		.kheap_live = ks.allocs - ks.frees - mm_page_tables_from_heap(),
		.kheap_errors = ks.errors,
		.malloc_live = ms.allocs - ms.frees,
		.malloc_errors = ms.errors,
		.procs = proc_count(),
	};
}

/* Run the writer, killing it `ms` after the start (never, for ~0u):
 * its exit status, or a negative error. */
static int run_writer(unsigned ms)
{
	const char *argv[] = {"fk-writer.wasm", NULL};
	struct program_opts o = {0, 0};
	int status, pid = program_spawn_opts(1, argv, 0, &o);

	if (pid < 0)
		return pid;
	if (ms != ~0u) {
		proc_sleep_ms(ms);
		proc_kill(pid);
	}
	int rc = proc_wait(pid, &status);
	return rc < 0 ? rc : status;
}

/* Sync, then check the raw device: true if consistent. */
static bool volume_ok(struct ktest *t, struct ramblk *rb, unsigned ms)
{
	unsigned lost = 0;

	storage_lock();
	int rc = vfs_sync();
	storage_unlock();
	int problems = fat_test_fsck(t, &rb->dev, &lost);
	return KT_EXPECT_MSG(t, rc == 0 && problems == 0 && lost == 0,
			     "after a kill at %u ms: sync %d, %d problems, "
			     "%u lost clusters",
			     ms, rc, problems, lost);
}

KTEST(files_kill, a_kill_anywhere_in_file_work_leaks_nothing)
{
	struct ramblk rb;
	struct heap_marks before, after;

	NEEDS_SBRK(t);
	KT_ASSERT_EQ(t, ramblk_init(&rb, KILL_DISK_SECTORS), 0);
	KT_ASSERT_EQ(t, fat_format(&rb.dev, 1, "KILL"), 0);
	storage_lock();
	int rc = vfs_mount_fat(&rb.dev, STORAGE_DATA_PATH);
	storage_unlock();
	if (rc) {
		ramblk_free(&rb);
		KT_SKIP(t, "/data is taken");
	}
	test_ramdisk_add("fk-writer.wasm", mod_fwriter, sizeof(mod_fwriter));

	/* Whole runs: it works, and how long the second takes (the first
	 * pays for first uses) sets the kill points. */
	KT_EXPECT_EQ(t, run_writer(~0u), 0);
	uint64_t t0 = arch_time_ns();
	KT_EXPECT_EQ(t, run_writer(~0u), 0);
	unsigned whole_ms = (unsigned)((arch_time_ns() - t0) / 1000000u);
	KT_EXPECT(t, volume_ok(t, &rb, ~0u));
	mark(&before);
	ktest_log(t, "a whole run takes %u ms", whole_ms);

	unsigned killed = 0;
	for (unsigned k = 0; k < KILL_POINTS; k++) {
		/* Over the first half of a run: every kind of call comes
		 * round every few ms (40 rounds a run), and a run's time
		 * varies with the load and the CPUs, so past the half many
		 * kills would come after the end. */
		unsigned ms = whole_ms * k / (2 * KILL_POINTS);
		int status = run_writer(ms);
		if (!KT_EXPECT_MSG(t, status == PROC_EXIT_KILLED || status == 0,
				   "a kill at %u ms: status %d", ms, status) ||
		    !volume_ok(t, &rb, ms))
			break;
		killed += status == PROC_EXIT_KILLED;
	}
	/* A run may finish before its kill (a slow measured run); most
	 * must not. */
	ktest_log(t, "%u of %u runs killed part-way", killed, KILL_POINTS);
	KT_EXPECT(t, killed >= KILL_POINTS / 2);

	/* Still mounted, as at the first mark (a mount holds memory). */
	mark(&after);
	KT_EXPECT_MSG(t,
		      after.kheap_live == before.kheap_live &&
			      after.malloc_live == before.malloc_live &&
			      after.procs == before.procs &&
			      after.kheap_errors == before.kheap_errors &&
			      after.malloc_errors == before.malloc_errors,
		      "kernel heap objects %lu -> %lu (errors %lu -> %lu), "
		      "malloc objects %lu -> %lu (errors %lu -> %lu), "
		      "processes %d -> %d",
		      before.kheap_live, after.kheap_live, before.kheap_errors,
		      after.kheap_errors, before.malloc_live, after.malloc_live,
		      before.malloc_errors, after.malloc_errors, before.procs,
		      after.procs);
	storage_lock();
	rc = vfs_umount(STORAGE_DATA_PATH); /* -EBUSY: a file left open */
	storage_unlock();
	KT_EXPECT_EQ(t, rc, 0);
	if (rc == 0)
		ramblk_free(&rb);
}
