/*
 * fsbench: file throughput as a program sees it (scripts/bench-storage,
 * docs/benchmarks.md "Storage").
 *
 *   fsbench DIR MIB FILES
 *
 * 1. seq-write: writes DIR/fsbench.dat, MIB MiB in 64 KiB writes, then
 *    fsync; timed from the open to the end of the fsync.
 * 2. seq-read: reads it back in 64 KiB reads and checks every byte (each
 *    chunk carries its offset, so a wrong block fails the run); the
 *    checking is not timed.
 * 3. small-files: FILES times: create DIR/fsbench-N.dat (O_EXCL), write
 *    4 KiB, fsync, close; timed over all of them.
 * Then removes what it made. Times come from clock_gettime(MONOTONIC)
 * (WASI clock_time_get), so they exclude loading and start-up. Prints
 *   bench seq-write <MB/s> MB/s <seconds> s
 *   bench seq-read <MB/s> MB/s <seconds> s
 *   bench small-files <files/s> files/s <seconds> s
 * (MB = 10^6 bytes) and "fsbench: OK" last; a failed call prints what and
 * errno and exits 1. Built natively too, so only POSIX calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK	   (64 * 1024)
#define SMALL_SIZE 4096

static unsigned char buf[CHUNK], ref[CHUNK];

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *path)
{
	printf("fsbench: %s %s: errno %d (%s)\n", what, path, errno,
	       strerror(errno));
	exit(1);
}

/* Every chunk is ref with its own offset in its first bytes, so a block
 * read from the wrong place shows, and making a chunk costs next to
 * nothing (the timings are the file system's, not the program's). */
static void make_ref(void)
{
	for (unsigned i = 0; i < CHUNK; i++)
		ref[i] = (unsigned char)((i * 2654435761u) >> 13);
}

static void stamp(unsigned char *chunk, unsigned long off)
{
	memcpy(chunk, &off, sizeof(off));
}

static void report(const char *what, double amount, const char *unit,
		   double seconds)
{
	printf("bench %s %.3f %s %.3f s\n", what, amount / seconds, unit,
	       seconds);
}

static void seq_write(const char *path, unsigned long bytes)
{
	double t0 = now();
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("open", path);
	memcpy(buf, ref, CHUNK);
	for (unsigned long off = 0; off < bytes; off += CHUNK) {
		stamp(buf, off);
		if (write(fd, buf, CHUNK) != CHUNK)
			die("write", path);
	}
	if (fsync(fd) != 0)
		die("fsync", path);
	double t1 = now();
	if (close(fd) != 0)
		die("close", path);
	report("seq-write", (double)bytes / 1e6, "MB/s", t1 - t0);
}

static void seq_read(const char *path, unsigned long bytes)
{
	double busy = 0; /* time spent checking, not reading */
	double t0 = now();
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open", path);
	for (unsigned long off = 0; off < bytes; off += CHUNK) {
		if (read(fd, buf, CHUNK) != CHUNK)
			die("read", path);
		double c0 = now();
		stamp(ref, off);
		if (memcmp(buf, ref, CHUNK)) {
			printf("fsbench: %s: wrong data in the 64 KiB at %lu\n",
			       path, off);
			exit(1);
		}
		busy += now() - c0;
	}
	char extra;
	if (read(fd, &extra, 1) != 0)
		die("read past the end of", path);
	double t1 = now();
	close(fd);
	report("seq-read", (double)bytes / 1e6, "MB/s", t1 - t0 - busy);
}

static void small_files(const char *dir, unsigned count)
{
	char path[512];

	memset(buf, 'x', SMALL_SIZE);
	double t0 = now();
	for (unsigned i = 0; i < count; i++) {
		snprintf(path, sizeof(path), "%s/fsbench-%u.dat", dir, i);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			die("create", path);
		if (write(fd, buf, SMALL_SIZE) != SMALL_SIZE)
			die("write", path);
		if (fsync(fd) != 0)
			die("fsync", path);
		if (close(fd) != 0)
			die("close", path);
	}
	double t1 = now();
	report("small-files", count, "files/s", t1 - t0);
	for (unsigned i = 0; i < count; i++) {
		snprintf(path, sizeof(path), "%s/fsbench-%u.dat", dir, i);
		if (unlink(path) != 0)
			die("unlink", path);
	}
}

int main(int argc, char **argv)
{
	char path[512];

	if (argc != 4) {
		printf("usage: fsbench DIR MIB FILES\n");
		return 2;
	}
	unsigned long mib = strtoul(argv[2], NULL, 10);
	unsigned files = (unsigned)strtoul(argv[3], NULL, 10);
	if (mib == 0 || mib > 1024 || files > 100000) {
		printf("fsbench: MIB must be 1-1024 and FILES 0-100000\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/fsbench.dat", argv[1]);
	make_ref();
	seq_write(path, mib << 20);
	seq_read(path, mib << 20);
	if (unlink(path) != 0)
		die("unlink", path);
	if (files)
		small_files(argv[1], files);
	printf("fsbench: OK\n");
	return 0;
}
