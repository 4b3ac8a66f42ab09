/*
 * tools/wasmfuzz/wbuf.h: a bounded byte buffer for writing WebAssembly
 * binaries (LEB128 numbers, names, sections whose size is patched in at
 * the end). Writing past the capacity is remembered, not performed: check
 * `full` once at the end.
 */
#ifndef TOOLS_WASMFUZZ_WBUF_H
#define TOOLS_WASMFUZZ_WBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wbuf {
	uint8_t *p;
	size_t len, cap;
	bool full; /* something did not fit */
};

void wb_init(struct wbuf *b, uint8_t *p, size_t cap);
void wb_byte(struct wbuf *b, uint8_t v);
void wb_bytes(struct wbuf *b, const void *p, size_t n);
void wb_u32(struct wbuf *b, uint32_t v); /* unsigned LEB128 */
void wb_s32(struct wbuf *b, int32_t v);	 /* signed LEB128 */
void wb_s64(struct wbuf *b, int64_t v);
void wb_name(struct wbuf *b, const char *s); /* length, then bytes */

/*
 * A size-prefixed part (section, function body): wb_open writes a
 * five-byte placeholder and returns where it is; wb_close writes the
 * size of what followed into it, as a padded LEB128 (valid: at most
 * five bytes for a u32).
 */
size_t wb_open(struct wbuf *b);
void wb_close(struct wbuf *b, size_t at);

#endif
