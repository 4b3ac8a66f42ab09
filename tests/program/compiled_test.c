/*
 * Programs' compiled code in the kernel (docs/vm-compiler.md): recursion
 * through compiled frames, and through compiled and interpreted frames
 * alternately (each interpreted callee a nested vm_exec on the native
 * stack), goes on interpreted below the VM thread's native stack limit,
 * so it gives the interpreter's results 4000 and 5000 deep and ends in its
 * `call stack exhausted` trap at the call depth limit, never in a fault on the
 * guard page. Run in a program's own process (its recorded stack) and in
 * the test runner's (init, on the boot stack). With the compiler off
 * (VM_COMPILER=n, `interp`, run -i) the same cases pass interpreted.
 */
#include <kernel/console.h>
#include <kernel/program.h>
#include <kernel/ramdisk.h>
#include <kernel/sched.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/mm.h>
#include <string.h>
#include <vm/vm.h>

#include "compiled_modules.h"
#include "program_testlib.h"

#define ADD(name)                                                              \
	test_ramdisk_add("kc-" #name ".wasm", mod_##name, sizeof(mod_##name))

/* The console's output while a program runs: the trap's report. */
static char seen[512];
static size_t seen_len;

static void seen_write(struct console *con, const char *s, size_t n)
{
	size_t room = sizeof(seen) - 1 - seen_len;
	n = n < room ? n : room;
	memcpy(seen + seen_len, s, n);
	seen_len += n;
	seen[seen_len] = '\0';
}

static struct console watch = {.name = "ktest-compiled", .write = seen_write};

/* Exit status of program `name`, in this process (spawned: false) or a
 * process of its own; the console's output in `seen`. */
static int run_watched(const char *name, bool spawned, unsigned flags)
{
	const char *argv[] = {name, NULL};
	struct program_opts opts = {0, flags};
	int status = -1;

	seen_len = 0;
	seen[0] = '\0';
	console_register(&watch);
	if (spawned) {
		int pid = program_spawn_opts(1, argv, 0, &opts);
		if (pid > 0 && proc_wait(pid, &status) < 0)
			status = -1;
	} else {
		status = program_run_opts(name, 1, argv, &opts);
	}
	console_unregister(&watch);
	return status;
}

static bool exhausted(void)
{
	static const char want[] = "call stack exhausted";

	for (const char *p = seen; *p; p++)
		if (strncmp(p, want, sizeof(want) - 1) == 0)
			return true;
	return false;
}

/* The depth limit is the trap, in both kinds of process; recursion
 * within it returns its depth (mod 256: an exit status). */
static void run_all(struct ktest *t, unsigned flags)
{
	static const bool where[] = {true, false};

	ADD(altdeep);
	ADD(alt3);
	ADD(alt16);
	ADD(recdeep);
	ADD(rec100);
	ADD(rec5000);
	ADD(alt4000);
	for (unsigned i = 0; i < 2; i++) {
		bool sp = where[i];
		KT_EXPECT_EQ(t, run_watched("kc-altdeep.wasm", sp, flags),
			     PROGRAM_TRAP_STATUS);
		KT_EXPECT_MSG(t, exhausted(), "altdeep (%s): %s",
			      sp ? "spawned" : "init", seen);
		KT_EXPECT_EQ(t, run_watched("kc-recdeep.wasm", sp, flags),
			     PROGRAM_TRAP_STATUS);
		KT_EXPECT_MSG(t, exhausted(), "recdeep (%s): %s",
			      sp ? "spawned" : "init", seen);
		KT_EXPECT_EQ(t, run_watched("kc-alt3.wasm", sp, flags), 3);
		KT_EXPECT_EQ(t, run_watched("kc-alt16.wasm", sp, flags), 16);
		KT_EXPECT_EQ(t, run_watched("kc-rec100.wasm", sp, flags), 100);
		KT_EXPECT_EQ(t, run_watched("kc-rec5000.wasm", sp, flags),
			     5000 % 256);
		KT_EXPECT_EQ(t, run_watched("kc-alt4000.wasm", sp, flags),
			     4000 % 256);
	}
}

KTEST(compiled, deep_recursion_never_leaves_the_native_stack)
{
	NEEDS_SBRK(t);
	struct vm_jit_stats before, after;

	vm_jit_stats(&before);
	run_all(t, 0);
	vm_jit_stats(&after);
	if (program_compiler_on()) {
		/* ping and rec compiled, pong left to the interpreter, in
		 * each new instance */
		KT_EXPECT(t, after.compiled >= before.compiled + 14);
		KT_EXPECT(t, after.fallback >= before.fallback + 8);
	} else {
		KT_EXPECT_EQ(t, after.compiled, before.compiled);
	}
	ktest_log(t, "functions compiled %lu, interpreted %lu in this case",
		  (unsigned long)(after.compiled - before.compiled),
		  (unsigned long)(after.fallback - before.fallback));
}

KTEST(compiled, run_i_keeps_a_program_interpreted)
{
	NEEDS_SBRK(t);
	struct vm_jit_stats before, after;

	vm_jit_stats(&before);
	run_all(t, PROGRAM_INTERP);
	vm_jit_stats(&after);
	KT_EXPECT_EQ(t, after.compiled, before.compiled);
	KT_EXPECT_EQ(t, after.fallback, before.fallback);
}
