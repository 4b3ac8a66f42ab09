/*
 * Threads for programs on this kernel, by the wasi-threads ABI: the
 * import `wasi`.`thread-spawn` and the export `wasi_thread_start`
 * (thread_start.s). Debian's wasi-libc has no pthreads, so this is the
 * small part a test program needs:
 *
 * - thread_spawn(fn, arg) runs fn(arg) in a new thread (a process of the
 *   kernel, with the same shared memory) on a stack taken from malloc.
 *   Only one thread may call it (or malloc) at a time: wasi-libc's malloc
 *   takes no lock.
 * - thread_wait32 / thread_notify are memory.atomic.wait32/notify.
 *
 * Built with -matomics, linked with --import-memory; the build then marks
 * the imported memory shared (programs/rules.mk).
 */
#ifndef PROGRAMS_THREAD_H
#define PROGRAMS_THREAD_H

#include <stddef.h>
#include <stdint.h>

/* tid > 0, or a negative error (-6 EAGAIN: thread limit reached). */
int thread_spawn(void (*fn)(void *), void *arg);

/* 0 woken, 1 the value was not `expected`, 2 timed out (timeout_ns < 0:
 * never). */
static inline int thread_wait32(volatile int32_t *addr, int32_t expected,
				int64_t timeout_ns)
{
	return __builtin_wasm_memory_atomic_wait32((int32_t *)addr, expected,
						   timeout_ns);
}

/* Wake up to `count` threads waiting at addr; how many woke. */
static inline unsigned thread_notify(volatile int32_t *addr, unsigned count)
{
	return __builtin_wasm_memory_atomic_notify((int32_t *)addr, count);
}

#endif
