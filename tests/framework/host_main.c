/*
 * The host test runner: every registered case, built natively with
 * AddressSanitizer and UBSan. Usage: ktest-host [suite ...]
 * Exit status 0 only if no case failed.
 */
#include <ktest.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ktest_vprint(const char *fmt, va_list ap)
{
	vprintf(fmt, ap);
	fflush(stdout);
}

void ktest_case_done(void)
{
}

void ktest_pin_one_cpu(void)
{
}

int main(int argc, char **argv)
{
	char filter[1024] = "";

	for (int i = 1; i < argc; i++) {
		if (strlen(filter) + strlen(argv[i]) + 2 > sizeof(filter)) {
			fprintf(stderr, "ktest-host: too many suite names\n");
			return 2;
		}
		strcat(filter, argv[i]);
		strcat(filter, " ");
	}
	struct ktest_totals t = ktest_run(filter);
	return t.failed ? 1 : 0;
}
