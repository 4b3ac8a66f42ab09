/*
 * void arch_context_switch(struct arch_context *from, struct arch_context *to)
 *
 * Saves the cdecl callee-saved registers (%ebp, %ebx, %esi, %edi) and the
 * flags on the current stack, stores %esp in from->esp, loads to->esp and
 * pops the same set. A new context is prepared by arch_context_init() to look
 * exactly like this frame, with x86_context_start as the return address.
 */
	.text
	.globl arch_context_switch
	.type arch_context_switch, @function
arch_context_switch:
	movl 4(%esp), %eax       /* from */
	movl 8(%esp), %edx       /* to */
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	pushfl
	movl %esp, (%eax)
	movl (%edx), %esp
	popfl
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
	.size arch_context_switch, . - arch_context_switch

/* First code of a new context: %ebx = entry, %esi = arg (set up by
 * arch_context_init). Enables IRQs, calls entry(arg); entry must not return. */
	.globl x86_context_start
	.type x86_context_start, @function
x86_context_start:
	sti
	pushl %esi
	call *%ebx
	call x86_context_returned
1:	hlt
	jmp 1b
	.size x86_context_start, . - x86_context_start
