/*
 * The ktest runner, shared by the host binary and the kernel.
 *
 * Output is KTAP v1: a top-level plan counting suites, each suite a nested
 * KTAP document (indented four spaces) with one line per case, then the
 * suite's own ok/not ok line. A case's line carries, as KTAP diagnostic
 * data after "#", how many expectations it checked; a case that checked
 * none and was not skipped fails. A closing "N passed, N failed" line
 * (", N skipped" appended when any was) counts cases, so CI can read it.
 */
#include <ktest.h>
#include <string.h>

/*
 * The bounds of the ktest_cases section. On the host the linker defines
 * them, as it does for any section named like a C identifier; the kernel's
 * linker scripts (arch/{x86,arm}/kernel.ld) define them explicitly.
 */
extern const struct ktest_case __start_ktest_cases[];
extern const struct ktest_case __stop_ktest_cases[];

static const struct ktest_case *cases_begin(void)
{
	return __start_ktest_cases;
}

static const struct ktest_case *cases_end(void)
{
	return __stop_ktest_cases;
}

static void print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void print(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ktest_vprint(fmt, ap);
	va_end(ap);
}

bool ktest_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt,
		...)
{
	va_list ap;

	t->failures++;
	print("    # %s:%d: ", file, line);
	va_start(ap, fmt);
	ktest_vprint(fmt, ap);
	va_end(ap);
	print("\n");
}

void ktest_log(struct ktest *t, const char *fmt, ...)
{
	va_list ap;

	(void)t;
	print("    # ");
	va_start(ap, fmt);
	ktest_vprint(fmt, ap);
	va_end(ap);
	print("\n");
}

/* Is `suite` named in `filter` (words separated by spaces or commas)? */
static bool filter_match(const char *filter, const char *suite)
{
	size_t len = strlen(suite);

	if (!filter || !*filter)
		return true;
	for (const char *p = filter; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *start = p;
		while (*p && *p != ' ' && *p != ',')
			p++;
		if ((size_t)(p - start) == len &&
		    strncmp(start, suite, len) == 0)
			return true;
	}
	return false;
}

/* The first case of `c`'s suite in link order, so each suite runs once, at
 * the place its first case appears. */
static bool first_of_suite(const struct ktest_case *c)
{
	for (const struct ktest_case *p = cases_begin(); p < c; p++) {
		if (strcmp(p->suite, c->suite) == 0)
			return false;
	}
	return true;
}

static int count_suites(const char *filter)
{
	int n = 0;

	for (const struct ktest_case *c = cases_begin(); c < cases_end(); c++) {
		if (first_of_suite(c) && filter_match(filter, c->suite))
			n++;
	}
	return n;
}

/* Source order: compilers may emit a file's cases into the section in
 * either order. A total order, so no case is skipped. */
static bool case_before(const struct ktest_case *a, const struct ktest_case *b)
{
	int f = strcmp(a->file, b->file);
	if (f != 0)
		return f < 0;
	if (a->line != b->line)
		return a->line < b->line;
	/* Cases from one macro expansion share a line: section order. */
	return a < b;
}

/* The next case of `suite` after `prev` in source order (NULL: the first). */
static const struct ktest_case *next_case(const char *suite,
					  const struct ktest_case *prev)
{
	const struct ktest_case *best = NULL;

	for (const struct ktest_case *c = cases_begin(); c < cases_end(); c++) {
		if (strcmp(c->suite, suite) != 0 ||
		    (prev && !case_before(prev, c)))
			continue;
		if (!best || case_before(c, best))
			best = c;
	}
	return best;
}

enum ktest_verdict ktest_verdict(const struct ktest *t)
{
	if (t->failures)
		return KTEST_FAILED;
	if (t->skipped)
		return KTEST_SKIPPED;
	return t->expectations ? KTEST_PASSED : KTEST_EMPTY;
}

static bool run_suite(const char *suite, struct ktest_totals *totals)
{
	int n = 0, failed = 0, index = 0;

	for (const struct ktest_case *c = cases_begin(); c < cases_end(); c++) {
		if (strcmp(c->suite, suite) == 0)
			n++;
	}
	print("    KTAP version 1\n");
	print("    # Subtest: %s\n", suite);
	print("    1..%d\n", n);
	for (const struct ktest_case *c = next_case(suite, NULL); c;
	     c = next_case(suite, c)) {
		struct ktest t = {.suite = c->suite, .name = c->name};
		c->fn(&t);
		ktest_case_done();
		index++;
		switch (ktest_verdict(&t)) {
		case KTEST_SKIPPED:
			print("    ok %d %s # SKIP %s\n", index, c->name,
			      t.skip_reason ? t.skip_reason : "");
			totals->skipped++;
			break;
		case KTEST_PASSED:
			print("    ok %d %s # %d expectation%s\n", index,
			      c->name, t.expectations,
			      t.expectations == 1 ? "" : "s");
			totals->passed++;
			break;
		case KTEST_EMPTY:
			print("    not ok %d %s # no expectation checked\n",
			      index, c->name);
			totals->failed++;
			failed++;
			break;
		case KTEST_FAILED:
			print("    not ok %d %s # %d failed, %d "
			      "expectation%s\n",
			      index, c->name, t.failures, t.expectations,
			      t.expectations == 1 ? "" : "s");
			totals->failed++;
			failed++;
			break;
		}
	}
	return failed == 0;
}

/* Print " NAME" for each registered suite (when a filter matched none). */
static void list_suites(void)
{
	for (const struct ktest_case *c = cases_begin(); c < cases_end(); c++) {
		if (first_of_suite(c))
			print(" %s", c->suite);
	}
}

struct ktest_totals ktest_run(const char *filter)
{
	struct ktest_totals totals = {0, 0, 0};
	int suite_index = 0;
	int suites = count_suites(filter);

	print("KTAP version 1\n");
	print("1..%d\n", suites);
	for (const struct ktest_case *c = cases_begin(); c < cases_end(); c++) {
		if (!first_of_suite(c) || !filter_match(filter, c->suite))
			continue;
		bool ok = run_suite(c->suite, &totals);
		print("%s %d %s\n", ok ? "ok" : "not ok", ++suite_index,
		      c->suite);
	}
	if (suites == 0) {
		print("# no suite matches '%s'; suites are:",
		      filter ? filter : "");
		list_suites();
		print("\n");
		totals.failed++;
	}
	if (totals.skipped)
		print("%d passed, %d failed, %d skipped\n", totals.passed,
		      totals.failed, totals.skipped);
	else
		print("%d passed, %d failed\n", totals.passed, totals.failed);
	return totals;
}
