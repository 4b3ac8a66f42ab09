/*
 * wasi_escape [DIR [symlinks]]: WASI preview1 calls made directly
 * (wasi/api.h, so wasm32-wasi only) on the preopen named DIR (default
 * "/data"): what a POSIX program cannot ask, or wasi-libc would hide.
 * Paths that try to leave the preopen (absolute, ".." past it; with
 * `symlinks`, a symlink `out` to the host's /etc that tests/wasi/check.sh
 * makes) must fail; rights are enforced;
 * fd_readdir's cookies and cut-short last entry; fd_renumber; fdstat
 * types and flags; the read-only root. Prints failures and "wasi_escape: N
 * passed, N failed".
 */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static int passed, failed;
static int symlinks; /* DIR holds `out`, a symlink to /etc */

static void check(int ok, int line, const char *what, int err)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL line %d: %s (got %d)\n", line, what, err);
}

#define EXPECT(call, want)                                                     \
	do {                                                                   \
		int e_ = (call);                                               \
		check(e_ == (want), __LINE__, #call " == " #want, e_);         \
	} while (0)

/* Every right the preopen hands on (main fills it in). */
static __wasi_rights_t ALL;

static __wasi_fd_t find_preopen(const char *name)
{
	for (__wasi_fd_t fd = 3; fd < 64; fd++) {
		__wasi_prestat_t ps;
		char buf[256];
		if (__wasi_fd_prestat_get(fd, &ps))
			continue;
		size_t n = ps.u.dir.pr_name_len;
		if (n >= sizeof(buf) ||
		    __wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, n))
			continue;
		buf[n] = 0;
		if (!strcmp(buf, name))
			return fd;
	}
	return (__wasi_fd_t)-1;
}

static int open_at(__wasi_fd_t dir, const char *path, __wasi_oflags_t of,
		   __wasi_rights_t rights, __wasi_fdflags_t ff, __wasi_fd_t *fd)
{
	return __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path,
				of, rights, ALL, ff, fd);
}

static int put(__wasi_fd_t fd, const char *s)
{
	__wasi_ciovec_t v = {(const uint8_t *)s, strlen(s)};
	__wasi_size_t n;
	return __wasi_fd_write(fd, &v, 1, &n);
}

static void test_escapes(__wasi_fd_t d)
{
	__wasi_fd_t fd;
	__wasi_filestat_t st;
	EXPECT(open_at(d, "../x", 0, ALL, 0, &fd), __WASI_ERRNO_NOTCAPABLE);
	EXPECT(open_at(d, "/etc/passwd", 0, ALL, 0, &fd),
	       __WASI_ERRNO_NOTCAPABLE);
	EXPECT(open_at(d, "esc/../../x", 0, ALL, 0, &fd),
	       __WASI_ERRNO_NOTCAPABLE);
	EXPECT(open_at(d, "./esc/./../..", __WASI_OFLAGS_DIRECTORY, ALL, 0,
		       &fd),
	       __WASI_ERRNO_NOTCAPABLE);
	EXPECT(__wasi_path_create_directory(d, "../made"),
	       __WASI_ERRNO_NOTCAPABLE);
	EXPECT(__wasi_path_unlink_file(d, "/tmp/x"), __WASI_ERRNO_NOTCAPABLE);
	EXPECT(__wasi_path_rename(d, "esc", d, "../esc"),
	       __WASI_ERRNO_NOTCAPABLE);
	EXPECT(__wasi_path_filestat_get(d, 0, "..", &st),
	       __WASI_ERRNO_NOTCAPABLE);
	/* ".." inside the preopen is fine */
	EXPECT(__wasi_path_create_directory(d, "esc"), 0);
	EXPECT(open_at(d, "esc/../esc/new", __WASI_OFLAGS_CREAT, ALL, 0, &fd),
	       0);
	EXPECT(__wasi_fd_close(fd), 0);
	EXPECT(__wasi_path_filestat_get(d, 0, "esc/new", &st), 0);
	check(st.filetype == __WASI_FILETYPE_REGULAR_FILE, __LINE__,
	      "esc/new is a file", st.filetype);
	/* an empty path names nothing */
	EXPECT(__wasi_path_filestat_get(d, 0, "", &st), __WASI_ERRNO_NOENT);
	EXPECT(__wasi_path_unlink_file(d, "esc/new"), 0);
	EXPECT(__wasi_path_remove_directory(d, "esc"), 0);
}

/* A symlink to the host's /etc (check.sh made it): not followed out. */
static void test_symlinks(__wasi_fd_t d)
{
	__wasi_fd_t fd;
	__wasi_filestat_t st;
	EXPECT(open_at(d, "out/passwd", 0, ALL, 0, &fd), __WASI_ERRNO_PERM);
	EXPECT(open_at(d, "out", __WASI_OFLAGS_DIRECTORY, ALL, 0, &fd),
	       __WASI_ERRNO_PERM);
	EXPECT(__wasi_path_open(d, 0, "out", 0, ALL, ALL, 0, &fd),
	       __WASI_ERRNO_LOOP);
	EXPECT(__wasi_path_filestat_get(d, 0, "out", &st), 0);
	check(st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK, __LINE__,
	      "out is a symlink", st.filetype);
	EXPECT(__wasi_path_filestat_get(d, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
					"out", &st),
	       __WASI_ERRNO_PERM);
	EXPECT(__wasi_path_create_directory(d, "out/made"), __WASI_ERRNO_PERM);
}

static void test_rights(__wasi_fd_t d)
{
	__wasi_fd_t fd, f2;
	__wasi_fdstat_t fs;
	__wasi_filesize_t pos;
	uint8_t c;
	__wasi_iovec_t v = {&c, 1};
	__wasi_size_t n;
	EXPECT(open_at(d, "r.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
		       __WASI_RIGHTS_FD_READ, 0, &fd),
	       0);
	EXPECT(put(fd, "x"), __WASI_ERRNO_NOTCAPABLE);
	EXPECT(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos),
	       __WASI_ERRNO_NOTCAPABLE);
	EXPECT(__wasi_fd_filestat_set_size(fd, 5), __WASI_ERRNO_NOTCAPABLE);
	EXPECT(__wasi_fd_fdstat_get(fd, &fs), 0);
	check(fs.fs_filetype == __WASI_FILETYPE_REGULAR_FILE &&
		      fs.fs_rights_base == __WASI_RIGHTS_FD_READ,
	      __LINE__, "fdstat of a read-only file", fs.fs_filetype);
	/* a file is no directory to open things in */
	EXPECT(open_at(fd, "x", 0, ALL, 0, &f2), __WASI_ERRNO_NOTDIR);
	EXPECT(__wasi_fd_close(fd), 0);
	EXPECT(__wasi_fd_close(fd), __WASI_ERRNO_BADF);
	EXPECT(__wasi_fd_read(fd, &v, 1, &n), __WASI_ERRNO_BADF);

	/* append flag, tell, fdstat of a directory */
	EXPECT(open_at(d, "r.txt", 0, ALL, __WASI_FDFLAGS_APPEND, &fd), 0);
	EXPECT(put(fd, "abc"), 0);
	EXPECT(__wasi_fd_tell(fd, &pos), 0);
	check(pos == 3, __LINE__, "tell after append", (int)pos);
	EXPECT(__wasi_fd_fdstat_get(fd, &fs), 0);
	check(fs.fs_flags == __WASI_FDFLAGS_APPEND, __LINE__, "append flag",
	      fs.fs_flags);
	EXPECT(__wasi_fd_fdstat_get(d, &fs), 0);
	check(fs.fs_filetype == __WASI_FILETYPE_DIRECTORY, __LINE__,
	      "preopen is a directory", fs.fs_filetype);
	EXPECT(__wasi_fd_read(d, &v, 1, &n), __WASI_ERRNO_ISDIR);
	/* times */
	__wasi_filestat_t st;
	EXPECT(__wasi_fd_filestat_set_times(
		       fd, 1000000000ull * 86400, 2000000000ull * 86400,
		       __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM),
	       0);
	EXPECT(__wasi_fd_filestat_get(fd, &st), 0);
	check(st.mtim == 2000000000ull * 86400 && st.size == 3, __LINE__,
	      "mtim set", (int)(st.mtim / 1000000000));
	EXPECT(__wasi_fd_filestat_set_times(fd, 0, 0,
					    __WASI_FSTFLAGS_MTIM |
						    __WASI_FSTFLAGS_MTIM_NOW),
	       __WASI_ERRNO_INVAL);

	/* renumber: fd's file takes f2's number; fd is gone */
	EXPECT(open_at(d, ".", __WASI_OFLAGS_DIRECTORY, ALL, 0, &f2), 0);
	EXPECT(__wasi_fd_renumber(fd, f2), 0);
	EXPECT(__wasi_fd_fdstat_get(f2, &fs), 0);
	check(fs.fs_filetype == __WASI_FILETYPE_REGULAR_FILE, __LINE__,
	      "renumbered", fs.fs_filetype);
	EXPECT(__wasi_fd_close(fd), __WASI_ERRNO_BADF);
	EXPECT(__wasi_fd_renumber(f2, 60), __WASI_ERRNO_BADF);
	EXPECT(__wasi_fd_close(f2), 0);
	EXPECT(__wasi_path_unlink_file(d, "r.txt/"), __WASI_ERRNO_NOTDIR);
	EXPECT(__wasi_path_unlink_file(d, "r.txt"), 0);
}

/* Two entries whose names are long; read with a whole buffer, then one
 * that cuts the first record, then from the first entry's cookie. */
static void test_readdir(__wasi_fd_t d)
{
	static const char *names[] = {"first-entry-long-name",
				      "second-entry-long-name"};
	__wasi_fd_t fd, dir;
	uint8_t buf[1024];
	__wasi_size_t used;
	EXPECT(__wasi_path_create_directory(d, "rd"), 0);
	for (int i = 0; i < 2; i++) {
		char p[64];
		snprintf(p, sizeof(p), "rd/%s", names[i]);
		EXPECT(open_at(d, p, __WASI_OFLAGS_CREAT, ALL, 0, &fd), 0);
		EXPECT(__wasi_fd_close(fd), 0);
	}
	EXPECT(open_at(d, "rd", __WASI_OFLAGS_DIRECTORY, ALL, 0, &dir), 0);
	EXPECT(__wasi_fd_readdir(dir, buf, sizeof(buf), 0, &used), 0);
	/* walk the records: find our two names, remember cookies */
	int found = 0;
	__wasi_dircookie_t after[4] = {0};
	char seen[4][64] = {{0}};
	int k = 0;
	for (size_t off = 0; off + sizeof(__wasi_dirent_t) <= used && k < 4;
	     k++) {
		__wasi_dirent_t e;
		memcpy(&e, buf + off, sizeof(e));
		off += sizeof(e);
		size_t n = e.d_namlen < 63 ? e.d_namlen : 63;
		memcpy(seen[k], buf + off, n);
		off += e.d_namlen;
		after[k] = e.d_next;
		for (int i = 0; i < 2; i++)
			found += !strcmp(seen[k], names[i]) &&
				 e.d_type == __WASI_FILETYPE_REGULAR_FILE;
	}
	check(found == 2 && used < sizeof(buf), __LINE__, "both entries",
	      found);
	/* resuming at the first entry's cookie gives the second entry */
	EXPECT(__wasi_fd_readdir(dir, buf, sizeof(buf), after[0], &used), 0);
	__wasi_dirent_t e;
	memcpy(&e, buf, sizeof(e));
	check(used >= sizeof(e) + e.d_namlen && e.d_namlen == strlen(seen[1]) &&
		      !memcmp(buf + sizeof(e), seen[1], e.d_namlen),
	      __LINE__, "resume at a cookie", (int)used);
	/* a buffer too small for a record: filled to the last byte */
	EXPECT(__wasi_fd_readdir(dir, buf, 30, 0, &used), 0);
	check(used == 30, __LINE__, "cut-short last entry", (int)used);
	EXPECT(__wasi_fd_readdir(d + 100, buf, 30, 0, &used),
	       __WASI_ERRNO_BADF);
	EXPECT(__wasi_fd_close(dir), 0);
	EXPECT(__wasi_path_remove_directory(d, "rd"), __WASI_ERRNO_NOTEMPTY);
	for (int i = 0; i < 2; i++) {
		char p[64];
		snprintf(p, sizeof(p), "rd/%s", names[i]);
		EXPECT(__wasi_path_unlink_file(d, p), 0);
	}
	EXPECT(__wasi_path_unlink_file(d, "rd"), __WASI_ERRNO_ISDIR);
	EXPECT(__wasi_path_remove_directory(d, "rd"), 0);
}

/* The lookup root "/" is read-only. */
static void test_root(void)
{
	__wasi_fd_t root = find_preopen("/"), fd;
	check(root == 3, __LINE__, "\"/\" is fd 3", (int)root);
	EXPECT(open_at(root, "made-by-escape-test", __WASI_OFLAGS_CREAT, ALL, 0,
		       &fd),
	       __WASI_ERRNO_ROFS);
	EXPECT(__wasi_path_create_directory(root, "made-by-escape-test"),
	       __WASI_ERRNO_ROFS);
	EXPECT(__wasi_path_unlink_file(root, "etc/passwd"), __WASI_ERRNO_ROFS);
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "/data";
	symlinks = argc > 2 && !strcmp(argv[2], "symlinks");
	__wasi_fd_t d = find_preopen(name);
	if (d == (__wasi_fd_t)-1) {
		printf("wasi_escape: no preopen %s\n", name);
		return 1;
	}
	__wasi_fdstat_t fs;
	if (__wasi_fd_fdstat_get(d, &fs)) {
		printf("wasi_escape: no fdstat of %s\n", name);
		return 1;
	}
	ALL = fs.fs_rights_inheriting;
	/* asking for more than the directory hands on */
	__wasi_fd_t fd;
	EXPECT(open_at(d, "x", __WASI_OFLAGS_CREAT, ~(__wasi_rights_t)0, 0,
		       &fd),
	       __WASI_ERRNO_NOTCAPABLE);
	test_escapes(d);
	if (symlinks)
		test_symlinks(d);
	test_rights(d);
	test_readdir(d);
	test_root();
	printf("wasi_escape: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
