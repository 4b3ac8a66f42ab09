/*
 * <arch/smp.h> on ARMv7 (QEMU virt): secondary cores started with PSCI
 * CPU_ON through the DTB's conduit, IPIs as GIC SGIs, TLB shootdown as the
 * inner-shareable broadcast operations (docs/smp.md, ARM section).
 *
 * The boot CPU fills one struct arm_cpu_boot per core and passes its
 * address as CPU_ON's context id; secondary.S reads it with the MMU off,
 * loads the boot CPU's translation registers, claims it and comes here.
 */
#include <arch/arm_platform.h>
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <kernel/cpus.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <lib/err.h>

/* How long the boot CPU waits for a core to claim its block, and then to
 * reach the kernel: 200 ms of the generic counter (it runs whether or not
 * the tick does); with no counter rate, a fixed number of polls. */
#define CPU_START_WAIT_DIV   5
#define CPU_START_WAIT_POLLS 20000000u
#define MPIDR_AFFINITY	     0x00ffffffu

static struct arm_cpu_boot boots[CONFIG_NR_CPUS];
static uintptr_t entry_pa;
static unsigned long shootdowns_sent[CONFIG_NR_CPUS];

_Static_assert(__builtin_offsetof(struct arm_cpu_boot, stack_top) ==
		       ARM_CPU_BOOT_STACK_TOP,
	       "secondary.S reads the block by these offsets");
_Static_assert(__builtin_offsetof(struct arm_cpu_boot, state) ==
		       ARM_CPU_BOOT_STATE,
	       "secondary.S reads the block by these offsets");
_Static_assert(__builtin_offsetof(struct arm_cpu_boot, actlr) ==
		       ARM_CPU_BOOT_ACTLR,
	       "secondary.S reads the block by these offsets");
_Static_assert(PSCI_HVC == 1 && PSCI_SMC == 2,
	       "secondary.S compares the conduit with 1 and 2");

int arch_smp_init(void)
{
	if (arm_platform.psci == PSCI_NONE) {
		printk("arm: no PSCI conduit in the device tree (/psci with "
		       "method hvc or smc): cannot start other cores\n");
		return -ENODEV;
	}
	if (!arm_platform.psci_cpu_on) {
		printk("arm: /psci names no CPU_ON function: cannot start "
		       "other cores\n");
		return -ENODEV;
	}
	/* The shootdown is the broadcast TLB operations alone: refuse a CPU
	 * whose TLB operations stay local (ID_MMFR3.MaintBcst < 2). */
	if (((arm_read_id_mmfr3() >> 12) & 0xf) < 2) {
		printk("arm: this CPU does not broadcast TLB maintenance "
		       "(ID_MMFR3 %#x): staying on one core\n",
		       (unsigned)arm_read_id_mmfr3());
		return -ENODEV;
	}
	uint32_t me = arm_read_mpidr() & MPIDR_AFFINITY;
	if (cpu_get(0)->hw_id != me)
		printk("arm: the boot core's MPIDR affinity is %#x, the device "
		       "tree's first cpu says %#x\n",
		       (unsigned)me, (unsigned)cpu_get(0)->hw_id);
	/* The entry must be reachable with the MMU off: its physical
	 * address. The kernel is identity-mapped, so it equals the link
	 * address; check rather than assume. */
	paddr_t pa;
	if (arch_mmu_query((vaddr_t)(uintptr_t)arm_secondary_start, &pa, NULL) <
		    0 ||
	    pa != (paddr_t)(uintptr_t)arm_secondary_start) {
		printk("arm: the secondary entry is not identity-mapped\n");
		return -EFAULT;
	}
	entry_pa = (uintptr_t)pa;
	irq_state_t s = arch_irq_save();
	unsigned mask = arm_gic_cpu_init(0);
	arch_irq_restore(s);
	if (!mask) {
		printk("arm: the GIC gives no CPU-interface number for the "
		       "boot "
		       "core (GICD_ITARGETSR0-7 read 0): no SGIs\n");
		return -ENODEV;
	}
	return 0;
}

int arm_psci_cpu_on(uint32_t mpidr, uintptr_t entry, uintptr_t context,
		    int32_t *psci_ret)
{
	*psci_ret = PSCI_E_NOT_SUPPORTED;
	if (!arm_platform.psci_cpu_on)
		return -ENODEV;
	int rc =
		arm_psci_call_raw(arm_platform.psci_cpu_on, mpidr,
				  (uint32_t)entry, (uint32_t)context, psci_ret);
	return rc < 0 ? rc : arm_psci_errno(*psci_ret);
}

/* Write the block back to memory, where the core reads it with its MMU
 * and caches off (DCCMVAC: clean to the point of coherency). */
static void boot_block_publish(struct arm_cpu_boot *b)
{
	arm_dsb();
	for (uintptr_t a = (uintptr_t)b & ~63u; a < (uintptr_t)(b + 1);
	     a += 32) /* the smallest ARMv7 line this kernel assumes */
		arm_write_dccmvac((uint32_t)a);
	arm_dsb();
}

void arm_cpu_boot_fill(struct arm_cpu_boot *b, uint32_t mpidr, unsigned cpu,
		       uintptr_t stack_top, uint32_t state)
{
	b->ttbr0 = arm_read_ttbr0();
	b->ttbcr = arm_read_ttbcr();
	b->dacr = arm_read_dacr();
	b->sctlr = arm_read_sctlr();
	b->mpidr = mpidr & MPIDR_AFFINITY;
	b->cpu = cpu;
	b->stack_top = (uint32_t)stack_top;
	b->conduit = arm_platform.psci;
	b->actlr = 0;
	b->state = state;
	boot_block_publish(b);
}

static uint32_t boot_state(struct arm_cpu_boot *b)
{
	return __atomic_load_n(&b->state, __ATOMIC_ACQUIRE);
}

/* A bounded wait of about 200 ms. */
struct wait {
	uint64_t start, span;
	unsigned polls;
};

static struct wait wait_begin(void)
{
	return (struct wait){arch_cycles(),
			     arch_cycles_hz() / CPU_START_WAIT_DIV, 0};
}

static bool wait_over(struct wait *w)
{
	arch_cpu_relax();
	if (!w->span)
		return ++w->polls > CPU_START_WAIT_POLLS;
	return arch_cycles() - w->start > w->span;
}

/* Wait until `b` leaves `from`, at most about 200 ms; its state. */
static uint32_t wait_while(struct arm_cpu_boot *b, uint32_t from)
{
	struct wait w = wait_begin();
	uint32_t st;

	while ((st = boot_state(b)) == from && !wait_over(&w))
		;
	return st;
}

int arch_cpu_start(unsigned cpu, void *stack_top)
{
	const struct cpu_info *ci = cpu_get(cpu);
	if (cpu == 0 || cpu >= CONFIG_NR_CPUS || !ci || !entry_pa ||
	    ((uintptr_t)stack_top & 7))
		return -EINVAL;
	struct arm_cpu_boot *b = &boots[cpu];
	if (b->state != ARM_CPU_BOOT_IDLE)
		return -EBUSY; /* tried before: that core may still wake */

	arm_cpu_boot_fill(b, ci->hw_id, cpu, (uintptr_t)stack_top,
			  ARM_CPU_BOOT_ARMED);

	unsigned online = smp_cpus_online();
	int32_t ret;
	int rc = arm_psci_cpu_on(b->mpidr, entry_pa, (uintptr_t)b, &ret);
	if (rc < 0) {
		b->state = ARM_CPU_BOOT_ABANDONED;
		printk("arm: PSCI CPU_ON for MPIDR %#x: %s (%d)\n",
		       (unsigned)b->mpidr, arm_psci_error_name(ret), (int)ret);
		return rc;
	}
	uint32_t st = wait_while(b, ARM_CPU_BOOT_ARMED);
	if (st == ARM_CPU_BOOT_ARMED) {
		uint32_t expect = ARM_CPU_BOOT_ARMED;
		if (__atomic_compare_exchange_n(
			    &b->state, &expect, ARM_CPU_BOOT_ABANDONED, false,
			    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			printk("arm: core %#x accepted CPU_ON but never ran "
			       "its entry; it will switch itself off if it "
			       "wakes\n",
			       (unsigned)b->mpidr);
			return -ETIMEDOUT;
		}
		st = expect; /* it claimed the block just now */
	}
	if (st == ARM_CPU_BOOT_TAKEN)
		st = wait_while(b, ARM_CPU_BOOT_TAKEN);
	if (st != ARM_CPU_BOOT_ENTERED) {
		printk("arm: core %#x started but did not reach the kernel "
		       "(state %u)\n",
		       (unsigned)b->mpidr, (unsigned)st);
		return -EIO;
	}
	/* It is in smp_secondary_entry; let it count itself, so the boot
	 * line that follows the last start counts every core. */
	struct wait w = wait_begin();
	while (smp_cpus_online() == online && !wait_over(&w))
		;
	return 0;
}

void arm_secondary_main(struct arm_cpu_boot *b)
{
	unsigned cpu = b->cpu;

	if (!arm_gic_cpu_init(cpu))
		printk("arm: cpu %u: the GIC gives no CPU-interface number: "
		       "it cannot receive IPIs\n",
		       cpu);
	__atomic_store_n(&b->state, ARM_CPU_BOOT_ENTERED, __ATOMIC_RELEASE);
	smp_secondary_entry(cpu);
}

const struct arm_cpu_boot *arm_cpu_boot_block(unsigned cpu)
{
	return cpu < CONFIG_NR_CPUS ? &boots[cpu] : NULL;
}

void arch_ipi_send(unsigned cpu, enum smp_ipi kind)
{
	if (kind >= SMP_IPI_KINDS || cpu >= CONFIG_NR_CPUS ||
	    cpu == arch_cpu_id())
		return;
	arm_gic_send_sgi(cpu, kind);
}

/*
 * One global table on every core: the broadcast operations reach every
 * core of the inner shareable domain, and the DSB ISH after them returns
 * only once all have done them (ARM ARM B3.10; docs/smp.md, ARM section), so no
 * IPI and nothing for the others to serve. The caller has written the
 * table entry before (arch_mmu_unmap: with a DSB ISH, so the walkers see
 * it).
 */
void arch_tlb_shootdown(vaddr_t va, size_t count)
{
	arm_dsb_ish();
	if (count == 0 || count > 64) {
		arm_write_tlbiallis(0);
	} else {
		for (size_t i = 0; i < count; i++)
			arm_write_tlbimvais((uint32_t)(va + i * PAGE_SIZE) &
					    ~(uint32_t)(PAGE_SIZE - 1));
	}
	arm_write_bpiallis(0);
	arm_dsb_ish();
	arm_isb();
	unsigned me = arch_cpu_id();
	if (me < CONFIG_NR_CPUS)
		__atomic_fetch_add(&shootdowns_sent[me], 1, __ATOMIC_RELAXED);
}

unsigned long arch_tlb_shootdowns_sent(void)
{
	unsigned me = arch_cpu_id();
	return me < CONFIG_NR_CPUS
		       ? __atomic_load_n(&shootdowns_sent[me], __ATOMIC_RELAXED)
		       : 0;
}

/* Nothing is served: a broadcast TLB operation needs no code on the
 * receiving core. */
unsigned long arch_tlb_shootdowns_served(void)
{
	return 0;
}
