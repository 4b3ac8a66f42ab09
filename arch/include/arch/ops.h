/*
 * Whole-machine operations every architecture provides.
 * Contracts: callable from any context unless said otherwise.
 */
#ifndef ARCH_OPS_H
#define ARCH_OPS_H

#include <stdbool.h>

/* Wait for the next interrupt with IRQs enabled, atomically: enable and halt in
 * one step so a wake-up between them is not lost. Returns with IRQs as on
 * entry. */
void arch_idle(void);

/* Stop this CPU forever with IRQs off. Never returns. */
void arch_halt(void) __attribute__((noreturn));

/* Reset the machine. Returns only if the reset failed (then -errno). */
int arch_reboot(void);

/* Power the machine off. Returns only if that is impossible (then -errno). */
int arch_poweroff(void);

/* Leave the emulator with `status` (0 = success) for test harnesses: x86
 * isa-debug-exit (QEMU exits with status*2+1), ARM semihosting exit with PSCI
 * SYSTEM_OFF as fallback. Halts if no exit device answers. Never returns. */
void arch_test_exit(int status) __attribute__((noreturn));

/* Called once by mm_init() when the memory managers are up: the arch may
 * now use kmalloc and dma_map (x86 moves the VGA text buffer into a DMA
 * window). Process context, IRQs enabled or not. */
void arch_mm_ready(void);

/* Called once by kmain in process context with the scheduler, the timer
 * and IRQs running: device set-up that may take long or call firmware
 * (x86: the VESA boot mode through VM86, whose time limit needs the tick).
 * May do nothing. */
void arch_late_init(void);

/* Human-readable CPU/board description for the boot banner. */
const char *arch_name(void);

#endif
