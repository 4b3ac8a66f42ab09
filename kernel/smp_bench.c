/*
 * The `bench` boot's figures for several CPUs (scripts/bench-kernel), when
 * more than one runs: the cost of one TLB shootdown (x86: the IPI round
 * trip to every other CPU; ARM: the broadcast TLB operation), and a
 * spinlock taken alternately by two processes on two CPUs (each
 * acquisition finds the line in the other CPU's cache). Cycles are
 * arch_cycles(). Printed as "bench NAME VALUE UNIT" lines.
 */
#include <arch/cpu.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <kernel/console.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/sync.h>

#include "sched_internal.h"

#define SHOOT_ROUNDS 2000
#define LOCK_ROUNDS  50000

static struct {
	struct spinlock lock;
	volatile int turn; /* whose go it is: 0 or 1 */
	volatile int started;
	uint64_t t0, t1;
} pp = {SPINLOCK_INIT, 0, 0, 0, 0};

/* Take the lock only on one's own turn, so the line moves between the
 * two CPUs at every acquisition. */
static void pingpong(void *arg)
{
	int me = (int)(uintptr_t)arg;

	__atomic_add_fetch(&pp.started, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&pp.started, __ATOMIC_ACQUIRE) < 2)
		arch_cpu_relax();
	if (me == 0)
		pp.t0 = arch_cycles();
	for (int i = 0; i < LOCK_ROUNDS; i++) {
		for (;;) {
			irq_state_t s = spin_lock_irqsave(&pp.lock);
			bool mine = pp.turn == me;
			if (mine)
				pp.turn = !me;
			spin_unlock_irqrestore(&pp.lock, s);
			if (mine)
				break;
			arch_cpu_relax();
		}
	}
	if (me == 0)
		pp.t1 = arch_cycles();
}

void smp_bench_run(void)
{
	if (smp_cpus_online() < 2)
		return;
	console_printf("bench smp_cpus %u cpus\n", smp_cpus_online());

	/* Every other CPU must drop one page from its TLB (an address no
	 * one maps: the operation costs the same). */
	uint64_t t0 = arch_cycles();
	for (int i = 0; i < SHOOT_ROUNDS; i++)
		arch_tlb_shootdown(0xd0020000u, 1);
	uint64_t t1 = arch_cycles();
	console_printf("bench smp_tlb_shootdown %llu cycles\n",
		       (unsigned long long)((t1 - t0) / SHOOT_ROUNDS));

	/* Two processes above init, so each gets a CPU of its own. */
	pp.turn = 0;
	pp.started = 0;
	int a = proc_spawn("pp-a", pingpong, (void *)0, PROC_PRIO_MAX, 0,
			   PROC_NOFPU);
	int b = proc_spawn("pp-b", pingpong, (void *)1, PROC_PRIO_MAX, 0,
			   PROC_NOFPU);
	if (a < 0 || b < 0)
		return;
	proc_wait(a, NULL);
	proc_wait(b, NULL);
	console_printf(
		"bench smp_spinlock_handoff %llu cycles\n",
		(unsigned long long)((pp.t1 - pp.t0) / (2 * LOCK_ROUNDS)));
}
