/*
 * tools/jitfuzz/pair.c: a module on the interpreter and on the compiler
 * tier side by side (pair.h). The state hash reads the instance's globals
 * and tables through vm/internal.h: vm.h reaches only exported ones, and
 * a generated module exports none of its globals.
 */
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "../../vm/internal.h"
#include "../wasmrun/host_ops.h"
#include "args.h"
#include "pair.h"

#define REF_NULL    UINT64_MAX	     /* a null reference, mapped */
#define REF_OTHER   (UINT64_MAX - 1) /* a function of no instance of ours */
#define STACK_SLOTS (1u << 16)
#define MAX_DEPTH   500 /* calls deep: recursion traps soon, both ways */

static volatile int stop;

static void on_vtalrm(int sig)
{
	(void)sig;
	stop = 1;
}

/* An imported function: zeros for its results (data is its type). */
static int zeros(struct vm_hostcall *call, vm_value *args)
{
	const struct vm_functype *t = call->data;
	uint32_t n = 0;
	for (uint32_t i = 0; i < t->nresults; i++)
		n += t->results[i] == VM_V128 ? 2 : 1;
	memset(args, 0, n * sizeof(args[0]));
	return 0;
}

static bool resolve(void *ctx, const char *module, const char *field,
		    enum vm_extern_kind kind, const struct vm_functype *type,
		    struct vm_extern *out)
{
	struct side *s = ctx;
	(void)module;
	(void)field;
	if (kind != VM_EXTERN_FUNC || s->nstubs == PAIR_MAX_STUBS)
		return false;
	struct vm_func *f = vm_func_new_host(s->ops, type, zeros, (void *)type);
	if (!f)
		return false;
	s->stubs[s->nstubs++] = f;
	out->kind = VM_EXTERN_FUNC;
	out->u.func = f;
	return true;
}

static void side_close(struct side *s)
{
	if (s->th)
		vm_thread_free(s->th);
	if (s->inst)
		vm_instance_free(s->inst);
	for (int i = 0; i < s->nstubs; i++)
		vm_func_free_host(s->ops, s->stubs[i]);
	if (s->m)
		vm_module_free(s->m);
	memset(s, 0, sizeof(*s));
}

static bool side_open(struct side *s, const struct vm_host_ops *ops,
		      const uint8_t *bytes, size_t len, struct vm_error *err)
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->m = vm_module_load(ops, bytes, len, err);
	if (!s->m)
		return false;
	s->inst = vm_instantiate(s->m, resolve, s, err);
	s->th = vm_thread_new(ops, STACK_SLOTS, MAX_DEPTH);
	if (!s->inst || !s->th) {
		side_close(s);
		return false;
	}
	vm_thread_set_interrupt(s->th, &stop);
	return true;
}

bool pair_open(struct pair *p, const uint8_t *bytes, size_t len,
	       uint32_t limit_ms, struct vm_error *err)
{
	static bool handler;
	if (!handler) {
		signal(SIGVTALRM, on_vtalrm);
		handler = true;
	}
	memset(p, 0, sizeof(*p));
	p->limit_ms = limit_ms;
	struct vm_error err1;
	bool ok0 = side_open(&p->s[0], &host_ops_interp, bytes, len, err);
	bool ok1 = side_open(&p->s[1], &host_ops, bytes, len, &err1);
	if (ok0 && ok1)
		return true;
	/* loading and instantiating run no code: they must agree too */
	p->one_sided = ok0 != ok1;
	if (ok0)
		*err = err1;
	pair_close(p);
	return false;
}

void pair_fill_memory(struct pair *p, uint64_t seed)
{
	for (int i = 0; i < 2; i++) {
		struct vm_memory *mem = vm_instance_memory(p->s[i].inst);
		uint64_t st = seed, size = mem ? vm_memory_size(mem) : 0;
		uint8_t *d = mem ? vm_memory_data(mem) : NULL;
		for (uint64_t k = 0; k + 8 <= size; k += 8) {
			uint64_t v = args_next(&st);
			memcpy(d + k, &v, 8);
		}
	}
}

uint32_t pair_func_count(const struct pair *p)
{
	return p->s[0].m->nfuncs;
}

void pair_close(struct pair *p)
{
	side_close(&p->s[0]);
	side_close(&p->s[1]);
}

/* A funcref as the index of the function in inst's index space. */
static uint64_t ref_index(const struct vm_instance *inst, uint64_t v)
{
	struct vm_func *f = vm_ref_to_func((vm_value){.u64 = v});
	if (!f)
		return v == 0 ? REF_NULL : REF_OTHER;
	for (uint32_t i = 0; i < inst->m->nfuncs; i++)
		if (inst->funcs[i] == f)
			return i;
	return REF_OTHER;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

static uint64_t fnv_u64(uint64_t h, uint64_t v)
{
	return fnv(h, &v, sizeof(v));
}

uint64_t pair_state_hash(const struct vm_instance *inst)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (uint32_t i = 0; i < inst->m->nglobals; i++) {
		const struct vm_global *g = inst->globals[i];
		uint8_t t = vm_global_type(g);
		uint64_t v = vm_global_get(g).u64;
		if (t == VM_FUNCREF)
			v = ref_index(inst, v);
		h = fnv_u64(h, v);
		if (t == VM_V128)
			h = fnv_u64(h, g->hi.u64);
	}
	for (uint32_t i = 0; i < inst->m->ntables; i++) {
		const struct vm_table *t = inst->tables[i];
		uint32_t n = vm_table_size(t);
		bool funcs = vm_table_type(t) == VM_FUNCREF;
		h = fnv_u64(h, n);
		for (uint32_t k = 0; k < n; k++) {
			vm_value v = {0};
			vm_table_get(t, k, &v);
			h = fnv_u64(h, funcs ? ref_index(inst, v.u64) : v.u64);
		}
	}
	return h;
}

static uint64_t cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void timer_set(uint32_t ms)
{
	struct itimerval it = {
		{0, 0}, {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000}};
	setitimer(ITIMER_VIRTUAL, &it, NULL);
}

/* An interrupted thread is suspended: replace it, so the side can go on
 * (the pair is abandoned anyway, its two states no longer comparable). */
static void side_renew_thread(struct side *s)
{
	vm_thread_free(s->th);
	s->th = vm_thread_new(s->ops, STACK_SLOTS, MAX_DEPTH);
	if (s->th)
		vm_thread_set_interrupt(s->th, &stop);
}

/* Run f (NULL: the start function) on side s; fill o. */
static void side_run(struct pair *p, struct side *s, struct vm_func *f,
		     const uint64_t *args, uint32_t nargs, struct outcome *o)
{
	vm_value a[PAIR_MAX_VALUES], r[PAIR_MAX_VALUES];
	memset(o, 0, sizeof(*o));
	memset(r, 0, sizeof(r));
	const struct vm_functype *t = f ? vm_func_type(f) : NULL;
	for (uint32_t i = 0, k = 0; t && i < t->nparams && k < nargs; i++) {
		uint8_t pt = t->params[i];
		a[k].u64 = args[k];
		if (pt == VM_FUNCREF) {
			uint64_t x = args[k];
			a[k] = vm_ref_func(x < s->inst->m->nfuncs
						   ? s->inst->funcs[x]
						   : NULL);
		}
		k++;
		if (pt == VM_V128 && k < nargs) {
			a[k].u64 = args[k];
			k++;
		}
	}
	stop = 0;
	uint64_t t0 = cpu_us();
	timer_set(p->limit_ms);
	if (f)
		vm_call(s->th, f, a, nargs, r, PAIR_MAX_VALUES, &o->err);
	else
		vm_instance_start(s->inst, s->th, &o->err);
	timer_set(0);
	o->us = cpu_us() - t0;
	if (o->err.kind == VM_ERR_INTERRUPTED) {
		side_renew_thread(s);
		return;
	}
	for (uint32_t i = 0, k = 0; t && i < t->nresults; i++) {
		uint8_t rt = t->results[i];
		o->results[k] = rt == VM_FUNCREF ? ref_index(s->inst, r[k].u64)
						 : r[k].u64;
		k++;
		if (rt == VM_V128) {
			o->results[k] = r[k].u64;
			k++;
		}
		o->nresults = k;
	}
	struct vm_memory *mem = vm_instance_memory(s->inst);
	o->mem_size = mem ? vm_memory_size(mem) : 0;
	o->state = pair_state_hash(s->inst);
}

static bool same_error(const struct vm_error *a, const struct vm_error *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == VM_OK)
		return true;
	return a->trap == b->trap && a->func == b->func &&
	       a->offset == b->offset && a->exit_code == b->exit_code &&
	       strcmp(a->msg, b->msg) == 0;
}

static enum pair_verdict compare(struct pair *p, const struct outcome out[2])
{
	p->mem_diff = -1;
	bool intr0 = out[0].err.kind == VM_ERR_INTERRUPTED;
	bool intr1 = out[1].err.kind == VM_ERR_INTERRUPTED;
	if (intr1 && !intr0 && out[0].us < p->limit_ms * 250u)
		return PAIR_HANG;
	if (intr0 || intr1)
		return PAIR_INTERRUPTED;
	struct vm_memory *m0 = vm_instance_memory(p->s[0].inst);
	struct vm_memory *m1 = vm_instance_memory(p->s[1].inst);
	if (out[0].mem_size == out[1].mem_size && out[0].mem_size &&
	    memcmp(vm_memory_data(m0), vm_memory_data(m1),
		   (size_t)out[0].mem_size) != 0) {
		const uint8_t *a = vm_memory_data(m0), *b = vm_memory_data(m1);
		p->mem_diff = 0;
		while (a[p->mem_diff] == b[p->mem_diff])
			p->mem_diff++;
		return PAIR_DIFFERENT;
	}
	if (!same_error(&out[0].err, &out[1].err) ||
	    out[0].nresults != out[1].nresults ||
	    memcmp(out[0].results, out[1].results,
		   out[0].nresults * sizeof(uint64_t)) != 0 ||
	    out[0].mem_size != out[1].mem_size || out[0].state != out[1].state)
		return PAIR_DIFFERENT;
	return PAIR_SAME;
}

enum pair_verdict pair_start(struct pair *p, struct outcome out[2])
{
	side_run(p, &p->s[0], NULL, NULL, 0, &out[0]);
	if (out[0].err.kind == VM_ERR_INTERRUPTED)
		return PAIR_INTERRUPTED; /* nothing to compare with */
	side_run(p, &p->s[1], NULL, NULL, 0, &out[1]);
	return compare(p, out);
}

enum pair_verdict pair_call(struct pair *p, const char *name,
			    const uint64_t *args, uint32_t nargs,
			    struct outcome out[2])
{
	for (int i = 0; i < 2; i++) {
		struct vm_extern x;
		if (!vm_instance_export(p->s[i].inst, name, &x) ||
		    x.kind != VM_EXTERN_FUNC || !p->s[i].th)
			return PAIR_INTERRUPTED;
		side_run(p, &p->s[i], x.u.func, args, nargs, &out[i]);
		if (out[0].err.kind == VM_ERR_INTERRUPTED)
			return PAIR_INTERRUPTED; /* nothing to compare with */
	}
	return compare(p, out);
}

void pair_print_outcome(FILE *f, const char *label, const struct outcome *o)
{
	fprintf(f, "  %s: ", label);
	if (o->err.kind == VM_OK) {
		fprintf(f, "ok, results");
		for (uint32_t i = 0; i < o->nresults; i++)
			fprintf(f, " 0x%llx",
				(unsigned long long)o->results[i]);
	} else {
		fprintf(f,
			"error kind %d trap %d func %u offset %u exit %d: %s",
			(int)o->err.kind, (int)o->err.trap, o->err.func,
			o->err.offset, o->err.exit_code, o->err.msg);
	}
	fprintf(f,
		"; memory %llu bytes, globals and tables hash %016llx, "
		"%llu us\n",
		(unsigned long long)o->mem_size, (unsigned long long)o->state,
		(unsigned long long)o->us);
}
