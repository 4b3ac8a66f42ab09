/* What the x86 SMP code shares with mmu.c and its tests. */
#ifndef ARCH_X86_SMP_X86_H
#define ARCH_X86_SMP_X86_H

#include <arch/mmu.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Invalidate `count` pages at `va` in this CPU's TLB only (0 or a large
 * count: the whole TLB, by reloading CR3). */
void x86_tlb_flush_local(vaddr_t va, size_t count);

/* The start sequence for any APIC id: send INIT-SIPI-SIPI to `apic_id`
 * and wait `timeout_ms` for it to check in as kernel CPU `cpu` (a slot of
 * x86_cpus not running). 0, -ETIMEDOUT (then an INIT parks it again),
 * -EIO (the APIC did not accept the IPI), -ENODEV before arch_smp_init.
 * arch_cpu_start is this with the record's id; tests use ids nobody has. */
int x86_cpu_start_apic(unsigned cpu, uint32_t apic_id, void *stack_top,
		       unsigned timeout_ms);

/* The real-mode trampoline's physical address (0 before arch_smp_init). */
uintptr_t x86_smp_trampoline(void);

/* CPU `cpu` runs and is in the shootdown set. */
bool x86_cpu_up(unsigned cpu);

/* Shootdowns CPU `cpu` started and served (the tests read other CPUs'). */
unsigned long x86_tlb_sent_by(unsigned cpu);
unsigned long x86_tlb_served_by(unsigned cpu);

#endif
