/*
 * Starting the other CPUs (<kernel/smp.h>). The boot CPU starts them one
 * at a time through the port (<arch/smp.h>); each lands in
 * smp_secondary_entry.
 Each joins the scheduler
 * there (sched_cpu_start) and from then on runs processes like the boot
 * CPU.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/ops.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <kernel/cmdline.h>
#include <kernel/cpus.h>
#include <kernel/kernel.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/ticket_lock.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <string.h>

#ifdef CONFIG_SMP
#define SMP_BUILT true
#else
#define SMP_BUILT false
#endif

CMDLINE_OPTION(nosmp);
CMDLINE_OPTION(smp);

static volatile unsigned online = 1;
static volatile bool cpu_up[CONFIG_NR_CPUS] = {true};

/*
 * Cross-CPU calls: one mailbox per target CPU, one caller at a time (its
 * lock). The caller fills fn/arg, moves `state` from CALL_IDLE to
 * CALL_POSTED and sends SMP_IPI_CALL; the target's IPI handler moves it
 * to CALL_RUNNING (a compare-and-swap), runs fn and sets CALL_DONE. A
 * caller that gives up swaps CALL_POSTED back to CALL_IDLE, so a late
 * target never runs a withdrawn call; if the target has already begun,
 * the caller waits for it to finish. While it waits, a caller serves its
 * own mailbox, so two CPUs calling each other with IRQs off do not
 * deadlock.
 */
enum { CALL_IDLE, CALL_POSTED, CALL_RUNNING, CALL_DONE };

struct call_box {
	struct ticket_lock lock;
	void (*fn)(void *arg);
	void *arg;
	unsigned state;
};

static struct call_box boxes[CONFIG_NR_CPUS];
static const char *off_reason = "SMP not built in";

unsigned smp_cpus_online(void)
{
	return __atomic_load_n(&online, __ATOMIC_ACQUIRE);
}

const char *smp_off_reason(void)
{
	return off_reason;
}

/* How many CPUs the command line allows (`nosmp`: 1, `smp=N`), else the
 * record's count. */
static unsigned cpus_wanted(void)
{
	bool image_path, bad;
	const char *line = cmdline_boot_line(kernel_boot_info, &image_path);
	unsigned n = cmdline_cpus(line, image_path, cpus_found(), &bad);

	if (bad) {
		char value[16];
		cmdline_find(line, image_path, "smp", value, sizeof(value));
		printk("smp: smp=%s is not a CPU count from 1; ignored\n",
		       value);
	}
	return n;
}

void smp_init(void)
{
	if (!SMP_BUILT)
		return;
	unsigned want = cpus_wanted();

	if (want <= 1) {
		off_reason = cpus_found() > 1 ? "limited to one CPU by the "
						"command line"
					      : "one CPU found";
		return;
	}
	int rc = arch_smp_init();
	if (rc < 0) {
		off_reason = "the port cannot start other CPUs";
		printk("smp: cannot start other CPUs: %s\n", err_name(rc));
		return;
	}
	off_reason = NULL;
	for (unsigned cpu = 1; cpu < want; cpu++) {
		void *stack = kmalloc(ARCH_SMP_STACK_SIZE);
		if (!stack) {
			printk("smp: no memory for cpu %u's stack\n", cpu);
			break;
		}
		rc = arch_cpu_start(cpu, (char *)stack + ARCH_SMP_STACK_SIZE);
		if (rc < 0) {
			printk("smp: cpu %u (hw id %#x) did not start: %s; "
			       "carrying on without it\n",
			       cpu, (unsigned)cpu_get(cpu)->hw_id,
			       err_name(rc));
			/* It may still wake up later and use the stack: it
			 * stays allocated. */
			continue;
		}
		cpus_mark_started(cpu);
	}
	printk("smp: %u of %u CPUs running\n", smp_cpus_online(), want);
}

bool smp_cpu_up(unsigned cpu)
{
	return cpu < CONFIG_NR_CPUS &&
	       __atomic_load_n(&cpu_up[cpu], __ATOMIC_ACQUIRE);
}

/* Run this CPU's posted call, if any. IRQs off. */
static void serve_calls(void)
{
	struct call_box *b = &boxes[arch_cpu_id()];
	unsigned posted = CALL_POSTED;

	if (!__atomic_compare_exchange_n(&b->state, &posted, CALL_RUNNING,
					 false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return;
	b->fn(b->arg);
	__atomic_store_n(&b->state, CALL_DONE, __ATOMIC_RELEASE);
}

static bool call_withdrawn(struct call_box *b)
{
	unsigned posted = CALL_POSTED;
	return __atomic_compare_exchange_n(&b->state, &posted, CALL_IDLE, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

int smp_call_on(unsigned cpu, void (*fn)(void *arg), void *arg)
{
	if (!smp_cpu_up(cpu))
		return -ENODEV;
	irq_state_t s = arch_irq_save();
	if (cpu == arch_cpu_id()) {
		fn(arg);
		arch_irq_restore(s);
		return 0;
	}
	struct call_box *b = &boxes[cpu];
	while (!ticket_trylock(&b->lock)) {
		serve_calls();
		arch_cpu_relax();
	}
	b->fn = fn;
	b->arg = arg;
	__atomic_store_n(&b->state, CALL_POSTED, __ATOMIC_RELEASE);
	arch_ipi_send(cpu, SMP_IPI_CALL);
	/* A second of cycles: the tick may not advance with IRQs off. */
	uint64_t hz = arch_cycles_hz(), start = arch_cycles();
	int rc = 0;
	while (__atomic_load_n(&b->state, __ATOMIC_ACQUIRE) != CALL_DONE) {
		serve_calls();
		arch_cpu_relax();
		if (hz && arch_cycles() - start > hz && call_withdrawn(b)) {
			rc = -ETIMEDOUT;
			break;
		}
	}
	__atomic_store_n(&b->state, CALL_IDLE, __ATOMIC_RELAXED);
	ticket_unlock(&b->lock);
	arch_irq_restore(s);
	return rc;
}

void smp_secondary_entry(unsigned cpu)
{
	if (arch_cpu_id() != cpu)
		printk("smp: cpu %u reports id %u\n", cpu, arch_cpu_id());
	__atomic_store_n(&cpu_up[cpu], true, __ATOMIC_RELEASE);
	__atomic_add_fetch(&online, 1, __ATOMIC_ACQ_REL);
	sched_cpu_start(cpu, sched_tick);
}

void smp_stop_others(void)
{
	unsigned me = arch_cpu_id();

	for (unsigned cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (cpu != me && smp_cpu_up(cpu))
			arch_ipi_send(cpu, SMP_IPI_STOP);
}

void smp_ipi_received(enum smp_ipi kind)
{
	switch (kind) {
	case SMP_IPI_CALL: serve_calls(); break;
	case SMP_IPI_STOP: arch_halt();
	case SMP_IPI_RESCHEDULE:
	case SMP_IPI_KINDS: break;
	}
}
