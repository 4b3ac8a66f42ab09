/*
 * powercut: the write-heavy program of the power-cut test
 * (scripts/power-cut-test, docs/storage.md).
 *
 *   powercut write DIR COUNT   write DIR/pcNNNN.dat for NNNN = 0..COUNT-1,
 *                              each fsync'ed, printing "powercut: synced N"
 *                              after each fsync returns; between them,
 *                              unsynced churn (an append-only log, a file
 *                              created and the previous one unlinked)
 *   powercut verify DIR LAST   check DIR/pc0000.dat..pcLAST.dat hold
 *                              exactly what `write` put there (exit 0),
 *                              else say which file differs (exit 1)
 *
 * The test kills QEMU at a random moment of `write`, then runs `verify`
 * (built for the host) on the files mtools copies out of the image, with
 * LAST the last number the kernel printed: data and size of every file
 * whose fsync returned must survive. Each file's contents depend only on
 * its number, so `verify` needs nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 4096

static size_t file_size(int n)
{
	return 512 + ((size_t)n * 1237u) % 20000u;
}

static unsigned char file_byte(int n, size_t at)
{
	return (unsigned char)(n * 131 + at * 7 + (at >> 9));
}

static void fill(unsigned char *buf, int n, size_t at, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = file_byte(n, at + i);
}

static int write_all(int fd, const unsigned char *buf, size_t len)
{
	while (len) {
		ssize_t k = write(fd, buf, len);
		if (k <= 0)
			return -1;
		buf += k;
		len -= (size_t)k;
	}
	return 0;
}

static int write_one(const char *dir, int n)
{
	static unsigned char buf[CHUNK];
	char path[256];
	size_t size = file_size(n);

	snprintf(path, sizeof(path), "%s/pc%04d.dat", dir, n);
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0) {
		fprintf(stderr, "powercut: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (size_t at = 0; at < size; at += CHUNK) {
		size_t len = size - at < CHUNK ? size - at : CHUNK;
		fill(buf, n, at, len);
		if (write_all(fd, buf, len)) {
			fprintf(stderr, "powercut: write %s: %s\n", path,
				strerror(errno));
			close(fd);
			return -1;
		}
	}
	if (fsync(fd)) {
		fprintf(stderr, "powercut: fsync %s: %s\n", path,
			strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	printf("powercut: synced %d\n", n);
	fflush(stdout);
	return 0;
}

/* Unsynced work between the synced files: it may be lost at a cut, but
 * must never damage the file system. */
static int churn(const char *dir, int n)
{
	static unsigned char buf[8192];
	char path[256];

	snprintf(path, sizeof(path), "%s/log.dat", dir);
	int fd = open(path, O_CREAT | O_APPEND | O_WRONLY, 0644);
	if (fd < 0)
		return -1;
	memset(buf, 'a' + n % 26, sizeof(buf));
	int rc = write_all(fd, buf, sizeof(buf));
	close(fd);
	if (rc)
		return -1;
	snprintf(path, sizeof(path), "%s/tmp%d.dat", dir, n);
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0)
		return -1;
	rc = write_all(fd, buf, 3000 + (size_t)n % 5000);
	close(fd);
	if (n > 0) {
		snprintf(path, sizeof(path), "%s/tmp%d.dat", dir, n - 1);
		unlink(path);
	}
	return rc;
}

static int verify_one(const char *dir, int n)
{
	static unsigned char got[CHUNK], want[CHUNK];
	char path[256];
	size_t size = file_size(n), at = 0;

	snprintf(path, sizeof(path), "%s/pc%04d.dat", dir, n);
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("powercut: %s: %s (synced, so it must exist)\n", path,
		       strerror(errno));
		return -1;
	}
	for (;;) {
		size_t k = fread(got, 1, CHUNK, f);
		if (k == 0)
			break;
		fill(want, n, at, k);
		if (at + k > size || memcmp(got, want, k)) {
			printf("powercut: %s: wrong contents near byte %zu\n",
			       path, at);
			fclose(f);
			return -1;
		}
		at += k;
	}
	fclose(f);
	if (at != size) {
		printf("powercut: %s: %zu bytes, synced with %zu\n", path, at,
		       size);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4 ||
	    (strcmp(argv[1], "write") && strcmp(argv[1], "verify"))) {
		fprintf(stderr, "usage: powercut write DIR COUNT | verify DIR "
				"LAST\n");
		return 2;
	}
	const char *dir = argv[2];
	int count = atoi(argv[3]);

	if (strcmp(argv[1], "verify") == 0) {
		int bad = 0;
		for (int n = 0; n <= count; n++)
			bad += verify_one(dir, n) != 0;
		printf("powercut: verify: %d passed, %d failed\n",
		       count + 1 - bad, bad);
		return bad != 0;
	}
	for (int n = 0; n < count; n++) {
		if (write_one(dir, n) || churn(dir, n)) {
			fprintf(stderr, "powercut: stopped at file %d\n", n);
			return 1;
		}
	}
	printf("powercut: done\n");
	return 0;
}
