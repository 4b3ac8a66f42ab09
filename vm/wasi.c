/*
 * vm/wasi.c: wasi_snapshot_preview1 functions. Every pointer the program
 * passes is checked against its linear memory before use; a bad one yields
 * EFAULT, never a host fault. Structure layouts are those of wasi-libc's
 * api.h for wasm32 (little-endian, natural alignment).
 */
#include <vm/wasi.h>

#include "internal.h"

enum {
	E_SUCCESS = 0,
	E_BADF = 8,
	E_FAULT = 21,
	E_INVAL = 28,
	E_ISDIR = 31,
	E_NOENT = 44,
	E_NOSYS = 52,
	E_NOTDIR = 54,
	E_OVERFLOW = 61,
	E_ROFS = 69,
	E_SPIPE = 70,
	E_MFILE = 33,
};

enum { FT_DIR = 3, FT_CHAR = 2, FT_FILE = 4 };

#define PREOPEN_FD 3

struct ctx {
	struct vm_wasi *w;
	uint8_t *mem;
	uint64_t size;
};

/*
 * The calling instance's memory, or false when the embedder called the
 * function itself (vm_call of a re-exported import): there is no memory
 * to read pointers in, so the function traps (VM_TRAP_NO_CALLER) instead
 * of answering EFAULT to a program that did not call it.
 */
static bool get(struct vm_hostcall *c, struct ctx *x)
{
	struct vm_memory *m = c->caller ? vm_instance_memory(c->caller) : NULL;
	x->w = c->data;
	x->mem = m ? vm_memory_data(m) : NULL;
	x->size = m ? vm_memory_size(m) : 0;
	return c->caller != NULL;
}

#define GET(c, x)                                                              \
	do {                                                                   \
		if (!get(c, x))                                                \
			return VM_TRAP_NO_CALLER;                              \
	} while (0)

/*
 * Pointer to [p, p+n) in linear memory, or NULL if out of bounds. No
 * memory, or an unshared one of 0 pages, has no data block: even an empty
 * range there is refused (EFAULT, as always), but without computing
 * NULL + 0, which C leaves undefined.
 */
static uint8_t *at(struct ctx *x, uint32_t p, uint64_t n)
{
	if (!x->mem || (uint64_t)p + n > x->size)
		return NULL;
	return x->mem + p;
}

static bool put32(struct ctx *x, uint32_t p, uint32_t v)
{
	uint8_t *d = at(x, p, 4);
	if (d)
		memcpy(d, &v, 4);
	return d != NULL;
}

static bool put64(struct ctx *x, uint32_t p, uint64_t v)
{
	uint8_t *d = at(x, p, 8);
	if (d)
		memcpy(d, &v, 8);
	return d != NULL;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

#define RET(v)                                                                 \
	do {                                                                   \
		a[0].u64 = (uint32_t)(v);                                      \
		return 0;                                                      \
	} while (0)

/* args_get / environ_get: pointer array plus NUL-terminated strings. */
static int strings_get(struct vm_hostcall *c, vm_value *a, bool env)
{
	struct ctx x;
	GET(c, &x);
	int n = env ? x.w->envc : x.w->argc;
	const char *const *v = env ? x.w->envp : x.w->argv;
	uint32_t ptrs = a[0].u32, buf = a[1].u32;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;
		uint8_t *d = at(&x, buf, len);
		if (!d || !put32(&x, ptrs + 4 * (uint32_t)i, buf))
			RET(E_FAULT);
		memcpy(d, v[i], len);
		buf += (uint32_t)len;
	}
	RET(E_SUCCESS);
}

static int strings_sizes(struct vm_hostcall *c, vm_value *a, bool env)
{
	struct ctx x;
	GET(c, &x);
	int n = env ? x.w->envc : x.w->argc;
	const char *const *v = env ? x.w->envp : x.w->argv;
	uint32_t total = 0;
	for (int i = 0; i < n; i++)
		total += (uint32_t)strlen(v[i]) + 1;
	if (!put32(&x, a[0].u32, (uint32_t)n) || !put32(&x, a[1].u32, total))
		RET(E_FAULT);
	RET(E_SUCCESS);
}

static int w_args_get(struct vm_hostcall *c, vm_value *a)
{
	return strings_get(c, a, false);
}
static int w_args_sizes_get(struct vm_hostcall *c, vm_value *a)
{
	return strings_sizes(c, a, false);
}
static int w_environ_get(struct vm_hostcall *c, vm_value *a)
{
	return strings_get(c, a, true);
}
static int w_environ_sizes_get(struct vm_hostcall *c, vm_value *a)
{
	return strings_sizes(c, a, true);
}

static struct vm_wasi_file *file(struct ctx *x, uint32_t fd)
{
	if (fd <= PREOPEN_FD || fd >= VM_WASI_MAX_FDS || !x->w->fds[fd].open)
		return NULL;
	return &x->w->fds[fd];
}

/* fd_write(fd, iovs, iovs_len, nwritten) */
static int w_fd_write(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	uint32_t fd = a[0].u32, iovs = a[1].u32, n = a[2].u32;
	uint64_t total = 0;
	if (fd != 1 &&
	    fd != 2) /* stdin, the directory and files are read-only */
		RET(E_BADF);
	if (!x.w->ops->write)
		RET(E_NOSYS);
	const uint8_t *iov = at(&x, iovs, (uint64_t)n * 8);
	if (!iov)
		RET(E_FAULT);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t p = rd32(iov + 8 * i), len = rd32(iov + 8 * i + 4);
		const uint8_t *d = at(&x, p, len);
		if (!d)
			RET(E_FAULT);
		if (!len)
			continue;
		long r = x.w->ops->write(x.w->ops->ctx, (int)fd, d, len);
		if (r < 0)
			RET(total ? E_SUCCESS : E_INVAL);
		total += (uint64_t)r;
		if ((uint32_t)r < len)
			break;
	}
	if (!put32(&x, a[3].u32, (uint32_t)total))
		RET(E_FAULT);
	RET(E_SUCCESS);
}

/*
 * fd_read(fd, iovs, iovs_len, nread). The walk over the iovecs is
 * fd_write's; what is done with each buffer differs (a file's bytes, or one
 * console read that ends the call), so each call keeps its own loop rather
 * than pass a callback.
 */
static int w_fd_read(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	uint32_t fd = a[0].u32, iovs = a[1].u32, n = a[2].u32;
	uint64_t total = 0;
	struct vm_wasi_file *f = NULL;
	if (fd != 0 && !(f = file(&x, fd)))
		RET(fd == PREOPEN_FD ? E_ISDIR : E_BADF);
	if (!f && !x.w->ops->read)
		RET(E_NOSYS);
	const uint8_t *iov = at(&x, iovs, (uint64_t)n * 8);
	if (!iov)
		RET(E_FAULT);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t p = rd32(iov + 8 * i), len = rd32(iov + 8 * i + 4);
		uint8_t *d = at(&x, p, len);
		if (!d)
			RET(E_FAULT);
		if (!len)
			continue;
		if (f) {
			uint64_t left = f->pos < f->size ? f->size - f->pos : 0;
			uint32_t k = left < len ? (uint32_t)left : len;
			if (k) /* else pos may be far past the data */
				memcpy(d, f->data + f->pos, k);
			f->pos += k;
			total += k;
			if (k < len)
				break;
		} else {
			long r = x.w->ops->read(x.w->ops->ctx, d, len);
			if (r < 0)
				RET(total ? E_SUCCESS : E_INVAL);
			total += (uint64_t)r;
			break; /* a short console read ends the call */
		}
	}
	if (!put32(&x, a[3].u32, (uint32_t)total))
		RET(E_FAULT);
	RET(E_SUCCESS);
}

static int w_fd_close(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x = {c->data, NULL, 0}; /* needs no memory */
	struct vm_wasi_file *f = file(&x, a[0].u32);
	if (!f)
		RET(a[0].u32 <= PREOPEN_FD ? E_SUCCESS : E_BADF);
	f->open = false;
	RET(E_SUCCESS);
}

/*
 * fd_seek(fd, offset i64, whence, newoffset). Positions stay in
 * [0, INT64_MAX] (WASI's filedelta is signed): a result below 0 is
 * EINVAL, one above EOVERFLOW, computed without overflowing (the offset
 * is the program's, any 64-bit value). Past the end of the file is
 * allowed; reads there return nothing.
 */
static int w_fd_seek(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	struct vm_wasi_file *f = file(&x, a[0].u32);
	int64_t off = a[1].i64;
	uint64_t base;
	if (!f)
		RET(a[0].u32 <= 2 ? E_SPIPE : E_BADF);
	switch (a[2].u32) {
	case 0: base = 0; break;
	case 1: base = f->pos; break;
	case 2: base = f->size; break;
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

/*
 * Both stat calls: the n bytes at a[1] zeroed, then fd a[0]'s filetype
 * (stdio are character devices, then the preopened root, then open files)
 * at byte ft_at and two u64 words w0, w1 at byte w_at. E_BADF is checked
 * before E_FAULT.
 */
static int stat_put(struct ctx *x, vm_value *a, uint32_t n, uint32_t ft_at,
		    uint32_t w_at, uint64_t w0, uint64_t w1)
{
	uint32_t fd = a[0].u32;
	uint8_t ft;
	if (fd <= 2)
		ft = FT_CHAR;
	else if (fd == PREOPEN_FD)
		ft = FT_DIR;
	else if (file(x, fd))
		ft = FT_FILE;
	else
		RET(E_BADF);
	uint8_t *d = at(x, a[1].u32, n);
	if (!d)
		RET(E_FAULT);
	memset(d, 0, n);
	d[ft_at] = ft;
	memcpy(d + w_at, &w0, 8);
	memcpy(d + w_at + 8, &w1, 8);
	RET(E_SUCCESS);
}

/* fd_fdstat_get(fd, buf): filetype u8, flags u16 @2, rights u64 @8, @16 */
static int w_fd_fdstat_get(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	return stat_put(&x, a, 24, 0, 8, ~(uint64_t)0, ~(uint64_t)0);
}

/* fd_prestat_get(fd, buf): tag u32 (0 = dir), name length u32 */
static int w_fd_prestat_get(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	if (a[0].u32 != PREOPEN_FD)
		RET(E_BADF);
	if (!put32(&x, a[1].u32, 0) || !put32(&x, a[1].u32 + 4, 1))
		RET(E_FAULT);
	RET(E_SUCCESS);
}

static int w_fd_prestat_dir_name(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	if (a[0].u32 != PREOPEN_FD)
		RET(E_BADF);
	uint8_t *d = at(&x, a[1].u32, a[2].u32);
	if (!d)
		RET(E_FAULT);
	if (a[2].u32 < 1)
		RET(E_INVAL);
	d[0] = '/';
	RET(E_SUCCESS);
}

/*
 * path_open(dirfd, dirflags, path, path_len, oflags, rights_base i64,
 * rights_inheriting i64, fdflags, fd_out): read-only files of the root.
 */
static int w_path_open(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	uint32_t len = a[3].u32, oflags = a[4].u32;
	const uint8_t *p = at(&x, a[2].u32, len);
	const uint8_t *data;
	uint64_t size;
	if (a[0].u32 != PREOPEN_FD)
		RET(E_BADF);
	if (!p)
		RET(E_FAULT);
	if (oflags & (1 | 4 | 8)) /* creat, excl, trunc */
		RET(E_ROFS);
	while (len && *p == '/')
		p++, len--;
	while (len >= 2 && p[0] == '.' && p[1] == '/')
		p += 2, len -= 2;
	if (oflags & 2) /* directory */
		RET(E_NOTDIR);
	if (!x.w->ops->lookup ||
	    !x.w->ops->lookup(x.w->ops->ctx, (const char *)p, len, &data,
			      &size))
		RET(E_NOENT);
	for (uint32_t fd = PREOPEN_FD + 1; fd < VM_WASI_MAX_FDS; fd++) {
		struct vm_wasi_file *f = &x.w->fds[fd];
		if (f->open)
			continue;
		if (!put32(&x, a[8].u32, fd))
			RET(E_FAULT);
		f->open = true;
		f->data = data;
		f->size = size;
		f->pos = 0;
		RET(E_SUCCESS);
	}
	RET(E_MFILE);
}

/* fd_filestat_get(fd, buf): filestat is 64 bytes; nlink at 24, size at 32 */
static int w_fd_filestat_get(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	struct vm_wasi_file *f = file(&x, a[0].u32);
	return stat_put(&x, a, 64, 16, 24, 1, f ? f->size : 0);
}

static int w_clock_time_get(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	uint32_t id = a[0].u32;
	if (id > 3)
		RET(E_INVAL);
	if (!x.w->ops->clock)
		RET(E_NOSYS);
	/* process/thread CPU clocks fall back to the monotonic clock */
	uint64_t t = x.w->ops->clock(x.w->ops->ctx, id == 0 ? 0 : 1);
	if (!put64(&x, a[2].u32, t))
		RET(E_FAULT);
	RET(E_SUCCESS);
}

static int w_clock_res_get(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	if (a[0].u32 > 3)
		RET(E_INVAL);
	if (!put64(&x, a[1].u32, 1000))
		RET(E_FAULT);
	RET(E_SUCCESS);
}

static int w_random_get(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	uint8_t *d = at(&x, a[0].u32, a[1].u32);
	if (!d)
		RET(E_FAULT);
	if (!x.w->ops->random)
		RET(E_NOSYS);
	x.w->ops->random(x.w->ops->ctx, d, a[1].u32);
	RET(E_SUCCESS);
}

/*
 * poll_oneoff(in, out, nsubscriptions, nevents). Subscription (48 bytes):
 * userdata u64 @0, tag u8 @8 (0 clock, 1 fd_read, 2 fd_write); clock: id
 * u32 @16, timeout u64 @24, flags u16 @40 (1 = absolute); fd: fd u32 @16.
 * Event (32 bytes): userdata u64 @0, error u16 @8, type u8 @10, fd events:
 * nbytes u64 @16.
 *
 * Ready at once, so nothing waits: writes to 1 and 2, reads of open files,
 * stdin when input is already there, and a subscription on any other fd
 * (an event carrying EBADF). Otherwise the call waits for stdin input (the
 * poll_read hook) or the earliest clock, whichever comes first; an expired
 * wait reports the clocks that were due. Without a poll_read hook stdin
 * counts as ready, as before the hook existed.
 */
enum { SUB_CLOCK, SUB_READ, SUB_WRITE };

/*
 * Event number *nev for subscription `sub`, at most n of them: the
 * memory may be shared, and another thread rewriting the subscriptions
 * between the two passes below could otherwise make one answer twice
 * and the events overrun the n * 32 bytes checked. `out` may overlap the
 * subscriptions, so what is needed of `sub` is read before `e` is written.
 */
static void event(uint8_t *out, uint32_t *nev, uint32_t n, const uint8_t *sub,
		  uint16_t err, uint64_t nbytes)
{
	uint8_t userdata[8], tag = sub[8];
	if (*nev == n)
		return;
	uint8_t *e = out + 32 * (*nev)++;
	memcpy(userdata, sub, 8);
	memset(e, 0, 32);
	memcpy(e, userdata, 8);
	memcpy(e + 8, &err, 2);
	e[10] = tag;
	if (tag != SUB_CLOCK)
		memcpy(e + 16, &nbytes, 8);
}

/* An fd subscription that needs no waiting: its error and byte count;
 * false for stdin reads, which may have to wait. */
static bool fd_ready_now(struct ctx *x, const uint8_t *sub, uint16_t *err,
			 uint64_t *nbytes)
{
	uint32_t fd = rd32(sub + 16);
	struct vm_wasi_file *f = file(x, fd);
	*err = E_SUCCESS;
	*nbytes = 0;
	if (sub[8] == SUB_READ && fd == 0)
		return false;
	if (sub[8] == SUB_READ && f)
		*nbytes = f->pos < f->size ? f->size - f->pos : 0;
	else if (!(sub[8] == SUB_WRITE && (fd == 1 || fd == 2)))
		*err = E_BADF;
	return true;
}

/* A clock subscription's time left from now (absolute ones against the
 * clock they name). */
static uint64_t clock_timeout(const struct vm_wasi_ops *ops, const uint8_t *s)
{
	uint64_t timeout, now;
	uint16_t flags;
	memcpy(&timeout, s + 24, 8);
	memcpy(&flags, s + 40, 2);
	if ((flags & 1) && ops->clock) {
		now = ops->clock(ops->ctx, rd32(s + 16) ? 1 : 0);
		timeout = timeout > now ? timeout - now : 0;
	}
	return timeout;
}

static int w_poll_oneoff(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x;
	GET(c, &x);
	const struct vm_wasi_ops *ops = x.w->ops;
	uint32_t n = a[2].u32;
	const uint8_t *in = at(&x, a[0].u32, (uint64_t)n * 48);
	uint8_t *out = at(&x, a[1].u32, (uint64_t)n * 32);
	uint64_t best = UINT64_MAX;
	uint32_t nev = 0;
	bool want_input = false;
	if (!in || !out)
		RET(E_FAULT);
	if (!n)
		RET(E_INVAL);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *s = in + 48 * i;
		uint16_t err;
		uint64_t nbytes;
		if (s[8] == SUB_CLOCK) {
			uint64_t timeout = clock_timeout(ops, s);
			if (timeout < best)
				best = timeout;
		} else if (s[8] > SUB_WRITE) {
			event(out, &nev, n, s, E_INVAL, 0);
		} else if (fd_ready_now(&x, s, &err, &nbytes)) {
			event(out, &nev, n, s, err, nbytes);
		} else {
			want_input = true;
		}
	}
	/* Wait only when nothing is ready yet; still look at stdin once. */
	uint64_t wait = nev ? 0 : best;
	bool input = false, expired = false;
	if (want_input) {
		input = !ops->poll_read || ops->poll_read(ops->ctx, wait);
		expired = !input && wait == best;
	} else if (!nev) {
		if (best && ops->sleep)
			ops->sleep(ops->ctx, best);
		expired = true;
	}
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *s = in + 48 * i;
		if (s[8] == SUB_READ && input && rd32(s + 16) == 0)
			event(out, &nev, n, s, E_SUCCESS, 1);
		else if (s[8] == SUB_CLOCK &&
			 clock_timeout(ops, s) <= (expired ? best : 0))
			event(out, &nev, n, s, E_SUCCESS, 0);
	}
	if (!put32(&x, a[3].u32, nev))
		RET(E_FAULT);
	RET(E_SUCCESS);
}

static int w_sched_yield(struct vm_hostcall *c, vm_value *a)
{
	struct ctx x = {c->data, NULL, 0}; /* needs no memory */
	if (x.w->ops->yield)
		x.w->ops->yield(x.w->ops->ctx);
	RET(E_SUCCESS);
}

static int w_proc_exit(struct vm_hostcall *c, vm_value *a)
{
	vm_thread_exit(c->thread, a[0].i32);
	return -1;
}

/* Any other wasi import: ENOSYS if it returns an errno, else nothing. */
static int w_nosys(struct vm_hostcall *c, vm_value *a)
{
	(void)c;
	a[0].u64 = E_NOSYS;
	return 0;
}

#define I VM_I32
#define L VM_I64
static const uint8_t p_i[] = {I}, p_ii[] = {I, I}, p_iii[] = {I, I, I},
		     p_iiii[] = {I, I, I, I}, p_ili[] = {I, L, I},
		     p_ilii[] = {I, L, I, I},
		     p_open[] = {I, I, I, I, I, L, L, I, I}, r_i[] = {I};
#undef I
#undef L

struct wasi_fn {
	const char *name;
	vm_host_fn fn;
	struct vm_functype type;
};

static const struct wasi_fn wasi_fns[] = {
	{"args_get", w_args_get, {2, 1, p_ii, r_i}},
	{"args_sizes_get", w_args_sizes_get, {2, 1, p_ii, r_i}},
	{"environ_get", w_environ_get, {2, 1, p_ii, r_i}},
	{"environ_sizes_get", w_environ_sizes_get, {2, 1, p_ii, r_i}},
	{"fd_write", w_fd_write, {4, 1, p_iiii, r_i}},
	{"fd_read", w_fd_read, {4, 1, p_iiii, r_i}},
	{"fd_close", w_fd_close, {1, 1, p_i, r_i}},
	{"fd_seek", w_fd_seek, {4, 1, p_ilii, r_i}},
	{"fd_fdstat_get", w_fd_fdstat_get, {2, 1, p_ii, r_i}},
	{"fd_prestat_get", w_fd_prestat_get, {2, 1, p_ii, r_i}},
	{"fd_prestat_dir_name", w_fd_prestat_dir_name, {3, 1, p_iii, r_i}},
	{"path_open", w_path_open, {9, 1, p_open, r_i}},
	{"fd_filestat_get", w_fd_filestat_get, {2, 1, p_ii, r_i}},
	{"clock_time_get", w_clock_time_get, {3, 1, p_ili, r_i}},
	{"clock_res_get", w_clock_res_get, {2, 1, p_ii, r_i}},
	{"random_get", w_random_get, {2, 1, p_ii, r_i}},
	{"poll_oneoff", w_poll_oneoff, {4, 1, p_iiii, r_i}},
	{"sched_yield", w_sched_yield, {0, 1, NULL, r_i}},
	{"proc_exit", w_proc_exit, {1, 0, p_i, NULL}},
};

void vm_wasi_init(struct vm_wasi *w, const struct vm_host_ops *hops,
		  const struct vm_wasi_ops *ops, int argc,
		  const char *const *argv, int envc, const char *const *envp)
{
	if (!w)
		return;
	memset(w, 0, sizeof(*w));
	w->hops = hops;
	w->ops = ops;
	w->argc = argc;
	w->argv = argv;
	w->envc = envc;
	w->envp = envp;
}

void vm_wasi_free(struct vm_wasi *w)
{
	if (!w)
		return;
	for (uint32_t i = 0; i < w->nfuncs; i++)
		vm_func_free_host(w->hops, w->funcs[i]);
	w->nfuncs = 0;
}

bool vm_wasi_resolve(void *ctx, const char *module, const char *field,
		     enum vm_extern_kind kind, const struct vm_functype *type,
		     struct vm_extern *out)
{
	struct vm_wasi *w = ctx;
	const struct vm_functype *ft = type;
	vm_host_fn fn = w_nosys;
	if (!w || !module || !field || !out ||
	    strcmp(module, "wasi_snapshot_preview1") || kind != VM_EXTERN_FUNC)
		return false;
	for (size_t i = 0; i < sizeof(wasi_fns) / sizeof(wasi_fns[0]); i++)
		if (!strcmp(field, wasi_fns[i].name)) {
			fn = wasi_fns[i].fn;
			ft = &wasi_fns[i].type;
			break;
		}
	/* an unknown function gets the stub, typed as the module expects */
	if (fn == w_nosys &&
	    (!type || type->nresults != 1 || type->results[0] != VM_I32))
		return false;
	if (w->nfuncs == VM_WASI_MAX_STUBS)
		return false;
	struct vm_func *f = vm_func_new_host(w->hops, ft, fn, w);
	if (!f)
		return false;
	w->funcs[w->nfuncs++] = f;
	out->kind = VM_EXTERN_FUNC;
	out->u.func = f;
	return true;
}

static const uint8_t i32_1[] = {VM_I32}, i32_2[] = {VM_I32, VM_I32};
const struct vm_functype vm_wasi_thread_spawn_type = {1, 1, i32_1, i32_1};
static const struct vm_functype thread_start_type = {2, 0, i32_2, NULL};

struct vm_func *vm_wasi_thread_start(const struct vm_instance *inst)
{
	struct vm_extern e;
	if (!vm_instance_export(inst, "wasi_thread_start", &e) ||
	    e.kind != VM_EXTERN_FUNC ||
	    !vm_functype_eq(vm_func_type(e.u.func), &thread_start_type))
		return NULL;
	return e.u.func;
}
