/*
 * ARMv7-A checks beyond the neutral arch suite: the generic timer's rate,
 * context switches keeping the callee-saved registers, VFP state round trips,
 * the MMU (boot map shape, flags, errors, section splits; unaligned loads from
 * RAM work), and that the exit paths are wired (PSCI conduit found, semihosting
 * calls do not fault either way).
 */
#include <arch/arm_platform.h>
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/ops.h>
#include <arch/thread.h>
#include <arch/timer.h>
#include <kernel/tick.h>
#include <ktest.h>
#include <lib/err.h>
#include <string.h>

KTEST(arm, timer_ticks_at_hz)
{
	KT_ASSERT(t, arch_cycles_hz() != 0);
	KT_ASSERT(t, arch_irq_enabled());
	uint64_t irqs = arch_irq_count(arm_platform.timer_irq);
	uint64_t t0 = arch_time_ns(), ticks0 = tick_count();
	uint64_t c0 = arch_cycles();

	while (tick_count() < ticks0 + 5)
		arch_idle();
	uint64_t dt = arch_time_ns() - t0;
	KT_EXPECT(t, arch_irq_count(arm_platform.timer_irq) >= irqs + 5);
	KT_EXPECT(t, arch_cycles() > c0);
	/* 5 ticks span at least 3 tick periods: the first may be one that
	 * was already due (IRQ delivery lags) when we read the clock. The
	 * upper bound is generous for a loaded host. */
	uint64_t period = 1000000000ull / CONFIG_HZ;
	KT_EXPECT_MSG(t, dt >= 3 * period && dt < 500 * period,
		      "5 ticks took %llu ns, period %llu ns",
		      (unsigned long long)dt, (unsigned long long)period);
}

KTEST(arm, idle_keeps_irqs_masked_if_they_were)
{
	arch_irq_disable();
	arch_idle(); /* the tick is pending within 1/HZ s: wfi wakes */
	KT_EXPECT(t, !arch_irq_enabled());
	arch_irq_enable();
	arch_idle();
	KT_EXPECT(t, arch_irq_enabled());
}

/*
 * Context switch with every callee-saved register live: the other side
 * clobbers r4-r11 with junk; ours must come back intact.
 */
static struct arch_context main_ctx __attribute__((used)),
	other_ctx __attribute__((used));
static uint64_t other_stack[512];
static volatile int other_runs;
static volatile uint32_t other_sp_mod8;
static volatile bool other_irqs_on;

static void other_entry(void *arg)
{
	other_irqs_on = arch_irq_enabled();
	for (;;) {
		uint32_t sp;
		__asm__ volatile("mov %0, sp" : "=r"(sp));
		other_sp_mod8 = sp & 7;
		other_runs += (int)(uintptr_t)arg;
		__asm__ volatile(
			"mov r4, #0x44\n\tmov r5, #0x55\n\tmov r6, #0x66\n\t"
			"mov r7, #0x77\n\tmov r8, #0x88\n\tmov r9, #0x99\n\t"
			"mov r10, #0xaa\n\t"
			:
			:
			: "r4", "r5", "r6", "r7", "r8", "r9", "r10");
		irq_state_t s = arch_irq_save();
		arch_context_switch(&other_ctx, &main_ctx);
		arch_irq_restore(s);
	}
}

/* Set r4-r9 to known values (r10 holds the result, r11 is the frame
 * pointer), switch away and back, read them back. */
static uint32_t switch_and_check(void)
{
	uint32_t bad;
	irq_state_t s = arch_irq_save();
	__asm__ volatile(
		"mov r4, #4\n\tmov r5, #5\n\tmov r6, #6\n\tmov r7, #7\n\t"
		"mov r8, #8\n\tmov r9, #9\n\t"
		"ldr r0, =main_ctx\n\tldr r1, =other_ctx\n\t"
		"b 1f\n\t.ltorg\n1:\n\t"
		"bl arch_context_switch\n\t"
		"mov %0, #0\n\t"
		"cmp r4, #4\n\torrne %0, %0, #0x10\n\t"
		"cmp r5, #5\n\torrne %0, %0, #0x20\n\t"
		"cmp r6, #6\n\torrne %0, %0, #0x40\n\t"
		"cmp r7, #7\n\torrne %0, %0, #0x80\n\t"
		"cmp r8, #8\n\torrne %0, %0, #0x100\n\t"
		"cmp r9, #9\n\torrne %0, %0, #0x200\n\t"
		: "=&r"(bad)
		:
		: "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9",
		  "r12", "lr", "memory", "cc");
	arch_irq_restore(s);
	return bad;
}

KTEST(arm, context_switch_keeps_callee_saved)
{
	other_runs = 0;
	arch_context_init(&other_ctx, other_stack, sizeof(other_stack) - 4,
			  other_entry, (void *)3);
	KT_EXPECT_EQ(t, other_ctx.sp & 7, 0);
	KT_EXPECT_EQ(t, switch_and_check(), 0);
	KT_EXPECT_EQ(t, other_runs, 3);
	KT_EXPECT(t, other_irqs_on);
	KT_EXPECT_EQ(t, other_sp_mod8, 0);
	KT_EXPECT_EQ(t, switch_and_check(), 0);
	KT_EXPECT_EQ(t, other_runs, 6);
}

KTEST(arm, fpu_area_round_trip)
{
	static uint64_t a[ARCH_FPU_AREA_SIZE / 8], b[ARCH_FPU_AREA_SIZE / 8];
	static uint64_t saved[ARCH_FPU_AREA_SIZE / 8];

	irq_state_t s = arch_irq_save();
	arch_fpu_save(saved);
	memcpy(a, saved, sizeof(a));
	for (unsigned i = 1; i < ARCH_FPU_AREA_SIZE / 8; i++)
		a[i] = 0x0123456789abcdefull * i; /* d0-d31 */
	arch_fpu_restore(a);
	memset(b, 0, sizeof(b));
	arch_fpu_save(b);
	arch_fpu_restore(saved);
	arch_irq_restore(s);

	KT_EXPECT(t,
		  (((const uint32_t *)b)[1] & (1u << 30)) != 0); /* FPEXC.EN */
	KT_EXPECT_EQ(t, memcmp(a, b, sizeof(a)), 0);
}

extern char svc_stack_guard[];

KTEST(arm, mmu_boot_map_shape)
{
	paddr_t pa;
	unsigned flags;

	KT_EXPECT_EQ(t, arch_mmu_query(0, &pa, &flags), -ENOENT);
	KT_EXPECT_EQ(t, arch_mmu_query(0xffc, &pa, &flags), -ENOENT);
	KT_EXPECT_EQ(t, arch_mmu_query((vaddr_t)svc_stack_guard, &pa, &flags),
		     -ENOENT);
	/* The kernel's code: identity, normal, read-only, executable; its
	 * data: writable, never executed (write xor execute). */
	vaddr_t text = (vaddr_t)arch_mmu_query;
	KT_ASSERT_EQ(t, arch_mmu_query(text, &pa, &flags), 0);
	KT_EXPECT_EQ(t, pa, text);
	KT_EXPECT_EQ(t, flags, MMU_READ | MMU_EXEC);
	uint8_t same = 0; /* if the write went through, nothing changes */
	KT_EXPECT_EQ(t, arch_probe_read((const volatile void *)text, &same), 0);
	KT_EXPECT_EQ(t, arch_probe_write((volatile void *)text, same), -EFAULT);
	static uint32_t data_word = 1;
	KT_ASSERT_EQ(t, arch_mmu_query((vaddr_t)&data_word, &pa, &flags), 0);
	KT_EXPECT_EQ(t, flags, MMU_READ | MMU_WRITE);
	KT_EXPECT_EQ(t, arch_probe_write(&data_word, 2), 0);
	KT_EXPECT_EQ(t, data_word, 2);
	KT_ASSERT_EQ(t, arch_mmu_query((vaddr_t)&flags, &pa, &flags), 0);
	KT_EXPECT_EQ(t, flags, MMU_READ | MMU_WRITE); /* a stack */
	/* The UART: identity device memory, never executed. */
	KT_ASSERT_EQ(t, arch_mmu_query(arm_platform.uart_base + 4, &pa, &flags),
		     0);
	KT_EXPECT_EQ(t, pa, arm_platform.uart_base + 4);
	KT_EXPECT_EQ(t, flags, MMU_READ | MMU_WRITE | MMU_UNCACHED);
	KT_EXPECT(t, (arm_read_sctlr() & (ARM_SCTLR_M | ARM_SCTLR_C)) ==
			     (ARM_SCTLR_M | ARM_SCTLR_C));

	/* Unaligned loads fault on device memory and with the MMU off; on
	 * our normal RAM they must work. */
	static uint8_t bytes[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
	volatile uint32_t *p = (volatile uint32_t *)(void *)(bytes + 1);
	uint32_t v;
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(p) : "memory");
	KT_EXPECT_EQ(t, v, 0x04030201);
}

KTEST(arm, mmu_map_flags_and_errors)
{
	static uint8_t page[2 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
	const vaddr_t va = 0xd0100000u; /* free address space */
	paddr_t pa;
	unsigned flags;

	KT_EXPECT_EQ(t, arch_mmu_map(va, (paddr_t)page, 0, MMU_READ), -EINVAL);
	KT_EXPECT_EQ(t, arch_mmu_map(va, (paddr_t)page + 1, 1, MMU_READ),
		     -EINVAL);
	KT_EXPECT_EQ(t, arch_mmu_map(0xfffff000u, (paddr_t)page, 2, MMU_READ),
		     -EINVAL); /* wraps */
	/* Already mapped (the kernel's own page): nothing changes. */
	KT_EXPECT_EQ(t, arch_mmu_map((vaddr_t)page, (paddr_t)page, 1, MMU_READ),
		     -EEXIST);

	KT_ASSERT_EQ(t, arch_mmu_map(va, (paddr_t)page, 1, MMU_READ), 0);
	KT_ASSERT_EQ(t,
		     arch_mmu_map(va + PAGE_SIZE, (paddr_t)page + PAGE_SIZE, 1,
				  MMU_READ | MMU_WRITE | MMU_UNCACHED),
		     0);
	/* A two-page map over one taken page fails whole. */
	KT_EXPECT_EQ(t,
		     arch_mmu_map(va - PAGE_SIZE, (paddr_t)page, 2, MMU_READ),
		     -EEXIST);
	KT_EXPECT_EQ(t, arch_mmu_query(va - PAGE_SIZE, &pa, &flags), -ENOENT);

	KT_ASSERT_EQ(t, arch_mmu_query(va + 5, &pa, &flags), 0);
	KT_EXPECT_EQ(t, pa, (paddr_t)page + 5);
	KT_EXPECT_EQ(t, flags, MMU_READ);
	KT_ASSERT_EQ(t, arch_mmu_query(va + PAGE_SIZE, &pa, &flags), 0);
	KT_EXPECT_EQ(t, flags, MMU_READ | MMU_WRITE | MMU_UNCACHED);
	page[0] = 0x5a;
	KT_EXPECT_EQ(t, *(volatile uint8_t *)va, 0x5a);

	KT_EXPECT_EQ(t, arch_mmu_unmap(va, 2), 0);
	KT_EXPECT_EQ(t, arch_mmu_query(va, &pa, &flags), -ENOENT);
	KT_EXPECT_EQ(t, arch_mmu_query(va + PAGE_SIZE, &pa, &flags), -ENOENT);
	KT_EXPECT_EQ(t, arch_mmu_unmap(va, 2), 0); /* unmapped pages skipped */
}

/* Unmapping one page of a device section splits it into pages with the
 * same translation. 0x3ff00000: the top of virt's PCI ECAM, unused. */
KTEST(arm, mmu_unmap_splits_a_section)
{
	const vaddr_t va = 0x3ff00000u;
	paddr_t pa;
	unsigned flags;

	KT_ASSERT_EQ(t, arch_mmu_query(va + PAGE_SIZE, &pa, &flags), 0);
	KT_ASSERT_EQ(t, arch_mmu_unmap(va, 1), 0);
	KT_EXPECT_EQ(t, arch_mmu_query(va, &pa, &flags), -ENOENT);
	KT_ASSERT_EQ(t, arch_mmu_query(va + 0xff123, &pa, &flags), 0);
	KT_EXPECT_EQ(t, pa, va + 0xff123);
	KT_EXPECT_EQ(t, flags, MMU_READ | MMU_WRITE | MMU_UNCACHED);
	KT_EXPECT_EQ(
		t, arch_mmu_map(va, va, 1, MMU_READ | MMU_WRITE | MMU_UNCACHED),
		0);
	KT_EXPECT_EQ(t, arch_mmu_query(va, &pa, &flags), 0);
	KT_EXPECT_EQ(t, flags, MMU_READ | MMU_WRITE | MMU_UNCACHED);
}

KTEST(arm, exit_paths_are_wired)
{
	KT_EXPECT_NE(t, arm_platform.psci, PSCI_NONE);
	/* SYS_ERRNO (0x13): harmless with semihosting; without it our SVC
	 * vector answers -1. Either way we are still here. */
	long rc = arm_semihost(0x13, NULL);
	ktest_log(t, "semihosting %s", rc == -1 ? "off (or errno -1)" : "on");
	KT_EXPECT(t, arch_irq_enabled());
}
