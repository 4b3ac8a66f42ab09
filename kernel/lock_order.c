/*
 * Lock-order checks (<kernel/rlock.h>): each CPU counts the locks it holds
 * per rank; taking a lock while holding one of a higher rank is reported,
 * once per pair of ranks, and counted. Also the slow path of the
 * recursive locks, which names a lock held for over two seconds: on this
 * kernel that is a deadlock or a bug, never a long critical section.
 */
#include <arch/cpu.h>
#include <arch/timer.h>
#include <kernel/cpus.h>
#include <kernel/printk.h>
#include <kernel/rlock.h>

#ifdef CONFIG_LOCK_CHECKS
#define LOCK_CHECKS true
#else
#define LOCK_CHECKS false
#endif

static uint8_t held[CONFIG_NR_CPUS][LOCK_RANKS];
static unsigned reported[2]; /* bit held_rank * LOCK_RANKS + new rank */
static unsigned long violations;

static const char *const rank_names[LOCK_RANKS] = {
	[LOCK_RANK_SPIN] = "spinlock",
	[LOCK_RANK_KERNEL] = "kernel",
	[LOCK_RANK_MM] = "mm",
	[LOCK_RANK_ARCH] = "arch",
	[LOCK_RANK_CONSOLE] = "console",
	[LOCK_RANK_TEST_LOW] = "test-low",
	[LOCK_RANK_TEST_HIGH] = "test-high",
};

_Static_assert(LOCK_RANKS *LOCK_RANKS <= 64, "one bit per pair of ranks");

void lock_order_acquire(enum lock_rank rank, const char *name, unsigned cpu)
{
	if (!LOCK_CHECKS || cpu >= CONFIG_NR_CPUS)
		return;
	for (unsigned r = rank + 1; r < LOCK_RANKS; r++) {
		if (!held[cpu][r])
			continue;
		unsigned pair = r * LOCK_RANKS + rank, bit = 1u << pair % 32;
		__atomic_add_fetch(&violations, 1, __ATOMIC_RELAXED);
		if (!(__atomic_fetch_or(&reported[pair / 32], bit,
					__ATOMIC_RELAXED) &
		      bit))
			printk("lock order: cpu %u takes '%s' (%s) while "
			       "holding a %s lock: a possible deadlock\n",
			       cpu, name, rank_names[rank], rank_names[r]);
		break;
	}
	held[cpu][rank]++;
}

void lock_order_release(enum lock_rank rank, unsigned cpu)
{
	if (!LOCK_CHECKS || cpu >= CONFIG_NR_CPUS)
		return;
	if (held[cpu][rank])
		held[cpu][rank]--;
}

unsigned long lock_order_violations(void)
{
	return __atomic_load_n(&violations, __ATOMIC_RELAXED);
}

void rlock_wait(struct rlock *l)
{
	uint16_t me = __atomic_fetch_add(&l->t.next, 1, __ATOMIC_RELAXED);
	uint64_t hz = arch_cycles_hz(), start = arch_cycles();
	bool said = false;

	while (__atomic_load_n(&l->t.owner, __ATOMIC_ACQUIRE) != me) {
		arch_cpu_relax();
		if (!said && hz && arch_cycles() - start > 2 * hz &&
		    l->rank != LOCK_RANK_CONSOLE) {
			said = true;
			printk("lock: cpu %u has waited over 2 s for '%s', "
			       "held by cpu %u\n",
			       arch_cpu_id(), l->name,
			       __atomic_load_n(&l->owner, __ATOMIC_RELAXED));
		}
	}
}
