/*
 * The VM86 monitor: real-mode BIOS calls from the flat ring-0 kernel.
 *
 * A call runs the BIOS in virtual-8086 mode, entered by an iret from ring 0
 * on the caller's own kernel stack (see docs/x86-bios.md for why not a task
 * switch). Its stack comes from the low-memory allocator; page 0 (IVT and
 * BDA) is mapped only while a call runs. The monitor emulates the sensitive
 * instructions (PUSHF, POPF, CLI, STI, INT, IRET, IN, OUT, INS, OUTS, with
 * their prefixes) and nested BIOS interrupts.
 *
 * Calls are serialised by a mutex and stay preemptible: timer IRQs arrive
 * on the caller's stack and the scheduler may switch processes there. The
 * time limit counts timer ticks; a call made before the timer starts is
 * limited by a trap budget instead, which cannot stop a loop that never
 * traps. No call is made that early: the boot mode set runs in
 * arch_late_init, with the scheduler and the tick running.
 */
#ifndef ARCH_X86_VM86_H
#define ARCH_X86_VM86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Registers in and out of a real-mode call. The upper halves of the 32-bit
 * registers pass through (SeaBIOS and VBE use them). `eflags` is output
 * only: the FLAGS the BIOS returned with (CF set means failure for many
 * services). */
struct vm86_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
	uint16_t ds, es;
	uint32_t eflags;
};

#define VM86_FLAGS_CF	0x0001u
#define VM86_TIMEOUT_MS 5000u /* default limit for one BIOS call */

/*
 * Run real-mode interrupt `vector` (the handler in the IVT) with `r`.
 * Returns 0 with the output registers in *r, or:
 *   -ENOMEM    no low memory for the VM86 stack (message says why)
 *   -ETIMEDOUT the call did not return within VM86_TIMEOUT_MS (aborted)
 *   -EFAULT    the real-mode code faulted (reported with its CS:IP)
 *   -EDEADLK   the caller is already inside a call (from the mutex)
 *   -EBUSY     before the scheduler runs: a call is already running
 *   -ENOSYS    the IVT has no handler for `vector`
 * Sleeps while another call runs. Process context. If the calling process
 * is killed while preempted in a call, the call is abandoned and the
 * monitor released at its exit.
 */
int vm86_int(uint8_t vector, struct vm86_regs *r);

/*
 * Run real-mode code at cs:ip as if it were an interrupt handler: it ends
 * with IRET. For tests and for code the kernel places in low memory itself.
 * `timeout_ms` 0 means VM86_TIMEOUT_MS. Same results as vm86_int.
 */
int vm86_call(uint16_t cs, uint16_t ip, struct vm86_regs *r,
	      unsigned timeout_ms);

/* What the last failed call reported (also printed), or "" if none. */
const char *vm86_last_error(void);

struct vm86_stats {
	unsigned long calls, failed, traps, irqs, emulated_ints;
	unsigned long max_depth; /* deepest nesting of emulated INTs */
};
void vm86_get_stats(struct vm86_stats *s);

/* Low memory for real-mode buffers (the pointer is the real-mode linear
 * address, *phys the same): the kernel's low-memory allocator with IRQs
 * off around it, since it has no lock of its own and processes preempt
 * each other. NULL with lowmem_last_error() saying why. */
void *vm86_alloc(size_t size, uintptr_t *phys);
void vm86_free(void *p);

/* True while a call is running (page 0 is mapped then). */
bool vm86_busy(void);

/* ---- backend only (arch/x86) ---- */
struct trap_frame;
/* An exception from VM86 code: emulate, finish or abort the call. */
void vm86_trap(struct trap_frame *f);
/* After an IRQ interrupted VM86 code (and maybe a switch to other
 * processes and back): the time limit. */
void vm86_after_irq(struct trap_frame *f);
/* Make low memory reachable from VM86 (CPL 3) and map page 0, or undo it.
 * In mmu.c. Returns 0 or -errno from the page-0 mapping. */
int x86_mmu_vm86_access(bool on);
/* The ring-0 stack the CPU switches to when VM86 code traps. In gdt.c. */
uint32_t *x86_tss_esp0(void);

#define X86_EFLAGS_TF	0x100u
#define X86_EFLAGS_DF	0x400u
#define X86_EFLAGS_OF	0x800u
#define X86_EFLAGS_IOPL 0x3000u
#define X86_EFLAGS_NT	0x4000u
#define X86_EFLAGS_RF	0x10000u
#define X86_EFLAGS_VM	0x20000u
#define X86_EFLAGS_AC	0x40000u

#endif
