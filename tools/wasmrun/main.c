/*
 * tools/wasmrun/main.c: run a WASI command module on the host.
 *
 *   wasmrun [--dir HOST[:GUEST]]... [--no-cwd] FILE.wasm [ARGS...]
 *   wasmrun --invoke FUNC FILE.wasm [VALUE...]
 *
 * The second form calls export FUNC with the values (invoke.c) instead of
 * `_start`, and prints its results, one a line (several with multi-value).
 *
 * Exit status is the program's (proc_exit or 0 when _start returns). A
 * trap prints "wasmrun: trap: <kind> (function N, code offset 0x..)" on
 * stderr and exits 134, like an abort but without a signal. A module that
 * fails to load or link exits 1 with the VM's message.
 *
 * Preopens, in descriptor order: 3 "/", the host's root, read-only (the
 * lookup hook); then each --dir HOST[:GUEST] in the order given (GUEST
 * defaults to HOST), read-write through host_fs.c; then the current
 * directory as "." unless --no-cwd or a --dir already named ".". wasi-libc
 * strips "/" and "." to the same empty prefix and, of preopens whose
 * prefixes match a path equally well, takes the one with the highest
 * descriptor: "." comes last so that a relative path (made "/name" by
 * wasi-libc's default working directory "/") opens in the current
 * directory, as under wasm3 and `wasmtime --dir .`. The price: an
 * absolute path outside every --dir GUEST resolves there too, so pass
 * --no-cwd to reach the host's root by absolute paths. Threads
 * (wasi-threads, shared memories): threads.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "host_fs.h"
#include "host_ops.h"
#include "invoke.h"
#include "threads.h"
#include <vm/vm.h>
#include <vm/wasi.h>

extern char **environ;

static long h_write(void *ctx, int fd, const void *buf, size_t len)
{
	(void)ctx;
	size_t done = 0;
	while (done < len) {
		ssize_t r = write(fd, (const char *)buf + done, len - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return done ? (long)done : -1;
		done += (size_t)r;
	}
	return (long)done;
}

static long h_read(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	ssize_t r;
	do
		r = read(0, buf, len);
	while (r < 0 && errno == EINTR);
	return r;
}

static void h_sleep(void *ctx, uint64_t ns)
{
	(void)ctx;
	struct timespec ts = {(time_t)(ns / 1000000000u),
			      (long)(ns % 1000000000u)};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void h_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	size_t done = 0;
	while (done < len) {
		ssize_t r = getrandom((char *)buf + done, len - done, 0);
		if (r <= 0)
			break;
		done += (size_t)r;
	}
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	uint8_t *b = malloc(cap);
	for (;;) {
		if (!b)
			break;
		size_t r = fread(b + n, 1, cap - n, f);
		n += r;
		if (n < cap)
			break;
		uint8_t *nb = realloc(b, cap *= 2);
		if (!nb) {
			free(b);
			b = NULL;
		}
		b = nb;
	}
	fclose(f);
	*len = n;
	return b;
}

/* Files of the preopened root: the host's, read whole and kept. */
static bool h_lookup(void *ctx, const char *path, size_t len,
		     const uint8_t **data, uint64_t *size)
{
	(void)ctx;
	char full[4096];
	size_t n;
	if (len + 2 > sizeof(full))
		return false;
	full[0] = '/';
	memcpy(full + 1, path, len);
	full[len + 1] = 0;
	int fd = open(full, O_RDONLY | O_NOFOLLOW);
	if (fd < 0)
		return false;
	close(fd);
	uint8_t *b = slurp(full, &n);
	if (!b)
		return false;
	*data = b;
	*size = n;
	return true;
}

/* poll(2) takes milliseconds: a timeout is rounded up, so the program
 * never wakes before its deadline. POLLHUP/POLLERR count as ready: the
 * read that follows returns end of input or the error. */
static bool h_poll_read(void *ctx, uint64_t timeout_ns)
{
	(void)ctx;
	struct pollfd p = {0, POLLIN, 0};
	uint64_t ms = timeout_ns / 1000000 + (timeout_ns % 1000000 != 0);
	int r;
	do
		r = poll(&p, 1,
			 timeout_ns == UINT64_MAX ? -1
			 : ms > 0x7fffffff	  ? 0x7fffffff
						  : (int)ms);
	while (r < 0 && errno == EINTR);
	return r != 0;
}

static const struct vm_wasi_ops wasi_ops = {
	NULL,	  h_write,  h_read, host_clock,	 h_sleep,
	h_random, h_lookup, NULL,   h_poll_read, &host_fs_ops,
};

/*
 * A WASI command's entry: the export `_start` of type () -> (). Anything
 * else (parameters, a result, another kind) is not a command: say so
 * rather than call it with arguments it does not get.
 */
static struct vm_func *command_start(const struct vm_instance *inst,
				     const char *path)
{
	struct vm_extern start;
	const struct vm_functype *t;

	if (!vm_instance_export(inst, "_start", &start) ||
	    start.kind != VM_EXTERN_FUNC) {
		fprintf(stderr,
			"wasmrun: %s: no _start function: not a WASI "
			"command\n",
			path);
		return NULL;
	}
	t = vm_func_type(start.u.func);
	if (t->nparams || t->nresults) {
		fprintf(stderr,
			"wasmrun: %s: _start takes %u parameter(s) and returns "
			"%u result(s), not () -> (): not a WASI command\n",
			path, (unsigned)t->nparams, (unsigned)t->nresults);
		return NULL;
	}
	return start.u.func;
}

/* The VM's default limits; any number of threads (as many as the table
 * holds); a thread's exit or trap ends the process. */
static const struct wasmrun_config config = {0, 0, 0, false};

int main(int argc, char **argv)
{
	struct vm_error err;
	size_t len;
	int envc = 0;
	const char *invoke = NULL;
	const struct vm_host_ops *ops = &host_ops;
	bool jit_stats = false, cwd = true;

	for (;;) {
		if (argc >= 3 && !strcmp(argv[1], "--invoke")) {
			invoke = argv[2];
			argc -= 2;
			argv += 2;
		} else if (argc >= 2 && !strcmp(argv[1], "--interp")) {
			ops = &host_ops_interp; /* no code memory: no compiler
						 */
			argc--;
			argv++;
		} else if (argc >= 3 && !strcmp(argv[1], "--dir")) {
			char *guest = strchr(argv[2], ':');
			if (guest)
				*guest++ = 0;
			int r = !*argv[2] || (guest && !*guest)
					? -EINVAL
					: host_fs_add(argv[2],
						      guest ? guest : argv[2]);
			if (r) {
				fprintf(stderr,
					"wasmrun: --dir %s: %s (HOST[:GUEST], "
					"at most 16)\n",
					argv[2], strerror(-r));
				return 2;
			}
			argc -= 2;
			argv += 2;
		} else if (argc >= 2 && !strcmp(argv[1], "--no-cwd")) {
			cwd = false;
			argc--;
			argv++;
		} else if (argc >= 2 && !strcmp(argv[1], "--jit-stats")) {
			jit_stats = true;
			argc--;
			argv++;
		} else {
			break;
		}
	}
	if (argc < 2) {
		fprintf(stderr,
			"usage: wasmrun [--interp] [--jit-stats] [--dir "
			"HOST[:GUEST]]... [--no-cwd] FILE.wasm [ARGS...]\n"
			"       wasmrun [--interp] [--jit-stats] --invoke FUNC "
			"FILE.wasm [VALUE...]\n"
			"  --interp     the interpreter only (no compiler)\n"
			"  --jit-stats  functions compiled and why others were "
			"not, at exit\n"
			"  --dir HOST[:GUEST]  preopen host directory HOST as "
			"GUEST (default HOST), read-write\n"
			"  --no-cwd     no \".\" preopen of the current "
			"directory\n");
		return 2;
	}
	if (cwd && !host_fs_has(".") && host_fs_add(".", ".")) {
		fprintf(stderr, "wasmrun: too many preopens (at most 16)\n");
		return 2;
	}
	uint8_t *bytes = slurp(argv[1], &len);
	if (!bytes) {
		fprintf(stderr, "wasmrun: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	struct vm_module *m = vm_module_load(ops, bytes, len, &err);
	free(bytes);
	if (!m) {
		fprintf(stderr, "wasmrun: %s: %s\n", argv[1], err.msg);
		return 1;
	}
	while (environ[envc])
		envc++;
	struct wasmrun_ctx *ctx = wasmrun_threads_init(
		m, &wasi_ops, &config, argc - 1, (const char *const *)argv + 1,
		envc, (const char *const *)environ);
	struct vm_thread *th = wasmrun_thread_new();
	struct vm_instance *inst =
		th && ctx ? vm_instantiate(m, wasmrun_resolve, ctx, &err)
			  : NULL;
	if (!inst) {
		fprintf(stderr, "wasmrun: %s: %s\n", argv[1],
			th && ctx ? err.msg : "out of memory");
		return 1;
	}
	struct vm_memory *mem = vm_instance_memory(inst);
	if (mem && vm_memory_shared(mem))
		vm_memory_set_sync(mem, &wasmrun_sync_ops);
	/* Refused before any of its code runs, the start function's too. */
	struct vm_func *start = invoke ? NULL : command_start(inst, argv[1]);
	if (!start && !invoke)
		return 1;
	enum vm_err_kind k = vm_instance_start(inst, th, &err);
	int status = 0;
	if (k == VM_OK && invoke)
		status = wasmrun_invoke(inst, th, invoke, argc - 2, argv + 2);
	else if (k == VM_OK)
		k = vm_call(th, start, NULL, 0, NULL, 0, &err);
	if (k == VM_ERR_EXIT) {
		status = err.exit_code & 0xff;
	} else if (k == VM_ERR_TRAP) {
		fprintf(stderr, "wasmrun: %s\n", err.msg);
		status = 134;
	} else if (k != VM_OK) {
		fprintf(stderr, "wasmrun: %s\n", err.msg);
		status = 1;
	}
	fflush(stdout);
	if (jit_stats)
		host_print_jit_stats(stderr);
	vm_instance_free(inst);
	wasmrun_ctx_free(ctx);
	vm_thread_free(th);
	vm_module_free(m);
	return status;
}
