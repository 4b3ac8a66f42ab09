/*
 * vm/wasi_fd.c: WASI descriptors: the table (wasi_internal.h), reads and
 * writes, seek, stat, sync, readdir, renumber. A descriptor holds WASI
 * rights; every call checks the ones it needs (ENOTCAPABLE otherwise)
 * after checking the descriptor exists (EBADF).
 */
#include "wasi_internal.h"

struct vm_wasi_file *wasi_file(struct vm_wasi *w, uint32_t fd)
{
	if (fd >= VM_WASI_MAX_FDS || !w->fds[fd].open)
		return NULL;
	return &w->fds[fd];
}

struct vm_wasi_file *wasi_fd_get(struct vm_wasi *w, uint32_t fd, uint64_t need,
				 uint32_t *err)
{
	struct vm_wasi_file *f = wasi_file(w, fd);
	*err = !f			    ? E_BADF
	       : (f->rights & need) != need ? E_NOTCAPABLE
					    : E_SUCCESS;
	return *err ? NULL : f;
}

struct vm_wasi_file *wasi_fd_alloc(struct vm_wasi *w, uint32_t *fd)
{
	for (uint32_t i = 0; i < VM_WASI_MAX_FDS; i++)
		if (!w->fds[i].open) {
			memset(&w->fds[i], 0, sizeof(w->fds[i]));
			*fd = i;
			return &w->fds[i];
		}
	return NULL;
}

void wasi_fd_release(struct vm_wasi *w, struct vm_wasi_file *f)
{
	const struct vm_wasi_fs_ops *fs = wasi_fs(w);
	if (f->kind == K_HANDLE && fs && fs->close)
		fs->close(w->ops->ctx, f->u.h);
	memset(f, 0, sizeof(*f));
}

/* Longest single hook transfer: a long must hold the count on 32 bits. */
#define IO_MAX (1u << 30)

/*
 * One buffer of a read or write of descriptor f at *pos: bytes moved, or
 * a negative Linux errno from a hook (-22 for a console hook's -1).
 */
static long rw_one(struct vm_wasi *w, struct vm_wasi_file *f, uint8_t *d,
		   uint32_t len, bool write, uint64_t pos)
{
	const struct vm_wasi_ops *ops = w->ops;
	long r;
	if (len > IO_MAX)
		len = IO_MAX;
	if (f->kind == K_STDIO) {
		r = write ? ops->write(ops->ctx, (int)f->size, d, len)
			  : ops->read(ops->ctx, d, len);
		return r < 0 ? -22 : r;
	}
	if (f->kind == K_LOOKUP) {
		uint64_t left = pos < f->size ? f->size - pos : 0;
		uint32_t k = left < len ? (uint32_t)left : len;
		if (k) /* else pos may be far past the data */
			memcpy(d, f->u.data + pos, k);
		return k;
	}
	return write ? wasi_fs(w)->pwrite(ops->ctx, f->u.h, d, len, pos)
		     : wasi_fs(w)->pread(ops->ctx, f->u.h, d, len, pos);
}

/*
 * Which descriptors a read or write may use, and its first error: the
 * console in its direction (the other is EBADF, and a position ESPIPE),
 * files with the right (ENOTCAPABLE), directories never (EISDIR).
 */
static uint32_t rw_check(struct vm_wasi *w, struct vm_wasi_file *f, bool write,
			 bool at_offset)
{
	const struct vm_wasi_fs_ops *fs = wasi_fs(w);
	uint64_t need =
		(write ? R_FD_WRITE : R_FD_READ) | (at_offset ? R_FD_SEEK : 0);
	if (!f)
		return E_BADF;
	if (f->kind == K_STDIO) {
		if ((f->size != 0) != write)
			return E_BADF;
		if (at_offset)
			return E_SPIPE;
		if (write ? !w->ops->write : !w->ops->read)
			return E_NOSYS;
		return E_SUCCESS;
	}
	if (f->type == VM_WASI_FT_DIR)
		return write ? E_BADF : E_ISDIR;
	if ((f->rights & need) != need)
		return E_NOTCAPABLE;
	if (f->kind == K_LOOKUP)
		return write ? E_BADF : E_SUCCESS;
	if (!fs || !(write ? (void *)fs->pwrite : (void *)fs->pread))
		return E_NOSYS;
	return E_SUCCESS;
}

/*
 * fd_read/fd_write(fd, iovs, iovs_len, n) and fd_pread/fd_pwrite(fd, iovs,
 * iovs_len, offset, n). A short transfer ends the call, and so does any
 * console read (it returns what is there). An error after some bytes
 * moved is not reported: the count is (POSIX's rule). An append
 * descriptor writes at the end of the file, which it first asks for.
 */
int wasi_rw(struct vm_hostcall *c, vm_value *a, bool write, bool at_offset)
{
	struct ctx x;
	GET(c, &x);
	uint32_t iovs = a[1].u32, n = a[2].u32;
	struct vm_wasi_file *f = wasi_file(x.w, a[0].u32);
	uint32_t err = rw_check(x.w, f, write, at_offset);
	uint32_t out = at_offset ? a[4].u32 : a[3].u32;
	uint64_t pos = at_offset ? a[3].u64 : f ? f->pos : 0, total = 0;
	if (err)
		RET(err);
	const uint8_t *iov = at(&x, iovs, (uint64_t)n * 8);
	if (!iov)
		RET(E_FAULT);
	if (write && !at_offset && f->kind == K_HANDLE &&
	    (f->flags & FDFLAG_APPEND)) {
		struct vm_wasi_stat st;
		int r = wasi_fs(x.w)->stat
				? wasi_fs(x.w)->stat(x.w->ops->ctx, f->u.h, &st)
				: -38;
		if (r < 0)
			RET(wasi_errno(r));
		pos = st.size;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t p = rd32(iov + 8 * i), len = rd32(iov + 8 * i + 4);
		uint8_t *d = at(&x, p, len);
		if (!d)
			RET(E_FAULT);
		if (!len)
			continue;
		/* A write may not take the position past INT64_MAX; a read
		 * there finds nothing and moves it by nothing. */
		if (write && pos > INT64_MAX - (uint64_t)len && !total)
			RET(E_FBIG);
		if (write && pos > INT64_MAX - (uint64_t)len)
			break;
		long r = rw_one(x.w, f, d, len, write, pos);
		if (r < 0 && !total)
			RET(wasi_errno(r));
		if (r < 0)
			break;
		total += (uint64_t)r;
		pos += (uint64_t)r;
		if ((uint32_t)r < len || (f->kind == K_STDIO && !write))
			break;
	}
	if (!at_offset && f->kind != K_STDIO)
		f->pos = pos;
	if (!put32(&x, out, (uint32_t)total))
		RET(E_FAULT);
	RET(E_SUCCESS);
}

static int w_fd_read(struct vm_hostcall *c, vm_value *a)
{
	return wasi_rw(c, a, false, false);
}
static int w_fd_write(struct vm_hostcall *c, vm_value *a)
{
	return wasi_rw(c, a, true, false);
}
static int w_fd_pread(struct vm_hostcall *c, vm_value *a)
{
	return wasi_rw(c, a, false, true);
}
static int w_fd_pwrite(struct vm_hostcall *c, vm_value *a)
{
	return wasi_rw(c, a, true, true);
}

/* The console and the lookup root stay open, as before descriptors could
 * be renumbered: a program closing them loses nothing it could use. */
static int w_fd_close(struct vm_hostcall *c, vm_value *a)
{
	struct vm_wasi *w = c->data; /* needs no memory */
	struct vm_wasi_file *f = wasi_file(w, a[0].u32);
	if (!f)
		RET(E_BADF);
	if (f->kind != K_STDIO && f->kind != K_ROOT)
		wasi_fd_release(w, f);
	RET(E_SUCCESS);
}

/* fd_renumber(from, to): `to` (which must be open) is closed and `from`
 * takes its number. */
static int w_fd_renumber(struct vm_hostcall *c, vm_value *a)
{
	struct vm_wasi *w = c->data; /* needs no memory */
	struct vm_wasi_file *from = wasi_file(w, a[0].u32);
	struct vm_wasi_file *to = wasi_file(w, a[1].u32);
	if (!from || !to)
		RET(E_BADF);
	if (from != to) {
		wasi_fd_release(w, to);
		*to = *from;
		memset(from, 0, sizeof(*from));
	}
	RET(E_SUCCESS);
}

/* The file's size now (a hook handle's may change behind the program). */
static uint32_t file_size(struct vm_wasi *w, struct vm_wasi_file *f,
			  uint64_t *size)
{
	struct vm_wasi_stat st;
	if (f->kind != K_HANDLE) {
		*size = f->size;
		return E_SUCCESS;
	}
	if (!wasi_fs(w) || !wasi_fs(w)->stat)
		return E_NOSYS;
	int r = wasi_fs(w)->stat(w->ops->ctx, f->u.h, &st);
	*size = st.size;
	return r < 0 ? wasi_errno(r) : E_SUCCESS;
}

/*
 * fd_seek(fd, offset i64, whence, newoffset). Positions stay in
 * [0, INT64_MAX] (WASI's filedelta is signed): a result below 0 is
 * EINVAL, one above EOVERFLOW, computed without overflowing (the offset
 * is the program's, any 64-bit value). Past the end of the file is
 * allowed; reads there return nothing. A seek by 0 from the current
 * position needs only the right to tell.
 */
static int w_fd_seek(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	struct vm_wasi_file *f = wasi_file(x.w, a[0].u32);
	int64_t off = a[1].i64;
	uint32_t whence = a[2].u32, err;
	uint64_t base;
	bool tell = off == 0 && whence == 1;
	if (!f)
		RET(E_BADF);
	if (f->kind == K_STDIO)
		RET(E_SPIPE);
	if (f->type == VM_WASI_FT_DIR)
		RET(E_BADF);
	if (!(f->rights & (tell ? R_FD_TELL | R_FD_SEEK : R_FD_SEEK)))
		RET(E_NOTCAPABLE);
	switch (whence) {
	case 0: base = 0; break;
	case 1: base = f->pos; break;
	case 2:
		if ((err = file_size(x.w, f, &base)))
			RET(err);
		break;
	default: RET(E_INVAL);
	}
	if (off < 0 && (uint64_t)0 - (uint64_t)off > base)
		RET(E_INVAL);
	if (off >= 0 && (base > INT64_MAX || (uint64_t)off > INT64_MAX - base))
		RET(E_OVERFLOW);
	f->pos = base + (uint64_t)off; /* modulo 2^64: base - |off| */
	if (!put64(&x, a[3].u32, f->pos))
		RET(E_FAULT);
	RET(E_SUCCESS);
}

static int w_fd_tell(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	uint32_t err;
	struct vm_wasi_file *f = wasi_fd_get(x.w, a[0].u32, R_FD_TELL, &err);
	if (f && (f->kind == K_STDIO || f->type == VM_WASI_FT_DIR))
		err = f->kind == K_STDIO ? E_SPIPE : E_BADF;
	if (err)
		RET(err);
	if (!put64(&x, a[1].u32, f->pos))
		RET(E_FAULT);
	RET(E_SUCCESS);
}

/* fd_fdstat_get(fd, buf): filetype u8, flags u16 @2, rights u64 @8, @16 */
static int w_fd_fdstat_get(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	struct vm_wasi_file *f = wasi_file(x.w, a[0].u32);
	if (!f)
		RET(E_BADF);
	uint8_t *d = at(&x, a[1].u32, 24);
	if (!d)
		RET(E_FAULT);
	memset(d, 0, 24);
	d[0] = f->type;
	memcpy(d + 2, &f->flags, 2);
	memcpy(d + 8, &f->rights, 8);
	memcpy(d + 16, &f->inherit, 8);
	RET(E_SUCCESS);
}

/* fd_fdstat_set_flags(fd, flags): APPEND only; the others (dsync, sync,
 * rsync, nonblock) are ENOTSUP. */
static int w_fd_fdstat_set_flags(struct vm_hostcall *c, vm_value *a)
{
	struct vm_wasi *w = c->data; /* needs no memory */
	uint32_t err;
	struct vm_wasi_file *f =
		wasi_fd_get(w, a[0].u32, R_FD_FDSTAT_SET_FLAGS, &err);
	if (err)
		RET(err);
	if (a[1].u32 & ~(uint32_t)FDFLAG_APPEND)
		RET(E_NOTSUP);
	if (f->kind == K_STDIO)
		RET(a[1].u32 ? E_NOTSUP : E_SUCCESS);
	f->flags = (uint16_t)a[1].u32;
	RET(E_SUCCESS);
}

/* fd_prestat_get(fd, buf): tag u32 (0 = dir), name length u32 */
static int w_fd_prestat_get(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	struct vm_wasi_file *f = wasi_file(x.w, a[0].u32);
	if (!f || !f->preopen)
		RET(E_BADF);
	if (!put32(&x, a[1].u32, 0) ||
	    !put32(&x, a[1].u32 + 4, (uint32_t)strlen(f->preopen)))
		RET(E_FAULT);
	RET(E_SUCCESS);
}

static int w_fd_prestat_dir_name(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	struct vm_wasi_file *f = wasi_file(x.w, a[0].u32);
	if (!f || !f->preopen)
		RET(E_BADF);
	uint32_t n = (uint32_t)strlen(f->preopen);
	uint8_t *d = at(&x, a[1].u32, a[2].u32);
	if (!d)
		RET(E_FAULT);
	if (a[2].u32 < n)
		RET(E_INVAL);
	memcpy(d, f->preopen, n);
	RET(E_SUCCESS);
}

/*
 * A descriptor's stat: the console and the lookup root are made up (one
 * link, size 0, no times), a lookup file has its size, a handle asks the
 * stat hook.
 */
uint32_t wasi_fd_stat(struct vm_wasi *w, struct vm_wasi_file *f,
		      struct vm_wasi_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->type = f->type;
	st->nlink = 1;
	if (f->kind == K_LOOKUP)
		st->size = f->size;
	if (f->kind != K_HANDLE)
		return E_SUCCESS;
	if (!wasi_fs(w) || !wasi_fs(w)->stat)
		return E_NOSYS;
	int r = wasi_fs(w)->stat(w->ops->ctx, f->u.h, st);
	return r < 0 ? wasi_errno(r) : E_SUCCESS;
}

/* filestat (64 bytes): dev @0, ino @8, filetype u8 @16, nlink @24, size
 * @32, atim @40, mtim @48, ctim @56. */
uint32_t wasi_put_filestat(struct ctx *x, uint32_t p,
			   const struct vm_wasi_stat *st)
{
	uint8_t *d = at(x, p, 64);
	uint64_t w[8] = {st->dev,  st->ino,  0,	       st->nlink,
			 st->size, st->atim, st->mtim, st->ctim};
	if (!d)
		return E_FAULT;
	memcpy(d, w, 64);
	d[16] = st->type;
	return E_SUCCESS;
}

static int w_fd_filestat_get(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	struct vm_wasi_stat st;
	uint32_t err;
	struct vm_wasi_file *f = wasi_file(x.w, a[0].u32);
	if (!f)
		RET(E_BADF);
	if (f->kind != K_STDIO && !(f->rights & R_FD_FILESTAT_GET))
		RET(E_NOTCAPABLE);
	if ((err = wasi_fd_stat(x.w, f, &st)))
		RET(err);
	RET(wasi_put_filestat(&x, a[1].u32, &st));
}

/* A hook handle with rights `need`, and the fs hooks; else *err. */
static struct vm_wasi_file *handle(struct vm_wasi *w, uint32_t fd,
				   uint64_t need, uint32_t *err)
{
	struct vm_wasi_file *f = wasi_fd_get(w, fd, need, err);
	if (f && f->kind != K_HANDLE)
		*err = f->kind == K_LOOKUP || f->kind == K_ROOT ? E_ROFS
								: E_INVAL;
	return *err ? NULL : f;
}

static int w_fd_filestat_set_size(struct vm_hostcall *c, vm_value *a)
{
	struct vm_wasi *w = c->data; /* needs no memory */
	uint32_t err;
	struct vm_wasi_file *f =
		handle(w, a[0].u32, R_FD_FILESTAT_SET_SIZE, &err);
	if (!f)
		RET(err);
	if (f->type == VM_WASI_FT_DIR)
		RET(E_ISDIR);
	if (a[1].u64 > INT64_MAX)
		RET(E_FBIG);
	if (!wasi_fs(w)->truncate)
		RET(E_NOSYS);
	RET(wasi_errno(wasi_fs(w)->truncate(w->ops->ctx, f->u.h, a[1].u64)));
}

/* fd_filestat_set_times(fd, atim, mtim, fst_flags): a time given both as a
 * value and as "now" is EINVAL, as are unknown flags. */
static int w_fd_filestat_set_times(struct vm_hostcall *c, vm_value *a)
{
	struct vm_wasi *w = c->data; /* needs no memory */
	uint32_t err, how = a[3].u32;
	struct vm_wasi_file *f =
		handle(w, a[0].u32, R_FD_FILESTAT_SET_TIMES, &err);
	if (!f)
		RET(err);
	if (how & ~15u || (how & 3) == 3 || (how & 12) == 12)
		RET(E_INVAL);
	if (!wasi_fs(w)->set_times)
		RET(E_NOSYS);
	RET(wasi_errno(wasi_fs(w)->set_times(w->ops->ctx, f->u.h, a[1].u64,
					     a[2].u64, how)));
}

/* fd_sync / fd_datasync: the console and the read-only root have nothing
 * to write back. */
static int sync_fd(struct vm_hostcall *c, vm_value *a, bool data_only)
{
	struct vm_wasi *w = c->data; /* needs no memory */
	uint32_t err;
	struct vm_wasi_file *f = wasi_fd_get(
		w, a[0].u32, data_only ? R_FD_DATASYNC : R_FD_SYNC, &err);
	if (!f)
		RET(err);
	if (f->kind != K_HANDLE)
		RET(f->kind == K_STDIO ? E_INVAL : E_SUCCESS);
	if (!wasi_fs(w) || !wasi_fs(w)->sync)
		RET(E_NOSYS);
	RET(wasi_errno(wasi_fs(w)->sync(w->ops->ctx, f->u.h, data_only)));
}

static int w_fd_sync(struct vm_hostcall *c, vm_value *a)
{
	return sync_fd(c, a, false);
}
static int w_fd_datasync(struct vm_hostcall *c, vm_value *a)
{
	return sync_fd(c, a, true);
}

/*
 * fd_readdir(fd, buf, buf_len, cookie, bufused). Records of 24 bytes
 * (d_next u64, d_ino u64, d_namlen u32, d_type u8) each followed by its
 * name, packed until buf_len: the last one may be cut short, and then
 * bufused == buf_len tells the program to retry with a larger buffer
 * (wasi-libc does).
 */
static int w_fd_readdir(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	const struct vm_wasi_fs_ops *fs = wasi_fs(x.w);
	uint32_t err, len = a[2].u32, used = 0;
	uint64_t cookie = a[3].u64;
	struct vm_wasi_file *f = wasi_fd_get(x.w, a[0].u32, R_FD_READDIR, &err);
	if (f && f->type != VM_WASI_FT_DIR)
		err = E_NOTDIR;
	else if (f && (f->kind != K_HANDLE || !fs->readdir))
		err = E_NOTSUP; /* the lookup root has no listing */
	if (err)
		RET(err);
	uint8_t *d = at(&x, a[1].u32, len);
	if (!d)
		RET(E_FAULT);
	struct vm_wasi_dirent *e = vm_alloc(x.w->hops, sizeof(*e));
	if (!e)
		RET(E_NOMEM);
	while (used < len) {
		int r = fs->readdir(x.w->ops->ctx, f->u.h, cookie, e);
		if (r <= 0) {
			if (r < 0 && !used)
				err = wasi_errno(r);
			break;
		}
		uint8_t rec[24] = {0};
		uint32_t namelen = e->namelen > VM_WASI_NAME_MAX
					   ? VM_WASI_NAME_MAX
					   : e->namelen;
		memcpy(rec, &e->next, 8);
		memcpy(rec + 8, &e->ino, 8);
		memcpy(rec + 16, &namelen, 4);
		rec[20] = e->type;
		uint32_t k = len - used < 24 ? len - used : 24;
		memcpy(d + used, rec, k);
		used += k;
		k = len - used < namelen ? len - used : namelen;
		memcpy(d + used, e->name, k);
		used += k;
		cookie = e->next;
	}
	x.w->hops->free(x.w->hops->ctx, e);
	if (err)
		RET(err);
	if (!put32(&x, a[4].u32, used))
		RET(E_FAULT);
	RET(E_SUCCESS);
}

#define I VM_I32
#define L VM_I64
static const uint8_t p_iiili[] = {I, I, I, L, I}, p_ilii[] = {I, L, I, I},
		     p_il[] = {I, L}, p_illi[] = {I, L, L, I};
#undef I
#undef L

const struct wasi_fn wasi_fd_fns[] = {
	{"fd_read", w_fd_read, {4, 1, wasi_p_iiii, wasi_r_i}},
	{"fd_write", w_fd_write, {4, 1, wasi_p_iiii, wasi_r_i}},
	{"fd_pread", w_fd_pread, {5, 1, p_iiili, wasi_r_i}},
	{"fd_pwrite", w_fd_pwrite, {5, 1, p_iiili, wasi_r_i}},
	{"fd_close", w_fd_close, {1, 1, wasi_p_i, wasi_r_i}},
	{"fd_renumber", w_fd_renumber, {2, 1, wasi_p_ii, wasi_r_i}},
	{"fd_seek", w_fd_seek, {4, 1, p_ilii, wasi_r_i}},
	{"fd_tell", w_fd_tell, {2, 1, wasi_p_ii, wasi_r_i}},
	{"fd_fdstat_get", w_fd_fdstat_get, {2, 1, wasi_p_ii, wasi_r_i}},
	{"fd_fdstat_set_flags",
	 w_fd_fdstat_set_flags,
	 {2, 1, wasi_p_ii, wasi_r_i}},
	{"fd_prestat_get", w_fd_prestat_get, {2, 1, wasi_p_ii, wasi_r_i}},
	{"fd_prestat_dir_name",
	 w_fd_prestat_dir_name,
	 {3, 1, wasi_p_iii, wasi_r_i}},
	{"fd_filestat_get", w_fd_filestat_get, {2, 1, wasi_p_ii, wasi_r_i}},
	{"fd_filestat_set_size",
	 w_fd_filestat_set_size,
	 {2, 1, p_il, wasi_r_i}},
	{"fd_filestat_set_times",
	 w_fd_filestat_set_times,
	 {4, 1, p_illi, wasi_r_i}},
	{"fd_sync", w_fd_sync, {1, 1, wasi_p_i, wasi_r_i}},
	{"fd_datasync", w_fd_datasync, {1, 1, wasi_p_i, wasi_r_i}},
	{"fd_readdir", w_fd_readdir, {5, 1, p_iiili, wasi_r_i}},
};
const size_t wasi_fd_nfns = sizeof(wasi_fd_fns) / sizeof(wasi_fd_fns[0]);
