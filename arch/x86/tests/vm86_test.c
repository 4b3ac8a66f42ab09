/*
 * The VM86 monitor: real BIOS calls with known answers, the page-0 window
 * closing afterwards, faulting and runaway real-mode code contained, low
 * memory running out, and a second caller while a call is preempted.
 */
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/thread.h>
#include <arch/vm86.h>
#include <kernel/err.h>
#include <kernel/kernel.h>
#include <kernel/printk.h>
#include <kernel/tick.h>
#include <ktest.h>
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

	*page = lowmem_alloc(&kernel_lowmem, PAGE_SIZE, &phys);
	if (!*page)
		return 0;
	memset(*page, 0, PAGE_SIZE);
	memcpy(*page, code, n);
	return (uint16_t)(phys >> 4);
}

KTEST(vm86, int12_returns_conventional_memory)
{
	struct v86_regs r = {0};

	KT_ASSERT_EQ(t, v86_int(0x12, &r), 0);
	ktest_log(t, "INT 12h: AX=%u KiB", r.eax & 0xffff);
	KT_EXPECT(t, (r.eax & 0xffff) >= 512 && (r.eax & 0xffff) <= 640);
	if (conventional_kib())
		KT_EXPECT_EQ(t, r.eax & 0xffff, conventional_kib());
}

KTEST(vm86, int10_get_video_mode)
{
	struct v86_regs r = {.eax = 0x0f00};

	KT_ASSERT_EQ(t, v86_int(0x10, &r), 0);
	ktest_log(t, "INT 10h AH=0Fh: mode %#x, %u columns, page %u",
		  r.eax & 0x7f, (r.eax >> 8) & 0xff, (r.ebx >> 8) & 0xff);
	/* The tests run in the boot text mode (80x25, mode 3). */
	KT_EXPECT_EQ(t, r.eax & 0x7f, 3);
	KT_EXPECT_EQ(t, (r.eax >> 8) & 0xff, 80);
}

KTEST(vm86, page_zero_is_unmapped_after_a_call)
{
	struct v86_regs r = {0};
	uint8_t b;

	KT_ASSERT_EQ(t, v86_int(0x12, &r), 0);
	KT_EXPECT_EQ(t, arch_mmu_query(0, NULL, NULL), -ENOENT);
	KT_EXPECT_EQ(t, arch_probe_read((const volatile void *)16, &b),
		     -EFAULT);
	KT_EXPECT(t, !v86_busy());
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
	struct v86_stats before, after;
	struct v86_regs r = {0};
	void *page;
	uint16_t seg = place(&page, code, sizeof(code));

	KT_ASSERT(t, seg != 0);
	v86_get_stats(&before);
	KT_EXPECT_EQ(t, v86_call(seg, 0, &r, 1000), 0);
	v86_get_stats(&after);
	KT_EXPECT_EQ(t, r.edx & 0x200, 0);
	KT_EXPECT_EQ(t, r.ebx & 0x200, 0x200);
	KT_EXPECT_EQ(t, r.ebx & 0x20000, 0); /* VM is never visible */
	if (conventional_kib())
		KT_EXPECT_EQ(t, r.ecx & 0xffff, conventional_kib());
	KT_EXPECT(t, after.traps - before.traps >= 7);
	KT_EXPECT(t, after.max_depth >= 2);
	lowmem_free(&kernel_lowmem, page);
}

KTEST(vm86, faulting_code_is_reported_and_survived)
{
	static const uint8_t ud2[] = {0x90, 0x0f, 0x0b}; /* nop; ud2 */
	struct v86_regs r = {0};
	char want[16];
	void *page;
	uint16_t seg = place(&page, ud2, sizeof(ud2));

	KT_ASSERT(t, seg != 0);
	KT_EXPECT_EQ(t, v86_call(seg, 0, &r, 1000), -EFAULT);
	snprintf(want, sizeof(want), "%04x:0001", seg);
	KT_EXPECT_MSG(t,
		      contains(v86_last_error(), "invalid opcode") &&
			      contains(v86_last_error(), want),
		      "report \"%s\" should name the fault and %s",
		      v86_last_error(), want);
	lowmem_free(&kernel_lowmem, page);

	/* The kernel and the monitor go on. */
	KT_EXPECT_EQ(t, v86_int(0x12, &r), 0);
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
	struct v86_regs r = {0};
	void *page;
	uint16_t seg = place(&page, code, sizeof(code));

	KT_ASSERT(t, seg != 0);
	KT_EXPECT_EQ(t, v86_call(seg, 0, &r, 1000), -EFAULT);
	KT_EXPECT_MSG(t, contains(v86_last_error(), "page fault"), "got \"%s\"",
		      v86_last_error());
	lowmem_free(&kernel_lowmem, page);
}

KTEST(vm86, runaway_code_is_aborted_by_the_time_limit)
{
	static const uint8_t spin[] = {0xeb, 0xfe}; /* jmp $ */
	struct v86_regs r = {0};
	void *page;
	uint16_t seg = place(&page, spin, sizeof(spin));

	KT_ASSERT(t, seg != 0);
	uint64_t t0 = tick_count();
	KT_EXPECT_EQ(t, v86_call(seg, 0, &r, 200), -ETIMEDOUT);
	uint64_t ms = (tick_count() - t0) * 1000 / CONFIG_HZ;
	ktest_log(t, "aborted after %llu ms", (unsigned long long)ms);
	KT_EXPECT(t, ms >= 190 && ms < 2000);
	KT_EXPECT_MSG(t, contains(v86_last_error(), "200 ms"), "got \"%s\"",
		      v86_last_error());
	KT_EXPECT(t, arch_irq_enabled());
	lowmem_free(&kernel_lowmem, page);
	KT_EXPECT_EQ(t, v86_int(0x12, &r), 0);
}

KTEST(vm86, low_memory_exhaustion_is_a_clear_error)
{
	static void *held[LOWMEM_PAGES];
	unsigned n = 0;
	struct v86_regs r = {0};

	while (n < LOWMEM_PAGES &&
	       (held[n] = lowmem_alloc(&kernel_lowmem, PAGE_SIZE, NULL)))
		n++;
	KT_EXPECT_EQ(t, v86_int(0x12, &r), -ENOMEM);
	KT_EXPECT_MSG(t, contains(v86_last_error(), "low memory"), "got \"%s\"",
		      v86_last_error());
	while (n)
		lowmem_free(&kernel_lowmem, held[--n]);
	KT_EXPECT_EQ(t, v86_int(0x12, &r), 0);
}

/*
 * Two callers: A's real-mode code spins until a flag in its own page is set.
 * The first timer IRQ during the spin switches to context B (as a
 * preemptive scheduler would), which finds the monitor busy, sets the flag
 * and switches back; A's call then completes, and B's retried call too.
 */
static struct arch_context a_ctx, b_ctx;
static unsigned char b_stack[8192] __attribute__((aligned(16)));
static volatile uint8_t *spin_flag;
static volatile int b_busy_rc, b_rc, b_runs;
static volatile uint32_t b_ax;

static void switch_to(struct arch_context *from, struct arch_context *to)
{
	irq_state_t s = arch_irq_save();
	arch_context_switch(from, to);
	arch_irq_restore(s);
}

static void preempt_hook(void)
{
	v86_set_irq_hook(NULL);
	arch_context_switch(&a_ctx, &b_ctx); /* IRQs are off in the hook */
}

static void caller_b(void *arg)
{
	struct v86_regs r = {0};

	b_runs++;
	b_busy_rc = v86_int_nowait(0x12, &r);
	*spin_flag = 1;
	switch_to(&b_ctx, &a_ctx);
	b_runs++;
	b_rc = v86_int(0x12, &r);
	b_ax = r.eax & 0xffff;
	for (;;)
		switch_to(&b_ctx, &a_ctx);
}

KTEST(vm86, second_caller_waits_while_a_call_is_preempted)
{
	static const uint8_t code[] = {
		0x2e, 0x80, 0x3e, 0x10, 0x00, 0x00, /* cmp byte cs:[0x10], 0 */
		0x74, 0xf8,			    /* je 0 */
		0xcf,				    /* iret */
	};
	struct v86_regs r = {0};
	void *page;
	uint16_t seg = place(&page, code, sizeof(code));

	KT_ASSERT(t, seg != 0);
	spin_flag = (volatile uint8_t *)page + 0x10;
	b_runs = 0;
	arch_context_init(&b_ctx, b_stack, sizeof(b_stack), caller_b, NULL);
	v86_set_irq_hook(preempt_hook);
	int rc = v86_call(seg, 0, &r, 3000);
	v86_set_irq_hook(NULL);
	KT_EXPECT_EQ(t, rc, 0);
	KT_EXPECT_EQ(t, b_runs, 1);
	KT_EXPECT_EQ(t, b_busy_rc, -EBUSY);
	lowmem_free(&kernel_lowmem, page);

	switch_to(&a_ctx, &b_ctx); /* B's call now runs to the end */
	KT_EXPECT_EQ(t, b_runs, 2);
	KT_EXPECT_EQ(t, b_rc, 0);
	if (conventional_kib())
		KT_EXPECT_EQ(t, b_ax, conventional_kib());
	KT_EXPECT(t, !v86_busy());
}
