/*
 * virtio-blk (virtio 1.x, 5.2) behind the block-device seam.
 *
 * One request queue. Each request is a chain of three descriptors:
 * header (type, sector; device reads), data (device reads on write,
 * writes on read), status byte (device writes); a flush has no data. The
 * request table holds size / 3 requests; callers beyond that wait on the
 * `slots` semaphore, and each caller waits on its own request's semaphore,
 * which the interrupt handler raises, so completions in any order wake
 * exactly their callers.
 *
 * Memory the device sees: the request table and the rings are on the
 * identity-mapped kernel heap; a caller's buffer is used in place when it
 * is physically contiguous (the kernel heap always is), else it goes
 * through a bounce buffer from the kernel heap (docs/storage.md,
 * "Devices").
 *
 * A request that does not finish within the timeout is given up: the
 * device is reset (which stops it touching memory), every request still
 * on it fails (-ETIMEDOUT for the one that waited longest, -EIO for the
 * others), and the device is set up again; if that fails it is dead and
 * every later call is -ENODEV.
 */
#include <drivers/blockdev_registry.h>
#include <drivers/virtio.h>
#include <drivers/virtio_blk.h>
#include <kernel/printk.h>
#include <lib/err.h>
#include <lib/printf.h>
#include <mm/kheap.h>
#include <string.h>

#define BLK_F_SIZE_MAX 1
#define BLK_F_RO       5
#define BLK_F_FLUSH    9

#define BLK_T_IN    0
#define BLK_T_OUT   1
#define BLK_T_FLUSH 4

#define BLK_S_OK     0
#define BLK_S_IOERR  1
#define BLK_S_UNSUPP 2
#define BLK_S_NONE   0xff /* not written by the device */

#define SECTOR		  512u
#define MAX_CHUNK_SECTORS 128u /* 64 KiB per request */
#define QUEUE_SIZE	  128u

/* The header and status the device reads and writes; in the kernel heap
 * as part of the request table. */
struct vblk_req {
	struct {
		uint32_t type;
		uint32_t reserved;
		uint64_t sector;
	} hdr;
	uint8_t status;
	bool busy;     /* a caller owns the slot */
	bool finished; /* the device gave it back, or a reset aborted it */
	int result;
	struct semaphore done;
};

struct vblk {
	struct blockdev bd;
	struct virtio_dev *vdev;
	struct virtqueue vq;
	uint64_t wanted;
	struct vblk_req *reqs;
	unsigned nreqs, in_flight;
	uint32_t chunk_sectors;
	struct semaphore slots;
	bool dead;
	struct virtio_blk_stats st;
};

static unsigned timeout_ms = CONFIG_VIRTIO_BLK_TIMEOUT_MS;
static unsigned disks_found;

unsigned virtio_blk_set_timeout(unsigned ms)
{
	unsigned old = timeout_ms;
	timeout_ms = ms ? ms : CONFIG_VIRTIO_BLK_TIMEOUT_MS;
	return old;
}

static const struct blockdev_ops vblk_ops;

int virtio_blk_get_stats(struct blockdev *bd, struct virtio_blk_stats *out)
{
	if (bd->ops != &vblk_ops)
		return -ENODEV;
	struct vblk *vb = bd->priv;
	irq_state_t s = spin_lock_irqsave(&vb->vdev->lock);
	*out = vb->st;
	spin_unlock_irqrestore(&vb->vdev->lock, s);
	return 0;
}

/* Interrupt work, d->lock held: finish every used request. */
static void vblk_on_used(struct virtio_dev *d)
{
	struct vblk *vb = d->priv_driver;
	struct vblk_req *r;

	while ((r = virtq_next_used(&vb->vq, NULL))) {
		if (r->finished)
			continue; /* aborted by a reset meanwhile */
		r->finished = true;
		r->result = r->status == BLK_S_OK ? 0 : -EIO;
		vb->st.requests++;
		if (r->status != BLK_S_OK) {
			vb->st.errors++;
			printk("%s: %s at sector %llu: device status %u\n",
			       vb->bd.name,
			       r->hdr.type == BLK_T_FLUSH ? "flush failed"
							  : "I/O error",
			       (unsigned long long)r->hdr.sector, r->status);
		}
		sem_up(&r->done);
	}
}

/* d->lock held: reset the device and set it up again, failing every
 * request it held with `why`. */
static void vblk_recover(struct vblk *vb, int why)
{
	struct virtio_dev *d = vb->vdev;

	vb->st.resets++;
	int rc = virtio_dev_reset(d);
	for (unsigned i = 0; i < vb->nreqs; i++) {
		struct vblk_req *r = &vb->reqs[i];
		if (r->busy && !r->finished) {
			r->finished = true;
			r->result = why;
			sem_up(&r->done);
		}
	}
	if (rc == 0)
		rc = virtio_dev_begin(d, vb->wanted, 0);
	if (rc == 0)
		rc = virtio_queue_restart(&vb->vq);
	if (rc == 0)
		rc = virtio_dev_ready(d);
	if (rc < 0) {
		vb->dead = true;
		printk("%s: the device does not come back after a reset; "
		       "giving it up\n",
		       vb->bd.name);
	} else {
		printk("%s: device reset and set up again\n", vb->bd.name);
	}
}

/* One request of at most chunk_sectors. */
static int vblk_request(struct vblk *vb, uint32_t type, uint64_t sector,
			void *buf, uint32_t bytes)
{
	struct virtio_dev *d = vb->vdev;
	void *bounce = NULL, *data = buf;
	uint64_t pa;
	int rc;

	if (bytes && virtio_dma_addr(buf, bytes, &pa) < 0) {
		bounce = kmalloc(bytes);
		if (!bounce)
			return -ENOMEM;
		if (type == BLK_T_OUT)
			memcpy(bounce, buf, bytes);
		data = bounce;
	}
	if (sem_down(&vb->slots, timeout_ms) < 0) {
		kfree(bounce);
		return -ETIMEDOUT;
	}

	irq_state_t s = spin_lock_irqsave(&d->lock);
	if (!vb->dead && virtio_dev_broken(d)) {
		printk("%s: device reports NEEDS_RESET or FAILED\n",
		       vb->bd.name);
		vblk_recover(vb, -EIO);
	}
	if (vb->dead) {
		spin_unlock_irqrestore(&d->lock, s);
		sem_up(&vb->slots);
		kfree(bounce);
		return -ENODEV;
	}
	struct vblk_req *r = vb->reqs;
	while (r->busy) /* the semaphore guarantees a free slot */
		r++;
	r->busy = true;
	r->finished = false;
	r->result = 0;
	r->status = BLK_S_NONE;
	r->hdr.type = type;
	r->hdr.reserved = 0;
	r->hdr.sector = sector;
	sem_init(&r->done, 0);
	if (bounce)
		vb->st.bounced++;

	struct virtq_buf bufs[3];
	unsigned n = 0;
	bufs[n++] = (struct virtq_buf){&r->hdr, sizeof(r->hdr), false};
	if (bytes)
		bufs[n++] = (struct virtq_buf){data, bytes, type == BLK_T_IN};
	bufs[n++] = (struct virtq_buf){&r->status, 1, true};
	rc = virtq_submit(&vb->vq, bufs, n, r);
	if (rc == 0 && ++vb->in_flight > vb->st.max_in_flight)
		vb->st.max_in_flight = vb->in_flight;
	spin_unlock_irqrestore(&d->lock, s);

	if (rc == 0) {
		sem_down(&r->done, timeout_ms);
		s = spin_lock_irqsave(&d->lock);
		if (!r->finished) {
			vb->st.timeouts++;
			printk("%s: request (type %u, sector %llu) not "
			       "finished "
			       "after %u ms; resetting the device\n",
			       vb->bd.name, (unsigned)type,
			       (unsigned long long)sector, timeout_ms);
			vblk_recover(vb, -EIO);
			r->result = -ETIMEDOUT;
		}
		rc = r->result;
		vb->in_flight--;
	} else {
		s = spin_lock_irqsave(&d->lock);
	}
	r->busy = false;
	spin_unlock_irqrestore(&d->lock, s);
	sem_up(&vb->slots);

	if (rc == 0 && bounce && type == BLK_T_IN)
		memcpy(buf, bounce, bytes);
	kfree(bounce);
	return rc;
}

static int vblk_transfer(struct blockdev *bd, uint32_t type, uint64_t sector,
			 uint32_t count, void *buf)
{
	struct vblk *vb = bd->priv;

	if (!blockdev_check_range(bd, sector, count))
		return -EINVAL;
	while (count) {
		uint32_t n =
			count < vb->chunk_sectors ? count : vb->chunk_sectors;
		int rc = vblk_request(vb, type, sector, buf, n * SECTOR);
		if (rc < 0)
			return rc;
		sector += n;
		count -= n;
		buf = (uint8_t *)buf + (size_t)n * SECTOR;
	}
	return 0;
}

static int vblk_read(struct blockdev *bd, uint64_t sector, uint32_t count,
		     void *buf)
{
	return vblk_transfer(bd, BLK_T_IN, sector, count, buf);
}

static int vblk_write(struct blockdev *bd, uint64_t sector, uint32_t count,
		      const void *buf)
{
	if (bd->read_only)
		return -EPERM;
	/* The device only reads the buffer (a bounce copy is made for it). */
	return vblk_transfer(bd, BLK_T_OUT, sector, count, (void *)buf);
}

/* Without VIRTIO_BLK_F_FLUSH the device writes through (5.2.6.2):
 * nothing to do. */
static int vblk_flush(struct blockdev *bd)
{
	struct vblk *vb = bd->priv;
	if (!vb->st.flush)
		return vb->dead ? -ENODEV : 0;
	return vblk_request(vb, BLK_T_FLUSH, 0, NULL, 0);
}

static const struct blockdev_ops vblk_ops = {
	.read = vblk_read,
	.write = vblk_write,
	.flush = vblk_flush,
};

/* A 64-bit field of the configuration space read consistently (the
 * generation counter brackets it). */
static uint64_t config_read64(struct virtio_dev *d, unsigned off)
{
	uint64_t v = 0;
	for (int tries = 0; tries < 16; tries++) {
		uint32_t gen = d->t->config_generation(d);
		v = d->t->config_read32(d, off) |
		    (uint64_t)d->t->config_read32(d, off + 4) << 32;
		if (gen == d->t->config_generation(d))
			break;
	}
	return v;
}

int virtio_blk_probe(struct virtio_dev *d)
{
	struct vblk *vb = kcalloc(1, sizeof(*vb));
	if (!vb)
		return -ENOMEM;
	vb->vdev = d;
	vb->wanted =
		1ull << BLK_F_RO | 1ull << BLK_F_FLUSH | 1ull << BLK_F_SIZE_MAX;
	int rc = virtio_dev_begin(d, vb->wanted, 0);
	if (rc < 0)
		goto fail;

	snprintf(vb->bd.name, sizeof(vb->bd.name), "vd%c",
		 'a' + (int)(disks_found % 26));
	vb->bd.sector_size = SECTOR;
	vb->bd.sectors = config_read64(d, 0);
	vb->bd.read_only = virtio_has(d, BLK_F_RO);
	vb->bd.ops = &vblk_ops;
	vb->bd.priv = vb;
	vb->st.flush = virtio_has(d, BLK_F_FLUSH);
	vb->st.where = d->where;
	vb->chunk_sectors = MAX_CHUNK_SECTORS;
	if (virtio_has(d, BLK_F_SIZE_MAX)) {
		uint32_t size_max = d->t->config_read32(d, 8);
		if (size_max / SECTOR && size_max / SECTOR < MAX_CHUNK_SECTORS)
			vb->chunk_sectors = size_max / SECTOR;
	}

	rc = virtio_queue_setup(d, &vb->vq, 0, QUEUE_SIZE);
	if (rc < 0) {
		virtio_dev_fail(d, "request queue 0 cannot be set up");
		goto fail;
	}
	vb->nreqs = vb->vq.size / 3;
	vb->st.slots = vb->nreqs;
	vb->reqs = kcalloc(vb->nreqs, sizeof(*vb->reqs));
	if (!vb->nreqs || !vb->reqs) {
		rc = -ENOMEM;
		goto fail_queue;
	}
	sem_init(&vb->slots, vb->nreqs);
	d->priv_driver = vb;
	d->on_used = vblk_on_used;
	rc = virtio_dev_ready(d);
	if (rc < 0)
		goto fail_queue;
	rc = blockdev_register(&vb->bd);
	if (rc < 0) {
		printk("%s: cannot be listed: %s\n", vb->bd.name, err_name(rc));
		goto fail_ready;
	}
	disks_found++;
	uint64_t mib = vb->bd.sectors * SECTOR >> 20;
	printk("%s: virtio-blk on %s: %llu sectors of %u bytes (%llu MiB)%s%s,"
	       " %u requests in flight, irq %u\n",
	       vb->bd.name, d->where, (unsigned long long)vb->bd.sectors,
	       SECTOR, (unsigned long long)mib, vb->st.flush ? ", flush" : "",
	       vb->bd.read_only ? ", read-only" : "", vb->nreqs, d->irq);
	return 0;

fail_ready:
	virtio_dev_reset(d);
fail_queue:
	d->on_used = NULL;
	virtio_queue_free(&vb->vq);
	kfree(vb->reqs);
fail:
	kfree(vb);
	return rc;
}
