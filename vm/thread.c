/*
 * vm/thread.c: threads (value stack + call stack) and the embedder's entry
 * points into execution: vm_call and vm_resume.
 */
#include "internal.h"

static volatile int never;

struct vm_thread *vm_thread_new(const struct vm_host_ops *ops,
				uint32_t stack_slots, uint32_t max_depth)
{
	struct vm_thread *th = vm_alloc(ops, sizeof(*th));
	if (!th)
		return NULL;
	th->ops = ops;
	th->nslots = stack_slots ? stack_slots : VM_STACK_SLOTS;
	th->max_depth = max_depth ? max_depth : VM_MAX_CALL_DEPTH;
	th->stack = ops->alloc(ops->ctx, (size_t)th->nslots * sizeof(vm_value));
	th->frames = ops->alloc(ops->ctx, (size_t)th->max_depth *
						  sizeof(struct vm_frame));
	th->interrupt = &never;
	if (!th->stack || !th->frames) {
		vm_thread_free(th);
		return NULL;
	}
	return th;
}

void vm_thread_free(struct vm_thread *th)
{
	if (!th)
		return;
	th->ops->free(th->ops->ctx, th->stack);
	th->ops->free(th->ops->ctx, th->frames);
	th->ops->free(th->ops->ctx, th);
}

void vm_thread_set_interrupt(struct vm_thread *th, volatile int *flag)
{
	th->interrupt = flag ? flag : &never;
}

void vm_thread_exit(struct vm_thread *th, int32_t code)
{
	th->exit_code = code;
	th->exiting = true;
}

static enum vm_err_kind finish(struct vm_thread *th, enum vm_err_kind k,
			       vm_value *results)
{
	if (k == VM_OK && th->entry->type->nresults && results)
		results[0] = th->stack[0];
	return k;
}

enum vm_err_kind vm_call(struct vm_thread *th, struct vm_func *f,
			 const vm_value *args, vm_value *results,
			 struct vm_error *err)
{
	const struct vm_functype *t = f->type;
	memset(err, 0, sizeof(*err));
	if (th->suspended || th->running) {
		vm_fail(err, VM_ERR_LIMIT,
			th->running ? "thread is busy (re-entrant call)"
				    : "thread is suspended",
			NULL, 0);
		return VM_ERR_LIMIT;
	}
	th->entry = f;
	th->exiting = false;
	for (uint32_t i = 0; i < t->nparams; i++)
		th->stack[i] = args[i];
	if (f->host) {
		struct vm_hostcall hc = {th, NULL, f->data};
		int r = f->host(&hc, th->stack);
		if (r < 0) {
			err->kind = VM_ERR_EXIT;
			err->exit_code = th->exit_code;
			return VM_ERR_EXIT;
		}
		if (r) {
			vm_trap_msg(err, (enum vm_trap)r, 0, 0);
			return VM_ERR_TRAP;
		}
		return finish(th, VM_OK, results);
	}
	const struct vm_code *c = f->code;
	if (c->frame_slots > th->nslots) {
		vm_trap_msg(err, VM_TRAP_STACK_EXHAUSTED, f->index, 0);
		return VM_ERR_TRAP;
	}
	for (uint32_t i = t->nparams; i < c->nlocals; i++)
		th->stack[i].u64 = 0;
	th->pc = c->cells;
	th->fp = th->stack;
	th->func = f;
	th->depth = 0;
	th->running = true;
	enum vm_err_kind k = vm_exec(th, err);
	th->running = false;
	return finish(th, k, results);
}

enum vm_err_kind vm_resume(struct vm_thread *th, vm_value *results,
			   struct vm_error *err)
{
	memset(err, 0, sizeof(*err));
	if (!th->suspended || th->running) {
		vm_fail(err, VM_ERR_LIMIT, "thread is not suspended", NULL, 0);
		return VM_ERR_LIMIT;
	}
	th->running = true;
	enum vm_err_kind k = vm_exec(th, err);
	th->running = false;
	return finish(th, k, results);
}
