/*
 * files: creates, writes, appends, seeks, preads/pwrites, truncates,
 * renames, lists, unlinks files and directories under a directory (the
 * argument; /data by default) and checks every result, including the
 * errors POSIX names (ENOENT, EEXIST with O_EXCL, ENOTEMPTY, EISDIR,
 * ENOTDIR). Works in DIR/files-test, which it first removes if a run left
 * it behind, and removes at the end. Prints each failed check and a last
 * line "files: N passed, N failed"; exit status 1 if any failed. Built
 * natively too (scripts run both and compare), so only POSIX calls.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int passed, failed;
static char base[512];

static void check(int ok, int line, const char *what)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL line %d: %s (errno %d: %s)\n", line, what, errno,
	       strerror(errno));
}

#define CHECK(cond) check((cond), __LINE__, #cond)
/* A call that must fail with errno e. */
#define FAILS(call, e)                                                         \
	do {                                                                   \
		errno = 0;                                                     \
		long r_ = (long)(call);                                        \
		check(r_ < 0 && errno == (e), __LINE__, #call " fails " #e);   \
	} while (0)

static const char *p(const char *name)
{
	static char buf[4][1024];
	static int n;
	char *b = buf[n++ % 4];
	snprintf(b, sizeof(buf[0]), "%s/%s", base, name);
	return b;
}

/* The whole file's contents into buf (NUL-terminated): its length or -1. */
static long slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;
	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + n, cap - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	return r < 0 ? -1 : n;
}

static int write_file(const char *path, const char *s, int flags)
{
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
	if (fd < 0)
		return -1;
	long n = write(fd, s, strlen(s));
	return close(fd) == 0 && n == (long)strlen(s) ? 0 : -1;
}

/* Remove a tree (the leftovers of an interrupted run). */
static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char sub[1024];
	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		remove_tree(sub);
	}
	closedir(d);
	rmdir(path);
}

static void test_create_read_append(void)
{
	char buf[256];
	int fd = open(p("a.txt"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0);
	CHECK(write(fd, "hello", 5) == 5);
	CHECK(close(fd) == 0);
	FAILS(open(p("a.txt"), O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	CHECK(slurp(p("a.txt"), buf, sizeof(buf)) == 5 &&
	      !strcmp(buf, "hello"));

	/* append: every write lands at the end, even after a seek */
	fd = open(p("a.txt"), O_WRONLY | O_APPEND);
	CHECK(fd >= 0);
	CHECK(write(fd, " world", 6) == 6);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(write(fd, "!", 1) == 1);
	CHECK(close(fd) == 0);
	CHECK(slurp(p("a.txt"), buf, sizeof(buf)) == 12 &&
	      !strcmp(buf, "hello world!"));

	/* end of file: a read returns 0 */
	fd = open(p("a.txt"), O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 12);
	CHECK(read(fd, buf, sizeof(buf)) == 0);
	/* a read-only descriptor cannot write */
	FAILS(write(fd, "x", 1), EBADF);
	close(fd);

	/* O_TRUNC empties it */
	CHECK(write_file(p("a.txt"), "new", O_TRUNC) == 0);
	CHECK(slurp(p("a.txt"), buf, sizeof(buf)) == 3 && !strcmp(buf, "new"));
	FAILS(open(p("missing.txt"), O_RDONLY), ENOENT);
}

static void test_seek_pread_pwrite(void)
{
	char buf[64];
	int fd = open(p("s.bin"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK(write(fd, "0123456789", 10) == 10);
	CHECK(lseek(fd, 0, SEEK_CUR) == 10);
	CHECK(lseek(fd, 3, SEEK_SET) == 3);
	CHECK(read(fd, buf, 4) == 4 && !memcmp(buf, "3456", 4));
	CHECK(lseek(fd, -2, SEEK_END) == 8);
	CHECK(read(fd, buf, 8) == 2 && !memcmp(buf, "89", 2));
	CHECK(lseek(fd, -4, SEEK_CUR) == 6);
	FAILS(lseek(fd, -100, SEEK_CUR), EINVAL);
	CHECK(lseek(fd, 0, SEEK_CUR) == 6);

	/* pread/pwrite leave the position alone */
	CHECK(pwrite(fd, "AB", 2, 1) == 2);
	CHECK(pread(fd, buf, 5, 0) == 5 && !memcmp(buf, "0AB34", 5));
	CHECK(lseek(fd, 0, SEEK_CUR) == 6);
	CHECK(pread(fd, buf, 5, 100) == 0);

	/* writing past the end leaves a hole of zeros */
	CHECK(lseek(fd, 20, SEEK_SET) == 20);
	CHECK(write(fd, "Z", 1) == 1);
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && st.st_size == 21 && S_ISREG(st.st_mode));
	CHECK(pread(fd, buf, 11, 10) == 11 && buf[0] == 0 && buf[9] == 0 &&
	      buf[10] == 'Z');

	/* truncate shorter, then longer (zero-filled) */
	CHECK(ftruncate(fd, 4) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 4);
	CHECK(ftruncate(fd, 8) == 0);
	CHECK(pread(fd, buf, 16, 0) == 8 && !memcmp(buf, "0AB3\0\0\0\0", 8));
	CHECK(fsync(fd) == 0);
	CHECK(fdatasync(fd) == 0);
	CHECK(close(fd) == 0);

	/* a big file in pieces, read back whole */
	static char big[70000], back[70000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 251);
	fd = open(p("big.bin"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	size_t done = 0;
	while (fd >= 0 && done < sizeof(big)) {
		size_t n =
			sizeof(big) - done < 4000 ? sizeof(big) - done : 4000;
		if (write(fd, big + done, n) != (long)n)
			break;
		done += n;
	}
	CHECK(fd >= 0 && done == sizeof(big));
	close(fd);
	fd = open(p("big.bin"), O_RDONLY);
	CHECK(fd >= 0 && read(fd, back, sizeof(back)) == (long)sizeof(back));
	CHECK(!memcmp(big, back, sizeof(big)));
	close(fd);
	CHECK(stat(p("big.bin"), &st) == 0 && st.st_size == sizeof(big));
}

static void test_rename_stat(void)
{
	char buf[64];
	struct stat st;
	CHECK(write_file(p("r1"), "one", O_TRUNC) == 0);
	CHECK(write_file(p("r2"), "two", O_TRUNC) == 0);
	CHECK(rename(p("r1"), p("r3")) == 0);
	FAILS(stat(p("r1"), &st), ENOENT);
	CHECK(slurp(p("r3"), buf, sizeof(buf)) == 3 && !strcmp(buf, "one"));
	/* over an existing file: replaced */
	CHECK(rename(p("r3"), p("r2")) == 0);
	CHECK(slurp(p("r2"), buf, sizeof(buf)) == 3 && !strcmp(buf, "one"));
	FAILS(rename(p("nothing"), p("r4")), ENOENT);
	/* into a directory */
	CHECK(mkdir(p("rd"), 0755) == 0);
	CHECK(rename(p("r2"), p("rd/moved")) == 0);
	CHECK(stat(p("rd/moved"), &st) == 0 && st.st_size == 3);
	CHECK(stat(p("rd"), &st) == 0 && S_ISDIR(st.st_mode));
	/* a directory renamed, with its contents */
	CHECK(rename(p("rd"), p("rd2")) == 0);
	CHECK(slurp(p("rd2/moved"), buf, sizeof(buf)) == 3);
	CHECK(unlink(p("rd2/moved")) == 0);
	CHECK(rmdir(p("rd2")) == 0);
	FAILS(stat(p("rd2"), &st), ENOENT);
}

/* Names long enough that a listing takes several reads of the directory
 * (wasi-libc's buffer holds a few entries of this size). */
#define NFILES 40

static void name_of(char *b, size_t cap, int i)
{
	snprintf(
		b, cap, "entry-%02d-%.*s", i, 40 + i * 3,
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghij"
		"klmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrst"
		"uvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnop");
}

static void test_listing(void)
{
	char name[256], path[512];
	int seen[NFILES] = {0}, others = 0, dirs = 0;
	CHECK(mkdir(p("list"), 0755) == 0);
	FAILS(mkdir(p("list"), 0755), EEXIST);
	for (int i = 0; i < NFILES; i++) {
		name_of(name, sizeof(name), i);
		snprintf(path, sizeof(path), "list/%s", name);
		if (write_file(p(path), name, O_TRUNC))
			check(0, __LINE__, "create a listed file");
	}
	CHECK(mkdir(p("list/subdir"), 0755) == 0);
	DIR *d = opendir(p("list"));
	CHECK(d != NULL);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!strcmp(e->d_name, "subdir")) {
			dirs += e->d_type == DT_DIR;
			continue;
		}
		int i = -1;
		for (int k = 0; k < NFILES && i < 0; k++) {
			name_of(name, sizeof(name), k);
			if (!strcmp(name, e->d_name))
				i = k;
		}
		if (i < 0 || e->d_type != DT_REG)
			others++;
		else
			seen[i]++;
	}
	if (d)
		closedir(d);
	int once = 0;
	for (int i = 0; i < NFILES; i++)
		once += seen[i] == 1;
	CHECK(once == NFILES);
	CHECK(others == 0);
	CHECK(dirs == 1);

	/* errors of directories and files used as the other */
	FAILS(rmdir(p("list")), ENOTEMPTY);
	FAILS(unlink(p("list/subdir")), EISDIR);
	name_of(name, sizeof(name), 0);
	snprintf(path, sizeof(path), "list/%s", name);
	FAILS(rmdir(p(path)), ENOTDIR);
	snprintf(path, sizeof(path), "list/%s/x", name);
	FAILS(open(p(path), O_RDONLY), ENOTDIR);
	FAILS(open(p("list/subdir"), O_WRONLY), EISDIR);
	FAILS(opendir(p(path)) ? 0 : -1, ENOTDIR);
	int fd = open(p("list/subdir"), O_RDONLY | O_DIRECTORY);
	char c;
	CHECK(fd >= 0);
	FAILS(read(fd, &c, 1), EISDIR);
	close(fd);
	name_of(name, sizeof(name), 1);
	snprintf(path, sizeof(path), "list/%s", name);
	FAILS(open(p(path), O_RDONLY | O_DIRECTORY), ENOTDIR);

	/* empty it; then it goes */
	for (int i = 0; i < NFILES; i++) {
		name_of(name, sizeof(name), i);
		snprintf(path, sizeof(path), "list/%s", name);
		if (unlink(p(path)))
			check(0, __LINE__, "unlink a listed file");
	}
	FAILS(unlink(p(path)), ENOENT);
	CHECK(rmdir(p("list/subdir")) == 0);
	CHECK(rmdir(p("list")) == 0);
	FAILS(rmdir(p("list")), ENOENT);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/data";
	snprintf(base, sizeof(base), "%s/files-test", dir);
	remove_tree(base);
	if (mkdir(base, 0755)) {
		printf("files: cannot make %s: %s\n", base, strerror(errno));
		return 1;
	}
	test_create_read_append();
	test_seek_pread_pwrite();
	test_rename_stat();
	test_listing();
	CHECK(unlink(p("a.txt")) == 0);
	CHECK(unlink(p("s.bin")) == 0);
	CHECK(unlink(p("big.bin")) == 0);
	CHECK(rmdir(base) == 0);
	printf("files: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
