/*
 * The kernel's big lock (<kernel/klock.h>).
 */
#include <kernel/klock.h>

struct rlock kernel_lock = RLOCK_INIT(LOCK_RANK_KERNEL, "kernel");

void klock_release_all(void)
{
	if (klock_held())
		rlock_release(&kernel_lock);
}
