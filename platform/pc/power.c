/*
 * Reset, power-off and the test exit on a PC (and QEMU's PC): the keyboard
 * controller's reset line, the ACPI PM1a control ports QEMU's chipsets
 * have, and QEMU's isa-debug-exit device.
 */
#include <arch/irq.h>
#include <arch/ops.h>
#include <arch/pio.h>
#include <arch/timer.h>
#include <arch/x86.h>
#include <lib/err.h>

#define QEMU_DEBUG_EXIT_PORT 0xf4
#define KBC_STATUS	     0x64
#define KBC_RESET_CPU	     0xfe
/* PM1a control on QEMU's PIIX4 (i440fx) and ICH9 (q35) ACPI blocks. */
#define QEMU_PIIX4_PM1A_CNT 0x604
#define QEMU_ICH9_PM1A_CNT  0xb004
#define ACPI_SLP_EN	    (1u << 13)

int arch_reboot(void)
{
	arch_irq_disable();
	/* Pulse the CPU reset line through the keyboard controller. */
	for (int i = 0; i < 100000 && (inb(KBC_STATUS) & 2); i++)
		;
	outb(KBC_STATUS, KBC_RESET_CPU);
	for (volatile int i = 0; i < 1000000; i++)
		;
	return -EIO;
}

int arch_poweroff(void)
{
	arch_irq_disable();
	outw(QEMU_PIIX4_PM1A_CNT, ACPI_SLP_EN);
	outw(QEMU_ICH9_PM1A_CNT, ACPI_SLP_EN);
	/* The machine acts on the request a little later (QEMU: when its
	 * main loop gets to it, which on a loaded host can take a while): do
	 * not report failure before two seconds of TSC time have passed. */
	uint64_t hz = arch_cycles_hz();
	uint64_t start = rdtsc(), wait = 2 * (hz ? hz : 3000000000ull);
	while (rdtsc() - start < wait)
		__asm__ volatile("pause");
	return -ENODEV; /* no ACPI parser yet: only QEMU's fixed ports */
}

void arch_test_exit(int status)
{
	arch_irq_disable();
	/* QEMU's isa-debug-exit: exits with (value << 1) | 1. */
	outl(QEMU_DEBUG_EXIT_PORT, (uint32_t)status);
	arch_poweroff();
	arch_halt();
}
