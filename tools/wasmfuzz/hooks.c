/* tools/wasmfuzz/hooks.c: see hooks.h. */
#define _GNU_SOURCE
#include "hooks.h"

#include <sched.h>
#include <string.h>
#include <time.h>

#include "../wasmrun/host_ops.h"
#include "../wasmrun/threads.h"

/* Sleeps end after this, so a looping poll_oneoff costs little. */
#define SLEEP_CAP_NS 100000u

static struct fuzz_hook_stats stats; /* updated with __atomic: threads */
static uint64_t run_number;	     /* fuzz_hooks_reset counts runs */

static void add(uint64_t *counter, uint64_t n)
{
	__atomic_add_fetch(counter, n, __ATOMIC_RELAXED);
}

void fuzz_hooks_reset(void)
{
	memset(&stats, 0, sizeof(stats));
	__atomic_add_fetch(&run_number, 1, __ATOMIC_RELAXED);
}

struct fuzz_hook_stats fuzz_hooks_stats(void)
{
	struct fuzz_hook_stats s;
	s.written = __atomic_load_n(&stats.written, __ATOMIC_RELAXED);
	s.stdin_reads = __atomic_load_n(&stats.stdin_reads, __ATOMIC_RELAXED);
	s.sleep_ns = __atomic_load_n(&stats.sleep_ns, __ATOMIC_RELAXED);
	s.lookups = __atomic_load_n(&stats.lookups, __ATOMIC_RELAXED);
	return s;
}

/* Read the first and last byte: with ASan, a range vm/wasi.c got wrong
 * is reported here rather than silently dropped. */
static void touch(const void *buf, size_t len)
{
	const volatile uint8_t *p = buf;
	if (len) {
		(void)p[0];
		(void)p[len - 1];
	}
}

static long h_write(void *ctx, int fd, const void *buf, size_t len)
{
	(void)ctx;
	(void)fd;
	touch(buf, len);
	add(&stats.written, len);
	return (long)len;
}

static long h_read(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	touch(buf, len);
	add(&stats.stdin_reads, 1);
	return 0;
}

static void h_sleep(void *ctx, uint64_t ns)
{
	(void)ctx;
	uint64_t old = __atomic_load_n(&stats.sleep_ns, __ATOMIC_RELAXED);
	add(&stats.sleep_ns, ns > UINT64_MAX - old ? UINT64_MAX - old : ns);
	if (wasmrun_threads_stopping())
		return;
	struct timespec ts = {0, (long)(ns < SLEEP_CAP_NS ? ns : SLEEP_CAP_NS)};
	nanosleep(&ts, NULL);
}

/* xorshift64, one sequence per thread, restarted with every run: not
 * random, but the same input writes the same bytes (a crash found through
 * random_get data reproduces, threads' scheduling permitting). */
static void h_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	static __thread uint64_t state, seeded_for;
	uint64_t run = __atomic_load_n(&run_number, __ATOMIC_RELAXED);
	uint8_t *out = buf;
	if (seeded_for != run) {
		seeded_for = run;
		state = 0x9e3779b97f4a7c15ull;
	}
	for (size_t i = 0; i < len; i++) {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		out[i] = (uint8_t)state;
	}
}

static const uint8_t hello[] = "hello, fuzzer\n";
static uint8_t big[70000]; /* larger than an iovec of 65536 */

static const struct {
	const char *name;
	const uint8_t *data;
	uint64_t size;
} files[] = {
	{"hello.txt", hello, sizeof(hello) - 1},
	{"hello.wasm", (const uint8_t *)"\0asm\1\0\0\0", 8},
	{"big", big, sizeof(big)},
	{"empty", hello, 0},
};

static bool h_lookup(void *ctx, const char *path, size_t len,
		     const uint8_t **data, uint64_t *size)
{
	(void)ctx;
	touch(path, len);
	add(&stats.lookups, 1);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (strlen(files[i].name) == len &&
		    memcmp(files[i].name, path, len) == 0) {
			*data = files[i].data;
			*size = files[i].size;
			return true;
		}
	}
	return false;
}

static void h_yield(void *ctx)
{
	(void)ctx;
	sched_yield();
}

/* stdin is always "ready": a read then finds its end at once. */
static bool h_poll_read(void *ctx, uint64_t timeout_ns)
{
	(void)ctx;
	(void)timeout_ns;
	add(&stats.stdin_reads, 1);
	return true;
}

const struct vm_wasi_ops fuzz_wasi_ops = {
	NULL,	  h_write,  h_read,  host_clock,  h_sleep,
	h_random, h_lookup, h_yield, h_poll_read, NULL,
};
