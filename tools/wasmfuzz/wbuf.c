/* tools/wasmfuzz/wbuf.c: see wbuf.h. */
#include "wbuf.h"

#include <string.h>

void wb_init(struct wbuf *b, uint8_t *p, size_t cap)
{
	b->p = p;
	b->len = 0;
	b->cap = cap;
	b->full = false;
}

void wb_byte(struct wbuf *b, uint8_t v)
{
	if (b->len < b->cap)
		b->p[b->len++] = v;
	else
		b->full = true;
}

void wb_bytes(struct wbuf *b, const void *p, size_t n)
{
	if (n > b->cap - b->len) {
		b->full = true;
		return;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

void wb_u32(struct wbuf *b, uint32_t v)
{
	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		wb_byte(b, byte | (v ? 0x80 : 0));
	} while (v);
}

void wb_s64(struct wbuf *b, int64_t v)
{
	for (;;) {
		uint8_t byte = (uint8_t)(v & 0x7f);
		v >>= 7; /* arithmetic: gcc and clang define it */
		bool done = (v == 0 && !(byte & 0x40)) ||
			    (v == -1 && (byte & 0x40));
		wb_byte(b, byte | (done ? 0 : 0x80));
		if (done)
			return;
	}
}

void wb_s32(struct wbuf *b, int32_t v)
{
	wb_s64(b, v);
}

void wb_name(struct wbuf *b, const char *s)
{
	size_t n = strlen(s);
	wb_u32(b, (uint32_t)n);
	wb_bytes(b, s, n);
}

size_t wb_open(struct wbuf *b)
{
	size_t at = b->len;
	static const uint8_t pad[5] = {0x80, 0x80, 0x80, 0x80, 0};
	wb_bytes(b, pad, sizeof(pad));
	return at;
}

void wb_close(struct wbuf *b, size_t at)
{
	if (b->full)
		return;
	uint32_t n = (uint32_t)(b->len - at - 5);
	for (int i = 0; i < 5; i++, n >>= 7)
		b->p[at + i] = (uint8_t)((n & 0x7f) | (i < 4 ? 0x80 : 0));
}
