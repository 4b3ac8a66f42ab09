/*
 * The framework itself. Regression: cases generated on one source line
 * (one macro expansion) were silently skipped while the plan counted them.
 * And the rule that makes a case's "ok" mean something: every expectation
 * is counted, and a case that checked none fails.
 */
#include <ktest.h>

static int same_line_runs;

/* Each checks it was handed its own context, not its neighbour's. */
#define TWO_CASES_ON_ONE_LINE                                                  \
	KTEST(ktest, same_line_a)                                              \
	{                                                                      \
		same_line_runs++;                                              \
		KT_EXPECT_STREQ(t, t->name, "same_line_a");                    \
	}                                                                      \
	KTEST(ktest, same_line_b)                                              \
	{                                                                      \
		same_line_runs++;                                              \
		KT_EXPECT_STREQ(t, t->name, "same_line_b");                    \
	}

TWO_CASES_ON_ONE_LINE

/* Runs after both (later line): both must have run. */
KTEST(ktest, cases_sharing_a_line_all_run)
{
	KT_EXPECT_EQ(t, same_line_runs, 2);
}

KTEST(ktest, streq_handles_null)
{
	KT_EXPECT(t, ktest_streq(NULL, NULL));
	KT_EXPECT(t, !ktest_streq("a", NULL));
	KT_EXPECT(t, ktest_streq("a", "a"));
}

static int message_args_evaluated;

static int note_evaluated(void)
{
	return ++message_args_evaluated;
}

/* A helper's KT_ASSERT returns from the helper only. */
static void assert_in_helper(struct ktest *s, int value)
{
	KT_ASSERT_EQ(s, value, 1);
	KT_ASSERT(s, value > 0);
}

KTEST(ktest, every_expectation_is_counted)
{
	struct ktest s = {.suite = "scratch", .name = "scratch"};

	KT_EXPECT(t, KT_EXPECT(&s, 1 + 1 == 2));
	KT_EXPECT(t, KT_EXPECT_MSG(&s, true, "%d", note_evaluated()));
	KT_EXPECT(t, KT_EXPECT_EQ(&s, 3, 3));
	KT_EXPECT(t, KT_EXPECT_NE(&s, 3, 4));
	KT_EXPECT(t, KT_EXPECT_STREQ(&s, "x", "x"));
	assert_in_helper(&s, 1);
	KT_EXPECT_EQ(t, s.expectations, 7);
	KT_EXPECT_EQ(t, s.failures, 0);
	KT_EXPECT_EQ(t, message_args_evaluated, 0);

	/* A failed expectation counts as well (its message is printed). */
	ktest_log(t, "a deliberate failure on a scratch context follows");
	KT_EXPECT(t, !KT_EXPECT_EQ(&s, 1, 2));
	KT_EXPECT_EQ(t, s.expectations, 8);
	KT_EXPECT_EQ(t, s.failures, 1);
}

KTEST(ktest, a_case_that_checks_nothing_fails)
{
	struct ktest s = {.suite = "scratch", .name = "scratch"};

	KT_EXPECT_EQ(t, ktest_verdict(&s), KTEST_EMPTY);
	s.expectations = 1;
	KT_EXPECT_EQ(t, ktest_verdict(&s), KTEST_PASSED);
	s.failures = 1;
	KT_EXPECT_EQ(t, ktest_verdict(&s), KTEST_FAILED);
}

KTEST(ktest, a_skip_is_not_a_failure_unless_something_failed)
{
	struct ktest s = {.suite = "scratch", .name = "scratch"};

	s.skipped = true; /* before any expectation */
	KT_EXPECT_EQ(t, ktest_verdict(&s), KTEST_SKIPPED);
	s.expectations = 2;
	KT_EXPECT_EQ(t, ktest_verdict(&s), KTEST_SKIPPED);
	s.failures = 1;
	KT_EXPECT_EQ(t, ktest_verdict(&s), KTEST_FAILED);
}
