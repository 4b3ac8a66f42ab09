/*
 * The VM86 monitor: a real BIOS call with a known answer (the PC's video
 * BIOS call is in platform/pc/tests/bios_video_test.c), the page-0 window
 * closing afterwards, faulting and runaway real-mode code contained, low
 * memory running out, two processes calling at once while the first call
 * is preempted, and a caller killed in the middle of a call.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/vm86.h>
#include <kernel/kernel.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/tick.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/lowmem.h>
#include <string.h>

static bool contains(const char *s, const char *what)
{
	size_t n = strlen(what);
	for (; *s; s++)
		if (strncmp(s, what, n) == 0)
			return true;
	return false;
}

/* Conventional memory in KiB as the boot memory map gives it: the usable
 * region at address 0 (what the BIOS reports in the BDA). */
static unsigned conventional_kib(void)
{
	const struct boot_info *bi = kernel_boot_info;

	for (unsigned i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].base == 0 && bi->mem[i].type == BOOT_MEM_USABLE)
			return (unsigned)(bi->mem[i].size >> 10);
	return 0;
}

/* A low-memory page holding `code`; returns its segment (code at offset 0). */
static uint16_t place(void **page, const uint8_t *code, size_t n)
{
	uintptr_t phys;

	*page = vm86_alloc(PAGE_SIZE, &phys);
	if (!*page)
		return 0;
	memset(*page, 0, PAGE_SIZE);
	memcpy(*page, code, n);
	return (uint16_t)(phys >> 4);
}

KTEST(vm86, int12_returns_conventional_memory)
{
	struct vm86_regs r = {0};

	KT_ASSERT_EQ(t, vm86_int(0x12, &r), 0);
	ktest_log(t, "INT 12h: AX=%u KiB", r.eax & 0xffff);
	KT_EXPECT(t, (r.eax & 0xffff) >= 512 && (r.eax & 0xffff) <= 640);
	if (conventional_kib())
		KT_EXPECT_EQ(t, r.eax & 0xffff, conventional_kib());
}

KTEST(vm86, page_zero_is_unmapped_after_a_call)
{
	struct vm86_regs r = {0};
	uint8_t b;

	KT_ASSERT_EQ(t, vm86_int(0x12, &r), 0);
	KT_EXPECT_EQ(t, arch_mmu_query(0, NULL, NULL), -ENOENT);
	KT_EXPECT_EQ(t, arch_probe_read((const volatile void *)16, &b),
		     -EFAULT);
	KT_EXPECT(t, !vm86_busy());
}

KTEST(vm86, emulated_instructions_and_nested_int)
{
	static const uint8_t code[] = {
		0xfa,	    /* cli */
		0x9c,	    /* pushf */
		0x5a,	    /* pop dx       ; IF clear */
		0xfb,	    /* sti */
		0x66, 0x9c, /* pushfd */
		0x66, 0x5b, /* pop ebx      ; IF set */
		0xcd, 0x12, /* int 12h      ; nested BIOS interrupt */
		0x89, 0xc1, /* mov cx, ax */
		0xcf,	    /* iret */
	};
	struct vm86_stats before, after;
	struct vm86_regs r = {0};
	void *page;
	uint16_t seg = place(&page, code, sizeof(code));

	KT_ASSERT(t, seg != 0);
	vm86_get_stats(&before);
	KT_EXPECT_EQ(t, vm86_call(seg, 0, &r, 1000), 0);
	vm86_get_stats(&after);
	KT_EXPECT_EQ(t, r.edx & 0x200, 0);
	KT_EXPECT_EQ(t, r.ebx & 0x200, 0x200);
	KT_EXPECT_EQ(t, r.ebx & 0x20000, 0); /* VM is never visible */
	if (conventional_kib())
		KT_EXPECT_EQ(t, r.ecx & 0xffff, conventional_kib());
	KT_EXPECT(t, after.traps - before.traps >= 7);
	KT_EXPECT(t, after.max_depth >= 2);
	vm86_free(page);
}

KTEST(vm86, faulting_code_is_reported_and_survived)
{
	static const uint8_t ud2[] = {0x90, 0x0f, 0x0b}; /* nop; ud2 */
	struct vm86_regs r = {0};
	char want[16];
	void *page;
	uint16_t seg = place(&page, ud2, sizeof(ud2));

	KT_ASSERT(t, seg != 0);
	KT_EXPECT_EQ(t, vm86_call(seg, 0, &r, 1000), -EFAULT);
	snprintf(want, sizeof(want), "%04x:0001", seg);
	KT_EXPECT_MSG(t,
		      contains(vm86_last_error(), "invalid opcode") &&
			      contains(vm86_last_error(), want),
		      "report \"%s\" should name the fault and %s",
		      vm86_last_error(), want);
	vm86_free(page);

	/* The kernel and the monitor go on. */
	KT_EXPECT_EQ(t, vm86_int(0x12, &r), 0);
	KT_EXPECT_EQ(t, arch_mmu_query(0, NULL, NULL), -ENOENT);
}

KTEST(vm86, access_beyond_1mib_is_a_reported_page_fault)
{
	static const uint8_t code[] = {
		0xb8, 0xff, 0xff,	      /* mov ax, 0xffff */
		0x8e, 0xd8,		      /* mov ds, ax */
		0xc6, 0x06, 0x10, 0x00, 0x55, /* mov byte [0x10], 0x55: 1 MiB */
		0xcf,
	};
	struct vm86_regs r = {0};
	void *page;
	uint16_t seg = place(&page, code, sizeof(code));

	KT_ASSERT(t, seg != 0);
	KT_EXPECT_EQ(t, vm86_call(seg, 0, &r, 1000), -EFAULT);
	KT_EXPECT_MSG(t, contains(vm86_last_error(), "page fault"),
		      "got \"%s\"", vm86_last_error());
	vm86_free(page);
}

KTEST(vm86, runaway_code_is_aborted_by_the_time_limit)
{
	static const uint8_t spin[] = {0xeb, 0xfe}; /* jmp $ */
	struct vm86_regs r = {0};
	void *page;
	uint16_t seg = place(&page, spin, sizeof(spin));

	KT_ASSERT(t, seg != 0);
	uint64_t t0 = tick_count();
	KT_EXPECT_EQ(t, vm86_call(seg, 0, &r, 200), -ETIMEDOUT);
	uint64_t ms = (tick_count() - t0) * 1000 / CONFIG_HZ;
	ktest_log(t, "aborted after %llu ms", (unsigned long long)ms);
	KT_EXPECT(t, ms >= 190 && ms < 2000);
	KT_EXPECT_MSG(t, contains(vm86_last_error(), "200 ms"), "got \"%s\"",
		      vm86_last_error());
	KT_EXPECT(t, arch_irq_enabled());
	vm86_free(page);
	KT_EXPECT_EQ(t, vm86_int(0x12, &r), 0);
}

KTEST(vm86, low_memory_exhaustion_is_a_clear_error)
{
	static void *held[LOWMEM_PAGES];
	unsigned n = 0;
	struct vm86_regs r = {0};

	while (n < LOWMEM_PAGES && (held[n] = vm86_alloc(PAGE_SIZE, NULL)))
		n++;
	KT_EXPECT_EQ(t, vm86_int(0x12, &r), -ENOMEM);
	KT_EXPECT_MSG(t, contains(vm86_last_error(), "low memory"),
		      "got \"%s\"", vm86_last_error());
	while (n)
		vm86_free(held[--n]);
	KT_EXPECT_EQ(t, vm86_int(0x12, &r), 0);
}

/*
 * Two processes call at once. A's real-mode code spins until a flag in its
 * own page is set; while it spins, this (the test) process keeps running —
 * the BIOS call is preempted by the tick — and B's call waits on the
 * monitor. When the flag is set, A's call returns and then B's.
 */
static volatile uint8_t *spin_flag;
static uint16_t spin_seg;
static volatile int a_rc, b_rc;
static volatile bool b_done;
static volatile uint32_t b_ax;

static const uint8_t spin_until_flag[] = {
	0x2e, 0x80, 0x3e, 0x10, 0x00, 0x00, /* cmp byte cs:[0x10], 0 */
	0x74, 0xf8,			    /* je 0 */
	0xcf,				    /* iret */
};

static void caller_a(void *arg)
{
	struct vm86_regs r = {0};
	a_rc = vm86_call(spin_seg, 0, &r, (unsigned)(uintptr_t)arg);
}

static void caller_b(void *arg)
{
	struct vm86_regs r = {0};
	b_rc = vm86_int(0x12, &r);
	b_ax = r.eax & 0xffff;
	b_done = true;
}

static bool wait_busy(void)
{
	for (int i = 0; i < 100 && !vm86_busy(); i++)
		proc_sleep_ms(10);
	return vm86_busy();
}

KTEST(vm86, two_processes_call_at_once)
{
	struct vm86_stats before, after;
	void *page;
	int status;

	if (!sched_running())
		KT_SKIP(t, "no scheduler");
	spin_seg = place(&page, spin_until_flag, sizeof(spin_until_flag));
	KT_ASSERT(t, spin_seg != 0);
	spin_flag = (volatile uint8_t *)page + 0x10;
	a_rc = b_rc = 1;
	b_done = false;
	vm86_get_stats(&before);
	int a = proc_spawn("vm86-a", caller_a, (void *)3000, PROC_PRIO_DEFAULT,
			   0, 0);
	KT_ASSERT(t, a > 0);
	KT_EXPECT(t, wait_busy());
	int b = proc_spawn("vm86-b", caller_b, NULL, PROC_PRIO_DEFAULT, 0, 0);
	KT_ASSERT(t, b > 0);
	uint64_t t0 = tick_count();
	proc_sleep_ms(100);
	/* We ran while A was inside its BIOS call; B is still waiting. */
	KT_EXPECT(t, tick_count() - t0 >= 100 * CONFIG_HZ / 1000);
	KT_EXPECT(t, vm86_busy());
	KT_EXPECT(t, !b_done);
	vm86_get_stats(&after);
	KT_EXPECT(t, after.irqs > before.irqs);
	*spin_flag = 1;
	KT_EXPECT_EQ(t, proc_wait(a, &status), 0);
	KT_EXPECT_EQ(t, proc_wait(b, &status), 0);
	KT_EXPECT_EQ(t, a_rc, 0);
	KT_EXPECT_EQ(t, b_rc, 0);
	KT_EXPECT(t, b_done);
	if (conventional_kib())
		KT_EXPECT_EQ(t, b_ax, conventional_kib());
	KT_EXPECT(t, !vm86_busy());
	vm86_free(page);
}

KTEST(vm86, killing_a_caller_releases_the_monitor)
{
	struct vm86_regs r = {0};
	void *page;
	int status;

	if (!sched_running())
		KT_SKIP(t, "no scheduler");
	spin_seg = place(&page, spin_until_flag, sizeof(spin_until_flag));
	KT_ASSERT(t, spin_seg != 0);
	int a = proc_spawn("vm86-killed", caller_a, (void *)5000,
			   PROC_PRIO_DEFAULT, 0, 0);
	KT_ASSERT(t, a > 0);
	KT_EXPECT(t, wait_busy());
	KT_EXPECT_EQ(t, proc_kill(a), 0);
	KT_EXPECT_EQ(t, proc_wait(a, &status), 0);
	KT_EXPECT_EQ(t, status, PROC_EXIT_KILLED);
	KT_EXPECT(t, !vm86_busy());
	KT_EXPECT_EQ(t, arch_mmu_query(0, NULL, NULL), -ENOENT);
	KT_EXPECT_EQ(t, vm86_int(0x12, &r), 0);
	vm86_free(page);
}

/* Regression: a kill that landed after the caller took the monitor but
 * before it registered the release (seen at -smp 4, the killer on another
 * CPU) left page 0 mapped and the monitor busy. Kills here come as soon as
 * the monitor is taken, after a delay that grows each round, so they
 * sweep the setup, the call and the teardown. */
KTEST(vm86, a_kill_at_any_moment_of_a_call_releases_the_monitor)
{
	struct vm86_regs r = {0};
	void *page;
	int status, killed = 0;

	if (!sched_running())
		KT_SKIP(t, "no scheduler");
	spin_seg = place(&page, spin_until_flag, sizeof(spin_until_flag));
	KT_ASSERT(t, spin_seg != 0);
	for (unsigned round = 0; round < 40; round++) {
		int a = proc_spawn("vm86-killed", caller_a, (void *)2000,
				   PROC_PRIO_DEFAULT, 0, 0);
		KT_ASSERT(t, a > 0);
		uint64_t t0 = tick_count();
		while (!vm86_busy() && tick_count() - t0 < CONFIG_HZ)
			arch_cpu_relax();
		for (volatile unsigned d = 0; d < round * 2000; d++)
			arch_cpu_relax();
		KT_EXPECT_EQ(t, proc_kill(a), 0);
		KT_EXPECT_EQ(t, proc_wait(a, &status), 0);
		killed += status == PROC_EXIT_KILLED;
		KT_EXPECT(t, !vm86_busy());
		KT_EXPECT_EQ(t, arch_mmu_query(0, NULL, NULL), -ENOENT);
		if (t->failures)
			break;
	}
	ktest_log(t, "%d of 40 callers killed before they returned", killed);
	KT_EXPECT_EQ(t, vm86_int(0x12, &r), 0);
	vm86_free(page);
}
