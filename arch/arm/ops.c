/*
 * Whole-machine operations on QEMU virt: idle, halt, power off and reset
 * through PSCI, test exit through semihosting with PSCI as the fallback.
 */
#include <arch/arm_platform.h>
#include <arch/irq.h>
#include <arch/ops.h>
#include <kernel/printk.h>
#include <lib/err.h>
#include <string.h>

#define SEMIHOST_SYS_EXIT_EXTENDED   0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

#define PSCI_SYSTEM_OFF	  0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

/* hvc #0 / smc #0 by encoding, so the assembler needs no extension. */
#define ARM_INST_HVC0 ".inst 0xe1400070"
#define ARM_INST_SMC0 ".inst 0xe1600070"

long arm_semihost(unsigned op, const void *arg)
{
	register unsigned long r0 __asm__("r0") = op;
	register const void *r1 __asm__("r1") = arg;
	/* In SVC mode the trap (when semihosting is off) overwrites lr. */
	__asm__ volatile("svc %[imm]"
			 : "+r"(r0)
			 : "r"(r1), [imm] "i"(ARM_SEMIHOST_SVC)
			 : "memory", "lr");
	return (long)r0;
}

int arm_psci_call_raw(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3,
		      int32_t *psci_ret)
{
	register uint32_t r0 __asm__("r0") = fn;
	register uint32_t r1 __asm__("r1") = a1;
	register uint32_t r2 __asm__("r2") = a2;
	register uint32_t r3 __asm__("r3") = a3;

	switch (arm_platform.psci) {
	case PSCI_HVC:
		__asm__ volatile(ARM_INST_HVC0
				 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
				 :
				 : "memory");
		break;
	case PSCI_SMC:
		__asm__ volatile(ARM_INST_SMC0
				 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
				 :
				 : "memory");
		break;
	default: return -ENODEV;
	}
	*psci_ret = (int32_t)r0;
	return 0;
}

int arm_psci_call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
	int32_t ret;
	int rc = arm_psci_call_raw(fn, a1, a2, a3, &ret);
	if (rc < 0)
		return rc;
	return ret == PSCI_E_SUCCESS ? 0 : -EIO;
}

const char *arm_psci_error_name(int32_t rc)
{
	static const char *const names[] = {
		"SUCCESS",	    "NOT_SUPPORTED", "INVALID_PARAMETERS",
		"DENIED",	    "ALREADY_ON",    "ON_PENDING",
		"INTERNAL_FAILURE", "NOT_PRESENT",   "DISABLED",
		"INVALID_ADDRESS",
	};
	if (rc > 0 || rc < -9)
		return "(unknown PSCI code)";
	return names[-rc];
}

int arm_psci_errno(int32_t rc)
{
	switch (rc) {
	case PSCI_E_SUCCESS: return 0;
	case PSCI_E_NOT_SUPPORTED: return -ENOSYS;
	case PSCI_E_INVALID_PARAMETERS:
	case PSCI_E_INVALID_ADDRESS: return -EINVAL;
	case PSCI_E_DENIED: return -EPERM;
	case PSCI_E_ALREADY_ON:
	case PSCI_E_ON_PENDING: return -EBUSY;
	case PSCI_E_NOT_PRESENT:
	case PSCI_E_DISABLED: return -ENODEV;
	default: return -EIO;
	}
}

/* Mask, wait, unmask: a pending IRQ wakes wfi even while masked, so one
 * that arrives after the mask is not lost; unmasking then takes it. */
void arch_idle(void)
{
	irq_state_t s = arch_irq_save();
	arm_dsb();
	arm_wfi();
	arch_irq_enable();
	arm_isb();
	arch_irq_disable();
	arch_irq_restore(s);
}

void arch_halt(void)
{
	for (;;) {
		__asm__ volatile("cpsid if" : : : "memory");
		arm_wfi();
	}
}

int arch_reboot(void)
{
	arch_irq_disable();
	int rc = arm_psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	return rc < 0 ? rc : -EIO;
}

int arch_poweroff(void)
{
	arch_irq_disable();
	int rc = arm_psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	return rc < 0 ? rc : -EIO;
}

void arch_test_exit(int status)
{
	arch_irq_disable();
	uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
	arm_semihost(SEMIHOST_SYS_EXIT_EXTENDED, block);
	/* Still here: QEMU runs without -semihosting. */
	if (status)
		printk("arm: no semihosting: exit status %d cannot reach the "
		       "host; powering off anyway\n",
		       status);
	int rc = arch_poweroff();
	printk("arm: PSCI SYSTEM_OFF failed (%d); halting\n", rc);
	arch_halt();
}

static const char *cpu_part_name(uint32_t midr)
{
	if ((midr >> 24) != 0x41)
		return "(non-ARM implementer)";
	switch ((midr >> 4) & 0xfff) {
	case 0xc07: return "Cortex-A7";
	case 0xc08: return "Cortex-A8";
	case 0xc09: return "Cortex-A9";
	case 0xc0d: return "Cortex-A12";
	case 0xc0e: return "Cortex-A17";
	case 0xc0f: return "Cortex-A15";
	case 0xd03: return "Cortex-A53";
	case 0xd07: return "Cortex-A57";
	}
	return "(unknown part)";
}

const char *arch_name(void)
{
	static char name[96];
	uint32_t midr = arm_read_midr();
	const char *model = arm_platform.model;

	snprintf(name, sizeof(name), "ARMv7-A %s r%up%u (%s)",
		 cpu_part_name(midr), (unsigned)(midr >> 20) & 0xf,
		 (unsigned)midr & 0xf,
		 !model					  ? "unknown board"
		 : strcmp(model, "linux,dummy-virt") == 0 ? "QEMU virt"
							  : model);
	return name;
}

/* Nothing to move: the PL011 and the GIC stay on the boot map's device
 * sections (see NOTES.md); no framebuffer yet. */
void arch_mm_ready(void)
{
}

/* arch_late_init() is the board's: platform/virt/devices.c. */
