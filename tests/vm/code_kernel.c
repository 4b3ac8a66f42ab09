/*
 * The kernel side of <ktest_code.h>: one code heap on the code region,
 * charged to nobody (the suites' memory is the test machine's).
 */
#include <kernel/program.h>
#include <ktest_code.h>
#include <mm/code_region.h>

static struct code_heap heap;
static bool heap_ready;

static void *code_alloc(void *ctx, const void *code, size_t size)
{
	return code_heap_alloc(&heap, code, size);
}

static void code_free(void *ctx, void *p, size_t size)
{
	code_heap_free(&heap, p, size);
}

void ktest_code_hooks(struct vm_host_ops *ops)
{
	bool on = program_compiler_on();

	if (on && !heap_ready) {
		code_heap_init(&heap, NULL, NULL, NULL);
		heap_ready = true;
	}
	ops->code_alloc = on ? code_alloc : NULL;
	ops->code_free = on ? code_free : NULL;
}

void ktest_code_thread(struct vm_thread *th)
{
	if (th)
		program_set_stack_limit(th);
}

void ktest_code_release(void)
{
	if (heap_ready)
		code_heap_release(&heap);
}
