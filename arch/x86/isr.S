/*
 * Interrupt entry stubs. Every vector gets a stub that pushes a dummy error
 * code when the CPU does not, then the vector number, and joins the common
 * path, which saves the registers as a struct trap_frame (arch/x86/trap.h)
 * and calls x86_trap(frame).
 *
 * A trap out of VM86 code (EFLAGS.VM set) arrives on the TSS's esp0 stack
 * with ESP, SS, ES, DS, FS, GS of the real-mode code above EFLAGS; the CPU
 * has loaded null selectors into DS-GS, so what is pushed and popped here is
 * null, and the final iret (VM=1) restores the real-mode segments from the
 * extra words, which only the monitor (vm86.c) touches. That is why the
 * common path reloads %gs (this CPU's per-CPU segment, PERCPU_SEL) on every
 * entry: code running after a VM86 trap reads arch_cpu_id() through it.
 * The selector is the same on every CPU (each has its own GDT), so the
 * value popped on the way out is right on whichever CPU pops it.
 */
#include <arch/x86.h>

.macro STUB vec, has_error
	.globl isr_\vec
	.type isr_\vec, @function
isr_\vec:
	.if \has_error == 0
	pushl $0
	.endif
	pushl $\vec
	jmp isr_common
.endm

	.text
/* Exceptions that push an error code: 8, 10-14, 17, 21, 29, 30. */
STUB 0, 0
STUB 1, 0
STUB 2, 0
STUB 3, 0
STUB 4, 0
STUB 5, 0
STUB 6, 0
STUB 7, 0
STUB 8, 1
STUB 9, 0
STUB 10, 1
STUB 11, 1
STUB 12, 1
STUB 13, 1
STUB 14, 1
STUB 15, 0
STUB 16, 0
STUB 17, 1
STUB 18, 0
STUB 19, 0
STUB 20, 0
STUB 21, 1
STUB 22, 0
STUB 23, 0
STUB 24, 0
STUB 25, 0
STUB 26, 0
STUB 27, 0
STUB 28, 0
STUB 29, 1
STUB 30, 1
STUB 31, 0
/* PIC IRQs 0-15 remapped to 32-47. */
STUB 32, 0
STUB 33, 0
STUB 34, 0
STUB 35, 0
STUB 36, 0
STUB 37, 0
STUB 38, 0
STUB 39, 0
STUB 40, 0
STUB 41, 0
STUB 42, 0
STUB 43, 0
STUB 44, 0
STUB 45, 0
STUB 46, 0
STUB 47, 0
#ifdef CONFIG_SMP
/* The local APIC's vectors (arch/x86/lapic.h), installed by arch_smp_init. */
STUB 239, 0
STUB 240, 0
STUB 241, 0
STUB 242, 0
STUB 253, 0
STUB 255, 0
#endif

isr_common:
	pushal
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	movl $KERNEL_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl $PERCPU_SEL, %eax
	movl %eax, %gs
	cld
	pushl %esp               /* struct trap_frame * */
	call x86_trap
	addl $4, %esp
	popl %gs
	popl %fs
	popl %es
	popl %ds
	popal
	addl $8, %esp            /* vector and error code */
	iret

	.section .rodata
	.balign 4
	.globl isr_table
isr_table:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.long isr_\n
	.endr

#ifdef CONFIG_SMP
	.globl x86_lapic_isr_table
x86_lapic_isr_table:
	.irp n, 239,240,241,242,253,255
	.long \n, isr_\n
	.endr
	.long 0, 0
#endif
