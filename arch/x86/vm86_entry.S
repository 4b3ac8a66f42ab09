/*
 * Entering and leaving virtual-8086 mode.
 *
 * int vm86_enter(const struct vm86_entry *e, uint32_t *esp0)
 *   Saves the cdecl callee-saved registers and the flags on the caller's
 *   stack, makes that stack point the TSS's esp0 (where the CPU puts the
 *   frame of every trap out of VM86 code) and irets into VM86 with the
 *   registers in *e. Returns only through vm86_leave(rc), with rc.
 *
 * void vm86_leave(int rc)
 *   Called by the monitor from a trap handler: drops the trap frame (and
 *   everything above it on this stack) by going back to the saved stack
 *   pointer, restores the caller's flags (so its IF) and registers, and
 *   returns rc from vm86_enter.
 *
 * struct vm86_entry: eax ebx ecx edx esi edi ebp (0-24), then the iret
 * frame eip cs eflags esp ss es ds fs gs (28-60).
 */
	.data
	.balign 4
vm86_kernel_esp:
	.long 0

	.text
	.globl vm86_enter
	.type vm86_enter, @function
vm86_enter:
	pushl %ebp
	movl %esp, %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	pushfl
	cli
	movl 8(%ebp), %eax       /* e */
	movl 12(%ebp), %ecx      /* &tss.esp0 */
	movl %esp, vm86_kernel_esp
	movl %esp, (%ecx)
	pushl 60(%eax)           /* gs */
	pushl 56(%eax)           /* fs */
	pushl 52(%eax)           /* ds */
	pushl 48(%eax)           /* es */
	pushl 44(%eax)           /* ss */
	pushl 40(%eax)           /* esp */
	pushl 36(%eax)           /* eflags, VM set */
	pushl 32(%eax)           /* cs */
	pushl 28(%eax)           /* eip */
	movl 4(%eax), %ebx
	movl 8(%eax), %ecx
	movl 12(%eax), %edx
	movl 16(%eax), %esi
	movl 20(%eax), %edi
	movl 24(%eax), %ebp
	movl 0(%eax), %eax
	iret
	.size vm86_enter, . - vm86_enter

	.globl vm86_leave
	.type vm86_leave, @function
vm86_leave:
	movl 4(%esp), %eax
	movl vm86_kernel_esp, %esp
	popfl
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
	.size vm86_leave, . - vm86_leave
