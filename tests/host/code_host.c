/*
 * The host side of <ktest_code.h>: the host's x86-64 VM is built without
 * a compiler (VM_CONFIG_JIT 0), so there is no code memory to give.
 */
#include <ktest_code.h>

void ktest_code_hooks(struct vm_host_ops *ops)
{
	ops->code_alloc = NULL;
	ops->code_free = NULL;
}

void ktest_code_thread(struct vm_thread *th)
{
	(void)th;
}

void ktest_code_release(void)
{
}
