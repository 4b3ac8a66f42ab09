/*
 * x86 entry from a Multiboot 1 loader (GRUB 2, QEMU -kernel).
 * On entry: protected mode, paging off, %eax = 0x2BADB002, %ebx = physical
 * address of the multiboot information. The loader's stack is unknown, so we
 * switch to our own before calling C. The magic is checked in C, where a
 * clear message can be printed.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAG_ALIGN_MODULES (1 << 0)
#define MB_FLAG_MEMORY_INFO (1 << 1)
#define MB_FLAGS (MB_FLAG_ALIGN_MODULES | MB_FLAG_MEMORY_INFO)

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .text.boot, "ax"
	.globl _start
	.type _start, @function
_start:
	cli
	cld
	movl $boot_stack_top, %esp
	xorl %ebp, %ebp          /* ends frame-pointer backtraces */
	pushl $0                 /* keep the stack 16-byte aligned at the call */
	pushl $0
	pushl %ebx
	pushl %eax
	call x86_start
1:	cli
	hlt
	jmp 1b
	.size _start, . - _start

/* The boot stack sits on a page boundary above a guard page that mmu_init()
 * unmaps: an overflow faults (and becomes a reported double fault) instead
 * of overwriting whatever lies below. */
	.section .bss
	.balign 4096
	.globl boot_stack_guard
boot_stack_guard:
	.skip 4096
	.globl boot_stack_bottom
boot_stack_bottom:
	.skip 16384
	.globl boot_stack_top
boot_stack_top:
