/* thread_spawn over wasi-threads (see thread.h). */
#include "thread.h"

#include <stdlib.h>

#define STACK_SIZE (64 * 1024)

/* What wasi_thread_start receives: the first field is read by the
 * assembly entry (thread_start.s) before any C code runs. */
struct thread_start {
	uint32_t stack_top;
	void (*fn)(void *);
	void *arg;
};

__attribute__((import_module("wasi"), import_name("thread-spawn"))) int32_t
wasi_thread_spawn(int32_t start_arg);

/* Called by wasi_thread_start once the stack pointer is this thread's. */
void thread_entry(int32_t tid, struct thread_start *s);
void thread_entry(int32_t tid, struct thread_start *s)
{
	(void)tid;
	s->fn(s->arg);
}

int thread_spawn(void (*fn)(void *), void *arg)
{
	struct thread_start *s = malloc(sizeof(*s));
	char *stack = malloc(STACK_SIZE);
	if (!s || !stack) {
		free(s);
		free(stack);
		return -48; /* ENOMEM */
	}
	/* the stack grows down; keep it 16-byte aligned */
	s->stack_top = ((uint32_t)(uintptr_t)(stack + STACK_SIZE)) & ~15u;
	s->fn = fn;
	s->arg = arg;
	int tid = wasi_thread_spawn((int32_t)(uintptr_t)s);
	if (tid < 0) {
		free(s);
		free(stack);
	}
	/* The stack and start block stay until the program ends: a thread
	 * may still be on its way out after it last touched shared data. */
	return tid;
}
