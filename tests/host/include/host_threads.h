/* Run fn(i, arg) for i in 0..n-1 on n host threads at once and wait for
 * all: 0, or -1 if n > HOST_THREADS_MAX or a thread could not start (those
 * started are still waited for). Host test builds only. */
#ifndef HOST_THREADS_H
#define HOST_THREADS_H

#define HOST_THREADS_MAX 16

int host_threads_run(unsigned n, void (*fn)(unsigned index, void *arg),
		     void *arg);

#endif
