/*
 * tools/wasmfuzz/wasmgen.c: write the seed corpus of the run-path fuzzer,
 * which the kernel's fuzz mode runs too: modules of gen.c's tame classes
 * from pseudo-random recipes, each run through run.c (the kernel's path)
 * and kept only if it behaves as its class says, quickly enough for an
 * emulated kernel, without reading stdin and with little output.
 *
 *   wasmgen [-s SEED] [-n EXIT,TRAP,LOOP,THRD] DIR
 *   wasmgen -r INPUT OUT.wasm    the module a fuzzer input (a recipe) ran
 *   wasmgen -t MS FILE...        run each (module or recipe) as the fuzzer
 *                                does, with a time limit, and say how it ended
 *
 * Files are DIR/<class>-NNN.wasm (exit-000.wasm, trap-..., loop-...,
 * thrd-...). The recipes depend only on SEED; which of them are kept
 * depends on timing too, so a rerun may pick a few differently.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "run.h"

#define MODULE_MAX  4096 /* bytes: "at most a few KiB" */
#define RECIPE_LEN  512
#define MAX_WRITTEN 1024
#define MAX_TRIES   200000
/* Host time limits: an emulated kernel runs the VM 20-50 times slower,
 * so 2 ms here is about 0.1 s there. */
#define QUICK_NS   2000000u
#define THREADS_NS 20000000u
#define LOOP_NS	   50000000u

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static bool fits(enum gen_class cls, const struct fuzz_outcome *o)
{
	if (o->hooks.stdin_reads || o->hooks.written > MAX_WRITTEN)
		return false;
	bool quick = o->ns < QUICK_NS && o->hooks.sleep_ns == 0;
	switch (cls) {
	case GEN_EXIT:
		return quick &&
		       (o->end == FUZZ_RETURNED || o->end == FUZZ_EXITED);
	case GEN_TRAP: return quick && o->end == FUZZ_TRAPPED;
	case GEN_LOOP: return o->end == FUZZ_STOPPED;
	case GEN_THREADS:
		return o->threads > 0 && o->ns < THREADS_NS &&
		       o->end != FUZZ_STOPPED && o->end != FUZZ_REFUSED;
	default: return false;
	}
}

/* Twice, so that a module that only once ended as its class is dropped. */
static bool keep(enum gen_class cls, const uint8_t *m, size_t n)
{
	struct fuzz_outcome o;
	uint64_t limit = cls == GEN_LOOP ? LOOP_NS : 2 * THREADS_NS;
	for (int i = 0; i < 2; i++) {
		fuzz_run(m, n, limit, &o);
		if (!fits(cls, &o))
			return false;
	}
	return true;
}

/* FNV-1a, to skip a module written already. */
static uint64_t hash(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

static int write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "wasmgen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* -r: a recipe the fuzzer saved (a crash) as the module it stands for,
 * to keep in the corpus as a regression. */
static int from_input(const char *in, const char *out)
{
	static uint8_t buf[1 << 16], module[1 << 16];
	FILE *f = fopen(in, "rb");
	if (!f) {
		fprintf(stderr, "wasmgen: %s: %s\n", in, strerror(errno));
		return 1;
	}
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (n >= 4 && memcmp(buf, "\0asm", 4) == 0) {
		fprintf(stderr, "wasmgen: %s is a module already\n", in);
		return 1;
	}
	size_t m = gen_from_input(buf, n, module, sizeof(module));
	return m && !write_file(out, module, m) ? 0 : 1;
}

/* -t: how each input ends, for triage and for checking the corpus. */
static int tell(int argc, char **argv)
{
	static const char *const ends[] = {"refused", "returned", "exited",
					   "trapped", "stopped"};
	static uint8_t buf[1 << 16], module[1 << 16];
	uint64_t limit = strtoull(argv[0], NULL, 0) * 1000000u;
	for (int i = 1; i < argc; i++) {
		struct fuzz_outcome o;
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			fprintf(stderr, "wasmgen: %s: %s\n", argv[i],
				strerror(errno));
			return 1;
		}
		size_t n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		if (n < 4 || memcmp(buf, "\0asm", 4) != 0) {
			n = gen_from_input(buf, n, module, sizeof(module));
			memcpy(buf, module, n);
		}
		fuzz_run(buf, n, limit, &o);
		printf("%s: %s status %d, %d threads, %.3f ms, %llu bytes "
		       "out, %llu stdin reads, %llu ns slept%s%s\n",
		       argv[i], ends[o.end], o.status, o.threads, o.ns / 1e6,
		       (unsigned long long)o.hooks.written,
		       (unsigned long long)o.hooks.stdin_reads,
		       (unsigned long long)o.hooks.sleep_ns, *o.msg ? ": " : "",
		       o.msg);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static uint64_t seen[4096];
	static uint8_t module[MODULE_MAX];
	uint8_t recipe[RECIPE_LEN];
	unsigned want[GEN_NCLASSES] = {0, 200, 40, 20, 40};
	uint64_t seed = 12;
	int nseen = 0, opt = 1;

	if (argc == 4 && strcmp(argv[1], "-r") == 0)
		return from_input(argv[2], argv[3]);
	if (argc >= 4 && strcmp(argv[1], "-t") == 0)
		return tell(argc - 2, argv + 2);
	for (; opt + 1 < argc && argv[opt][0] == '-'; opt += 2) {
		if (strcmp(argv[opt], "-s") == 0)
			seed = strtoull(argv[opt + 1], NULL, 0);
		else if (strcmp(argv[opt], "-n") != 0 ||
			 sscanf(argv[opt + 1], "%u,%u,%u,%u", &want[1],
				&want[2], &want[3], &want[4]) != 4)
			break;
	}
	if (opt + 1 != argc) {
		fprintf(stderr, "usage: wasmgen [-s SEED] "
				"[-n EXIT,TRAP,LOOP,THRD] DIR\n"
				"       wasmgen -r INPUT OUT.wasm\n"
				"       wasmgen -t MS FILE...\n");
		return 2;
	}
	for (int c = GEN_EXIT; c < GEN_NCLASSES; c++) {
		uint64_t s = seed * 1000003u + (uint64_t)c;
		unsigned made = 0, tries = 0;
		for (; made < want[c] && tries < MAX_TRIES; tries++) {
			for (int i = 0; i < RECIPE_LEN; i += 8) {
				uint64_t v = splitmix(&s);
				memcpy(recipe + i, &v, 8);
			}
			size_t n = gen_module(recipe, sizeof(recipe),
					      (enum gen_class)c, module,
					      sizeof(module));
			uint64_t h = hash(module, n);
			bool dup = false;
			for (int i = 0; i < nseen && !dup; i++)
				dup = seen[i] == h;
			if (!n || dup || !keep((enum gen_class)c, module, n))
				continue;
			if (nseen < (int)(sizeof(seen) / sizeof(seen[0])))
				seen[nseen++] = h;
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s-%03u.wasm",
				 argv[opt], gen_class_name[c], made++);
			if (write_file(path, module, n))
				return 1;
		}
		printf("wasmgen: %s: %u modules (%u recipes tried)\n",
		       gen_class_name[c], made, tries);
		if (made < want[c])
			return 1;
	}
	return 0;
}
