/*
 * The forms programs' frame (forms.h): host code, plain C library.
 */
#include <stdio.h>
#include <stdlib.h>

#include "forms.h"

static FILE *blob, *listing;
static unsigned long blob_offset;
static uint8_t scratch[256];
static struct jit_buf buf;
static int status;

struct jit_buf *form_begin(void)
{
	jit_buf_init(&buf, scratch, sizeof(scratch));
	return &buf;
}

void form_end(struct jit_buf *b, const char *expected)
{
	size_t n = jit_buf_offset(b);

	if (b->full || n == 0) {
		fprintf(stderr, "forms: '%s' %s\n", expected,
			b->full ? "overflowed its buffer" : "emitted nothing");
		status = 1;
		return;
	}
	fwrite(b->start, 1, n, blob);
	fprintf(listing, "%lu %zu %s\n", blob_offset, n, expected);
	blob_offset += n;
}

int forms_main(int argc, char **argv, void (*cases)(void))
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s BLOB LISTING\n", argv[0]);
		return 2;
	}
	blob = fopen(argv[1], "wb");
	listing = fopen(argv[2], "w");
	if (!blob || !listing) {
		perror("forms");
		return 2;
	}
	cases();
	if (fclose(blob) != 0 || fclose(listing) != 0) {
		perror("forms");
		return 2;
	}
	return status;
}
