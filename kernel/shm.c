/*
 * Named shared memory areas on the sbrk heap. The registry is a list under
 * one mutex; each area has its own mutex for its users.
 */
#include <kernel/printk.h>
#include <kernel/shm.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <mm/malloc.h>
#include <mm/mm.h>
#include <string.h>

struct shm_area {
	struct list_node node;
	char name[SHM_NAME_MAX];
	void *base; /* sbrk heap */
	size_t size;
	unsigned refs;
	struct mutex lock;
	const struct shm_ext_ops *ext_ops; /* another subsystem's view */
	void *ext;
};

static struct list_node areas = LIST_INIT(areas);
static struct mutex registry = {NULL,
				{LIST_INIT(registry.waiters.waiters)},
				LIST_INIT(registry.held),
				"shm registry"};
static int area_count;

static struct shm_area *find_area(const char *name)
{
	list_for_each(it, &areas)
	{
		struct shm_area *a = list_entry(it, struct shm_area, node);
		if (strcmp(a->name, name) == 0)
			return a;
	}
	return NULL;
}

static void put_area(struct shm_area *a)
{
	if (--a->refs)
		return;
	list_del(&a->node);
	area_count--;
	if (a->ext)
		a->ext_ops->destroy(a->ext);
	free(a->base);
	kfree(a);
}

/* Drop h's reference; the registry lock is held. */
static void drop_handle(struct shm_handle *h)
{
	if (mutex_held_by_me(&h->area->lock))
		mutex_unlock(&h->area->lock);
	put_area(h->area);
}

/* A process that is killed while it holds the registry (a kill lands at
 * any preemption point) releases its handles still holding it: they must
 * not take it again. */
static bool registry_lock(void)
{
	if (mutex_held_by_me(&registry))
		return false;
	mutex_lock(&registry);
	return true;
}

static void handle_release(struct proc_resource *r)
{
	struct shm_handle *h = (struct shm_handle *)r;

	if (h->area) {
		bool taken = registry_lock();
		drop_handle(h);
		if (taken)
			mutex_unlock(&registry);
	}
	free(h->fresh);
	kfree(h);
}

int shm_name_check(const char *name, char *why, size_t size)
{
	size_t len = name ? strlen(name) : 0;

	if (len == 0) {
		snprintf(why, size, "is empty");
		return -EINVAL;
	}
	if (len >= SHM_NAME_MAX) {
		snprintf(why, size, "has %zu bytes, more than the %d allowed",
			 len, SHM_NAME_MAX - 1);
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < ' ' || c == 0x7f) {
			snprintf(why, size,
				 "holds a control character (0x%02x at byte "
				 "%zu)",
				 c, i);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Attach h to the area `name`, creating it from h->fresh when there is
 * none (-EAGAIN: make h->fresh first). The registry is held; preemption
 * is off from the area's creation to h holding its reference, so no kill
 * lands between.
 */
static int attach(struct shm_handle *h, const char *name, size_t min,
		  size_t size, unsigned flags)
{
	struct shm_area *a = find_area(name);
	int rc = 0;

	if (a) {
		if ((flags & SHM_CREATE) && (flags & SHM_EXCL))
			return -EEXIST;
		if (min > a->size)
			return -EINVAL;
		a->refs++;
		h->area = a;
		return 0; /* a fresh block, if any, goes with the handle */
	}
	if (!(flags & SHM_CREATE))
		return -ENOENT;
	if (size == 0)
		return -EINVAL;
	if (!h->fresh)
		return -EAGAIN;
	sched_preempt_disable();
	a = kcalloc(1, sizeof(*a));
	if (!a) {
		rc = -ENOMEM;
	} else {
		strlcpy(a->name, name, sizeof(a->name));
		a->base = h->fresh;
		a->size = size;
		a->refs = 1;
		mutex_init(&a->lock, a->name);
		list_add_tail(&areas, &a->node);
		area_count++;
		h->fresh = NULL;
		h->area = a;
	}
	sched_preempt_enable();
	return rc;
}

struct shm_handle *shm_open(const char *name, size_t size, unsigned flags,
			    int *err)
{
	return shm_open_range(name, size, size, flags, err);
}

struct shm_handle *shm_open_range(const char *name, size_t min, size_t size,
				  unsigned flags, int *err)
{
	int rc = 0;
	struct shm_handle *h = NULL;
	char why[64];

	rc = shm_name_check(name, why, sizeof(why));
	if (rc)
		goto out_nolock;
	if (!mm_virtual_memory()) {
		printk("shm: no shared memory areas: the sbrk heap needs the "
		       "MMU, which this port does not drive yet\n");
		rc = -ENOSYS;
		goto out_nolock;
	}
	/* The handle is the process's resource from its first byte to its
	 * close: whatever it holds when a kill lands (a fresh area's bytes
	 * being zeroed, a reference) goes with it. */
	sched_preempt_disable();
	h = kcalloc(1, sizeof(*h));
	if (h) {
		h->res.release = handle_release;
		proc_resource_add(&h->res);
	}
	sched_preempt_enable();
	if (!h) {
		rc = -ENOMEM;
		goto out_nolock;
	}
	for (;;) {
		mutex_lock(&registry);
		rc = attach(h, name, min, size, flags);
		mutex_unlock(&registry);
		if (rc != -EAGAIN)
			break;
		/* A new area: its zeroed bytes are made outside the lock (16
		 * MiB take a while) and owned by the handle until attached. */
		sched_preempt_disable();
		h->fresh = malloc(size);
		sched_preempt_enable();
		if (!h->fresh) {
			rc = -ENOMEM;
			break;
		}
		memset(h->fresh, 0, size);
	}
	if (!rc && h->fresh) { /* another process made the area meanwhile */
		sched_preempt_disable();
		free(h->fresh);
		h->fresh = NULL;
		sched_preempt_enable();
	}
out_nolock:
	if (rc && h) {
		proc_resource_remove(&h->res);
		handle_release(&h->res);
		h = NULL;
	}
	if (err)
		*err = rc;
	return h;
}

/* The handle stays a resource of the process until the registry lock is
 * taken: a kill while waiting for the lock still closes it at exit. */
void shm_close(struct shm_handle *h)
{
	if (!h)
		return;
	/* Closed by an exiting process's teardown, the registry may be held
	 * already: a kill landed while this process held it. */
	bool taken = registry_lock();
	/* From forgetting the resource to freeing the handle and, if it was
	 * the last, the area, no kill may land: either would be lost. */
	sched_preempt_disable();
	proc_resource_remove(&h->res);
	drop_handle(h);
	if (taken)
		mutex_unlock(&registry);
	free(h->fresh);
	kfree(h);
	sched_preempt_enable();
}

void *shm_addr(const struct shm_handle *h)
{
	return h->area->base;
}

size_t shm_size(const struct shm_handle *h)
{
	return h->area->size;
}

int shm_lock(struct shm_handle *h)
{
	return mutex_lock(&h->area->lock);
}

int shm_unlock(struct shm_handle *h)
{
	return mutex_unlock(&h->area->lock);
}

void *shm_ext(struct shm_handle *h, const struct shm_ext_ops *ops, void *arg,
	      int *err)
{
	struct shm_area *a = h->area;
	void *ext = NULL;
	int rc = 0;

	mutex_lock(&registry);
	if (a->ext && a->ext_ops != ops) {
		rc = -EBUSY;
	} else if (a->ext) {
		ext = a->ext;
	} else {
		/* no kill between making the view and the area owning it */
		sched_preempt_disable();
		ext = ops->make(a->base, a->size, arg, &rc);
		if (ext) {
			a->ext = ext;
			a->ext_ops = ops;
		}
		sched_preempt_enable();
	}
	mutex_unlock(&registry);
	if (err)
		*err = ext ? 0 : rc;
	return ext;
}

int shm_list(struct shm_info *out, int max)
{
	int n = 0;

	mutex_lock(&registry);
	list_for_each(it, &areas)
	{
		struct shm_area *a = list_entry(it, struct shm_area, node);
		if (n < max) {
			strlcpy(out[n].name, a->name, sizeof(out[n].name));
			out[n].size = a->size;
			out[n].users = a->refs;
			out[n].kind = a->ext ? a->ext_ops->kind : NULL;
		}
		n++;
	}
	mutex_unlock(&registry);
	return n;
}

int shm_count(void)
{
	return area_count;
}

unsigned shm_users_at(const void *addr)
{
	const char *p = addr;
	unsigned users = 0;

	mutex_lock(&registry);
	list_for_each(it, &areas)
	{
		struct shm_area *a = list_entry(it, struct shm_area, node);
		const char *base = a->base;
		if (p >= base && p < base + a->size)
			users = a->refs;
	}
	mutex_unlock(&registry);
	return users;
}
