/*
 * virtio-blk on the disk scripts/qemu --disk attaches (vda): patterns
 * written and read back, transfers larger than one request, several
 * requests in flight from several processes, flush, capacity and the
 * range check, a read-only disk, and a request the device never sees
 * (timeout, reset, recovery). Without a disk every case is skipped with
 * that reason; scripts/check boots with a scratch image and a read-only
 * one.
 *
 * The cases write anywhere on the disk: give them a scratch image only.
 */
#include <drivers/blockdev_registry.h>
#include <drivers/virtio.h>
#include <drivers/virtio_blk.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <mm/malloc.h>
#include <string.h>

#define SECTOR 512u

static struct blockdev *disk(void)
{
	return blockdev_find("vda");
}

#define NEED_DISK(t, bd)                                                       \
	do {                                                                   \
		if (!(bd))                                                     \
			KT_SKIP(t, "no virtio disk (vda) attached: boot "      \
				   "with scripts/qemu --disk FILE");           \
	} while (0)

#define NEED_WRITABLE(t, bd)                                                   \
	do {                                                                   \
		NEED_DISK(t, bd);                                              \
		if ((bd)->read_only)                                           \
			KT_SKIP(t, "vda is read-only");                        \
	} while (0)

/* A pattern that differs in every sector, word and run: a misplaced
 * sector or a stale buffer shows. */
static void fill(uint8_t *b, uint64_t sector, uint32_t count, uint32_t seed)
{
	for (uint32_t s = 0; s < count; s++) {
		uint32_t *w = (uint32_t *)(b + (size_t)s * SECTOR);
		for (unsigned i = 0; i < SECTOR / 4; i++)
			w[i] = (uint32_t)(sector + s) * 2654435761u ^ seed ^
			       i * 40503u;
	}
}

static bool check(const uint8_t *b, uint64_t sector, uint32_t count,
		  uint32_t seed)
{
	for (uint32_t s = 0; s < count; s++) {
		const uint32_t *w = (const uint32_t *)(b + (size_t)s * SECTOR);
		for (unsigned i = 0; i < SECTOR / 4; i++)
			if (w[i] != ((uint32_t)(sector + s) * 2654435761u ^
				     seed ^ i * 40503u))
				return false;
	}
	return true;
}

/* A disk whose sector 0 says "VIRTIO-EIO-TEST N" fails every request
 * touching sector N (scripts/check attaches it through QEMU's blkdebug
 * with rerror/werror=report): the device's IOERR status is -EIO, the
 * neighbours still work. First in the file, before other cases write
 * sector 0. */
KTEST(virtio, device_error_status_is_eio)
{
	struct blockdev *bd = disk();
	NEED_DISK(t, bd);
	char *b = kmalloc(SECTOR);
	KT_ASSERT(t, b != NULL);
	KT_ASSERT_EQ(t, bd->ops->read(bd, 0, 1, b), 0);
	const char tag[] = "VIRTIO-EIO-TEST ";
	if (memcmp(b, tag, sizeof(tag) - 1) != 0) {
		kfree(b);
		KT_SKIP(t, "vda injects no errors (scripts/check's blkdebug "
			   "boot does)");
	}
	uint64_t bad = 0;
	for (const char *p = b + sizeof(tag) - 1; *p >= '0' && *p <= '9'; p++)
		bad = bad * 10 + (uint64_t)(*p - '0');
	KT_ASSERT(t, bad > 0 && bad + 1 < bd->sectors);
	struct virtio_blk_stats before, after;
	KT_ASSERT_EQ(t, virtio_blk_get_stats(bd, &before), 0);

	KT_EXPECT_EQ(t, bd->ops->read(bd, bad, 1, b), -EIO);
	KT_EXPECT_EQ(t, bd->ops->read(bd, bad - 1, 2, b), -EIO);
	KT_EXPECT_EQ(t, bd->ops->read(bd, bad + 1, 1, b), 0);
	KT_EXPECT_EQ(t, bd->ops->read(bd, bad - 1, 1, b), 0);
	if (!bd->read_only)
		KT_EXPECT_EQ(t, bd->ops->write(bd, bad, 1, b), -EIO);
	KT_ASSERT_EQ(t, virtio_blk_get_stats(bd, &after), 0);
	KT_EXPECT_EQ(t, after.errors - before.errors, bd->read_only ? 2 : 3);
	KT_EXPECT_EQ(t, after.timeouts, before.timeouts);
	kfree(b);
}

KTEST(virtio, disk_is_listed_with_its_capacity)
{
	struct blockdev *bd = disk();
	NEED_DISK(t, bd);
	struct virtio_blk_stats st;

	KT_EXPECT_EQ(t, bd->sector_size, SECTOR);
	KT_EXPECT(t, bd->sectors >= 2048); /* the smallest image: 1 MiB */
	KT_EXPECT(t, blockdev_count() >= 1);
	KT_EXPECT(t, blockdev_at(0) == bd);
	KT_EXPECT(t, blockdev_find("nosuch") == NULL);
	KT_ASSERT_EQ(t, virtio_blk_get_stats(bd, &st), 0);
	KT_EXPECT(t, st.slots >= 2);
	KT_EXPECT(t, virtio_first() != NULL);
}

KTEST(virtio, patterns_read_back_at_start_middle_and_end)
{
	struct blockdev *bd = disk();
	NEED_WRITABLE(t, bd);
	const uint32_t n = 8;
	uint8_t *w = kmalloc(n * SECTOR), *r = kmalloc(n * SECTOR);
	KT_ASSERT(t, w && r);
	uint64_t where[] = {0, bd->sectors / 2 + 3, bd->sectors - n};

	for (unsigned i = 0; i < 3; i++) {
		fill(w, where[i], n, 0x1234 + i);
		memset(r, 0xa5, n * SECTOR);
		KT_EXPECT_EQ(t, bd->ops->write(bd, where[i], n, w), 0);
		KT_EXPECT_EQ(t, bd->ops->read(bd, where[i], n, r), 0);
		KT_EXPECT(t, check(r, where[i], n, 0x1234 + i));
	}
	/* One sector rewritten inside the run: its neighbours keep theirs. */
	fill(w, where[1] + 2, 1, 0x9999);
	KT_EXPECT_EQ(t, bd->ops->write(bd, where[1] + 2, 1, w), 0);
	KT_EXPECT_EQ(t, bd->ops->read(bd, where[1], n, r), 0);
	KT_EXPECT(t, check(r, where[1], 2, 0x1235));
	KT_EXPECT(t, check(r + 2 * SECTOR, where[1] + 2, 1, 0x9999));
	KT_EXPECT(t, check(r + 3 * SECTOR, where[1] + 3, n - 3, 0x1235));
	kfree(w);
	kfree(r);
}

/* 300 sectors: three requests of at most 128; from the sbrk heap (malloc),
 * whose pages need not be physically contiguous (then bounced). */
KTEST(virtio, large_transfers_span_several_requests)
{
	struct blockdev *bd = disk();
	NEED_WRITABLE(t, bd);
	const uint32_t n = 300;
	uint8_t *w = malloc(n * SECTOR), *r = malloc(n * SECTOR);
	KT_ASSERT(t, w && r);
	struct virtio_blk_stats before, after;
	KT_ASSERT_EQ(t, virtio_blk_get_stats(bd, &before), 0);

	fill(w, 1000, n, 0x77);
	memset(r, 0, n * SECTOR);
	KT_EXPECT_EQ(t, bd->ops->write(bd, 1000, n, w), 0);
	KT_EXPECT_EQ(t, bd->ops->read(bd, 1000, n, r), 0);
	KT_EXPECT(t, check(r, 1000, n, 0x77));
	KT_ASSERT_EQ(t, virtio_blk_get_stats(bd, &after), 0);
	KT_EXPECT(t, after.requests - before.requests >= 6);
	KT_EXPECT_EQ(t, after.errors, before.errors);
	free(w);
	free(r);
}

KTEST(virtio, ranges_past_the_end_are_einval)
{
	struct blockdev *bd = disk();
	NEED_DISK(t, bd);
	uint8_t *b = kmalloc(2 * SECTOR);
	KT_ASSERT(t, b != NULL);
	uint64_t end = bd->sectors;

	KT_EXPECT_EQ(t, bd->ops->read(bd, end - 1, 1, b), 0);
	KT_EXPECT_EQ(t, bd->ops->read(bd, end - 1, 2, b), -EINVAL);
	KT_EXPECT_EQ(t, bd->ops->read(bd, end, 1, b), -EINVAL);
	KT_EXPECT_EQ(t, bd->ops->read(bd, ~0ull, 1, b), -EINVAL);
	KT_EXPECT_EQ(t, bd->ops->read(bd, 0, 0xffffffffu, b), -EINVAL);
	KT_EXPECT_EQ(t, bd->ops->read(bd, end, 0, b), 0);
	if (!bd->read_only)
		KT_EXPECT_EQ(t, bd->ops->write(bd, end, 1, b), -EINVAL);
	kfree(b);
}

KTEST(virtio, flush_reaches_the_device)
{
	struct blockdev *bd = disk();
	NEED_WRITABLE(t, bd);
	struct virtio_blk_stats before, after;
	KT_ASSERT_EQ(t, virtio_blk_get_stats(bd, &before), 0);
	if (!before.flush)
		KT_SKIP(t, "the device does not offer VIRTIO_BLK_F_FLUSH");
	KT_EXPECT_EQ(t, bd->ops->flush(bd), 0);
	KT_ASSERT_EQ(t, virtio_blk_get_stats(bd, &after), 0);
	KT_EXPECT_EQ(t, after.requests, before.requests + 1);
	KT_EXPECT_EQ(t, after.errors, before.errors);
}

KTEST(virtio, read_only_disk_refuses_writes_with_eperm)
{
	struct blockdev *bd = disk();
	NEED_DISK(t, bd);
	if (!bd->read_only)
		KT_SKIP(t, "vda is writable (scripts/qemu --disk-ro makes it "
			   "read-only)");
	uint8_t *b = kmalloc(SECTOR);
	KT_ASSERT(t, b != NULL);
	KT_EXPECT_EQ(t, bd->ops->read(bd, 0, 1, b), 0);
	KT_EXPECT_EQ(t, bd->ops->write(bd, 0, 1, b), -EPERM);
	KT_EXPECT_EQ(t, bd->ops->write(bd, bd->sectors, 1, b), -EPERM);
	kfree(b);
}

/* Several processes, each on its own region, writing and reading back
 * in a loop: every caller gets its own data back while the queue holds
 * several requests at once. */
#define WORKERS 6
#define ROUNDS	12
#define W_SECTS 16

struct worker {
	struct blockdev *bd;
	unsigned id;
	int failures;
};

static void worker_main(void *arg)
{
	struct worker *wk = arg;
	struct blockdev *bd = wk->bd;
	uint8_t *w = kmalloc(W_SECTS * SECTOR), *r = kmalloc(W_SECTS * SECTOR);
	uint64_t base = 4096 + (uint64_t)wk->id * 64;

	if (!w || !r)
		wk->failures++;
	for (unsigned round = 0; w && r && round < ROUNDS; round++) {
		uint32_t seed = wk->id << 16 | round;
		fill(w, base, W_SECTS, seed);
		if (bd->ops->write(bd, base, W_SECTS, w) < 0 ||
		    bd->ops->read(bd, base, W_SECTS, r) < 0 ||
		    !check(r, base, W_SECTS, seed))
			wk->failures++;
	}
	kfree(w);
	kfree(r);
}

KTEST(virtio, requests_in_flight_from_several_processes)
{
	struct blockdev *bd = disk();
	NEED_WRITABLE(t, bd);
	KT_ASSERT(t, bd->sectors >= 4096 + WORKERS * 64);
	static struct worker wk[WORKERS];
	int pids[WORKERS];
	struct virtio_blk_stats st;
	KT_ASSERT_EQ(t, virtio_blk_get_stats(bd, &st), 0);
	unsigned long before_errors = st.errors;

	for (unsigned i = 0; i < WORKERS; i++) {
		wk[i] = (struct worker){bd, i, 0};
		pids[i] = proc_spawn("blkworker", worker_main, &wk[i],
				     PROC_PRIO_DEFAULT, 0, 0);
		KT_EXPECT(t, pids[i] > 0);
	}
	for (unsigned i = 0; i < WORKERS; i++) {
		if (pids[i] > 0)
			KT_EXPECT_EQ(t, proc_wait(pids[i], NULL), 0);
		KT_EXPECT_EQ(t, wk[i].failures, 0);
	}
	KT_ASSERT_EQ(t, virtio_blk_get_stats(bd, &st), 0);
	KT_EXPECT_MSG(t, st.max_in_flight >= 2,
		      "at most %u request(s) were ever in flight at once",
		      st.max_in_flight);
	KT_EXPECT_EQ(t, st.errors, before_errors);
}

/* A request the device is never told about (notify held back) times out;
 * the device is reset and set up again, and the next request works. */
KTEST(virtio, unfinished_request_times_out_and_device_recovers)
{
	struct blockdev *bd = disk();
	NEED_DISK(t, bd);
	uint8_t *b = kmalloc(SECTOR);
	KT_ASSERT(t, b != NULL);
	struct virtio_blk_stats before, after;
	KT_ASSERT_EQ(t, virtio_blk_get_stats(bd, &before), 0);

	unsigned old = virtio_blk_set_timeout(300);
	virtio_test_hold_notify = true;
	int rc = bd->ops->read(bd, 0, 1, b);
	virtio_test_hold_notify = false;
	virtio_blk_set_timeout(old);
	KT_EXPECT_EQ(t, rc, -ETIMEDOUT);
	KT_ASSERT_EQ(t, virtio_blk_get_stats(bd, &after), 0);
	KT_EXPECT_EQ(t, after.timeouts, before.timeouts + 1);
	KT_EXPECT_EQ(t, after.resets, before.resets + 1);
	KT_EXPECT_EQ(t, bd->ops->read(bd, 0, 1, b), 0);
	KT_EXPECT_EQ(t, bd->ops->read(bd, bd->sectors - 1, 1, b), 0);
	kfree(b);
}

KTEST(virtio, disks_command_lists_the_devices)
{
	KT_EXPECT_EQ(t, shell_run_line("disks"), 0);
	KT_EXPECT_EQ(t, shell_run_line("disks now"), -EINVAL);
	KT_EXPECT(t, shell_command("disks") != NULL);
}
