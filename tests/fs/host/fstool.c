/*
 * fstool: the kernel's FAT32 code (fs/) run on a disk image file on the
 * host, for tests/fs/fs-check to compare with mkfs.fat, fsck.fat and
 * mtools (tests/fs/README.md).
 *
 *   fstool IMAGE ls PATH | put HOSTFILE PATH | get PATH HOSTFILE |
 *                mkdir PATH | rm PATH | rmdir PATH | mv OLD NEW |
 *                truncate PATH SIZE | check | fill |
 *                random SEED COUNT MODELDIR
 *
 * Exit status: 0 done, 1 a wrong result (a test failure), 2 the image or
 * an operation was refused with an error (printed).
 */
#define _GNU_SOURCE
#include "fstool.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int img_read(struct blockdev *dev, uint64_t sector, uint32_t count,
		    void *buf)
{
	int fd = *(int *)dev->priv;
	size_t len = (size_t)count * 512;

	if (!blockdev_check_range(dev, sector, count))
		return -EINVAL;
	return pread(fd, buf, len, (off_t)sector * 512) == (ssize_t)len ? 0
									: -EIO;
}

static int img_write(struct blockdev *dev, uint64_t sector, uint32_t count,
		     const void *buf)
{
	int fd = *(int *)dev->priv;
	size_t len = (size_t)count * 512;

	if (!blockdev_check_range(dev, sector, count))
		return -EINVAL;
	return pwrite(fd, buf, len, (off_t)sector * 512) == (ssize_t)len ? 0
									 : -EIO;
}

/* The image is read back through the same page cache (fsck.fat, mtools):
 * an fsync would only guard against the host's own power cut, and made
 * fs-check three times slower. The order of writes is the fat_crash
 * suite's business. */
static int img_flush(struct blockdev *dev)
{
	return 0;
}

static const struct blockdev_ops img_ops = {img_read, img_write, img_flush};
static int img_fd;
static struct blockdev img_dev = {
	.name = "img", .sector_size = 512, .ops = &img_ops, .priv = &img_fd};
struct fat_vol *vol;

void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "fstool: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(status);
}

int tool_mount(void)
{
	const char *why = "";
	int err = fat_mount(&img_dev, &vol, &why);

	if (err)
		fprintf(stderr, "fstool: mount refused: %s (%s)\n", why,
			err_name(err));
	return err;
}

void tool_umount(void)
{
	int err = fat_umount(vol);
	if (err)
		die(2, "umount: %s (%s)", err_name(err), fat_why(vol));
}

/* The node of `path` ("/" separated, from the root); or its parent and
 * last name when `last` is given. */
int tool_walk(const char *path, struct fat_node **out, char *last)
{
	char buf[1024], *save, *name, *next;
	struct fat_node *n = fat_root(vol);

	snprintf(buf, sizeof(buf), "%s", path);
	name = strtok_r(buf, "/", &save);
	while (name) {
		next = strtok_r(NULL, "/", &save);
		if (!next && last) {
			strcpy(last, name);
			break;
		}
		struct fat_node *child;
		int err = fat_lookup(vol, n, name, &child);
		fat_put(vol, n);
		if (err)
			return err;
		n = child;
		name = next;
	}
	*out = n;
	return 0;
}

static int cmd_ls(const char *path)
{
	struct fat_node *d;
	struct fat_dirent e;
	uint64_t cookie = 0;
	int r = tool_walk(path, &d, NULL);

	if (r)
		return r;
	while ((r = fat_readdir(vol, d, &cookie, &e)) > 0)
		printf("%s\t%u\t%s\n", e.is_dir ? "d" : "f", e.size, e.name);
	fat_put(vol, d);
	return r;
}

static int cmd_put(const char *host, const char *path)
{
	char name[1024], buf[65536];
	struct fat_node *d, *f;
	int fd = open(host, O_RDONLY);
	int err = tool_walk(path, &d, name);
	uint64_t off = 0;

	if (fd < 0)
		die(2, "cannot open %s", host);
	if (err)
		return err;
	err = fat_create(vol, d, name, false, &f);
	fat_put(vol, d);
	if (err)
		return err;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		long w = fat_write(vol, f, buf, (size_t)n, off);
		if (w != n) {
			fat_put(vol, f);
			return w < 0 ? (int)w : -ENOSPC;
		}
		off += (uint64_t)n;
	}
	close(fd);
	fat_put(vol, f);
	return 0;
}

static int cmd_get(const char *path, const char *host)
{
	char buf[65536];
	struct fat_node *f;
	int err = tool_walk(path, &f, NULL);
	uint64_t off = 0;
	long n;

	if (err)
		return err;
	FILE *out = fopen(host, "wb");
	if (!out)
		die(2, "cannot create %s", host);
	while ((n = fat_read(vol, f, buf, sizeof(buf), off)) > 0) {
		fwrite(buf, 1, (size_t)n, out);
		off += (uint64_t)n;
	}
	fclose(out);
	fat_put(vol, f);
	return n < 0 ? (int)n : 0;
}

static int cmd_parent_op(const char *op, const char *path, const char *arg)
{
	char name[1024], name2[1024];
	struct fat_node *d, *d2, *n;
	int err = tool_walk(path, &d, name);

	if (err)
		return err;
	if (!strcmp(op, "mkdir")) {
		err = fat_create(vol, d, name, true, &n);
		if (!err)
			fat_put(vol, n);
	} else if (!strcmp(op, "rm") || !strcmp(op, "rmdir")) {
		err = fat_remove(vol, d, name, !strcmp(op, "rmdir"));
	} else if (!strcmp(op, "mv")) {
		err = tool_walk(arg, &d2, name2);
		if (!err) {
			err = fat_rename(vol, d, name, d2, name2);
			fat_put(vol, d2);
		}
	} else {
		err = fat_lookup(vol, d, name, &n);
		if (!err) {
			err = fat_set_size(vol, n, strtoull(arg, NULL, 0));
			fat_put(vol, n);
		}
	}
	fat_put(vol, d);
	return err;
}

/* Read every file and directory; count what cannot be read. */
static unsigned check_tree(struct fat_node *d, unsigned depth)
{
	struct fat_dirent e;
	uint64_t cookie = 0;
	unsigned bad = 0;
	int r;
	static char buf[65536];

	while ((r = fat_readdir(vol, d, &cookie, &e)) > 0) {
		struct fat_node *n;
		int err = fat_lookup(vol, d, e.name, &n);
		if (err) {
			printf("check: %s: %s (%s)\n", e.name, err_name(err),
			       fat_why(vol));
			bad++;
			continue;
		}
		if (fat_is_dir(n) && depth < 32) {
			bad += check_tree(n, depth + 1);
		} else if (!fat_is_dir(n)) {
			long got;
			uint64_t off = 0;
			while ((got = fat_read(vol, n, buf, sizeof(buf), off)) >
			       0)
				off += (uint64_t)got;
			if (got < 0) {
				printf("check: %s: %s (%s)\n", e.name,
				       err_name((int)got), fat_why(vol));
				bad++;
			}
		}
		fat_put(vol, n);
	}
	if (r < 0) {
		printf("check: directory listing: %s (%s)\n", err_name(r),
		       fat_why(vol));
		bad++;
	}
	return bad;
}

/* Fill the disk: -ENOSPC where expected, then remove the file. */
static int cmd_fill(void)
{
	static char buf[1 << 16];
	struct fat_node *root = fat_root(vol), *f;
	uint64_t off = 0;
	long w;
	int err = fat_create(vol, root, "filler.bin", false, &f);

	if (err)
		return err;
	memset(buf, 0xa5, sizeof(buf));
	while ((w = fat_write(vol, f, buf, sizeof(buf), off)) ==
	       (long)sizeof(buf))
		off += sizeof(buf);
	off += w > 0 ? (uint64_t)w : 0;
	w = fat_write(vol, f, buf, 1, off);
	if (w != -ENOSPC || fat_free_clusters(vol) != 0)
		die(1, "fill: expected ENOSPC at %llu bytes, got %ld",
		    (unsigned long long)off, w);
	printf("fill: %llu bytes, then ENOSPC\n", (unsigned long long)off);
	fat_put(vol, f);
	err = fat_sync(vol);
	if (!err)
		err = fat_remove(vol, root, "filler.bin", false);
	fat_put(vol, root);
	return err;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		die(2, "usage: fstool IMAGE COMMAND [ARGS] (see the source)");
	const char *cmd = argv[2];
	img_fd = open(argv[1], !strcmp(cmd, "check") ? O_RDONLY : O_RDWR);
	if (img_fd < 0)
		die(2, "cannot open %s", argv[1]);
	off_t size = lseek(img_fd, 0, SEEK_END);
	img_dev.sectors = (uint64_t)size / 512;
	img_dev.read_only = !strcmp(cmd, "check");
	if (tool_mount())
		return 2;
	int err = 0;
	if (!strcmp(cmd, "ls") && argc == 4)
		err = cmd_ls(argv[3]);
	else if (!strcmp(cmd, "put") && argc == 5)
		err = cmd_put(argv[3], argv[4]);
	else if (!strcmp(cmd, "get") && argc == 5)
		err = cmd_get(argv[3], argv[4]);
	else if ((!strcmp(cmd, "mkdir") || !strcmp(cmd, "rm") ||
		  !strcmp(cmd, "rmdir")) &&
		 argc == 4)
		err = cmd_parent_op(cmd, argv[3], NULL);
	else if ((!strcmp(cmd, "mv") || !strcmp(cmd, "truncate")) && argc == 5)
		err = cmd_parent_op(cmd, argv[3], argv[4]);
	else if (!strcmp(cmd, "fill") && argc == 3)
		err = cmd_fill();
	else if (!strcmp(cmd, "check") && argc == 3) {
		struct fat_node *root = fat_root(vol);
		unsigned bad = check_tree(root, 0);
		fat_put(vol, root);
		printf("check: %u unreadable\n", bad);
		tool_umount();
		return bad ? 2 : 0;
	} else if (!strcmp(cmd, "random") && argc == 6)
		return tool_random(strtoul(argv[3], NULL, 0),
				   strtoul(argv[4], NULL, 0), argv[5]);
	else
		die(2, "bad command or arguments: %s", cmd);
	if (err)
		die(2, "%s: %s (%s)", cmd, err_name(err), fat_why(vol));
	tool_umount();
	return 0;
}
