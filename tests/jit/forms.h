/*
 * tests/jit/forms.h: the frame of an encoder's disassembler check. A
 * forms program (tests/jit/<isa>_forms.c, built for the host) emits every
 * instruction form its backend's encoder can produce, each with the text
 * the disassembler must print for it, written by hand from the call: the
 * bytes go to a blob, "OFFSET LENGTH TEXT" lines to a listing, and
 * scripts/check-jit-encoders disassembles the blob with binutils' objdump
 * and compares (see tests/jit/README.md for the text's conventions).
 */
#ifndef TESTS_JIT_FORMS_H
#define TESTS_JIT_FORMS_H

#include "../../vm/jit/jit_buf.h"

/* A scratch buffer for one form's bytes. */
struct jit_buf *form_begin(void);
/* Append the form's bytes to the blob and its expected text (several
 * instructions separated by "; ") to the listing. */
void form_end(struct jit_buf *b, const char *expected);

/* Open the blob (argv[1]) and the listing (argv[2]), run `cases`, close.
 * Returns main's status: nonzero if a form overflowed its buffer or a
 * file could not be written. */
int forms_main(int argc, char **argv, void (*cases)(void));

#endif
