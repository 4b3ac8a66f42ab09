/*
 * vm/validate.h: the function-body validator's state, shared by
 * validate.c (the algorithm and most instructions) and validate_ref.c
 * (the reference-type and table instructions).
 */
#ifndef VM_VALIDATE_H
#define VM_VALIDATE_H

#include "internal.h"

/* An operand of unknown type (below a polymorphic stack). */
#define ANY 0

/* A block's type, as the control stack keeps it. */
struct ctl {
	uint8_t op; /* 0x02 block, 0x03 loop, 0x04 if, 0x05 else, 0 func */
	bool unreachable;
	uint32_t height; /* below the block's parameters */
	struct vm_blocktype t;
};

struct val {
	const struct vm_module *m;
	struct vm_error *err;
	struct vm_reader r;
	uint8_t *vals;
	uint32_t nvals, capvals, maxvals;
	struct ctl *ctls;
	uint32_t nctls;
	const char *why; /* first invalid reason */
	bool oom;
	bool wide; /* a v128 was pushed (struct vm_code.wide) */
};

/* Push, pop (checking against `want`, ANY for any; returns the type) and
 * record the first invalid reason (returns false). */
void vmv_push(struct val *v, uint8_t t);
uint8_t vmv_pop(struct val *v, uint8_t want);
bool vmv_fail(struct val *v, const char *why);

/* validate_ref.c: typed select (0x1c), table.get/set (0x25, 0x26),
 * ref.null/is_null/func (0xd0..0xd2); prefix 0xfc 12..17. */
void vm_validate_ref_instr(struct val *v, uint8_t op);
void vm_validate_table_instr(struct val *v, uint32_t sub);

#endif
