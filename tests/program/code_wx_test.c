/*
 * Write xor execute for compiled code (mm/code_region.c, docs/memory.md):
 * the code region's pages are read-only wherever code runs from them, a
 * write to one faults (on every CPU), code_region_write is the one way in
 * and leaves no writable mapping behind, compiled functions run from such
 * pages, unloading and loading again reuses the same pages with the new
 * code, and a chunk takes new functions while another CPU runs one already
 * in it (the reason code is written through a window instead of flipping
 * the pages' permissions: a flip would make the running one
 * execute-never under the other CPU on ARM). That last case checks the
 * results only: under QEMU's TCG it passes with a flip too (tried: 5,411
 * calls, no abort; chained translated blocks are not re-checked against
 * the page's permissions), so a flip would show only on hardware.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/mmu.h>
#include <kernel/program.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <ktest.h>
#include <lib/err.h>
#include <lib/printf.h>
#include <mm/code_region.h>
#include <mm/kheap.h>
#include <mm/layout.h>
#include <string.h>
#include <vm/vm.h>

#include "code_wx_modules.h"

#define NFUNCS	    16 /* f0..f15 in each module (gen_code_wx_modules.py) */
#define MAX_WRITTEN (4 * NFUNCS)

#define SKIP_WITHOUT_REGION(t)                                                 \
	do {                                                                   \
		if (!CODE_REGION_SIZE)                                         \
			KT_SKIP(t, "no code region (VM_COMPILER=n)");          \
	} while (0)

#define SKIP_WITHOUT_COMPILER(t)                                               \
	do {                                                                   \
		if (!program_compiler_on())                                    \
			KT_SKIP(t, "compiler off (VM_COMPILER=n or interp)");  \
	} while (0)

/* ---- the VM's hooks: kernel heap, one code heap, code addresses seen */

static struct code_heap heap;
static void *written[MAX_WRITTEN];
static unsigned nwritten;

static void *wx_alloc(void *ctx, size_t n)
{
	(void)ctx;
	return kmalloc(n ? n : 1);
}

static void *wx_realloc(void *ctx, void *p, size_t n)
{
	(void)ctx;
	return krealloc(p, n ? n : 1);
}

static void wx_free(void *ctx, void *p)
{
	(void)ctx;
	kfree(p);
}

static void *wx_mem_alloc(void *ctx, size_t n)
{
	void *p = wx_alloc(ctx, n);
	if (p)
		memset(p, 0, n);
	return p;
}

static void *wx_mem_grow(void *ctx, void *p, size_t old, size_t n)
{
	uint8_t *q = wx_realloc(ctx, p, n);
	if (q)
		memset(q + old, 0, n - old);
	return q;
}

static void wx_mem_free(void *ctx, void *p, size_t n)
{
	(void)n;
	wx_free(ctx, p);
}

static void *wx_code_alloc(void *ctx, const void *code, size_t size)
{
	(void)ctx;
	void *p = code_heap_alloc(&heap, code, size);
	unsigned i = __atomic_fetch_add(&nwritten, 1, __ATOMIC_RELAXED);
	if (p && i < MAX_WRITTEN)
		written[i] = p;
	return p;
}

static void wx_code_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	code_heap_free(&heap, p, size);
}

static const struct vm_host_ops wx_ops = {
	NULL,	     wx_alloc,	  wx_realloc,	 wx_free,      wx_mem_alloc,
	wx_mem_grow, wx_mem_free, wx_code_alloc, wx_code_free,
};

static void hooks_reset(void)
{
	code_heap_init(&heap, NULL, NULL, NULL);
	nwritten = 0;
	memset(written, 0, sizeof(written));
}

/* ---- one loaded module ---- */

struct wx {
	struct vm_module *m;
	struct vm_instance *inst;
	struct vm_thread *th;
};

static bool no_imports(void *ctx, const char *module, const char *field,
		       enum vm_extern_kind kind, const struct vm_functype *type,
		       struct vm_extern *out)
{
	(void)ctx, (void)module, (void)field, (void)kind, (void)type, (void)out;
	return false;
}

static bool wx_load(struct wx *w, const uint8_t *bytes, size_t len)
{
	struct vm_error err;

	memset(w, 0, sizeof(*w));
	w->m = vm_module_load(&wx_ops, bytes, len, &err);
	w->inst = w->m ? vm_instantiate(w->m, no_imports, NULL, &err) : NULL;
	/* small stacks: the default is 8 MiB of slots */
	w->th = w->inst ? vm_thread_new(&wx_ops, 4096, 256) : NULL;
	if (w->th)
		program_set_stack_limit(w->th);
	return w->th != NULL;
}

/* Instance first: it frees each function's code (code_free). */
static void wx_unload(struct wx *w)
{
	if (w->th)
		vm_thread_free(w->th);
	if (w->inst)
		vm_instance_free(w->inst);
	if (w->m)
		vm_module_free(w->m);
	memset(w, 0, sizeof(*w));
}

/* f<i>(x), or UINT32_MAX if the call failed. */
static uint32_t wx_call(struct wx *w, unsigned i, uint32_t x)
{
	char name[8];
	struct vm_extern e;
	struct vm_error err;
	vm_value arg = {.u32 = x}, res = {0};

	snprintf(name, sizeof(name), "f%u", i);
	if (!vm_instance_export(w->inst, name, &e) || e.kind != VM_EXTERN_FUNC)
		return UINT32_MAX;
	if (vm_call(w->th, e.u.func, &arg, 1, &res, 1, &err) != VM_OK)
		return UINT32_MAX;
	return res.u32;
}

static uint32_t three(unsigned i, uint32_t x)
{
	return x * 3 + i;
}

static uint32_t five(unsigned i, uint32_t x)
{
	return x * 5 + i;
}

static bool writable(const void *p)
{
	unsigned flags = 0;
	return arch_mmu_query((uintptr_t)p, NULL, &flags) == 0 &&
	       (flags & MMU_WRITE);
}

/* No page of the write window is mapped (outside a write). */
static bool window_closed(void)
{
	struct code_region_stats st;

	code_region_get_stats(&st);
	for (unsigned i = 0; i < 8; i++)
		if (arch_mmu_query(st.window + i * PAGE_SIZE, NULL, NULL) !=
		    -ENOENT)
			return false;
	return true;
}

/* ---- on another CPU ---- */

struct remote_probe {
	volatile uint8_t *at;
	int write_rc, read_rc;
	uint8_t byte;
};

static void probe_there(void *arg)
{
	struct remote_probe *p = arg;
	p->write_rc = arch_probe_write(p->at, 0xcc);
	p->read_rc = arch_probe_read(p->at, &p->byte);
}

/* The next running CPU after the caller's, or the caller's own. */
static unsigned other_cpu(void)
{
	irq_state_t s = arch_irq_save();
	unsigned me = arch_cpu_id(), i = me;
	arch_irq_restore(s);
	do
		i = (i + 1) % CONFIG_NR_CPUS;
	while (i != me && !smp_cpu_up(i));
	return i;
}

/* Probe p on another CPU (if there is one): a write faults there too (no
 * CPU keeps a writable translation), a read sees `want`. */
static void expect_read_only_there(struct ktest *t, void *p, uint8_t want)
{
	unsigned cpu = other_cpu();
	struct remote_probe rp = {p, 1, 1, 0};

	if (smp_cpus_online() < 2)
		return;
	KT_EXPECT_EQ(t, smp_call_on(cpu, probe_there, &rp), 0);
	KT_EXPECT_EQ(t, rp.write_rc, -EFAULT);
	KT_EXPECT_EQ(t, rp.read_rc, 0);
	KT_EXPECT_EQ(t, rp.byte, want);
}

/* ---- the cases ---- */

KTEST(code_wx, region_pages_are_read_only_and_written_through_the_window)
{
	static const uint8_t bytes[12] = {1, 2, 3, 4,  5,  6,
					  7, 8, 9, 10, 11, 12};
	struct code_region_stats before, after;
	unsigned flags = 0;

	SKIP_WITHOUT_REGION(t);
	uint8_t *p = code_region_alloc(2);
	KT_ASSERT(t, p != NULL);
	KT_EXPECT_EQ(t, arch_mmu_query((uintptr_t)p, NULL, &flags), 0);
	KT_EXPECT(t, flags & MMU_EXEC);
	KT_EXPECT(t, !(flags & MMU_WRITE));
	KT_EXPECT_EQ(t, p[0], 0); /* zeroed */
	KT_EXPECT_EQ(t, p[2 * PAGE_SIZE - 1], 0);
	KT_EXPECT_EQ(t, arch_probe_write(p, 0xaa), -EFAULT);
	KT_EXPECT_EQ(t, arch_probe_write(p + PAGE_SIZE + 17, 0xaa), -EFAULT);
	KT_EXPECT_EQ(t, p[0], 0);
	/* what a fault report says of the address (trap.c, exception.c) */
	KT_EXPECT_STREQ(t, mm_describe_address((uintptr_t)p + 5),
			"code region: compiled code, read-only");

	/* across the page boundary */
	code_region_get_stats(&before);
	KT_EXPECT_EQ(t, code_region_write(p + PAGE_SIZE - 6, bytes, 12), 0);
	code_region_get_stats(&after);
	KT_EXPECT_EQ(t, after.writes, before.writes + 1);
	KT_EXPECT_EQ(t, memcmp(p + PAGE_SIZE - 6, bytes, 12), 0);
	KT_EXPECT(t, window_closed());
	KT_EXPECT(t, !writable(p) && !writable(p + PAGE_SIZE));
	KT_EXPECT_EQ(t, arch_probe_write(p + PAGE_SIZE - 6, 0xaa), -EFAULT);
	KT_EXPECT_EQ(t, p[PAGE_SIZE - 6], 1);
	expect_read_only_there(t, p + PAGE_SIZE + 5, 12);

	/* zeros (src NULL), then the whole two pages at once */
	KT_EXPECT_EQ(t, code_region_write(p + PAGE_SIZE - 6, NULL, 12), 0);
	KT_EXPECT_EQ(t, p[PAGE_SIZE + 5], 0);
	code_region_free(p, 2);
}

KTEST(code_wx, code_region_write_refuses_what_is_not_allocated_code)
{
	static uint8_t data[16];
	struct code_region_stats st;

	SKIP_WITHOUT_REGION(t);
	code_region_get_stats(&st);
	KT_EXPECT_EQ(t, code_region_write(data, "x", 1), -EINVAL);
	KT_EXPECT_EQ(t, code_region_write((void *)st.window, "x", 1), -EINVAL);
	KT_EXPECT_EQ(t, code_region_write((void *)(st.start - 1), "x", 1),
		     -EINVAL);
	uint8_t *p = code_region_alloc(1);
	KT_ASSERT(t, p != NULL);
	/* past the end of the region, and past the allocated page: the
	 * region is first fit and this test allocates nothing after p, so
	 * the page after it is free unless something else holds it */
	KT_EXPECT_EQ(t, code_region_write(p, NULL, (size_t)-1 / 2), -EINVAL);
	code_region_get_stats(&st);
	uint8_t *next = p + PAGE_SIZE;
	if (arch_mmu_query((uintptr_t)next, NULL, NULL) == -ENOENT) {
		unsigned long failed = st.write_failures;
		KT_EXPECT_EQ(t, code_region_write(next - 2, "abcd", 4),
			     -EINVAL);
		code_region_get_stats(&st);
		KT_EXPECT_EQ(t, st.write_failures, failed + 1);
		KT_EXPECT(t, window_closed());
	}
	code_region_free(p, 1);
	/* freed: no longer code to write */
	KT_EXPECT_EQ(t, code_region_write(p, "x", 1), -EINVAL);
	KT_EXPECT(t, window_closed());
}

KTEST(code_wx, compiled_functions_run_from_pages_no_one_can_write)
{
	struct wx w;

	SKIP_WITHOUT_COMPILER(t);
	hooks_reset();
	KT_ASSERT(t, wx_load(&w, mod_wx_three, sizeof(mod_wx_three)));
	for (unsigned i = 0; i < NFUNCS; i++)
		KT_EXPECT_EQ(t, wx_call(&w, i, 7), three(i, 7));
	KT_EXPECT_EQ(t, nwritten, NFUNCS);
	for (unsigned i = 0; i < nwritten && i < MAX_WRITTEN; i++) {
		uint8_t *code = written[i];
		KT_ASSERT(t, code != NULL);
		uint8_t first = code[0];
		KT_EXPECT(t, !writable(code));
		KT_EXPECT_EQ(t, arch_probe_write(code, 0xcc), -EFAULT);
		KT_EXPECT_EQ(t, code[0], first);
		if (i == 0)
			expect_read_only_there(t, code, first);
	}
	KT_EXPECT(t, window_closed());
	/* still runs, every function, after the probes */
	for (unsigned i = 0; i < NFUNCS; i++)
		KT_EXPECT_EQ(t, wx_call(&w, i, 1000), three(i, 1000));
	wx_unload(&w);
	KT_EXPECT_EQ(t, heap.live, 0);
	KT_EXPECT_EQ(t, heap.pages, 0);
}

KTEST(code_wx, unload_and_reload_reuse_the_pages_with_the_new_code)
{
	struct code_region_stats st;
	struct wx w;
	uintptr_t first_code = 0;
	size_t base, used = 0;

	SKIP_WITHOUT_COMPILER(t);
	code_region_get_stats(&st);
	base = st.pages_used;
	for (unsigned round = 0; round < 20; round++) {
		bool odd = round & 1;
		hooks_reset();
		KT_ASSERT(t, odd ? wx_load(&w, mod_wx_five, sizeof(mod_wx_five))
				 : wx_load(&w, mod_wx_three,
					   sizeof(mod_wx_three)));
		for (unsigned i = 0; i < NFUNCS; i++) {
			uint32_t want = odd ? five(i, round) : three(i, round);
			KT_EXPECT_EQ(t, wx_call(&w, i, round), want);
		}
		code_region_get_stats(&st);
		if (round == 0) {
			first_code = (uintptr_t)written[0];
			used = st.pages_used;
			KT_EXPECT(t, used > base);
		}
		/* first fit, nothing else compiling: the same pages again */
		KT_EXPECT_EQ(t, (uintptr_t)written[0], first_code);
		KT_EXPECT_EQ(t, st.pages_used, used);
		KT_EXPECT(t, !writable(written[0]));
		wx_unload(&w);
		code_region_get_stats(&st);
		KT_EXPECT_EQ(t, st.pages_used, base);
		KT_EXPECT_EQ(t, heap.pages, 0);
	}
}

/* ---- a chunk grows while another CPU runs code in it ---- */

struct runner {
	struct wx w;
	volatile bool stop;
	volatile unsigned long calls, wrong;
	volatile unsigned cpu;
};

static void runner_main(void *arg)
{
	struct runner *r = arg;

	program_set_stack_limit(r->w.th); /* this process's stack */
	while (!r->stop) {
		uint32_t x = (uint32_t)r->calls;
		if (wx_call(&r->w, 0, x) != three(0, x))
			r->wrong++;
		irq_state_t s = arch_irq_save();
		r->cpu = arch_cpu_id();
		arch_irq_restore(s);
		r->calls++;
	}
}

KTEST(code_wx, a_chunk_takes_new_code_while_another_cpu_runs_it)
{
	static struct runner r;
	struct wx w;

	SKIP_WITHOUT_COMPILER(t);
	if (smp_cpus_online() < 2)
		KT_SKIP(t, "one CPU running (needs --smp 2 or more)");
	hooks_reset();
	memset(&r, 0, sizeof(r));
	KT_ASSERT(t, wx_load(&r.w, mod_wx_three, sizeof(mod_wx_three)));
	KT_ASSERT(t, wx_load(&w, mod_wx_three, sizeof(mod_wx_three)));
	/* the runner's f0 first in the chunk */
	KT_EXPECT_EQ(t, wx_call(&r.w, 0, 1), three(0, 1));
	int pid = proc_spawn("code-wx-run", runner_main, &r, PROC_PRIO_DEFAULT,
			     0, 0);
	KT_ASSERT(t, pid > 0);
	unsigned there = other_cpu();
	KT_EXPECT_EQ(t, proc_pin(pid, (int)there), 0);
	for (unsigned i = 0; i < 1000 && r.calls < 100; i++)
		proc_sleep_ms(1);
	KT_EXPECT(t, r.calls >= 100);
	/* 16 functions compiled and written into the runner's chunk while
	 * it runs f0 from it; each checked as it is */
	for (unsigned i = 0; i < NFUNCS; i++)
		KT_EXPECT_EQ(t, wx_call(&w, i, 3), three(i, 3));
	unsigned long seen = r.calls;
	for (unsigned i = 0; i < 1000 && r.calls < seen + 100; i++)
		proc_sleep_ms(1);
	r.stop = true;
	KT_EXPECT_EQ(t, proc_wait(pid, NULL), 0);
	KT_EXPECT(t, r.calls >= seen + 100);
	KT_EXPECT_EQ(t, r.wrong, 0);
	KT_EXPECT_EQ(t, r.cpu, there);
	/* they did share a page (else this tested nothing) */
	uintptr_t page0 = (uintptr_t)written[0] & ~(uintptr_t)(PAGE_SIZE - 1);
	bool shared = false;
	for (unsigned i = 1; i < nwritten && i < MAX_WRITTEN; i++)
		shared |= ((uintptr_t)written[i] &
			   ~(uintptr_t)(PAGE_SIZE - 1)) == page0;
	KT_EXPECT(t, shared);
	ktest_log(t,
		  "runner: %lu calls on cpu %u while %u functions were "
		  "written into its chunk",
		  r.calls, r.cpu, NFUNCS);
	wx_unload(&w);
	wx_unload(&r.w);
	KT_EXPECT_EQ(t, heap.pages, 0);
}
