/*
 * The ktest runner, shared by the host binary and the kernel.
 *
 * Output is KTAP v1: a top-level plan counting suites, each suite a nested
 * KTAP document (indented four spaces) with one line per case, then the
 * suite's own ok/not ok line. A closing "N passed, N failed" line counts
 * cases, so CI can read it.
 */
#include <ktest.h>
#include <string.h>

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
		if ((size_t)(p - start) == len && strncmp(start, suite, len) == 0)
			return true;
	}
	return false;
}

/* The first case of `c`'s suite in link order, so each suite runs once, at
 * the place its first case appears. */
static bool first_of_suite(const struct ktest_case *c)
{
	for (const struct ktest_case *p = ktest_cases_begin(); p < c; p++) {
		if (strcmp(p->suite, c->suite) == 0)
			return false;
	}
	return true;
}

static int count_suites(const char *filter)
{
	int n = 0;

	for (const struct ktest_case *c = ktest_cases_begin();
	     c < ktest_cases_end(); c++) {
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

	for (const struct ktest_case *c = ktest_cases_begin();
	     c < ktest_cases_end(); c++) {
		if (strcmp(c->suite, suite) != 0 || (prev && !case_before(prev, c)))
			continue;
		if (!best || case_before(c, best))
			best = c;
	}
	return best;
}

static bool run_suite(const char *suite, struct ktest_totals *totals)
{
	int n = 0, failed = 0, index = 0;

	for (const struct ktest_case *c = ktest_cases_begin();
	     c < ktest_cases_end(); c++) {
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
		index++;
		if (t.failures) {
			print("    not ok %d %s\n", index, c->name);
			totals->failed++;
			failed++;
		} else if (t.skipped) {
			print("    ok %d %s # SKIP %s\n", index, c->name,
			      t.skip_reason ? t.skip_reason : "");
			totals->skipped++;
		} else {
			print("    ok %d %s\n", index, c->name);
			totals->passed++;
		}
	}
	return failed == 0;
}

struct ktest_totals ktest_run(const char *filter)
{
	struct ktest_totals totals = {0, 0, 0};
	int suite_index = 0;
	int suites = count_suites(filter);

	print("KTAP version 1\n");
	print("1..%d\n", suites);
	for (const struct ktest_case *c = ktest_cases_begin();
	     c < ktest_cases_end(); c++) {
		if (!first_of_suite(c) || !filter_match(filter, c->suite))
			continue;
		bool ok = run_suite(c->suite, &totals);
		print("%s %d %s\n", ok ? "ok" : "not ok", ++suite_index, c->suite);
	}
	if (suites == 0) {
		print("# no suite matches '%s'; suites are:", filter ? filter : "");
		ktest_list_suites();
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

void ktest_list_suites(void)
{
	for (const struct ktest_case *c = ktest_cases_begin();
	     c < ktest_cases_end(); c++) {
		if (first_of_suite(c))
			print(" %s", c->suite);
	}
}
