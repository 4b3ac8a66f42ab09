/*
 * vm/wasi_internal.h: what the WASI files share (wasi.c: the table, the
 * console and clocks; wasi_fd.c: descriptors; wasi_path.c: paths and
 * errno mapping). Not for embedders.
 */
#ifndef VM_WASI_INTERNAL_H
#define VM_WASI_INTERNAL_H

#include <vm/wasi.h>

#include "internal.h"

/* WASI errno values (wasi-libc api.h). */
enum {
	E_SUCCESS = 0,
	E_2BIG = 1,
	E_ACCES = 2,
	E_AGAIN = 6,
	E_BADF = 8,
	E_BUSY = 10,
	E_EXIST = 20,
	E_FAULT = 21,
	E_FBIG = 22,
	E_INTR = 27,
	E_INVAL = 28,
	E_IO = 29,
	E_ISDIR = 31,
	E_LOOP = 32,
	E_MFILE = 33,
	E_MLINK = 34,
	E_NAMETOOLONG = 37,
	E_NFILE = 41,
	E_NODEV = 43,
	E_NOENT = 44,
	E_NOMEM = 48,
	E_NOSPC = 51,
	E_NOSYS = 52,
	E_NOTDIR = 54,
	E_NOTEMPTY = 55,
	E_NOTSUP = 58,
	E_OVERFLOW = 61,
	E_PERM = 63,
	E_RANGE = 68,
	E_ROFS = 69,
	E_SPIPE = 70,
	E_TIMEDOUT = 73,
	E_TXTBSY = 74,
	E_XDEV = 75,
	E_NOTCAPABLE = 76,
};

/* WASI rights bits. */
#define R_FD_DATASYNC		 (1ull << 0)
#define R_FD_READ		 (1ull << 1)
#define R_FD_SEEK		 (1ull << 2)
#define R_FD_FDSTAT_SET_FLAGS	 (1ull << 3)
#define R_FD_SYNC		 (1ull << 4)
#define R_FD_TELL		 (1ull << 5)
#define R_FD_WRITE		 (1ull << 6)
#define R_FD_ADVISE		 (1ull << 7)
#define R_FD_ALLOCATE		 (1ull << 8)
#define R_PATH_CREATE_DIRECTORY	 (1ull << 9)
#define R_PATH_CREATE_FILE	 (1ull << 10)
#define R_PATH_OPEN		 (1ull << 13)
#define R_FD_READDIR		 (1ull << 14)
#define R_PATH_RENAME_SOURCE	 (1ull << 16)
#define R_PATH_RENAME_TARGET	 (1ull << 17)
#define R_PATH_FILESTAT_GET	 (1ull << 18)
#define R_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define R_FD_FILESTAT_GET	 (1ull << 21)
#define R_FD_FILESTAT_SET_SIZE	 (1ull << 22)
#define R_FD_FILESTAT_SET_TIMES	 (1ull << 23)
#define R_PATH_REMOVE_DIRECTORY	 (1ull << 25)
#define R_PATH_UNLINK_FILE	 (1ull << 26)
#define R_POLL_FD_READWRITE	 (1ull << 27)

/* What a regular file's descriptor may hold. */
#define R_FILE                                                                 \
	(R_FD_DATASYNC | R_FD_READ | R_FD_SEEK | R_FD_FDSTAT_SET_FLAGS |       \
	 R_FD_SYNC | R_FD_TELL | R_FD_WRITE | R_FD_ADVISE | R_FD_ALLOCATE |    \
	 R_FD_FILESTAT_GET | R_FD_FILESTAT_SET_SIZE |                          \
	 R_FD_FILESTAT_SET_TIMES | R_POLL_FD_READWRITE)
/* What a directory's may (every path right, listing, its own stat). */
#define R_DIR                                                                  \
	(R_FD_FDSTAT_SET_FLAGS | R_FD_SYNC | R_FD_ADVISE |                     \
	 R_PATH_CREATE_DIRECTORY | R_PATH_CREATE_FILE | (1ull << 11) |         \
	 (1ull << 12) | R_PATH_OPEN | R_FD_READDIR | (1ull << 15) |            \
	 R_PATH_RENAME_SOURCE | R_PATH_RENAME_TARGET | R_PATH_FILESTAT_GET |   \
	 R_PATH_FILESTAT_SET_SIZE | (1ull << 20) | R_FD_FILESTAT_GET |         \
	 R_FD_FILESTAT_SET_TIMES | (1ull << 24) | R_PATH_REMOVE_DIRECTORY |    \
	 R_PATH_UNLINK_FILE)

/* fdflags */
#define FDFLAG_APPEND 1

/* What backs a descriptor (struct vm_wasi_file.kind). */
enum {
	K_NONE,
	K_STDIO,  /* size: which of 0, 1, 2 it was opened as */
	K_ROOT,	  /* the lookup root "/" */
	K_LOOKUP, /* a file of the lookup root: u.data, size */
	K_HANDLE, /* an fs hook handle: u.h */
};

#define ROOT_FD 3

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
static inline bool wasi_ctx(struct vm_hostcall *c, struct ctx *x)
{
	struct vm_memory *m = c->caller ? vm_instance_memory(c->caller) : NULL;
	x->w = c->data;
	x->mem = m ? vm_memory_data(m) : NULL;
	x->size = m ? vm_memory_size(m) : 0;
	return c->caller != NULL;
}

#define GET(c, x)                                                              \
	do {                                                                   \
		if (!wasi_ctx(c, x))                                           \
			return VM_TRAP_NO_CALLER;                              \
	} while (0)

/*
 * Pointer to [p, p+n) in linear memory, or NULL if out of bounds. No
 * memory, or an unshared one of 0 pages, has no data block: even an empty
 * range there is refused (EFAULT, as always), but without computing
 * NULL + 0, which C leaves undefined.
 */
static inline uint8_t *at(struct ctx *x, uint32_t p, uint64_t n)
{
	if (!x->mem || (uint64_t)p + n > x->size)
		return NULL;
	return x->mem + p;
}

static inline bool put32(struct ctx *x, uint32_t p, uint32_t v)
{
	uint8_t *d = at(x, p, 4);
	if (d)
		memcpy(d, &v, 4);
	return d != NULL;
}

static inline bool put64(struct ctx *x, uint32_t p, uint64_t v)
{
	uint8_t *d = at(x, p, 8);
	if (d)
		memcpy(d, &v, 8);
	return d != NULL;
}

static inline uint32_t rd32(const uint8_t *p)
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

struct wasi_fn {
	const char *name;
	vm_host_fn fn;
	struct vm_functype type;
};

/* The file functions (wasi_fd.c, wasi_path.c), searched after wasi.c's. */
extern const struct wasi_fn wasi_fd_fns[], wasi_path_fns[];
extern const size_t wasi_fd_nfns, wasi_path_nfns;

/* Parameter lists the tables share. */
extern const uint8_t wasi_p_i[], wasi_p_ii[], wasi_p_iii[], wasi_p_iiii[],
	wasi_r_i[];

/* The fs hooks, or NULL. */
static inline const struct vm_wasi_fs_ops *wasi_fs(const struct vm_wasi *w)
{
	return w->ops->fs;
}

/*
 * Open descriptor fd, or NULL. wasi_fd_get also checks that it holds every
 * right in `need`: *err is EBADF or ENOTCAPABLE when it returns NULL.
 */
struct vm_wasi_file *wasi_file(struct vm_wasi *w, uint32_t fd);
struct vm_wasi_file *wasi_fd_get(struct vm_wasi *w, uint32_t fd, uint64_t need,
				 uint32_t *err);
/* A free descriptor (lowest number), or NULL: EMFILE. */
struct vm_wasi_file *wasi_fd_alloc(struct vm_wasi *w, uint32_t *fd);
/* Close what backs f (a hook handle) and free the slot. */
void wasi_fd_release(struct vm_wasi *w, struct vm_wasi_file *f);

/* A descriptor's stat (wasi_fd.c); WASI errno. */
uint32_t wasi_fd_stat(struct vm_wasi *w, struct vm_wasi_file *f,
		      struct vm_wasi_stat *st);
/* Write a WASI filestat at p: E_SUCCESS or E_FAULT. */
uint32_t wasi_put_filestat(struct ctx *x, uint32_t p,
			   const struct vm_wasi_stat *st);

/* A hook's negative Linux errno as a WASI errno. */
uint32_t wasi_errno(long linux_err);

/* fd_read/fd_pread's and fd_write/fd_pwrite's walk (wasi_fd.c). */
int wasi_rw(struct vm_hostcall *c, vm_value *a, bool write, bool at_offset);

#endif
