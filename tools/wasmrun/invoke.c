/*
 * tools/wasmrun/invoke.c: wasmrun --invoke FUNC FILE.wasm [VALUE...]
 *
 * Calls export FUNC of an instantiated module (its start function has
 * run) with the values given, each read as its parameter's type (integers
 * in C syntax, decimal or 0x hex, negative allowed; floats as strtod reads
 * them), and prints every result on a line of its own as TYPE:VALUE
 * (integers signed decimal, floats with enough digits to read back, and
 * their bits), in order: several with multi-value.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invoke.h"

static const char *type_name(uint8_t t)
{
	switch (t) {
	case VM_I32: return "i32";
	case VM_I64: return "i64";
	case VM_F32: return "f32";
	case VM_F64: return "f64";
	case VM_FUNCREF: return "funcref";
	case VM_EXTERNREF: return "externref";
	}
	return "?";
}

/* Value s of type t into *v; false if s is not one. A funcref can only
 * be null (0 or "null"), an externref "null" or a number (the value). */
static bool parse(const char *s, uint8_t t, vm_value *v)
{
	char *end;
	v->u64 = 0;
	if ((t == VM_FUNCREF || t == VM_EXTERNREF) && !strcmp(s, "null"))
		return true;
	if (t == VM_FUNCREF)
		return !strcmp(s, "0");
	if (t == VM_F32 || t == VM_F64) {
		double d = strtod(s, &end);
		if (t == VM_F32)
			v->f32 = (float)d;
		else
			v->f64 = d;
	} else if (*s == '-') {
		int64_t x = strtoll(s, &end, 0);
		v->u64 = t == VM_I32 ? (uint32_t)x : (uint64_t)x;
	} else {
		uint64_t x = strtoull(s, &end, 0);
		if (t == VM_I32 && x > UINT32_MAX)
			return false;
		v->u64 = x;
	}
	return *s && !*end;
}

static void print(uint8_t t, vm_value v)
{
	switch (t) {
	case VM_I32: printf("i32:%" PRId32 "\n", v.i32); break;
	case VM_I64: printf("i64:%" PRId64 "\n", v.i64); break;
	case VM_F32:
		printf("f32:%.9g (0x%08" PRIx32 ")\n", (double)v.f32, v.u32);
		break;
	case VM_F64:
		printf("f64:%.17g (0x%016" PRIx64 ")\n", v.f64, v.u64);
		break;
	case VM_FUNCREF:
		printf("funcref:%s\n", v.u64 ? "function" : "null");
		break;
	case VM_EXTERNREF:
		if (v.u64)
			printf("externref:%" PRIu64 "\n", v.u64);
		else
			printf("externref:null\n");
		break;
	}
}

int wasmrun_invoke(struct vm_instance *inst, struct vm_thread *th,
		   const char *name, int argc, char **argv)
{
	struct vm_extern ex;
	struct vm_error err;
	if (!vm_instance_export(inst, name, &ex) || ex.kind != VM_EXTERN_FUNC) {
		fprintf(stderr, "wasmrun: no exported function %s\n", name);
		return 2;
	}
	const struct vm_functype *t = vm_func_type(ex.u.func);
	if ((uint32_t)argc != t->nparams) {
		fprintf(stderr, "wasmrun: %s takes %u argument(s), %d given\n",
			name, (unsigned)t->nparams, argc);
		return 2;
	}
	vm_value *args = calloc(t->nparams + 1, sizeof(vm_value));
	vm_value *res = calloc(t->nresults + 1, sizeof(vm_value));
	int status = 0;
	if (!args || !res) {
		fprintf(stderr, "wasmrun: out of memory\n");
		status = 1;
		goto out;
	}
	for (uint32_t i = 0; i < t->nparams; i++)
		if (!parse(argv[i], t->params[i], &args[i])) {
			fprintf(stderr, "wasmrun: argument %u: not an %s: %s\n",
				(unsigned)i + 1, type_name(t->params[i]),
				argv[i]);
			status = 2;
			goto out;
		}
	enum vm_err_kind k = vm_call(th, ex.u.func, args, t->nparams, res,
				     t->nresults, &err);
	if (k == VM_OK) {
		for (uint32_t i = 0; i < t->nresults; i++)
			print(t->results[i], res[i]);
	} else if (k == VM_ERR_EXIT) {
		status = err.exit_code & 0xff;
	} else {
		fprintf(stderr, "wasmrun: %s\n", err.msg);
		status = k == VM_ERR_TRAP ? 134 : 1;
	}
out:
	free(args);
	free(res);
	return status;
}
