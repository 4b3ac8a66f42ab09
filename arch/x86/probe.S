/*
 * Faulting probes: one instruction each whose page fault x86_trap() turns
 * into a return of -EFAULT (see x86_probe_fixup in trap.c).
 *   int arch_probe_read(const volatile void *va, uint8_t *out)
 *   int arch_probe_write(volatile void *va, uint8_t value)
 */
#define EFAULT 14

	.text
	.globl arch_probe_read
	.type arch_probe_read, @function
arch_probe_read:
	movl 4(%esp), %ecx
	.globl x86_probe_read_insn
x86_probe_read_insn:
	movb (%ecx), %al
	movl 8(%esp), %edx
	movb %al, (%edx)
	xorl %eax, %eax
	ret
	.size arch_probe_read, . - arch_probe_read

	.globl arch_probe_write
	.type arch_probe_write, @function
arch_probe_write:
	movl 4(%esp), %ecx
	movl 8(%esp), %eax
	.globl x86_probe_write_insn
x86_probe_write_insn:
	movb %al, (%ecx)
	xorl %eax, %eax
	ret
	.size arch_probe_write, . - arch_probe_write

	.globl x86_probe_failed
	.type x86_probe_failed, @function
x86_probe_failed:
	movl $-EFAULT, %eax
	ret
	.size x86_probe_failed, . - x86_probe_failed
