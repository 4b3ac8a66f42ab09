/*
 * Host threads for tests that need code really running at once (the
 * kernel starts no second CPU yet): plain host code, built without the
 * prelude.
 */
#include <host_threads.h>
#include <pthread.h>

struct start {
	void (*fn)(unsigned index, void *arg);
	void *arg;
	unsigned index;
};

static void *trampoline(void *p)
{
	struct start *s = p;
	s->fn(s->index, s->arg);
	return NULL;
}

int host_threads_run(unsigned n, void (*fn)(unsigned index, void *arg),
		     void *arg)
{
	pthread_t th[HOST_THREADS_MAX];
	struct start st[HOST_THREADS_MAX];
	unsigned started = 0;
	int rc = 0;

	if (n > HOST_THREADS_MAX)
		return -1;
	for (; started < n; started++) {
		st[started] = (struct start){fn, arg, started};
		if (pthread_create(&th[started], NULL, trampoline,
				   &st[started]) != 0) {
			rc = -1;
			break;
		}
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	return rc;
}
