/*
 * x86 SMP: the CPUs the record lists came up (each knows its own index and
 * APIC id), %gs survives interrupts, VM86 calls and context switches, IPIs
 * reach the other CPUs (smp_call_on over SMP_IPI_CALL), a TLB shootdown
 * really empties another CPU's TLB and the counters move, two CPUs
 * shooting down at once do not deadlock, a secondary's local APIC timer
 * ticks at the asked rate, the timer calibration agrees with the TSC, and
 * a start sent to an APIC id nobody has times out cleanly.
 *
 * Cases needing a second CPU skip on a one-CPU boot (with `nosmp`,
 * `--smp 1`, or a start that failed), saying why. Every case pins itself to
 * the boot CPU first (processes run on every CPU; the runner unpins after
 * each case): "here" is CPU 0 and "there" another.
 */
#ifdef CONFIG_SMP

#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <arch/vm86.h>
#include <arch/x86.h>
#include <kernel/cmdline.h>
#include <kernel/cpus.h>
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/dma.h>
#include <mm/kheap.h>

#include "../lapic.h"
#include "../percpu.h"
#include "../smp_x86.h"

#define VGA_PHYS 0xb8000u

static unsigned gs_selector(void)
{
	unsigned sel;
	__asm__ volatile("movl %%gs, %0" : "=r"(sel));
	return sel & 0xffff;
}

static void run_on_boot_cpu(struct ktest *t)
{
	KT_EXPECT_EQ(t, proc_pin(proc_current()->pid, 0), 0);
}

/* The first running CPU other than the boot CPU, or 0 if none. */
static unsigned other_cpu(void)
{
	for (unsigned i = 1; i < cpus_found(); i++)
		if (smp_cpu_up(i) && x86_cpu_up(i))
			return i;
	return 0;
}

KTEST(x86_smp, the_cpus_the_record_lists_are_running)
{
	run_on_boot_cpu(t);
	unsigned up = 0;
	bool limited = cmdline_get(kernel_boot_info, "nosmp", NULL, 0) ||
		       cmdline_get(kernel_boot_info, "smp", NULL, 0);

	for (unsigned i = 0; i < cpus_found(); i++) {
		bool running = x86_cpu_up(i);
		if (!x86_smp_trampoline() && i == 0)
			running = true; /* SMP not initialised: one CPU */
		KT_EXPECT_EQ(t, running, cpu_get(i)->started);
		up += running;
	}
	ktest_log(t, "%u of %u CPUs running, %u online by the kernel's count",
		  up, cpus_found(), smp_cpus_online());
	KT_EXPECT_EQ(t, up, smp_cpus_online());
	if (!limited && smp_off_reason() == NULL)
		KT_EXPECT_EQ(t, up, cpus_found());
}

KTEST(x86_smp, cpu_id_is_zero_on_the_boot_cpu_and_gs_holds)
{
	run_on_boot_cpu(t);
	KT_EXPECT_EQ(t, arch_cpu_id(), 0u);
	KT_EXPECT(t, x86_this_cpu() == &x86_cpus[0]);
	KT_EXPECT_EQ(t, gs_selector(), (unsigned)PERCPU_SEL);
	/* A context switch and back (another process runs meanwhile). */
	proc_sleep_ms(30);
	KT_EXPECT_EQ(t, gs_selector(), (unsigned)PERCPU_SEL);
	KT_EXPECT_EQ(t, arch_cpu_id(), 0u);
	/* A BIOS call: VM86 exits load null selectors; isr.S reloads %gs. */
	struct vm86_regs r = {0};
	KT_EXPECT_EQ(t, vm86_int(0x12, &r), 0);
	KT_EXPECT_EQ(t, gs_selector(), (unsigned)PERCPU_SEL);
	KT_EXPECT_EQ(t, arch_cpu_id(), 0u);
	if (x86_smp_trampoline())
		KT_EXPECT_EQ(t, lapic_id(), cpu_get(0)->hw_id);
}

/* With the local APIC enabled the 8259 reaches the boot CPU through LINT0
 * (ExtINT): the PIT's line 0 still counts. */
KTEST(x86_smp, the_pic_still_interrupts_the_boot_cpu)
{
	run_on_boot_cpu(t);
	unsigned long before = arch_irq_count(0);
	proc_sleep_ms(50);
	ktest_log(t, "IRQ 0: %lu -> %lu in 50 ms (local APIC %s)", before,
		  arch_irq_count(0), x86_smp_trampoline() ? "on" : "off");
	KT_EXPECT(t, arch_irq_count(0) > before);
}

/* A BIOS call on a secondary: it works there, and the pin the call puts on
 * its caller (the CPU's esp0 takes its traps) is taken off after, leaving
 * the caller's own pin, or none, as it was. */
KTEST(x86_smp, a_bios_call_runs_on_a_secondary_and_restores_the_pin)
{
	run_on_boot_cpu(t);
	unsigned cpu = other_cpu();
	if (!cpu)
		KT_SKIP(t, "one CPU running: no secondary to call from");
	int pid = proc_current()->pid;
	struct vm86_regs r = {0};

	KT_ASSERT_EQ(t, proc_pin(pid, (int)cpu), 0);
	KT_EXPECT_EQ(t, arch_cpu_id(), cpu);
	KT_EXPECT_EQ(t, vm86_int(0x12, &r), 0);
	KT_EXPECT(t, (r.eax & 0xffff) >= 512 && (r.eax & 0xffff) <= 640);
	KT_EXPECT_EQ(t, arch_cpu_id(), cpu);
	KT_EXPECT_EQ(t, proc_pinned(pid), (int)cpu);
	KT_EXPECT_EQ(t, gs_selector(), (unsigned)PERCPU_SEL);

	KT_ASSERT_EQ(t, proc_pin(pid, -1), 0);
	r = (struct vm86_regs){0};
	KT_EXPECT_EQ(t, vm86_int(0x12, &r), 0);
	KT_EXPECT_EQ(t, proc_pinned(pid), -1);
}

struct who {
	unsigned id, apic, gs;
	bool irqs_on;
};

static void who_am_i(void *arg)
{
	struct who *w = arg;
	w->id = arch_cpu_id();
	w->apic = lapic_id();
	w->gs = gs_selector();
	w->irqs_on = arch_irq_enabled();
}

KTEST(x86_smp, an_ipi_reaches_each_cpu_and_it_knows_its_id)
{
	run_on_boot_cpu(t);
	if (!other_cpu())
		KT_SKIP(t, "one CPU running: no other CPU to send an IPI to");
	for (unsigned i = 1; i < cpus_found(); i++) {
		if (!x86_cpu_up(i))
			continue;
		struct who w = {~0u, ~0u, 0, true};
		KT_EXPECT_EQ(t, smp_call_on(i, who_am_i, &w), 0);
		KT_EXPECT_EQ(t, w.id, i);
		KT_EXPECT_EQ(t, w.apic, cpu_get(i)->hw_id);
		KT_EXPECT_EQ(t, w.gs, (unsigned)PERCPU_SEL);
		KT_EXPECT(t, !w.irqs_on);
	}
}

struct probe {
	const volatile uint8_t *va;
	int rc;
};

static void probe_read(void *arg)
{
	struct probe *p = arg;
	uint8_t b;
	p->rc = arch_probe_read(p->va, &b);
}

/* The other CPU reads a window (caching its translation), the window is
 * unmapped here: only the shootdown can take the translation out of that
 * CPU's TLB, and then its next read faults. */
KTEST(x86_smp, a_shootdown_empties_another_cpus_tlb)
{
	run_on_boot_cpu(t);
	unsigned cpu = other_cpu();
	if (!cpu)
		KT_SKIP(t, "one CPU running: nothing to shoot down");
	volatile uint8_t *w = dma_map(VGA_PHYS, 4096, DMA_UNCACHED);
	KT_ASSERT(t, w != NULL);
	struct probe p = {w, -1};
	KT_EXPECT_EQ(t, smp_call_on(cpu, probe_read, &p), 0);
	KT_EXPECT_EQ(t, p.rc, 0);

	unsigned long sent = x86_tlb_sent_by(0);
	unsigned long served = x86_tlb_served_by(cpu);
	KT_EXPECT_EQ(t, dma_unmap((void *)w), 0);
	ktest_log(t, "cpu 0 sent %lu -> %lu, cpu %u served %lu -> %lu", sent,
		  x86_tlb_sent_by(0), cpu, served, x86_tlb_served_by(cpu));
	KT_EXPECT(t, x86_tlb_sent_by(0) > sent);
	KT_EXPECT(t, x86_tlb_served_by(cpu) > served);
	KT_EXPECT_EQ(t, arch_tlb_shootdowns_sent(), x86_tlb_sent_by(0));

	p.rc = 0;
	KT_EXPECT_EQ(t, smp_call_on(cpu, probe_read, &p), 0);
	KT_EXPECT_EQ(t, p.rc, -EFAULT);
}

static volatile unsigned long remote_shots;
static vaddr_t shoot_va;

/* On the other CPU, from its local APIC timer: a shootdown per tick, while
 * the boot CPU shoots down too. */
static void shooting_tick(void)
{
	arch_tlb_shootdown(shoot_va, 1);
	remote_shots++;
}

static volatile unsigned long remote_ticks;

static void counting_tick(void)
{
	remote_ticks++;
}

struct timer_req {
	unsigned hz;
	timer_tick_fn tick;
	int rc;
};

/* The secondary's timer drives its scheduler tick: borrowed, then put
 * back as it was. */
static struct lapic_timer_state saved_timer;

static void timer_on(void *arg)
{
	struct timer_req *r = arg;
	lapic_timer_save(&saved_timer);
	r->rc = arch_cpu_timer_start(r->hz, r->tick);
	if (r->rc < 0)
		lapic_timer_restore(&saved_timer);
}

static void timer_off(void *arg)
{
	(void)arg;
	lapic_timer_restore(&saved_timer);
}

KTEST(x86_smp, a_secondarys_lapic_timer_ticks_at_its_rate)
{
	run_on_boot_cpu(t);
	unsigned cpu = other_cpu();
	if (!cpu)
		KT_SKIP(t, "one CPU running: no secondary's timer to start");
	struct timer_req r = {100, counting_tick, -1};
	remote_ticks = 0;
	uint64_t t0 = arch_time_ns();
	KT_ASSERT_EQ(t, smp_call_on(cpu, timer_on, &r), 0);
	KT_ASSERT_EQ(t, r.rc, 0);
	proc_sleep_ms(300);
	KT_EXPECT_EQ(t, smp_call_on(cpu, timer_off, NULL), 0);
	unsigned long n = remote_ticks;
	uint64_t ms = (arch_time_ns() - t0) / 1000000;
	ktest_log(t, "cpu %u: %lu ticks at 100 Hz in %llu ms", cpu, n,
		  (unsigned long long)ms);
	/* 100 Hz: one tick per 10 ms. Never more than twice that; fewer only
	 * down to an eighth: an emulated CPU starved by a loaded host loses
	 * timer interrupts (QEMU merges the pending ones), seen 4 in 310 ms
	 * with 8 virtual CPUs on 2 host cores. */
	KT_EXPECT(t, n * 80 >= ms && n * 10 <= ms * 2);
	proc_sleep_ms(30);
	KT_EXPECT_EQ(t, remote_ticks, n); /* ours stopped */
	if (saved_timer.init) { /* and the CPU's own tick runs again */
		unsigned long before = x86_cpus[cpu].lapic_ticks;
		proc_sleep_ms(50);
		KT_EXPECT(t, x86_cpus[cpu].lapic_ticks > before);
	}

	struct timer_req bad = {0, counting_tick, 0};
	KT_EXPECT_EQ(t, smp_call_on(cpu, timer_on, &bad), 0);
	KT_EXPECT_EQ(t, bad.rc, -EINVAL);
}

KTEST(x86_smp, two_cpus_shooting_down_at_once_do_not_deadlock)
{
	run_on_boot_cpu(t);
	unsigned cpu = other_cpu();
	if (!cpu)
		KT_SKIP(t, "one CPU running: nobody to race with");
	volatile uint8_t *w = dma_map(VGA_PHYS, 4096, DMA_UNCACHED);
	KT_ASSERT(t, w != NULL);
	shoot_va = (vaddr_t)w & ~(vaddr_t)(PAGE_SIZE - 1);
	remote_shots = 0;
	unsigned long served0 = x86_tlb_served_by(0);
	struct timer_req r = {1000, shooting_tick, -1};
	KT_ASSERT_EQ(t, smp_call_on(cpu, timer_on, &r), 0);
	KT_ASSERT_EQ(t, r.rc, 0);
	/* Here, IRQs on and off in turn, against the other CPU's ticks. */
	unsigned long mine = 0;
	uint64_t end = arch_time_ns() + 300000000ull;
	while (arch_time_ns() < end) {
		irq_state_t s = arch_irq_save();
		arch_tlb_shootdown(shoot_va, 1);
		arch_irq_restore(s);
		mine++;
	}
	KT_EXPECT_EQ(t, smp_call_on(cpu, timer_off, NULL), 0);
	ktest_log(t, "cpu 0: %lu shootdowns, cpu %u: %lu; cpu 0 served %lu",
		  mine, cpu, remote_shots, x86_tlb_served_by(0) - served0);
	KT_EXPECT(t, remote_shots > 10);
	KT_EXPECT(t, x86_tlb_served_by(0) - served0 >= remote_shots);
	KT_EXPECT_EQ(t, dma_unmap((void *)w), 0);
}

/*
 * The calibration (50 ms of PIT channel 2 at boot) against a new
 * measurement the same way (within 10%: the APIC's bus clock is fixed),
 * against 200 ms of arch_time_ns (the PIT's IRQ 0 ticks, within 2x: a
 * loaded host makes QEMU drop ticks, and the kernel's clock then runs
 * slow; seen 2.8x once with 8 virtual CPUs on 2 host cores, 2% when not
 * loaded), and against the TSC at the rate
 * arch_cycles_hz claims only within a factor of 8: under QEMU's TCG that
 * rate is TSC cycles per counted PIT tick over the whole run, and late
 * ticks inflate it (seen: 1.1-2.1 GHz at boot, 2.7-5.4 GHz after the
 * suites); the factor still catches a wrong divider or a stopped timer.
 */
KTEST(x86_smp, the_lapic_timer_calibration_agrees_with_the_clocks)
{
	run_on_boot_cpu(t);
	if (!x86_smp_trampoline())
		KT_SKIP(t, "SMP not initialised on this boot (one CPU): the "
			   "local APIC was not calibrated");
	uint64_t hz = lapic_timer_hz(), again = 0;
	KT_ASSERT(t, hz > 0);
	KT_EXPECT_EQ(t, lapic_timer_measure(&again), 0);

	/* The boot CPU's timer is free (the secondaries' are their own). */
	lapic_timer_free_run();
	uint32_t c0 = lapic_timer_count();
	uint64_t t0 = arch_time_ns(), cyc0 = arch_cycles();
	proc_sleep_ms(200);
	uint32_t c1 = lapic_timer_count();
	uint64_t ns = arch_time_ns() - t0, cycles = arch_cycles() - cyc0;
	uint64_t cyc_hz = arch_cycles_hz();
	lapic_timer_stop();
	KT_ASSERT(t, ns > 0 && cycles > 0 && cyc_hz > 0);
	uint64_t by_clock = (uint64_t)(c0 - c1) * 1000000000ull / ns;
	uint64_t by_tsc = (uint64_t)(c0 - c1) * cyc_hz / cycles;
	ktest_log(t,
		  "calibrated %llu Hz; again %llu Hz; over %llu ms of "
		  "arch_time_ns %llu Hz; by the TSC %llu Hz (arch_cycles_hz "
		  "%llu)",
		  (unsigned long long)hz, (unsigned long long)again,
		  (unsigned long long)(ns / 1000000),
		  (unsigned long long)by_clock, (unsigned long long)by_tsc,
		  (unsigned long long)cyc_hz);
	KT_EXPECT(t, again > hz * 9 / 10 && again < hz * 11 / 10);
	KT_EXPECT(t, by_clock > hz / 2 && by_clock < hz * 2);
	KT_EXPECT(t, by_tsc > hz / 8 && by_tsc < hz * 8);
}

/* An id no CPU has, below the broadcast id 255. */
static uint32_t absent_apic_id(void)
{
	for (uint32_t id = 0x80; id < 0xff; id++) {
		bool used = false;
		for (unsigned i = 0; i < cpus_found(); i++)
			used |= cpu_get(i)->hw_id == id;
		if (!used)
			return id;
	}
	return 0;
}

KTEST(x86_smp, starting_an_absent_apic_id_times_out_cleanly)
{
	run_on_boot_cpu(t);
	if (!x86_smp_trampoline())
		KT_SKIP(t, "SMP not initialised on this boot (one CPU)");
	KT_EXPECT_EQ(t, arch_cpu_start(0, NULL), -EINVAL);
	KT_EXPECT_EQ(t, arch_cpu_start(cpus_found(), NULL), -EINVAL);
	unsigned cpu = other_cpu();
	if (cpu)
		KT_EXPECT_EQ(t, arch_cpu_start(cpu, NULL), -EBUSY);

	unsigned slot = X86_MAX_CPUS - 1;
	if (slot < cpus_found() || x86_cpu_up(slot))
		KT_SKIP(t, "no spare CPU slot to try a start in");
	void *stack = kmalloc(ARCH_SMP_STACK_SIZE);
	KT_ASSERT(t, stack != NULL);
	unsigned online = smp_cpus_online();
	uint32_t id = absent_apic_id();
	uint64_t t0 = arch_time_ns();
	int rc = x86_cpu_start_apic(slot, id,
				    (char *)stack + ARCH_SMP_STACK_SIZE, 200);
	uint64_t ms = (arch_time_ns() - t0) / 1000000;
	ktest_log(t, "APIC id %#x: %s after %llu ms", (unsigned)id,
		  err_name(rc), (unsigned long long)ms);
	KT_EXPECT_EQ(t, rc, -ETIMEDOUT);
	KT_EXPECT(t, ms >= 200 && ms < 2000);
	KT_EXPECT(t, !x86_cpu_up(slot));
	KT_EXPECT_EQ(t, smp_cpus_online(), online);
	/* The others still answer. */
	if (cpu) {
		struct who w = {~0u, ~0u, 0, true};
		KT_EXPECT_EQ(t, smp_call_on(cpu, who_am_i, &w), 0);
		KT_EXPECT_EQ(t, w.id, cpu);
	}
	/* Nobody has that id, and an INIT parked it anyway: the stack is
	 * not going to be used. */
	kfree(stack);
}

#endif
