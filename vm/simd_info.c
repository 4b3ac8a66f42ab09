/*
 * vm/simd_info.c: decoding and validation facts of the 0xfd prefix
 * (WebAssembly 2.0 SIMD), from vm/simd.h's SIMD_OPS list: each
 * sub-opcode's form, memory access size and lane bound, its immediates and
 * its operand and result types.
 */
#include "simd.h"
#include "simd_vm.h"

static const struct {
	uint8_t form, bytes, lanes;
} info[256] = {
#define SIMD_INFO(name, code, form, bytes, lanes)                              \
	[code] = {SIMD_F_##form, bytes, lanes},
	SIMD_OPS(SIMD_INFO)
#undef SIMD_INFO
};

/* The scalar type of splat, extract_lane and replace_lane sub-opcodes:
 * i8x16, i16x8, i32x4 take an i32, the others their lane type. */
static uint8_t scalar_type(uint32_t sub)
{
	if (sub == 0x12 || sub == 0x1d || sub == 0x1e)
		return VM_I64;
	if (sub == 0x13 || sub == 0x1f || sub == 0x20)
		return VM_F32;
	if (sub == 0x14 || sub == 0x21 || sub == 0x22)
		return VM_F64;
	return VM_I32;
}

static void sig(struct vm_simd_insn *in)
{
	const uint8_t V = VM_V128, I = VM_I32;
	uint8_t s = scalar_type(in->sub);
	uint8_t a = 0, b = 0, c = 0, r = 0;
	switch (in->form) {
	case SIMD_F_LOAD: a = I, r = V; break;
	case SIMD_F_LOAD_LANE: a = I, b = V, r = V; break;
	case SIMD_F_STORE:
	case SIMD_F_STORE_LANE: a = I, b = V; break;
	case SIMD_F_CONST: r = V; break;
	case SIMD_F_SPLAT32:
	case SIMD_F_SPLAT64: a = s, r = V; break;
	case SIMD_F_EXTRACT32:
	case SIMD_F_EXTRACT64: a = V, r = s; break;
	case SIMD_F_REPLACE32:
	case SIMD_F_REPLACE64: a = V, b = s, r = V; break;
	case SIMD_F_UN: a = V, r = V; break;
	case SIMD_F_SHUFFLE:
	case SIMD_F_BIN: a = V, b = V, r = V; break;
	case SIMD_F_TERN: a = b = c = V, r = V; break;
	case SIMD_F_SHIFT: a = V, b = I, r = V; break;
	case SIMD_F_TEST: a = V, r = I; break;
	}
	in->in[0] = a;
	in->in[1] = b;
	in->in[2] = c;
	in->out = r;
}

void vm_simd_read(struct vm_reader *r, struct vm_simd_insn *in)
{
	memset(in, 0, sizeof(*in));
	in->sub = vm_rd_u32(r);
	if (!vm_rd_ok(r))
		return;
	if (in->sub > 0xff || !info[in->sub].form) {
		vm_rd_fail(r, "illegal opcode");
		return;
	}
	in->form = info[in->sub].form;
	in->bytes = info[in->sub].bytes;
	in->lanes = info[in->sub].lanes;
	sig(in);
	switch (in->form) {
	case SIMD_F_LOAD:
	case SIMD_F_LOAD_LANE:
	case SIMD_F_STORE:
	case SIMD_F_STORE_LANE:
		in->align = vm_rd_u32(r);
		in->offset = vm_rd_u32(r);
		break;
	case SIMD_F_CONST:
	case SIMD_F_SHUFFLE:
		for (unsigned i = 0; i < 16; i++)
			in->imm[i] = vm_rd_u8(r);
		break;
	}
	if (in->form == SIMD_F_LOAD_LANE || in->form == SIMD_F_STORE_LANE ||
	    (in->form >= SIMD_F_EXTRACT32 && in->form <= SIMD_F_REPLACE64))
		in->lane = vm_rd_u8(r);
}

const char *vm_simd_check(const struct vm_module *m,
			  const struct vm_simd_insn *in)
{
	if (in->bytes) {
		if (!m->has_memory)
			return "unknown memory";
		/* the natural alignment is the access size */
		if (in->align >= 32 || (1u << in->align) > in->bytes)
			return "alignment must not be larger than natural";
	}
	if (in->form == SIMD_F_SHUFFLE) {
		for (unsigned i = 0; i < 16; i++)
			if (in->imm[i] >= 32)
				return "invalid lane index";
	} else if (in->lanes && in->lane >= in->lanes) {
		return "invalid lane index";
	}
	return NULL;
}

static bool has_v128(uint32_t n, const uint8_t *types)
{
	for (uint32_t i = 0; i < n; i++)
		if (types[i] == VM_V128)
			return true;
	return false;
}

bool vm_simd_types_ok(const struct vm_module *m, struct vm_error *err)
{
	const char *where = NULL;
	if (vm_has(m, VM_FEATURE_SIMD))
		return true;
	for (uint32_t i = 0; i < m->ntypes && !where; i++)
		if (has_v128(m->types[i].nparams, m->types[i].params) ||
		    has_v128(m->types[i].nresults, m->types[i].results))
			where = "type section";
	for (uint32_t i = 0; i < m->nimports && !where; i++)
		if (m->imports[i].kind == VM_EXTERN_GLOBAL &&
		    m->imports[i].gtype == VM_V128)
			where = "import section";
	for (uint32_t i = 0; i < m->nglobals && !where; i++)
		if (m->globals[i].type == VM_V128)
			where = "global section";
	for (uint32_t i = 0;
	     m->codes && i < m->nfuncs - m->nfunc_imports && !where; i++)
		if (has_v128(m->codes[i].nlocals, m->codes[i].local_types))
			where = "code section";
	if (!where)
		return true;
	return vm_fail(err, VM_ERR_MALFORMED, "malformed value type", where, 0);
}

uint64_t vm_init_hi(const struct vm_instance *inst,
		    const struct vm_init_expr *e)
{
	if (e->op == 0x23)
		return inst->globals[e->val]->hi.u64;
	return e->op == 0xfd ? e->hi : 0;
}
