/*
 * Trap dispatch: IRQs go to their handlers; any exception is fatal for now
 * and is reported with the vector, error code, every register and the
 * nearest kernel symbol, then the kernel panics (never a silent reset).
 */
#include <arch/vm86.h>
#include <arch/x86.h>
#include <kernel/ksyms.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <mm/layout.h>

#include "lapic.h"
#include "x86_internal.h"

static const char *const exception_names[32] = {
	"divide error",
	"debug",
	"NMI",
	"breakpoint",
	"overflow",
	"BOUND range exceeded",
	"invalid opcode",
	"device not available",
	"double fault",
	"coprocessor segment overrun",
	"invalid TSS",
	"segment not present",
	"stack-segment fault",
	"general protection",
	"page fault",
	"reserved",
	"x87 floating-point",
	"alignment check",
	"machine check",
	"SIMD floating-point",
	"virtualization",
	"control protection",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"hypervisor injection",
	"VMM communication",
	"security",
	"reserved",
};

static void print_symbol(const char *label, uint32_t addr)
{
	uintptr_t off;
	const char *name = ksym_lookup(addr, &off);

	if (name)
		printk("%s %08x <%s+%#lx>\n", label, addr, name,
		       (unsigned long)off);
	else
		printk("%s %08x\n", label, addr);
}

/* Walk saved frame pointers while they stay inside plausible memory. */
static void print_backtrace(uint32_t ebp)
{
	for (int depth = 0; depth < 16 && ebp >= 0x1000 && !(ebp & 3);
	     depth++) {
		const uint32_t *frame = (const uint32_t *)(uintptr_t)ebp;
		uint32_t ret = frame[1];
		if (!ksym_lookup(ret, NULL))
			break;
		print_symbol("  called from", ret);
		if (frame[0] <= ebp)
			break;
		ebp = frame[0];
	}
}

static void report_exception(const struct trap_frame *f, uint32_t esp)
{
	printk("\nEXCEPTION %u (%s), error code %#x\n", f->vector,
	       exception_names[f->vector & 31], f->error);
	print_symbol("EIP", f->eip);
	if (f->vector == 14) {
		uint32_t cr2 = read_cr2();
		printk("faulting address %08x (%s): %s, %s, %s\n", cr2,
		       mm_describe_address(cr2),
		       f->error & 1 ? "protection violation"
				    : "page not present",
		       f->error & 2 ? "write" : "read",
		       f->error & 16 ? "instruction fetch" : "data access");
	}
	printk("EAX %08x EBX %08x ECX %08x EDX %08x\n", f->eax, f->ebx, f->ecx,
	       f->edx);
	printk("ESI %08x EDI %08x EBP %08x ESP %08x\n", f->esi, f->edi, f->ebp,
	       esp);
	printk("CS %04x DS %04x ES %04x FS %04x GS %04x EFLAGS %08x\n", f->cs,
	       f->ds, f->es, f->fs, f->gs, f->eflags);
	printk("CR0 %08x CR2 %08x CR3 %08x CR4 %08x\n", read_cr0(), read_cr2(),
	       read_cr3(), read_cr4());
	print_backtrace(f->ebp);
}

extern const char x86_probe_read_insn[], x86_probe_write_insn[];
extern const char x86_probe_failed[];

/* A page fault on a probe instruction: resume at the probe's failure exit,
 * which returns -EFAULT to its caller. */
static bool x86_probe_fixup(struct trap_frame *f)
{
	if (f->vector != 14 && f->vector != 13)
		return false;
	if (f->eip != (uint32_t)(uintptr_t)x86_probe_read_insn &&
	    f->eip != (uint32_t)(uintptr_t)x86_probe_write_insn)
		return false;
	f->eip = (uint32_t)(uintptr_t)x86_probe_failed;
	return true;
}

void x86_trap(struct trap_frame *f)
{
#ifdef CONFIG_SMP
	if (f->vector >= LAPIC_VECTOR_TIMER) {
		lapic_interrupt(f->vector);
		if (f->eflags & X86_EFLAGS_VM)
			vm86_after_irq(f);
		return;
	}
#endif
	if (f->vector >= 32 && f->vector < 48) {
		x86_irq_dispatch(f->vector - 32);
		if (f->eflags & X86_EFLAGS_VM)
			vm86_after_irq(f);
		return;
	}
	/* From a BIOS call: the monitor emulates, ends or aborts the call;
	 * a fault there never takes the kernel down. */
	if (f->eflags & X86_EFLAGS_VM) {
		vm86_trap(f);
		return;
	}
	if (x86_probe_fixup(f))
		return;
	/* A ring-0 trap pushes no %esp: the interrupted stack pointer is just
	 * above the frame's eflags. */
	report_exception(f, (uint32_t)(uintptr_t)(&f->eflags + 1));
	panic("unhandled CPU exception %u (%s) at %08x", f->vector,
	      exception_names[f->vector & 31], f->eip);
}

/* Entered by the CPU as a task switch (IDT vector 8 is a task gate); the
 * faulting context's registers are in the previous TSS, which we do not
 * trust enough to walk. */
void x86_double_fault_task(void);
void x86_double_fault_task(void)
{
	printk("\nEXCEPTION 8 (double fault): most likely a kernel stack "
	       "overflow\n");
	/* A process's stack overflowing into its guard page faults, and
	 * delivering that fault on the same stack faults again. */
	sched_report_stack_fault(read_cr2());
	panic("double fault");
}
