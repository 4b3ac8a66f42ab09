/*
 * vm/call.c: threads (value stack + call stack) and the embedder's entry
 * points into execution: vm_call and vm_resume.
 */
#include "internal.h"
#include "simd_vm.h"

static volatile int never;

struct vm_thread *vm_thread_new(const struct vm_host_ops *ops,
				uint32_t stack_slots, uint32_t max_depth)
{
	if (!ops || !ops->alloc || !ops->free)
		return NULL;
	uint32_t nslots = stack_slots ? stack_slots : VM_STACK_SLOTS;
	uint32_t depth = max_depth ? max_depth : VM_MAX_CALL_DEPTH;
	uint64_t stack_bytes = (uint64_t)nslots * sizeof(vm_value);
	uint64_t frame_bytes = (uint64_t)depth * sizeof(struct vm_frame);
	/* on 32-bit hosts a large count would wrap the byte size */
	if ((size_t)stack_bytes != stack_bytes ||
	    (size_t)frame_bytes != frame_bytes)
		return NULL;
	struct vm_thread *th = vm_alloc(ops, sizeof(*th));
	if (!th)
		return NULL;
	th->ops = ops;
	th->nslots = nslots;
	th->max_depth = depth;
	th->stack = ops->alloc(ops->ctx, (size_t)stack_bytes);
	th->frames = ops->alloc(ops->ctx, (size_t)frame_bytes);
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
	if (th)
		th->interrupt = flag ? flag : &never;
}

void vm_thread_exit(struct vm_thread *th, int32_t code)
{
	if (!th)
		return;
	th->exit_code = code;
	th->exiting = true;
}

/* The results of the finished call `th->entry` (slots 0..n of the
 * stack, where a function returns them): 32-bit values
 * zero-extended, so a caller reading u64 sees the value (slots may hold
 * stale upper bits after a wrap, which emits nothing). */
static enum vm_err_kind finish(struct vm_thread *th, enum vm_err_kind k,
			       vm_value *results)
{
	const struct vm_functype *t = th->entry->type;
	if (k != VM_OK)
		return k;
	/* a v128 is two values, low half first (simd_vm.h) */
	for (uint32_t i = 0, s = 0; i < t->nresults; i++, s++) {
		results[s] = th->stack[s];
		if (t->results[i] == VM_I32 || t->results[i] == VM_F32)
			results[s].u64 = th->stack[s].u32;
		if (t->results[i] == VM_V128) {
			s++;
			results[s] = th->stack[s];
		}
	}
	return k;
}

/* What vm_call and vm_resume refuse before running anything. */
static enum vm_err_kind check_results(const struct vm_functype *t,
				      const vm_value *results,
				      uint32_t nresults, struct vm_error *err)
{
	uint32_t n = vm_slots_n(t->nresults, t->results);
	if (nresults < n)
		return vm_misuse(err,
				 "call: function returns %u result%s, room "
				 "for %u given",
				 n, nresults);
	if (nresults && !results)
		return vm_misuse(err, "call: results array is NULL", 0, 0);
	return VM_OK;
}

static enum vm_err_kind check_call(struct vm_thread *th, struct vm_func *f,
				   const vm_value *args, uint32_t nargs,
				   const vm_value *results, uint32_t nresults,
				   struct vm_error *err)
{
	if (!th)
		return vm_misuse(err, "call: no thread", 0, 0);
	if (!VM_IS(f, VM_TAG_FUNC))
		return vm_misuse(err, "call: not a function", 0, 0);
	const struct vm_functype *t = f->type;
	uint32_t np = vm_slots_n(t->nparams, t->params);
	if (nargs != np)
		return vm_misuse(err,
				 "call: function takes %u argument%s, %u "
				 "given",
				 np, nargs);
	if (nargs && !args)
		return vm_misuse(err, "call: arguments array is NULL", 0, 0);
	for (uint32_t i = 0; i < nargs; i++)
		if (!vm_ref_arg_ok(t->params[i], args[i]))
			return vm_misuse(err,
					 "call: argument %u is a funcref that "
					 "is neither null nor a function",
					 i, 0);
	if (check_results(t, results, nresults, err))
		return VM_ERR_MISUSE;
	if (th->running)
		return vm_misuse(err, "call: thread is busy (re-entrant call)",
				 0, 0);
	if (th->suspended)
		return vm_misuse(
			err, "call: thread is suspended (vm_resume it)", 0, 0);
	return VM_OK;
}

enum vm_err_kind vm_call_from(struct vm_thread *th, struct vm_func *f,
			      struct vm_instance *caller, const vm_value *args,
			      uint32_t nargs, vm_value *results,
			      uint32_t nresults, struct vm_error *err)
{
	struct vm_error scratch;
	err = vm_err_or(err, &scratch);
	memset(err, 0, sizeof(*err));
	if (check_call(th, f, args, nargs, results, nresults, err))
		return VM_ERR_MISUSE;
	const struct vm_functype *t = f->type;
	/* a host function's arguments and results, a wasm one's whole frame
	 * (which holds its results unless it never returns) */
	uint32_t np = vm_slots_n(t->nparams, t->params);
	uint32_t nr = vm_slots_n(t->nresults, t->results);
	uint32_t need = np > nr ? np : nr;
	if (!f->host && f->code->frame_slots > need)
		need = f->code->frame_slots;
	if (need > th->nslots) {
		vm_trap_msg(err, VM_TRAP_STACK_EXHAUSTED, f->index, 0);
		return VM_ERR_TRAP;
	}
	th->entry = f;
	th->exiting = false;
	for (uint32_t i = 0; i < np; i++)
		th->stack[i] = args[i];
	if (f->host) {
		struct vm_hostcall hc = {th, caller, f->data};
		th->running = true;
		int r = f->host(&hc, th->stack);
		th->running = false;
		if (r < 0) {
			err->kind = VM_ERR_EXIT;
			err->exit_code = th->exit_code;
			return VM_ERR_EXIT;
		}
		if (r) {
			vm_trap_msg(err, (enum vm_trap)r, f->index, 0);
			return VM_ERR_TRAP;
		}
		return finish(th, VM_OK, results);
	}
	const struct vm_code *c = f->code;
	for (uint32_t i = c->param_slots; i < c->local_slots; i++)
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

enum vm_err_kind vm_call(struct vm_thread *th, struct vm_func *f,
			 const vm_value *args, uint32_t nargs,
			 vm_value *results, uint32_t nresults,
			 struct vm_error *err)
{
	return vm_call_from(th, f, NULL, args, nargs, results, nresults, err);
}

enum vm_err_kind vm_resume(struct vm_thread *th, vm_value *results,
			   uint32_t nresults, struct vm_error *err)
{
	struct vm_error scratch;
	err = vm_err_or(err, &scratch);
	memset(err, 0, sizeof(*err));
	if (!th)
		return vm_misuse(err, "resume: no thread", 0, 0);
	if (!th->suspended || th->running)
		return vm_misuse(err, "resume: thread is not suspended", 0, 0);
	if (check_results(th->entry->type, results, nresults, err))
		return VM_ERR_MISUSE;
	th->running = true;
	enum vm_err_kind k = vm_exec(th, err);
	th->running = false;
	return finish(th, k, results);
}
