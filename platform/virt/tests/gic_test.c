/*
 * The virt board's GICv2: which interrupt IDs can be attached (SGIs never,
 * PPIs and SPIs up to the distributor's line count), and a taken line.
 */
#include <arch/arm_platform.h>
#include <arch/irq.h>
#include <ktest.h>
#include <lib/err.h>
#include <stddef.h>

static void nop_handler(unsigned irq, void *arg)
{
}

KTEST(virt, gic_attach_checks_lines)
{
	unsigned lines = arm_gic_lines();
	unsigned spi = lines - 1; /* the last SPI: nothing uses it */

	KT_ASSERT(t, lines >= 64);
	KT_EXPECT_EQ(t, arch_irq_attach(0, nop_handler, NULL),
		     -EINVAL); /* SGI */
	KT_EXPECT_EQ(t, arch_irq_attach(15, nop_handler, NULL),
		     -EINVAL); /* SGI */
	KT_EXPECT_EQ(t, arch_irq_attach(lines, nop_handler, NULL), -EINVAL);
	KT_EXPECT_EQ(t, arch_irq_attach(1023, nop_handler, NULL), -EINVAL);
	KT_EXPECT_EQ(t, arch_irq_attach(spi, NULL, NULL), -EINVAL);
	/* The timer's PPI is taken. */
	KT_EXPECT_EQ(t,
		     arch_irq_attach(arm_platform.timer_irq, nop_handler, NULL),
		     -EBUSY);
	KT_ASSERT_EQ(t, arch_irq_attach(spi, nop_handler, NULL), 0);
	KT_EXPECT_EQ(t, arch_irq_attach(spi, nop_handler, NULL), -EBUSY);
	KT_EXPECT_EQ(t, arch_irq_detach(spi), 0);
	KT_EXPECT_EQ(t, arch_irq_attach(spi, nop_handler, NULL), 0);
	KT_EXPECT_EQ(t, arch_irq_detach(spi), 0);
	KT_EXPECT_EQ(t, arch_irq_detach(3), -EINVAL);
}
