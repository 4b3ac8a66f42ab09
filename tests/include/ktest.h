/*
 * ktest: one unit-test framework for the host and the kernel.
 *
 * A case is written once:
 *
 *     KTEST(pmm, alloc_then_free) {
 *         void *p = pmm_alloc_page();
 *         KT_ASSERT(t, p != NULL);
 *         KT_EXPECT_EQ(t, pmm_free_count(), before - 1);
 *     }
 *
 * and compiles both into the host test binary (native gcc with ASan/UBSan)
 * and into the kernel. Cases register themselves in the `ktest_cases` linker
 * section; the runner groups them by suite in link order and prints KTAP v1
 * (one top-level line per suite, one nested line per case), then a final
 * line "N passed, N failed" counting cases.
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

struct ktest {
	const char *suite;
	const char *name;
	int failures;
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

#define KTEST_SECTION "ktest_cases"

#define KTEST(suite, name)                                                    \
	static void ktest_##suite##_##name(struct ktest *t);                  \
	static const struct ktest_case ktest_case_##suite##_##name            \
		__attribute__((used, section(KTEST_SECTION),                  \
			       aligned(sizeof(void *)))) = {                 \
			#suite, #name, ktest_##suite##_##name, __FILE__,      \
			__LINE__};                                            \
	static void ktest_##suite##_##name(struct ktest *t)

/* Record a failure with a printf-style explanation; the case continues. */
void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));

/* Print a KTAP diagnostic line ("# ...") under the current case. */
void ktest_log(struct ktest *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define KT_EXPECT(t, cond)                                                    \
	((cond) ? true                                                        \
		: (ktest_fail((t), __FILE__, __LINE__, "expected %s", #cond), \
		   false))

#define KT_EXPECT_MSG(t, cond, ...)                                           \
	((cond) ? true : (ktest_fail((t), __FILE__, __LINE__, __VA_ARGS__), false))

/* Integer comparison; both sides are widened to long long for the message. */
#define KT_EXPECT_EQ(t, a, b)                                                 \
	({                                                                    \
		long long ka_ = (long long)(a), kb_ = (long long)(b);         \
		ka_ == kb_ ? true                                             \
			   : (ktest_fail((t), __FILE__, __LINE__,             \
					 "%s == %s: %lld != %lld", #a, #b,    \
					 ka_, kb_),                           \
			      false);                                         \
	})

#define KT_EXPECT_NE(t, a, b)                                                 \
	({                                                                    \
		long long ka_ = (long long)(a), kb_ = (long long)(b);         \
		ka_ != kb_ ? true                                             \
			   : (ktest_fail((t), __FILE__, __LINE__,             \
					 "%s != %s: both %lld", #a, #b, ka_), \
			      false);                                         \
	})

#define KT_EXPECT_STREQ(t, a, b)                                              \
	({                                                                    \
		const char *ka_ = (a), *kb_ = (b);                            \
		ktest_streq(ka_, kb_)                                         \
			? true                                                \
			: (ktest_fail((t), __FILE__, __LINE__,                \
				      "%s == %s: \"%s\" != \"%s\"", #a, #b,   \
				      ka_ ? ka_ : "(null)",                   \
				      kb_ ? kb_ : "(null)"),                  \
			   false);                                            \
	})

/* The ASSERT forms end the case at the first failure. */
#define KT_ASSERT(t, cond)                                                    \
	do {                                                                  \
		if (!KT_EXPECT(t, cond))                                      \
			return;                                               \
	} while (0)

#define KT_ASSERT_EQ(t, a, b)                                                 \
	do {                                                                  \
		if (!KT_EXPECT_EQ(t, a, b))                                   \
			return;                                               \
	} while (0)

/* Mark the case skipped (reported as "ok N name # SKIP reason") and end it. */
#define KT_SKIP(t, reason)                                                    \
	do {                                                                  \
		(t)->skipped = true;                                          \
		(t)->skip_reason = (reason);                                  \
		return;                                                       \
	} while (0)

bool ktest_streq(const char *a, const char *b);

struct ktest_totals {
	int passed;
	int failed;
	int skipped;
};

/*
 * Run every registered case whose suite is named in `filter` (a
 * space-separated list of suite names; NULL or "" runs all). Prints KTAP and
 * the closing "N passed, N failed" line; returns the totals.
 */
struct ktest_totals ktest_run(const char *filter);

/* Names of all registered suites, for `test` with no match and for help. */
void ktest_list_suites(void);

/* Provided by the environment (host runner or kernel): print formatted text. */
void ktest_vprint(const char *fmt, va_list ap);

/* Provided by the environment: the registered cases, [begin, end). */
const struct ktest_case *ktest_cases_begin(void);
const struct ktest_case *ktest_cases_end(void);

#endif
