/*
 * Shared by the fs suites: a fresh FAT32 volume on a RAM disk, and file
 * helpers that fail the case on any error.
 */
#ifndef TESTS_FS_FAT_TEST_UTIL_H
#define TESTS_FS_FAT_TEST_UTIL_H

#include <fs/fat.h>
#include <fs/ramblk.h>
#include <ktest.h>

/* The RAM disk most cases use: 2 MiB (the kernel's 32 MiB boot runs
 * these suites too). */
#define TEST_DISK_SECTORS 4096

/* Format rb (sectors, spc) and mount it. false (and a failure) on error. */
bool fat_test_setup(struct ktest *t, struct ramblk *rb, uint64_t sectors,
		    unsigned spc, struct fat_vol **v);
/* Sync, unmount, mount again. */
bool fat_test_remount(struct ktest *t, struct ramblk *rb, struct fat_vol **v);
/* Write `len` bytes of a pattern seeded by `seed` to new file `name` in
 * the root. */
bool fat_test_put(struct ktest *t, struct fat_vol *v, const char *name,
		  size_t len, unsigned seed);
/* Check file `name` in the root holds that pattern. */
bool fat_test_check(struct ktest *t, struct fat_vol *v, const char *name,
		    size_t len, unsigned seed);
uint8_t fat_test_byte(size_t i, unsigned seed);

/*
 * A consistency check of the volume like fsck.fat's: every chain reached
 * from the root valid and ending, no cluster in two chains or twice in
 * one (cross-links, loops),  each file's chain at least as long as its size
 * needs. Lost clusters (allocated, reached by nothing), chain tails past a
 * file's size and FAT copies that differ are counted in *lost, not failed.
 * Returns the number of problems found.
 */
int fat_test_fsck(struct ktest *t, struct blockdev *dev, unsigned *lost);

#endif
