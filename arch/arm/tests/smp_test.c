/*
 * Suite arm_smp: the ARM side of <arch/smp.h>. The boot core's identity
 * (TPIDRPRW, MPIDR), the secondary cores as they came up (their blocks,
 * their GIC CPU-interface bits), PSCI CPU_ON refusing bad and running
 * targets, an SGI taken through the IRQ path, and the broadcast TLB
 * shootdown. Cases that need more than one running core SKIP and say why
 * at --smp 1, with SMP off or with `nosmp`.
 */
#include <arch/arm_platform.h>
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/ops.h>
#include <arch/smp.h>
#include <kernel/cpus.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/tick.h>
#include <ktest.h>
#include <lib/err.h>

/* A block no core may take: a core that PSCI started by mistake with it
 * switches itself off (secondary.S). */
static struct arm_cpu_boot trap_block = {.state = ARM_CPU_BOOT_ABANDONED};

/* The cases speak of the boot core (CPU 0) as "this core": they pin
 * themselves there (the runner unpins after each case). */
static void on_boot_core(void)
{
	struct proc *me = proc_current();
	if (me)
		proc_pin(me->pid, 0);
}

static const char *why_one_cpu(void)
{
	if (smp_cpus_online() > 1)
		return NULL;
	const char *why = smp_off_reason();
	return why ? why : "no secondary core came up";
}

KTEST(arm_smp, boot_core_is_cpu_0)
{
	on_boot_core();
	KT_EXPECT_EQ(t, arch_cpu_id(), 0u);
	KT_EXPECT_EQ(t, arm_read_tpidrprw(), 0u);
	/* The record's CPU 0 is this core (the DTB lists the boot core
	 * first on QEMU virt). */
	KT_EXPECT_EQ(t, arm_read_mpidr() & 0xffffffu, cpu_get(0)->hw_id);
}

KTEST(arm_smp, every_core_came_up)
{
	on_boot_core();
	const char *why = why_one_cpu();
	if (why)
		KT_SKIP(t, why);
	KT_EXPECT_EQ(t, smp_cpus_online(), cpus_started());
	unsigned seen = arm_gic_cpu_mask(0);
	KT_EXPECT_MSG(t, seen && !(seen & (seen - 1)),
		      "boot core's GIC mask %#x", seen);
	for (unsigned i = 1; i < cpus_found(); i++) {
		if (!cpu_get(i)->started)
			continue;
		const struct arm_cpu_boot *b = arm_cpu_boot_block(i);
		unsigned mask = arm_gic_cpu_mask(i);
		ktest_log(t, "cpu %u: MPIDR %#x, GIC mask %#x, ACTLR %#x", i,
			  (unsigned)b->mpidr, mask, (unsigned)b->actlr);
		KT_EXPECT_EQ(t, b->state, (uint32_t)ARM_CPU_BOOT_ENTERED);
		KT_EXPECT_EQ(t, b->cpu, i);
		KT_EXPECT_EQ(t, b->mpidr, cpu_get(i)->hw_id);
		/* One bit each, no two cores alike. */
		KT_EXPECT_MSG(t, mask && !(mask & (mask - 1)) && !(mask & seen),
			      "cpu %u's GIC mask %#x (seen %#x)", i, mask,
			      seen);
		seen |= mask;
	}
}

KTEST(arm_smp, cpu_on_nonexistent_mpidr_fails)
{
	on_boot_core();
	if (arm_platform.psci == PSCI_NONE || !arm_platform.psci_cpu_on)
		KT_SKIP(t, "no PSCI CPU_ON in the device tree");
	unsigned online = smp_cpus_online();
	int32_t ret = 0;
	/* Affinity 0xff.0xff: no such core on virt (up to 8 per cluster). */
	int rc = arm_psci_cpu_on(0xffff, (uintptr_t)arm_secondary_start,
				 (uintptr_t)&trap_block, &ret);
	ktest_log(t, "CPU_ON(0xffff): %s (%d)", arm_psci_error_name(ret),
		  (int)ret);
	KT_EXPECT(t, rc < 0);
	KT_EXPECT_EQ(t, ret, PSCI_E_INVALID_PARAMETERS);
	KT_EXPECT_EQ(t, rc, -EINVAL);
	/* Nothing broke: no core came, time runs, the others are as they
	 * were. */
	uint64_t ticks = tick_count();
	while (tick_count() < ticks + 2)
		arch_idle();
	KT_EXPECT_EQ(t, smp_cpus_online(), online);
	KT_EXPECT_EQ(t, trap_block.state, (uint32_t)ARM_CPU_BOOT_ABANDONED);
}

KTEST(arm_smp, cpu_on_a_running_core_is_already_on)
{
	on_boot_core();
	if (arm_platform.psci == PSCI_NONE || !arm_platform.psci_cpu_on)
		KT_SKIP(t, "no PSCI CPU_ON in the device tree");
	int32_t ret = 0;
	int rc = arm_psci_cpu_on(arm_read_mpidr() & 0xffffffu,
				 (uintptr_t)arm_secondary_start,
				 (uintptr_t)&trap_block, &ret);
	KT_EXPECT_EQ(t, ret, PSCI_E_ALREADY_ON);
	KT_EXPECT_EQ(t, rc, -EBUSY);
	if (why_one_cpu())
		return; /* the boot core was the running core to ask */
	rc = arm_psci_cpu_on(cpu_get(1)->hw_id, (uintptr_t)arm_secondary_start,
			     (uintptr_t)&trap_block, &ret);
	KT_EXPECT_EQ(t, ret, PSCI_E_ALREADY_ON);
	KT_EXPECT_EQ(t, rc, -EBUSY);
	/* The kernel's own path refuses a core it started already. */
	static uint64_t stack[16];
	KT_EXPECT_EQ(t, arch_cpu_start(1, &stack[16]), -EBUSY);
	KT_EXPECT_EQ(t, arch_cpu_start(0, &stack[16]), -EINVAL);
	KT_EXPECT_EQ(t, arch_cpu_start(cpus_found(), &stack[16]), -EINVAL);
}

/* A core that wakes to a block it may not take switches itself off: on a
 * core the kernel left off (`smp=N` below the count), CPU_ON with an
 * ABANDONED block succeeds, the core never reaches the kernel, and a
 * second CPU_ON succeeds again once it is off. */
KTEST(arm_smp, unwanted_core_switches_itself_off)
{
	on_boot_core();
	unsigned spare = 0;
	for (unsigned i = 1; i < cpus_found() && !spare; i++)
		if (!smp_cpu_up(i) &&
		    arm_cpu_boot_block(i)->state == ARM_CPU_BOOT_IDLE)
			spare = i;
	if (!spare)
		KT_SKIP(t,
			"no core left off (boot with smp=N below the count)");
	static struct arm_cpu_boot block;
	uint32_t mpidr = cpu_get(spare)->hw_id;
	unsigned online = smp_cpus_online();
	for (int round = 0; round < 2; round++) {
		arm_cpu_boot_fill(&block, mpidr, spare, 0,
				  ARM_CPU_BOOT_ABANDONED);
		int32_t ret = 0;
		uint64_t t0 = arch_time_ns();
		int rc;
		/* The core may still be on its way off from round 0. */
		do
			rc = arm_psci_cpu_on(mpidr,
					     (uintptr_t)arm_secondary_start,
					     (uintptr_t)&block, &ret);
		while (rc == -EBUSY && arch_time_ns() - t0 < 500000000ull);
		ktest_log(t, "round %d: CPU_ON(%#x): %s", round,
			  (unsigned)mpidr, arm_psci_error_name(ret));
		KT_EXPECT_EQ(t, rc, 0);
		t0 = tick_count();
		while (tick_count() < t0 + 5)
			arch_idle();
		KT_EXPECT_EQ(t, block.state, (uint32_t)ARM_CPU_BOOT_ABANDONED);
		KT_EXPECT_EQ(t, smp_cpus_online(), online);
		KT_EXPECT(t, !smp_cpu_up(spare));
	}
}

KTEST(arm_smp, sgi_to_self_goes_through_the_irq_path)
{
	on_boot_core();
	unsigned long before = arm_gic_sgi_count(0, ARM_SGI_TEST);
	KT_ASSERT(t, arch_irq_enabled());
	irq_state_t s = arch_irq_save();
	arm_gic_send_sgi_self(ARM_SGI_TEST);
	arm_dsb();
	arm_isb();
	KT_EXPECT_EQ(t, arm_gic_sgi_count(0, ARM_SGI_TEST), before);
	arch_irq_restore(s); /* taken here */
	uint64_t ticks = tick_count();
	while (arm_gic_sgi_count(0, ARM_SGI_TEST) == before &&
	       tick_count() < ticks + 2)
		arch_idle();
	KT_EXPECT_EQ(t, arm_gic_sgi_count(0, ARM_SGI_TEST), before + 1);
	/* No SGI can be aimed at a CPU with no GIC mask. */
	KT_EXPECT(t, !arm_gic_send_sgi(CONFIG_NR_CPUS, ARM_SGI_TEST));
}

struct where {
	unsigned cpu;
	bool irqs_off;
	unsigned long calls; /* SMP_IPI_CALL SGIs the core has taken */
};

static void where_am_i(void *arg)
{
	struct where *w = arg;
	w->cpu = arch_cpu_id();
	w->irqs_off = !arch_irq_enabled();
	w->calls = arm_gic_sgi_count(w->cpu, SMP_IPI_CALL);
}

/* smp_call_on sends SMP_IPI_CALL: the SGI must arrive at the core named,
 * through its GIC interface and IRQ vector, and nowhere else. */
KTEST(arm_smp, sgi_reaches_another_core)
{
	on_boot_core();
	const char *why = why_one_cpu();
	if (why)
		KT_SKIP(t, why);
	for (unsigned i = 1; i < cpus_found(); i++) {
		if (!smp_cpu_up(i))
			continue;
		unsigned long mine = arm_gic_sgi_count(0, SMP_IPI_CALL);
		unsigned long theirs = arm_gic_sgi_count(i, SMP_IPI_CALL);
		struct where w = {.cpu = 99};
		KT_ASSERT_EQ(t, smp_call_on(i, where_am_i, &w), 0);
		KT_EXPECT_EQ(t, w.cpu, i);
		KT_EXPECT(t, w.irqs_off);
		KT_EXPECT(t, w.calls > theirs);
		KT_EXPECT_EQ(t, arm_gic_sgi_count(0, SMP_IPI_CALL), mine);
	}
}

static volatile unsigned long test_ticks[CONFIG_NR_CPUS];

static void count_tick(void)
{
	test_ticks[arch_cpu_id()]++;
}

struct timer_call {
	unsigned hz;
	int rc;
};

static void start_timer(void *arg)
{
	struct timer_call *c = arg;
	c->rc = arch_cpu_timer_start(c->hz, count_tick);
}

static void stop_timer(void *arg)
{
	(void)arg;
	arm_cpu_timer_stop();
}

/* A secondary's own generic timer: its banked PPI, its tick function,
 * at about the rate asked, while the boot core's tick goes on. */
KTEST(arm_smp, secondary_timer_ticks_on_its_core)
{
	on_boot_core();
	const char *why = why_one_cpu();
	if (why)
		KT_SKIP(t, why);
	unsigned cpu = cpus_found() - 1;
	while (cpu > 0 && !smp_cpu_up(cpu))
		cpu--; /* the last running core */
	bool ours = !arm_cpu_timer_running(cpu);
	unsigned long irqs = arm_cpu_timer_irqs(cpu);
	unsigned long ticks = test_ticks[cpu];
	if (ours) {
		struct timer_call bad = {.hz = 0};
		KT_ASSERT_EQ(t, smp_call_on(cpu, start_timer, &bad), 0);
		KT_EXPECT_EQ(t, bad.rc, -EINVAL);
		struct timer_call c = {.hz = CONFIG_HZ};
		KT_ASSERT_EQ(t, smp_call_on(cpu, start_timer, &c), 0);
		KT_ASSERT_EQ(t, c.rc, 0);
	}
	uint64_t t0 = tick_count();
	while (tick_count() < t0 + 10)
		arch_idle();
	unsigned long got = arm_cpu_timer_irqs(cpu) - irqs;
	ktest_log(t, "cpu %u: %lu timer interrupts in 10 boot-core ticks%s",
		  cpu, got, ours ? " (started by this test)" : "");
	/* Generous: TCG runs the cores at uneven speeds. */
	KT_EXPECT_MSG(t, got >= 3 && got <= 40, "%lu interrupts", got);
	if (ours) {
		KT_EXPECT(t, test_ticks[cpu] > ticks);
		KT_EXPECT_EQ(t, test_ticks[0], 0ul); /* not the boot core's */
		KT_EXPECT_EQ(t, smp_call_on(cpu, stop_timer, NULL), 0);
	}
}

struct remote_read {
	const volatile uint8_t *va;
	uint8_t value;
	int rc;
};

static void read_there(void *arg)
{
	struct remote_read *r = arg;
	r->rc = arch_probe_read(r->va, &r->value);
}

/* The shootdown's point: core B has the translation of `va` in its TLB;
 * the boot core unmaps it, or points it at another page, and B's next
 * access faults or reads the new page, never the old one. */
KTEST(arm_smp, shootdown_reaches_another_core)
{
	on_boot_core();
	static uint8_t pages[2][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
	const vaddr_t va = 0xd0300000u; /* free address space */
	const char *why = why_one_cpu();
	if (why)
		KT_SKIP(t, why);
	unsigned cpu = 1;
	unsigned bad = 0, rounds = 300;
	pages[0][3] = 0x11;
	pages[1][3] = 0x22;
	struct remote_read r = {.va = (const volatile uint8_t *)(va + 3)};
	for (unsigned i = 0; i < rounds; i++) {
		unsigned p = i & 1;
		KT_ASSERT_EQ(
			t, arch_mmu_map(va, (paddr_t)pages[p], 1, MMU_READ), 0);
		KT_ASSERT_EQ(t, smp_call_on(cpu, read_there, &r), 0);
		if (r.rc != 0 || r.value != pages[p][3])
			bad++;
		KT_ASSERT_EQ(t, arch_mmu_unmap(va, 1), 0);
		KT_ASSERT_EQ(t, smp_call_on(cpu, read_there, &r), 0);
		if (r.rc != -EFAULT)
			bad++;
	}
	KT_EXPECT_MSG(t, bad == 0, "%u of %u remote reads saw a stale page",
		      bad, 2 * rounds);
	KT_EXPECT_EQ(t, arch_tlb_shootdowns_served(), 0ul);
}

KTEST(arm_smp, shootdown_is_broadcast_and_counted)
{
	on_boot_core();
	static uint8_t page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
	const vaddr_t va = 0xd0200000u; /* free address space */
	uint8_t v;

	page[7] = 0xa5;
	unsigned long sent = arch_tlb_shootdowns_sent();
	KT_ASSERT_EQ(t, arch_mmu_map(va, (paddr_t)page, 1, MMU_READ), 0);
	KT_EXPECT_EQ(t, arch_probe_read((void *)(va + 7), &v), 0);
	KT_EXPECT_EQ(t, v, 0xa5); /* the translation is in the TLB now */
	KT_EXPECT_EQ(t, arch_tlb_shootdowns_sent(), sent); /* map: none */
	KT_ASSERT_EQ(t, arch_mmu_unmap(va, 1), 0);
	KT_EXPECT_EQ(t, arch_probe_read((void *)(va + 7), &v), -EFAULT);
	KT_EXPECT_EQ(t, arch_tlb_shootdowns_sent(), sent + 1);
	arch_tlb_shootdown(0, 0); /* everything */
	KT_EXPECT_EQ(t, arch_tlb_shootdowns_sent(), sent + 2);
	KT_EXPECT_EQ(t, arch_tlb_shootdowns_served(), 0ul);

	/* What one costs here (TCG: every core's soft TLB is flushed in a
	 * section where all vCPUs stop), for docs/smp.md, ARM section. */
	enum { N = 200 };
	uint64_t c0 = arch_cycles();
	for (unsigned i = 0; i < N; i++)
		arch_tlb_shootdown(va, 1);
	uint64_t dc = arch_cycles() - c0;
	ktest_log(
		t, "%u cores: one page's shootdown takes %llu ns (mean of %u)",
		smp_cpus_online(),
		(unsigned long long)(dc * 1000000000ull / arch_cycles_hz() / N),
		(unsigned)N);
	KT_EXPECT_EQ(t, arch_tlb_shootdowns_sent(), sent + 2 + N);
}
