/*
 * Exception reports: every exception other than an IRQ or the semihosting
 * SVC ends here (vectors.S), prints what happened with the registers and
 * the nearest kernel symbols, and panics.
 */
#include <arch/arm_platform.h>
#include <kernel/ksyms.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <mm/layout.h>

static const char *kind_name(unsigned kind)
{
	switch (kind) {
	case ARM_EXC_UNDEF: return "undefined instruction";
	case ARM_EXC_SVC: return "unexpected SVC";
	case ARM_EXC_PABT: return "prefetch abort";
	case ARM_EXC_DABT: return "data abort";
	case ARM_EXC_IRQ: return "IRQ";
	case ARM_EXC_FIQ: return "FIQ";
	case ARM_EXC_RESET: return "reset vector (jump to the vector base?)";
	}
	return "unknown exception";
}

static const char *mode_name(uint32_t cpsr)
{
	switch (cpsr & ARM_MODE_MASK) {
	case ARM_MODE_USR: return "usr";
	case ARM_MODE_FIQ: return "fiq";
	case ARM_MODE_IRQ: return "irq";
	case ARM_MODE_SVC: return "svc";
	case ARM_MODE_ABT: return "abt";
	case ARM_MODE_HYP: return "hyp";
	case ARM_MODE_UND: return "und";
	case ARM_MODE_SYS: return "sys";
	}
	return "???";
}

/* Short-descriptor fault status (FS[10] : FS[3:0]) in words. */
static const char *fault_name(uint32_t fsr)
{
	switch (((fsr >> 6) & 0x10) | (fsr & 0xf)) {
	case 0x01: return "alignment fault";
	case 0x02: return "debug event";
	case 0x03: return "access flag fault (section)";
	case 0x04: return "instruction cache maintenance fault";
	case 0x05: return "translation fault (section)";
	case 0x06: return "access flag fault (page)";
	case 0x07: return "translation fault (page)";
	case 0x08: return "synchronous external abort";
	case 0x09: return "domain fault (section)";
	case 0x0b: return "domain fault (page)";
	case 0x0d: return "permission fault (section)";
	case 0x0f: return "permission fault (page)";
	case 0x16: return "asynchronous external abort";
	case 0x18: return "asynchronous parity error";
	}
	return "other fault";
}

static void print_sym(const char *label, uint32_t addr)
{
	uintptr_t off;
	const char *name = ksym_lookup(addr, &off);
	if (name)
		printk("  %s %08x <%s+%#lx>\n", label, (unsigned)addr, name,
		       (unsigned long)off);
	else
		printk("  %s %08x\n", label, (unsigned)addr);
}

static const char *ksym_name(uint32_t addr)
{
	uintptr_t off;
	const char *name = ksym_lookup(addr, &off);
	return name ? name : "an unknown function";
}

void arm_exception(struct arm_exc_frame *f, unsigned kind)
{
	printk("\n*** %s in %s mode at %08x\n", kind_name(kind),
	       mode_name(f->cpsr), (unsigned)f->pc);
	bool overflow =
		kind == ARM_EXC_DABT && arm_is_stack_guard(arm_read_dfar());
	if (overflow)
		printk("  kernel stack overflow: the SVC stack reached its "
		       "guard "
		       "page at %08x\n",
		       (unsigned)arm_read_dfar() & ~0xfffu);
	if (kind == ARM_EXC_DABT)
		sched_report_stack_fault(arm_read_dfar()); /* a process's */
	if (kind == ARM_EXC_DABT) {
		uint32_t dfsr = arm_read_dfsr();
		printk("  DFAR %08x DFSR %08x (%s, %s) in %s\n",
		       (unsigned)arm_read_dfar(), (unsigned)dfsr,
		       fault_name(dfsr), (dfsr & (1u << 11)) ? "write" : "read",
		       mm_describe_address(arm_read_dfar()));
	} else if (kind == ARM_EXC_PABT) {
		uint32_t ifsr = arm_read_ifsr();
		printk("  IFAR %08x IFSR %08x (%s)\n",
		       (unsigned)arm_read_ifar(), (unsigned)ifsr,
		       fault_name(ifsr));
	} else if (kind == ARM_EXC_UNDEF || kind == ARM_EXC_SVC) {
		if (!(f->cpsr & ARM_PSR_T) && (f->pc & 3) == 0)
			printk("  instruction %08x\n",
			       (unsigned)*(const volatile uint32_t *)f->pc);
	}
	for (int i = 0; i < 12; i += 4)
		printk("  r%-2d %08x  r%-2d %08x  r%-2d %08x  r%-2d %08x\n", i,
		       (unsigned)f->r[i], i + 1, (unsigned)f->r[i + 1], i + 2,
		       (unsigned)f->r[i + 2], i + 3, (unsigned)f->r[i + 3]);
	printk("  r12 %08x  sp  %08x  lr  %08x  cpsr %08x\n",
	       (unsigned)f->r[12], (unsigned)f->sp, (unsigned)f->lr,
	       (unsigned)f->cpsr);
	print_sym("pc", f->pc);
	print_sym("lr", f->lr);
	if (overflow) {
		arm_reset_svc_stack();
		panic("kernel stack overflow in %s", ksym_name(f->pc));
	}
	panic("%s at %08x in %s", kind_name(kind), (unsigned)f->pc,
	      ksym_name(f->pc));
}
