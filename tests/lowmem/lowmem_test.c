/*
 * The low-memory allocator against a reference model and every bad input.
 * Instances are private (pointer base = a static buffer), so the cases run
 * the same on the host and in the kernel without touching real low memory.
 */
#include <ktest.h>
#include <lib/err.h>
#include <mm/lowmem.h>
#include <string.h>

#define PAGE 4096u

static struct lowmem lm;
/* Only the first allocated page (phys 0x1000) is ever written, so one page
 * of backing placed at "phys 0x1000" is enough; other pointers are only
 * compared. */
static unsigned char backing[4096] __attribute__((aligned(4096)));
#define BASE ((uintptr_t)backing - PAGE)

/* A PC-like low memory: pages 1..0x9e usable (0x9f is the EBDA). */
static void setup_pc(void)
{
	lowmem_init(&lm, BASE);
	for (unsigned p = 1; p < 0x9f; p++)
		lowmem_add_page(&lm, (uintptr_t)p * PAGE);
}

KTEST(lowmem, pages_are_real_mode_addressable)
{
	uintptr_t phys = 0;

	setup_pc();
	void *p = lowmem_alloc(&lm, 100, &phys);
	KT_ASSERT(t, p != NULL);
	KT_EXPECT(t, phys >= PAGE && phys < 0xa0000);
	KT_EXPECT_EQ(t, (uintptr_t)p - BASE, phys);
	KT_EXPECT(t, p == backing); /* first fit: page 1 */
	memset(p, 0xab, PAGE);	    /* the whole page is ours */
	KT_EXPECT_EQ(t, lowmem_free(&lm, p), 0);
}

KTEST(lowmem, never_page_zero_or_non_usable)
{
	lowmem_init(&lm, BASE);
	KT_EXPECT_EQ(t, lowmem_add_page(&lm, 0), -EINVAL);
	KT_EXPECT_EQ(t, lowmem_add_page(&lm, 0x100000), -EINVAL);
	KT_EXPECT_EQ(t, lowmem_add_page(&lm, 0x1001), -EINVAL);
	KT_EXPECT(t, lowmem_alloc(&lm, 1, NULL) == NULL); /* nothing usable */
	KT_EXPECT_STREQ(t, lowmem_last_error(&lm), "low memory exhausted");
}

KTEST(lowmem, exhaustion_is_clear_and_recoverable)
{
	void *ptrs[0x9e];
	unsigned n = 0;

	setup_pc();
	while (n < 0x9e && (ptrs[n] = lowmem_alloc(&lm, PAGE, NULL)) != NULL)
		n++;
	KT_EXPECT_EQ(t, n, 0x9e);
	KT_EXPECT(t, lowmem_alloc(&lm, 1, NULL) == NULL);
	KT_EXPECT_STREQ(t, lowmem_last_error(&lm), "low memory exhausted");
	KT_EXPECT_EQ(t, lm.failures, 1);
	for (unsigned i = 0; i < n; i++)
		KT_EXPECT_EQ(t, lowmem_free(&lm, ptrs[i]), 0);
	KT_EXPECT_EQ(t, lm.used_pages, 0);
	KT_EXPECT(t, lowmem_alloc(&lm, 0x9e * PAGE, NULL) != NULL);
}

KTEST(lowmem, fragmentation_is_reported)
{
	void *a[6];

	setup_pc();
	for (int i = 0; i < 6; i++)
		a[i] = lowmem_alloc(&lm, 0x1a * PAGE, NULL); /* 156 pages */
	lowmem_free(&lm, a[1]);
	lowmem_free(&lm, a[3]);
	/* 26 + 26 + 2 pages free, but not 30 in a row. */
	KT_EXPECT(t, lowmem_alloc(&lm, 30 * PAGE, NULL) == NULL);
	KT_EXPECT_STREQ(
		t, lowmem_last_error(&lm),
		"low memory fragmented: no contiguous run large enough");
}

KTEST(lowmem, bad_frees_change_nothing)
{
	setup_pc();
	unsigned char *p = lowmem_alloc(&lm, 3 * PAGE, NULL);
	KT_ASSERT(t, p != NULL);
	KT_EXPECT_EQ(t, lowmem_free(&lm, p + PAGE), -EINVAL); /* inside a run */
	KT_EXPECT_EQ(t, lowmem_free(&lm, p + 1), -EINVAL);    /* misaligned */
	KT_EXPECT_EQ(t, lowmem_free(&lm, NULL), -EINVAL);     /* foreign */
	KT_EXPECT_EQ(t, lm.used_pages, 3);
	KT_EXPECT_EQ(t, lowmem_free(&lm, p), 0);
	KT_EXPECT_EQ(t, lowmem_free(&lm, p), -EINVAL); /* double free */
	KT_EXPECT(t, lowmem_alloc(&lm, 0, NULL) == NULL);
	KT_EXPECT(t, lowmem_alloc(&lm, 2u << 20, NULL) == NULL);
}

/* Random alloc/free against a model of which pages each allocation holds. */
KTEST(lowmem, random_against_model)
{
	struct {
		unsigned char *p;
		unsigned pages;
	} live[64] = {{0}};
	unsigned char owner[LOWMEM_PAGES];
	uint32_t seed = 12345;

	setup_pc();
	memset(owner, 0xff, sizeof(owner));
	for (int op = 0; op < 5000; op++) {
		seed = seed * 1103515245u + 12345u;
		unsigned slot = (seed >> 16) % 64;
		if (live[slot].p) {
			unsigned first =
				(unsigned)(((uintptr_t)live[slot].p - BASE) /
					   PAGE);
			for (unsigned i = 0; i < live[slot].pages; i++) {
				KT_ASSERT_EQ(t, owner[first + i], slot);
				owner[first + i] = 0xff;
			}
			KT_ASSERT_EQ(t, lowmem_free(&lm, live[slot].p), 0);
			live[slot].p = NULL;
		} else {
			unsigned pages = 1 + (seed >> 8) % 6;
			unsigned char *p =
				lowmem_alloc(&lm, pages * PAGE - 7, NULL);
			if (!p)
				continue;
			unsigned first =
				(unsigned)(((uintptr_t)p - BASE) / PAGE);
			KT_ASSERT(t, first >= 1 && first + pages <= 0x9f);
			for (unsigned i = 0; i < pages; i++) {
				KT_ASSERT_EQ(t, owner[first + i],
					     0xff); /* no overlap */
				owner[first + i] = (unsigned char)slot;
			}
			live[slot].p = p;
			live[slot].pages = pages;
		}
	}
}
