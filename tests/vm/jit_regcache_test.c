/*
 * tests/vm/jit_regcache_test.c: the compiler tier's register cache, the
 * ISA-neutral bookkeeping (vm/jit/jit_regcache.c): which register holds
 * which slot, constants, pins, the least recently used choice, and the
 * joins a function's branches mark. Host-only (tests/rules.mk): kernels
 * link the cache only with the compiler.
 */
#include <ktest.h>

#include "../../vm/jit/jit_regcache.h"

KTEST(jit_regcache, bind_find_clobber_and_aliases)
{
	struct jit_regcache rc;
	jit_rc_init(&rc, 4, NULL, 0);
	KT_EXPECT_EQ(t, jit_rc_find(&rc, 5), -1);
	int r = jit_rc_take(&rc);
	KT_ASSERT(t, r >= 0 && r < 4);
	jit_rc_bind(&rc, (unsigned)r, 5);
	jit_rc_bind(&rc, (unsigned)r, 9); /* a copy: both slots */
	KT_EXPECT_EQ(t, jit_rc_find(&rc, 5), r);
	KT_EXPECT_EQ(t, jit_rc_find(&rc, 9), r);
	jit_rc_forget(&rc, 9); /* slot 9 written elsewhere */
	KT_EXPECT_EQ(t, jit_rc_find(&rc, 9), -1);
	KT_EXPECT_EQ(t, jit_rc_find(&rc, 5), r);
	jit_rc_clobber(&rc, (unsigned)r);
	KT_EXPECT_EQ(t, jit_rc_find(&rc, 5), -1);
	/* a slot moves to the register that holds its newest value */
	jit_rc_bind(&rc, 1, 7);
	jit_rc_bind(&rc, 2, 7);
	KT_EXPECT_EQ(t, jit_rc_find(&rc, 7), 2);
	jit_rc_clobber(&rc, 1);
	KT_EXPECT_EQ(t, jit_rc_find(&rc, 7), 2);
	jit_rc_reset(&rc);
	KT_EXPECT_EQ(t, jit_rc_find(&rc, 7), -1);
}

KTEST(jit_regcache, constants_replace_registers)
{
	struct jit_regcache rc;
	uint32_t k = 0;
	jit_rc_init(&rc, 4, NULL, 0);
	jit_rc_bind(&rc, 0, 3);
	jit_rc_set_const(&rc, 3, 42);
	KT_EXPECT_EQ(t, jit_rc_find(&rc, 3), -1);
	KT_EXPECT(t, jit_rc_const(&rc, 3, &k));
	KT_EXPECT_EQ(t, k, 42u);
	jit_rc_clobber(&rc, 0); /* a register write does not touch it */
	KT_EXPECT(t, jit_rc_const(&rc, 3, &k));
	jit_rc_bind(&rc, 1, 3); /* the slot written from a register */
	KT_EXPECT(t, !jit_rc_const(&rc, 3, &k));
	KT_EXPECT_EQ(t, jit_rc_find(&rc, 3), 1);
}

KTEST(jit_regcache, take_prefers_empty_then_oldest_and_honours_pins)
{
	struct jit_regcache rc;
	jit_rc_init(&rc, 3, NULL, 0);
	jit_rc_bind(&rc, 0, 10);
	jit_rc_bind(&rc, 1, 11);
	/* register 2 holds nothing: chosen first */
	KT_EXPECT_EQ(t, jit_rc_take(&rc), 2);
	jit_rc_bind(&rc, 2, 12);
	jit_rc_begin_op(&rc);
	(void)jit_rc_find(&rc, 10); /* 10 used last: 11 is the oldest */
	KT_EXPECT_EQ(t, jit_rc_take(&rc), 1);
	KT_EXPECT_EQ(t, jit_rc_find(&rc, 11), -1); /* its slot dropped */
	/* 1 is pinned by the take; pin 0: only 2 is left, then none */
	jit_rc_pin(&rc, 0);
	KT_EXPECT_EQ(t, jit_rc_take(&rc), 2);
	KT_EXPECT_EQ(t, jit_rc_take(&rc), -1);
	jit_rc_unpin(&rc, 2);
	KT_EXPECT_EQ(t, jit_rc_take(&rc), 2);
	jit_rc_begin_op(&rc); /* a new op: nothing pinned */
	KT_EXPECT(t, jit_rc_take(&rc) >= 0);
}

KTEST(jit_regcache, a_full_table_forgets_an_entry_but_never_the_newest)
{
	struct jit_regcache rc;
	uint32_t k;
	jit_rc_init(&rc, 4, NULL, 0);
	for (vm_cell s = 0; s < JIT_RC_MAX_ENTRIES + 4; s++)
		jit_rc_set_const(&rc, s, s + 100);
	unsigned known = 0;
	for (vm_cell s = 0; s < JIT_RC_MAX_ENTRIES + 4; s++)
		if (jit_rc_const(&rc, s, &k)) {
			KT_EXPECT_EQ(t, k, s + 100);
			known++;
		}
	KT_EXPECT_EQ(t, known, (unsigned)JIT_RC_MAX_ENTRIES);
	/* the newest is always kept */
	KT_EXPECT(t, jit_rc_const(&rc, JIT_RC_MAX_ENTRIES + 3, &k));
}

KTEST(jit_regcache, joins_are_every_branch_target)
{
	uint8_t bits[4] = {0};
	struct jit_regcache rc;
	/* br at cell 2 with rel +5 (from cell 3): cell 8 */
	vm_cell br[] = {0, 5};
	KT_EXPECT(t, jit_rc_mark_joins(bits, 20, OP_br, br, 2));
	/* brz_i32 a rel at cell 10, rel -6 from cell 12: cell 6 */
	vm_cell brz[] = {0, 1, (vm_cell)-6};
	KT_EXPECT(t, jit_rc_mark_joins(bits, 20, OP_brz_i32, brz, 10));
	/* a fused compare-and-branch: a b rel, rel at pc[3] */
	vm_cell brc[] = {0, 1, 2, 4};
	KT_EXPECT(t, jit_rc_mark_joins(bits, 20, OPB_i32_lt_s, brc, 12));
	/* br_table a n rel0 rel1: cells 17 + 0 and 18 + (-18) */
	vm_cell tab[] = {0, 1, 1, 0, (vm_cell)-18};
	KT_EXPECT(t, jit_rc_mark_joins(bits, 20, OP_br_table, tab, 14));
	/* a plain op marks nothing */
	vm_cell add[] = {0, 1, 2, 3};
	KT_EXPECT(t, jit_rc_mark_joins(bits, 20, OP_i32_add, add, 0));
	jit_rc_init(&rc, 4, bits, 20);
	for (uint32_t c = 0; c < 20; c++)
		KT_EXPECT_EQ(t, jit_rc_is_join(&rc, c),
			     c == 8 || c == 6 || c == 19 || c == 17 || c == 0);
	/* a target outside the code: refused */
	vm_cell out[] = {0, 50};
	KT_EXPECT(t, !jit_rc_mark_joins(bits, 20, OP_br, out, 2));
	vm_cell back[] = {0, 1, (vm_cell)-20};
	KT_EXPECT(t, !jit_rc_mark_joins(bits, 20, OP_br_if, back, 3));
	/* no bitmap: every cell counts as a join */
	jit_rc_init(&rc, 4, NULL, 0);
	KT_EXPECT(t, jit_rc_is_join(&rc, 3));
}
