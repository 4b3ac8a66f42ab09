/*
 * Hostile or merely unusual programs must not take the ring-0 kernel down
 * (issue 12): a _start that is not () -> (), a module that would fill the
 * kernel heap, kills that land while a program loads, CPU hogs beside
 * exiting programs, a killed worker thread, background programs reading
 * stdin, memory limits. After each case every counter is back where it
 * was: the kernel heap, the sbrk heap's live objects, the PMM (up to what
 * the sbrk pool keeps), processes, shared areas, program accounts.
 */
#include <arch/mmu.h>
#include <kernel/printk.h>
#include <kernel/program.h>
#include <kernel/program_mem.h>
#include <kernel/program_wait.h>
#include <kernel/ramdisk.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <kernel/shm.h>
#include <kernel/stack_cache.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <mm/malloc.h>
#include <mm/mm.h>
#include <mm/pmm.h>
#include <string.h>

#include "hostile_modules.h"
#include "program_testlib.h"

#define ADD(name)                                                              \
	test_ramdisk_add("kh-" #name ".wasm", mod_##name, sizeof(mod_##name))

/* What a run may change only while it lasts. */
struct counters {
	unsigned long kheap_live;  /* objects, less page tables (see below) */
	unsigned long malloc_live; /* sbrk heap objects */
	size_t pmm_free;
	int procs, areas;
	size_t charged;
};

static void snapshot(struct counters *c)
{
	struct kheap_stats ks;

	stack_cache_drain(); /* cached process stacks are not a leak */
	kheap_stats(&ks);
	/* The sbrk heap's page tables stay once its top has been that high
	 * (arch/mmu.h): counted apart, they are not a run's leak. */
	c->kheap_live = ks.allocs - ks.frees - mm_page_tables_from_heap();
	struct heap_malloc_stats ms; /* sums the per-CPU caches' counts */
	heap_malloc_stats(&kernel_malloc, &ms);
	c->malloc_live = ms.allocs - ms.frees;
	c->pmm_free = pmm_free_pages();
	c->procs = proc_count();
	c->areas = shm_count();
	c->charged = program_mem_total();
}

/* The sbrk pool may keep its growth step, trim margin and hysteresis band
 * (at most MALLOC_TRIM_HYST_MAX, <mm/malloc.h>) mapped. */
#define POOL_SLACK_PAGES                                                       \
	((MALLOC_GROW_MIN + MALLOC_TRIM_KEEP + MALLOC_TRIM_HYST_MAX) /         \
		 PAGE_SIZE +                                                   \
	 4)

static bool same_counters(struct ktest *t, const struct counters *a,
			  const char *when)
{
	struct counters b;

	snapshot(&b);
	bool ok = b.kheap_live == a->kheap_live &&
		  b.malloc_live == a->malloc_live && b.procs == a->procs &&
		  b.areas == a->areas && b.charged == 0 &&
		  b.pmm_free + POOL_SLACK_PAGES >= a->pmm_free;
	if (!ok)
		ktest_log(t,
			  "%s: kernel heap objects %lu -> %lu, sbrk objects "
			  "%lu -> "
			  "%lu, free pages %zu -> %zu, processes %d -> %d, "
			  "areas %d -> %d, charged %zu",
			  when, a->kheap_live, b.kheap_live, a->malloc_live,
			  b.malloc_live, a->pmm_free, b.pmm_free, a->procs,
			  b.procs, a->areas, b.areas, b.charged);
	return ok;
}

static int run(const char *name)
{
	const char *argv[] = {name, NULL};
	return program_run(name, 1, argv);
}

static int spawn_opts(const char *name, unsigned flags, size_t limit)
{
	const char *argv[] = {name, NULL};
	struct program_opts o = {limit, flags};
	return program_spawn_opts(1, argv, 0, &o);
}

/* Bytes charged to program `pid`, or 0 once it has no account. */
static size_t charged_to(int pid)
{
	struct program_mem_info info[8];
	int n = program_mem_list(info, 8);

	for (int i = 0; i < n && i < 8; i++)
		if (info[i].pid == pid)
			return info[i].charged;
	return 0;
}

/* Wait (up to 30 s) until program `pid` has stopped allocating: loaded,
 * its 2 MiB value stack taken (after the module), instantiated, running
 * its _start. Tracks the kernel heap's largest growth over `base` on the
 * way in *kheap_peak. */
static bool settled(int pid, size_t base, size_t *kheap_peak)
{
	size_t last = 0;
	int same = 0;

	*kheap_peak = 0;
	for (int i = 0; i < 300; i++) {
		struct kheap_stats ks;
		proc_sleep_ms(100);
		kheap_stats(&ks);
		if (ks.used > base && ks.used - base > *kheap_peak)
			*kheap_peak = ks.used - base;
		size_t now = charged_to(pid);
		same = now > (2u << 20) && now == last ? same + 1 : 0;
		if (same == 3)
			return true;
		last = now;
	}
	return false;
}

/* ---- a module of many empty functions (issue 12, finding 2) ---- */

static size_t leb(uint8_t *p, uint32_t v)
{
	size_t n = 0;
	do {
		uint8_t b = v & 0x7f;
		v >>= 7;
		p[n++] = b | (v ? 0x80 : 0);
	} while (v);
	return n;
}

/* A section: id, LEB size, then the body already at body[0..len). */
static size_t section(uint8_t *out, uint8_t id, const uint8_t *body, size_t len)
{
	size_t n = 0;
	out[n++] = id;
	n += leb(out + n, (uint32_t)len);
	memmove(out + n, body, len);
	return n + len;
}

/* `nfuncs` functions () -> (): all empty but the last, `_start`, which
 * loops for ever. Returns the module's size; buf holds 8 * nfuncs + 64. */
static size_t many_functions(uint8_t *buf, uint32_t nfuncs, uint8_t *tmp)
{
	static const uint8_t head[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
	static const uint8_t type[] = {1, 0x60, 0, 0};
	static const uint8_t loop_body[] = {7,	  0, 0x03, 0x40,
					    0x0c, 0, 0x0b, 0x0b};
	size_t n = 0, len;

	memcpy(buf, head, sizeof(head));
	n = sizeof(head);
	n += section(buf + n, 1, type, sizeof(type));
	len = leb(tmp, nfuncs);
	memset(tmp + len, 0, nfuncs);
	n += section(buf + n, 3, tmp, len + nfuncs);
	len = leb(tmp, 1);
	tmp[len++] = 6;
	memcpy(tmp + len, "_start", 6);
	len += 6;
	tmp[len++] = 0;
	len += leb(tmp + len, nfuncs - 1);
	n += section(buf + n, 7, tmp, len);
	len = leb(tmp, nfuncs);
	for (uint32_t i = 0; i + 1 < nfuncs; i++) {
		tmp[len++] = 2; /* body size */
		tmp[len++] = 0; /* no locals */
		tmp[len++] = 0x0b;
	}
	memcpy(tmp + len, loop_body, sizeof(loop_body));
	len += sizeof(loop_body);
	n += section(buf + n, 10, tmp, len);
	return n;
}

/* Adds "kh-funcsN.wasm" to the ramdisk (the ramdisk keeps a pointer:
 * the bytes stay allocated for the rest of the boot, once per size). */
static bool add_many_functions(const char *name, uint32_t nfuncs)
{
	if (ramdisk_find(&kernel_ramdisk, name))
		return true;
	size_t cap = (size_t)nfuncs * 8 + 64;
	uint8_t *buf = malloc(cap), *tmp = malloc(cap);
	if (!buf || !tmp) {
		free(buf);
		free(tmp);
		return false;
	}
	size_t n = many_functions(buf, nfuncs, tmp);
	free(tmp);
	int rc = ramdisk_add_file(&kernel_ramdisk, name, buf, n);
	if (rc)
		free(buf);
	return rc == 0;
}

/* ---- the cases ---- */

KTEST(hostile, a_start_that_is_not_a_wasi_command_is_refused)
{
	NEEDS_SBRK(t);
	ADD(startparams);
	ADD(startimport);
	ADD(nop);
	struct counters c;
	KT_EXPECT_EQ(t, run("kh-nop.wasm"), 0);
	snapshot(&c);
	KT_EXPECT_EQ(t, run("kh-startparams.wasm"), -ENOEXEC);
	KT_EXPECT_EQ(t, run("kh-startimport.wasm"), -ENOEXEC);
	KT_EXPECT(t, same_counters(t, &c, "after the refusals"));
}

KTEST(hostile, a_module_of_many_functions_stays_off_the_kernel_heap)
{
	NEEDS_SBRK(t);
	struct counters c;
	struct kheap_stats before;
	size_t peak;
	int status;
	/* 30,000 functions take some 13 MiB; a 32 MiB machine has room for
	 * 5,000 (the kernel heap must stay as flat either way) */
	bool roomy = program_mem_reserve_ok(32u << 20);
	uint32_t nfuncs = roomy ? 30000 : 5000;
	const char *name = roomy ? "kh-funcs30000.wasm" : "kh-funcs5000.wasm";
	KT_ASSERT(t, add_many_functions(name, nfuncs));
	snapshot(&c);
	kheap_stats(&before);
	int pid = spawn_opts(name, 0, 0);
	KT_ASSERT(t, pid > 0);
	KT_ASSERT(t, settled(pid, before.used, &peak));
	ktest_log(t,
		  "%u functions: charged %zu KiB, kernel heap at most +%zu "
		  "KiB on the way",
		  (unsigned)nfuncs, charged_to(pid) >> 10, peak >> 10);
	/* its process (stack, FPU area), bookkeeping and the page tables of
	 * the sbrk heap's growth (a 4 KiB table per 4 MiB) only */
	KT_EXPECT(t, peak < 64 * 1024);
	KT_EXPECT(t, charged_to(pid) > nfuncs * 8);
	KT_EXPECT_EQ(t, proc_kill(pid), 0);
	KT_EXPECT_EQ(t, proc_wait(pid, &status), 0);
	KT_EXPECT_EQ(t, status, PROC_EXIT_KILLED);
	KT_EXPECT(t, same_counters(t, &c, "after the kill"));
}

KTEST(hostile, memory_limits_refuse_loads_and_growth)
{
	NEEDS_SBRK(t);
	ADD(bigmem);
	ADD(growbig);
	struct counters c;
	int status;
	snapshot(&c);
	/* 64 MiB of memory under an 8 MiB limit: refused at instantiation */
	int pid = spawn_opts("kh-bigmem.wasm", 0, 8u << 20);
	KT_ASSERT(t, pid > 0);
	KT_EXPECT_EQ(t, proc_wait(pid, &status), 0);
	KT_EXPECT_EQ(t, status, 127);
	/* growing by 12.5 MiB past an 8 MiB limit: memory.grow says -1 */
	pid = spawn_opts("kh-growbig.wasm", 0, 8u << 20);
	KT_ASSERT(t, pid > 0);
	KT_EXPECT_EQ(t, proc_wait(pid, &status), 0);
	KT_EXPECT_EQ(t, status, 1);
	/* and the same growth within the default limit succeeds, where
	 * the machine has the memory */
	if (program_mem_reserve_ok(32u << 20))
		KT_EXPECT_EQ(t, run("kh-growbig.wasm"), 0);
	KT_EXPECT(t, same_counters(t, &c, "after the limits"));
}

/* Kill a program `ms` after starting it, wherever it is: loading,
 * instantiating, zeroing its memory, running. */
static bool kill_after(struct ktest *t, const char *name, unsigned ms)
{
	int status;
	int pid = spawn_opts(name, 0, 0);
	if (pid < 0)
		return false;
	if (ms)
		proc_sleep_ms(ms);
	proc_kill(pid);
	/* 127: refused for want of memory on a small machine */
	return proc_wait(pid, &status) == 0 &&
	       (status == PROC_EXIT_KILLED || status == 0 || status == 127);
}

KTEST(hostile, a_kill_at_any_point_of_a_load_leaks_nothing)
{
	NEEDS_SBRK(t);
	ADD(bigmem);
	ADD(bigshared);
	ADD(nop);
	struct counters c;
	KT_ASSERT(t, add_many_functions("kh-funcs5000.wasm", 5000));
	KT_EXPECT_EQ(t, run("kh-nop.wasm"), 0);
	snapshot(&c);
	/* Every tick of the way, for a slow load, a big memset and a big
	 * shared area being made; the killer's priority is above the
	 * program's, so each sleep is the program's running time. */
	for (unsigned ms = 0; ms <= 200; ms += 10) {
		KT_EXPECT(t, kill_after(t, "kh-funcs5000.wasm", ms));
		KT_EXPECT(t, kill_after(t, "kh-bigmem.wasm", ms));
		KT_EXPECT(t, kill_after(t, "kh-bigshared.wasm", ms));
		KT_EXPECT(t, kill_after(t, "kh-nop.wasm", ms / 10));
		if (!KT_EXPECT_MSG(t, same_counters(t, &c, "after a kill"),
				   "leak with a kill after %u ms", ms))
			break;
	}
}

KTEST(hostile, exited_programs_are_reaped_beside_a_busy_one)
{
	NEEDS_SBRK(t);
	ADD(spin);
	ADD(nop);
	const char *argv[] = {"kh-nop.wasm", NULL};
	struct program_opts bg = {0, PROGRAM_BACKGROUND};
	struct counters c;
	snapshot(&c);
	int hog = spawn_opts("kh-spin.wasm", 0, 0);
	KT_ASSERT(t, hog > 0);
	int procs = proc_count();
	for (int i = 0; i < 10; i++)
		KT_EXPECT(t,
			  program_spawn_opts(1, argv, PROC_DETACHED, &bg) > 0);
	/* the hog never lets the idle process run */
	for (int i = 0; i < 200 && proc_count() != procs; i++)
		proc_sleep_ms(10);
	KT_EXPECT_EQ(t, proc_count(), procs);
	int status;
	KT_EXPECT_EQ(t, proc_kill(hog), 0);
	KT_EXPECT_EQ(t, proc_wait(hog, &status), 0);
	KT_EXPECT(t, same_counters(t, &c, "after the hog"));
}

KTEST(hostile, the_shell_refuses_tests_beside_a_busy_program)
{
	NEEDS_SBRK(t);
	ADD(spin);
	int status;
	int hog = spawn_opts("kh-spin.wasm", 0, 0);
	KT_ASSERT(t, hog > 0);
	KT_EXPECT_EQ(t, shell_run_line("test sched"), -EBUSY);
	/* and the shell answers while the hog spins below its priority */
	KT_EXPECT_EQ(t, shell_run_line("ps"), 0);
	KT_EXPECT_EQ(t, shell_run_line("meminfo"), 0);
	KT_EXPECT_EQ(t, proc_kill(hog), 0);
	KT_EXPECT_EQ(t, proc_wait(hog, &status), 0);
}

/* Pids of the other processes named like program `pid` (its threads). */
static int threads_of(int pid, int *out, int max)
{
	struct proc_info info[32], *main = NULL;
	int n = proc_list(info, 32), found = 0;

	for (int i = 0; i < n && i < 32; i++)
		if (info[i].pid == pid)
			main = &info[i];
	for (int i = 0; main && i < n && i < 32 && found < max; i++)
		if (info[i].pid != pid && strcmp(info[i].name, main->name) == 0)
			out[found++] = info[i].pid;
	return found;
}

KTEST(hostile, killing_a_worker_thread_ends_the_program)
{
	NEEDS_SBRK(t);
	ADD(workers);
	struct counters c;
	int tids[2], status;
	snapshot(&c);
	int pid = spawn_opts("kh-workers.wasm", 0, 0);
	KT_ASSERT(t, pid > 0);
	for (int i = 0; i < 500 && threads_of(pid, tids, 2) < 2; i++)
		proc_sleep_ms(10);
	KT_ASSERT_EQ(t, threads_of(pid, tids, 2), 2);
	KT_EXPECT_EQ(t, proc_kill(tids[1]), 0);
	KT_EXPECT_EQ(t, proc_wait(pid, &status), 0);
	KT_EXPECT_EQ(t, status, 137);
	KT_EXPECT_EQ(t, program_waiter_count(), 0);
	KT_EXPECT(t, same_counters(t, &c, "after the worker's kill"));
}

KTEST(hostile, a_background_program_reads_end_of_input)
{
	NEEDS_SBRK(t);
	ADD(readstdin);
	int status;
	int pid = spawn_opts("kh-readstdin.wasm", PROGRAM_BACKGROUND, 0);
	KT_ASSERT(t, pid > 0);
	KT_EXPECT_EQ(t, proc_wait(pid, &status), 0);
	KT_EXPECT_EQ(t, status, 0); /* no byte read, no wait for one */
}
