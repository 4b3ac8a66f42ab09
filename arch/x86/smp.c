/*
 * <arch/smp.h> on x86 (CONFIG_SMP): starting the application processors
 * with INIT-SIPI-SIPI through a real-mode trampoline, IPIs and the
 * per-CPU timer through the local APIC (lapic.c), and TLB shootdown by
 * IPI. docs/smp.md, x86 section says how it fits together.
 *
 * Shootdown: one initiator at a time (tlb_lock) posts the range in
 * tlb_va/tlb_count, sets each other running CPU's tlb_pending, sends the
 * TLB vector and waits until every flag is clear again. A target clears
 * its flag after flushing, either from the IPI or from arch_cpu_relax,
 * which every spin loop calls: a CPU spinning with IRQs off (for a lock
 * the initiator holds, or for tlb_lock itself when two CPUs initiate at
 * once) still answers, so neither waits on the other forever.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/ops.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <arch/vm86.h>
#include <arch/x86.h>
#include <kernel/cpus.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/ticket_lock.h>
#include <lib/err.h>
#include <mm/lowmem.h>
#include <string.h>

#include "lapic.h"
#include "percpu.h"
#include "smp_x86.h"
#include "x86_internal.h"

#define START_TIMEOUT_MS  200
#define TLB_ACK_TIMEOUT_S 5

struct trampoline_params {
	uint32_t cr3, stack, cpu, entry;
};

extern const char x86_trampoline_start[], x86_trampoline_end[];
extern const char x86_trampoline_pm[], x86_trampoline_gdt[];
extern const char x86_trampoline_gdtr[], x86_trampoline_far[];
extern const char x86_trampoline_params[];
extern const uint32_t x86_lapic_isr_table[];

static uint8_t *trampoline; /* identity-mapped low memory: va == pa */
static unsigned secondaries_up;
static struct ticket_lock tlb_lock = TICKET_LOCK_INIT;
static vaddr_t tlb_va;
static size_t tlb_count;

void x86_ap_main(unsigned cpu);

static size_t tramp_off(const char *sym)
{
	return (size_t)(sym - x86_trampoline_start);
}

/* Busy-wait on the TSC (its rate was measured against the PIT since the
 * timer started): works with IRQs off. */
static void delay_us(uint64_t us)
{
	uint64_t hz = arch_cycles_hz(), start = arch_cycles();
	while (arch_cycles() - start < hz * us / 1000000)
		arch_cpu_relax();
}

static int place_trampoline(void)
{
	uintptr_t phys;
	size_t size = (size_t)(x86_trampoline_end - x86_trampoline_start);

	trampoline = vm86_alloc(4096, &phys);
	if (!trampoline) {
		printk("smp: no low memory for the AP trampoline: %s\n",
		       lowmem_last_error(&kernel_lowmem));
		return -ENOMEM;
	}
	/* The SIPI vector is the page number: 4 KiB aligned, below 1 MiB
	 * (the allocator hands out whole identity-mapped pages). */
	if (phys % 4096 || phys + 4096 > 0x100000 ||
	    (uintptr_t)trampoline != phys) {
		printk("smp: low memory at %#lx cannot hold the trampoline\n",
		       (unsigned long)phys);
		vm86_free(trampoline);
		trampoline = NULL;
		return -ENOMEM;
	}
	memcpy(trampoline, x86_trampoline_start, size);
	uint32_t gdt = (uint32_t)phys + tramp_off(x86_trampoline_gdt);
	uint32_t pm = (uint32_t)phys + tramp_off(x86_trampoline_pm);
	memcpy(trampoline + tramp_off(x86_trampoline_gdtr) + 2, &gdt, 4);
	memcpy(trampoline + tramp_off(x86_trampoline_far), &pm, 4);
	printk("smp: AP trampoline at %#lx (%u bytes, SIPI vector %#lx)\n",
	       (unsigned long)phys, (unsigned)size, (unsigned long)phys >> 12);
	return 0;
}

int arch_smp_init(void)
{
	if (trampoline)
		return 0;
	/* The delays below count TSC cycles at the rate measured against
	 * the PIT, which takes two ticks: wait for them (IRQs are on). */
	for (unsigned i = 0; i < 100 && !arch_cycles_hz() && arch_irq_enabled();
	     i++)
		arch_idle();
	if (!arch_cycles_hz()) {
		printk("smp: the TSC rate is not measured (IRQs %s)\n",
		       arch_irq_enabled() ? "on" : "off");
		return -EAGAIN;
	}
	int rc = lapic_init_boot();
	if (rc < 0)
		return rc;
	struct x86_cpu *me = x86_this_cpu();
	me->apic_id = lapic_id();
	if (me->apic_id != cpu_get(0)->hw_id)
		printk("smp: the boot CPU's APIC id is %u, the firmware table "
		       "lists %u first\n",
		       me->apic_id, (unsigned)cpu_get(0)->hw_id);
	for (const uint32_t *v = x86_lapic_isr_table; v[0]; v += 2)
		idt_set_gate(v[0], v[1]);
	rc = place_trampoline();
	if (rc < 0)
		return rc;
	__atomic_store_n(&me->up, true, __ATOMIC_SEQ_CST);
	return 0;
}

/* First C code of a secondary CPU, on its own stack, paging on, IRQs off. */
void x86_ap_main(unsigned cpu)
{
	gdt_init_cpu(cpu);
	idt_load();
	fpu_init();
	lapic_init_secondary();
	struct x86_cpu *me = x86_this_cpu();
	me->apic_id = lapic_id();
	/* Join the shootdown set, then drop whatever this TLB cached since
	 * CR3 was loaded: an unmap before the join is flushed here, one
	 * after it is sent to us (the fence orders the two). */
	__atomic_store_n(&me->up, true, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&secondaries_up, 1, __ATOMIC_SEQ_CST);
	write_cr3(read_cr3());
	smp_secondary_entry(cpu);
}

int x86_cpu_start_apic(unsigned cpu, uint32_t apic_id, void *stack_top,
		       unsigned timeout_ms)
{
	if (!trampoline)
		return -ENODEV;
	if (cpu == 0 || cpu >= X86_MAX_CPUS || apic_id > 254)
		return -EINVAL;
	struct x86_cpu *c = &x86_cpus[cpu];
	if (__atomic_load_n(&c->up, __ATOMIC_ACQUIRE))
		return -EBUSY;

	struct trampoline_params p = {
		.cr3 = read_cr3(),
		.stack = (uint32_t)(uintptr_t)stack_top,
		.cpu = cpu,
		.entry = (uint32_t)(uintptr_t)x86_ap_main,
	};
	memcpy(trampoline + tramp_off(x86_trampoline_params), &p, sizeof(p));
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	unsigned online_before = smp_cpus_online();
	uint32_t vector = (uint32_t)(uintptr_t)trampoline >> 12;
	lapic_error_status();
	/* Intel SDM vol. 3, 8.4.4.1 (and the MP spec, B.4): INIT, 10 ms,
	 * SIPI, 200 us, SIPI, 200 us. A CPU already past the first SIPI
	 * ignores the second. */
	int rc = lapic_send(apic_id, LAPIC_ICR_INIT | LAPIC_ICR_ASSERT);
	if (rc == 0) {
		delay_us(10000);
		rc = lapic_send(apic_id, LAPIC_ICR_STARTUP | vector);
	}
	if (rc == 0) {
		delay_us(200);
		if (!__atomic_load_n(&c->up, __ATOMIC_ACQUIRE))
			rc = lapic_send(apic_id, LAPIC_ICR_STARTUP | vector);
		delay_us(200);
	}
	uint32_t esr = lapic_error_status();
	if (rc < 0) {
		printk("smp: APIC %u did not accept the start IPIs (ESR %#x)\n",
		       apic_id, esr);
		return -EIO;
	}
	uint64_t hz = arch_cycles_hz(), start = arch_cycles();
	uint64_t limit = hz * timeout_ms / 1000;
	while (!__atomic_load_n(&c->up, __ATOMIC_ACQUIRE)) {
		if (arch_cycles() - start > limit) {
			/* Back to wait-for-SIPI: a CPU that was slow, not
			 * absent, must not run the trampoline later, after
			 * it was rewritten for another. */
			lapic_send(apic_id, LAPIC_ICR_INIT | LAPIC_ICR_ASSERT);
			return -ETIMEDOUT;
		}
		arch_cpu_relax();
	}
	/* `up` is set just before smp_secondary_entry; the contract is to
	 * return once the CPU is in it, which the kernel's count shows (the
	 * boot line counts right after the start loop). */
	while (smp_cpus_online() == online_before &&
	       arch_cycles() - start <= 2 * limit)
		arch_cpu_relax();
	return 0;
}

int arch_cpu_start(unsigned cpu, void *stack_top)
{
	const struct cpu_info *info = cpu_get(cpu);

	if (!info || cpu == 0)
		return -EINVAL;
	if (info->hw_id > 254) {
		printk("smp: cpu %u has x2APIC id %u, beyond xAPIC reach\n",
		       cpu, (unsigned)info->hw_id);
		return -EINVAL;
	}
	if (info->hw_id == x86_cpus[0].apic_id)
		return -EINVAL;
	return x86_cpu_start_apic(cpu, info->hw_id, stack_top,
				  START_TIMEOUT_MS);
}

int arch_cpu_timer_start(unsigned hz, timer_tick_fn tick)
{
	return lapic_timer_start(hz, tick);
}

void arch_ipi_send(unsigned cpu, enum smp_ipi kind)
{
	if (cpu >= X86_MAX_CPUS || (unsigned)kind >= SMP_IPI_KINDS ||
	    !x86_cpu_up(cpu) || cpu == arch_cpu_id()) {
		printk("smp: IPI %u to cpu %u refused (not another running "
		       "CPU)\n",
		       (unsigned)kind, cpu);
		return;
	}
	if (lapic_send(x86_cpus[cpu].apic_id,
		       LAPIC_ICR_FIXED | (LAPIC_VECTOR_IPI_BASE + kind)) < 0)
		printk("smp: IPI %u to cpu %u not accepted by the APIC\n",
		       (unsigned)kind, cpu);
}

void x86_tlb_serve(void)
{
	struct x86_cpu *me = x86_this_cpu();

	if (!__atomic_load_n(&me->tlb_pending, __ATOMIC_ACQUIRE))
		return;
	x86_tlb_flush_local(tlb_va, tlb_count);
	me->tlb_served++;
	__atomic_store_n(&me->tlb_pending, 0, __ATOMIC_RELEASE);
}

/* Wait for every target's flag to clear; a CPU that never answers (hung
 * with IRQs off outside any spin loop) would leave stale translations
 * behind, which is worse than stopping with its name. */
static void wait_acks(const struct x86_cpu *me)
{
	uint64_t hz = arch_cycles_hz(), start = arch_cycles();

	for (unsigned i = 0; i < X86_MAX_CPUS; i++) {
		while (__atomic_load_n(&x86_cpus[i].tlb_pending,
				       __ATOMIC_ACQUIRE)) {
			if (hz &&
			    arch_cycles() - start > hz * TLB_ACK_TIMEOUT_S)
				panic("cpu %u: TLB shootdown not acknowledged "
				      "by cpu %u",
				      me->id, i);
			arch_cpu_relax();
		}
	}
}

void arch_tlb_shootdown(vaddr_t va, size_t count)
{
	x86_tlb_flush_local(va, count);
	/* The caller's page-table store must be visible before we read who
	 * runs (x86 may pass a load ahead of an older store). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&secondaries_up, __ATOMIC_SEQ_CST))
		return;
	irq_state_t s = ticket_lock_irqsave(&tlb_lock);
	struct x86_cpu *me = x86_this_cpu();
	tlb_va = va;
	tlb_count = count;
	for (unsigned i = 0; i < X86_MAX_CPUS; i++) {
		struct x86_cpu *c = &x86_cpus[i];
		if (c == me || !__atomic_load_n(&c->up, __ATOMIC_SEQ_CST))
			continue;
		__atomic_store_n(&c->tlb_pending, 1, __ATOMIC_SEQ_CST);
		lapic_send(c->apic_id, LAPIC_ICR_FIXED | LAPIC_VECTOR_TLB);
	}
	wait_acks(me);
	me->tlb_sent++;
	ticket_unlock_irqrestore(&tlb_lock, s);
}

bool x86_cpu_up(unsigned cpu)
{
	return cpu < X86_MAX_CPUS &&
	       __atomic_load_n(&x86_cpus[cpu].up, __ATOMIC_ACQUIRE);
}

uintptr_t x86_smp_trampoline(void)
{
	return (uintptr_t)trampoline;
}

unsigned long x86_tlb_sent_by(unsigned cpu)
{
	return cpu < X86_MAX_CPUS ? x86_cpus[cpu].tlb_sent : 0;
}

unsigned long x86_tlb_served_by(unsigned cpu)
{
	return cpu < X86_MAX_CPUS ? x86_cpus[cpu].tlb_served : 0;
}

unsigned long arch_tlb_shootdowns_sent(void)
{
	return x86_this_cpu()->tlb_sent;
}

unsigned long arch_tlb_shootdowns_served(void)
{
	return x86_this_cpu()->tlb_served;
}
