/*
 * This CPU's identity and the hints a spinning CPU gives; the bodies are
 * `static inline` in each arch's <arch/arch_cpu.h>.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

/* The kernel's number of the CPU running the caller (0 .. cpus_found()-1).
 * With CONFIG_SMP a per-CPU register (x86: the %gs segment's base, ARM:
 * TPIDRPRW; docs/smp.md), else the constant 0. Any
 * context; the caller must not migrate while it uses the answer. */
static inline unsigned arch_cpu_id(void);

/* A hint inside a spin-wait loop (x86 `pause`, ARM `yield`): lets a
 * sibling hardware thread run and saves power. No ordering effect. Every
 * spin loop of the kernel calls it: with SMP on x86 it also serves a TLB
 * shootdown posted to this CPU (docs/smp.md), so a CPU spinning with IRQs
 * off still answers one. Any context. */
static inline void arch_cpu_relax(void);

#include <arch/arch_cpu.h>

#endif
