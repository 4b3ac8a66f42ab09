/*
 * tools/wasmrun/invoke.c: wasmrun --invoke FUNC FILE.wasm [VALUE...]
 *
 * Calls export FUNC of an instantiated module (its start function has
 * run) with the values given, each read as its parameter's type (integers
 * in C syntax, decimal or 0x hex, negative allowed; floats as strtod reads
 * them), and prints every result on a line of its own as TYPE:VALUE
 * (integers signed decimal, floats with enough digits to read back, and
 * their bits), in order: several with multi-value. A v128 is written as
 * 0x and 32 hex digits, most significant first (lane 0 of an i8x16 is the
 * last two), in and out.
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
	case VM_V128: return "v128";
	}
	return "?";
}

/* A v128 as 0x and 32 hex digits into v[0] (low half) and v[1]. */
static bool parse_v128(const char *s, vm_value *v)
{
	char hi[17], *end;
	if (strncmp(s, "0x", 2) || strlen(s) != 34)
		return false;
	memcpy(hi, s + 2, 16);
	hi[16] = 0;
	v[1].u64 = strtoull(hi, &end, 16);
	if (*end)
		return false;
	v[0].u64 = strtoull(s + 18, &end, 16);
	return !*end && s[2] != '-' && s[18] != '-';
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

/* Slots the n values of types[] take in vm_call's arrays (a v128 two). */
static uint32_t slots(uint32_t n, const uint8_t *types)
{
	uint32_t s = 0;
	for (uint32_t i = 0; i < n; i++)
		s += types[i] == VM_V128 ? 2 : 1;
	return s;
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
	uint32_t na = slots(t->nparams, t->params);
	uint32_t nr = slots(t->nresults, t->results);
	vm_value *args = calloc(na + 1, sizeof(vm_value));
	vm_value *res = calloc(nr + 1, sizeof(vm_value));
	int status = 0;
	if (!args || !res) {
		fprintf(stderr, "wasmrun: out of memory\n");
		status = 1;
		goto out;
	}
	for (uint32_t i = 0, s = 0; i < t->nparams;
	     s += 1 + (t->params[i] == VM_V128), i++)
		if (t->params[i] == VM_V128
			    ? !parse_v128(argv[i], &args[s])
			    : !parse(argv[i], t->params[i], &args[s])) {
			fprintf(stderr, "wasmrun: argument %u: not an %s: %s\n",
				(unsigned)i + 1, type_name(t->params[i]),
				argv[i]);
			status = 2;
			goto out;
		}
	enum vm_err_kind k = vm_call(th, ex.u.func, args, na, res, nr, &err);
	if (k == VM_OK) {
		for (uint32_t i = 0, s = 0; i < t->nresults; i++, s++) {
			if (t->results[i] == VM_V128) {
				printf("v128:0x%016" PRIx64 "%016" PRIx64 "\n",
				       res[s + 1].u64, res[s].u64);
				s++;
			} else {
				print(t->results[i], res[s]);
			}
		}
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
