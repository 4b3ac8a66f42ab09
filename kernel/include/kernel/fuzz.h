/*
 * The `fuzz` boot: every file of the ramdisk runs as a program, each as a
 * process of its own, one after another, twice — once to its end (or its
 * time limit), once killed after a short pseudo-random delay — and after
 * every run the kernel's memory counters must be back where they were.
 * See docs/vm.md, "The fuzz boot".
 *
 * The pieces are usable on their own (tests/fuzz checks the checker with
 * processes that leak on purpose): the counters, and running one process
 * under a time limit with its console output captured.
 */
#ifndef KERNEL_FUZZ_H
#define KERNEL_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Everything a program's run takes and must give back, and the kernel's
 * own error counters (which must not move at all). */
struct fuzz_counts {
	size_t pmm_free;	     /* free PMM pages */
	size_t kheap_used;	     /* kernel heap: bytes in live blocks */
	unsigned long kheap_live;    /* kernel heap: live objects */
	size_t malloc_used;	     /* sbrk heap's malloc: bytes in use */
	unsigned long malloc_live;   /* sbrk heap's malloc: live objects */
	unsigned long sbrk_pages;    /* pages mapped in the sbrk heap */
	unsigned long page_tables;   /* page-table pages from the kernel heap */
	int procs;		     /* processes, zombies included */
	int shm_areas;		     /* shared memory areas */
	unsigned waiters;	     /* programs' memory.atomic.wait entries */
	unsigned dma_windows;	     /* DMA windows mapped */
	unsigned long kheap_errors;  /* bad frees and damage kheap reported */
	unsigned long malloc_errors; /* bad frees malloc refused */
	unsigned long sync_misuse;   /* mutex/spinlock misuse reported */
};

/* Take the counters now. The debug kernel heap's quarantine is flushed
 * first (it holds freed objects back). Process context. */
void fuzz_counts_take(struct fuzz_counts *c);

/*
 * Compare the counters after a run with those before it. Returns true if
 * nothing was left behind; otherwise false, with what differs written to
 * `why` ("313 KiB kernel heap (4 objects), 2048 KiB malloc (1 object)").
 *
 * Exact, with two allowances for what is allocator state, not a leak:
 * - Page tables. The sbrk heap's first growth past its highest extent so
 *   far maps new page tables, which come from the kernel heap and stay
 *   (nothing frees page tables), so a run may add k page-table pages: k
 *   more kernel-heap objects of at most 3 pages of footprint each (the
 *   page, its alignment, the debug heap's red zones) are its right.
 * - The sbrk heap's size. It is malloc's pool, which trims its free end to
 *   MALLOC_TRIM_KEEP past the last live block only when that end is freed,
 *   so its page count depends on the order of frees. What must come back
 *   is malloc's bytes and objects in use, and the PMM pages that are
 *   neither free nor in the sbrk heap (none may be lost).
 */
bool fuzz_counts_same(const struct fuzz_counts *before,
		      const struct fuzz_counts *after, char *why, size_t size);

/* The first bytes of a run's console output that are kept. */
#define FUZZ_OUTPUT_KEEP 240

/* One run of one process. */
struct fuzz_run {
	/* In. */
	unsigned limit_ms;	/* kill it when it runs this long: a time-out */
	bool kill;		/* kill it kill_after_us after it starts */
	uint32_t kill_after_us; /* aimed at: see fuzz_run.c */
	unsigned stuck_ms;	/* give up this long after a kill; 0: 10 s */
	/* Out. */
	int status;	       /* its exit status */
	bool timed_out;	       /* killed at limit_ms */
	bool killed;	       /* killed by `kill` before it ended */
	bool stuck;	       /* still there stuck_ms after its kill */
	uint64_t ran_us;       /* from start to reaped */
	uint64_t kill_sent_us; /* `kill`: when it was sent, from start */
	size_t output_bytes;   /* everything it wrote to the console */
	size_t kept;	       /* the bytes of it in output[] */
	char output[FUZZ_OUTPUT_KEEP];
};

/*
 * Start a process with spawn(arg) (a pid, or a negative error), run it
 * under r's limit and kill, and reap it. While it runs, the console output
 * of every process but the caller goes to r->output (kept in part) instead
 * of the console. The caller runs one priority above the default while
 * this lasts, so the time limit and the kill land on time even when the
 * process never yields. Returns 0, or the spawn's error. A process that
 * does not end within stuck_ms of its kill is left (r->stuck) and not
 * reaped: the caller should stop, as it cannot know what the process
 * still holds. Process context.
 */
int fuzz_run_one(int (*spawn)(void *arg), void *arg, struct fuzz_run *r);

/*
 * The boot mode: run every ramdisk file, print a KTAP document (one line
 * per file) and the closing "N passed, N failed"; returns the number that
 * failed. `limit_ms` 0 takes FUZZ_DEFAULT_LIMIT_MS; `seed` drives the kill
 * delays (printed, so a run can be repeated with fuzz-seed=).
 */
#define FUZZ_DEFAULT_LIMIT_MS 2000u
int fuzz_boot_run(unsigned limit_ms, uint32_t seed);

#endif
