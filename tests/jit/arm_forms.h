/*
 * tests/jit/arm_forms.h: what the ARM forms program's files share (the
 * texts' building blocks and the refusal checks; arm_forms.c).
 */
#ifndef TESTS_JIT_ARM_FORMS_H
#define TESTS_JIT_ARM_FORMS_H

#include <stdbool.h>

#include "arm_encode.h"

/* binutils' names of the core registers and the condition suffixes
 * (AL's is empty). */
extern const char *const reg[16];
extern const char *const cond[15];

/* printf into one of a few rotating static buffers. */
const char *fmt(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* "rm", "rm, lsl #n", "rm, rrx": a register operand shifted. */
const char *shifted(int rm, enum arm_shift sh, unsigned amount);

/* A call that must succeed, and one that must be refused with nothing
 * written: a wrong answer is printed and fails the program. */
void ok(bool accepted, const char *what);
void refused(bool accepted, struct jit_buf *b, const char *what);
void refused_call(bool accepted, const char *what);

void arm_forms_loads_stores(void);
void arm_forms_control(void);
void arm_forms_vfp(void);
/* arm_forms_translate.c: the i64 and float translation's own forms. */
void arm_forms_translation_num(void);

#endif
