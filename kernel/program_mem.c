/*
 * Per-program memory accounts (see kernel/program_mem.h).
 *
 * Each block carries a 16-byte header: its link in the account and the size
 * charged for it. The header keeps the payload at malloc's 16-byte
 * alignment, which is what the VM needs (8-byte atomics, v128 later).
 *
 * Why the sbrk heap and not kmalloc: the kernel heap is a fixed 16 MiB that
 * the kernel itself lives on (process structures, kernel stacks, the shell);
 * one module of 59,000 empty functions once pinned 16,231 KiB of it. The
 * sbrk heap grows from the PMM and gives pages back, and a program's use of
 * it is bounded twice: by the program's limit and by the reserve of free
 * physical memory that no program may take (docs/memory.md).
 */
#include <arch/irq.h>
#include <kernel/printk.h>
#include <mm/malloc.h>
#include <mm/mm.h>
#include <mm/pmm.h>
#include <string.h>

#include "program_mem.h"

struct block {
	struct list_node node;
	size_t size; /* bytes charged: header included */
} __attribute__((aligned(16)));

static struct spinlock accounts_lock = SPINLOCK_INIT;
static struct list_node accounts = LIST_INIT(accounts);

size_t program_mem_default_limit(void)
{
	return (size_t)CONFIG_PROGRAM_MEM_LIMIT_MB * 1024 * 1024;
}

bool program_mem_reserve_ok(size_t bytes)
{
	size_t reserve = (size_t)CONFIG_PROGRAM_RESERVE_KB * 1024;
	size_t free_bytes = pmm_free_pages() * PAGE_SIZE;

	if (free_bytes < reserve || free_bytes - reserve < bytes) {
		/* malloc keeps a free tail mapped against grow/trim
		 * ping-pong: frames programs may have before any refusal */
		heap_malloc_trim_all(&kernel_malloc);
		free_bytes = pmm_free_pages() * PAGE_SIZE;
	}
	return free_bytes >= reserve && free_bytes - reserve >= bytes;
}

/* Charge `bytes` if the limit allows; lock held. */
static bool charge_locked(struct program_mem *m, size_t bytes)
{
	if (bytes > m->limit || m->charged > m->limit - bytes) {
		m->refused++;
		m->over_limit = true;
		m->over_reserve = false;
		return false;
	}
	m->charged += bytes;
	if (m->charged > m->peak)
		m->peak = m->charged;
	return true;
}

bool program_mem_charge(struct program_mem *m, size_t bytes)
{
	irq_state_t s = spin_lock_irqsave(&m->lock);
	bool ok = charge_locked(m, bytes);
	spin_unlock_irqrestore(&m->lock, s);
	return ok;
}

void program_mem_uncharge(struct program_mem *m, size_t bytes)
{
	irq_state_t s = spin_lock_irqsave(&m->lock);
	m->charged -= bytes < m->charged ? bytes : m->charged;
	spin_unlock_irqrestore(&m->lock, s);
}

/* Preemption off from the allocation to the link (and from the unlink to
 * the free), so no kill lands while a block belongs to nobody. Before the
 * scheduler runs there is nothing to preempt. */
static void hold_preemption(void)
{
	if (sched_running())
		sched_preempt_disable();
}

static void release_preemption(void)
{
	if (sched_running())
		sched_preempt_enable();
}

/* A charged, linked block of `n` payload bytes; NULL if refused. Caller
 * holds preemption. */
static struct block *block_new(struct program_mem *m, size_t n)
{
	if (n > SIZE_MAX - sizeof(struct block))
		return NULL;
	size_t bytes = sizeof(struct block) + n;
	if (!program_mem_charge(m, bytes))
		return NULL;
	/* Whether the pool must grow is the pool's business: ask the PMM
	 * afterwards, and give the block back if it took the reserve. */
	struct block *b = malloc(bytes);
	if (b && !program_mem_reserve_ok(0)) {
		free(b);
		b = NULL;
	}
	irq_state_t s = spin_lock_irqsave(&m->lock);
	if (b) {
		b->size = bytes;
		list_add_tail(&m->blocks, &b->node);
	} else {
		m->charged -= bytes;
		m->refused++;
		m->over_limit = false;
		m->over_reserve = true;
	}
	spin_unlock_irqrestore(&m->lock, s);
	return b;
}

static void block_unlink(struct program_mem *m, struct block *b)
{
	irq_state_t s = spin_lock_irqsave(&m->lock);
	list_del(&b->node);
	m->charged -= b->size;
	spin_unlock_irqrestore(&m->lock, s);
}

static void *pm_alloc(void *ctx, size_t n)
{
	hold_preemption();
	struct block *b = block_new(ctx, n);
	release_preemption();
	return b ? b + 1 : NULL;
}

static void pm_free(void *ctx, void *p)
{
	if (!p)
		return;
	struct block *b = (struct block *)p - 1;
	hold_preemption();
	block_unlink(ctx, b);
	free(b);
	release_preemption();
}

/* Resize by moving: a new block, the bytes copied, the old one freed. The
 * heap's own realloc would move the block under its list neighbours. */
static void *pm_realloc(void *ctx, void *p, size_t n)
{
	if (!p)
		return pm_alloc(ctx, n);
	struct block *old = (struct block *)p - 1;
	size_t have = old->size - sizeof(struct block);
	if (n <= have && n >= have / 2)
		return p;
	void *q = pm_alloc(ctx, n);
	if (q) {
		memcpy(q, p, have < n ? have : n);
		pm_free(ctx, p);
	}
	return q;
}

/* Linear memories: zeroed with preemption on (64 MiB take a while); a kill
 * during the memset finds the block already linked. */
static void *pm_mem_alloc(void *ctx, size_t n)
{
	void *p = pm_alloc(ctx, n ? n : 1);
	if (p)
		memset(p, 0, n ? n : 1);
	return p;
}

static void *pm_mem_grow(void *ctx, void *p, size_t old, size_t n)
{
	unsigned char *q = pm_alloc(ctx, n);
	if (q) {
		memcpy(q, p, old);
		memset(q + old, 0, n - old);
		pm_free(ctx, p);
	}
	return q;
}

static void pm_mem_free(void *ctx, void *p, size_t n)
{
	(void)n;
	pm_free(ctx, p);
}

void program_mem_init(struct program_mem *m, const char *name, int pid,
		      size_t limit)
{
	memset(m, 0, sizeof(*m));
	m->ops = (struct vm_host_ops){m,	   pm_alloc,	 pm_realloc,
				      pm_free,	   pm_mem_alloc, pm_mem_grow,
				      pm_mem_free, NULL,	 NULL};
	spin_init(&m->lock);
	list_init(&m->blocks);
	program_code_init(m);
	m->limit = limit ? limit : program_mem_default_limit();
	m->pid = pid;
	strlcpy(m->name, name, sizeof(m->name));
	irq_state_t s = spin_lock_irqsave(&accounts_lock);
	list_add_tail(&accounts, &m->link);
	spin_unlock_irqrestore(&accounts_lock, s);
}

void program_mem_release(struct program_mem *m)
{
	hold_preemption();
	code_heap_release(&m->code);
	release_preemption();
	for (;;) {
		struct block *b = NULL;
		hold_preemption();
		irq_state_t s = spin_lock_irqsave(&m->lock);
		if (!list_empty(&m->blocks)) {
			b = list_entry(m->blocks.next, struct block, node);
			list_del(&b->node);
			m->charged -= b->size;
		}
		spin_unlock_irqrestore(&m->lock, s);
		if (b)
			free(b);
		release_preemption();
		if (!b)
			break;
	}
	irq_state_t s = spin_lock_irqsave(&accounts_lock);
	if (list_linked(&m->link))
		list_del(&m->link);
	spin_unlock_irqrestore(&accounts_lock, s);
}

const char *program_mem_refusal(const struct program_mem *m, char *buf,
				size_t size)
{
	if (!m->refused)
		return NULL;
	if (m->over_reserve)
		snprintf(buf, size,
			 "no memory is left for programs (the kernel keeps "
			 "%u KiB for itself)",
			 (unsigned)CONFIG_PROGRAM_RESERVE_KB);
	else
		snprintf(buf, size,
			 "the program's memory limit of %lu KiB is reached "
			 "(run -m MiB, or run-mem= at boot, sets another)",
			 (unsigned long)(m->limit >> 10));
	return buf;
}

int program_mem_list(struct program_mem_info *out, int max)
{
	int n = 0;
	irq_state_t s = spin_lock_irqsave(&accounts_lock);
	list_for_each(it, &accounts)
	{
		const struct program_mem *m =
			list_entry(it, struct program_mem, link);
		if (n < max) {
			struct program_mem_info *i = &out[n];
			i->pid = m->pid;
			strlcpy(i->name, m->name, sizeof(i->name));
			i->charged = m->charged;
			i->peak = m->peak;
			i->limit = m->limit;
			i->refused = m->refused;
			i->code_bytes = m->code.live_bytes;
			i->code_pages = m->code.pages;
			i->code_funcs = m->code.live;
		}
		n++;
	}
	spin_unlock_irqrestore(&accounts_lock, s);
	return n;
}

size_t program_mem_total(void)
{
	size_t total = 0;
	irq_state_t s = spin_lock_irqsave(&accounts_lock);
	list_for_each(it, &accounts) total +=
		list_entry(it, struct program_mem, link)->charged;
	spin_unlock_irqrestore(&accounts_lock, s);
	return total;
}
