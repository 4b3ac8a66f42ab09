/*
 * Shared memories of programs over named shared-memory areas (see
 * <kernel/program_shm.h>). The VM's memory object is the area's "ext"
 * object: made by the first program that imports the area and destroyed
 * with the area, so every program (and every thread) importing a name gets
 * the same vm_memory, and kernel processes see the same bytes at
 * shm_addr().
 */
#include <kernel/program_shm.h>
#include <kernel/program_wait.h>
#include <lib/err.h>
#include <mm/kheap.h>

#include <vm/vm.h>

#define PAGE 65536u

/* The VM's view of one area: linear-memory hooks that never move it. */
struct shm_vm {
	struct vm_host_ops ops;
	uint8_t *base;
	size_t reserved; /* bytes the area holds */
	struct vm_memory *mem;
};

struct limits {
	uint32_t min, max;
};

static void *sv_alloc(void *ctx, size_t n)
{
	return kmalloc(n);
}

static void *sv_realloc(void *ctx, void *p, size_t n)
{
	return krealloc(p, n);
}

static void sv_free(void *ctx, void *p)
{
	kfree(p);
}

/* The area was zeroed when it was created; its bytes beyond the memory's
 * size are not handed out before a grow (only a kernel process writing
 * past shm_size could have touched them). */
static void *sv_mem_alloc(void *ctx, size_t n)
{
	struct shm_vm *v = ctx;
	return n <= v->reserved ? v->base : NULL;
}

static void *sv_mem_grow(void *ctx, void *p, size_t old, size_t n)
{
	struct shm_vm *v = ctx;
	return n <= v->reserved ? p : NULL;
}

static void sv_mem_free(void *ctx, void *p, size_t n)
{
	/* the area owns the bytes */
}

static void *make(void *base, size_t size, void *arg, int *err)
{
	const struct limits *lim = arg;
	uint32_t have = (uint32_t)(size / PAGE);
	struct shm_vm *v;

	if (lim->min > have) {
		*err = -EINVAL;
		return NULL;
	}
	v = kcalloc(1, sizeof(*v));
	if (!v) {
		*err = -ENOMEM;
		return NULL;
	}
	v->ops = (struct vm_host_ops){v,	   sv_alloc,	 sv_realloc,
				      sv_free,	   sv_mem_alloc, sv_mem_grow,
				      sv_mem_free, NULL,	 NULL};
	v->base = base;
	v->reserved = size;
	v->mem = vm_memory_new_shared(&v->ops, lim->min,
				      lim->max < have ? lim->max : have);
	if (!v->mem) {
		kfree(v);
		*err = -ENOMEM;
		return NULL;
	}
	vm_memory_set_sync(v->mem, &program_sync_ops);
	return v;
}

static void destroy(void *ext)
{
	struct shm_vm *v = ext;
	vm_memory_free(&v->ops, v->mem);
	kfree(v);
}

static const struct shm_ext_ops shm_vm_ops = {"wasm memory", make, destroy};

int program_shm_open(const char *name, uint32_t min_pages, uint32_t max_pages,
		     struct shm_handle **h, struct vm_memory **mem)
{
	uint32_t cap =
		(uint32_t)CONFIG_PROGRAM_SHM_MAX_MB * (1024 * 1024 / PAGE);
	uint32_t reserve = max_pages < cap ? max_pages : cap;
	struct limits lim = {min_pages, max_pages};
	int err;

	if (min_pages > max_pages || min_pages > reserve)
		return -EINVAL;
	/* An area of 0 pages still needs a byte for the shm layer. */
	size_t bytes = reserve ? (size_t)reserve * PAGE : 1;
	*h = shm_open_range(name, (size_t)min_pages * PAGE, bytes, SHM_CREATE,
			    &err);
	if (!*h)
		return err;
	struct shm_vm *v = shm_ext(*h, &shm_vm_ops, &lim, &err);
	if (!v) {
		shm_close(*h);
		*h = NULL;
		return err;
	}
	*mem = v->mem;
	return 0;
}
