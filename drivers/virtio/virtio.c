/*
 * The virtio core: device status, feature negotiation, the list of
 * devices, and the interrupt lines they hang on (several devices may
 * share one PCI INTx line, so one handler per line walks its devices).
 */
#include <arch/irq.h>
#include <drivers/virtio.h>
#include <drivers/virtio_blk.h>
#include <kernel/printk.h>
#include <lib/err.h>
#include <stddef.h>

#define MAX_IRQ_LINES 8

static struct virtio_dev *devices, **devices_tail = &devices;

static struct {
	unsigned irq;
	struct virtio_dev *devs;
} lines[MAX_IRQ_LINES];
static unsigned nlines;

struct virtio_dev *virtio_first(void)
{
	return devices;
}

void virtio_dev_fail(struct virtio_dev *d, const char *why)
{
	printk("virtio: %s: %s; device marked FAILED\n", d->where, why);
	d->t->set_status(d,
			 (uint8_t)(d->t->get_status(d) | VIRTIO_STATUS_FAILED));
}

int virtio_dev_reset(struct virtio_dev *d)
{
	int rc = d->t->set_status(d, 0);
	if (rc < 0)
		printk("virtio: %s: the device does not finish its reset\n",
		       d->where);
	return rc;
}

bool virtio_dev_broken(struct virtio_dev *d)
{
	return d->t->get_status(d) &
	       (VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED);
}

static void add_status(struct virtio_dev *d, uint8_t bits)
{
	d->t->set_status(d, (uint8_t)(d->t->get_status(d) | bits));
}

int virtio_dev_begin(struct virtio_dev *d, uint64_t wanted, uint64_t required)
{
	if (virtio_dev_reset(d) < 0)
		return -ENODEV;
	add_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
	add_status(d, VIRTIO_STATUS_DRIVER);

	uint64_t offered = d->t->get_features(d);
	uint64_t v1 = 1ull << VIRTIO_F_VERSION_1;
	if (!(offered & v1)) {
		virtio_dev_fail(d, "legacy-only device (no VIRTIO_F_VERSION_1);"
				   " only virtio 1.0+ is supported");
		return -ENODEV;
	}
	if ((offered & required) != required) {
		printk("virtio: %s: features %#llx required, %#llx offered\n",
		       d->where, (unsigned long long)required,
		       (unsigned long long)offered);
		virtio_dev_fail(d, "a required feature is missing");
		return -ENODEV;
	}
	d->features = offered & (wanted | required | v1);
	d->t->set_features(d, d->features);
	add_status(d, VIRTIO_STATUS_FEATURES_OK);
	if (!(d->t->get_status(d) & VIRTIO_STATUS_FEATURES_OK)) {
		virtio_dev_fail(d, "the device refused our feature set");
		return -ENODEV;
	}
	return 0;
}

static void line_irq(unsigned irq, void *arg)
{
	(void)irq;
	for (struct virtio_dev *d = arg; d; d = d->next_on_irq) {
		unsigned cause = d->t->ack_interrupt(d);
		if (!cause)
			continue;
		d->interrupts++;
		if (cause & 2u) {
			uint8_t st = d->t->get_status(d);
			if (st & VIRTIO_STATUS_NEEDS_RESET)
				printk("virtio: %s: device needs a reset\n",
				       d->where);
		}
		if ((cause & 1u) && d->on_used) {
			irq_state_t s = spin_lock_irqsave(&d->lock);
			d->on_used(d);
			spin_unlock_irqrestore(&d->lock, s);
		}
	}
}

/* Hang `d` on its line, attaching the line's handler the first time. The
 * device list of a line only grows, with IRQs off, so the handler never
 * sees a half-linked device. */
static int attach_irq(struct virtio_dev *d)
{
	irq_state_t s = arch_irq_save();
	int rc = 0;
	unsigned i;

	for (i = 0; i < nlines && lines[i].irq != d->irq; i++)
		;
	if (i < nlines) {
		d->next_on_irq = lines[i].devs;
		lines[i].devs = d;
		goto out;
	}
	if (nlines == MAX_IRQ_LINES) {
		rc = -ENOSPC;
		goto out;
	}
	lines[i].irq = d->irq;
	lines[i].devs = d;
	d->next_on_irq = NULL;
	rc = arch_irq_attach(d->irq, line_irq, d);
	if (rc == 0)
		nlines++;
out:
	arch_irq_restore(s);
	return rc;
}

int virtio_dev_ready(struct virtio_dev *d)
{
	if (!d->irq_attached) {
		int rc = attach_irq(d);
		if (rc < 0) {
			printk("virtio: %s: interrupt line %u: %s\n", d->where,
			       d->irq, err_name(rc));
			virtio_dev_fail(d, "no interrupt line");
			return -ENODEV;
		}
		d->irq_attached = true;
	}
	add_status(d, VIRTIO_STATUS_DRIVER_OK);
	if (virtio_dev_broken(d)) {
		printk("virtio: %s: device failed at DRIVER_OK\n", d->where);
		return -ENODEV;
	}
	return 0;
}

int virtio_dev_found(struct virtio_dev *d)
{
	int rc = -ENODEV;

	spin_init(&d->lock);
	switch (d->device_id) {
	case VIRTIO_ID_BLOCK:
#ifdef CONFIG_VIRTIO_BLK
		rc = virtio_blk_probe(d);
#else
		printk("virtio: %s: block device, but CONFIG_VIRTIO_BLK is "
		       "off\n",
		       d->where);
#endif
		break;
	default:
		printk("virtio: %s: device type %u has no driver\n", d->where,
		       (unsigned)d->device_id);
		break;
	}
	if (rc < 0) {
		virtio_dev_reset(d);
		return rc;
	}
	d->next = NULL;
	*devices_tail = d;
	devices_tail = &d->next;
	return 0;
}
