/*
 * The kernel's string functions (renamed on the host, so these test ours).
 */
#include <ktest.h>
#include <stdint.h>
#include <string.h>

KTEST(string, memcpy_all_alignments)
{
	unsigned char src[64], dst[80];

	for (unsigned i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 1);
	for (unsigned so = 0; so < 8; so++) {
		for (unsigned dso = 0; dso < 8; dso++) {
			for (unsigned n = 0; n + so <= 48; n += 5) {
				memset(dst, 0xee, sizeof(dst));
				KT_EXPECT(t, memcpy(dst + dso, src + so, n) ==
						     dst + dso);
				KT_EXPECT_EQ(t, memcmp(dst + dso, src + so, n),
					     0);
				KT_EXPECT_EQ(t, dst[dso + n], 0xee);
				if (dso)
					KT_EXPECT_EQ(t, dst[dso - 1], 0xee);
			}
		}
	}
}

KTEST(string, memmove_overlap_both_ways)
{
	char buf[32];

	memcpy(buf, "0123456789", 11);
	memmove(buf + 2, buf, 8);
	KT_EXPECT_EQ(t, memcmp(buf, "0101234567", 10), 0);
	memcpy(buf, "0123456789", 11);
	memmove(buf, buf + 3, 7);
	KT_EXPECT_EQ(t, memcmp(buf, "3456789789", 10), 0);
}

KTEST(string, memset_bounds)
{
	unsigned char buf[40];

	for (unsigned off = 0; off < 8; off++) {
		memset(buf, 0, sizeof(buf));
		memset(buf + off, 0xab, 21);
		for (unsigned i = 0; i < sizeof(buf); i++)
			KT_EXPECT_EQ(t, buf[i],
				     i >= off && i < off + 21 ? 0xab : 0);
	}
}

KTEST(string, compare_and_search)
{
	KT_EXPECT(t, memcmp("abc", "abd", 3) < 0);
	KT_EXPECT(t, memcmp("\xff", "\x01", 1) > 0); /* unsigned bytes */
	KT_EXPECT_EQ(t, strcmp("same", "same"), 0);
	KT_EXPECT(t, strcmp("a", "ab") < 0);
	KT_EXPECT_EQ(t, strncmp("abcX", "abcY", 3), 0);
	KT_EXPECT_EQ(t, strlen(""), 0);
	KT_EXPECT_EQ(t, strnlen("abcdef", 3), 3);
	const char *s = "a/b/c";
	KT_EXPECT(t, strchr(s, '/') == s + 1);
	KT_EXPECT(t, strrchr(s, '/') == s + 3);
	KT_EXPECT(t, strchr(s, '\0') == s + 5);
	KT_EXPECT(t, strchr(s, 'z') == NULL);
	KT_EXPECT(t, memchr(s, 'c', 5) == s + 4);
}

KTEST(string, strlcpy_truncates_and_terminates)
{
	char buf[4];

	KT_EXPECT_EQ(t, strlcpy(buf, "hello", sizeof(buf)), 5);
	KT_EXPECT_STREQ(t, buf, "hel");
	KT_EXPECT_EQ(t, strlcpy(buf, "hi", sizeof(buf)), 2);
	KT_EXPECT_STREQ(t, buf, "hi");
}
