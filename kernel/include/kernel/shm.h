/*
 * Shared memory areas: named regions of the sbrk heap that any process
 * opens by name and then reads and writes directly (one address space: the
 * pointer is the same in every process). Each area has its own mutex.
 *
 * An area lives while it has handles; a process's handles are closed when
 * it exits. Without the sbrk heap (no MMU yet) every open fails with
 * -ENOSYS.
 */
#ifndef KERNEL_SHM_H
#define KERNEL_SHM_H

#include <kernel/sched.h>
#include <kernel/sync.h>
#include <stddef.h>

#define SHM_NAME_MAX 32
#define SHM_CREATE   0x1u /* create if missing */
#define SHM_EXCL     0x2u /* with SHM_CREATE: fail with -EEXIST if it exists */

struct shm_area;

struct shm_handle {
	struct proc_resource res; /* closed at exit */
	struct shm_area *area;
	void *fresh; /* a new area's bytes, until the area is made */
};

/* Whether `name` can name an area: 0, or -EINVAL with *why (size bytes)
 * saying what is wrong: empty, longer than SHM_NAME_MAX - 1 bytes, or
 * holding a control character (names show in `shm` and in messages). */
int shm_name_check(const char *name, char *why, size_t size);

/* Open (or create, zero-filled, `size` bytes) the area `name`. A size of 0
 * opens an existing area whatever its size. Returns a handle or NULL and
 * *err: -ENOENT (missing, no SHM_CREATE), -EEXIST, -EINVAL (a name
 * shm_name_check refuses, size 0 on create, or bigger than the existing
 * area), -ENOMEM, -ENOSYS. Process context. */
struct shm_handle *shm_open(const char *name, size_t size, unsigned flags,
			    int *err);
/* shm_open, but an existing area is opened if it has at least `min` bytes;
 * a new one gets `size`. */
struct shm_handle *shm_open_range(const char *name, size_t min, size_t size,
				  unsigned flags, int *err);
/* Close a handle; the last close frees the area. */
void shm_close(struct shm_handle *h);

void *shm_addr(const struct shm_handle *h);
size_t shm_size(const struct shm_handle *h);
/* The area's lock (a mutex: may sleep). */
int shm_lock(struct shm_handle *h);
int shm_unlock(struct shm_handle *h);

/*
 * Another subsystem's object for an area (the VM's memory object of an area
 * that programs import, kernel/program_shm.c): made by `make` on the first
 * shm_ext() call, under the registry lock, and destroyed with the area when
 * its last handle closes. One kind per area: another `ops` gets -EBUSY.
 * Returns the object, or NULL and *err (make's error). Process context.
 */
struct shm_ext_ops {
	const char *kind; /* what it is, for listings ("wasm memory") */
	void *(*make)(void *base, size_t size, void *arg, int *err);
	void (*destroy)(void *ext);
};
void *shm_ext(struct shm_handle *h, const struct shm_ext_ops *ops, void *arg,
	      int *err);

/* A snapshot of one area for the shell's `shm`. */
struct shm_info {
	char name[SHM_NAME_MAX];
	size_t size;
	unsigned users;	  /* open handles */
	const char *kind; /* the attached object's kind, or NULL */
};
/* Fill up to `max` entries, oldest area first; returns how many areas
 * exist. Process context. */
int shm_list(struct shm_info *out, int max);

/* Number of areas in existence (for tests and meminfo). */
int shm_count(void);

/* Open handles of the area holding `addr`, 0 if no area does: whether
 * anyone but the caller uses it (a program's untimed wait that nothing
 * else could end, kernel/program_wait.c). A snapshot, true when taken.
 * Process context. */
unsigned shm_users_at(const void *addr);

#endif
