/*
 * Starting the other CPUs (<kernel/smp.h>). The boot CPU starts them one
 * at a time through the port (<arch/smp.h>); each lands in
 * smp_secondary_entry.
 *
 * STAGE: the secondary CPUs come up, report and park (IRQs off, spinning
 * with arch_cpu_relax, which on x86 serves TLB shootdowns); they do not
 * run processes yet (docs/smp.md).
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/smp.h>
#include <kernel/cmdline.h>
#include <kernel/cpus.h>
#include <kernel/kernel.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
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
	char value[12];
	unsigned n = cpus_found();

	if (cmdline_get(kernel_boot_info, "nosmp", NULL, 0))
		return 1;
	if (cmdline_get(kernel_boot_info, "smp", value, sizeof(value))) {
		unsigned long want = 0;
		const char *p = value;
		while (*p >= '0' && *p <= '9' && want < 1000)
			want = want * 10 + (unsigned long)(*p++ - '0');
		if (*p || p == value || want == 0) {
			printk("smp: smp=%s is not a CPU count from 1; "
			       "ignored\n",
			       value);
			return n;
		}
		if (want < n)
			n = (unsigned)want;
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

void smp_secondary_entry(unsigned cpu)
{
	__atomic_add_fetch(&online, 1, __ATOMIC_ACQ_REL);
	if (arch_cpu_id() != cpu)
		printk("smp: cpu %u reports id %u\n", cpu, arch_cpu_id());
	for (;;)
		arch_cpu_relax();
}

void smp_ipi_received(enum smp_ipi kind)
{
	(void)kind;
}
