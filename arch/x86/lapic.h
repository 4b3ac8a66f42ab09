/*
 * The local APIC (xAPIC, memory-mapped), as the SMP code uses it: one per
 * CPU, all at the same physical address, each CPU reaching its own. The
 * 8259 PIC keeps the legacy IRQ lines and reaches the boot CPU through its
 * LINT0 pin in ExtINT ("virtual wire") mode; the local APIC adds the IPIs,
 * the per-CPU timer and the spurious vector. x2APIC mode is not used (ids
 * above 254 cannot be reached and are refused).
 */
#ifndef ARCH_X86_LAPIC_H
#define ARCH_X86_LAPIC_H

#include <arch/timer.h>
#include <stdbool.h>
#include <stdint.h>

/* Vectors above the PIC's 32-47; the APIC's priority class is vector >> 4,
 * so the shootdown outranks the calls and the timer. */
#define LAPIC_VECTOR_TIMER    0xef
#define LAPIC_VECTOR_IPI_BASE 0xf0 /* + enum smp_ipi */
#define LAPIC_VECTOR_TLB      0xfd
#define LAPIC_VECTOR_SPURIOUS 0xff

/* On the boot CPU: map the APIC's page (uncached DMA window), enable it
 * (software enable through the spurious vector register; LINT0 ExtINT so
 * the PIC keeps working, LINT1 NMI) and calibrate its timer against
 * the PIT (x86_platform_pit_wait_ms). 0, or -ENODEV (no APIC), -ENOMEM (no
 * window), -EIO (the timer does not count). */
int lapic_init_boot(void);

/* On a secondary CPU: enable its APIC with LINT0/LINT1 masked (the PIC
 * wire goes to the boot CPU only) and its timer stopped. */
void lapic_init_secondary(void);

/* This CPU's APIC id (bits 31:24 of the ID register). */
uint32_t lapic_id(void);

/* Send the ICR low word `icr` to APIC `dest`, waiting (bounded) for the
 * previous and this send to be accepted: 0 or -EIO. Any context. */
int lapic_send(uint32_t dest, uint32_t icr);

#define LAPIC_ICR_INIT	  0x00000500u
#define LAPIC_ICR_STARTUP 0x00000600u
#define LAPIC_ICR_ASSERT  0x00004000u
#define LAPIC_ICR_LEVEL	  0x00008000u
#define LAPIC_ICR_FIXED	  0x00000000u

/* Clear and return the error status register (send and receive errors). */
uint32_t lapic_error_status(void);

/* The timer's input rate (bus clock / 16), measured by lapic_init_boot. */
uint64_t lapic_timer_hz(void);
/* Measure it again on this CPU (tests): 0 with *hz, or -errno. Leaves
 * the timer stopped. */
int lapic_timer_measure(uint64_t *hz);

/* Periodic timer on this CPU at `hz`, calling `tick` from the interrupt.
 * 0 or -EINVAL (hz out of range), -ENODEV (not calibrated). */
int lapic_timer_start(unsigned hz, timer_tick_fn tick);
/* Stop this CPU's timer (tests). */
void lapic_timer_stop(void);
/* Save and put back this CPU's timer set-up (tests borrow a secondary's
 * timer, which drives its scheduler tick). */
struct lapic_timer_state {
	uint32_t lvt, div, init;
	timer_tick_fn tick;
};
void lapic_timer_save(struct lapic_timer_state *st);
void lapic_timer_restore(const struct lapic_timer_state *st);

/* Read this CPU's timer count register (calibration, tests). */
uint32_t lapic_timer_count(void);
/* Start a one-shot, masked count from 0xffffffff (calibration, tests). */
void lapic_timer_free_run(void);

/* isr.S's dispatch for vectors >= LAPIC_VECTOR_TIMER. */
void lapic_interrupt(unsigned vector);

/* Served by smp.c from the TLB vector and from arch_cpu_relax. */
void x86_tlb_serve(void);

#endif
