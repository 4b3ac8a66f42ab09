/*
 * Intrusive doubly-linked circular lists. A node embedded in an object links
 * it into one list; an empty list (or an unlinked node) points at itself.
 */
#ifndef KERNEL_LIST_H
#define KERNEL_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
	struct list_node *prev, *next;
};

#define LIST_INIT(name)                                                        \
	{                                                                      \
		&(name), &(name)                                               \
	}

static inline void list_init(struct list_node *l)
{
	l->prev = l->next = l;
}

static inline bool list_empty(const struct list_node *l)
{
	return l->next == l;
}

/* Insert `n` before `at` (at the tail when `at` is the list head). */
static inline void list_insert_before(struct list_node *at, struct list_node *n)
{
	n->next = at;
	n->prev = at->prev;
	at->prev->next = n;
	at->prev = n;
}

static inline void list_add_tail(struct list_node *l, struct list_node *n)
{
	list_insert_before(l, n);
}

static inline void list_add_head(struct list_node *l, struct list_node *n)
{
	list_insert_before(l->next, n);
}

/* Unlink `n` and leave it pointing at itself (safe to delete twice). */
static inline void list_del(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = n;
}

static inline bool list_linked(const struct list_node *n)
{
	return n->next != n;
}

#define list_entry(node, type, member)                                         \
	((type *)((char *)(node)-offsetof(type, member)))

#define list_for_each(it, head)                                                \
	for (struct list_node *it = (head)->next; it != (head); it = it->next)

/* Iteration that survives unlinking the current node. */
#define list_for_each_safe(it, head)                                           \
	for (struct list_node *it = (head)->next, *it##_next = it->next;       \
	     it != (head); it = it##_next, it##_next = it->next)

#endif
