/*
 * The `fuzz` boot (see <kernel/fuzz.h>): every file of the ramdisk runs
 * as a program, as the shell's `run NAME &` starts one (program_spawn),
 * twice: once to its end or its time limit, once killed after a
 * pseudo-random delay. After each run the kernel's counters must be back
 * where they were before it (fuzz_counts_same). The output is a KTAP
 * document, one line per file, and the closing "N passed, N failed".
 */
#include <arch/ops.h>
#include <arch/timer.h>
#include <kernel/console.h>
#include <kernel/fuzz.h>
#include <kernel/printk.h>
#include <kernel/program.h>
#include <kernel/ramdisk.h>
#include <kernel/sched.h>
#include <kernel/tick.h>
#include <lib/err.h>
#include <stdarg.h>
#include <string.h>

/*
 * The warm-up, run before the counters are first taken: a WASI command
 * that writes a line, so every path of a run (module, value stack, linear
 * memory, WASI, exit) has been taken once. The first program's run grows
 * malloc's pool, which then keeps MALLOC_TRIM_KEEP free at its end: a
 * change once, not a leak.
 *   (module
 *     (import "wasi_snapshot_preview1" "fd_write"
 *       (func $fd_write (param i32 i32 i32 i32) (result i32)))
 *     (memory 1)
 *     (data (i32.const 0) "\08\00\00\00\08\00\00\00warm-up\n")
 *     (func (export "_start")
 *       (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1)
 *                             (i32.const 16)))))
 */
static const uint8_t warm_up_module[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0c, 0x02,
	0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00,
	0x02, 0x23, 0x01, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e,
	0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76,
	0x69, 0x65, 0x77, 0x31, 0x08, 0x66, 0x64, 0x5f, 0x77, 0x72, 0x69,
	0x74, 0x65, 0x00, 0x00, 0x03, 0x02, 0x01, 0x01, 0x05, 0x03, 0x01,
	0x00, 0x01, 0x07, 0x0a, 0x01, 0x06, 0x5f, 0x73, 0x74, 0x61, 0x72,
	0x74, 0x00, 0x01, 0x0a, 0x0f, 0x01, 0x0d, 0x00, 0x41, 0x01, 0x41,
	0x00, 0x41, 0x01, 0x41, 0x10, 0x10, 0x00, 0x1a, 0x0b, 0x0b, 0x16,
	0x01, 0x00, 0x41, 0x00, 0x0b, 0x10, 0x08, 0x00, 0x00, 0x00, 0x08,
	0x00, 0x00, 0x00, 0x77, 0x61, 0x72, 0x6d, 0x2d, 0x75, 0x70, 0x0a,
};
#define WARM_UP_NAME "fuzz-warm-up.wasm"

/* xorshift32: the kill delays, repeatable from the printed seed. */
static uint32_t next_random(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/* A third of the kills within 1 ms of the start (while the module loads
 * and compiles), a third within 10 ms (instantiation: the value stack and
 * linear memory are allocated and zeroed), a third within 50 ms (running,
 * or after the end for short runs). */
static uint32_t pick_delay_us(uint32_t *state)
{
	uint32_t r = next_random(state);

	switch (r % 3) {
	case 0: return next_random(state) % 1000;
	case 1: return 1000 + next_random(state) % 9000;
	default: return 10000 + next_random(state) % 40000;
	}
}

static int spawn_file(void *arg)
{
	const struct ramdisk_file *f = arg;
	const char *argv[] = {f->name, NULL};

	return program_spawn(1, argv, 0);
}

/* What happened in one run, for the file's KTAP line. */
static void describe(char *buf, size_t size, const struct fuzz_run *r)
{
	unsigned ms = r->kill_after_us / 1000, us = r->kill_after_us % 1000;
	unsigned sent_ms = (unsigned)(r->kill_sent_us / 1000);
	unsigned sent_us = (unsigned)(r->kill_sent_us % 1000);

	if (r->stuck)
		snprintf(buf, size, "still running 10 s after its kill");
	else if (r->kill && r->killed)
		snprintf(buf, size, "killed at %u.%03u ms (aimed at %u.%03u)",
			 sent_ms, sent_us, ms, us);
	else if (r->kill)
		snprintf(buf, size,
			 "ended before its kill at %u.%03u ms (aimed at "
			 "%u.%03u; status %d)",
			 sent_ms, sent_us, ms, us, r->status);
	else if (r->timed_out)
		snprintf(buf, size, "timed out (killed)");
	else if (r->status == PROC_EXIT_STACK)
		snprintf(buf, size, "stack overflow (status %d)", r->status);
	else
		snprintf(buf, size, "status %d in %llu ms", r->status,
			 (unsigned long long)(r->ran_us / 1000));
}

/* Run once and check the counters. false if the run failed; `diag` says
 * what happened and, if something was left behind, what. */
static bool run_checked(const struct ramdisk_file *f, struct fuzz_run *r,
			char *diag, size_t size)
{
	struct fuzz_counts before, after;
	char what[80], left[200];

	fuzz_counts_take(&before);
	int rc = fuzz_run_one(spawn_file, (void *)f, r);
	if (rc < 0) {
		snprintf(diag, size, "cannot start it: %s", err_name(rc));
		return false;
	}
	describe(what, sizeof(what), r);
	if (r->stuck) {
		snprintf(diag, size, "%s", what);
		return false;
	}
	fuzz_counts_take(&after);
	bool same = fuzz_counts_same(&before, &after, left, sizeof(left));
	if (same)
		snprintf(diag, size, "%s", what);
	else
		snprintf(diag, size, "%s: left behind %s", what, left);
	return same && r->status != PROC_EXIT_STACK;
}

/* A failed run's captured output, as KTAP diagnostic lines. */
static void show_output(const char *label, const struct fuzz_run *r)
{
	char line[100];
	size_t n = 0;

	if (!r->output_bytes)
		return;
	console_printf("# %s output (%zu bytes%s):\n", label, r->output_bytes,
		       r->kept < r->output_bytes ? ", the first ones" : "");
	for (size_t i = 0; i < r->kept; i++) {
		unsigned char c = (unsigned char)r->output[i];
		if (c != '\n' && n + 5 < sizeof(line))
			n += (size_t)snprintf(
				line + n, sizeof(line) - n,
				c >= 32 && c < 127 ? "%c" : "\\x%02x", c);
		if (c == '\n' || n + 5 >= sizeof(line) || i + 1 == r->kept) {
			console_printf("#   %.*s\n", (int)n, line);
			n = 0;
		}
	}
}

/* Ramdisk files of the run: every file but the warm-up module. */
static bool is_warm_up(const struct ramdisk_file *f)
{
	return f->data == warm_up_module;
}

/* Both runs of file number `index`, its KTAP line, and the output of a
 * failed run. *stuck: a process did not end after its kill. */
static bool fuzz_file(const struct ramdisk_file *f, int index,
		      unsigned limit_ms, uint32_t *rng, bool *stuck)
{
	static char watchdog_what[RAMDISK_NAME_MAX + 40];
	static struct fuzz_run full, killed;
	char diag_full[320], diag_kill[320];

	/* Each run ends within its limit, or 10 s after its kill. */
	snprintf(watchdog_what, sizeof(watchdog_what), "the fuzz runs of %s",
		 f->name);
	tick_set_watchdog(2 * (limit_ms + 15000ull), watchdog_what);
	memset(&full, 0, sizeof(full));
	full.limit_ms = limit_ms;
	bool ok_full = run_checked(f, &full, diag_full, sizeof(diag_full));
	memset(&killed, 0, sizeof(killed));
	killed.limit_ms = limit_ms;
	killed.kill = true;
	killed.kill_after_us = pick_delay_us(rng);
	bool ok_kill = false;
	if (!full.stuck)
		ok_kill = run_checked(f, &killed, diag_kill, sizeof(diag_kill));
	else
		snprintf(diag_kill, sizeof(diag_kill), "not run");
	tick_set_watchdog(0, NULL);

	bool ok = ok_full && ok_kill;
	console_printf("%s %d %s # %s; %s\n", ok ? "ok" : "not ok", index,
		       f->name, diag_full, diag_kill);
	if (!ok_full)
		show_output("its run's", &full);
	if (!ok_kill)
		show_output("the killed run's", &killed);
	*stuck = full.stuck || killed.stuck;
	return ok;
}

int fuzz_boot_run(unsigned limit_ms, uint32_t seed)
{
	static struct fuzz_run warm;
	struct fuzz_counts start, end;
	char diag[320], left[200];
	uint32_t rng = seed ? seed : 1;
	int passed = 0, failed = 0, index = 0;

	if (!limit_ms)
		limit_ms = FUZZ_DEFAULT_LIMIT_MS;
	int rc = ramdisk_add_file(&kernel_ramdisk, WARM_UP_NAME, warm_up_module,
				  sizeof(warm_up_module));
	unsigned files = 0;
	for (unsigned i = 0; i < kernel_ramdisk.count; i++)
		files += !is_warm_up(ramdisk_file_at(&kernel_ramdisk, i));

	console_printf("KTAP version 1\n");
	console_printf("# fuzz: %u ramdisk files, each run to its end (time "
		       "limit %u ms) "
		       "and once killed after a delay (seed %lu)\n",
		       files, limit_ms, (unsigned long)seed);
	if (kernel_ramdisk.dropped)
		console_printf(
			"# fuzz: %u more files did not fit in the ramdisk's "
			"table\n",
			kernel_ramdisk.dropped);
	console_printf("1..%u\n", files);
	if (!files) {
		/* A fuzz boot without its ramdisk tested nothing. */
		console_printf(
			"Bail out! the ramdisk has no files (give it one: "
			"make fuzz-ramdisk)\n0 passed, 1 failed\n");
		return 1;
	}

	/* The warm-up (or, if it cannot be added, the first file). */
	const struct ramdisk_file *w =
		rc == 0 ? ramdisk_find(&kernel_ramdisk, WARM_UP_NAME)
			: ramdisk_file_at(&kernel_ramdisk, 0);
	memset(&warm, 0, sizeof(warm));
	warm.limit_ms = limit_ms;
	run_checked(w, &warm, diag, sizeof(diag));
	console_printf("# warm-up with %s: %s\n", w->name, diag);
	bool stuck = warm.stuck;

	uint64_t t0 = arch_time_ns();
	fuzz_counts_take(&start);
	for (unsigned i = 0; i < kernel_ramdisk.count && !stuck; i++) {
		const struct ramdisk_file *f =
			ramdisk_file_at(&kernel_ramdisk, i);
		if (is_warm_up(f))
			continue;
		if (fuzz_file(f, ++index, limit_ms, &rng, &stuck))
			passed++;
		else
			failed++;
	}
	if (stuck) {
		/* The process may still hold anything: later counts would
		 * mean nothing. */
		console_printf(
			"Bail out! a process does not end after its kill\n");
		proc_dump("# ");
		failed += (int)files - index;
	}
	uint64_t secs10 = (arch_time_ns() - t0) / 100000000ull;
	fuzz_counts_take(&end);
	bool same = fuzz_counts_same(&start, &end, left, sizeof(left));
	console_printf("# fuzz: %d runs in %llu.%llu s; %s%s\n", 2 * index,
		       (unsigned long long)(secs10 / 10),
		       (unsigned long long)(secs10 % 10),
		       same ? "nothing left behind in all"
			    : "left behind in all: ",
		       same ? "" : left);
	console_printf("%d passed, %d failed\n", passed, failed);
	return failed;
}
