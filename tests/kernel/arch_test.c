/*
 * The arch seam, exercised through the neutral interface only, so the same
 * suite checks every architecture (arch/PORTING.md maps each seam function
 * to its case here).
 */
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/ops.h>
#include <arch/thread.h>
#include <arch/timer.h>
#include <kernel/tick.h>
#include <ktest.h>
#include <lib/err.h>
#include <string.h>

KTEST(arch, irq_save_restore_nests)
{
	KT_ASSERT(t, arch_irq_enabled()); /* kmain enables IRQs before tests */
	irq_state_t outer = arch_irq_save();
	KT_EXPECT(t, !arch_irq_enabled());
	irq_state_t inner = arch_irq_save();
	KT_EXPECT(t, !arch_irq_enabled());
	arch_irq_restore(inner);
	KT_EXPECT(t, !arch_irq_enabled()); /* still inside the outer section */
	arch_irq_restore(outer);
	KT_EXPECT(t, arch_irq_enabled());
}

KTEST(arch, timer_ticks_and_idle_wakes)
{
	uint64_t start = tick_count();
	uint64_t ns = arch_time_ns();

	/* arch_idle returns at the next interrupt; a few ticks must pass. */
	for (int i = 0; i < 1000 && tick_count() < start + 3; i++)
		arch_idle();
	KT_EXPECT(t, tick_count() >= start + 3);
	KT_EXPECT(t, arch_time_ns() > ns);
	KT_EXPECT(t, arch_cycles() != 0);
}

KTEST(arch, timer_rejects_bad_rate)
{
	KT_EXPECT_EQ(t, arch_timer_start(0, NULL), -EINVAL);
	KT_EXPECT_EQ(t, arch_timer_start(100000000u, NULL), -EINVAL);
}

static void dummy_handler(unsigned irq, void *arg)
{
}

KTEST(arch, irq_attach_rejects_bad_lines)
{
	KT_EXPECT_EQ(t, arch_irq_attach(100000, dummy_handler, NULL), -EINVAL);
	KT_EXPECT_EQ(t, arch_irq_detach(100000), -EINVAL);
	KT_EXPECT_EQ(t, arch_irq_count(100000), 0);
}

/* Context round trip: main -> a -> main -> a -> main. */
static struct arch_context main_ctx, a_ctx;
static volatile int a_steps;
static unsigned char a_stack[8192] __attribute__((aligned(16)));

static void context_a(void *arg)
{
	int *seen = arg;

	*seen = 0x5a5a;
	for (;;) {
		a_steps++;
		arch_irq_disable();
		arch_context_switch(&a_ctx, &main_ctx);
	}
}

KTEST(arch, context_switch_round_trip)
{
	int seen = 0;

	arch_context_init(&a_ctx, a_stack, sizeof(a_stack), context_a, &seen);
	irq_state_t s = arch_irq_save();
	arch_context_switch(&main_ctx, &a_ctx);
	arch_irq_restore(s);
	KT_EXPECT_EQ(t, seen, 0x5a5a);
	KT_EXPECT_EQ(t, a_steps, 1);
	s = arch_irq_save();
	arch_context_switch(&main_ctx, &a_ctx);
	arch_irq_restore(s);
	KT_EXPECT_EQ(t, a_steps, 2);
}

KTEST(arch, mmu_map_query_unmap)
{
	static unsigned char page[PAGE_SIZE]
		__attribute__((aligned(PAGE_SIZE)));
	const vaddr_t va = 0xd0000000u; /* unused by the boot map */
	paddr_t pa;
	unsigned flags;

	int rc = arch_mmu_map(va, (paddr_t)page, 1, MMU_READ | MMU_WRITE);
	if (rc == -ENOSYS)
		KT_SKIP(t,
			"this architecture has no MMU support yet (-ENOSYS)");
	KT_ASSERT_EQ(t, rc, 0);
	KT_EXPECT_EQ(t, arch_mmu_map(va, (paddr_t)page, 1, MMU_READ), -EEXIST);
	KT_EXPECT_EQ(t, arch_mmu_query(va + 12, &pa, &flags), 0);
	KT_EXPECT_EQ(t, pa, (paddr_t)page + 12);
	KT_EXPECT(t, flags & MMU_WRITE);

	/* The alias and the original are the same memory (volatile both
	 * ways: the compiler may not see that they alias). */
	volatile unsigned char *original = page, *alias = (void *)va;
	original[100] = 0;
	alias[100] = 0x77;
	KT_EXPECT_EQ(t, original[100], 0x77);

	KT_EXPECT_EQ(t, arch_mmu_unmap(va, 1), 0);
	KT_EXPECT_EQ(t, arch_mmu_query(va, &pa, &flags), -ENOENT);
	KT_EXPECT_EQ(t, arch_mmu_map(va + 1, (paddr_t)page, 1, MMU_READ),
		     -EINVAL);
	KT_EXPECT_EQ(t, arch_mmu_unmap(va + 1, 1), -EINVAL);
}

KTEST(arch, mmu_page_zero_is_unmapped)
{
	paddr_t pa;
	int rc = arch_mmu_query(0, &pa, NULL);

	if (rc == -ENOSYS)
		KT_SKIP(t,
			"this architecture has no MMU support yet (-ENOSYS)");
	KT_EXPECT_EQ(t, rc, -ENOENT);
}

KTEST(arch, fpu_state_save_restore)
{
	static unsigned char area[ARCH_FPU_AREA_SIZE]
		__attribute__((aligned(ARCH_FPU_AREA_ALIGN)));

	memset(area, 0, sizeof(area));
	irq_state_t s = arch_irq_save();
	arch_fpu_save(area);
	arch_fpu_restore(area);
	arch_irq_restore(s);
	/* A saved area is never all zeros (control words have set bits). */
	int nonzero = 0;
	for (unsigned i = 0; i < sizeof(area); i++)
		nonzero |= area[i];
	KT_EXPECT(t, nonzero != 0);
}

KTEST(arch, name_is_set)
{
	KT_EXPECT(t, arch_name() != NULL && arch_name()[0] != '\0');
}
