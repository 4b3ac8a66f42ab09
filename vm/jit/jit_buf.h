/*
 * vm/jit/jit_buf.h: the buffer a backend's encoder writes machine code
 * into. A write past the end sets `full` and writes nothing, so an
 * encoder never checks room per instruction: the compiler checks `full`
 * once per function and falls back (or retries with a larger buffer).
 * Little-endian, as both backends' ISAs are (IA-32; ARMv7 as configured).
 */
#ifndef VM_JIT_BUF_H
#define VM_JIT_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jit_buf {
	uint8_t *start, *cur, *end;
	bool full; /* a write did not fit: the contents are incomplete */
};

static inline void jit_buf_init(struct jit_buf *b, void *mem, size_t size)
{
	b->start = b->cur = (uint8_t *)mem;
	b->end = b->start + size;
	b->full = false;
}

/* Bytes written so far: the offset of the next instruction. */
static inline size_t jit_buf_offset(const struct jit_buf *b)
{
	return (size_t)(b->cur - b->start);
}

static inline bool jit_buf_room(struct jit_buf *b, size_t n)
{
	if (b->full || (size_t)(b->end - b->cur) < n) {
		b->full = true;
		return false;
	}
	return true;
}

static inline void jit_put8(struct jit_buf *b, uint8_t v)
{
	if (jit_buf_room(b, 1))
		*b->cur++ = v;
}

static inline void jit_put16(struct jit_buf *b, uint16_t v)
{
	if (jit_buf_room(b, 2)) {
		b->cur[0] = (uint8_t)v;
		b->cur[1] = (uint8_t)(v >> 8);
		b->cur += 2;
	}
}

static inline void jit_put32(struct jit_buf *b, uint32_t v)
{
	if (jit_buf_room(b, 4)) {
		for (int i = 0; i < 4; i++)
			b->cur[i] = (uint8_t)(v >> (8 * i));
		b->cur += 4;
	}
}

/* Overwrite a 32-bit field already written at `offset` (a branch's
 * displacement once its target is known). */
static inline void jit_patch32(struct jit_buf *b, size_t offset, uint32_t v)
{
	if (offset + 4 <= (size_t)(b->cur - b->start))
		for (int i = 0; i < 4; i++)
			b->start[offset + i] = (uint8_t)(v >> (8 * i));
}

#endif
