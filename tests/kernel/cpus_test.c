/*
 * The boot's CPU record on the real machine: at least one CPU, the boot
 * CPU is entry 0 and started, as many started as the kernel counts online
 * (one without SMP), ids unique. The count itself
 * is checked against QEMU's -smp by the boot log ("cpus: N found").
 */
#include <arch/cpu.h>
#include <kernel/cpus.h>
#include <kernel/smp.h>
#include <ktest.h>

KTEST(cpus, boot_record_is_consistent)
{
	unsigned n = cpus_found();

	KT_ASSERT(t, n >= 1 && n <= CONFIG_NR_CPUS);
	KT_EXPECT_EQ(t, cpus_started(), smp_cpus_online());
	KT_EXPECT(t, cpu_get(0)->started);
	KT_EXPECT(t, cpu_get(n) == NULL);
	KT_EXPECT_EQ(t, arch_cpu_id(), 0u);
	KT_EXPECT(t, cpus_source() != NULL);
	for (unsigned i = 0; i < n; i++) {
		KT_EXPECT_EQ(t, cpu_get(i)->id, i);
		for (unsigned j = i + 1; j < n; j++)
			KT_EXPECT_NE(t, cpu_get(i)->hw_id, cpu_get(j)->hw_id);
	}
	ktest_log(t, "%u CPUs from %s, %u ignored", n, cpus_source(),
		  cpus_ignored());
}
