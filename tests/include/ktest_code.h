/*
 * Code memory for the VM suites that run compiled code (wasm_spec): in
 * the kernel, a code heap on the code region when programs' functions
 * are compiled (program_compiler_on: VM_COMPILER=y and no `interp` on the
 * command line); on the host, whose x86-64 VM has no compiler, none.
 */
#ifndef KTEST_CODE_H
#define KTEST_CODE_H

#include <vm/vm.h>

/* Set ops->code_alloc and code_free (to NULL when there is no compiler:
 * everything is interpreted). */
void ktest_code_hooks(struct vm_host_ops *ops);
/* Give th the native stack limit of the calling process (the kernel's
 * program_set_stack_limit; nothing on the host). */
void ktest_code_thread(struct vm_thread *th);
/* Free whatever the hooks still hold (after the instances are gone). */
void ktest_code_release(void);

#endif
