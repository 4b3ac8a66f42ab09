/*
 * vm/arena.c: a chunked arena for data that lives exactly as long as a
 * module (types, names, segment tables), so decode needs no per-object free.
 */
#include "internal.h"

#define ARENA_CHUNK 4096

struct vm_arena_chunk {
	struct vm_arena_chunk *next;
	size_t used, cap;
	uint64_t data[]; /* 8-byte aligned payload */
};

void *vm_arena_alloc(struct vm_arena *a, size_t size)
{
	size = (size + 7) & ~(size_t)7;
	if (size < 8)
		size = 8;
	struct vm_arena_chunk *c = a->head;
	if (!c || c->cap - c->used < size) {
		size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;
		if (cap > SIZE_MAX - sizeof(*c))
			return NULL;
		c = a->ops->alloc(a->ops->ctx, sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	void *p = (uint8_t *)c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

void vm_arena_free(struct vm_arena *a)
{
	struct vm_arena_chunk *c = a->head;
	while (c) {
		struct vm_arena_chunk *n = c->next;
		a->ops->free(a->ops->ctx, c);
		c = n;
	}
	a->head = NULL;
}
