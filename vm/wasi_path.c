/*
 * vm/wasi_path.c: WASI calls that take a path relative to a directory
 * descriptor (path_open, path_filestat_get, path_create_directory,
 * path_remove_directory, path_unlink_file, path_rename), the safe path
 * form the fs hooks get (wasi.h), and the Linux to WASI errno table.
 *
 * A path never leaves the directory it is relative to: an absolute path,
 * or ".." past the directory, is ENOTCAPABLE before any hook runs (as
 * wasmtime's and uvwasi's sandboxes answer). ".." is resolved in the text,
 * so "missing/../f" is "f"; the hooks see no "." or ".." components.
 */
#include "wasi_internal.h"

/* Linux errno -> WASI errno; anything else is EIO. */
static const uint8_t errno_map[][2] = {
	{1, E_PERM},
	{2, E_NOENT},
	{3, 71 /* SRCH */},
	{4, E_INTR},
	{5, E_IO},
	{6, 60 /* NXIO */},
	{7, E_2BIG},
	{8, 45 /* NOEXEC */},
	{9, E_BADF},
	{10, 12 /* CHILD */},
	{11, E_AGAIN},
	{12, E_NOMEM},
	{13, E_ACCES},
	{14, E_FAULT},
	{16, E_BUSY},
	{17, E_EXIST},
	{18, E_XDEV},
	{19, E_NODEV},
	{20, E_NOTDIR},
	{21, E_ISDIR},
	{22, E_INVAL},
	{23, E_NFILE},
	{24, E_MFILE},
	{25, 59 /* NOTTY */},
	{26, E_TXTBSY},
	{27, E_FBIG},
	{28, E_NOSPC},
	{29, E_SPIPE},
	{30, E_ROFS},
	{31, E_MLINK},
	{32, 64 /* PIPE */},
	{34, E_RANGE},
	{35, 16 /* DEADLK */},
	{36, E_NAMETOOLONG},
	{38, E_NOSYS},
	{39, E_NOTEMPTY},
	{40, E_LOOP},
	{75, E_OVERFLOW},
	{84, 25 /* ILSEQ */},
	{95, E_NOTSUP},
	{110, E_TIMEDOUT},
	{122, 19 /* DQUOT */},
	{125, 11 /* CANCELED */},
};

uint32_t wasi_errno(long linux_err)
{
	if (linux_err >= 0)
		return E_SUCCESS;
	for (size_t i = 0; i < sizeof(errno_map) / sizeof(errno_map[0]); i++)
		if (errno_map[i][0] == -linux_err)
			return errno_map[i][1];
	return E_IO;
}

/*
 * The program's path [p, p + len) in the hooks' safe form, in a buffer
 * the caller frees with path_free; NULL with *err set when it cannot be:
 * EFAULT, ENOENT (empty), ENAMETOOLONG, EINVAL (a NUL byte), ENOTCAPABLE
 * (absolute, or ".." past the start). *slash: it ended in '/', which asks
 * for a directory. The bytes are copied before they are looked at (a
 * shared memory may change meanwhile); normalising then works in place,
 * since the output never runs ahead of the input.
 */
static char *path_get(struct ctx *x, uint32_t p, uint32_t len, uint32_t *err,
		      bool *slash)
{
	const uint8_t *src = at(x, p, len);
	char *b;
	*err = !src			? E_FAULT
	       : !len			? E_NOENT
	       : len > VM_WASI_PATH_MAX ? E_NAMETOOLONG
					: E_SUCCESS;
	if (*err || !(b = vm_alloc(x->w->hops, len + 2))) {
		*err = *err ? *err : E_NOMEM;
		return NULL;
	}
	memcpy(b, src, len);
	*err = memchr(b, 0, len) ? E_INVAL
	       : b[0] == '/'	 ? E_NOTCAPABLE
				 : E_SUCCESS;
	*slash = b[len - 1] == '/';
	uint32_t out = 0;
	for (uint32_t i = 0; i < len && !*err;) {
		uint32_t s = i;
		while (i < len && b[i] != '/')
			i++;
		uint32_t n = i - s;
		i++; /* past the '/' */
		if (!n || (n == 1 && b[s] == '.'))
			continue;
		if (n == 2 && b[s] == '.' && b[s + 1] == '.') {
			if (!out)
				*err = E_NOTCAPABLE;
			while (out && b[--out] != '/')
				;
			continue;
		}
		if (out)
			b[out++] = '/';
		memmove(b + out, b + s, n);
		out += n;
	}
	if (*err) {
		x->w->hops->free(x->w->hops->ctx, b);
		return NULL;
	}
	if (!out)
		b[out++] = '.';
	b[out] = 0;
	return b;
}

static void path_free(struct ctx *x, char *b)
{
	if (b)
		x->w->hops->free(x->w->hops->ctx, b);
}

static bool is_dot(const char *path)
{
	return path[0] == '.' && !path[1];
}

/*
 * Directory descriptor fd with rights `need`: EBADF, ENOTDIR (a file),
 * ENOTCAPABLE, in that order. The lookup root answers only path_open
 * and path_filestat_get; every other call on it is EROFS (`root_ok`
 * false). A handle needs the hook `hook` (non-NULL), else ENOSYS.
 */
static struct vm_wasi_file *dir_fd(struct vm_wasi *w, uint32_t fd,
				   uint64_t need, bool root_ok,
				   const void *hook, uint32_t *err)
{
	struct vm_wasi_file *f = wasi_file(w, fd);
	*err = !f			    ? E_BADF
	       : f->type != VM_WASI_FT_DIR  ? E_NOTDIR
	       : (f->rights & need) != need ? E_NOTCAPABLE
	       : f->kind == K_ROOT	    ? (root_ok ? E_SUCCESS : E_ROFS)
	       : !hook			    ? E_NOSYS
					    : E_SUCCESS;
	return *err ? NULL : f;
}

#define HOOK(w, name) (wasi_fs(w) ? (const void *)wasi_fs(w)->name : NULL)

/* oflags and fdflags bits */
enum { O_CREAT = 1, O_DIRECTORY = 2, O_EXCL = 4, O_TRUNC = 8 };
#define R_WRITES                                                               \
	(R_FD_DATASYNC | R_FD_WRITE | R_FD_ALLOCATE | R_FD_FILESTAT_SET_SIZE)

/* path_open on the lookup root: its files, read-only, or "." itself. */
static uint32_t open_root(struct vm_wasi *w, const char *path, uint32_t oflags,
			  uint64_t base, struct vm_wasi_file *f)
{
	const uint8_t *data;
	uint64_t size;
	if (oflags & (O_CREAT | O_EXCL | O_TRUNC) || base & R_WRITES)
		return E_ROFS;
	if (is_dot(path)) {
		*f = w->fds[ROOT_FD];
		f->preopen = NULL;
		f->rights &= base;
		return E_SUCCESS;
	}
	if (oflags & O_DIRECTORY) /* the lookup root holds only files */
		return E_NOTDIR;
	if (!w->ops->lookup ||
	    !w->ops->lookup(w->ops->ctx, path, strlen(path), &data, &size))
		return E_NOENT;
	f->kind = K_LOOKUP;
	f->type = VM_WASI_FT_FILE;
	f->u.data = data;
	f->size = size;
	f->rights = base & R_FILE;
	return E_SUCCESS;
}

/* path_open on a hook directory: read and write as the rights ask. */
static uint32_t open_handle(struct vm_wasi *w, struct vm_wasi_file *dir,
			    const char *path, uint32_t dirflags,
			    uint32_t oflags, uint64_t base,
			    struct vm_wasi_file *f)
{
	const struct vm_wasi_fs_ops *fs = wasi_fs(w);
	struct vm_wasi_stat st;
	uint32_t flags = 0;
	void *h;
	if (base & (R_FD_READ | R_FD_READDIR))
		flags |= VM_WASI_O_READ;
	/* Write rights do not apply to a directory, so they do not make
	 * opening one fail (wasi-libc's opendir asks for every right). */
	if ((base & R_WRITES && !(oflags & O_DIRECTORY)) || oflags & O_TRUNC)
		flags |= VM_WASI_O_WRITE;
	flags |= (oflags & O_CREAT ? VM_WASI_O_CREAT : 0) |
		 (oflags & O_EXCL ? VM_WASI_O_EXCL : 0) |
		 (oflags & O_TRUNC ? VM_WASI_O_TRUNC : 0) |
		 (oflags & O_DIRECTORY ? VM_WASI_O_DIRECTORY : 0) |
		 (dirflags & 1 ? 0 : VM_WASI_O_NOFOLLOW);
	int r = fs->open(w->ops->ctx, dir->u.h, path, flags, &h);
	if (r < 0)
		return wasi_errno(r);
	f->kind = K_HANDLE;
	f->u.h = h;
	r = fs->stat ? fs->stat(w->ops->ctx, h, &st) : -38;
	if (r < 0) {
		fs->close(w->ops->ctx, h);
		return wasi_errno(r);
	}
	f->type = st.type;
	f->rights = base & (st.type == VM_WASI_FT_DIR ? R_DIR : R_FILE);
	return E_SUCCESS;
}

/*
 * path_open(dirfd, dirflags, path, path_len, oflags, rights_base i64,
 * rights_inheriting i64, fdflags, fd_out). The rights asked for must be
 * among the directory's inheritable ones (ENOTCAPABLE); the new
 * descriptor keeps those that apply to what it opened. Of the fdflags,
 * APPEND is kept; dsync, rsync, sync and nonblock are accepted and do
 * nothing more (writes reach the file system at once; fd_sync reaches
 * the disk).
 */
static int w_path_open(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	uint32_t oflags = a[4].u32, err, fd;
	uint64_t base = a[5].u64, inherit = a[6].u64;
	uint64_t need = R_PATH_OPEN |
			(oflags & O_CREAT ? R_PATH_CREATE_FILE : 0) |
			(oflags & O_TRUNC ? R_PATH_FILESTAT_SET_SIZE : 0);
	bool slash;
	struct vm_wasi_file *dir =
		dir_fd(x.w, a[0].u32, need, true, HOOK(x.w, open), &err);
	if (dir && (base | inherit) & ~dir->inherit)
		err = E_NOTCAPABLE;
	if (!err && oflags & ~15u)
		err = E_INVAL;
	if (err)
		RET(err);
	char *path = path_get(&x, a[2].u32, a[3].u32, &err, &slash);
	struct vm_wasi_file f = {0}, *slot = wasi_fd_alloc(x.w, &fd);
	if (!err && !at(&x, a[8].u32, 4))
		err = E_FAULT;
	else if (!err && !slot)
		err = E_MFILE;
	if (!err && dir->kind == K_ROOT)
		err = open_root(x.w, path, oflags, base, &f);
	else if (!err)
		err = open_handle(x.w, dir, path, a[1].u32,
				  oflags | (slash ? O_DIRECTORY : 0), base, &f);
	path_free(&x, path);
	if (err)
		RET(err);
	f.open = true;
	f.inherit = inherit;
	f.flags = (uint16_t)(a[7].u32 & FDFLAG_APPEND);
	*slot = f;
	put32(&x, a[8].u32, fd); /* checked above */
	RET(E_SUCCESS);
}

/* path_filestat_get(fd, lookupflags, path, path_len, buf) */
static int w_path_filestat_get(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	struct vm_wasi_stat st = {0};
	uint32_t err;
	bool slash;
	struct vm_wasi_file *dir = dir_fd(x.w, a[0].u32, R_PATH_FILESTAT_GET,
					  true, HOOK(x.w, stat_at), &err);
	if (err)
		RET(err);
	char *path = path_get(&x, a[2].u32, a[3].u32, &err, &slash);
	if (!err && dir->kind == K_ROOT && is_dot(path)) {
		err = wasi_fd_stat(x.w, dir, &st);
	} else if (!err && dir->kind == K_ROOT) {
		const uint8_t *data;
		st.type = VM_WASI_FT_FILE;
		st.nlink = 1;
		if (!x.w->ops->lookup ||
		    !x.w->ops->lookup(x.w->ops->ctx, path, strlen(path), &data,
				      &st.size))
			err = E_NOENT;
	} else if (!err) {
		uint32_t flags = a[1].u32 & 1 ? 0 : VM_WASI_O_NOFOLLOW;
		err = wasi_errno(wasi_fs(x.w)->stat_at(x.w->ops->ctx, dir->u.h,
						       path, flags, &st));
	}
	if (!err && slash && st.type != VM_WASI_FT_DIR)
		err = E_NOTDIR;
	path_free(&x, path);
	if (err)
		RET(err);
	RET(wasi_put_filestat(&x, a[4].u32, &st));
}

enum path_op { OP_MKDIR, OP_RMDIR, OP_UNLINK };

/*
 * path_create_directory, path_remove_directory, path_unlink_file (fd,
 * path, path_len). "." itself cannot be made (EEXIST), removed (EINVAL,
 * as rmdir(".")) or unlinked (EISDIR). A trailing '/' names a directory:
 * unlinking "file/" is ENOTDIR.
 */
static int path_op(struct vm_hostcall *c, vm_value *a, enum path_op op)
{
	static const uint64_t rights[] = {R_PATH_CREATE_DIRECTORY,
					  R_PATH_REMOVE_DIRECTORY,
					  R_PATH_UNLINK_FILE};
	static const uint32_t on_dot[] = {E_EXIST, E_INVAL, E_ISDIR};
	struct ctx x;
	GET(c, &x);
	const struct vm_wasi_fs_ops *fs = wasi_fs(x.w);
	const void *hook = op == OP_MKDIR   ? HOOK(x.w, mkdir)
			   : op == OP_RMDIR ? HOOK(x.w, rmdir)
					    : HOOK(x.w, unlink);
	uint32_t err;
	bool slash;
	struct vm_wasi_file *dir =
		dir_fd(x.w, a[0].u32, rights[op], false, hook, &err);
	if (err)
		RET(err);
	char *path = path_get(&x, a[1].u32, a[2].u32, &err, &slash);
	void *ctx = x.w->ops->ctx;
	if (!err && is_dot(path)) {
		err = on_dot[op];
	} else if (!err && op == OP_UNLINK && slash) {
		struct vm_wasi_stat st;
		int r = fs->stat_at ? fs->stat_at(ctx, dir->u.h, path,
						  VM_WASI_O_NOFOLLOW, &st)
				    : -38;
		err = r < 0			  ? wasi_errno(r)
		      : st.type == VM_WASI_FT_DIR ? E_ISDIR
						  : E_NOTDIR;
	} else if (!err) {
		int r = op == OP_MKDIR	 ? fs->mkdir(ctx, dir->u.h, path)
			: op == OP_RMDIR ? fs->rmdir(ctx, dir->u.h, path)
					 : fs->unlink(ctx, dir->u.h, path);
		err = wasi_errno(r);
	}
	path_free(&x, path);
	RET(err);
}

static int w_path_create_directory(struct vm_hostcall *c, vm_value *a)
{
	return path_op(c, a, OP_MKDIR);
}
static int w_path_remove_directory(struct vm_hostcall *c, vm_value *a)
{
	return path_op(c, a, OP_RMDIR);
}
static int w_path_unlink_file(struct vm_hostcall *c, vm_value *a)
{
	return path_op(c, a, OP_UNLINK);
}

/* path_rename(fd, old, old_len, new_fd, new, new_len): "." on either side
 * is EBUSY (rename(2) on a directory in use). */
static int w_path_rename(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	uint32_t err, err2;
	bool slash;
	const void *hook = HOOK(x.w, rename);
	struct vm_wasi_file *from =
		dir_fd(x.w, a[0].u32, R_PATH_RENAME_SOURCE, false, hook, &err);
	struct vm_wasi_file *to =
		dir_fd(x.w, a[3].u32, R_PATH_RENAME_TARGET, false, hook, &err2);
	if (err || err2)
		RET(err ? err : err2);
	char *p1 = path_get(&x, a[1].u32, a[2].u32, &err, &slash);
	char *p2 = err ? NULL : path_get(&x, a[4].u32, a[5].u32, &err, &slash);
	if (!err && (is_dot(p1) || is_dot(p2)))
		err = E_BUSY;
	else if (!err)
		err = wasi_errno(wasi_fs(x.w)->rename(x.w->ops->ctx, from->u.h,
						      p1, to->u.h, p2));
	path_free(&x, p1);
	path_free(&x, p2);
	RET(err);
}

#define I VM_I32
#define L VM_I64
static const uint8_t p_iiiii[] = {I, I, I, I, I},
		     p_iiiiii[] = {I, I, I, I, I, I},
		     p_open[] = {I, I, I, I, I, L, L, I, I};
#undef I
#undef L

const struct wasi_fn wasi_path_fns[] = {
	{"path_open", w_path_open, {9, 1, p_open, wasi_r_i}},
	{"path_filestat_get", w_path_filestat_get, {5, 1, p_iiiii, wasi_r_i}},
	{"path_create_directory",
	 w_path_create_directory,
	 {3, 1, wasi_p_iii, wasi_r_i}},
	{"path_remove_directory",
	 w_path_remove_directory,
	 {3, 1, wasi_p_iii, wasi_r_i}},
	{"path_unlink_file", w_path_unlink_file, {3, 1, wasi_p_iii, wasi_r_i}},
	{"path_rename", w_path_rename, {6, 1, p_iiiiii, wasi_r_i}},
};
const size_t wasi_path_nfns = sizeof(wasi_path_fns) / sizeof(wasi_path_fns[0]);
