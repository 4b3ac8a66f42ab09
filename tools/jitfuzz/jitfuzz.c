/*
 * tools/jitfuzz/jitfuzz.c: the differential fuzzer of the compiler tier
 * (docs/vm-compiler.md, "Differential fuzzing"). Each module is
 * instantiated twice in this process, on the interpreter alone and with
 * the compiler (pair.h), and every exported function is called on both
 * with the same generated arguments (args.h), round after round on the
 * same two instances so that state carries over; half the modules start
 * with both memories filled with the same random bytes, the others as
 * instantiated. After each call the results, the error (kind, trap,
 * function, offset, message), the memory and the globals and tables must
 * agree.
 *
 *   jitfuzz [-s SEED] [-n MODULES] [-t SECONDS] [-c ROUNDS] [-l MS]
 *           [-o DIR] [-w DIR] [-k] [-v] [FILE...]
 *
 * FILEs first: modules ("\0asm") or recipes for tools/wasmfuzz/gen_code.c
 * (the loader fuzzer's corpus holds both). Then modules generated from
 * seeds SEED, SEED+1, ..., each a pseudo-random recipe whose first byte
 * (gen_code.h) makes a quarter each: any features; no SIMD or reference
 * types (which the compiler does not translate); nor bulk memory, table
 * statements and saturating conversions either; i32 values only. Until -n
 * modules have run or -t seconds have passed (neither given: none). -c
 * rounds of calls per module (default 4); -l CPU milliseconds per call and
 * side (default 2000; a side stopped by it makes the module incomparable
 * from there on, and is counted). On a difference the module, its calls so
 * far and both outcomes are written to DIR (default .) as
 * jitfuzz-<name>.wasm and .txt, and jitfuzz stops with status 1 (-k: goes
 * on). Arguments and memory contents come from the module's bytes only, so
 * `jitfuzz DIR/jitfuzz-<name>.wasm` replays the same calls. -w DIR writes
 * every generated module there (seed-N.wasm), to look at with wasm2wat.
 * Ends with "jit-fuzz: N passed, N failed" (a module is one check).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../wasmfuzz/gen_code.h"
#include "args.h"
#include "pair.h"

#define MODULE_MAX (1 << 16)
#define RECIPE_MAX 1024

static struct {
	unsigned long seed, modules, seconds, rounds, limit_ms;
	const char *outdir, *dumpdir;
	bool keep_going, verbose;
} opt = {1, 0, 0, 4, 2000, ".", NULL, false, false};

static struct {
	unsigned long modules, refused, calls, traps, interrupted, mismatches;
} count;

static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Write the module, the calls made on it and the two outcomes. */
static void save(const char *name, const uint8_t *bytes, size_t len,
		 const char *calls, const char *what, int64_t mem_diff,
		 const struct outcome out[2])
{
	char path[512];
	snprintf(path, sizeof(path), "%s/jitfuzz-%s.wasm", opt.outdir, name);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(bytes, 1, len, f);
		fclose(f);
	}
	fprintf(stderr, "jit-fuzz: MISMATCH in %s: %s\n", name, what);
	if (mem_diff >= 0)
		fprintf(stderr, "  memory differs first at byte 0x%llx\n",
			(unsigned long long)mem_diff);
	pair_print_outcome(stderr, "interpreter", &out[0]);
	pair_print_outcome(stderr, "compiled   ", &out[1]);
	fprintf(stderr, "jit-fuzz: module %s, its calls in order:\n%s", path,
		calls);
	snprintf(path, sizeof(path), "%s/jitfuzz-%s.txt", opt.outdir, name);
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%s\n", what);
		if (mem_diff >= 0)
			fprintf(f, "memory differs first at byte 0x%llx\n",
				(unsigned long long)mem_diff);
		pair_print_outcome(f, "interpreter", &out[0]);
		pair_print_outcome(f, "compiled   ", &out[1]);
		fprintf(f,
			"calls in order (each on the same two instances):\n%s",
			calls);
		fclose(f);
	}
}

/* The verdict of one step; false if the module is done with. */
static bool judge(const struct pair *p, enum pair_verdict v, const char *name,
		  const uint8_t *bytes, size_t len, FILE *log, char **calls,
		  const struct outcome out[2])
{
	if (v == PAIR_SAME) {
		count.traps += out[0].err.kind != VM_OK;
		return true;
	}
	if (v == PAIR_INTERRUPTED) {
		count.interrupted++;
		return false;
	}
	count.mismatches++;
	fflush(log);
	save(name, bytes, len, *calls,
	     v == PAIR_HANG ? "compiled code ran past the time limit"
			    : "the two runs differ",
	     p->mem_diff, out);
	if (!opt.keep_going) {
		printf("jit-fuzz: stopped at the first mismatch\n");
		exit(1);
	}
	return false;
}

/* Every exported function, opt.rounds times, on one pair. */
static void calls(struct pair *p, const char *name, const uint8_t *bytes,
		  size_t len, FILE *log, char **buf)
{
	struct outcome out[2];
	uint64_t seed = fnv(bytes, len);
	const struct vm_module *m = p->s[0].m;
	if (seed & 1)
		pair_fill_memory(p, seed);
	if (!judge(p, pair_start(p, out), name, bytes, len, log, buf, out))
		return;
	fprintf(log, "  start\n");
	for (unsigned long r = 0; r < opt.rounds; r++) {
		for (uint32_t i = 0; i < vm_module_export_count(m); i++) {
			const char *e = vm_module_export_name(m, i);
			struct vm_extern x;
			if (!vm_instance_export(p->s[0].inst, e, &x) ||
			    x.kind != VM_EXTERN_FUNC)
				continue;
			const struct vm_functype *t = vm_func_type(x.u.func);
			uint64_t a[PAIR_MAX_VALUES];
			uint32_t na = args_make(&seed, t, pair_func_count(p), a,
						PAIR_MAX_VALUES);
			if (t->nparams && !na)
				continue;
			fprintf(log, "  %s", e);
			args_print(log, t, a, na);
			fprintf(log, "\n");
			count.calls++;
			if (!judge(p, pair_call(p, e, a, na, out), name, bytes,
				   len, log, buf, out))
				return;
		}
	}
}

static void fuzz_module(const char *name, const uint8_t *bytes, size_t len)
{
	struct pair p;
	struct vm_error err;
	char *buf = NULL;
	size_t n = 0;
	count.modules++;
	if (!pair_open(&p, bytes, len, (uint32_t)opt.limit_ms, &err)) {
		if (p.one_sided) {
			fprintf(stderr,
				"jit-fuzz: %s: loads or instantiates on "
				"one side only: %s\n",
				name, err.msg);
			count.mismatches++;
			if (!opt.keep_going)
				exit(1);
			return;
		}
		count.refused++;
		if (opt.verbose)
			printf("jit-fuzz: %s: not run: %s\n", name, err.msg);
		return;
	}
	FILE *log = open_memstream(&buf, &n);
	if (!log) {
		perror("jit-fuzz: open_memstream");
		exit(2);
	}
	double t0 = now();
	calls(&p, name, bytes, len, log, &buf);
	if (opt.verbose)
		printf("jit-fuzz: %s: %.2f s\n", name, now() - t0);
	fclose(log);
	free(buf);
	pair_close(&p);
}

/* A file: a module, or a recipe made into one. */
static void fuzz_file(const char *path)
{
	static uint8_t in[MODULE_MAX], made[MODULE_MAX];
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	size_t len = fread(in, 1, sizeof(in), f);
	fclose(f);
	const uint8_t *bytes = in;
	if (len < 4 || memcmp(in, "\0asm", 4) != 0) {
		len = gen_code_module(in, len, made, sizeof(made));
		bytes = made;
	}
	const char *base = strrchr(path, '/');
	fuzz_module(base ? base + 1 : path, bytes, len);
}

/* Seed s's recipe, made into a module. */
static void fuzz_seed(unsigned long s)
{
	static uint8_t recipe[RECIPE_MAX], made[MODULE_MAX];
	uint64_t st = s * 0x2545f4914f6cdd1dull;
	size_t len = 64 + args_next(&st) % (RECIPE_MAX - 64);
	for (size_t i = 0; i < len; i++)
		recipe[i] = (uint8_t)args_next(&st);
	/* a quarter each: any features; no SIMD or reference types; not
	 * those nor the other ops the compiler leaves to the interpreter;
	 * i32 values only (the ARMv7 backend's subset; gen_code.h) */
	static const uint8_t features[] = {0, 4, 12};
	uint64_t k = args_next(&st) % 4;
	if (k)
		recipe[0] = features[k - 1];
	char name[32];
	snprintf(name, sizeof(name), "seed-%lu", s);
	size_t n = gen_code_module(recipe, len, made, sizeof(made));
	if (opt.dumpdir) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s.wasm", opt.dumpdir, name);
		FILE *f = fopen(path, "wb");
		if (f) {
			fwrite(made, 1, n, f);
			fclose(f);
		}
	}
	fuzz_module(name, made, n);
}

static void report(const char *what, double t0)
{
	struct vm_jit_stats st;
	vm_jit_stats(&st);
	printf("jit-fuzz: %s %.0f s: %lu modules (%lu not instantiable), %lu "
	       "calls (%lu trapped or exited, the same way), %lu modules "
	       "stopped by the time limit, functions compiled %u (%llu bytes "
	       "of code), interpreted %u, %lu mismatches\n",
	       what, now() - t0, count.modules, count.refused, count.calls,
	       count.traps, count.interrupted, st.compiled,
	       (unsigned long long)st.code_bytes, st.fallback,
	       count.mismatches);
	fflush(stdout);
}

/* The ops that kept functions interpreted, most frequent first (5). */
static void reasons(void)
{
	uint32_t best[5] = {0}, bestn[5] = {0}, n;
	for (uint32_t op = 0; vm_jit_reason(op, &n); op++)
		for (int k = 0; k < 5; k++)
			if (n > bestn[k]) {
				memmove(&best[k + 1], &best[k],
					(4 - (size_t)k) * sizeof(best[0]));
				memmove(&bestn[k + 1], &bestn[k],
					(4 - (size_t)k) * sizeof(bestn[0]));
				best[k] = op;
				bestn[k] = n;
				break;
			}
	printf("jit-fuzz: interpreted because of:");
	for (int k = 0; k < 5 && bestn[k]; k++)
		printf(" %s %u%s", vm_jit_reason(best[k], &n), bestn[k],
		       k < 4 && bestn[k + 1] ? "," : "");
	printf("\n");
}

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);
	if (!*s || *end) {
		fprintf(stderr, "jit-fuzz: not a number: %s\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	int c;
	while ((c = getopt(argc, argv, "s:n:t:c:l:o:w:kv")) != -1) {
		switch (c) {
		case 's': opt.seed = num(optarg); break;
		case 'n': opt.modules = num(optarg); break;
		case 't': opt.seconds = num(optarg); break;
		case 'c': opt.rounds = num(optarg); break;
		case 'l': opt.limit_ms = num(optarg); break;
		case 'o': opt.outdir = optarg; break;
		case 'w': opt.dumpdir = optarg; break;
		case 'k': opt.keep_going = true; break;
		case 'v': opt.verbose = true; break;
		default:
			fprintf(stderr,
				"usage: jitfuzz [-s SEED] [-n MODULES] "
				"[-t SECONDS] [-c ROUNDS] [-l MS] [-o DIR] "
				"[-w DIR] [-k] [-v] [FILE...]\n");
			return 2;
		}
	}
	double t0 = now(), next = t0 + 60;
	for (int i = optind; i < argc; i++)
		fuzz_file(argv[i]);
	if (argc > optind)
		report("files", t0);
	for (unsigned long s = opt.seed, k = 0; opt.modules || opt.seconds;
	     s++, k++) {
		if ((opt.modules && k >= opt.modules) ||
		    (opt.seconds && now() - t0 >= (double)opt.seconds))
			break;
		fuzz_seed(s);
		if (now() >= next) {
			char what[64];
			snprintf(what, sizeof(what), "at seed %lu,", s);
			report(what, t0);
			next += 60;
		}
	}
	report("done in", t0);
	reasons();
	printf("jit-fuzz: %lu passed, %lu failed\n",
	       count.modules - count.mismatches, count.mismatches);
	return count.mismatches != 0;
}
