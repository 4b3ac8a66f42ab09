/*
 * The shell's `disks` command: the block devices found, with their size
 * and, for virtio disks, where they are and how their queue has fared.
 */
#include <drivers/blockdev_registry.h>
#include <drivers/virtio_blk.h>
#include <kernel/shell.h>

static int cmd_disks(int argc, char **argv)
{
	if (argc > 1)
		return shell_usage(argv[0], "takes no arguments, got", argv[1]);
	unsigned n = blockdev_count();
	if (!n) {
		shell_printf("no block devices (QEMU: scripts/qemu --disk "
			     "FILE)\n");
		return 0;
	}
	for (unsigned i = 0; i < n; i++) {
		struct blockdev *bd = blockdev_at(i);
		uint64_t bytes = bd->sectors * bd->sector_size;
		shell_printf("%-6s %10llu sectors of %u bytes, %llu MiB, %s",
			     bd->name, (unsigned long long)bd->sectors,
			     (unsigned)bd->sector_size,
			     (unsigned long long)(bytes >> 20),
			     bd->read_only ? "read-only" : "read-write");
#ifdef CONFIG_VIRTIO_BLK
		struct virtio_blk_stats st;
		if (virtio_blk_get_stats(bd, &st) == 0)
			shell_printf(
				", virtio-blk on %s%s: %lu requests, %lu "
				"errors, %lu timeouts, at most %u of %u in "
				"flight",
				st.where, st.flush ? " (flush)" : "",
				st.requests, st.errors, st.timeouts,
				st.max_in_flight, st.slots);
#endif
		shell_printf("\n");
	}
	return 0;
}

SHELL_COMMAND(disks, cmd_disks, "disks", "the block devices found");
