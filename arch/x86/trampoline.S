/*
 * The application processors' first code: a startup IPI starts a CPU in
 * real mode at vector:0000 (CS = page >> 4, IP = 0), so smp.c copies this
 * blob to a page the low-memory allocator gives (4 KiB aligned, below
 * 1 MiB) and fills in the words marked "set by smp.c" before each start.
 *
 * It loads its own small GDT (flat code 0x08, data 0x10), enters protected
 * mode, loads the boot CPU's page directory into CR3 and only then sets
 * CR0.PG (and WP, as mmu_init does), so the first translated fetch already
 * uses the shared table; low memory is identity-mapped there, so execution
 * goes on here. Then it switches to the stack the kernel gave and calls
 * entry(cpu) (x86_ap_main), which loads the CPU's real GDT, the IDT and
 * never returns. %ebx holds the blob's linear address throughout.
 */
#include <arch/x86.h>

	.section .rodata
	.balign 16
	.globl x86_trampoline_start
x86_trampoline_start:
	.code16
	cli
	cld
	xorl %ebx, %ebx
	movw %cs, %bx
	movw %bx, %ds
	shll $4, %ebx
	lgdtl (tramp_gdtr - x86_trampoline_start)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl *(tramp_far - x86_trampoline_start)

	.code32
	.globl x86_trampoline_pm
x86_trampoline_pm:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movl (x86_trampoline_params - x86_trampoline_start + 0)(%ebx), %eax
	movl %eax, %cr3
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP), %eax
	movl %eax, %cr0
	movl (x86_trampoline_params - x86_trampoline_start + 4)(%ebx), %esp
	xorl %ebp, %ebp
	pushl (x86_trampoline_params - x86_trampoline_start + 8)(%ebx)
	movl (x86_trampoline_params - x86_trampoline_start + 12)(%ebx), %eax
	call *%eax
1:	cli
	hlt
	jmp 1b

	.balign 8
	.globl x86_trampoline_gdt
x86_trampoline_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff /* flat 32-bit code */
	.quad 0x00cf92000000ffff /* flat 32-bit data */
	.globl x86_trampoline_gdtr
x86_trampoline_gdtr:
tramp_gdtr:
	.word 23
	.long 0          /* set by smp.c: linear address of the GDT above */
	.balign 4
	.globl x86_trampoline_far
x86_trampoline_far:
tramp_far:
	.long 0          /* set by smp.c: linear address of x86_trampoline_pm */
	.word 0x08
	.balign 4
	/* set by smp.c: cr3, stack top, cpu, entry (struct trampoline_params) */
	.globl x86_trampoline_params
x86_trampoline_params:
	.long 0, 0, 0, 0
	.globl x86_trampoline_end
x86_trampoline_end:
