/*
 * The fuzz boot's leak check: the counters a program's run must give back
 * (see <kernel/fuzz.h>).
 */
#include <arch/mmu.h>
#include <kernel/fuzz.h>
#include <kernel/printk.h>
#include <kernel/program_wait.h>
#include <kernel/sched.h>
#include <kernel/shm.h>
#include <kernel/stack_cache.h>
#include <kernel/sync.h>
#include <mm/dma.h>
#include <mm/kheap.h>
#include <mm/malloc.h>
#include <mm/mm.h>
#include <mm/pmm.h>
#include <stdarg.h>
#include <string.h>

void fuzz_counts_take(struct fuzz_counts *c)
{
	struct kheap_stats ks;

	memset(c, 0, sizeof(*c));
	proc_settle();
	kheap_flush_quarantine(kheap_kernel());
	stack_cache_drain(); /* cached stacks are not a run's leak */
	kheap_stats(&ks);
	c->kheap_used = ks.used;
	c->kheap_live = ks.allocs - ks.frees;
	c->kheap_errors = ks.errors;
	c->pmm_free = pmm_free_pages();
	c->page_tables = mm_page_tables_from_heap();
	if (mm_virtual_memory()) {
		struct heap_malloc_stats ms;

		heap_malloc_stats(&kernel_malloc, &ms);
		c->malloc_used = ms.used;
		c->malloc_live = ms.allocs - ms.frees;
		c->malloc_errors = ms.errors;
		c->sbrk_pages = ms.sbrk_pages;
		c->dma_windows = kernel_dma.count;
	}
	c->procs = proc_count();
	c->shm_areas = shm_count();
	c->waiters = program_waiter_count();
	c->sync_misuse = sync_misuse_count();
}

/* Append to a bounded string, ", " between items. */
struct text {
	char *buf;
	size_t size, len;
};

static void add(struct text *t, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;

	if (t->len + 1 >= t->size)
		return;
	if (t->len) {
		int n = snprintf(t->buf + t->len, t->size - t->len, ", ");
		t->len += (size_t)n;
		if (t->len >= t->size) {
			t->len = t->size - 1;
			return;
		}
	}
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
	if (t->len >= t->size)
		t->len = t->size - 1;
}

/* "1 thing" or "N things". */
static const char *noun(long long n, const char *one, const char *many)
{
	return n == 1 || n == -1 ? one : many;
}

/* A count that must come back: "N what" when more is left, "N what
 * fewer" when some of what was there before is gone. */
static void count(struct text *t, long long d, const char *one,
		  const char *many)
{
	if (d > 0)
		add(t, "%lld %s", d, noun(d, one, many));
	else if (d < 0)
		add(t, "%lld %s fewer", -d, noun(d, one, many));
}

static void bytes(struct text *t, long long d, long long objects,
		  const char *what)
{
	if (d == 0 && objects == 0)
		return;
	const char *sign = d < 0 ? "-" : "";
	unsigned long long a = (unsigned long long)(d < 0 ? -d : d);
	const char *obj = noun(objects, "object", "objects");
	if (a >= 10240)
		add(t, "%s%llu KiB %s (%lld %s)", sign, a >> 10, what, objects,
		    obj);
	else
		add(t, "%s%llu bytes %s (%lld %s)", sign, a, what, objects,
		    obj);
}

#define DELTA(field) ((long long)after->field - (long long)before->field)

bool fuzz_counts_same(const struct fuzz_counts *before,
		      const struct fuzz_counts *after, char *why, size_t size)
{
	struct text t = {why, size, 0};
	long long tables = DELTA(page_tables);
	long long heap = DELTA(kheap_used);
	long long objects = DELTA(kheap_live);

	why[0] = '\0';
	/* New page tables stay (see <kernel/fuzz.h>): each is one object of
	 * at most three pages' footprint. */
	if (tables > 0 && objects == tables && heap > 0 &&
	    heap <= tables * 3 * (long long)PAGE_SIZE)
		heap = objects = 0;
	bytes(&t, heap, objects, "kernel heap");
	if (tables > 0 && (heap || objects))
		add(&t, "of which %lld new %s", tables,
		    noun(tables, "page table", "page tables"));
	bytes(&t, DELTA(malloc_used), DELTA(malloc_live), "malloc");
	/* Pages move between the PMM and the sbrk heap as malloc's pool
	 * grows and trims; one in neither is lost. */
	count(&t, -(DELTA(pmm_free) + DELTA(sbrk_pages)), "PMM page",
	      "PMM pages");
	count(&t, DELTA(procs), "process", "processes");
	count(&t, DELTA(shm_areas), "shared memory area",
	      "shared memory areas");
	count(&t, DELTA(waiters), "waiter", "waiters");
	count(&t, DELTA(dma_windows), "DMA window", "DMA windows");
	if (tables < 0)
		count(&t, tables, "page table", "page tables");
	count(&t, DELTA(kheap_errors), "kernel heap error reported",
	      "kernel heap errors reported");
	count(&t, DELTA(malloc_errors), "malloc error reported",
	      "malloc errors reported");
	count(&t, DELTA(sync_misuse), "sync misuse reported",
	      "sync misuses reported");
	return t.len == 0;
}
