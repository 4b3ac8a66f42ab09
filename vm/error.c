/*
 * vm/error.c: building the printable message of a struct vm_error without
 * any libc formatting (the kernel has none to lend us).
 */
#include "internal.h"

struct buf {
	char *p;
	size_t n, cap;
};

static void put(struct buf *b, const char *s)
{
	while (s && *s && b->n + 1 < b->cap)
		b->p[b->n++] = *s++;
	b->p[b->n] = 0;
}

static void put_hex(struct buf *b, uint32_t v)
{
	char tmp[11] = "0x";
	int i, n = 0;
	uint32_t t = v;
	do {
		n++;
		t >>= 4;
	} while (t);
	for (i = 0; i < n; i++)
		tmp[2 + n - 1 - i] = "0123456789abcdef"[(v >> (4 * i)) & 15];
	tmp[2 + n] = 0;
	put(b, tmp);
}

static const char *kind_name(enum vm_err_kind k)
{
	switch (k) {
	case VM_ERR_MALFORMED: return "malformed";
	case VM_ERR_INVALID: return "invalid";
	case VM_ERR_UNLINKABLE: return "unlinkable";
	case VM_ERR_TRAP: return "trap";
	case VM_ERR_NOMEM: return "out of memory";
	case VM_ERR_EXIT: return "exit";
	case VM_ERR_INTERRUPTED: return "interrupted";
	case VM_ERR_LIMIT: return "limit";
	case VM_ERR_MISUSE: return "misuse";
	default: return "ok";
	}
}

bool vm_fail(struct vm_error *err, enum vm_err_kind kind, const char *why,
	     const char *where, uint32_t offset)
{
	struct buf b = {err->msg, 0, sizeof(err->msg)};
	err->kind = kind;
	err->offset = offset;
	put(&b, kind_name(kind));
	put(&b, ": ");
	put(&b, why);
	put(&b, " (");
	if (where) {
		put(&b, where);
		put(&b, ", ");
	}
	put(&b, "offset ");
	put_hex(&b, offset);
	put(&b, ")");
	return false;
}

bool vm_fail2(struct vm_error *err, enum vm_err_kind kind, const char *why,
	      const char *detail1, const char *detail2)
{
	struct buf b = {err->msg, 0, sizeof(err->msg)};
	err->kind = kind;
	err->offset = 0;
	put(&b, kind_name(kind));
	put(&b, ": ");
	put(&b, why);
	if (detail1) {
		put(&b, " \"");
		put(&b, detail1);
		if (detail2) {
			put(&b, "\".\"");
			put(&b, detail2);
		}
		put(&b, "\"");
	}
	return false;
}

const char *vm_trap_name(enum vm_trap trap)
{
	switch (trap) {
	case VM_TRAP_UNREACHABLE: return "unreachable";
	case VM_TRAP_MEM_OOB: return "out of bounds memory access";
	case VM_TRAP_DIV_ZERO: return "integer divide by zero";
	case VM_TRAP_INT_OVERFLOW: return "integer overflow";
	case VM_TRAP_BAD_CONVERSION: return "invalid conversion to integer";
	case VM_TRAP_TABLE_OOB: return "undefined element";
	case VM_TRAP_UNINIT_ELEM: return "uninitialized element";
	case VM_TRAP_SIG_MISMATCH: return "indirect call type mismatch";
	case VM_TRAP_STACK_EXHAUSTED: return "call stack exhausted";
	case VM_TRAP_HOST: return "host function failed";
	case VM_TRAP_UNALIGNED_ATOMIC: return "unaligned atomic";
	case VM_TRAP_UNSHARED_WAIT: return "expected shared memory";
	case VM_TRAP_WAIT_FOREVER: return "wait would block forever";
	case VM_TRAP_TABLE_ACCESS: return "out of bounds table access";
	case VM_TRAP_NO_CALLER:
		return "host function needs the calling instance's memory";
	case VM_TRAP_NONE: return "no trap";
	default: return "unknown trap";
	}
}

static void put_dec(struct buf *b, uint32_t v)
{
	char num[11];
	int n = 0;
	do {
		num[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n--) {
		char c[2] = {num[n], 0};
		put(b, c);
	}
}

void vm_trap_msg(struct vm_error *err, enum vm_trap trap, uint32_t func,
		 uint32_t offset)
{
	struct buf b = {err->msg, 0, sizeof(err->msg)};
	err->kind = VM_ERR_TRAP;
	err->trap = trap;
	err->func = func;
	err->offset = offset;
	put(&b, "trap: ");
	put(&b, vm_trap_name(trap));
	put(&b, " (function ");
	put_dec(&b, func);
	put(&b, ", code offset ");
	put_hex(&b, offset);
	put(&b, ")");
}

enum vm_err_kind vm_misuse(struct vm_error *err, const char *what, uint32_t n1,
			   uint32_t n2)
{
	struct buf b = {err->msg, 0, sizeof(err->msg)};
	uint32_t nums[2] = {n1, n2}, last = 1;
	int next = 0;
	memset(err, 0, sizeof(*err));
	err->kind = VM_ERR_MISUSE;
	put(&b, "misuse: ");
	for (const char *p = what; *p; p++) {
		char c[2] = {*p, 0};
		if (p[0] == '%' && p[1] == 'u' && next < 2) {
			last = nums[next++];
			put_dec(&b, last);
			p++;
		} else if (p[0] == '%' && p[1] == 's') {
			put(&b, last == 1 ? "" : "s");
			p++;
		} else {
			put(&b, c);
		}
	}
	return VM_ERR_MISUSE;
}
