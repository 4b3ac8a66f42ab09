/*
 * The block-device list (<drivers/blockdev_registry.h>). Additions are
 * rare (boot) and readers never see a half-added entry: the count is
 * raised after the slot is written, both under the lock.
 */
#include <drivers/blockdev_registry.h>
#include <kernel/sync.h>
#include <lib/err.h>
#include <stddef.h>
#include <string.h>

static struct blockdev *devs[BLOCKDEV_MAX];
static unsigned ndevs;
static struct spinlock lock = SPINLOCK_INIT;

int blockdev_register(struct blockdev *dev)
{
	int rc = 0;
	irq_state_t s = spin_lock_irqsave(&lock);
	for (unsigned i = 0; i < ndevs; i++)
		if (strcmp(devs[i]->name, dev->name) == 0)
			rc = -EEXIST;
	if (rc == 0 && ndevs == BLOCKDEV_MAX)
		rc = -ENOSPC;
	if (rc == 0)
		devs[ndevs++] = dev;
	spin_unlock_irqrestore(&lock, s);
	return rc;
}

struct blockdev *blockdev_find(const char *name)
{
	struct blockdev *found = NULL;
	irq_state_t s = spin_lock_irqsave(&lock);
	for (unsigned i = 0; i < ndevs && !found; i++)
		if (strcmp(devs[i]->name, name) == 0)
			found = devs[i];
	spin_unlock_irqrestore(&lock, s);
	return found;
}

struct blockdev *blockdev_at(unsigned i)
{
	irq_state_t s = spin_lock_irqsave(&lock);
	struct blockdev *d = i < ndevs ? devs[i] : NULL;
	spin_unlock_irqrestore(&lock, s);
	return d;
}

unsigned blockdev_count(void)
{
	irq_state_t s = spin_lock_irqsave(&lock);
	unsigned n = ndevs;
	spin_unlock_irqrestore(&lock, s);
	return n;
}
