/*
 * The framework itself. Regression: cases generated on one source line
 * (one macro expansion) were silently skipped while the plan counted them.
 */
#include <ktest.h>

static int same_line_runs;

#define TWO_CASES_ON_ONE_LINE                                                  \
	KTEST(ktest, same_line_a) { same_line_runs++; }                        \
	KTEST(ktest, same_line_b) { same_line_runs++; }

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
