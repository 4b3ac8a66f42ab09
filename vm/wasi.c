/*
 * vm/wasi.c: wasi_snapshot_preview1's table, arguments, clocks, random,
 * poll_oneoff and exit; descriptors are wasi_fd.c's, paths wasi_path.c's.
 * Every pointer the program passes is checked against its linear memory
 * before use; a bad one yields EFAULT, never a host fault. Structure
 * layouts are those of wasi-libc's api.h for wasm32 (little-endian,
 * natural alignment).
 */
#include "wasi_internal.h"

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
 * false for stdin reads, which may have to wait. Files are always ready
 * (their bytes left, for a read); any other descriptor is EBADF. */
static bool fd_ready_now(struct ctx *x, const uint8_t *sub, uint16_t *err,
			 uint64_t *nbytes)
{
	uint32_t fd = rd32(sub + 16);
	struct vm_wasi_file *f = wasi_file(x->w, fd);
	bool stdio = f && f->kind == K_STDIO;
	*err = E_SUCCESS;
	*nbytes = 0;
	if (sub[8] == SUB_READ && stdio && f->size == 0)
		return false;
	if (f && f->type == VM_WASI_FT_FILE && sub[8] == SUB_READ)
		*nbytes = f->pos < f->size ? f->size - f->pos : 0;
	else if (!(f && sub[8] == SUB_WRITE &&
		   (f->type == VM_WASI_FT_FILE || (stdio && f->size != 0))))
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

static bool stdin_fd(struct vm_wasi *w, uint32_t fd)
{
	struct vm_wasi_file *f = wasi_file(w, fd);
	return f && f->kind == K_STDIO && f->size == 0;
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
		if (s[8] == SUB_READ && input && stdin_fd(x.w, rd32(s + 16)))
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
const uint8_t wasi_p_i[] = {I}, wasi_p_ii[] = {I, I}, wasi_p_iii[] = {I, I, I},
	      wasi_p_iiii[] = {I, I, I, I}, wasi_r_i[] = {I};
static const uint8_t p_ili[] = {I, L, I};
#undef I
#undef L
#define p_i    wasi_p_i
#define p_ii   wasi_p_ii
#define p_iiii wasi_p_iiii
#define r_i    wasi_r_i

static const struct wasi_fn wasi_fns[] = {
	{"args_get", w_args_get, {2, 1, p_ii, r_i}},
	{"args_sizes_get", w_args_sizes_get, {2, 1, p_ii, r_i}},
	{"environ_get", w_environ_get, {2, 1, p_ii, r_i}},
	{"environ_sizes_get", w_environ_sizes_get, {2, 1, p_ii, r_i}},
	{"clock_time_get", w_clock_time_get, {3, 1, p_ili, r_i}},
	{"clock_res_get", w_clock_res_get, {2, 1, p_ii, r_i}},
	{"random_get", w_random_get, {2, 1, p_ii, r_i}},
	{"poll_oneoff", w_poll_oneoff, {4, 1, p_iiii, r_i}},
	{"sched_yield", w_sched_yield, {0, 1, NULL, r_i}},
	{"proc_exit", w_proc_exit, {1, 0, p_i, NULL}},
};

static const struct wasi_fn *find_fn(const char *name)
{
	static const struct {
		const struct wasi_fn *fns;
		const size_t *n;
	} tables[] = {{wasi_fd_fns, &wasi_fd_nfns},
		      {wasi_path_fns, &wasi_path_nfns}};
	for (size_t i = 0; i < sizeof(wasi_fns) / sizeof(wasi_fns[0]); i++)
		if (!strcmp(name, wasi_fns[i].name))
			return &wasi_fns[i];
	for (size_t t = 0; t < 2; t++)
		for (size_t i = 0; i < *tables[t].n; i++)
			if (!strcmp(name, tables[t].fns[i].name))
				return &tables[t].fns[i];
	return NULL;
}

/*
 * Descriptors 0-2 are the console, 3 the root "/" (the lookup root unless
 * the fs hooks list a "/" of their own), then every other preopen the fs
 * hooks list, in their order.
 */
static void open_preopens(struct vm_wasi *w)
{
	const struct vm_wasi_fs_ops *fs = wasi_fs(w);
	for (uint32_t fd = 0; fd < 3; fd++) {
		w->fds[fd].open = true;
		w->fds[fd].kind = K_STDIO;
		w->fds[fd].type = VM_WASI_FT_CHAR;
		w->fds[fd].size = fd;
		w->fds[fd].rights = w->fds[fd].inherit = ~(uint64_t)0;
	}
	struct vm_wasi_file *root = &w->fds[ROOT_FD];
	root->open = true;
	root->kind = K_ROOT;
	root->type = VM_WASI_FT_DIR;
	root->rights = R_DIR;
	root->inherit = R_DIR | R_FILE;
	root->preopen = "/";
	for (uint32_t i = 0; fs && fs->preopen; i++) {
		const char *name;
		void *h;
		uint32_t fd;
		if (fs->preopen(w->ops->ctx, i, &name, &h) < 0)
			break;
		struct vm_wasi_file *f =
			!strcmp(name, "/") ? root : wasi_fd_alloc(w, &fd);
		if (!f) {
			if (fs->close)
				fs->close(w->ops->ctx, h);
			continue;
		}
		if (f == root && root->kind == K_HANDLE && fs->close)
			fs->close(w->ops->ctx, root->u.h);
		f->open = true;
		f->kind = K_HANDLE;
		f->type = VM_WASI_FT_DIR;
		f->u.h = h;
		f->rights = R_DIR;
		f->inherit = R_DIR | R_FILE;
		f->preopen = name;
	}
}

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
	if (ops)
		open_preopens(w);
}

void vm_wasi_free(struct vm_wasi *w)
{
	if (!w)
		return;
	for (uint32_t fd = 0; fd < VM_WASI_MAX_FDS; fd++)
		if (w->fds[fd].open)
			wasi_fd_release(w, &w->fds[fd]);
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
	const struct wasi_fn *known = find_fn(field);
	if (known) {
		fn = known->fn;
		ft = &known->type;
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
