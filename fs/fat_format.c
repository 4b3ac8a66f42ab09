/*
 * Making a FAT32 volume: for the kernel's tests on a RAM disk (a volume
 * far smaller than mkfs.fat makes FAT32, which Linux, mtools and fsck.fat
 * read all the same: FAT32 is told by the BPB, not the cluster count) and
 * for a fresh disk.
 */
#include "fat_internal.h"
#include <fs/fs_alloc.h>
#include <lib/err.h>
#include <string.h>

#define RESERVED 32

static int write_sector(struct blockdev *dev, uint64_t s, const uint8_t *buf)
{
	return dev->ops->write(dev, s, 1, buf);
}

static void boot_sector(uint8_t *bs, uint32_t total, uint32_t spc,
			uint32_t fat_size, const char *label)
{
	static const uint8_t jump[3] = {0xeb, 0x58, 0x90};

	memset(bs, 0, 512);
	memcpy(bs, jump, 3);
	memcpy(bs + 3, "FLATKRNL", 8);
	put16(bs + 11, 512);
	bs[13] = (uint8_t)spc;
	put16(bs + 14, RESERVED);
	bs[16] = 2;
	bs[21] = 0xf8; /* fixed disk */
	put16(bs + 24, 63);
	put16(bs + 26, 255);
	put32(bs + 32, total);
	put32(bs + 36, fat_size);
	put32(bs + 44, 2); /* root cluster */
	put16(bs + 48, 1); /* FSInfo */
	put16(bs + 50, 6); /* backup boot sector */
	bs[64] = 0x80;
	bs[66] = 0x29;
	put32(bs + 67, 0x464b0001);
	memset(bs + 71, ' ', 11);
	memcpy(bs + 71, label, strnlen(label, 11));
	memcpy(bs + 82, "FAT32   ", 8);
	bs[510] = 0x55;
	bs[511] = 0xaa;
}

static void fsinfo_sector(uint8_t *fs, uint32_t free)
{
	memset(fs, 0, 512);
	put32(fs, 0x41615252);
	put32(fs + 484, 0x61417272);
	put32(fs + 488, free);
	put32(fs + 492, 3);
	put32(fs + 508, 0xaa550000);
}

int fat_format(struct blockdev *dev, unsigned spc, const char *label)
{
	if (dev->sector_size != 512 || dev->sectors < 128 ||
	    dev->sectors > 0xFFFFFFFFu)
		return -EINVAL;
	uint32_t total = (uint32_t)dev->sectors;
	if (!spc)
		spc = total < 532480 ? 1 : total < 16777216 ? 8 : 32;
	if (spc > 128 || (spc & (spc - 1)))
		return -EINVAL;
	/* FAT size: enough 4-byte entries for the clusters that remain. */
	uint32_t fat_size = 1;
	while ((uint64_t)fat_size * 128 <
	       (total - RESERVED - 2 * fat_size) / spc + 2)
		fat_size++;
	uint32_t clusters = (total - RESERVED - 2 * fat_size) / spc;
	if (clusters < 16)
		return -EINVAL;
	uint8_t *buf = fs_zalloc(1, 512);
	if (!buf)
		return -ENOMEM;
	int err = 0;
	/* Zero the FATs and the root cluster. */
	for (uint32_t s = RESERVED; !err && s < RESERVED + 2 * fat_size + spc;
	     s++)
		err = write_sector(dev, s, buf);
	for (unsigned copy = 0; copy < 2 && !err; copy++) {
		put32(buf, 0x0FFFFFF8);
		put32(buf + 4, 0x0FFFFFFF);
		put32(buf + 8, FAT_EOC); /* the root directory */
		err = write_sector(dev, RESERVED + copy * fat_size, buf);
	}
	if (!err) {
		boot_sector(buf, total, spc, fat_size,
			    label ? label : "NO NAME");
		err = write_sector(dev, 0, buf);
		if (!err)
			err = write_sector(dev, 6, buf);
	}
	if (!err) {
		fsinfo_sector(buf, clusters - 1);
		err = write_sector(dev, 1, buf);
		if (!err)
			err = write_sector(dev, 7, buf);
	}
	fs_free(buf);
	return err ? err : dev->ops->flush(dev);
}
