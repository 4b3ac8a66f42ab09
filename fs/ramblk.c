/* A block device in memory (see <fs/ramblk.h>). */
#include <fs/fs_alloc.h>
#include <fs/ramblk.h>
#include <lib/err.h>
#include <string.h>

static bool fails(long *left)
{
	if (*left < 0)
		return false;
	if (*left == 0)
		return true;
	(*left)--;
	return false;
}

static int rb_read(struct blockdev *dev, uint64_t sector, uint32_t count,
		   void *buf)
{
	struct ramblk *rb = dev->priv;

	if (!blockdev_check_range(dev, sector, count))
		return -EINVAL;
	if (fails(&rb->fail_reads_after))
		return -EIO;
	rb->reads++;
	memcpy(buf, rb->mem + sector * 512, (size_t)count * 512);
	return 0;
}

static int rb_write(struct blockdev *dev, uint64_t sector, uint32_t count,
		    const void *buf)
{
	struct ramblk *rb = dev->priv;

	if (!blockdev_check_range(dev, sector, count))
		return -EINVAL;
	if (dev->read_only)
		return -EPERM;
	if (fails(&rb->fail_writes_after))
		return -EIO;
	rb->writes++;
	memcpy(rb->mem + sector * 512, buf, (size_t)count * 512);
	return 0;
}

static int rb_flush(struct blockdev *dev)
{
	struct ramblk *rb = dev->priv;

	rb->flushes++;
	return 0;
}

static const struct blockdev_ops ramblk_ops = {
	.read = rb_read,
	.write = rb_write,
	.flush = rb_flush,
};

int ramblk_init(struct ramblk *rb, uint64_t sectors)
{
	memset(rb, 0, sizeof(*rb));
	rb->mem = fs_zalloc((size_t)sectors, 512);
	if (!rb->mem)
		return -ENOMEM;
	strlcpy(rb->dev.name, "ram0", sizeof(rb->dev.name));
	rb->dev.sector_size = 512;
	rb->dev.sectors = sectors;
	rb->dev.ops = &ramblk_ops;
	rb->dev.priv = rb;
	rb->fail_reads_after = -1;
	rb->fail_writes_after = -1;
	return 0;
}

void ramblk_free(struct ramblk *rb)
{
	fs_free(rb->mem);
	rb->mem = NULL;
}
