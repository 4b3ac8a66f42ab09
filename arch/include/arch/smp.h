/*
 * Several CPUs: starting the others, the per-CPU tick, inter-processor
 * interrupts and TLB shootdown. Declared for every build; with
 * CONFIG_SMP=n nothing in the kernel calls the start and IPI functions
 * (a port may then leave them returning -ENOSYS), and arch_tlb_shootdown
 * is the local flush. The kernel's side (<kernel/smp.h>) decides which
 * CPUs start and what they run; docs/smp.md says how both ports do it.
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#include <arch/mmu.h>
#include <arch/timer.h>
#include <stddef.h>
#include <stdint.h>

/* What an inter-processor interrupt asks of its receiver. The port may
 * use further vectors of its own (x86's TLB shootdown). */
enum smp_ipi {
	SMP_IPI_RESCHEDULE, /* run the scheduler at the end of the IPI */
	SMP_IPI_STOP,	    /* halt with IRQs off (panic, power-off) */
	SMP_IPI_CALL,	    /* run the kernel's pending cross-CPU calls */
	SMP_IPI_KINDS
};

/* Stack each secondary CPU starts on (the kernel allocates it). */
#define ARCH_SMP_STACK_SIZE 16384

/* On the boot CPU, once, from the kernel's smp_init() (scheduler, timer
 * and IRQs running): whatever the port needs before it can start other
 * CPUs and send IPIs (x86: the local APIC, its IPI vectors, the real-mode
 * trampoline; ARM: the GIC's SGIs). 0, or -errno with nothing started:
 * the kernel then stays on one CPU and says why. */
int arch_smp_init(void);

/* Start CPU `cpu` (1 .. cpus_found()-1; cpu_get(cpu)->hw_id is its local
 * APIC id or MPIDR) on `stack_top` (ARCH_SMP_STACK_SIZE bytes below it are
 * its stack). The new CPU sets up its own descriptors (x86: GDT, TSS, the
 * shared IDT; ARM: vectors, mode stacks), loads the one global page
 * table, makes arch_cpu_id() return `cpu`, and calls
 * smp_secondary_entry(cpu) with IRQs off; that never returns. Returns 0
 * once the CPU has called it, or -ETIMEDOUT / -EIO (the CPU did not come
 * up within the port's wait, about 200 ms; it is left stopped or parked
 * and never touches kernel state). Boot CPU only, one CPU at a time. */
int arch_cpu_start(unsigned cpu, void *stack_top);

/* Provided by the kernel (kernel/smp.c): where a started CPU goes. */
void smp_secondary_entry(unsigned cpu) __attribute__((noreturn));

/* On a secondary CPU, from smp_secondary_entry: start its own periodic
 * interrupt at `hz`, calling `tick` in IRQ context (x86: the local APIC
 * timer, calibrated at arch_smp_init; ARM: this core's generic timer PPI)
 * and unmask its interrupt controller interface. 0 or -errno. */
int arch_cpu_timer_start(unsigned hz, timer_tick_fn tick);

/* Send `kind` to CPU `cpu` (not the caller). The receiver calls
 * smp_ipi_received(kind) with IRQs off, then kernel_irq_exit(). Several
 * sends of one kind before it runs may arrive as one. Any context. */
void arch_ipi_send(unsigned cpu, enum smp_ipi kind);

/* Provided by the kernel: what an IPI of `kind` does on its receiver. */
void smp_ipi_received(enum smp_ipi kind);

/* Invalidate the translations of `count` pages at `va` (0: everything) in
 * the TLB of every started CPU, this one included, and return when all have
 * done it. arch_mmu_unmap and arch_mmu_flush call it; exported so the kernel
 * can batch. Any context, IRQs on or off: a CPU waiting for it with IRQs off in
 * a spin loop still answers (x86: arch_cpu_relax serves pending shootdowns;
 * ARM: the broadcast TLB operations need no answer). */
void arch_tlb_shootdown(vaddr_t va, size_t count);

/* Shootdowns this CPU started, and those it served for others (meminfo,
 * the smp tests). */
unsigned long arch_tlb_shootdowns_sent(void);
unsigned long arch_tlb_shootdowns_served(void);

#endif
