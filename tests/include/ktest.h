/*
 * ktest: one unit-test framework for the host and the kernel.
 *
 * A case is written once:
 *
 *     KTEST(pmm, alloc_then_free)
 *     {
 *         size_t before = pmm_free_pages();
 *         paddr_t pa = pmm_alloc(0, PMM_ZONE_NORMAL, PMM_OWNER_TEST);
 *
 *         KT_ASSERT(t, pa != PMM_NO_PAGE);
 *         KT_EXPECT_EQ(t, pmm_free_pages(), before - 1);
 *         KT_EXPECT_EQ(t, pmm_free(pa, 0), 0);
 *     }
 *
 * and compiles both into the host test binary (tests/host.mk: HOSTCC with
 * ASan/UBSan) and into the kernel. Cases register themselves in the
 * `ktest_cases` linker section. The runner (tests/framework/ktest.c) runs
 * the suites in the order their first case was linked, and a suite's cases
 * in source order (file, then line). It prints KTAP v1: one top-level line
 * per suite, one nested line per case, then a closing line
 * "N passed, N failed" counting cases (", N skipped" is appended when a
 * case was skipped).
 *
 * Every KT_EXPECT and KT_ASSERT form counts as one expectation of the case,
 * whether it holds or not. The case's result line gives the count
 * ("ok 3 name # 5 expectations"), and a case that ends without a failure,
 * without KT_SKIP and with no expectation counted is reported as
 * "not ok ... # no expectation checked": a test that checks nothing fails.
 *
 * Every macro takes the case context `t` explicitly so a helper function can
 * report against the case that called it.
 */
#ifndef KTEST_H
#define KTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The context of the running case, passed to its body as `t`. */
struct ktest {
	const char *suite;
	const char *name;
	int expectations; /* KT_EXPECT and KT_ASSERT forms evaluated */
	int failures; /* failed expectations and direct ktest_fail() calls */
	bool skipped;
	const char *skip_reason;
};

typedef void (*ktest_fn)(struct ktest *t);

struct ktest_case {
	const char *suite;
	const char *name;
	ktest_fn fn;
	const char *file;
	int line; /* cases of a suite run in source order: (file, line) */
};

/* The cases' section. Its name is also spelt in the __start_/__stop_
 * symbols ktest.c reads and in the kernel linker scripts. */
#define KTEST_SECTION "ktest_cases"

#define KTEST(suite, name)                                                     \
	static void ktest_##suite##_##name(struct ktest *t);                   \
	static const struct ktest_case ktest_case_##suite##_##name             \
		__attribute__((used, section(KTEST_SECTION),                   \
			       aligned(sizeof(void *)))) = {                   \
			#suite, #name, ktest_##suite##_##name, __FILE__,       \
			__LINE__};                                             \
	static void ktest_##suite##_##name(struct ktest *t)

/* Record a failure with a printf-style explanation; the case continues.
 * The KT_ macros call it; a direct call is a failure without an
 * expectation counted (for a helper that found its setup broken). */
void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));

/* Print a KTAP diagnostic line ("    # ...") under the current case. */
void ktest_log(struct ktest *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Count one expectation of `t`. The macros call it before the condition
 * with a comma (not `&&`), so the compiler sees the condition always
 * evaluated, as it is. */
static inline void ktest_count(struct ktest *t)
{
	t->expectations++;
}

/*
 * The KT_EXPECT forms evaluate to whether the expectation held; on failure
 * they record it (file, line and a message) and the case continues. The
 * message arguments are evaluated only on failure.
 */
#define KT_EXPECT(t, cond)                                                     \
	((ktest_count(t), (cond))                                              \
		 ? true                                                        \
		 : (ktest_fail((t), __FILE__, __LINE__, "expected %s", #cond), \
		    false))

/* KT_EXPECT with a printf-style message of its own. */
#define KT_EXPECT_MSG(t, cond, ...)                                            \
	((ktest_count(t), (cond))                                              \
		 ? true                                                        \
		 : (ktest_fail((t), __FILE__, __LINE__, __VA_ARGS__), false))

/* Integer equality: both sides are converted to long long, compared and
 * printed as such. */
#define KT_EXPECT_EQ(t, a, b)                                                  \
	({                                                                     \
		long long ka_ = (long long)(a), kb_ = (long long)(b);          \
		ktest_count(t);                                                \
		ka_ == kb_ ? true                                              \
			   : (ktest_fail((t), __FILE__, __LINE__,              \
					 "%s == %s: %lld != %lld", #a, #b,     \
					 ka_, kb_),                            \
			      false);                                          \
	})

/* Integer inequality, widened the same way. */
#define KT_EXPECT_NE(t, a, b)                                                  \
	({                                                                     \
		long long ka_ = (long long)(a), kb_ = (long long)(b);          \
		ktest_count(t);                                                \
		ka_ != kb_ ? true                                              \
			   : (ktest_fail((t), __FILE__, __LINE__,              \
					 "%s != %s: both %lld", #a, #b, ka_),  \
			      false);                                          \
	})

/* String equality; either side may be NULL (equal only to NULL). */
bool ktest_streq(const char *a, const char *b);

#define KT_EXPECT_STREQ(t, a, b)                                               \
	({                                                                     \
		const char *ka_ = (a), *kb_ = (b);                             \
		ktest_count(t);                                                \
		ktest_streq(ka_, kb_)                                          \
			? true                                                 \
			: (ktest_fail((t), __FILE__, __LINE__,                 \
				      "%s == %s: \"%s\" != \"%s\"", #a, #b,    \
				      ka_ ? ka_ : "(null)",                    \
				      kb_ ? kb_ : "(null)"),                   \
			   false);                                             \
	})

/*
 * The ASSERT forms return from the function they are written in at the
 * first failure: in a case body that ends the case; in a helper only the
 * helper (which must return void), and the case goes on after the call.
 */
#define KT_ASSERT(t, cond)                                                     \
	do {                                                                   \
		if (!KT_EXPECT(t, cond))                                       \
			return;                                                \
	} while (0)

#define KT_ASSERT_EQ(t, a, b)                                                  \
	do {                                                                   \
		if (!KT_EXPECT_EQ(t, a, b))                                    \
			return;                                                \
	} while (0)

/*
 * Mark the case skipped and return from the current function, as
 * KT_ASSERT does. A skipped case is reported "ok N name # SKIP reason" and
 * counted apart from passed and failed, however many expectations it
 * checked before; a failure recorded before or after still fails it.
 */
#define KT_SKIP(t, reason)                                                     \
	do {                                                                   \
		(t)->skipped = true;                                           \
		(t)->skip_reason = (reason);                                   \
		return;                                                        \
	} while (0)

/*
 * The verdict on a case that has run. A failure decides, even in a skipped
 * case; then a skip; a case with neither that counted no expectation is
 * EMPTY, reported "not ok" and counted as failed.
 */
enum ktest_verdict { KTEST_PASSED, KTEST_FAILED, KTEST_SKIPPED, KTEST_EMPTY };
enum ktest_verdict ktest_verdict(const struct ktest *t);

struct ktest_totals {
	int passed;
	int failed;
	int skipped;
};

/*
 * Run every registered case whose suite is named in `filter` (suite names
 * separated by spaces or commas; NULL or "" runs all). Prints KTAP and the
 * closing "N passed, N failed" line; returns the totals. A filter that
 * names no registered suite lists the suites and counts one failure.
 */
struct ktest_totals ktest_run(const char *filter);

/* Provided by the environment (host runner or kernel): print formatted text. */
void ktest_vprint(const char *fmt, va_list ap);
/* Called after every case: the kernel's glue undoes what a case may
 * leave behind in the runner's own process (a CPU pin); the host's does
 * nothing. */
void ktest_case_done(void);
/* For a case about one CPU's behaviour (an exact order of processes, a
 * kill aimed at a moment): pin the runner's process, and so the children
 * it spawns, to the CPU it runs on until the case ends (kernel; the host
 * runs one thread). */
void ktest_pin_one_cpu(void);

#endif
