/*
 * vsnprintf against the outputs C specifies. The same cases run on the host
 * (our implementation, renamed) and in the kernel.
 */
#include <kernel/printk.h>
#include <ktest.h>
#include <stdint.h>
#include <string.h>

#define EXPECT_FMT(t, expected, ...)                                           \
	do {                                                                   \
		char buf_[128];                                                \
		int n_ = snprintf(buf_, sizeof(buf_), __VA_ARGS__);            \
		KT_EXPECT_STREQ(t, buf_, expected);                            \
		KT_EXPECT_EQ(t, n_, (int)strlen(expected));                    \
	} while (0)

/* Formats the compiler would reject at compile time, passed at run time. */
static int format_unchecked(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

KTEST(printf, integers)
{
	char buf[32];

	EXPECT_FMT(t, "0", "%d", 0);
	EXPECT_FMT(t, "-42", "%d", -42);
	EXPECT_FMT(t, "-2147483648", "%d", (int)INT32_MIN);
	EXPECT_FMT(t, "4294967295", "%u", 4294967295u);
	EXPECT_FMT(t, "-9223372036854775808", "%lld", (long long)INT64_MIN);
	EXPECT_FMT(t, "18446744073709551615", "%llu",
		   (unsigned long long)UINT64_MAX);
	EXPECT_FMT(t, "ff FF 777", "%x %X %o", 255u, 255u, 511u);
	KT_EXPECT_EQ(t, format_unchecked(buf, sizeof(buf), "%hhd", 255), 2);
	KT_EXPECT_STREQ(t, buf, "-1");
	KT_EXPECT_EQ(t, format_unchecked(buf, sizeof(buf), "%hu", 0xffffffffu),
		     5);
	KT_EXPECT_STREQ(t, buf, "65535");
	EXPECT_FMT(t, "123 456 789", "%zu %jd %td", (size_t)123, (intmax_t)456,
		   (ptrdiff_t)789);
}

KTEST(printf, flags_width_precision)
{
	EXPECT_FMT(t, "   42", "%5d", 42);
	EXPECT_FMT(t, "42   |", "%-5d|", 42);
	EXPECT_FMT(t, "00042", "%05d", 42);
	EXPECT_FMT(t, "-0042", "%05d", -42);
	EXPECT_FMT(t, "+42  42", "%+d % d", 42, 42);
	EXPECT_FMT(t, "  00042", "%7.5d", 42);
	EXPECT_FMT(t, "0x1f 0X1F 017", "%#x %#X %#o", 31u, 31u, 15u);
	EXPECT_FMT(t, "0", "%#x", 0u);
	EXPECT_FMT(t, "", "%.0d", 0);
	EXPECT_FMT(t, "   ab", "%*s", 5, "ab");
	EXPECT_FMT(t, "ab   |", "%*s|", -5, "ab");
	EXPECT_FMT(t, "abc", "%.3s", "abcdef");
	EXPECT_FMT(t, "  a", "%3c", 'a');
	EXPECT_FMT(t, "0x0000002a", "%#010x", 42u);
}

KTEST(printf, strings_and_odd_conversions)
{
	char buf[32];
	const char *volatile null_string = NULL;

	EXPECT_FMT(t, "100%", "100%%");
	KT_EXPECT_EQ(t, format_unchecked(buf, sizeof(buf), "%s", null_string),
		     6);
	KT_EXPECT_STREQ(t, buf, "(null)");
	/* An unknown conversion is shown, not guessed at or skipped. */
	KT_EXPECT_EQ(t, format_unchecked(buf, sizeof(buf), "%y"), 2);
	KT_EXPECT_STREQ(t, buf, "%y");
	KT_EXPECT_EQ(t, format_unchecked(buf, sizeof(buf), "x%"), 2);
	KT_EXPECT_STREQ(t, buf, "x%");
}

KTEST(printf, pointer_is_full_width_hex)
{
	char buf[32], want[32];
	int n = snprintf(buf, sizeof(buf), "%p", (void *)0x1234);

	KT_EXPECT_EQ(t, n, 2 + (int)sizeof(void *) * 2);
	snprintf(want, sizeof(want), "0x%0*lx", (int)sizeof(void *) * 2,
		 0x1234ul);
	KT_EXPECT_STREQ(t, buf, want);
}

KTEST(printf, truncation_returns_full_length)
{
	char buf[8];

	memset(buf, 'X', sizeof(buf));
	KT_EXPECT_EQ(t, snprintf(buf, 4, "%s", "abcdef"), 6);
	KT_EXPECT_STREQ(t, buf, "abc");
	KT_EXPECT_EQ(t, buf[4], 'X'); /* nothing written past size */
	KT_EXPECT_EQ(t, snprintf(NULL, 0, "%d", 12345), 5);
	KT_EXPECT_EQ(t, snprintf(buf, 1, "abc"), 3);
	KT_EXPECT_EQ(t, buf[0], '\0');
}
